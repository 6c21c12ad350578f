#include "AttachmentText.h"

#include <QMimeDatabase>
#include <QStringDecoder>
#include <algorithm>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// UTF-16 by its byte-order mark, or without one by its zeros: Latin text in UTF-16 has a zero in every other
// byte, on the high byte's side, and UTF-8 or GB18030 text has none (both are also valid UTF-8 with NULs, so
// this is asked first). Mostly-Chinese UTF-16 without a mark has no zeros to tell it by and is not guessed.
std::optional<AttachmentText::Encoding> utf16Of(const QByteArray& bytes) {
    if (bytes.startsWith("\xFF\xFE"))
        return AttachmentText::Encoding::Utf16Le;
    if (bytes.startsWith("\xFE\xFF"))
        return AttachmentText::Encoding::Utf16Be;
    const qsizetype sample = std::min<qsizetype>(bytes.size(), 4096) & ~qsizetype(1);
    if (sample < 4)
        return std::nullopt;
    qsizetype evenZeros = 0, oddZeros = 0;
    for (qsizetype i = 0; i < sample; i += 2) {
        evenZeros += bytes[i] == 0;
        oddZeros += bytes[i + 1] == 0;
    }
    const qsizetype pairs = sample / 2;
    if (oddZeros * 2 >= pairs && evenZeros * 20 < pairs)
        return AttachmentText::Encoding::Utf16Le;
    if (evenZeros * 2 >= pairs && oddZeros * 20 < pairs)
        return AttachmentText::Encoding::Utf16Be;
    return std::nullopt;
}

} // namespace

AttachmentText::Decoded AttachmentText::decode(const QByteArray& bytes) {
    Decoded d;
    if (const auto utf16 = utf16Of(bytes)) {
        QStringDecoder decoder(*utf16 == Encoding::Utf16Le ? QStringDecoder::Utf16LE
                                                           : QStringDecoder::Utf16BE); // strips the mark
        d.text = decoder.decode(bytes);
        if (!decoder.hasError() && bytes.size() % 2 == 0) {
            d.encoding = *utf16;
            return d;
        }
    }
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
    switch (encoding) {
    case Encoding::Utf8:
        return u"UTF-8"_s;
    case Encoding::Utf16Le:
        return u"UTF-16LE"_s;
    case Encoding::Utf16Be:
        return u"UTF-16BE"_s;
    case Encoding::Gb18030:
        break;
    }
    return u"GB18030"_s;
}

bool AttachmentText::isText(const QString& mimeType) {
    const QMimeType type = QMimeDatabase().mimeTypeForName(mimeType);
    return type.isValid() && type.inherits(u"text/plain"_s);
}

} // namespace riskdesk
