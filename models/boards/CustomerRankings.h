#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QDate>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>
#include <optional>

namespace riskdesk {

// The customer board's kept rankings (migration 021), each with an index in its tab's order: for a few as-of
// days of each site (bd_customer_rank_days) each member's 60-day coach-service spend (bd_customer_spend60)
// and last visit (bd_customer_recent); each member's balances (bd_customer_balance); each member's top coach
// of every loyalty calculation day (bd_customer_loyalty); for each kept day, the total spend of the members
// of the potential and frequency tabs' latest snapshots (bd_customer_snapshot_spend) and each member's
// recharges in the default period (bd_customer_recharge, both migration 028). Triggers keep them exact
// through any write to the facts; the load, the sync and the demo choose which days are kept (keepCurrent),
// and a day that is not kept is computed from the facts by the board as before.
class CustomerRankings {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CustomerRankings)

public:
    // The days worth keeping for every site of the tenant: the latest business day with a valid service log
    // and the site's business day at nowMs. Days no longer wanted go, new ones are derived from the logs; a
    // day already kept is left alone (its triggers kept it). Runs in the caller's transaction.
    static Status keepCurrent(QSqlDatabase db, const QString& tenant, qint64 nowMs);
    // keepCurrent, in a transaction of its own, for each tenant of the workspace with a site whose business
    // day at nowMs is not kept: a desktop opened the day after its last load or sync would otherwise compute
    // the customer board's default as-of day (today) from every log. Answers how many tenants it kept.
    static Result<int> keepTodayWhereMissing(QSqlDatabase db, qint64 nowMs);
    // Derives every kept row of the tenant again from the facts and keeps the current days: for a bulk writer
    // that dropped the triggers while it wrote (the demo), in its transaction.
    static Status rebuildTenant(QSqlDatabase db, const QString& tenant, qint64 nowMs);
    // Exactly these as-of days are kept for the site afterwards.
    static Status keepDays(QSqlDatabase db, const QString& tenant, const QString& site,
                           const QList<QDate>& days);
    // Whether the site's spend ranking is kept for this as-of day.
    static Result<bool> isKept(QSqlDatabase db, const QString& tenant, const QString& site,
                               const QDate& asOf);

    // The total 60-day spend of a snapshot's members (migration 028) for a kept as-of day: snapshot "spi"
    // (bd_member_spending_power_index, D2) or "consumption" (bd_member_consumption_summary, D7), of its
    // calculation day calcDate. Nothing when that total is not kept (the caller adds it up from the spend).
    static Result<std::optional<qint64>> snapshotSpend(QSqlDatabase db, const QString& tenant,
                                                       const QString& site, const QDate& asOf,
                                                       const QString& snapshot, const QDate& calcDate);

    // Kept rows that differ from the facts, each described as "<table> <tenant> <site> <day>"; empty when
    // they agree.
    static Result<QStringList> verify(QSqlDatabase db);
};

} // namespace riskdesk
