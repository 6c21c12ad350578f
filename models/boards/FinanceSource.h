#pragma once

#include "BoardPeriod.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QSqlDatabase>
#include <QVariantList>
#include <QVariantMap>

namespace riskdesk {

// Where the finance board reads from: one site of one tenant in a workspace. Every query goes through rows(),
// which binds the tenant, the site and the period (:t, :s, :from, :to), so that no finance query can forget
// the site filter, and which checks the row loop's error (a damaged page is an error, never a shorter
// answer).
class FinanceSource {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinanceSource)

public:
    FinanceSource(QSqlDatabase db, QString tenant, QString site)
        : m_db(std::move(db)), m_tenant(std::move(tenant)), m_site(std::move(site)) {}

    // Each row as a list of its columns. doing: what the query reads, for the error message.
    Result<QList<QVariantList>> rows(const QString& sql, const BoardPeriod& period, const QString& doing,
                                     const QVariantMap& extra = {}) const;
    // A single integer (a COALESCEd sum): 0 when the query returns no row.
    Result<qint64> sum(const QString& sql, const BoardPeriod& period, const QString& doing,
                       const QVariantMap& extra = {}) const;

    // The coach service income of each day of the period (biz_date, Σ ledger_amount_fen of live logs, from
    // the site-day summary bd_sl_site_day): K3 and the coach section read the same months of a whole-month
    // period, so the answer is kept for the next one.
    Result<QList<QVariantList>> serviceIncomeByDay(const BoardPeriod& period) const;

    // The first business day of the site's daily summary (one row a day the site's data hold): days before it
    // were never loaded. Invalid when the site has none.
    Result<QDate> firstDay() const;

    const QString& tenant() const { return m_tenant; }
    const QString& site() const { return m_site; }

private:
    QSqlDatabase m_db;
    QString m_tenant;
    QString m_site;
    mutable QHash<std::pair<QDate, QDate>, QList<QVariantList>> m_serviceIncome;
};

} // namespace riskdesk
