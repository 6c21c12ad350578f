#pragma once

#include "BoardTable.h"
#include "FinanceSource.h"
#include "ReconciliationWarning.h"

namespace riskdesk {

// Section 2, 预收资产 (spec §6.3): the roll-forward of the stored-value and gift cards from
// v_dws_finance_recharge_summary. Opening is the closing balance of the day before the period, closing and
// active cards are read on its last day (snapshots: no row is no data), the movements are sums over the
// period. Each row must satisfy opening + additions − consumption − refunds + adjustments = closing to the
// fen; a row that does not is marked "does not reconcile" with the difference, and its figures stay visible.
class FinancePrepaidMatrix {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinancePrepaidMatrix)

public:
    struct Row {
        QString cardType;
        RollForward figures;
        std::optional<qint64> activeCards;
    };
    struct Figures {
        QList<Row> rows; // stored_value, then gift
        const Row* row(const QString& cardType) const;
    };

    static Result<Figures> read(const FinanceSource& source, const BoardPeriod& period);

    // Key "prepaid": one row per card type and the total, each with its reconciliation mark.
    static BoardTable table(const std::optional<Figures>& current, const QLocale& locale);
    // The roll-forward check of one row; nothing when it holds.
    static std::optional<ReconciliationWarning> check(const QString& subject, const RollForward& figures);
};

} // namespace riskdesk
