#include "FinanceCoachAnalysis.h"

#include "ExactMath.h"
#include "FinanceCells.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using T = BoardTableColumn::Type;

// The month's salary figures as of the figures' line.
FinanceCoachAnalysis::Line lineOf(const QVariantList& r, int first) {
    FinanceCoachAnalysis::Line l;
    l.coaches = r[first].toLongLong();
    l.basic = r[first + 1].toLongLong();
    l.incentive = r[first + 2].toLongLong();
    l.sprint = r[first + 3].toLongLong();
    l.gross = r[first + 4].toLongLong();
    l.baseSeconds = r[first + 5].toLongLong();
    l.effectiveSeconds = r[first + 6].toLongLong();
    return l;
}

const QString kSums = u"COUNT(*), SUM(base_income_fen), SUM(bonus_income_fen), SUM(sprint_bonus_fen),"
                      " SUM(gross_salary_fen), SUM(CAST(ROUND(base_hours * 3600) AS INTEGER)),"
                      " SUM(CAST(ROUND(effective_hours * 3600) AS INTEGER))"_s;
// The same sums for the whole month, over the month's tier groups (window "month").
const QString kMonthSums =
    u"SUM(COUNT(*)) OVER month, SUM(SUM(base_income_fen)) OVER month, SUM(SUM(bonus_income_fen)) OVER month,"
    " SUM(SUM(sprint_bonus_fen)) OVER month, SUM(SUM(gross_salary_fen)) OVER month,"
    " SUM(SUM(CAST(ROUND(base_hours * 3600) AS INTEGER))) OVER month,"
    " SUM(SUM(CAST(ROUND(effective_hours * 3600) AS INTEGER))) OVER month"_s;

} // namespace

QString FinanceCoachAnalysis::calendarMonthBadge(const BoardPeriod& period) {
    const QString first = period.from().toString(u"yyyy-MM"_s), last = period.to().toString(u"yyyy-MM"_s);
    return tr("Calendar-month basis: the coach analysis counts the whole of %1, not only this period's days.")
        .arg(first == last ? first : u"%1 ~ %2"_s.arg(first, last));
}

QString FinanceCoachAnalysis::noSalaryRows() {
    return tr("no salary rows for this month yet");
}

Result<FinanceCoachAnalysis::Figures> FinanceCoachAnalysis::read(const FinanceSource& source,
                                                                 const BoardPeriod& period,
                                                                 const QDate& loadedThrough) {
    const QList<QDate> months = period.monthsTouched();
    const QDate first = months.first();
    const QDate last = months.last().addMonths(1).addDays(-1);
    // The whole months the period touches: salary is monthly, and K3 of the month is over the whole month
    // too.
    const auto whole = BoardPeriod::custom(first, last);
    const BoardPeriod range = whole ? whole.value() : period;
    // One pass over the salary rows: each month's tiers, and the month's sums over its tiers alongside (a
    // window over the few grouped rows; SQLite's SUM still refuses an overflow). Tiers in their own order (by
    // tier id), not by name: 一档, 三档, 二档 is the names' code order.
    const auto byTier = source.rows(
        u"SELECT salary_month, COALESCE(assistant_level_name, ''), "_s + kSums + u", "_s + kMonthSums +
            u" FROM bd_assistant_salary_calc WHERE tenant_id = :t AND site_id = :s"
            " AND salary_month BETWEEN :from AND :to"
            " GROUP BY salary_month, COALESCE(assistant_level_name, '')"
            " WINDOW month AS (PARTITION BY salary_month)"
            " ORDER BY salary_month, MIN(tier_id) NULLS LAST, 2"_s,
        range, tr("Reading the coaches' monthly pay by tier"));
    if (!byTier)
        return byTier.problem();
    const auto income = source.serviceIncomeByDay(range);
    if (!income)
        return income.problem();

    Figures f;
    QMap<QDate, Line> found;
    for (const QVariantList& r : byTier.value())
        found.insert(QDate::fromString(r[0].toString(), Qt::ISODate), lineOf(r, 9));
    for (const QDate& m : months) {
        Line l = found.value(m);
        l.month = m;
        f.months << l;
        f.serviceIncome.insert(m, 0);
        if (const auto why =
                BoardPeriod::custom(m, m.addMonths(1).addDays(-1)).value().notLoaded(loadedThrough))
            f.notLoaded.insert(m, *why);
    }
    for (const QVariantList& r : byTier.value()) {
        Line l = lineOf(r, 2);
        l.month = QDate::fromString(r[0].toString(), Qt::ISODate);
        l.tier = r[1].toString();
        f.tiers << l;
    }
    for (const QVariantList& r : income.value()) {
        const QDate day = QDate::fromString(r[0].toString(), Qt::ISODate);
        f.serviceIncome[QDate(day.year(), day.month(), 1)] += r[1].toLongLong();
    }
    return f;
}

namespace {

QList<BoardTableColumn> columns(bool withTier) {
    QList<BoardTableColumn> c{{u"month"_s, FinanceCoachAnalysis::tr("Month"), T::Text}};
    if (withTier)
        c << BoardTableColumn{u"tier"_s, FinanceCoachAnalysis::tr("Tier"), T::Text};
    c << BoardTableColumn{u"basic"_s, FinanceCoachAnalysis::tr("Basic course income"), T::Value,
                          ValueUnit::Fen}
      << BoardTableColumn{u"incentive"_s, FinanceCoachAnalysis::tr("Incentive course income"), T::Value,
                          ValueUnit::Fen}
      << BoardTableColumn{u"incentive_share"_s, FinanceCoachAnalysis::tr("Incentive share"), T::Value,
                          ValueUnit::Tenths}
      << BoardTableColumn{u"sprint"_s, FinanceCoachAnalysis::tr("Sprint bonus"), T::Value, ValueUnit::Fen}
      << BoardTableColumn{u"gross"_s, FinanceCoachAnalysis::tr("Gross pay"), T::Value, ValueUnit::Fen}
      << BoardTableColumn{u"base_hours"_s, FinanceCoachAnalysis::tr("Basic hours"), T::Value,
                          ValueUnit::Seconds}
      << BoardTableColumn{u"effective_hours"_s, FinanceCoachAnalysis::tr("Effective hours"), T::Value,
                          ValueUnit::Seconds}
      << BoardTableColumn{u"coaches"_s, FinanceCoachAnalysis::tr("Coaches"), T::Value, ValueUnit::Count}
      << BoardTableColumn{u"gross_per_coach"_s, FinanceCoachAnalysis::tr("Gross pay per coach"), T::Value,
                          ValueUnit::Fen};
    if (!withTier)
        c << BoardTableColumn{u"service_income"_s, FinanceCoachAnalysis::tr("Coach service income (K3)"),
                              T::Value, ValueUnit::Fen}
          << BoardTableColumn{u"course_cost_ratio"_s, FinanceCoachAnalysis::tr("Course-cost ratio"), T::Value,
                              ValueUnit::Tenths};
    return c;
}

// A salary figure of a month: no data when the month has no salary row (a snapshot, not an event sum).
BoardValue pay(const FinanceCoachAnalysis::Line& l, qint64 v) {
    return l.coaches == 0 ? BoardValue::noData(FinanceCoachAnalysis::noSalaryRows()) : BoardValue::ofSum(v);
}

QList<BoardCell> cellsOf(const FinanceCoachAnalysis::Line& l, bool withTier) {
    QList<BoardCell> c{BoardCell::ofText(l.month.toString(u"yyyy-MM"_s))};
    if (withTier)
        c << BoardCell::ofText(l.tier);
    const qint64 course = l.basic + l.incentive;
    const auto perCoach = l.coaches == 0 ? std::nullopt : ExactMath::divideRounded(l.gross, l.coaches);
    c << BoardCell::ofValue(pay(l, l.basic)) << BoardCell::ofValue(pay(l, l.incentive))
      << BoardCell::ofValue(l.coaches == 0 ? pay(l, 0) : FinanceCells::rate(l.incentive, course))
      << BoardCell::ofValue(pay(l, l.sprint)) << BoardCell::ofValue(pay(l, l.gross))
      << BoardCell::ofValue(pay(l, l.baseSeconds)) << BoardCell::ofValue(pay(l, l.effectiveSeconds))
      << BoardCell::ofValue(pay(l, l.coaches))
      << BoardCell::ofValue(perCoach ? BoardValue::ofSum(*perCoach) : pay(l, 0));
    return c;
}

} // namespace

BoardTable FinanceCoachAnalysis::table(const std::optional<Figures>& figures) {
    BoardTable t(u"coach"_s, tr("Coach analysis"), columns(false));
    if (!figures)
        return t;
    for (const Line& l : figures->months) {
        QList<BoardCell> c = cellsOf(l, false);
        const qint64 k3 = figures->serviceIncome.value(l.month);
        // K3 of a month of which no day is loaded is no data, not ¥0.00, and so is its ratio.
        const auto notLoaded = figures->notLoaded.constFind(l.month);
        if (notLoaded != figures->notLoaded.cend())
            c << BoardCell::ofValue(BoardValue::noData(*notLoaded))
              << BoardCell::ofValue(BoardValue::noData(*notLoaded));
        else
            c << BoardCell::ofValue(BoardValue::ofSum(k3))
              << BoardCell::ofValue(l.coaches == 0 ? pay(l, 0)
                                                   : FinanceCells::rate(l.basic + l.incentive, k3));
        t.addRow({l.month.toString(Qt::ISODate), c});
    }
    t.setPaging(t.rows().size(), 1, 0);
    return t;
}

BoardTable FinanceCoachAnalysis::tierTable(const std::optional<Figures>& figures) {
    BoardTable t(u"coach_tiers"_s, tr("Coach analysis by tier"), columns(true));
    if (!figures)
        return t;
    for (const Line& l : figures->tiers)
        t.addRow({l.month.toString(Qt::ISODate) + u'/' + l.tier, cellsOf(l, true)});
    t.setPaging(t.rows().size(), 1, 0);
    return t;
}

} // namespace riskdesk
