#pragma once

#include "BoardTable.h"
#include "FinanceSource.h"
#include "ReconciliationWarning.h"

namespace riskdesk {

// Section 2, 预收资产 (spec §6.3): the roll-forward of the stored-value and gift cards from
// v_dws_finance_recharge_summary. Opening is the closing balance of the day before the period, closing and
// active cards are read on its closing day: its last day, or the last loaded day when the period runs past
// the data (snapshots: no row is no data); the movements are sums up to that day, so the row rolls forward.
// Each row must satisfy opening + additions − consumption − refunds + adjustments = closing to the fen; a row
// that does not is marked "does not reconcile" with the difference, and its figures stay visible.
class FinancePrepaidMatrix {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinancePrepaidMatrix)

public:
    struct Row {
        QString cardType;
        RollForward figures;
        std::optional<qint64> activeCards;
    };
    struct Figures {
        QList<Row> rows;  // stored_value, then gift
        QDate openingDay; // the day whose closing balances open the period
        const Row* row(const QString& cardType) const;
    };

    // loadedThrough: the last day the data are loaded through (invalid when unknown).
    static Result<Figures> read(const FinanceSource& source, const BoardPeriod& period,
                                const QDate& loadedThrough);
    // The day the closing balance is read on: the period's last day, or the last loaded day before it.
    static QDate closingDay(const BoardPeriod& period, const QDate& loadedThrough);

    // Key "prepaid": one row per card type and the total, each with its reconciliation mark.
    static BoardTable table(const std::optional<Figures>& current, const QLocale& locale);
    // The roll-forward check of one row; nothing when it holds. openingDay: the day the opening balance is
    // read on (named when it is missing), or invalid. lackingOpening: for the total, the card types whose
    // opening balance is missing when only some lack it (the total's is missing through theirs).
    static std::optional<ReconciliationWarning> check(const QString& subject, const RollForward& figures,
                                                      const QDate& openingDay = {},
                                                      const QStringList& lackingOpening = {});
};

} // namespace riskdesk
