#include "CalendarDay.h"

#include <QDate>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace riskdesk {

QString CalendarDay::whyNotADay(const QString& text) {
    static const QRegularExpression form(u"^(\\d{4})-(\\d{2})-(\\d{2})"_s);
    const QRegularExpressionMatch m = form.match(text);
    if (!m.hasMatch())
        return {};
    const int year = m.captured(1).toInt(), month = m.captured(2).toInt(), day = m.captured(3).toInt();
    if (QDate(year, month, day).isValid())
        return {};
    const QString shown = m.captured(0);
    if (month < 1 || month > 12)
        return tr("%1 is not a day of the calendar; a month is 01 to 12.").arg(shown);
    return tr("%1 is not a day of the calendar; %2-%3 has %4 days.")
        .arg(shown, m.captured(1), m.captured(2))
        .arg(QDate(year, month, 1).daysInMonth());
}

} // namespace riskdesk
