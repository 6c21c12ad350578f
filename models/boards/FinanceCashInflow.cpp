#include "FinanceCashInflow.h"

#include "FinanceCells.h"
#include "FinanceLabels.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
using T = BoardTableColumn::Type;
} // namespace

const QStringList& FinanceCashInflow::countedTenders() {
    static const QStringList t{u"wechat"_s, u"alipay"_s, u"cash"_s, u"bank"_s, u"recharge"_s, u"platform"_s};
    return t;
}

const QStringList& FinanceCashInflow::excludedTenders() {
    static const QStringList t{u"stored_value"_s, u"gift"_s, u"voucher"_s};
    return t;
}

QString FinanceCashInflow::columnOf(const QString& tender) {
    if (tender == u"platform"_s)
        return u"cash_platform_gross_fen"_s;
    if (countedTenders().contains(tender))
        return u"cash_"_s + tender + u"_fen"_s;
    if (excludedTenders().contains(tender))
        return u"tender_"_s + tender + u"_fen"_s;
    return {};
}

qint64 FinanceCashInflow::Figures::total() const {
    qint64 sum = 0;
    for (const auto& [tender, amount] : counted)
        sum += amount; // each is a SQLite integer sum; six of them cannot overflow in practice, checked in
                       // read()
    return sum;
}

qint64 FinanceCashInflow::Figures::amountOf(const QString& tender) const {
    for (const auto& [code, amount] : counted + excluded)
        if (code == tender)
            return amount;
    return 0;
}

qint64 FinanceCashInflow::Figures::consumptionTenders() const {
    qint64 sum = 0;
    for (const QString& t :
         {u"wechat"_s, u"alipay"_s, u"cash"_s, u"bank"_s, u"stored_value"_s, u"gift"_s, u"voucher"_s})
        sum += amountOf(t);
    return sum;
}

Result<FinanceCashInflow::Figures> FinanceCashInflow::read(const FinanceSource& source,
                                                           const BoardPeriod& period) {
    QStringList sums;
    const QStringList all = countedTenders() + excludedTenders();
    for (const QString& t : all)
        sums << u"COALESCE(SUM(%1), 0)"_s.arg(columnOf(t));
    // The total as SQL computes it too: SQLite refuses an integer overflow instead of wrapping.
    sums
        << u"COALESCE(SUM(cash_wechat_fen + cash_alipay_fen + cash_cash_fen + cash_bank_fen + "
           u"cash_recharge_fen"
           " + cash_platform_gross_fen + tender_stored_value_fen + tender_gift_fen + tender_voucher_fen), 0)"_s;
    const auto rows =
        source.rows(u"SELECT %1 FROM bd_finance_daily_summary WHERE tenant_id = :t AND site_id = :s"
                    " AND biz_date BETWEEN :from AND :to"_s.arg(sums.join(u", "_s)),
                    period, tr("Reading the cash inflow"));
    if (!rows)
        return rows.problem();
    Figures f;
    const QVariantList r = rows.value().value(0);
    for (qsizetype i = 0; i < all.size(); ++i)
        (i < countedTenders().size() ? f.counted : f.excluded).append({all[i], r.value(i).toLongLong()});
    return f;
}

BoardTable FinanceCashInflow::table(const std::optional<Figures>& current,
                                    const std::optional<Figures>& previous) {
    BoardTable t(u"inflow"_s, tr("Cash inflow"),
                 {{u"tender"_s, tr("Bucket"), T::Text},
                  {u"amount"_s, tr("Amount"), T::Value, ValueUnit::Fen},
                  {u"share"_s, tr("Share"), T::Value, ValueUnit::Tenths},
                  {u"previous"_s, tr("Previous period"), T::Value, ValueUnit::Fen},
                  {u"change"_s, tr("Change"), T::Change}});
    if (!current)
        return t;
    QList<qint64> parts;
    for (const auto& [tender, amount] : current->counted)
        parts << amount;
    const QList<BoardValue> shares = FinanceCells::shares(parts);
    for (qsizetype i = 0; i < current->counted.size(); ++i) {
        const auto& [tender, amount] = current->counted[i];
        const BoardValue cur = BoardValue::ofSum(amount);
        const BoardValue prev =
            previous ? BoardValue::ofSum(previous->amountOf(tender)) : BoardValue::noData();
        t.addRow(
            {tender,
             {BoardCell::ofText(FinanceLabels::tender(tender)), BoardCell::ofValue(cur),
              BoardCell::ofValue(shares[i]), BoardCell::ofValue(prev), FinanceCells::change(cur, prev)}});
    }
    const BoardValue total = BoardValue::ofSum(current->total());
    const BoardValue prevTotal = previous ? BoardValue::ofSum(previous->total()) : BoardValue::noData();
    t.setTotals({u"total"_s,
                 {BoardCell::ofText(tr("Total")), BoardCell::ofValue(total),
                  BoardCell::ofValue(current->total() > 0 ? BoardValue::ofSum(1000) : BoardValue::noData()),
                  BoardCell::ofValue(prevTotal), FinanceCells::change(total, prevTotal)}});
    t.setPaging(t.rows().size(), 1, 0);
    return t;
}

BoardTable FinanceCashInflow::excludedTable(const std::optional<Figures>& current) {
    BoardTable t(u"inflow_excluded"_s, tr("Tenders not counted as cash inflow (rule 7)"),
                 {{u"tender"_s, tr("Tender"), T::Text},
                  {u"amount"_s, tr("Amount"), T::Value, ValueUnit::Fen},
                  {u"reason"_s, tr("Why it is excluded"), T::Text}});
    if (!current)
        return t;
    qint64 sum = 0;
    for (const auto& [tender, amount] : current->excluded) {
        t.addRow(
            {tender,
             {BoardCell::ofText(FinanceLabels::tender(tender)), BoardCell::ofValue(BoardValue::ofSum(amount)),
              BoardCell::ofText(FinanceLabels::exclusionReason(tender))}});
        sum += amount;
    }
    t.setTotals({u"total"_s,
                 {BoardCell::ofText(tr("Total")), BoardCell::ofValue(BoardValue::ofSum(sum)),
                  BoardCell::ofText(QString())}});
    t.setPaging(t.rows().size(), 1, 0);
    return t;
}

} // namespace riskdesk
