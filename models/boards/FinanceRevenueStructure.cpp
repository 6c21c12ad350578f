#include "FinanceRevenueStructure.h"

#include "ExactSum.h"
#include "FinanceCells.h"
#include "FinanceLabels.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
using T = BoardTableColumn::Type;
} // namespace

qint64 FinanceRevenueStructure::Figures::accruedOf(const QString& code) const {
    for (const Category& c : categories)
        if (c.code == code)
            return c.accrued();
    return 0; // no revenue of that category in the period
}

Result<FinanceRevenueStructure::Figures> FinanceRevenueStructure::read(const FinanceSource& source,
                                                                       const BoardPeriod& period) {
    const auto rows = source.rows(
        u"SELECT category, COALESCE(SUM(gross_amount_fen), 0), COALESCE(SUM(discount_amount_fen), 0)"
        " FROM bd_finance_income_structure WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from "
        "AND :to"
        " GROUP BY category"
        " ORDER BY CASE category WHEN 'table' THEN 0 WHEN 'coach' THEN 1 WHEN 'goods' THEN 2 WHEN 'other' "
        "THEN 3"
        " ELSE 4 END, category"_s,
        period, tr("Reading the revenue structure"));
    if (!rows)
        return rows.problem();
    Figures f;
    ExactSum gross, discount;
    for (const QVariantList& r : rows.value()) {
        f.categories.append({r[0].toString(), r[1].toLongLong(), r[2].toLongLong()});
        gross.add(r[1].toLongLong());
        discount.add(r[2].toLongLong());
    }
    if (!gross.value() || !discount.value())
        return Problem{u"overflow"_s, tr("The revenue of the period is too large to add up exactly."), {}};
    f.gross = *gross.value();
    f.discount = *discount.value();
    return f;
}

Result<QList<FinanceRevenueStructure::Discount>>
FinanceRevenueStructure::readDiscounts(const FinanceSource& source, const BoardPeriod& period) {
    const auto rows = source.rows(
        u"SELECT discount_type, COALESCE(SUM(amount_fen), 0) FROM bd_finance_discount_detail"
        " WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to GROUP BY discount_type"
        " ORDER BY CASE discount_type WHEN 'member' THEN 0 WHEN 'voucher' THEN 1 WHEN 'comp' THEN 2"
        " WHEN 'rounding' THEN 3 WHEN 'other' THEN 4 ELSE 5 END, discount_type"_s,
        period, tr("Reading the discount breakdown"));
    if (!rows)
        return rows.problem();
    QList<Discount> out;
    for (const QVariantList& r : rows.value())
        out.append({r[0].toString(), r[1].toLongLong()});
    return out;
}

BoardTable FinanceRevenueStructure::table(const std::optional<Figures>& current,
                                          const std::optional<Figures>& previous) {
    BoardTable t(u"revenue"_s, tr("Accrued revenue structure"),
                 {{u"category"_s, tr("Category"), T::Text},
                  {u"gross"_s, tr("Gross"), T::Value, ValueUnit::Fen},
                  {u"discount"_s, tr("Discount"), T::Value, ValueUnit::Fen},
                  {u"accrued"_s, tr("Accrued"), T::Value, ValueUnit::Fen},
                  {u"share"_s, tr("Share"), T::Value, ValueUnit::Tenths},
                  {u"previous"_s, tr("Previous accrued"), T::Value, ValueUnit::Fen},
                  {u"change"_s, tr("Change"), T::Change}});
    if (!current)
        return t;
    QList<qint64> accrued;
    for (const Category& c : current->categories)
        accrued << c.accrued();
    const QList<BoardValue> shares = FinanceCells::shares(accrued);
    for (qsizetype i = 0; i < current->categories.size(); ++i) {
        const Category& c = current->categories[i];
        const BoardValue prev =
            previous ? BoardValue::ofSum(previous->accruedOf(c.code)) : BoardValue::noData();
        const BoardValue cur = BoardValue::ofSum(c.accrued());
        t.addRow(
            {c.code,
             {BoardCell::ofText(FinanceLabels::category(c.code)),
              BoardCell::ofValue(BoardValue::ofSum(c.gross)),
              BoardCell::ofValue(BoardValue::ofSum(c.discount)), BoardCell::ofValue(cur),
              BoardCell::ofValue(shares[i]), BoardCell::ofValue(prev), FinanceCells::change(cur, prev)}});
    }
    const BoardValue total = BoardValue::ofSum(current->accrued());
    const BoardValue prevTotal = previous ? BoardValue::ofSum(previous->accrued()) : BoardValue::noData();
    t.setTotals(
        {u"total"_s,
         {BoardCell::ofText(tr("Total")), BoardCell::ofValue(BoardValue::ofSum(current->gross)),
          BoardCell::ofValue(BoardValue::ofSum(current->discount)), BoardCell::ofValue(total),
          BoardCell::ofValue(current->categories.isEmpty() ? BoardValue::noData() : BoardValue::ofSum(1000)),
          BoardCell::ofValue(prevTotal), FinanceCells::change(total, prevTotal)}});
    t.setPaging(t.rows().size(), 1, 0);
    return t;
}

BoardTable FinanceRevenueStructure::discountTable(const std::optional<QList<Discount>>& discounts) {
    BoardTable t(u"revenue_discounts"_s, tr("Discounts by type"),
                 {{u"discount_type"_s, tr("Discount type"), T::Text},
                  {u"amount"_s, tr("Amount"), T::Value, ValueUnit::Fen}});
    if (!discounts)
        return t;
    ExactSum total;
    for (const Discount& d : *discounts) {
        t.addRow({d.type,
                  {BoardCell::ofText(FinanceLabels::discountType(d.type)),
                   BoardCell::ofValue(BoardValue::ofSum(d.amount))}});
        total.add(d.amount);
    }
    t.setTotals(
        {u"total"_s,
         {BoardCell::ofText(tr("Total")),
          BoardCell::ofValue(total.value() ? BoardValue::ofSum(*total.value())
                                           : BoardValue::unavailable(tr("too large to add up exactly")))}});
    t.setPaging(t.rows().size(), 1, 0);
    return t;
}

} // namespace riskdesk
