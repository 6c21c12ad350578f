#include "BoardDrillKey.h"

#include "CustomerDimensions.h"
#include "CustomerDrill.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

bool isTotals(const QVariant& rowId) {
    // Qt 6: a QVariant holding an empty string is not null; the page may pass either for a totals cell.
    const QString text = rowId.toString();
    return !rowId.isValid() || rowId.isNull() || text.isEmpty() || text == u"total"_s;
}

QString rowText(const QVariant& rowId) {
    return isTotals(rowId) ? u"total"_s : rowId.toString();
}

// BOARD-1: the coach table's drillable columns (CoachDrill's syntax).
const QStringList kCoachColumns{u"items_sum"_s,       u"hours"_s,        u"customers"_s,    u"gross_salary"_s,
                                u"base_income"_s,     u"bonus_income"_s, u"course_cost"_s,  u"sprint_bonus"_s,
                                u"effective_hours"_s, u"base_hours"_s,   u"stored_value"_s, u"top3"_s};

// BOARD-3: the figures of each section that are sums of daily or salary rows (FinanceDrill's syntax).
// Shares, ratios, per-coach averages and changes are derived from these and have no rows of their own.
const QHash<QString, QStringList>& financeColumns() {
    static const QHash<QString, QStringList> columns{
        {u"overview"_s, {u"value"_s, u"previous"_s}},
        {u"trend"_s, {u"k1"_s, u"k4"_s, u"k5"_s}},
        {u"prepaid"_s,
         {u"opening"_s, u"additions"_s, u"consumption"_s, u"refunds"_s, u"adjustments"_s, u"closing"_s,
          u"active_cards"_s}},
        {u"revenue"_s, {u"gross"_s, u"discount"_s, u"accrued"_s, u"previous"_s}},
        {u"revenue_discounts"_s, {u"amount"_s}},
        {u"inflow"_s, {u"amount"_s, u"previous"_s}},
        {u"inflow_excluded"_s, {u"amount"_s}},
        {u"outflow"_s, {u"amount"_s, u"previous"_s}},
        {u"coach"_s,
         {u"basic"_s, u"incentive"_s, u"sprint"_s, u"gross"_s, u"base_hours"_s, u"effective_hours"_s,
          u"coaches"_s, u"service_income"_s}},
        {u"coach_tiers"_s,
         {u"basic"_s, u"incentive"_s, u"sprint"_s, u"gross"_s, u"base_hours"_s, u"effective_hours"_s,
          u"coaches"_s}}};
    return columns;
}

BoardDrillTarget target(const QString& cell, const QString& footerColumn = {}) {
    BoardDrillTarget t;
    t.cell = cell;
    t.footerColumn = footerColumn;
    return t;
}

std::optional<BoardDrillTarget> coach(const QString& table, const QString& column, const QVariant& rowId) {
    if (table != u"coaches"_s || !kCoachColumns.contains(column))
        return std::nullopt;
    // Neither has a total on the board (the totals row shows "—"), so its totals cell opens nothing.
    if ((column == u"top3"_s || column == u"stored_value"_s) && isTotals(rowId))
        return std::nullopt;
    BoardDrillTarget t;
    t.cell = column + u':' + rowText(rowId);
    t.footerKpi = column;
    t.hasFooter = column != u"top3"_s;
    return t;
}

std::optional<BoardDrillTarget> customer(const BoardRequest& base, const QString& table,
                                         const QString& column, const QVariant& rowId) {
    const auto dimension = CustomerDimensions::fromKey(
        base.dimension.isEmpty() ? CustomerDimensions::keys().first() : base.dimension);
    if (!dimension)
        return std::nullopt;
    const QStringList drillable = CustomerDrill::drillableColumns(*dimension);
    if (table.isEmpty()) {
        // The tab's "total" card sums its headline column over every member of the tab: the first totalled
        // figure (D5: the visits in the period), as CustomerBoard picks it.
        if (column != u"total"_s)
            return std::nullopt;
        const QList<CustomerColumn> columns = CustomerDimensions::columns(*dimension);
        if (columns.isEmpty())
            return std::nullopt;
        QString head = columns.first().key;
        for (const CustomerColumn& c : columns)
            if (c.kind == CustomerColumn::Kind::Value && c.totalled) {
                head = c.key;
                break;
            }
        if (!drillable.contains(head))
            return std::nullopt;
        return target(head + u":total"_s, head);
    }
    if (table != CustomerDimensions::key(*dimension) || !drillable.contains(column))
        return std::nullopt;
    return target(column + u':' + rowText(rowId), column);
}

std::optional<BoardDrillTarget> finance(const QString& table, const QString& column, const QVariant& rowId) {
    if (table.isEmpty()) {
        static const QRegularExpression kpi(u"^K[1-8]$"_s);
        if (!kpi.match(column).hasMatch())
            return std::nullopt;
        return target(u"kpi:"_s + column);
    }
    if (!financeColumns().value(table).contains(column))
        return std::nullopt;
    return target(table + u':' + column + u':' + rowText(rowId));
}

// BOARD-4 (RiskOpsBoard's drill syntax). Exception lists, log entries and rule outcomes carry their count in
// the last column ("count"), rule outcomes their amount in "amount".
std::optional<BoardDrillTarget> riskOps(const BoardRequest& base, const QString& table, const QString& column,
                                        const QVariant& rowId) {
    const bool total = isTotals(rowId);
    const QString row = rowId.toString();
    if (table.isEmpty()) {
        static const QHash<QString, QString> kpis{{u"Q1"_s, u"Q1"_s},
                                                  {u"Q3"_s, u"Q3"_s},
                                                  {u"Q4"_s, u"Q4"_s},
                                                  {u"Q5"_s, u"Q5"_s},
                                                  {u"Q6"_s, u"Q6"_s},
                                                  {u"Q6_approve"_s, u"Q6:approve"_s},
                                                  {u"Q6_reject"_s, u"Q6:reject"_s},
                                                  {u"Q6_auto_reject"_s, u"Q6:auto_reject"_s},
                                                  {u"Q15_unreadable"_s, u"unreadable"_s},
                                                  {u"Q17_count"_s, u"Q17"_s},
                                                  {u"Q17_amount"_s, u"Q17"_s}};
        if (!kpis.contains(column))
            return std::nullopt;
        return target(kpis.value(column), column == u"Q17_amount"_s ? u"amount"_s : u"count"_s);
    }
    if (table == u"queue_age"_s && column == u"pending"_s)
        return target(total ? u"Q1"_s : u"Q2:"_s + row, u"count"_s);
    if (table == u"sla"_s && (column == u"decisions"_s || column == u"met"_s)) {
        // The engine's Q6 and Q10 have no severity: the request is narrowed to the row's severity, which
        // only lists the row when the board's own severity filter (if any) is that one.
        if (!total && !base.severity.isEmpty() && base.severity != row)
            return std::nullopt;
        BoardDrillTarget t = target(column == u"met"_s ? u"Q10:met"_s : u"Q6"_s, u"count"_s);
        if (!total)
            t.severity = row;
        return t;
    }
    if (table == u"time_by_rule"_s && column == u"decisions"_s && !total) {
        BoardDrillTarget t = target(u"Q6"_s, u"count"_s);
        t.rule = row;
        return t;
    }
    if (table == u"approvers"_s && column == u"actions"_s && !total)
        return target(u"Q14:"_s + row, u"count"_s);
    if (table == u"rule_outcomes"_s) {
        static const QHash<QString, QString> heads{{u"hits"_s, u"Q15"_s},
                                                   {u"supplements"_s, u"Q16"_s},
                                                   {u"unreadable"_s, u"unreadable"_s},
                                                   {u"waived_hits"_s, u"Q17"_s},
                                                   {u"waived_amount"_s, u"Q17"_s}};
        if (heads.contains(column))
            return target(heads.value(column) + (total ? QString() : u':' + row),
                          column == u"waived_amount"_s ? u"amount"_s : u"count"_s);
        if (column == u"exceptions"_s) {
            BoardDrillTarget t = target(u"Q5"_s, u"count"_s);
            if (!total)
                t.rule = row;
            return t;
        }
        return std::nullopt;
    }
    if (table == u"reasons"_s && column == u"exceptions"_s)
        return target(total ? u"Q5"_s : u"Q20:"_s + row, u"count"_s);
    if (table == u"daily_pending"_s && column == u"pending"_s && !total)
        return target(u"pending:"_s + row, u"count"_s);
    if (table == u"daily_decisions"_s) {
        if (total) {
            if (column == u"total"_s)
                return target(u"Q6"_s, u"count"_s);
            if (column == u"approve"_s || column == u"reject"_s || column == u"auto_reject"_s)
                return target(u"Q6:"_s + column, u"count"_s);
            return std::nullopt;
        }
        if (column == u"total"_s)
            return target(u"decisions:"_s + row, u"count"_s);
    }
    return std::nullopt;
}

} // namespace

BoardRequest BoardDrillTarget::apply(BoardRequest base) const {
    base.drill = cell;
    base.page = 1;
    base.sort.clear();
    if (!rule.isEmpty())
        base.rules = QStringList{rule};
    if (!severity.isEmpty())
        base.severity = severity;
    return base;
}

std::optional<BoardKpi> BoardDrillTarget::footer(const BoardReport& drill) const {
    if (!hasFooter)
        return std::nullopt;
    if (!footerKpi.isEmpty()) {
        if (const BoardKpi* k = drill.kpi(footerKpi))
            return *k;
        return std::nullopt;
    }
    if (drill.tables().isEmpty())
        return std::nullopt;
    const BoardTable& table = drill.tables().first();
    if (!table.totals())
        return std::nullopt;
    // Without a named column: the last figure (a drill that shows voided rows names them in a text column
    // after it).
    int column = footerColumn.isEmpty() ? -1 : table.columnIndex(footerColumn);
    if (footerColumn.isEmpty())
        for (int i = int(table.columns().size()) - 1; i >= 0 && column < 0; --i)
            if (table.columns().at(i).type == BoardTableColumn::Type::Value)
                column = i;
    if (column < 0 || column >= table.totals()->cells.size())
        return std::nullopt;
    const BoardTableColumn& c = table.columns().at(column);
    BoardKpi kpi;
    kpi.key = c.key;
    kpi.label = c.label;
    kpi.value = table.totals()->cells.at(column).value;
    kpi.unit = c.unit;
    return kpi;
}

std::optional<BoardDrillTarget> BoardDrillKey::of(BoardKind board, const BoardRequest& base,
                                                  const QString& tableKey, const QString& columnKey,
                                                  const QVariant& rowId) {
    switch (board) {
    case BoardKind::Skills:
        return std::nullopt; // configuration and log counts per name: no drill-down in the engine
    case BoardKind::Coach:
        return coach(tableKey, columnKey, rowId);
    case BoardKind::Customer:
        return customer(base, tableKey, columnKey, rowId);
    case BoardKind::Finance:
        return finance(tableKey, columnKey, rowId);
    case BoardKind::RiskOps:
        return riskOps(base, tableKey, columnKey, rowId);
    }
    return std::nullopt;
}

QString BoardDrillKey::whyNot(BoardKind board, const BoardRequest& base, const QString& tableKey,
                              const QString& columnKey, const QVariant& rowId) {
    if (of(board, base, tableKey, columnKey, rowId))
        return {};
    static const QStringList derived{
        u"share"_s,    u"incentive_share"_s, u"gross_per_coach"_s, u"course_cost_ratio"_s,
        u"hit_rate"_s, u"supplement_rate"_s, u"met_rate"_s,        u"exceptions_per_hit"_s,
        u"change"_s};
    static const QStringList rateKpis{u"Q7"_s,  u"Q8"_s,  u"Q9"_s,  u"Q10"_s,
                                      u"Q13"_s, u"Q15"_s, u"Q16"_s, u"Q18"_s};
    static const QStringList settings{u"sla_minutes"_s, u"sort_order"_s, u"tier_progress"_s};
    if (derived.contains(columnKey) || columnKey.endsWith(u"_pop"_s) ||
        (board == BoardKind::RiskOps && tableKey.isEmpty() && rateKpis.contains(columnKey)))
        return tr("A share, rate or change is computed from other figures: open those figures instead.");
    if (columnKey.contains(u"p50"_s) || columnKey.contains(u"p90"_s) || columnKey.endsWith(u"_max"_s) ||
        columnKey.contains(u"mean"_s))
        return tr("A percentile, maximum or mean is one value, not a sum of rows.");
    if (settings.contains(columnKey))
        return tr("This is a setting, not a figure computed from rows.");
    if (board == BoardKind::Customer)
        return tr("Index scores, snapshot figures and member counts have no rows to list.");
    if (board == BoardKind::Coach && isTotals(rowId))
        return tr("This column is not totalled: open a coach's cell instead.");
    return tr(
        "The board lists no rows for this figure; open the row's total or the period's figure instead.");
}

BoardDrillTarget BoardDrillKey::fromCell(BoardKind board, const QString& cell) {
    const QString head = cell.section(u':', 0, 0);
    switch (board) {
    case BoardKind::Coach: {
        BoardDrillTarget t;
        t.cell = cell;
        t.footerKpi = head;
        t.hasFooter = head != u"top3"_s;
        return t;
    }
    case BoardKind::Customer:
        return target(cell, head);
    case BoardKind::RiskOps:
        return target(cell, u"count"_s);
    case BoardKind::Skills:
    case BoardKind::Finance:
        break;
    }
    return target(cell);
}

QString BoardDrillKey::sortKey(BoardKind board, const QString& cell, const QString& columnKey) {
    // BOARD-3's drills sort by any of their columns in SQL (the service-log rows paged by that key),
    // BOARD-4's by any column but the constant count, over the whole set. BOARD-2's drills keep their fixed
    // order.
    if (board == BoardKind::Finance)
        return columnKey;
    if (board == BoardKind::RiskOps)
        return columnKey == u"count"_s ? QString() : columnKey;
    if (board != BoardKind::Coach)
        return {};
    const QString head = cell.section(u':', 0, 0);
    if (head != u"items_sum"_s && head != u"hours"_s && head != u"customers"_s)
        return {};
    if (columnKey == u"create_time"_s)
        return u"create_time"_s;
    if (columnKey == u"ledger_amount"_s)
        return u"ledger"_s;
    if (columnKey == u"hours"_s)
        return u"hours"_s;
    return {};
}

bool BoardDrillKey::listsVoidable(BoardKind board, const QString& cell) {
    const QString head = cell.section(u':', 0, 0);
    if (board == BoardKind::Coach)
        return head == u"items_sum"_s || head == u"hours"_s || head == u"customers"_s;
    if (board == BoardKind::Finance)
        return cell == u"kpi:K3"_s || cell == u"overview:value:K3"_s || cell == u"overview:previous:K3"_s ||
               cell.startsWith(u"coach:service_income:"_s);
    return false;
}

std::optional<BoardQueueFilter> BoardDrillKey::queueFilter(const BoardReport& drill, const QString& label) {
    const BoardTable* table = drill.table(u"exceptions"_s);
    if (!table)
        return std::nullopt;
    BoardQueueFilter filter;
    for (const BoardTableRow& row : table->rows())
        filter.recordIds << row.id.toString();
    filter.label = tr("%1 (%n exception(s))", nullptr, int(filter.recordIds.size())).arg(label);
    return filter;
}

} // namespace riskdesk
