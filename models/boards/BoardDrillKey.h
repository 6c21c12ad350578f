#pragma once

#include "BoardReport.h"
#include "BoardRequest.h"
#include "BoardScope.h"

#include <QCoreApplication>
#include <QString>
#include <QVariant>
#include <optional>

namespace riskdesk {

// What one board cell drills into (spec §2.7): the engine's drill cell (BoardRequest::drill), the request
// narrowed to the clicked row where the engine's syntax has no row (BOARD-4: one rule, one severity), and
// where the drill-down's footer figure, the one equal to the clicked value, is found.
struct BoardDrillTarget {
    QString cell;
    QString rule;          // BOARD-4: request.rules becomes this one rule; empty: unchanged
    QString severity;      // BOARD-4: request.severity becomes this; empty: unchanged
    QString footerKpi;     // the drill report's KPI holding the footer figure (BOARD-1), or empty
    QString footerColumn;  // else the totals cell of this column of the drill table; empty: the last column
    bool hasFooter = true; // false: the drill lists rows without a sum (a coach's customers by intimacy)

    // The base request turned into this drill's request: drill set, first page, no sort, narrowed.
    BoardRequest apply(BoardRequest base) const;
    // The footer figure of a computed drill-down (label, value, unit), nothing when it has none.
    std::optional<BoardKpi> footer(const BoardReport& drill) const;
};

// What the queue page needs to show the exceptions behind a BOARD-4 count: their record ids.
struct BoardQueueFilter {
    QStringList recordIds;
    QString label; // "Pending past SLA (3)"
};

// Maps a cell of a computed board to its drill-down. Pure: no database, no clock.
class BoardDrillKey {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardDrillKey)

public:
    // The drill of a cell: tableKey and columnKey as in the report (a KPI card: empty tableKey, the KPI's
    // key), rowId the row's id (invalid or null, or "total", for a totals cell). base is the request the
    // board was computed with (BOARD-2's tab, BOARD-4's filters). Nothing when the cell has no rows to list:
    // text, shares and rates, percentiles, index scores and snapshots, configuration values.
    static std::optional<BoardDrillTarget> of(BoardKind board, const BoardRequest& base,
                                              const QString& tableKey, const QString& columnKey,
                                              const QVariant& rowId);
    // Why a cell has no drill-down, for a tooltip; empty when it has one.
    static QString whyNot(BoardKind board, const BoardRequest& base, const QString& tableKey,
                          const QString& columnKey, const QVariant& rowId);
    // A drill typed by hand (the command line's --drill CELL): its footer found as that board's drills
    // carry it.
    static BoardDrillTarget fromCell(BoardKind board, const QString& cell);
    // The sort key the engine accepts for a column of a drill's table, empty when it cannot sort by it (the
    // drill then keeps the engine's fixed order).
    static QString sortKey(BoardKind board, const QString& cell, const QString& columnKey);
    // Whether the drill lists service-log rows, so that it can also list the voided ones (spec §2.7: the
    // "显示废单" toggle; BoardRequest::showVoided).
    static bool listsVoidable(BoardKind board, const QString& cell);
    // BOARD-4: the exceptions of a computed exception drill-down (every row: request it with pageSize 0) as
    // the queue's filter. Nothing when the drill lists no exceptions (rule outcomes, log entries).
    static std::optional<BoardQueueFilter> queueFilter(const BoardReport& drill, const QString& label);
};

} // namespace riskdesk
