#include "CustomerRankings.h"

#include "SiteClock.h"
#include "store/SqlProblem.h"
#include "store/WriteTransaction.h"

#include <QSet>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// The kept rows as derived from the logs; the one definition keepDays() and verify() share.
constexpr auto kSpendSelect =
    "SELECT d.tenant_id, d.site_id, d.as_of, l.tenant_member_id, SUM(l.ledger_amount_fen), COUNT(*)"
    " FROM bd_customer_rank_days d JOIN bd_assistant_service_log l ON l.tenant_id = d.tenant_id"
    " AND l.site_id = d.site_id AND l.is_delete = 0 AND l.biz_date BETWEEN d.window_from AND d.as_of";
constexpr auto kSpendGroup = " GROUP BY d.tenant_id, d.site_id, d.as_of, l.tenant_member_id";
constexpr auto kRecentSelect =
    "SELECT d.tenant_id, d.site_id, d.as_of, v.tenant_member_id, MAX(v.first_in_time), MAX(v.biz_date),"
    " SUM(CASE WHEN v.biz_date >= d.period_from THEN 1 ELSE 0 END) FROM bd_customer_rank_days d"
    " JOIN bd_member_visit_detail v ON v.tenant_id = d.tenant_id AND v.site_id = d.site_id"
    " AND v.biz_date <= d.as_of";
constexpr auto kRecentGroup = " GROUP BY d.tenant_id, d.site_id, d.as_of, v.tenant_member_id";
constexpr auto kRechargeSelect =
    "SELECT d.tenant_id, d.site_id, d.as_of, o.tenant_member_id, SUM(o.pay_amount_fen), COUNT(*),"
    " SUM(o.gift_amount_fen), MAX(o.pay_time) FROM bd_customer_rank_days d JOIN bd_recharge_order o"
    " ON o.tenant_id = d.tenant_id AND o.site_id = d.site_id AND o.is_delete = 0 AND o.refund_amount_fen = 0"
    " AND o.biz_date BETWEEN d.period_from AND d.as_of";
constexpr auto kRechargeGroup = " GROUP BY d.tenant_id, d.site_id, d.as_of, o.tenant_member_id";
constexpr auto kBalanceSelect =
    "SELECT tenant_id, site_id, tenant_member_id, SUM(CASE WHEN card_type = 'stored_value' THEN balance_fen "
    "END),"
    " SUM(CASE WHEN card_type = 'gift' THEN balance_fen END), MAX(last_recharge_time)"
    " FROM bd_dim_member_card_account";
constexpr auto kBalanceGroup = " GROUP BY tenant_id, site_id, tenant_member_id";
constexpr auto kLoyaltySelect =
    "SELECT tenant_id, site_id, calc_date, tenant_member_id, rs_score, CAST(ROUND(rs_score * 100) AS "
    "INTEGER),"
    " site_assistant_id, n FROM (SELECT tenant_id, site_id, calc_date, tenant_member_id, rs_score,"
    " site_assistant_id, ROW_NUMBER() OVER (PARTITION BY tenant_id, site_id, calc_date, tenant_member_id"
    " ORDER BY rs_score DESC, site_assistant_id) AS rn,"
    " COUNT(*) OVER (PARTITION BY tenant_id, site_id, calc_date, tenant_member_id) AS n"
    " FROM bd_member_assistant_relation_index%1) WHERE rn = 1";

// The total kept spend of one snapshot's members on one calculation day, for the kept day d.as_of: %1 the
// snapshot table, %2 its calculation day (an expression).
constexpr auto kSnapshotSpendSum =
    "COALESCE((SELECT SUM(s.spend_fen) FROM %1 p JOIN bd_customer_spend60 s ON s.tenant_id = p.tenant_id"
    " AND s.site_id = p.site_id AND s.as_of = d.as_of AND s.tenant_member_id = p.tenant_member_id"
    " WHERE p.tenant_id = d.tenant_id AND p.site_id = d.site_id AND p.calc_date = %2), 0)";
// The same total from the logs (for verify()): the valid spend in the kept day's window of the members of the
// kept row k's snapshot and calculation day. Member by member through the logs' by-member index (a member is
// once in a snapshot's day, its primary key), in that order (CROSS JOIN): as "member IN (snapshot)", or
// joined in the planner's order without statistics, every log of the window was matched against the whole
// list, 4-5 s a check on the scale-1 demo. The index is named: without statistics the planner took a by-day
// one, as slow.
constexpr auto kSnapshotSpendDerived =
    "SELECT k.tenant_id, k.site_id, k.as_of, k.snapshot, k.calc_date, COALESCE((SELECT"
    " SUM(l.ledger_amount_fen) FROM bd_customer_rank_days d"
    " CROSS JOIN (SELECT p.tenant_member_id FROM bd_member_spending_power_index p WHERE k.snapshot = 'spi'"
    " AND p.tenant_id = k.tenant_id AND p.site_id = k.site_id AND p.calc_date = k.calc_date UNION ALL"
    " SELECT p.tenant_member_id FROM bd_member_consumption_summary p WHERE k.snapshot = 'consumption'"
    " AND p.tenant_id = k.tenant_id AND p.site_id = k.site_id AND p.calc_date = k.calc_date) m"
    " CROSS JOIN bd_assistant_service_log l INDEXED BY bd_sl_by_member"
    " WHERE d.tenant_id = k.tenant_id AND d.site_id = k.site_id AND d.as_of = k.as_of"
    " AND l.tenant_id = d.tenant_id AND l.site_id = d.site_id AND l.tenant_member_id = m.tenant_member_id"
    " AND l.biz_date BETWEEN d.window_from AND d.as_of AND l.is_delete = 0), 0)"
    " FROM bd_customer_snapshot_spend k";

// The snapshot tables whose members' spend is totalled per kept day (migration 028), by their name there.
struct SnapshotSource {
    const char* key;
    const char* table;
};
constexpr SnapshotSource kSnapshotSources[] = {{"spi", "bd_member_spending_power_index"},
                                               {"consumption", "bd_member_consumption_summary"}};

// Each kept table, its columns, and the same rows derived from the facts (the one definition the rebuilds and
// verify() share); the first three columns name the partition a difference is reported in.
struct Kept {
    const char* table;
    const char* columns;
    QString derived;
    int partition = 3; // leading columns that name a partition in verify()'s lines
};

QList<Kept> keptTables() {
    return {{"bd_customer_spend60", "tenant_id, site_id, as_of, tenant_member_id, spend_fen, log_count",
             QString::fromLatin1(kSpendSelect) + QString::fromLatin1(kSpendGroup)},
            {"bd_customer_recent",
             "tenant_id, site_id, as_of, tenant_member_id, last_in_ms, last_biz_date, period_visits",
             QString::fromLatin1(kRecentSelect) + QString::fromLatin1(kRecentGroup)},
            {"bd_customer_balance",
             "tenant_id, site_id, tenant_member_id, stored_fen, gift_fen, last_recharge_ms",
             QString::fromLatin1(kBalanceSelect) + QString::fromLatin1(kBalanceGroup), 2},
            {"bd_customer_loyalty",
             "tenant_id, site_id, calc_date, tenant_member_id, top_rs, rs_hundredths, coach_id, coach_count",
             QString::fromLatin1(kLoyaltySelect).arg(QString())},
            {"bd_customer_recharge",
             "tenant_id, site_id, as_of, tenant_member_id, pay_fen, order_count, gift_fen, last_pay_ms",
             QString::fromLatin1(kRechargeSelect) + QString::fromLatin1(kRechargeGroup)},
            {"bd_customer_snapshot_spend", "tenant_id, site_id, as_of, snapshot, calc_date, spend_fen",
             QString::fromLatin1(kSnapshotSpendDerived)}};
}

Status run(QSqlQuery& q, const QString& sql, const QVariantList& binds, const QString& doing) {
    if (!q.prepare(sql))
        return sqlProblem(q, doing);
    for (const QVariant& v : binds)
        q.addBindValue(v);
    if (!q.exec())
        return sqlProblem(q, doing);
    return success();
}

} // namespace

namespace {

// A site's days worth keeping: the latest business day with a valid service log and the site's business day
// at nowMs (none when the site's zone is unknown).
struct SiteDays {
    QString site;
    QDate today;
    QList<QDate> days;
};

Result<QList<SiteDays>> currentDays(QSqlDatabase db, const QString& tenant, qint64 nowMs) {
    const QString doing = CustomerRankings::tr("Ranking the customers");
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = run(q,
                       u"SELECT s.site_id, s.tz, s.business_day_cutoff_minutes, (SELECT MAX(l.biz_date)"
                       " FROM bd_assistant_service_log l WHERE l.tenant_id = s.tenant_id"
                       " AND l.site_id = s.site_id AND l.is_delete = 0)"
                       " FROM bd_site_settings s WHERE s.tenant_id = ? ORDER BY s.site_id"_s,
                       {tenant}, doing);
        !s)
        return s.problem();
    QList<SiteDays> sites;
    while (q.next()) {
        SiteDays site{q.value(0).toString(), {}, {}};
        const QDate latest = QDate::fromString(q.value(3).toString(), Qt::ISODate);
        if (latest.isValid())
            site.days << latest;
        const auto clock =
            SiteClock::make(q.value(1).toString(),
                            q.value(2).isNull() ? std::nullopt : std::optional<int>(q.value(2).toInt()));
        if (clock) // a site whose zone is unknown keeps its latest day only
            site.today = clock.value().businessDayOf(nowMs);
        if (site.today.isValid() && !site.days.contains(site.today))
            site.days << site.today;
        sites << site;
    }
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    return sites;
}

Status keepAll(QSqlDatabase db, const QString& tenant, const QList<SiteDays>& sites) {
    for (const SiteDays& site : sites)
        if (Status s = CustomerRankings::keepDays(db, tenant, site.site, site.days); !s)
            return s;
    return success();
}

} // namespace

Status CustomerRankings::keepCurrent(QSqlDatabase db, const QString& tenant, qint64 nowMs) {
    auto sites = currentDays(db, tenant, nowMs);
    if (!sites)
        return sites.problem();
    return keepAll(db, tenant, sites.value());
}

Result<int> CustomerRankings::keepTodayWhereMissing(QSqlDatabase db, qint64 nowMs) {
    const QString doing = tr("Ranking the customers");
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = run(q, u"SELECT DISTINCT tenant_id FROM bd_site_settings ORDER BY tenant_id"_s, {}, doing);
        !s)
        return s.problem();
    QStringList tenants;
    while (q.next())
        tenants << q.value(0).toString();
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    q.finish();
    int kept = 0;
    for (const QString& tenant : std::as_const(tenants)) {
        auto sites = currentDays(db, tenant, nowMs);
        if (!sites)
            return sites.problem();
        bool stale = false;
        for (const SiteDays& site : sites.value()) {
            if (!site.today.isValid())
                continue;
            auto today = isKept(db, tenant, site.site, site.today);
            if (!today)
                return today.problem();
            stale = stale || !today.value();
        }
        if (!stale)
            continue;
        WriteTransaction tx(db);
        if (!tx.begun())
            return tx.begun().problem();
        if (Status s = keepAll(db, tenant, sites.value()); !s)
            return s.problem();
        if (Status s = tx.commit(); !s)
            return s.problem();
        ++kept;
    }
    return kept;
}

Status CustomerRankings::rebuildTenant(QSqlDatabase db, const QString& tenant, qint64 nowMs) {
    const QString doing = tr("Ranking the customers");
    QSqlQuery q(db);
    for (const QString& table :
         {u"bd_customer_snapshot_spend"_s, u"bd_customer_spend60"_s, u"bd_customer_recent"_s,
          u"bd_customer_recharge"_s, u"bd_customer_rank_days"_s, u"bd_customer_balance"_s,
          u"bd_customer_loyalty"_s})
        if (Status s = run(q, u"DELETE FROM %1 WHERE tenant_id = ?"_s.arg(table), {tenant}, doing); !s)
            return s;
    if (Status s = run(q,
                       u"INSERT INTO bd_customer_balance (tenant_id, site_id, tenant_member_id, stored_fen,"
                       " gift_fen, last_recharge_ms) "_s +
                           QString::fromLatin1(kBalanceSelect) + u" WHERE tenant_id = ?"_s +
                           QString::fromLatin1(kBalanceGroup),
                       {tenant}, doing);
        !s)
        return s;
    if (Status s =
            run(q,
                u"INSERT INTO bd_customer_loyalty (tenant_id, site_id, calc_date, tenant_member_id, top_rs,"
                " rs_hundredths, coach_id, coach_count) "_s +
                    QString::fromLatin1(kLoyaltySelect).arg(u" WHERE tenant_id = ?"_s),
                {tenant}, doing);
        !s)
        return s;
    return keepCurrent(db, tenant, nowMs);
}

Status CustomerRankings::keepDays(QSqlDatabase db, const QString& tenant, const QString& site,
                                  const QList<QDate>& days) {
    const QString doing = tr("Ranking the customers");
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = run(q, u"SELECT as_of FROM bd_customer_rank_days WHERE tenant_id = ? AND site_id = ?"_s,
                       {tenant, site}, doing);
        !s)
        return s;
    QSet<QString> kept, wanted;
    while (q.next())
        kept.insert(q.value(0).toString());
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    q.finish();
    for (const QDate& d : days)
        if (d.isValid())
            wanted.insert(d.toString(Qt::ISODate));
    for (const QString& day : std::as_const(kept)) {
        if (wanted.contains(day))
            continue;
        // The totals first: the spend's rows then go without a total to follow them.
        for (const QString& table :
             {u"bd_customer_snapshot_spend"_s, u"bd_customer_spend60"_s, u"bd_customer_recent"_s,
              u"bd_customer_recharge"_s, u"bd_customer_rank_days"_s})
            if (Status s =
                    run(q, u"DELETE FROM %1 WHERE tenant_id = ? AND site_id = ? AND as_of = ?"_s.arg(table),
                        {tenant, site, day}, doing);
                !s)
                return s;
    }
    for (const QString& day : std::as_const(wanted)) {
        if (kept.contains(day))
            continue;
        // Left over from a day dropped without its rows (only a hand edit does that): start clean.
        for (const QString& table : {u"bd_customer_snapshot_spend"_s, u"bd_customer_spend60"_s,
                                     u"bd_customer_recent"_s, u"bd_customer_recharge"_s})
            if (Status s =
                    run(q, u"DELETE FROM %1 WHERE tenant_id = ? AND site_id = ? AND as_of = ?"_s.arg(table),
                        {tenant, site, day}, doing);
                !s)
                return s;
        const QDate asOf = QDate::fromString(day, Qt::ISODate);
        if (Status s =
                run(q,
                    u"INSERT INTO bd_customer_rank_days (tenant_id, site_id, as_of, window_from, period_from)"
                    " VALUES (?, ?, ?, ?, ?)"_s,
                    {tenant, site, day, asOf.addDays(-59).toString(Qt::ISODate),
                     asOf.addDays(-29).toString(Qt::ISODate)},
                    doing);
            !s)
            return s;
        if (Status s = run(
                q,
                u"INSERT INTO bd_customer_recent (tenant_id, site_id, as_of, tenant_member_id, last_in_ms,"
                " last_biz_date, period_visits) "_s +
                    QString::fromLatin1(kRecentSelect) +
                    u" WHERE d.tenant_id = ? AND d.site_id = ? AND d.as_of = ?"_s +
                    QString::fromLatin1(kRecentGroup),
                {tenant, site, day}, doing);
            !s)
            return s;
        if (Status s = run(q,
                           u"INSERT INTO bd_customer_recharge (tenant_id, site_id, as_of, tenant_member_id,"
                           " pay_fen, order_count, gift_fen, last_pay_ms) "_s +
                               QString::fromLatin1(kRechargeSelect) +
                               u" WHERE d.tenant_id = ? AND d.site_id = ? AND d.as_of = ?"_s +
                               QString::fromLatin1(kRechargeGroup),
                           {tenant, site, day}, doing);
            !s)
            return s;
        if (Status s = run(q,
                           u"INSERT INTO bd_customer_spend60 (tenant_id, site_id, as_of, tenant_member_id,"
                           " spend_fen, log_count) "_s +
                               QString::fromLatin1(kSpendSelect) +
                               u" WHERE d.tenant_id = ? AND d.site_id = ? AND d.as_of = ?"_s +
                               QString::fromLatin1(kSpendGroup),
                           {tenant, site, day}, doing);
            !s)
            return s;
    }
    // Each kept day's snapshot totals for the latest calculation day on or before it (migration 028), where
    // the triggers have not made it already (a new day, or a newer calculation day whose total was dropped).
    for (const QString& day : std::as_const(wanted)) {
        for (const SnapshotSource& source : kSnapshotSources) {
            const QString table = QString::fromLatin1(source.table);
            const QString latest = u"(SELECT MAX(x.calc_date) FROM %1 x WHERE x.tenant_id = d.tenant_id"
                                   " AND x.site_id = d.site_id AND x.calc_date <= d.as_of)"_s.arg(table);
            if (Status s = run(
                    q,
                    u"INSERT INTO bd_customer_snapshot_spend (tenant_id, site_id, as_of, snapshot, calc_date,"
                    " spend_fen) SELECT d.tenant_id, d.site_id, d.as_of, ?, %1, %2 FROM "
                    "bd_customer_rank_days d"
                    " WHERE d.tenant_id = ? AND d.site_id = ? AND d.as_of = ? AND %1 IS NOT NULL"
                    " AND NOT EXISTS (SELECT 1 FROM bd_customer_snapshot_spend k WHERE k.tenant_id = "
                    "d.tenant_id"
                    " AND k.site_id = d.site_id AND k.as_of = d.as_of AND k.snapshot = ? AND k.calc_date = %1)"_s
                        .arg(latest, QString::fromLatin1(kSnapshotSpendSum).arg(table, latest)),
                    {QString::fromLatin1(source.key), tenant, site, day, QString::fromLatin1(source.key)},
                    doing);
                !s)
                return s;
        }
    }
    return success();
}

Result<std::optional<qint64>> CustomerRankings::snapshotSpend(QSqlDatabase db, const QString& tenant,
                                                              const QString& site, const QDate& asOf,
                                                              const QString& snapshot,
                                                              const QDate& calcDate) {
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = run(q,
                       u"SELECT spend_fen FROM bd_customer_snapshot_spend WHERE tenant_id = ? AND site_id = ?"
                       " AND as_of = ? AND snapshot = ? AND calc_date = ?"_s,
                       {tenant, site, asOf.toString(Qt::ISODate), snapshot, calcDate.toString(Qt::ISODate)},
                       tr("Reading the customer rankings"));
        !s)
        return s.problem();
    if (q.next())
        return std::optional<qint64>(q.value(0).toLongLong());
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the customer rankings"));
    return std::optional<qint64>();
}

Result<bool> CustomerRankings::isKept(QSqlDatabase db, const QString& tenant, const QString& site,
                                      const QDate& asOf) {
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s =
            run(q, u"SELECT 1 FROM bd_customer_rank_days WHERE tenant_id = ? AND site_id = ? AND as_of = ?"_s,
                {tenant, site, asOf.toString(Qt::ISODate)}, tr("Reading the customer rankings"));
        !s)
        return s.problem();
    const bool kept = q.next();
    if (!kept && rowsFailed(q))
        return sqlProblem(q, tr("Reading the customer rankings"));
    return kept;
}

Result<QStringList> CustomerRankings::verify(QSqlDatabase db) {
    const QString doing = tr("Checking the customer rankings");
    QStringList out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    for (const Kept& k : keptTables()) {
        const QStringList columns = QString::fromLatin1(k.columns).split(u", "_s);
        QStringList names;
        for (qsizetype c = 1; c <= columns.size(); ++c)
            names << u"c%1"_s.arg(c);
        const QString list = names.join(u", "_s);
        // Rows on either side that the other lacks, one line per partition (the kept day or calculation day;
        // the site for the balances).
        const QString partition = k.partition == 3 ? u"c1, c2, c3"_s : u"c1, c2, ''"_s;
        if (!q.exec(
                u"WITH derived(%1) AS (%2), kept(%1) AS (SELECT %3 FROM %4) SELECT DISTINCT %5 FROM"
                " (SELECT * FROM derived EXCEPT SELECT * FROM kept UNION ALL"
                " SELECT * FROM (SELECT * FROM kept EXCEPT SELECT * FROM derived)) ORDER BY 1, 2, 3"_s.arg(
                    list, k.derived, QString::fromLatin1(k.columns), QString::fromLatin1(k.table),
                    partition)))
            return sqlProblem(q, doing);
        while (q.next())
            out << u"%1 %2 %3 %4"_s.arg(QString::fromLatin1(k.table), q.value(0).toString(),
                                        q.value(1).toString(), q.value(2).toString());
        if (rowsFailed(q))
            return sqlProblem(q, doing);
    }
    return out;
}

} // namespace riskdesk
