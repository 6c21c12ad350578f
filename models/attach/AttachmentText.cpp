#include "AttachmentText.h"

#include <QMimeDatabase>
#include <QStringDecoder>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

AttachmentText::Decoded AttachmentText::decode(const QByteArray& bytes) {
    Decoded d;
    QStringDecoder utf8(QStringDecoder::Utf8); // strips a leading byte-order mark
    d.text = utf8.decode(bytes);
    if (!utf8.hasError())
        return d;
    QStringDecoder gb("GB18030");
    if (!gb.isValid()) { // a Qt without ICU: keep the UTF-8 reading, with its replacement characters
        d.clean = false;
        return d;
    }
    d.text = gb.decode(bytes);
    d.encoding = Encoding::Gb18030;
    d.clean = !gb.hasError();
    return d;
}

bool AttachmentText::readsAsText(const QByteArray& bytes) {
    const Decoded d = decode(bytes);
    if (!d.clean)
        return false;
    return std::none_of(d.text.cbegin(), d.text.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r' && u != u'\f' && u != 0x1B) || u == 0x7F;
    });
}

QString AttachmentText::encodingName(Encoding encoding) {
    return encoding == Encoding::Utf8 ? u"UTF-8"_s : u"GB18030"_s;
}

bool AttachmentText::isText(const QString& mimeType) {
    const QMimeType type = QMimeDatabase().mimeTypeForName(mimeType);
    return type.isValid() && type.inherits(u"text/plain"_s);
}

} // namespace riskdesk
