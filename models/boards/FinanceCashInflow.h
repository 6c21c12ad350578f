#pragma once

#include "BoardTable.h"
#include "FinanceSource.h"

namespace riskdesk {

// Section 4, 现金流入 (spec §6.5), under rule 7: every payment falls into exactly one bucket, and only cash
// entering the business in the period counts (WeChat, Alipay, cash, bank card, stored-value recharge at
// recharge time, platform settlements gross). Payments from stored-value cards, gift cards and group-buy
// vouchers are listed apart with the reason they are excluded. Its total is K4.
class FinanceCashInflow {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinanceCashInflow)

public:
    struct Figures {
        QList<std::pair<QString, qint64>> counted;  // wechat, alipay, cash, bank, recharge, platform
        QList<std::pair<QString, qint64>> excluded; // stored_value, gift, voucher
        qint64 total() const;
        qint64 amountOf(const QString& tender) const;
        // Σ of every consumption tender, counted or not (recharge and platform settlements are not
        // consumption): equals K1 when all consumption of the period was paid in the period.
        qint64 consumptionTenders() const;
    };

    static const QStringList& countedTenders();
    static const QStringList& excludedTenders();
    // The daily-summary column of a tender ("cash_wechat_fen", "tender_gift_fen").
    static QString columnOf(const QString& tender);

    static Result<Figures> read(const FinanceSource& source, const BoardPeriod& period);

    // Key "inflow": one row per cash bucket with amount, share, previous amount and change.
    static BoardTable table(const std::optional<Figures>& current, const std::optional<Figures>& previous);
    // Key "inflow_excluded": the tenders rule 7 leaves out, with the reason.
    static BoardTable excludedTable(const std::optional<Figures>& current);
};

} // namespace riskdesk
