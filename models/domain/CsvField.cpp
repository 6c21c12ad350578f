#include "CsvField.h"

#include <QStringView>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

bool isControl(char16_t c) {
    return (c < 0x20 && c != u'\t' && c != u'\n' && c != u'\r') || (c >= 0x7F && c <= 0x9F);
}

bool startsLikeFormula(QStringView text) {
    return !text.isEmpty() && QStringView(u"=+-@\t\r").contains(text.front());
}

} // namespace

QString CsvField::plain(const QString& text) {
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') && !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u'"' + quoted + u'"';
}

QString CsvField::text(const QString& text) {
    QString safe = text;
    for (QChar& c : safe)
        if (isControl(c.unicode()))
            c = QChar(QChar::ReplacementCharacter);
    if (startsLikeFormula(safe))
        safe.prepend(u'\'');
    return plain(safe);
}

} // namespace riskdesk
