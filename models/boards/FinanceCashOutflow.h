#pragma once

#include "BoardTable.h"
#include "FinanceSource.h"

namespace riskdesk {

// Section 5, 现金流出 (spec §6.6): four groups (personnel, operating, purchases from
// v_dws_finance_expense_summary; platform fees from platform_settlement), each with its items, amounts,
// shares of K5 and change. Its total is K5. The platform's gross settlement is inflow (Section 4) and its fee
// is outflow here, so gross − fee = net received (AC-B3-08). Unknown groups and items keep their own name.
class FinanceCashOutflow {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinanceCashOutflow)

public:
    struct Item {
        QString group;
        QString item;
        qint64 amount = 0;
    };
    struct Figures {
        QList<Item> items; // by group in display order, then item; platform fees under group "platform"
        qint64 platformGross = 0;
        qint64 platformFee = 0;
        qint64 platformNet = 0;
        qint64 total() const;
        qint64 groupTotal(const QString& group) const;
        qint64 itemAmount(const QString& group, const QString& item) const;
        // The groups to show: the four known ones always, then any other group with items.
        QStringList groups() const;
    };

    static Result<Figures> read(const FinanceSource& source, const BoardPeriod& period);

    // Key "outflow": each group row (id "personnel") followed by its item rows (id "personnel/staff").
    static BoardTable table(const std::optional<Figures>& current, const std::optional<Figures>& previous);
};

} // namespace riskdesk
