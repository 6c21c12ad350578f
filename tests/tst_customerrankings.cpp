// BOARD-2's kept rankings (migration 021) against the facts: the demo (which writes with the triggers off and
// derives them once), a CSV load, and writes of every kind through the triggers must leave
// bd_customer_spend60, bd_customer_recent, bd_customer_balance and bd_customer_loyalty equal to a
// recomputation from the service logs, visits, card accounts and relation rows (CustomerRankings::verify),
// and the customer board must give exactly the same report from a kept day as from the facts.
#include "TestWorkspace.h"
#include "boards/BoardScope.h"
#include "boards/CustomerBoard.h"
#include "boards/CustomerRankings.h"
#include "boards/SiteClock.h"
#include "demo/DemoBoardBuilder.h"
#include "domain/Timestamps.h"
#include "store/BoardWorkspaceLoad.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

const QString kFixture = QStringLiteral(RISKDESK_FIXTURE_DIR);

void exec(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
}

QVariant value(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0);
}

QStringList differences(QSqlDatabase db) {
    auto found = CustomerRankings::verify(db);
    if (!found)
        qFatal("%s", qPrintable(found.problem().message));
    return found.value();
}

QDate latestDay(QSqlDatabase db, const QString& site) {
    return QDate::fromString(value(db, u"SELECT MAX(biz_date) FROM bd_assistant_service_log WHERE"
                                       " tenant_id = 'acme' AND site_id = '%1' AND is_delete = 0"_s.arg(site))
                                 .toString(),
                             Qt::ISODate);
}

bool kept(QSqlDatabase db, const QString& site, const QDate& day) {
    auto k = CustomerRankings::isKept(db, u"acme"_s, site, day);
    if (!k)
        qFatal("%s", qPrintable(k.problem().message));
    return k.value();
}

QByteArray reportJson(QSqlDatabase db, const BoardRequest& r) {
    auto scope = BoardScope::open(db, u"acme"_s);
    if (!scope)
        qFatal("%s", qPrintable(scope.problem().message));
    auto report = CustomerBoard::compute(db, scope.value(), r);
    if (!report)
        qFatal("%s", qPrintable(report.problem().message));
    if (report.value().tables().isEmpty())
        qFatal("the customer board has no table");
    if (const auto& error = report.value().tables().first().outcome().coreError())
        qFatal("the customer board failed: %s", qPrintable(*error));
    return QJsonDocument(report.value().toJson()).toJson(QJsonDocument::Compact);
}

// The tabs that read the kept 60-day spend, under several sorts and pages, as-of the kept day: the report
// must be the same byte for byte when the day is not kept (computed from the logs, the days dropped in a
// transaction that is rolled back). Only the tabs named, when some are (a computation from the logs takes a
// second or more: a check of the snapshot tabs compares those). Returns the number of reports compared.
int compareWithTheLogs(QSqlDatabase db, const QString& site, const QDate& asOf,
                       const QStringList& only = {}) {
    if (!kept(db, site, asOf))
        qFatal("%s %s is not kept", qPrintable(site), qPrintable(asOf.toString(Qt::ISODate)));
    struct Variant {
        QString dimension, sort;
        int page, pageSize;
    };
    const QList<Variant> variants{{u"spend60"_s, {}, 1, 0},
                                  {u"spend60"_s, {}, 3, 7},
                                  {u"spend60"_s, u"spend60d:asc"_s, 1, 20},
                                  {u"potential"_s, {}, 1, 0},
                                  {u"potential"_s, u"spend60d"_s, 2, 5},
                                  {u"freq60"_s, {}, 1, 0},
                                  {u"freq60"_s, u"spend60d"_s, 1, 20},
                                  {u"recent"_s, {}, 1, 0},
                                  {u"recent"_s, {}, 2, 9},
                                  {u"recharge"_s, {}, 1, 0},
                                  {u"recharge"_s, {}, 2, 9},
                                  {u"recharge"_s, u"orderCount"_s, 1, 20}};
    int compared = 0;
    for (const Variant& v : variants) {
        if (!only.isEmpty() && !only.contains(v.dimension))
            continue;
        BoardRequest r;
        r.tenant = u"acme"_s;
        r.site = site;
        r.today = asOf;
        r.asOfDay = asOf;
        r.dimension = v.dimension;
        r.sort = v.sort;
        r.page = v.page;
        r.pageSize = v.pageSize;
        r.locale = QLocale(QLocale::English);
        const QByteArray fromRanking = reportJson(db, r);
        exec(db, u"BEGIN"_s);
        if (!CustomerRankings::keepDays(db, u"acme"_s, site, {}))
            qFatal("could not drop the kept days");
        const bool stillKept = kept(db, site, asOf);
        const QByteArray fromLogs = reportJson(db, r);
        exec(db, u"ROLLBACK"_s);
        if (stillKept)
            qFatal("the day is still kept");
        if (fromRanking != fromLogs) {
            qWarning("%s %s %s page %d: the kept ranking's report differs from the logs':\n%s\n%s",
                     qPrintable(site), qPrintable(v.dimension), qPrintable(v.sort), v.page,
                     fromRanking.left(600).constData(), fromLogs.left(600).constData());
            return -1;
        }
        ++compared;
    }
    return compared;
}

std::unique_ptr<test::TestWorkspace> demo(quint64 seed) {
    auto ws = std::make_unique<test::TestWorkspace>(20, seed);
    DemoBoardOptions options;
    options.seed = seed;
    options.anchorMs = timestamps::toMs(test::TestWorkspace::fixedAnchor());
    options.scale = 1;
    auto built = DemoBoardBuilder::build(ws->db(), options);
    if (!built)
        qFatal("%s", qPrintable(built.problem().message));
    return ws;
}

} // namespace

class CustomerRankingsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void demoKeepsItsDaysAndMatchesTheLogs_data();
    void demoKeepsItsDaysAndMatchesTheLogs();
    void writesOfEveryKindKeepThemInStep();
    void aLoadKeepsTheLatestDay();
    void verifyFindsADamagedRanking();
    void snapshotTotalsFollowEveryWrite();
    void keptDaysFollowTheRequest();
    void aNewDayIsKeptWhenTheDesktopOpens();
};

void CustomerRankingsTest::demoKeepsItsDaysAndMatchesTheLogs_data() {
    QTest::addColumn<quint64>("seed");
    QTest::newRow("seed 3") << quint64(3);
    QTest::newRow("seed 7") << quint64(7);
}

void CustomerRankingsTest::demoKeepsItsDaysAndMatchesTheLogs() {
    QFETCH(quint64, seed);
    auto ws = demo(seed);
    QSqlDatabase db = ws->db();
    QCOMPARE(differences(db), QStringList());
    for (const QString& site : {u"S1"_s, u"S2"_s}) {
        const QDate latest = latestDay(db, site);
        QVERIFY(latest.isValid());
        // The demo wrote with the triggers off: the rows come from its own derivation.
        QVERIFY(
            value(db, u"SELECT COUNT(*) FROM bd_customer_spend60 WHERE site_id = '%1' AND as_of = '%2'"_s.arg(
                          site, latest.toString(Qt::ISODate)))
                .toInt() > 50);
        QCOMPARE(compareWithTheLogs(db, site, latest), 12);
    }
}

void CustomerRankingsTest::writesOfEveryKindKeepThemInStep() {
    auto ws = demo(7);
    QSqlDatabase db = ws->db();
    const QDate latest = latestDay(db, u"S1"_s);
    const QString inside = latest.addDays(-10).toString(Qt::ISODate);
    const QString firstDay = latest.addDays(-59).toString(Qt::ISODate);
    const QString outside = latest.addDays(-75).toString(Qt::ISODate);
    // A day deleted as a sync pull replaces it; logs voided and made valid again; logs moved into the window
    // from before it and out of it; a member and an amount changed; a new log for a member new to the window.
    exec(db, u"DELETE FROM bd_assistant_service_log WHERE site_id = 'S1' AND biz_date = '%1'"_s.arg(inside));
    exec(db, u"UPDATE bd_assistant_service_log SET is_delete = 1 WHERE site_id = 'S1' AND is_delete = 0"
             " AND biz_date = '%1' AND assistant_service_id % 3 = 0"_s.arg(
                 latest.addDays(-3).toString(Qt::ISODate)));
    exec(db, u"UPDATE bd_assistant_service_log SET is_delete = 0 WHERE site_id = 'S1' AND is_delete = 1"
             " AND biz_date = '%1'"_s.arg(latest.addDays(-4).toString(Qt::ISODate)));
    exec(db, u"UPDATE bd_assistant_service_log SET biz_date = '%1' WHERE site_id = 'S1' AND biz_date = '%2'"
             " AND assistant_service_id % 2 = 0"_s.arg(firstDay, outside));
    exec(db, u"UPDATE bd_assistant_service_log SET biz_date = '%1' WHERE site_id = 'S1' AND biz_date = '%2'"
             " AND assistant_service_id % 2 = 1"_s.arg(outside, latest.addDays(-20).toString(Qt::ISODate)));
    exec(db, u"UPDATE bd_assistant_service_log SET tenant_member_id = tenant_member_id + 1,"
             " ledger_amount_fen = ledger_amount_fen + 7 WHERE site_id = 'S1' AND biz_date = '%1'"_s.arg(
                 latest.addDays(-12).toString(Qt::ISODate)));
    exec(
        db,
        u"INSERT INTO bd_assistant_service_log (tenant_id, site_id, assistant_service_id, site_assistant_id,"
        " tenant_member_id, is_delete, create_time, income_seconds, real_use_seconds, ledger_amount_fen,"
        " biz_date, etl_version) SELECT 'acme', 'S1', MAX(assistant_service_id) + 1, 1, 987654, 0, 0, 60, 60,"
        " 99999999, '%1', 1 FROM bd_assistant_service_log"_s.arg(latest.toString(Qt::ISODate)));
    // Recharge orders (migration 028): a day deleted, orders refunded and voided, one made valid again, one
    // moved out of the period and another member's moved in, a new one for a member new to the period.
    exec(db, u"DELETE FROM bd_recharge_order WHERE site_id = 'S1' AND biz_date = '%1'"_s.arg(inside));
    exec(db, u"UPDATE bd_recharge_order SET refund_amount_fen = pay_amount_fen WHERE site_id = 'S1'"
             " AND biz_date = '%1' AND recharge_order_id % 3 = 0"_s.arg(
                 latest.addDays(-2).toString(Qt::ISODate)));
    exec(db, u"UPDATE bd_recharge_order SET is_delete = 1 WHERE site_id = 'S1' AND biz_date = '%1'"
             " AND recharge_order_id % 3 = 1"_s.arg(latest.addDays(-5).toString(Qt::ISODate)));
    exec(db,
         u"UPDATE bd_recharge_order SET is_delete = 0, refund_amount_fen = 0 WHERE site_id = 'S1'"
         " AND recharge_order_id = (SELECT MIN(recharge_order_id) FROM bd_recharge_order WHERE site_id = 'S1'"
         " AND (is_delete = 1 OR refund_amount_fen > 0) AND biz_date = '%1')"_s.arg(
             latest.addDays(-7).toString(Qt::ISODate)));
    exec(db, u"UPDATE bd_recharge_order SET biz_date = '%1', tenant_member_id = tenant_member_id + 1,"
             " pay_amount_fen = pay_amount_fen + 11 WHERE site_id = 'S1' AND biz_date = '%2'"
             " AND recharge_order_id % 2 = 0"_s.arg(outside, latest.addDays(-8).toString(Qt::ISODate)));
    exec(db, u"UPDATE bd_recharge_order SET biz_date = '%1' WHERE site_id = 'S1' AND biz_date = '%2'"_s.arg(
                 latest.addDays(-9).toString(Qt::ISODate), outside));
    exec(db,
         u"INSERT INTO bd_recharge_order (tenant_id, site_id, recharge_order_id, tenant_member_id,"
         " card_account_id, pay_time, pay_amount_fen, gift_amount_fen, pay_channel, is_delete,"
         " refund_amount_fen, biz_date, etl_version) SELECT 'acme', 'S1', MAX(recharge_order_id) + 1, 987654,"
         " NULL, 4102444800000, 99999999, 5, 'wechat', 0, 0, '%1', 1 FROM bd_recharge_order"_s.arg(
             latest.toString(Qt::ISODate)));
    // The visits, card accounts and relation rows the other kept tables follow: deleted, changed, added.
    const QString lastCalc =
        value(db, u"SELECT MAX(calc_date) FROM bd_member_assistant_relation_index WHERE site_id = 'S1'"_s)
            .toString();
    exec(db, u"DELETE FROM bd_member_visit_detail WHERE site_id = 'S1' AND biz_date = '%1'"_s.arg(
                 latest.toString(Qt::ISODate)));
    exec(db, u"UPDATE bd_member_visit_detail SET tenant_member_id = tenant_member_id + 1000000,"
             " first_in_time = first_in_time + 1 WHERE site_id = 'S1' AND biz_date = '%1'"_s.arg(inside));
    exec(db, u"INSERT INTO bd_member_visit_detail (tenant_id, site_id, tenant_member_id, first_in_time,"
             " biz_date, etl_version) VALUES ('acme', 'S1', 987654, 4102444800000, '%1', 1)"_s.arg(
                 latest.toString(Qt::ISODate)));
    exec(db, u"DELETE FROM bd_dim_member_card_account WHERE site_id = 'S1' AND card_account_id % 5 = 0"_s);
    exec(db, u"UPDATE bd_dim_member_card_account SET balance_fen = balance_fen + 3, card_type = CASE"
             " WHEN card_type = 'gift' THEN 'stored_value' ELSE 'gift' END"
             " WHERE site_id = 'S1' AND card_account_id % 7 = 0"_s);
    exec(
        db,
        u"INSERT INTO bd_dim_member_card_account (tenant_id, site_id, card_account_id, tenant_member_id,"
        " card_type, balance_fen, status, last_recharge_time, etl_version) SELECT 'acme', 'S1',"
        " MAX(card_account_id) + 1, 987654, 'gift', 4200, 'active', NULL, 1 FROM bd_dim_member_card_account"_s);
    // Relation rows: the top coach of some members goes, other scores change (some overtake), a new row.
    exec(
        db,
        u"DELETE FROM bd_member_assistant_relation_index WHERE site_id = 'S1' AND calc_date = '%1'"
        " AND tenant_member_id % 3 = 0 AND site_assistant_id = (SELECT r.site_assistant_id FROM"
        " bd_member_assistant_relation_index r WHERE r.tenant_id = 'acme' AND r.site_id = 'S1'"
        " AND r.calc_date = '%1' AND r.tenant_member_id = bd_member_assistant_relation_index.tenant_member_id"
        " ORDER BY r.rs_score DESC, r.site_assistant_id LIMIT 1)"_s.arg(lastCalc));
    exec(db, u"UPDATE bd_member_assistant_relation_index SET rs_score = rs_score + 5 WHERE site_id = 'S1'"
             " AND calc_date = '%1' AND tenant_member_id % 4 = 1"_s.arg(lastCalc));
    exec(db, u"UPDATE bd_member_assistant_relation_index SET rs_score = rs_score - 50 WHERE site_id = 'S1'"
             " AND calc_date = '%1' AND tenant_member_id % 4 = 2"_s.arg(lastCalc));
    exec(
        db,
        u"INSERT INTO bd_member_assistant_relation_index (tenant_id, site_id, tenant_member_id,"
        " site_assistant_id, rs_score, calc_date, etl_version) VALUES ('acme', 'S1', 987654, 1, 99.5, '%1', 1)"_s
            .arg(lastCalc));
    QCOMPARE(differences(db), QStringList());
    QCOMPARE(compareWithTheLogs(db, u"S1"_s, latest), 12);
    // The new member is now first.
    QCOMPARE(
        value(db, u"SELECT tenant_member_id FROM bd_customer_spend60 WHERE site_id = 'S1' AND as_of = '%1'"
                  " ORDER BY spend_fen DESC, tenant_member_id LIMIT 1"_s.arg(latest.toString(Qt::ISODate)))
            .toLongLong(),
        987654);
    QCOMPARE(
        value(db, u"SELECT tenant_member_id FROM bd_customer_recharge WHERE site_id = 'S1' AND as_of = '%1'"
                  " ORDER BY pay_fen DESC, tenant_member_id LIMIT 1"_s.arg(latest.toString(Qt::ISODate)))
            .toLongLong(),
        987654);
    // Everything gone: so are the rankings, while their days stay kept.
    for (const QString& table :
         {u"bd_assistant_service_log"_s, u"bd_member_visit_detail"_s, u"bd_dim_member_card_account"_s,
          u"bd_member_assistant_relation_index"_s, u"bd_recharge_order"_s})
        exec(db, u"DELETE FROM "_s + table);
    QCOMPARE(value(db, u"SELECT (SELECT COUNT(*) FROM bd_customer_spend60) + (SELECT COUNT(*) FROM"
                       " bd_customer_recent) + (SELECT COUNT(*) FROM bd_customer_balance) + (SELECT COUNT(*)"
                       " FROM bd_customer_loyalty) + (SELECT COUNT(*) FROM bd_customer_recharge)"_s)
                 .toInt(),
             0);
    QVERIFY(kept(db, u"S1"_s, latest));
    QCOMPARE(differences(db), QStringList());
}

void CustomerRankingsTest::aLoadKeepsTheLatestDay() {
    test::TestWorkspace ws(-1);
    QSqlDatabase db = ws.db();
    exec(db, u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme')"_s);
    auto loaded = BoardWorkspaceLoad::load(db, u"acme"_s, kFixture);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    const QDate latest = latestDay(db, u"S1"_s);
    QVERIFY(kept(db, u"S1"_s, latest));
    QVERIFY(value(db, u"SELECT COUNT(*) FROM bd_customer_spend60 WHERE as_of = '%1'"_s.arg(
                          latest.toString(Qt::ISODate)))
                .toInt() > 0);
    QCOMPARE(differences(db), QStringList());
    QCOMPARE(compareWithTheLogs(db, u"S1"_s, latest), 12);

    // A second load with a later day: that day is kept now, the earlier latest day no longer, and a day's
    // replacement inside the window went through the triggers.
    const QString later = latest.addDays(1).toString(Qt::ISODate);
    QTemporaryDir dir;
    QFile f(QDir(dir.path()).filePath(u"v_dwd_assistant_service_log.csv"_s));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("site_id,assistant_service_id,site_assistant_id,tenant_member_id,is_delete,create_time,start_use_"
            "time,last_use_time,income_seconds,real_use_seconds,ledger_amount,skill_name,site_table_id,etl_"
            "loaded_at\n");
    f.write(u"S1,9001,1,3,0,%1T15:00:00+08:00,,,1800,1800,500.00,斯诺克,101,\n"_s.arg(later).toUtf8());
    f.write(
        u"S1,9002,1,2,0,%1T15:00:00+08:00,,,1800,1800,12.34,斯诺克,101,\n"_s.arg(latest.toString(Qt::ISODate))
            .toUtf8());
    f.close();
    auto again = BoardWorkspaceLoad::load(db, u"acme"_s, dir.path());
    QVERIFY2(again, again ? "" : qPrintable(again.problem().message));
    QCOMPARE(latestDay(db, u"S1"_s).toString(Qt::ISODate), later);
    QVERIFY(kept(db, u"S1"_s, QDate::fromString(later, Qt::ISODate)));
    QVERIFY(!kept(db, u"S1"_s, latest));
    QCOMPARE(differences(db), QStringList());
    QCOMPARE(compareWithTheLogs(db, u"S1"_s, QDate::fromString(later, Qt::ISODate)), 12);
}

void CustomerRankingsTest::verifyFindsADamagedRanking() {
    test::TestWorkspace ws(-1);
    QSqlDatabase db = ws.db();
    exec(db, u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme')"_s);
    QVERIFY(BoardWorkspaceLoad::load(db, u"acme"_s, kFixture));
    QCOMPARE(differences(db), QStringList());
    // Written behind the triggers' back: verify names the kept day.
    exec(db, u"UPDATE bd_customer_spend60 SET spend_fen = spend_fen + 1"
             " WHERE tenant_member_id = (SELECT MIN(tenant_member_id) FROM bd_customer_spend60)"_s);
    const QStringList found = differences(db);
    QVERIFY(!found.isEmpty());
    QVERIFY(found.at(0).startsWith(u"bd_customer_spend60 acme S1 "_s));
    // Derived again, they agree.
    QVERIFY(CustomerRankings::rebuildTenant(db, u"acme"_s, QDateTime::currentMSecsSinceEpoch()));
    QCOMPARE(differences(db), QStringList());
}

// The potential and frequency tabs' total 60-day spend of their snapshot's members (migration 028) through
// writes to both snapshot tables (a new calculation day coming in row by row, rows going, members and days
// changed) and to the spend behind them; the tabs' reports stay those computed from the logs.
void CustomerRankingsTest::snapshotTotalsFollowEveryWrite() {
    auto ws = demo(3);
    QSqlDatabase db = ws->db();
    // The tabs that read the snapshots' totals; every tab once the logs behind them change too.
    const QStringList kSnapshotTabs{u"potential"_s, u"freq60"_s};
    // The later kept day (the anchor's business day, after the last log's): its snapshots' latest calculation
    // day is before it, so a newer one can come in.
    const QDate latest = QDate::fromString(
        value(db, u"SELECT MAX(as_of) FROM bd_customer_rank_days WHERE site_id = 'S1'"_s).toString(),
        Qt::ISODate);
    const QString day = latest.toString(Qt::ISODate);
    const auto keptCalc = [&](const QString& snapshot) {
        return value(
                   db,
                   u"SELECT COALESCE(MAX(calc_date), '') FROM bd_customer_snapshot_spend WHERE site_id = 'S1'"
                   " AND as_of = '%1' AND snapshot = '%2'"_s.arg(day, snapshot))
            .toString();
    };
    // The demo calculates on the kept day itself: that day's snapshots go (their totals first, behind the
    // triggers' back: a total not kept is added up by the board), to come in again row by row below.
    const QString newCalc = day;
    exec(db, u"DELETE FROM bd_customer_snapshot_spend WHERE site_id = 'S1' AND calc_date = '%1'"_s.arg(day));
    exec(db,
         u"DELETE FROM bd_member_spending_power_index WHERE site_id = 'S1' AND calc_date = '%1'"_s.arg(day));
    exec(db,
         u"DELETE FROM bd_member_consumption_summary WHERE site_id = 'S1' AND calc_date = '%1'"_s.arg(day));
    QCOMPARE(compareWithTheLogs(db, u"S1"_s, latest, kSnapshotTabs), 4);
    QVERIFY(
        CustomerRankings::keepCurrent(db, u"acme"_s, timestamps::toMs(test::TestWorkspace::fixedAnchor())));
    const QString spiCalc = value(db, u"SELECT MAX(calc_date) FROM bd_member_spending_power_index WHERE"
                                      " site_id = 'S1' AND calc_date <= '%1'"_s.arg(day))
                                .toString();
    const QString csCalc = value(db, u"SELECT MAX(calc_date) FROM bd_member_consumption_summary WHERE"
                                     " site_id = 'S1' AND calc_date <= '%1'"_s.arg(day))
                               .toString();
    QCOMPARE(keptCalc(u"spi"_s), spiCalc);
    QCOMPARE(keptCalc(u"consumption"_s), csCalc);
    QVERIFY(
        value(db, u"SELECT spend_fen FROM bd_customer_snapshot_spend WHERE site_id = 'S1' AND as_of = '%1'"
                  " AND snapshot = 'spi'"_s.arg(day))
            .toLongLong() > 0);
    QCOMPARE(differences(db), QStringList());

    // A new calculation day after the latest, on or before the kept day, written row by row: its total is
    // kept from its first row and the older one goes.
    QVERIFY2(spiCalc < newCalc && csCalc < newCalc, qPrintable(spiCalc + u' ' + csCalc));
    exec(db,
         u"INSERT INTO bd_member_spending_power_index (tenant_id, site_id, tenant_member_id, spi, calc_date,"
         " etl_version) SELECT tenant_id, site_id, tenant_member_id, spi + 1, '%1', etl_version"
         " FROM bd_member_spending_power_index WHERE site_id = 'S1' AND calc_date = '%2'"
         " AND tenant_member_id % 3 <> 0"_s.arg(newCalc, spiCalc));
    exec(db,
         u"INSERT INTO bd_member_consumption_summary (tenant_id, site_id, tenant_member_id, calc_date,"
         " visits_60d, amount_60d_fen, etl_version) SELECT tenant_id, site_id, tenant_member_id, '%1',"
         " visits_60d + 1, amount_60d_fen, etl_version FROM bd_member_consumption_summary"
         " WHERE site_id = 'S1' AND calc_date = '%2' AND tenant_member_id % 3 <> 1"_s.arg(newCalc, csCalc));
    QCOMPARE(keptCalc(u"spi"_s), newCalc);
    QCOMPARE(keptCalc(u"consumption"_s), newCalc);
    QCOMPARE(
        value(db,
              u"SELECT COUNT(*) FROM bd_customer_snapshot_spend WHERE site_id = 'S1' AND as_of = '%1'"_s.arg(
                  day))
            .toInt(),
        2);
    QCOMPARE(differences(db), QStringList());
    QCOMPARE(compareWithTheLogs(db, u"S1"_s, latest, kSnapshotTabs), 4);

    // Rows go, members change, a row moves to another day; then the spend behind them changes.
    for (const QString& table : {u"bd_member_spending_power_index"_s, u"bd_member_consumption_summary"_s}) {
        exec(db,
             u"DELETE FROM %1 WHERE site_id = 'S1' AND calc_date = '%2' AND tenant_member_id % 5 = 0"_s.arg(
                 table, newCalc));
        exec(db, u"UPDATE %1 SET tenant_member_id = tenant_member_id + 1000000 WHERE site_id = 'S1'"
                 " AND calc_date = '%2' AND tenant_member_id % 7 = 0"_s.arg(table, newCalc));
        exec(db, u"UPDATE %1 SET tenant_member_id = tenant_member_id - 1000000 WHERE site_id = 'S1'"
                 " AND calc_date = '%2' AND tenant_member_id > 1000000 AND tenant_member_id % 2 = 0"_s.arg(
                     table, newCalc));
        exec(db, u"UPDATE %1 SET calc_date = '%2' WHERE site_id = 'S1' AND calc_date = '%3'"
                 " AND tenant_member_id % 11 = 0 AND tenant_member_id NOT IN (SELECT tenant_member_id FROM %1"
                 " WHERE site_id = 'S1' AND calc_date = '%2')"_s.arg(
                     table, newCalc, table.contains(u"spending") ? spiCalc : csCalc));
    }
    exec(
        db,
        u"UPDATE bd_assistant_service_log SET ledger_amount_fen = ledger_amount_fen + 13 WHERE site_id = 'S1'"
        " AND biz_date = '%1'"_s.arg(latest.addDays(-2).toString(Qt::ISODate)));
    exec(db, u"DELETE FROM bd_assistant_service_log WHERE site_id = 'S1' AND biz_date = '%1'"_s.arg(
                 latest.addDays(-6).toString(Qt::ISODate)));
    QCOMPARE(differences(db), QStringList());
    QCOMPARE(compareWithTheLogs(db, u"S1"_s, latest), 12);

    // The new day's rows all go: its total stays (zero, exact), the latest day is the older one again, whose
    // total is gone (the board adds it up), until the kept days are kept again.
    exec(db, u"DELETE FROM bd_member_spending_power_index WHERE site_id = 'S1' AND calc_date = '%1'"_s.arg(
                 newCalc));
    QCOMPARE(
        value(db, u"SELECT spend_fen FROM bd_customer_snapshot_spend WHERE site_id = 'S1' AND as_of = '%1'"
                  " AND snapshot = 'spi' AND calc_date = '%2'"_s.arg(day, newCalc))
            .toLongLong(),
        0);
    QCOMPARE(differences(db), QStringList());
    QCOMPARE(compareWithTheLogs(db, u"S1"_s, latest, kSnapshotTabs), 4);
    QVERIFY(
        CustomerRankings::keepCurrent(db, u"acme"_s, timestamps::toMs(test::TestWorkspace::fixedAnchor())));
    QCOMPARE(
        value(db, u"SELECT COUNT(*) FROM bd_customer_snapshot_spend WHERE site_id = 'S1' AND as_of = '%1'"
                  " AND snapshot = 'spi' AND calc_date = '%2'"_s.arg(day, spiCalc))
            .toInt(),
        1);
    QCOMPARE(differences(db), QStringList());
    QCOMPARE(compareWithTheLogs(db, u"S1"_s, latest, kSnapshotTabs), 4);

    // A kept total written behind the triggers' back is found, and the tab shows it (the board reads it).
    exec(db, u"UPDATE bd_customer_snapshot_spend SET spend_fen = spend_fen + 1 WHERE site_id = 'S1'"
             " AND as_of = '%1' AND snapshot = 'consumption'"_s.arg(day));
    QCOMPARE(differences(db), QStringList{u"bd_customer_snapshot_spend acme S1 %1"_s.arg(day)});
    QCOMPARE(compareWithTheLogs(db, u"S1"_s, latest, kSnapshotTabs), -1);
}

// keepDays keeps exactly what it is given; a request for a day not kept is answered from the logs.
void CustomerRankingsTest::keptDaysFollowTheRequest() {
    test::TestWorkspace ws(-1);
    QSqlDatabase db = ws.db();
    exec(db, u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme')"_s);
    QVERIFY(BoardWorkspaceLoad::load(db, u"acme"_s, kFixture));
    const QDate latest = latestDay(db, u"S1"_s);
    const QDate other = latest.addDays(-5);
    QVERIFY(!kept(db, u"S1"_s, other));
    QVERIFY(CustomerRankings::keepDays(db, u"acme"_s, u"S1"_s, {latest, other}));
    QVERIFY(kept(db, u"S1"_s, other));
    QCOMPARE(differences(db), QStringList());
    QCOMPARE(compareWithTheLogs(db, u"S1"_s, other), 12);
    QVERIFY(CustomerRankings::keepDays(db, u"acme"_s, u"S1"_s, {other}));
    QVERIFY(!kept(db, u"S1"_s, latest));
    QCOMPARE(value(db, u"SELECT COUNT(*) FROM bd_customer_spend60 WHERE as_of = '%1'"_s.arg(
                           latest.toString(Qt::ISODate)))
                 .toInt(),
             0);
    QCOMPARE(differences(db), QStringList());
}

// The desktop opened the day after the demo (no load or sync since): GuiLauncher keeps the sites' new
// business day once, and the customer board then reads it from the rankings with the logs' own answer.
void CustomerRankingsTest::aNewDayIsKeptWhenTheDesktopOpens() {
    auto ws = demo(7);
    QSqlDatabase db = ws->db();
    const qint64 anchorMs = timestamps::toMs(test::TestWorkspace::fixedAnchor());
    auto same = CustomerRankings::keepTodayWhereMissing(db, anchorMs);
    QVERIFY2(same, same ? "" : qPrintable(same.problem().message));
    QCOMPARE(same.value(), 0); // the demo kept its own day
    const qint64 nextMs = anchorMs + 24 * 3600 * 1000;
    auto next = CustomerRankings::keepTodayWhereMissing(db, nextMs);
    QVERIFY2(next, next ? "" : qPrintable(next.problem().message));
    QCOMPARE(next.value(), 1); // one tenant, both of its sites
    for (const QString& site : {u"S1"_s, u"S2"_s}) {
        QSqlQuery q(db);
        QVERIFY(
            q.exec(u"SELECT tz, business_day_cutoff_minutes FROM bd_site_settings WHERE site_id = '%1'"_s.arg(
                site)));
        QVERIFY(q.next());
        const auto clock = SiteClock::make(q.value(0).toString(), q.value(1).toInt());
        q.finish(); // a statement left open would lock the board's temporary tables
        QVERIFY(clock);
        const QDate day = clock.value().businessDayOf(nextMs);
        QVERIFY(kept(db, site, day));
        QVERIFY(kept(db, site, latestDay(db, site))); // and the latest day with logs stays
        QCOMPARE(compareWithTheLogs(db, site, day), 12);
    }
    QCOMPARE(CustomerRankings::keepTodayWhereMissing(db, nextMs).value(), 0); // nothing more to do
    QCOMPARE(differences(db), QStringList());
}

QTEST_GUILESS_MAIN(CustomerRankingsTest)
#include "tst_customerrankings.moc"
