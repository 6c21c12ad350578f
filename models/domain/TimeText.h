#pragma once

#include <QDateTime>
#include <QString>

namespace riskdesk {

// How Riskdesk writes an instant for a reader: this computer's time, the day as the date fields write it
// (2026-12-07), in every language. The locale's short forms ("2026/12/7 02:36", "12/7/26 2:36 AM") put a
// second way of writing a day beside the fields and the log (helper-82, helper-84).
class TimeText {
public:
    static QString minutes(const QDateTime& at); // 2026-12-07 02:36
    static QString seconds(const QDateTime& at); // 2026-12-07 02:36:05
};

} // namespace riskdesk
