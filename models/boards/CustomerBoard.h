#pragma once

#include "BoardReport.h"
#include "BoardRequest.h"
#include "BoardRowSink.h"
#include "BoardScope.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace riskdesk {

// BOARD-2, the customer board (spec §5): the site's members ranked under one of eight dimensions, with the
// tab's member count, the sum of its measure (and its period-over-period for D4, D6, D7), and the optional
// fields of the members on the page (masked phone, last-visit days, balance, related coaches), each of which
// can fail alone. The whole filtered set is sorted and counted in SQL and paged by key.
//
// In JSON each row also carries "coaches": every related coach with its id, name, RS, level and emoji, and
// whether it is the follow-up coach (the "relatedCoaches" column is the same as text, three and "+N").
//
// request.drill lists the rows a cell was computed from (CustomerDrill): "<column>:<member id>" or
// "<column>:total".
class CustomerBoard {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CustomerBoard)

public:
    // The enrichment and core step names, for the fault hook: "customer.<name>".
    static constexpr auto kSection = "customer";

    static Result<BoardReport> compute(QSqlDatabase db, const BoardScope& scope, const BoardRequest& request);

    // An export of every row of these tabs (dimension keys), in order: each tab's rows go to the sink as they
    // are read (sink.beginTable, then its rows, the same cells as compute() with page size 0 gives), and its
    // report holds everything else (totals, KPIs, notes, outcome) without the rows. The members' optional
    // fields are read once for the whole site and shared by the tabs; with chartSections the visits heat map
    // follows the last tab, once. A request with a drill-down is not an export of rows: use compute().
    static Result<QList<BoardReport>> computeEveryRow(QSqlDatabase db, const BoardScope& scope,
                                                      const BoardRequest& request,
                                                      const QStringList& dimensions, BoardRowSink& sink);
};

} // namespace riskdesk
