#pragma once

#include "BoardPeriod.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QStringList>
#include <optional>

namespace riskdesk {

// What selects BOARD-1's coaches (spec §4.2) and the ranges its figures cover (§2.2, §2.3).
struct CoachSetFilter {
    QString tenant;
    QString site;
    BoardPeriod period;   // the salary month's business days (up to today for the current month)
    BoardPeriod previous; // the previous month's business days (same length for the current month)
    QString skill;        // a validated, enabled skill code, or empty
    QString search;       // name or number substring, or empty
    QStringList tiers;    // tier names, or empty
    bool includeInactive = false;
    QDate firstDay; // the site's data begin (invalid: no data at all): days before it are no data, not zero
};

// BOARD-1's filtered coach set, computed once per request into a temporary table (spec §2.4) that the page,
// the totals row, the distinct-customer count, the reconciliation check and the totals drill-downs all read.
// Facts are aggregated per coach before the coach list is joined (§5.6); every coach of the list appears,
// plus any coach found only in the month's salary rows or service logs (flagged unknown). Dropped when the
// object goes away.
//
// Columns: coach_id, assistant_name, assistant_no, known, items_fen, income_s, customers, prev_items_fen,
// prev_income_s, has_salary, tier, tier_id, effective_s, base_s, base_income_fen, bonus_income_fen,
// course_cost_fen, sprint_bonus_fen, gross_salary_fen, base_price_fen, bonus_price_fen, prev_gross_fen,
// items_pop (a real, only for sorting).
class CoachBoardSet {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CoachBoardSet)

public:
    static constexpr auto kTable = "temp.coach_board_set";

    explicit CoachBoardSet(QSqlDatabase db) : m_db(std::move(db)) {}
    ~CoachBoardSet();
    CoachBoardSet(const CoachBoardSet&) = delete;
    CoachBoardSet& operator=(const CoachBoardSet&) = delete;

    // Builds the table; sortColumn (a column of the table, from the sort catalog, with its collation when the
    // sort names one: BoardSort::keyExpression) gets an index with the id.
    // With onlyCoach, the table holds at most that coach, with the same figures and the same filter decision
    // as in the whole set (every filter is per coach): a drill-down into one coach reads only its rows.
    Status build(const CoachSetFilter& filter, const QString& sortColumn,
                 std::optional<qint64> onlyCoach = std::nullopt);

    // Distinct members served in the month by the built set's coaches together (not the sum of the rows);
    // only after build() succeeded.
    Result<qint64> distinctCustomers() const;

    // The LIKE pattern of a search text, with %, _ and the escape character escaped.
    static QString likePattern(const QString& search);

private:
    QSqlDatabase m_db;
    bool m_built = false;
    std::optional<CoachSetFilter> m_filter; // once built
};

} // namespace riskdesk
