#include "CustomerDrill.h"

#include "BoardPage.h"
#include "CustomerEnrichments.h"
#include "FinanceLabels.h"
#include "store/SqlProblem.h"

#include <QSqlQuery>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using T = BoardTableColumn::Type;

enum class Source { Logs, Cards, Orders, Visits };

std::optional<Source> sourceOf(CustomerDimension dimension, const QString& column) {
    if (column == u"spend60d" &&
        (dimension == CustomerDimension::Spend60 || dimension == CustomerDimension::Potential ||
         dimension == CustomerDimension::Freq60))
        return Source::Logs;
    if ((column == u"storedValueBalance" || column == u"giftBalance") &&
        dimension == CustomerDimension::Balance)
        return Source::Cards;
    if ((column == u"rechargeAmount" || column == u"orderCount" || column == u"giftAmount") &&
        dimension == CustomerDimension::Recharge)
        return Source::Orders;
    if (column == u"visitsInPeriod" && dimension == CustomerDimension::Recent)
        return Source::Visits;
    return std::nullopt;
}

} // namespace

QStringList CustomerDrill::drillableColumns(CustomerDimension dimension) {
    QStringList keys;
    for (const QString& c : {u"spend60d"_s, u"storedValueBalance"_s, u"giftBalance"_s, u"rechargeAmount"_s,
                             u"orderCount"_s, u"giftAmount"_s, u"visitsInPeriod"_s})
        if (sourceOf(dimension, c))
            keys << c;
    return keys;
}

Result<BoardReport> CustomerDrill::compute(QSqlDatabase db, const CustomerQuery& query,
                                           const BoardRequest& request, const QDate& loadedThrough) {
    const CustomerDimension dimension = query.dimension();
    const QString cell = request.drill.trimmed();
    const qsizetype colon = cell.lastIndexOf(u':');
    const QString column = colon < 0 ? cell : cell.left(colon);
    const QString target = colon < 0 ? QString() : cell.mid(colon + 1);
    const auto source = sourceOf(dimension, column);
    const QStringList drillable = drillableColumns(dimension);
    if (!source)
        return Problem{
            u"bad_drill"_s,
            drillable.isEmpty()
                ? tr("The %1 tab has no cells to drill into (its figures are scores or snapshots).")
                      .arg(CustomerDimensions::key(dimension))
                : tr("Cannot drill into \"%1\" on the %2 tab; use <column>:<member id> or <column>:total "
                     "with a column of: %3.")
                      .arg(column, CustomerDimensions::key(dimension), drillable.join(u", "_s)),
            u"drill"_s};
    std::optional<qint64> member;
    if (target != u"total") {
        bool ok = false;
        const qint64 id = target.toLongLong(&ok);
        if (!ok || id < 0)
            return Problem{
                u"bad_drill"_s,
                tr("The drill-down cell must be <column>:<member id> or <column>:total, not \"%1\".")
                    .arg(cell),
                u"drill"_s};
        member = id;
    }
    // The rows are read whole (the footer adds up every one of them) and cut to the page asked for.
    const auto page = BoardPage::make(request.page, request.pageSize);
    if (!page)
        return page.problem();
    const qint64 first = page.value().everyRow() ? 0 : (page.value().page() - 1) * page.value().pageSize();
    const qint64 last =
        page.value().everyRow() ? std::numeric_limits<qint64>::max() : first + page.value().pageSize();

    const CustomerTimes& times = query.times();
    // Days of which none is loaded have no rows to list (nor members on the tab to look for): the footer is
    // no data, with the reason, as the clicked cell is. Service logs are read over the 60-day window (D6's
    // measure and the spend column of D2 and D7), orders and visits over the period.
    std::optional<QString> notLoaded;
    if (*source == Source::Logs)
        notLoaded = times.window.notLoaded(loadedThrough);
    else if (*source == Source::Orders || *source == Source::Visits)
        notLoaded = times.period.notLoaded(loadedThrough);
    // The member clicked must be on the tab, unless the tab lists no one (its own days not loaded): D2 and D7
    // still list their snapshot's members beside a spend column with no data.
    const std::optional<BoardPeriod> tabDays = CustomerDimensions::measuredRange(dimension, times);
    const bool tabListsNoOne = tabDays && tabDays->isUnloaded(loadedThrough);
    QSqlQuery q(db);
    if (member && !tabListsNoOne) {
        NamedSql present = query.boardCte(times);
        present.append(u"SELECT 1 FROM board WHERE member_id = ?"_s, {*member});
        if (!present.runIn(q))
            return sqlProblem(q, tr("Finding the member"));
        if (!q.next()) {
            if (rowsFailed(q))
                return sqlProblem(q, tr("Finding the member"));
            return Problem{u"bad_drill"_s,
                           tr("Member #%1 is not on the %2 tab with these filters.")
                               .arg(*member)
                               .arg(CustomerDimensions::title(dimension)),
                           u"drill"_s};
        }
    }

    // The rows' members: the one clicked, or every member of the tab (the same set the board counted).
    NamedSql sql = query.boardCte(times);
    const QString members = member ? u"r.tenant_member_id = %1"_s.arg(*member)
                                   : u"r.tenant_member_id IN (SELECT member_id FROM board)"_s;
    const QHash<QString, QVariant> values{{u"tenant"_s, query.tenant()},
                                          {u"site"_s, query.site()},
                                          {u"from"_s, times.period.from().toString(Qt::ISODate)},
                                          {u"to"_s, times.period.to().toString(Qt::ISODate)},
                                          {u"wfrom"_s, times.window.from().toString(Qt::ISODate)},
                                          {u"wto"_s, times.window.to().toString(Qt::ISODate)}};
    const QString memberName = u"COALESCE(NULLIF(m.member_name, ''), '')"_s;
    const QString memberJoin =
        u" LEFT JOIN bd_dim_member m ON m.tenant_id = r.tenant_id AND m.tenant_member_id = r.tenant_member_id"_s;
    QList<BoardTableColumn> columns;
    QString title;
    switch (*source) {
    case Source::Logs:
        title = tr("Service logs %1").arg(times.window.rangeText());
        columns = {{u"logId"_s, tr("Log"), T::Text},
                   {u"settledAt"_s, tr("Settled at"), T::Text},
                   {u"businessDay"_s, tr("Business day"), T::Text},
                   {u"member"_s, tr("Member"), T::Text},
                   {u"coach"_s, tr("Coach"), T::Text},
                   {u"skill"_s, tr("Skill"), T::Text},
                   {u"hours"_s, tr("Hours"), T::Value, ValueUnit::Seconds},
                   {u"spend60d"_s, tr("Amount"), T::Value, ValueUnit::Fen}};
        sql.append(NamedSql(
            u"SELECT r.assistant_service_id, r.create_time, r.biz_date, r.tenant_member_id, "_s + memberName +
                u", r.site_assistant_id, a.assistant_name, r.skill_name, r.income_seconds,"
                " r.ledger_amount_fen FROM bd_assistant_service_log r"_s +
                memberJoin +
                u" LEFT JOIN bd_dim_assistant a ON a.tenant_id = r.tenant_id AND a.site_id = r.site_id"
                " AND a.site_assistant_id = r.site_assistant_id"
                " WHERE r.tenant_id = :tenant AND r.site_id = :site AND r.is_delete = 0"
                " AND r.biz_date BETWEEN :wfrom AND :wto AND "_s +
                members + u" ORDER BY r.create_time, r.assistant_service_id"_s,
            values));
        break;
    case Source::Cards:
        title = tr("Card accounts (current values)");
        columns = {{u"accountId"_s, tr("Account"), T::Text},
                   {u"member"_s, tr("Member"), T::Text},
                   {u"cardType"_s, tr("Card type"), T::Text},
                   {u"status"_s, tr("Status"), T::Text},
                   {u"lastRechargeTime"_s, tr("Last recharge"), T::Text},
                   {column, column == u"giftBalance" ? tr("Gift balance") : tr("Stored-value balance"),
                    T::Value, ValueUnit::Fen}};
        sql.append(NamedSql(
            u"SELECT r.card_account_id, r.tenant_member_id, "_s + memberName +
                u", r.card_type, r.status, r.last_recharge_time, r.balance_fen"
                " FROM bd_dim_member_card_account r"_s +
                memberJoin +
                u" WHERE r.tenant_id = :tenant AND r.site_id = :site AND r.card_type = :type AND "_s +
                members + u" ORDER BY r.tenant_member_id, r.card_account_id"_s,
            [&] {
                auto v = values;
                v.insert(u"type"_s, column == u"giftBalance" ? u"gift"_s : u"stored_value"_s);
                return v;
            }()));
        break;
    case Source::Orders:
        title = tr("Valid recharge orders %1").arg(times.period.rangeText());
        columns = {{u"orderId"_s, tr("Order"), T::Text},
                   {u"member"_s, tr("Member"), T::Text},
                   {u"paidAt"_s, tr("Paid at"), T::Text},
                   {u"businessDay"_s, tr("Business day"), T::Text},
                   {u"channel"_s, tr("Channel"), T::Text},
                   {u"rechargeAmount"_s, tr("Recharge amount"), T::Value, ValueUnit::Fen},
                   {u"giftAmount"_s, tr("Gift amount"), T::Value, ValueUnit::Fen},
                   {u"orderCount"_s, tr("Orders"), T::Value, ValueUnit::Count}};
        sql.append(
            NamedSql(u"SELECT r.recharge_order_id, r.tenant_member_id, "_s + memberName +
                         u", r.pay_time, r.biz_date, r.pay_channel, r.pay_amount_fen, r.gift_amount_fen"
                         " FROM bd_recharge_order r"_s +
                         memberJoin +
                         u" WHERE r.tenant_id = :tenant AND r.site_id = :site AND r.is_delete = 0"
                         " AND r.refund_amount_fen = 0 AND r.biz_date BETWEEN :from AND :to AND "_s +
                         members + u" ORDER BY r.pay_time, r.recharge_order_id"_s,
                     values));
        break;
    case Source::Visits:
        title = tr("Visits %1").arg(times.period.rangeText());
        columns = {{u"member"_s, tr("Member"), T::Text},
                   {u"businessDay"_s, tr("Business day"), T::Text},
                   {u"firstIn"_s, tr("Arrived"), T::Text},
                   {u"lastOut"_s, tr("Left"), T::Text},
                   {u"visitsInPeriod"_s, tr("Visits"), T::Value, ValueUnit::Count}};
        sql.append(NamedSql(
            u"SELECT r.tenant_member_id, "_s + memberName +
                u", r.biz_date, r.first_in_time, r.last_out_time FROM bd_member_visit_detail r"_s +
                memberJoin +
                u" WHERE r.tenant_id = :tenant AND r.site_id = :site AND r.biz_date BETWEEN :from AND"
                " :to AND r.biz_date <= :asof AND "_s +
                members + u" ORDER BY r.biz_date, r.tenant_member_id"_s,
            [&] {
                auto v = values;
                v.insert(u"asof"_s, times.asOf.toString(Qt::ISODate));
                return v;
            }()));
        break;
    }

    BoardTable table(u"drill"_s, title, columns);
    if (notLoaded)
        table.outcome().markNoData(*notLoaded);
    else if (!sql.runIn(q))
        return sqlProblem(q, tr("Listing the rows of %1").arg(cell));
    const auto name = [](const QVariant& id, const QVariant& n) {
        return n.toString().isEmpty() ? CustomerEnrichments::memberLabel(id.toLongLong()) : n.toString();
    };
    QList<QList<BoardValue>> sums(columns.size());
    qint64 count = 0;
    while (!notLoaded && q.next()) {
        QList<BoardCell> cells;
        QVariant id;
        switch (*source) {
        case Source::Logs: {
            const QString coach = q.value(6).toString().isEmpty()
                                      ? CustomerEnrichments::coachLabel(q.value(5).toLongLong())
                                      : q.value(6).toString();
            id = q.value(0);
            cells = {BoardCell::ofText(q.value(0).toString()),
                     BoardCell::ofText(query.clock().timeText(q.value(1))),
                     BoardCell::ofText(q.value(2).toString()),
                     BoardCell::ofText(name(q.value(3), q.value(4))),
                     BoardCell::ofText(coach),
                     BoardCell::ofText(q.value(7).toString()),
                     BoardCell::ofValue(BoardValue::ofSum(q.value(8).toLongLong())),
                     BoardCell::ofValue(BoardValue::ofSum(q.value(9).toLongLong()))};
            break;
        }
        case Source::Cards:
            id = q.value(0);
            cells = {BoardCell::ofText(q.value(0).toString()),
                     BoardCell::ofText(name(q.value(1), q.value(2))),
                     BoardCell::ofText(q.value(3).toString()),
                     BoardCell::ofText(q.value(4).toString()),
                     BoardCell::ofText(query.clock().timeText(q.value(5))),
                     BoardCell::ofValue(BoardValue::ofSum(q.value(6).toLongLong()))};
            break;
        case Source::Orders:
            id = q.value(0);
            cells = {BoardCell::ofText(q.value(0).toString()),
                     BoardCell::ofText(name(q.value(1), q.value(2))),
                     BoardCell::ofText(query.clock().timeText(q.value(3))),
                     BoardCell::ofText(q.value(4).toString()),
                     BoardCell::ofText(FinanceLabels::tender(q.value(5).toString())),
                     BoardCell::ofValue(BoardValue::ofSum(q.value(6).toLongLong())),
                     BoardCell::ofValue(BoardValue::ofSum(q.value(7).toLongLong())),
                     BoardCell::ofValue(BoardValue::ofSum(1))};
            break;
        case Source::Visits:
            id = q.value(0).toString() + u'@' + q.value(2).toString();
            cells = {BoardCell::ofText(name(q.value(0), q.value(1))),
                     BoardCell::ofText(q.value(2).toString()),
                     BoardCell::ofText(query.clock().timeText(q.value(3))),
                     BoardCell::ofText(query.clock().timeText(q.value(4))),
                     BoardCell::ofValue(BoardValue::ofSum(1))};
            break;
        }
        for (int i = 0; i < columns.size(); ++i)
            if (columns[i].type == T::Value)
                sums[i] << cells[i].value;
        if (count >= first && count < last)
            table.addRow({id, cells});
        ++count;
    }
    if (!notLoaded && rowsFailed(q))
        return sqlProblem(q, tr("Listing the rows of %1").arg(cell));
    // The footer: event sums over the listed rows (zero when there are none), exact or unavailable; no data
    // for a period of which no day is loaded.
    QList<BoardCell> totals;
    for (int i = 0; i < columns.size(); ++i) {
        if (columns[i].type != T::Value) {
            totals << BoardCell::ofText(QString());
            continue;
        }
        const BoardValue sum = BoardValue::total(sums[i]);
        totals << BoardCell::ofValue(
            BoardValue::unless(notLoaded, sum.state() == CellState::NoData ? BoardValue::ofSum(0) : sum));
    }
    table.setTotals({QVariant(), totals});
    table.setPaging(count, page.value().page(), page.value().pageSize());
    // The note names the clicked column as the tab labels it.
    QString label = column;
    for (const CustomerColumn& c : CustomerDimensions::columns(dimension))
        if (c.key == column)
            label = c.label;
    table.addNote(member ? tr("The rows of %1 for %2.").arg(label, CustomerEnrichments::memberLabel(*member))
                         : tr("The rows of %1 for every member of the tab.").arg(label));

    BoardReport report(u"customer"_s, tr("Customer board: drill-down"));
    report.parameters().insert(u"tenant"_s, query.tenant());
    report.parameters().insert(u"site"_s, query.site());
    report.parameters().insert(u"dimension"_s, CustomerDimensions::key(dimension));
    report.parameters().insert(u"asOf"_s, times.asOf.toString(Qt::ISODate));
    report.parameters().insert(u"drill"_s, cell);
    report.addTable(table);
    return report;
}

} // namespace riskdesk
