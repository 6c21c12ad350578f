#pragma once

#include "BoardTable.h"
#include "FinanceSource.h"

namespace riskdesk {

// Section 6, 助教分析 (spec §6.7): for every salary month the period touches, the coaches' basic and
// incentive course income, incentive share, sprint bonus, gross pay, hours, head count and pay per coach from
// v_dws_assistant_salary_calc, and the course-cost ratio against K3 (service-log income) of the same whole
// month; then the same by tier. Months are whole calendar months, so a period that is not whole months gets
// the "calendar-month basis" badge.
class FinanceCoachAnalysis {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinanceCoachAnalysis)

public:
    struct Line {
        QDate month;
        QString tier;           // empty for the month's line
        qint64 coaches = 0;     // rows of the salary view
        qint64 basic = 0;       // Σ base_income
        qint64 incentive = 0;   // Σ bonus_income
        qint64 sprint = 0;      // Σ sprint_bonus
        qint64 gross = 0;       // Σ gross_salary
        qint64 baseSeconds = 0; // Σ base_hours, in seconds
        qint64 effectiveSeconds = 0;
    };
    struct Figures {
        QList<Line> months; // one per month touched, in order (coaches = 0 when the month has no salary row)
        QList<Line> tiers;  // per month and tier, months in order, tiers by name
        QMap<QDate, qint64> serviceIncome; // K3 of each whole month
        QMap<QDate, QString> notLoaded;    // the months of which no day is loaded: why their K3 has no data
    };

    // loadedThrough: the day the service log is loaded through; the salary rows are monthly and stand alone.
    static Result<Figures> read(const FinanceSource& source, const BoardPeriod& period,
                                const QDate& loadedThrough);

    // Key "coach": one row per month (id "2026-05-01").
    static BoardTable table(const std::optional<Figures>& figures);
    // Key "coach_tiers": one row per month and tier (id "2026-05-01/二档").
    static BoardTable tierTable(const std::optional<Figures>& figures);
    // "Calendar-month basis: the coach analysis counts the whole of 2026-05 ~ 2026-06 …", for a period that
    // is not whole months: the badge alone did not say what it applied to (helper-88).
    static QString calendarMonthBadge(const BoardPeriod& period);
    // Why a month without salary rows has no pay figures (not zero pay).
    static QString noSalaryRows();
};

} // namespace riskdesk
