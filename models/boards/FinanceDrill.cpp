#include "FinanceDrill.h"

#include "ExactSum.h"
#include "FinanceCashInflow.h"
#include "FinanceCoachAnalysis.h"
#include "FinanceLabels.h"
#include "FinancePrepaidMatrix.h"
#include "store/NameCollation.h"

#include <functional>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// One drill-down: a statement returning (row id, text columns…, value columns…); the last value column is the
// clicked measure. Every statement filters tenant and site and lists rows in a total order.
struct DrillQuery {
    QString sql;
    QList<BoardTableColumn> textColumns;
    QList<std::function<QString(const QString&)>> labels; // per text column, may be empty
    QList<BoardTableColumn> valueColumns;
    QVariantMap extra;
    std::optional<BoardPeriod> period; // overrides the board's period (previous period, a trend bucket)
    // For sets too large to read whole: `sql` without its ORDER BY, the key columns it is ordered by, and the
    // value to sum; the rows are then paged by key and counted and summed in SQL.
    QString keyedFrom;  // "FROM … WHERE …" of the rows
    QStringList keys;   // the total order, unique, no nulls
    QString keyedValue; // the summed column
    // Optional: a query giving the same count and the same sum split as in readKeyedPage (COUNT, Σ high 32
    // bits, Σ low 32 bits) from a summary, instead of scanning every row of the set.
    QString keyedTotals = {};
    // The service log's rows (spec §2.7): the drill can also list the voided ones (showVoided).
    bool voidable = false;
    // The statement returns one more column after the values, is_delete: voided rows are flagged and named
    // in a last text column, and never summed.
    bool flagsVoided = false;
    // Keyed: the first key runs descending (a sort by a column, newest or largest first); the others ascend.
    bool firstKeyDescending = false;
    QString sort = {}; // the canonical sort applied, "ledger_amount:desc"; empty: the drill's own order
    // A balance read on one day (opening, closing, active cards), not a sum: no rows is no data, not 0.
    bool snapshot = false;
    // The statement reads :closing, the day the board reads closing balances on and runs movements to (the
    // period's last day, or the last loaded day before it).
    bool onClosingDay = false;
    // A month's salary rows: loaded apart from the days, so the days' watermark does not gate them; a month
    // without rows is no data, as its cells are.
    bool monthlySalary = false;
    // The row asked for by its id (a category, a discount type, a group or group/item), and a statement
    // listing every row id the section can show for the site, on any day: an id it never shows is refused,
    // where the drill would answer a real-looking zero.
    QString askedRow = {};
    QString knownRows = {};
};

using T = BoardTableColumn::Type;

BoardTableColumn dayColumn() {
    return {u"biz_date"_s, FinanceDrill::tr("Business day"), T::Text};
}

BoardTableColumn money(const QString& key, const QString& label) {
    return {key, label, T::Value, ValueUnit::Fen};
}

Problem refusal(const QString& why) {
    return Problem{u"bad_drill"_s, FinanceDrill::tr("%1 %2").arg(why, FinanceDrill::syntax()), u"drill"_s};
}

// The categories of a day in the board's order (table fees, coach service, goods, other), then any other
// category by its code, as section 1 lists them.
QString categoryOrderSql() {
    QString sql = u"CASE category"_s;
    const QStringList& order = FinanceLabels::categoryOrder();
    for (qsizetype i = 0; i < order.size(); ++i)
        sql += u" WHEN '%1' THEN %2"_s.arg(order[i]).arg(i);
    return sql + u" ELSE %1 END, category"_s.arg(order.size());
}

DrillQuery income(const QString& measure, const QString& category) {
    const QString expr = measure == u"gross"_s      ? u"gross_amount_fen"_s
                         : measure == u"discount"_s ? u"discount_amount_fen"_s
                                                    : u"gross_amount_fen - discount_amount_fen"_s;
    return {u"SELECT biz_date || '/' || category, biz_date, category, %1 FROM bd_finance_income_structure"
            " WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to"
            " AND (:code = '' OR category = :code) ORDER BY biz_date, %2"_s.arg(expr, categoryOrderSql()),
            {dayColumn(), {u"category"_s, FinanceDrill::tr("Category"), T::Text}},
            {{}, &FinanceLabels::category},
            {money(measure, measure == u"gross"_s      ? FinanceDrill::tr("Gross")
                            : measure == u"discount"_s ? FinanceDrill::tr("Discount")
                                                       : FinanceDrill::tr("Accrued"))},
            {{u":code"_s, category}},
            {},
            {},
            {},
            {}};
}

DrillQuery discounts(const QString& type) {
    return {u"SELECT biz_date || '/' || discount_type, biz_date, discount_type, amount_fen"
            " FROM bd_finance_discount_detail WHERE tenant_id = :t AND site_id = :s"
            " AND biz_date BETWEEN :from AND :to AND (:code = '' OR discount_type = :code)"
            " ORDER BY biz_date, discount_type"_s,
            {dayColumn(), {u"discount_type"_s, FinanceDrill::tr("Discount type"), T::Text}},
            {{}, &FinanceLabels::discountType},
            {money(u"amount"_s, FinanceDrill::tr("Amount"))},
            {{u":code"_s, type}},
            {},
            {},
            {},
            {}};
}

// Daily-summary rows: one column per tender asked, then their sum per day.
DrillQuery daily(const QStringList& tenders) {
    QStringList columns;
    QList<BoardTableColumn> values;
    for (const QString& t : tenders) {
        columns << FinanceCashInflow::columnOf(t);
        values << money(t, FinanceLabels::tender(t));
    }
    if (tenders.size() > 1) {
        columns << columns.join(u" + "_s);
        values << money(u"amount"_s, FinanceDrill::tr("Amount"));
    }
    return {
        u"SELECT biz_date, biz_date, %1 FROM bd_finance_daily_summary WHERE tenant_id = :t AND site_id = :s"
        " AND biz_date BETWEEN :from AND :to ORDER BY biz_date"_s.arg(columns.join(u", "_s)),
        {dayColumn()},
        {{}},
        values,
        {},
        {},
        {},
        {},
        {}};
}

DrillQuery outflow(const QString& group, const QString& item) {
    return {u"SELECT biz_date || '/' || g || '/' || i, biz_date, g, i, amount_fen FROM ("
            "   SELECT biz_date, expense_group AS g, expense_item AS i, amount_fen FROM "
            "bd_finance_expense_summary"
            "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to"
            "   UNION ALL SELECT biz_date, 'platform', platform, fee_fen FROM bd_platform_settlement"
            "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to)"
            " WHERE (:grp = '' OR g = :grp) AND (:item = '' OR i = :item) ORDER BY biz_date, g, i"_s,
            {dayColumn(),
             {u"group"_s, FinanceDrill::tr("Group"), T::Text},
             {u"item"_s, FinanceDrill::tr("Item"), T::Text}},
            {{}, &FinanceLabels::expenseGroup, &FinanceLabels::expenseItem},
            {money(u"amount"_s, FinanceDrill::tr("Amount"))},
            {{u":grp"_s, group}, {u":item"_s, item}},
            {},
            {},
            {},
            {}};
}

std::optional<DrillQuery> prepaid(const QString& measure, const QString& cardType,
                                  const BoardPeriod& period) {
    static const QMap<QString, QString> columns{
        {u"opening"_s, u"closing_balance_fen"_s},     {u"additions"_s, u"added_amount_fen"_s},
        {u"consumption"_s, u"consumed_amount_fen"_s}, {u"refunds"_s, u"refund_amount_fen"_s},
        {u"adjustments"_s, u"adjust_amount_fen"_s},   {u"closing"_s, u"closing_balance_fen"_s},
        {u"active_cards"_s, u"active_cards"_s}};
    if (!columns.contains(measure))
        return std::nullopt;
    // Opening is the closing balance of the day before; closing and active cards are read on the closing day
    // (:closing), movements run to it, as the board reads them.
    const bool balance = measure == u"closing"_s || measure == u"active_cards"_s;
    const QString days = measure == u"opening"_s ? u"biz_date = :before"_s
                         : balance               ? u"biz_date = :closing"_s
                                                 : u"biz_date BETWEEN :from AND :closing"_s;
    DrillQuery q{
        u"SELECT biz_date || '/' || card_type, biz_date, card_type, %1 FROM bd_finance_recharge_summary"
        " WHERE tenant_id = :t AND site_id = :s AND %2 AND (:code = '' OR card_type = :code)"
        " AND %1 IS NOT NULL ORDER BY biz_date, card_type"_s.arg(columns.value(measure), days),
        {dayColumn(), {u"card_type"_s, FinanceDrill::tr("Card"), T::Text}},
        {{}, &FinanceLabels::cardType},
        {{measure,
          measure == u"active_cards"_s ? FinanceDrill::tr("Active cards") : FinanceDrill::tr("Amount"),
          T::Value, measure == u"active_cards"_s ? ValueUnit::Count : ValueUnit::Fen}},
        {{u":code"_s, cardType}, {u":before"_s, period.from().addDays(-1).toString(Qt::ISODate)}},
        {},
        {},
        {},
        {}};
    q.snapshot = balance || measure == u"opening"_s;
    q.onClosingDay = measure != u"opening"_s;
    return q;
}

// The valid service-log rows of the period; withVoided: the voided ones too, flagged, counted in the paging
// but never in the sum (a scan of the rows then, not the site-day summary, which holds valid logs only).
DrillQuery serviceLog(std::optional<BoardPeriod> period = {}, bool withVoided = false) {
    if (withVoided) {
        DrillQuery q = serviceLog(period);
        const QString valid = u" AND l.is_delete = 0"_s;
        q.sql.replace(u"l.ledger_amount_fen FROM"_s, u"l.ledger_amount_fen, l.is_delete FROM"_s);
        q.sql.remove(valid);
        q.keyedFrom.remove(valid);
        q.keyedValue = u"CASE WHEN l.is_delete = 0 THEN l.ledger_amount_fen ELSE 0 END"_s;
        q.keyedTotals.clear();
        q.flagsVoided = true;
        return q;
    }
    return {
        u"SELECT l.assistant_service_id, l.biz_date, CAST(l.assistant_service_id AS TEXT),"
        " COALESCE(a.assistant_name, CAST(l.site_assistant_id AS TEXT)), l.ledger_amount_fen"
        " FROM bd_assistant_service_log l LEFT JOIN bd_dim_assistant a ON a.tenant_id = l.tenant_id"
        "  AND a.site_id = l.site_id AND a.site_assistant_id = l.site_assistant_id"
        " WHERE l.tenant_id = :t AND l.site_id = :s AND l.is_delete = 0 AND l.biz_date BETWEEN :from AND :to"_s,
        {dayColumn(),
         {u"assistant_service_id"_s, FinanceDrill::tr("Service log"), T::Text},
         {u"coach"_s, FinanceDrill::tr("Coach"), T::Text}},
        {},
        {money(u"ledger_amount"_s, FinanceDrill::tr("Service income"))},
        {},
        period,
        u"FROM bd_assistant_service_log l"
        " WHERE l.tenant_id = :t AND l.site_id = :s AND l.is_delete = 0 AND l.biz_date BETWEEN :from AND :to"_s,
        {u"l.biz_date"_s, u"l.assistant_service_id"_s},
        u"l.ledger_amount_fen"_s,
        // The period's count and sum from the site-day summary (migration 022): the valid logs of each day
        // are counted and summed there, so the days add up to the rows' own count and sum.
        u"SELECT COALESCE(SUM(log_count), 0), COALESCE(SUM(items_fen >> 32), 0),"
        " COALESCE(SUM(items_fen & 4294967295), 0) FROM bd_sl_site_day"
        " WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to"_s,
        true};
}

// Per day: cash inflow, cash outflow and their difference (K6).
DrillQuery net() {
    return {u"WITH d(biz_date, inflow, outflow) AS ("
            "   SELECT biz_date, cash_wechat_fen + cash_alipay_fen + cash_cash_fen + cash_bank_fen + "
            "cash_recharge_fen"
            "          + cash_platform_gross_fen, 0 FROM bd_finance_daily_summary"
            "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to"
            "   UNION ALL SELECT biz_date, 0, amount_fen FROM bd_finance_expense_summary"
            "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to"
            "   UNION ALL SELECT biz_date, 0, fee_fen FROM bd_platform_settlement"
            "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to)"
            " SELECT biz_date, biz_date, SUM(inflow), SUM(outflow), SUM(inflow) - SUM(outflow) FROM d"
            " GROUP BY biz_date ORDER BY biz_date"_s,
            {dayColumn()},
            {{}},
            {money(u"inflow"_s, FinanceDrill::tr("Cash inflow")),
             money(u"outflow"_s, FinanceDrill::tr("Cash outflow")),
             money(u"net"_s, FinanceDrill::tr("Net cash flow"))},
            {},
            {},
            {},
            {},
            {}};
}

std::optional<DrillQuery> salary(const QString& measure, const QDate& month, std::optional<QString> tier) {
    static const QMap<QString, std::pair<QString, ValueUnit>> columns{
        {u"basic"_s, {u"base_income_fen"_s, ValueUnit::Fen}},
        {u"incentive"_s, {u"bonus_income_fen"_s, ValueUnit::Fen}},
        {u"sprint"_s, {u"sprint_bonus_fen"_s, ValueUnit::Fen}},
        {u"gross"_s, {u"gross_salary_fen"_s, ValueUnit::Fen}},
        {u"base_hours"_s, {u"CAST(ROUND(base_hours * 3600) AS INTEGER)"_s, ValueUnit::Seconds}},
        {u"effective_hours"_s, {u"CAST(ROUND(effective_hours * 3600) AS INTEGER)"_s, ValueUnit::Seconds}},
        {u"coaches"_s, {u"1"_s, ValueUnit::Count}}};
    if (!columns.contains(measure))
        return std::nullopt;
    const auto [expr, unit] = columns.value(measure);
    return DrillQuery{
        u"SELECT c.assistant_id, c.salary_month, COALESCE(a.assistant_name, CAST(c.assistant_id AS TEXT)),"
        " COALESCE(c.assistant_level_name, ''), %1 FROM bd_assistant_salary_calc c"
        " LEFT JOIN bd_dim_assistant a ON a.tenant_id = c.tenant_id AND a.site_id = c.site_id"
        "  AND a.site_assistant_id = c.assistant_id"
        " WHERE c.tenant_id = :t AND c.site_id = :s AND c.salary_month = :month"
        " AND (:anytier = 1 OR COALESCE(c.assistant_level_name, '') = :tier) ORDER BY c.assistant_id"_s.arg(
            expr),
        {{u"salary_month"_s, FinanceDrill::tr("Salary month"), T::Text},
         {u"coach"_s, FinanceDrill::tr("Coach"), T::Text},
         {u"tier"_s, FinanceDrill::tr("Tier"), T::Text}},
        {},
        {{measure, measure == u"coaches"_s ? FinanceDrill::tr("Coaches") : FinanceDrill::tr("Amount"),
          T::Value, unit}},
        {{u":month"_s, month.toString(Qt::ISODate)},
         {u":anytier"_s, tier ? 0 : 1},
         {u":tier"_s, tier.value_or(QString())}},
        {},
        {},
        {},
        {},
        {},
        false,
        false,
        false,
        {},
        false,
        false,
        true};
}

Result<DrillQuery> kpi(const QString& key, const BoardPeriod& period) {
    if (key == u"K1"_s)
        return income(u"accrued"_s, {});
    if (key == u"K2"_s)
        return income(u"discount"_s, {});
    if (key == u"K3"_s)
        return serviceLog();
    if (key == u"K4"_s)
        return daily(FinanceCashInflow::countedTenders());
    if (key == u"K5"_s)
        return outflow({}, {});
    if (key == u"K6"_s)
        return net();
    if (key == u"K7"_s)
        return *prepaid(u"additions"_s, u"stored_value"_s, period);
    if (key == u"K8"_s)
        return *prepaid(u"closing"_s, u"stored_value"_s, period);
    return refusal(FinanceDrill::tr("There is no KPI \"%1\" (K1 to K8).").arg(key));
}

const QStringList kDerived{
    u"share"_s, u"change"_s, u"incentive_share"_s, u"gross_per_coach"_s, u"course_cost_ratio"_s, u"check"_s};

// Every code of a column the site's rows have, on any day, and the codes the section always lists.
QString knownCodes(const QString& column, const QString& table, const QStringList& listed) {
    QStringList fixed;
    for (const QString& code : listed)
        fixed << u"SELECT '%1'"_s.arg(QString(code).replace(u'\'', u"''"_s));
    return u"SELECT %1 FROM %2 WHERE tenant_id = :t AND site_id = :s"_s.arg(column, table) +
           (fixed.isEmpty() ? QString() : u" UNION "_s + fixed.join(u" UNION "_s));
}

// The outflow's rows: each group, and each group/item, of the expenses and the platforms' fees.
QString outflowRows() {
    const QString rows =
        u"SELECT expense_group AS g, expense_item AS i FROM bd_finance_expense_summary"
        " WHERE tenant_id = :t AND site_id = :s UNION SELECT 'platform', platform FROM bd_platform_settlement"
        " WHERE tenant_id = :t AND site_id = :s"_s;
    QString sql = u"SELECT g FROM (%1) UNION SELECT g || '/' || i FROM (%1)"_s.arg(rows);
    for (const QString& group : FinanceLabels::expenseGroupOrder())
        sql += u" UNION SELECT '%1'"_s.arg(group);
    return sql;
}

DrillQuery withKnownRows(DrillQuery q, const QString& row, const QString& known) {
    q.askedRow = row;
    q.knownRows = row.isEmpty() ? QString() : known; // the total is always a row
    return q;
}

// compared: the range the board compares the period with (BoardPeriod::comparedWith), which the previous
// period's cells and the trend's dashed line are read over.
Result<DrillQuery> resolve(const QString& section, const QString& column, const QString& row,
                           const BoardPeriod& period, const BoardPeriod& compared,
                           FinanceTrend::Granularity granularity) {
    const QString all = row == u"total"_s ? QString() : row;
    if (kDerived.contains(column))
        return refusal(
            FinanceDrill::tr("\"%1\" is computed from other cells; drill those instead.").arg(column));
    const bool previous = column == u"previous"_s;
    Result<DrillQuery> q =
        refusal(FinanceDrill::tr("There is no cell \"%1:%2:%3\".").arg(section, column, row));
    if (section == u"overview"_s && (column == u"value"_s || previous)) {
        q = kpi(row, previous ? compared : period);
    } else if (section == u"revenue"_s &&
               QStringList{u"gross"_s, u"discount"_s, u"accrued"_s}.contains(column)) {
        q = withKnownRows(
            income(column, all), all,
            knownCodes(u"category"_s, u"bd_finance_income_structure"_s, FinanceLabels::categoryOrder()));
    } else if (section == u"revenue"_s && previous) {
        q = withKnownRows(
            income(u"accrued"_s, all), all,
            knownCodes(u"category"_s, u"bd_finance_income_structure"_s, FinanceLabels::categoryOrder()));
    } else if (section == u"revenue_discounts"_s && column == u"amount"_s) {
        q = withKnownRows(discounts(all), all,
                          knownCodes(u"discount_type"_s, u"bd_finance_discount_detail"_s,
                                     FinanceLabels::discountTypeOrder()));
    } else if (section == u"inflow"_s && (column == u"amount"_s || previous)) {
        if (!all.isEmpty() && !FinanceCashInflow::countedTenders().contains(all))
            return refusal(FinanceDrill::tr("There is no inflow bucket \"%1\".").arg(row));
        q = daily(all.isEmpty() ? FinanceCashInflow::countedTenders() : QStringList{all});
    } else if (section == u"inflow_excluded"_s && column == u"amount"_s) {
        if (!all.isEmpty() && !FinanceCashInflow::excludedTenders().contains(all))
            return refusal(FinanceDrill::tr("There is no excluded tender \"%1\".").arg(row));
        q = daily(all.isEmpty() ? FinanceCashInflow::excludedTenders() : QStringList{all});
    } else if (section == u"outflow"_s && (column == u"amount"_s || previous)) {
        const qsizetype slash = all.indexOf(u'/');
        q = withKnownRows(slash < 0 ? outflow(all, {}) : outflow(all.left(slash), all.mid(slash + 1)), all,
                          outflowRows());
    } else if (section == u"prepaid"_s) {
        if (!all.isEmpty() && all != u"stored_value"_s && all != u"gift"_s)
            return refusal(FinanceDrill::tr("There is no card type \"%1\".").arg(row));
        if (const auto p = prepaid(column, all, period))
            q = *p;
    } else if ((section == u"trend"_s || section == u"trend_previous"_s) &&
               QStringList{u"k1"_s, u"k4"_s, u"k5"_s}.contains(column)) {
        // trend_previous: the same buckets over the previous period (the trend chart's dashed line).
        const BoardPeriod range = section == u"trend"_s ? period : compared;
        const QDate day = QDate::fromString(row, Qt::ISODate);
        std::optional<BoardPeriod> bucket = row == u"total"_s ? std::optional(range) : std::nullopt;
        for (const auto& [from, to] : FinanceTrend::buckets(range, granularity))
            if (day.isValid() && from == day)
                bucket = BoardPeriod::custom(from, to).value();
        if (!bucket)
            return refusal(FinanceDrill::tr("No bucket of the trend starts on \"%1\".").arg(row));
        q = kpi(column == u"k1"_s ? u"K1"_s : column == u"k4"_s ? u"K4"_s : u"K5"_s, *bucket);
        if (q)
            q.value().period = bucket;
        return q;
    } else if (section == u"coach"_s || section == u"coach_tiers"_s) {
        const qsizetype slash = row.indexOf(u'/');
        const QDate month = QDate::fromString(slash < 0 ? row : row.left(slash), Qt::ISODate);
        if (!month.isValid() || month.day() != 1 || (section == u"coach_tiers"_s) != (slash >= 0))
            return refusal(FinanceDrill::tr("\"%1\" is not a row of %2.").arg(row, section));
        if (column == u"service_income"_s && section == u"coach"_s) {
            q = serviceLog(BoardPeriod::custom(month, month.addMonths(1).addDays(-1)).value());
        } else if (const auto s =
                       salary(column, month, slash < 0 ? std::nullopt : std::optional(row.mid(slash + 1)))) {
            q = *s;
        }
    }
    if (q && previous)
        q.value().period = compared;
    return q;
}

} // namespace

QString FinanceDrill::syntax() {
    return tr("Drill a cell as kpi:K1 … kpi:K8, or SECTION:COLUMN:ROW with the row's id or \"total\" (e.g. "
              "revenue:accrued:table, outflow:amount:personnel/staff, prepaid:closing:stored_value, "
              "trend:k4:2026-05-11, coach:basic:2026-05-01).");
}

namespace {

// One page of the rows, by key, with the count and the sum of the whole set; nothing read beyond the page
// but the key of the row the page continues after.
struct KeyedPage {
    QList<QVariantList> rows;
    qint64 total = 0;
    std::optional<qint64> sum; // nothing when it does not fit (SQLite refuses to overflow)
};

Result<KeyedPage> readKeyedPage(const FinanceSource& source, const DrillQuery& q, const BoardPeriod& range,
                                const BoardPage& page, const QString& doing) {
    KeyedPage out;
    // One scan for the count and the exact sum: SQLite's integer SUM fails on overflow, so the value is added
    // as its high and low 32 bits (neither sum can overflow) and put back together here.
    const auto size = source.rows(
        !q.keyedTotals.isEmpty()
            ? q.keyedTotals
            : u"SELECT COUNT(*), COALESCE(SUM(%1 >> 32), 0), COALESCE(SUM(%1 & 4294967295), 0) "_s.arg(
                  q.keyedValue) +
                  q.keyedFrom,
        range, doing, q.extra);
    if (!size)
        return size.problem();
    const QVariantList& counted = size.value().value(0);
    out.total = counted.value(0).toLongLong();
    const __int128 sum =
        __int128(counted.value(1).toLongLong()) * (__int128(1) << 32) + counted.value(2).toLongLong();
    if (sum >= std::numeric_limits<qint64>::min() && sum <= std::numeric_limits<qint64>::max())
        out.sum = qint64(sum);
    const QString keys = q.keys.join(u", "_s);
    QString order = keys;
    if (q.firstKeyDescending) {
        QStringList parts{q.keys.first() + u" DESC"_s};
        for (qsizetype i = 1; i < q.keys.size(); ++i)
            parts << q.keys.at(i);
        order = parts.join(u", "_s);
    }
    QString after;
    QVariantMap extra = q.extra;
    if (const auto position = page.cursorPosition()) {
        extra.insert(u":pos"_s, *position);
        const auto cursor = source.rows(u"SELECT "_s + keys + u" "_s + q.keyedFrom + u" ORDER BY "_s + order +
                                            u" LIMIT 1 OFFSET :pos"_s,
                                        range, doing, extra);
        if (!cursor)
            return cursor.problem();
        if (cursor.value().isEmpty())
            return out; // past the last page
        QStringList names;
        for (qsizetype i = 0; i < q.keys.size(); ++i) {
            names << u":k%1"_s.arg(i);
            extra.insert(names.last(), cursor.value().first().value(i));
        }
        if (q.firstKeyDescending && q.keys.size() == 1) {
            after = u" AND %1 < %2"_s.arg(q.keys.first(), names.first());
        } else if (q.firstKeyDescending) {
            // (k0 descending, the rest ascending): a smaller k0, or the same k0 and the rest after.
            QStringList rest = q.keys.mid(1), restNames = names.mid(1);
            after = u" AND (%1 < %2 OR (%1 = %2 AND (%3) > (%4)))"_s.arg(
                q.keys.first(), names.first(), rest.join(u", "_s), restNames.join(u", "_s));
        } else {
            after = u" AND (%1) > (%2)"_s.arg(keys, names.join(u", "_s));
        }
    }
    extra.insert(u":limit"_s, page.limit());
    const auto rows =
        source.rows(q.sql + after + u" ORDER BY "_s + order + u" LIMIT :limit"_s, range, doing, extra);
    if (!rows)
        return rows.problem();
    out.rows = rows.value();
    return out;
}

// The drill ordered by one of its columns over the whole set (spec §2.4): "key", "key:asc" or "key:desc"
// (a figure's default is descending, a text's ascending). A drill read whole is wrapped in an outer ORDER BY
// on the column's position, the row id breaking ties; the keyed service-log rows are paged by (column, id).
Result<DrillQuery> sortedBy(DrillQuery q, const QString& sort) {
    const QString key = sort.section(u':', 0, 0).trimmed();
    const QString direction = sort.section(u':', 1).trimmed().toLower();
    const QList<BoardTableColumn> columns = q.textColumns + q.valueColumns;
    qsizetype index = -1;
    for (qsizetype i = 0; i < columns.size(); ++i)
        if (columns.at(i).key == key)
            index = i;
    const bool voidedKey = q.flagsVoided && key == u"voided"_s;
    if (index < 0 && !voidedKey) {
        QStringList keys;
        for (const BoardTableColumn& c : columns)
            keys << c.key;
        return Problem{u"bad_sort"_s,
                       FinanceDrill::tr("Cannot sort this drill-down by \"%1\"; choose one of: %2.")
                           .arg(key, keys.join(u", "_s)),
                       u"sort"_s};
    }
    if (!direction.isEmpty() && direction != u"asc"_s && direction != u"desc"_s)
        return Problem{u"bad_sort"_s,
                       FinanceDrill::tr("The sort direction \"%1\" is not asc or desc.").arg(direction),
                       u"sort"_s};
    const bool isValue = index >= 0 && columns.at(index).type == BoardTableColumn::Type::Value;
    const bool descending = direction.isEmpty() ? isValue : direction == u"desc"_s;
    q.sort = key + (descending ? u":desc"_s : u":asc"_s);
    // A coach's name is ordered as names are everywhere on the boards (NameCollation: pinyin), not by code
    // point.
    const QString collation =
        key == u"coach"_s ? u" COLLATE "_s + QLatin1String(NameCollation::kSqlName) : QString();
    if (q.keyedFrom.isEmpty()) {
        // Result columns: the row id, the text columns, the values.
        q.sql = u"SELECT * FROM (%1) ORDER BY %2%3 %4 NULLS LAST, 1 ASC"_s.arg(q.sql).arg(index + 2).arg(
            collation, descending ? u"DESC"_s : u"ASC"_s);
        return q;
    }
    // The service-log rows (the only keyed drill): each column's expression, never null.
    static const QMap<QString, QString> expressions{
        {u"biz_date"_s, u"l.biz_date"_s},
        {u"assistant_service_id"_s, u"l.assistant_service_id"_s},
        {u"coach"_s, u"COALESCE(a.assistant_name, CAST(l.site_assistant_id AS TEXT))"_s},
        {u"ledger_amount"_s, u"l.ledger_amount_fen"_s},
        {u"voided"_s, u"l.is_delete"_s}};
    const QString expression = expressions.value(key) + (expressions.contains(key) ? collation : QString());
    if (expression.isEmpty())
        return Problem{u"bad_sort"_s, FinanceDrill::tr("Cannot sort this drill-down by \"%1\".").arg(key),
                       u"sort"_s};
    if (key == u"coach"_s) // the coach's name is the dimension's: the pages' keys need its join
        q.keyedFrom = q.sql.mid(q.sql.indexOf(u"FROM bd_assistant_service_log"_s));
    q.keys = key == u"assistant_service_id"_s ? QStringList{expression}
                                              : QStringList{expression, u"l.assistant_service_id"_s};
    q.firstKeyDescending = descending;
    return q;
}

} // namespace

Result<BoardReport> FinanceDrill::run(const FinanceSource& source, const BoardPeriod& period,
                                      const QDate& loadedThrough, FinanceTrend::Granularity granularity,
                                      const QString& cell, const BoardPage& page, bool showVoided,
                                      const QString& sort) {
    const QStringList parts = cell.split(u':');
    Result<DrillQuery> query = refusal(tr("\"%1\" is not a cell.").arg(cell));
    if (parts.size() == 2 && parts[0] == u"kpi"_s)
        query = kpi(parts[1], period);
    else if (parts.size() >= 3)
        query = resolve(parts[0], parts[1], parts.mid(2).join(u':'), period,
                        period.comparedWith(loadedThrough), granularity);
    if (!query)
        return query.problem();
    if (showVoided && query.value().voidable)
        query = serviceLog(query.value().period, true);
    if (!sort.trimmed().isEmpty())
        query = sortedBy(query.value(), sort);
    if (!query)
        return query.problem();
    DrillQuery& q = query.value();
    const BoardPeriod range = q.period.value_or(period);
    if (!q.knownRows.isEmpty()) {
        const auto known = source.rows(q.knownRows, range, tr("Reading the rows %1 can drill").arg(parts[0]));
        if (!known)
            return known.problem();
        QStringList ids;
        for (const QVariantList& r : known.value())
            ids << r.value(0).toString();
        if (!ids.contains(q.askedRow)) {
            ids.sort();
            return refusal(tr("%1 has no row \"%2\"; the rows it can drill are %3 and total.")
                               .arg(parts[0], q.askedRow, ids.join(tr(", "))));
        }
    }
    if (q.onClosingDay)
        q.extra.insert(u":closing"_s,
                       FinancePrepaidMatrix::closingDay(range, loadedThrough).toString(Qt::ISODate));
    const QString doing = tr("Reading the rows of %1").arg(cell);
    // A range of which no day is loaded has no rows to list: the footer is no data, as the clicked cell is.
    std::optional<QString> notLoaded = q.monthlySalary ? std::nullopt : range.notLoaded(loadedThrough);
    // So is the period, or the range compared with it, when it ends before the site's data begin, as the
    // board shows them (a trend's bucket is a sum of days, zero before then, as in the board's trend).
    if (!notLoaded && !q.monthlySalary && (range == period || range == period.comparedWith(loadedThrough))) {
        const auto first = source.firstDay();
        if (!first)
            return first.problem();
        if (range.endsBefore(first.value()))
            notLoaded = BoardPeriod::beforeDataReason(first.value());
    }
    std::optional<KeyedPage> keyed;
    if (notLoaded) {
        keyed = KeyedPage{};
    } else if (!q.keyedFrom.isEmpty()) {
        auto r = readKeyedPage(source, q, range, page, doing);
        if (!r)
            return r.problem();
        keyed = std::move(r).value();
    }
    const auto rows =
        keyed ? Result<QList<QVariantList>>(keyed->rows) : source.rows(q.sql, range, doing, q.extra);
    if (!rows)
        return rows.problem();

    BoardReport report(u"finance"_s, tr("Finance board: rows of %1").arg(cell));
    report.parameters().insert(u"tenant"_s, source.tenant());
    report.parameters().insert(u"site"_s, source.site());
    report.parameters().insert(u"cell"_s, cell);
    report.parameters().insert(u"period"_s, range.rangeText());
    const QList<BoardTableColumn> voidedColumn{{u"voided"_s, tr("Voided"), T::Text}};
    BoardTable table(u"drill"_s, tr("Rows of %1 (%2)").arg(cell, range.rangeText()),
                     q.textColumns + q.valueColumns +
                         (q.flagsVoided ? voidedColumn : QList<BoardTableColumn>()));
    if (q.flagsVoided)
        table.addNote(tr("Voided rows are listed greyed out; they are never counted in the sums."));
    if (notLoaded)
        table.outcome().markNoData(*notLoaded);
    const qsizetype texts = q.textColumns.size();
    QList<ExactSum> sums(q.valueColumns.size());
    // Unkeyed drills are read whole (their footer adds up every row) and cut to the page here.
    const qint64 first = keyed || page.everyRow() ? 0 : (page.page() - 1) * page.pageSize();
    const qint64 last = keyed || page.everyRow() ? rows.value().size() : first + page.pageSize();
    qint64 position = -1;
    for (const QVariantList& r : rows.value()) {
        ++position;
        QList<BoardCell> cells;
        for (qsizetype i = 0; i < texts; ++i) {
            const QString text = r.value(i + 1).toString();
            const auto& label = i < q.labels.size() ? q.labels[i] : std::function<QString(const QString&)>();
            cells << BoardCell::ofText(label ? label(text) : text);
        }
        for (qsizetype v = 0; v < q.valueColumns.size(); ++v) {
            const qint64 n = r.value(1 + texts + v).toLongLong();
            sums[v].add(n);
            cells << BoardCell::ofValue(BoardValue::ofSum(n));
        }
        QJsonObject detail;
        if (q.flagsVoided) {
            const bool voided = r.value(1 + texts + q.valueColumns.size()).toLongLong() != 0;
            cells << BoardCell::ofText(voided ? tr("voided") : QString());
            if (voided)
                detail.insert(u"voided"_s, true);
        }
        if (position >= first && position < last)
            table.addRow({r.value(0), cells, detail});
    }
    QList<BoardCell> totals{BoardCell::ofText(tr("Total"))};
    for (qsizetype i = 1; i < texts; ++i)
        totals << BoardCell::ofText(QString());
    const auto tooLarge = [] { return BoardValue::unavailable(tr("too large to add up exactly")); };
    // The footer equals the clicked cell in its state too: "—" where the board shows no data.
    const std::optional<BoardValue> nothing =
        notLoaded ? std::optional(BoardValue::noData(*notLoaded))
        : q.monthlySalary && rows.value().isEmpty()
            ? std::optional(BoardValue::noData(FinanceCoachAnalysis::noSalaryRows()))
        : q.snapshot && rows.value().isEmpty() ? std::optional(BoardValue::noData())
                                               : std::nullopt;
    if (nothing)
        for (qsizetype i = 0; i < q.valueColumns.size(); ++i)
            totals << BoardCell::ofValue(*nothing);
    else if (keyed)
        totals << BoardCell::ofValue(keyed->sum ? BoardValue::ofSum(*keyed->sum) : tooLarge());
    else
        for (const ExactSum& s : sums)
            totals << BoardCell::ofValue(s.value() ? BoardValue::ofSum(*s.value()) : tooLarge());
    if (q.flagsVoided)
        totals << BoardCell::ofText(QString());
    table.setTotals({u"total"_s, totals});
    table.setPaging(keyed ? keyed->total : rows.value().size(), page.page(), page.pageSize());
    table.setSort(q.sort);
    report.addTable(table);
    return report;
}

} // namespace riskdesk
