#pragma once

#include "BoardTable.h"
#include "FinanceSource.h"

namespace riskdesk {

// Section 3, 应计收入结构 (spec §6.4): gross, discount and accrued revenue (gross − discount) per category of
// v_dws_finance_income_structure, shares of accrued by largest remainder, and the discount breakdown of
// v_dws_finance_discount_detail by type. Its totals are K1 (accrued) and K2 (discount). Unknown categories
// and discount types keep their own name.
class FinanceRevenueStructure {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinanceRevenueStructure)

public:
    struct Category {
        QString code;
        qint64 gross = 0;
        qint64 discount = 0;
        qint64 accrued() const { return gross - discount; }
    };
    struct Figures {
        QList<Category> categories; // in display order
        qint64 gross = 0;
        qint64 discount = 0;
        qint64 accrued() const { return gross - discount; }
        qint64 accruedOf(const QString& code) const;
    };
    struct Discount {
        QString type;
        qint64 amount = 0;
    };

    // The core query: every category with revenue in the period.
    static Result<Figures> read(const FinanceSource& source, const BoardPeriod& period);
    // The enrichment: the discount breakdown by type.
    static Result<QList<Discount>> readDiscounts(const FinanceSource& source, const BoardPeriod& period);

    // The category table (key "revenue"). previous: the previous period's figures, when read.
    static BoardTable table(const std::optional<Figures>& current, const std::optional<Figures>& previous);
    // The discount breakdown table (key "revenue_discounts").
    static BoardTable discountTable(const std::optional<QList<Discount>>& discounts);
};

} // namespace riskdesk
