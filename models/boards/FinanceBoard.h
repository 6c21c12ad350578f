#pragma once

#include "BoardReport.h"
#include "BoardRequest.h"
#include "BoardScope.h"

#include <QSqlDatabase>

namespace riskdesk {

// BOARD-3, 财务看板 (spec §6): the eight overview metrics K1–K8 with their period-over-period change, the
// trend of K1/K4/K5, and six sections (prepaid funds, revenue structure, cash inflow, cash outflow, coach
// analysis). Each section runs its own core query with failure isolation (fault names "finance.<section>"):
// a failed section makes its KPIs unavailable and leaves the others whole, and K6 = K4 − K5 is unavailable
// when either is. Reconciliation marks are never dropped: with an input missing they say "cannot reconcile".
// A request with a drill cell answers the cell's rows instead (FinanceDrill).
class FinanceBoard {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinanceBoard)

public:
    // The sections in display order, as their table keys and fault names ("finance.<key>").
    static const QStringList& sections();
    static QString kpiLabel(const QString& key);

    static Result<BoardReport> compute(QSqlDatabase db, const BoardScope& scope, const BoardRequest& request);
};

} // namespace riskdesk
