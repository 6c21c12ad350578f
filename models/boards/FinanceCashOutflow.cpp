#include "FinanceCashOutflow.h"

#include "FinanceCells.h"
#include "FinanceLabels.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
using T = BoardTableColumn::Type;
} // namespace

qint64 FinanceCashOutflow::Figures::total() const {
    qint64 sum = 0;
    for (const Item& i : items)
        sum += i.amount;
    return sum;
}

qint64 FinanceCashOutflow::Figures::groupTotal(const QString& group) const {
    qint64 sum = 0;
    for (const Item& i : items)
        if (i.group == group)
            sum += i.amount;
    return sum;
}

qint64 FinanceCashOutflow::Figures::itemAmount(const QString& group, const QString& item) const {
    for (const Item& i : items)
        if (i.group == group && i.item == item)
            return i.amount;
    return 0;
}

QStringList FinanceCashOutflow::Figures::groups() const {
    QStringList out = FinanceLabels::expenseGroupOrder();
    for (const Item& i : items)
        if (!out.contains(i.group))
            out << i.group;
    return out;
}

Result<FinanceCashOutflow::Figures> FinanceCashOutflow::read(const FinanceSource& source,
                                                             const BoardPeriod& period) {
    // Expense items and platform fees in one list; the SQL total refuses an overflow instead of wrapping.
    const auto rows = source.rows(
        u"WITH items(expense_group, expense_item, amount_fen) AS ("
        "   SELECT expense_group, expense_item, amount_fen FROM bd_finance_expense_summary"
        "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to"
        "   UNION ALL SELECT 'platform', platform, fee_fen FROM bd_platform_settlement"
        "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to)"
        " SELECT expense_group, expense_item, SUM(amount_fen), SUM(SUM(amount_fen)) OVER () FROM items"
        " GROUP BY expense_group, expense_item"
        " ORDER BY CASE expense_group WHEN 'personnel' THEN 0 WHEN 'operating' THEN 1 WHEN 'purchases' THEN 2"
        " WHEN 'platform' THEN 3 ELSE 4 END, expense_group, expense_item"_s,
        period, tr("Reading the cash outflow"));
    if (!rows)
        return rows.problem();
    Figures f;
    for (const QVariantList& r : rows.value())
        f.items.append({r[0].toString(), r[1].toString(), r[2].toLongLong()});
    const auto platform = source.rows(
        u"SELECT COALESCE(SUM(gross_settled_fen), 0), COALESCE(SUM(fee_fen), 0), "
        u"COALESCE(SUM(net_received_fen), 0)"
        " FROM bd_platform_settlement WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to"_s,
        period, tr("Reading the platform settlements"));
    if (!platform)
        return platform.problem();
    const QVariantList p = platform.value().value(0);
    f.platformGross = p.value(0).toLongLong();
    f.platformFee = p.value(1).toLongLong();
    f.platformNet = p.value(2).toLongLong();
    return f;
}

BoardTable FinanceCashOutflow::table(const std::optional<Figures>& current,
                                     const std::optional<Figures>& previous) {
    BoardTable t(u"outflow"_s, tr("Cash outflow"),
                 {{u"group"_s, tr("Group"), T::Text},
                  {u"item"_s, tr("Item"), T::Text},
                  {u"amount"_s, tr("Amount"), T::Value, ValueUnit::Fen},
                  {u"share"_s, tr("Share of outflow"), T::Value, ValueUnit::Tenths},
                  {u"previous"_s, tr("Previous period"), T::Value, ValueUnit::Fen},
                  {u"change"_s, tr("Change"), T::Change}});
    if (!current)
        return t;
    const QStringList groups = current->groups();
    QList<qint64> groupParts, itemParts;
    for (const QString& g : groups)
        groupParts << current->groupTotal(g);
    for (const Item& i : current->items)
        itemParts << i.amount;
    const QList<BoardValue> groupShares = FinanceCells::shares(groupParts);
    const QList<BoardValue> itemShares =
        FinanceCells::sharesWithinGroups(groupParts, itemParts, [&](qsizetype i) {
            return qsizetype(groups.indexOf(current->items[i].group));
        });
    const auto previousOf = [&](auto amount) {
        return previous ? BoardValue::ofSum(amount(*previous)) : BoardValue::noData();
    };
    for (qsizetype g = 0; g < groups.size(); ++g) {
        const QString& group = groups[g];
        const BoardValue cur = BoardValue::ofSum(groupParts[g]);
        const BoardValue prev = previousOf([&](const Figures& f) { return f.groupTotal(group); });
        t.addRow({group,
                  {BoardCell::ofText(FinanceLabels::expenseGroup(group)), BoardCell::ofText(QString()),
                   BoardCell::ofValue(cur), BoardCell::ofValue(groupShares[g]), BoardCell::ofValue(prev),
                   FinanceCells::change(cur, prev)}});
        for (qsizetype i = 0; i < current->items.size(); ++i) {
            const Item& item = current->items[i];
            if (item.group != group)
                continue;
            const BoardValue itemCur = BoardValue::ofSum(item.amount);
            const BoardValue itemPrev =
                previousOf([&](const Figures& f) { return f.itemAmount(group, item.item); });
            t.addRow({group + u'/' + item.item,
                      {BoardCell::ofText(FinanceLabels::expenseGroup(group)),
                       BoardCell::ofText(FinanceLabels::expenseItem(item.item)), BoardCell::ofValue(itemCur),
                       BoardCell::ofValue(itemShares[i]), BoardCell::ofValue(itemPrev),
                       FinanceCells::change(itemCur, itemPrev)}});
        }
    }
    const BoardValue total = BoardValue::ofSum(current->total());
    const BoardValue prevTotal = previousOf([](const Figures& f) { return f.total(); });
    t.setTotals({u"total"_s,
                 {BoardCell::ofText(tr("Total")), BoardCell::ofText(QString()), BoardCell::ofValue(total),
                  BoardCell::ofValue(current->total() > 0 ? BoardValue::ofSum(1000) : BoardValue::noData()),
                  BoardCell::ofValue(prevTotal), FinanceCells::change(total, prevTotal)}});
    t.setPaging(t.rows().size(), 1, 0);
    return t;
}

} // namespace riskdesk
