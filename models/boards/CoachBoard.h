#pragma once

#include "BoardReport.h"
#include "BoardRequest.h"
#include "BoardScope.h"
#include "CoachBoardSet.h"
#include "SortCatalog.h"

#include <QSqlDatabase>

namespace riskdesk {

// BOARD-1, the coach board (spec §4): one row per coach of the site for a salary month, with the month's
// service income, hours and customers from the service log (business days, voided rows excluded), the
// month's pay from the salary view, period-over-period of income, hours and gross pay, the top 3 customers
// by intimacy and the customer-sourced stored value as enrichments that may fail alone, a totals row over
// the whole filtered set (distinct customers, not a sum) and a reconciliation warning where gross pay is not
// base + incentive + sprint. --drill lists the rows behind a cell (CoachDrill).
class CoachBoard {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CoachBoard)

public:
    static Result<BoardReport> compute(QSqlDatabase db, const BoardScope& scope, const BoardRequest& request);

    // The sort keys of §4.6 over the set's columns; default service income, descending.
    static SortCatalog sortCatalog();
    // The request's month (default: this month up to today) and filters, with the skill code checked: a
    // disabled or unknown code is refused with the enabled ones listed.
    static Result<CoachSetFilter> resolveFilter(QSqlDatabase db, const BoardRequest& request);
    // "安娜 (A1)", or "unknown coach #7" for a coach the coach list does not have.
    static QString coachLabel(qint64 id, const QVariant& name, const QVariant& number);
    // The filter bar's note on what the skill filter does to the figures.
    static QString skillFilterNote();
};

} // namespace riskdesk
