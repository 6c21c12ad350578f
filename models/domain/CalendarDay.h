#pragma once

#include <QCoreApplication>
#include <QString>

namespace riskdesk {

// Why a text that starts as a day (YYYY-MM-DD) names none: "2026-02-30 is not a day of the calendar; 2026-02
// has 28 days." A day the calendar lacks is told apart from a wrong form, on the command line and in
// requests.
class CalendarDay {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CalendarDay)

public:
    // The sentence when text starts with YYYY-MM-DD and that is no day; empty otherwise (a valid day, or
    // another form, which the caller explains in its own terms).
    static QString whyNotADay(const QString& text);
};

} // namespace riskdesk
