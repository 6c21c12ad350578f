#pragma once

#include "BoardReport.h"
#include "BoardRequest.h"
#include "BoardScope.h"

#include <QSqlDatabase>

namespace riskdesk {

// BOARD-4, the risk-operations board (spec §9): how the exception queue is doing, per tenant. Q1–Q4 read the
// queue at an as-of instant (default: now), Q5–Q20 the period's intake and decisions, Q21 the log chains.
// Every KPI carries its period-over-period change: flows against the previous period, queue figures against
// the same instant one period length earlier. Times are UTC days.
//
// Drill-down cells (--drill):
//   Q1 | Q3 | Q4 | Q5 | Q6 | Q6:approve|reject|auto_reject | Q2:lt4h|4to24h|1to3d|gt3d | Q10:met|breached
//   | Q13:violations | Q20:<category> | pending:<YYYY-MM-DD> | decisions:<YYYY-MM-DD>  → the exceptions
//   Q15|Q16|Q17|Q18|unreadable[:<rule>]  → rule_outcomes rows (hits, supplements, waived hits, hits,
//   unreadable) Q14:<approver>  → the approver's log entries in the period
// Each drill table's totals row sums the clicked figure (a count, and for Q17 the waived amount to the fen).
class RiskOpsBoard {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RiskOpsBoard)

public:
    static Result<BoardReport> compute(QSqlDatabase db, const BoardScope& scope, const BoardRequest& request);
    // Span reads only the exceptions that can count within the request's span (RiskOpsHistory::load);
    // Everything replays every exception and the whole log: the same answer, for benchmarks and tests.
    enum class Replay { Span, Everything };
    static Result<BoardReport> compute(QSqlDatabase db, const BoardScope& scope, const BoardRequest& request,
                                       Replay replay);
    // "Rule outcomes must be backfilled first": Q15–Q18 while rule_outcomes has no rows for the tenant.
    static QString backfillNote();
};

} // namespace riskdesk
