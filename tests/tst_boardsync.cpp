// Board sync (spec §7.5, AC-X-12) on the real PostgreSQL of scripts/test and real workspace files: the loader
// records partitions with their row count and checksum under site row-level security, a finance login pulls
// exactly its sites' partitions and verifies them, a reload replaces only what changed, a damaged local row
// is found by verify; and the board result cache (§2.9, AC-X-08..10).
#include "TestServer.h"
#include "TestSettings.h"
#include "boards/BoardCache.h"
#include "boards/BoardPartitionChecksum.h"
#include "boards/BoardPeriod.h"
#include "boards/BoardScope.h"
#include "boards/CustomerRankings.h"
#include "store/Workspace.h"
#include "sync/BoardPartitionPull.h"
#include "sync/BoardServerLoad.h"
#include "sync/PgConnection.h"
#include "sync/ServerAdmin.h"
#include "sync/SyncEngine.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

void writeFile(const QString& dir, const QString& name, const QByteArray& text) {
    QFile f(QDir(dir).filePath(name));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

// A second site, S2, with a few rows of its own (F1/F2 has S1 only).
void writeSiteTwo(const QString& dir) {
    writeFile(dir, u"site_settings.csv"_s, "site_id,tz,business_day_cutoff_minutes\nS2,Asia/Shanghai,\n");
    writeFile(dir, u"v_dwd_assistant_service_log.csv"_s,
              "site_id,assistant_service_id,site_assistant_id,tenant_member_id,is_delete,create_time,"
              "start_use_time,last_use_time,income_seconds,real_use_seconds,ledger_amount,skill_name,"
              "site_table_id,etl_loaded_at\n"
              "S2,1,7,9,0,2026-05-15T01:00:00+08:00,,,3600,3600,-0.05,,,\n"
              "S2,2,7,9,1,2026-05-16T13:00:00+08:00,,,3600,3600,88.00,二店,,\n");
    writeFile(
        dir, u"v_dws_finance_daily_summary.csv"_s,
        "site_id,biz_date,cash_wechat,cash_alipay,cash_cash,cash_bank,cash_recharge,cash_platform_gross,"
        "tender_stored_value,tender_gift,tender_voucher\n"
        "S2,2026-05-15,1.00,0,0,0,0,0,0,0,0\n");
    writeFile(dir, u"v_dws_member_winback_index.csv"_s,
              "site_id,tenant_member_id,wbi,calc_date,days_since_last_visit\nS2,9,0.1234,2026-05-31,3\n");
    // A member known only to S2 (AC-X-07): no S1 login may ever read this name or phone.
    writeFile(dir, u"v_dim_member.csv"_s,
              "tenant_member_id,member_name,mobile,register_site_id\n9,孙九,13900009999,S2\n");
}

QVariant scalar(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0);
}

QStringList column(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    QStringList values;
    while (q.next())
        values << q.value(0).toString();
    if (q.lastError().isValid())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return values;
}

using test::connectOrFail;
using test::must;

// Every synced bd_ table's site_ids in the workspace.
QStringList sitesInWorkspace(QSqlDatabase db) {
    QStringList sites;
    for (const BoardDataset& d : BoardDataCatalog::datasets())
        if (BoardPartitionChecksum::isSynced(d))
            sites += column(db, u"SELECT DISTINCT site_id FROM %1"_s.arg(d.sqliteTable()));
    sites.removeDuplicates();
    sites.sort();
    return sites;
}

// The partitions as "dataset|site|date|version|rows|checksum", sorted.
QStringList serverPartitions(PgConnection& server, const QString& site) {
    auto r =
        must(server.exec(u"SELECT dataset || '|' || site_id || '|' || COALESCE(biz_date::text, '') || '|' || "
                         "etl_version || '|' || row_count || '|' || checksum FROM riskdesk_board.partitions "
                         "WHERE tenant_id = 'acme' AND site_id = $1 ORDER BY 1"_s,
                         {site}));
    QStringList rows;
    for (int i = 0; i < r.rows(); ++i)
        rows << r.text(i, 0);
    return rows;
}

QStringList localPartitions(QSqlDatabase db, const QString& site) {
    return column(
        db, u"SELECT dataset || '|' || site_id || '|' || biz_date || '|' || etl_version || '|' || "
            "row_count || '|' || checksum FROM bd_partitions WHERE tenant_id = 'acme' AND site_id = '%1' "
            "ORDER BY 1"_s.arg(site));
}

#define REQUIRE_SERVER()                                                                                     \
    if (m_ownerUrl.isEmpty())                                                                                \
    QFAIL("RISKDESK_TEST_PG_URL is not set: run the tests through scripts/test, or `scripts/pg start` "      \
          "and export RISKDESK_TEST_PG_URL")

} // namespace

class BoardSyncTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    // The canonical form
    void checksumIgnoresRowOrderButNotValues();

    // Server
    void loaderRecordsEveryPartition();
    void partitionsFollowSiteMembership();
    void partitionsAndMembershipsCannotBeWrittenOrWidened();
    void partitionsMissingBeforeALoadAreBackfilled();

    // Desktop
    void financeUserOfS1PullsOnlyS1();
    void tenantWideDataFollowTheLogin();
    void reloadReplacesOnlyThatPartition();
    void keptRankingsFollowAPulledServiceLog();
    void corruptedLocalRowIsFoundByVerify();
    void serverRowsThatDoNotMatchAreRefused();
    void userOfS2GetsNothingOfS1();
    void nonFinanceLoginPullsNoBoards();
    void revokedMembershipRemovesTheSiteFromTheUser();
    void aServerBeforeBoardSyncStillSyncs();

    // Cache
    void acX08_switchingUserNeverHitsAnotherUsersResult();
    void acX09_resolvedDatesDifferIsAMiss();
    void acX10_newWatermarkIsAMiss();

private:
    QString serverUrl(const QString& login = {}) const;
    void addUser(const QString& name, UserRole role, const QStringList& sites);
    QString workspacePath(const QString& name) const { return m_files.filePath(name + u".rdw"_s); }

    QString m_ownerUrl, m_database, m_prefix;
    QStringList m_logins;
    std::unique_ptr<PgConnection> m_owner;
    QTemporaryDir m_files;
    Workspace m_fin1{
        riskdesk::test::settings()}; // fin1's workspace, shared with fin2 later (one desktop, two users)
};

void BoardSyncTest::initTestCase() {
    QVERIFY(m_files.isValid());
    m_ownerUrl = qEnvironmentVariable("RISKDESK_TEST_PG_URL");
    m_prefix = u"bs%1_"_s.arg(QCoreApplication::applicationPid());
    if (m_ownerUrl.isEmpty())
        return; // the server tests fail on their own, naming why
    m_database = u"riskdesk_%1main"_s.arg(m_prefix);
    must(connectOrFail(m_ownerUrl)->exec(u"CREATE DATABASE %1"_s.arg(m_database)));
    m_owner = connectOrFail(serverUrl());
    auto migrated = ServerAdmin::migrate(*m_owner);
    QVERIFY2(migrated, migrated ? "" : qPrintable(migrated.problem().message));
    must(m_owner->exec(u"INSERT INTO riskdesk.tenants VALUES ('acme', 'Acme')"_s));
    addUser(u"fin1"_s, UserRole::Finance, {u"S1"_s});
    addUser(u"fin2"_s, UserRole::Finance, {u"S2"_s});
    addUser(u"fin0"_s, UserRole::Finance, {});
    addUser(u"appr"_s, UserRole::Approver, {u"S1"_s});
    auto f1f2 = BoardServerLoad::load(*m_owner, u"acme"_s,
                                      QStringLiteral(RISKDESK_SOURCE_DIR "/tests/fixtures/boards/f1f2"));
    QVERIFY2(f1f2, f1f2 ? "" : qPrintable(f1f2.problem().message));
    const QString two = m_files.filePath(u"s2"_s);
    QVERIFY(QDir().mkpath(two));
    writeSiteTwo(two);
    auto s2 = BoardServerLoad::load(*m_owner, u"acme"_s, two);
    QVERIFY2(s2, s2 ? "" : qPrintable(s2.problem().message));
    QCOMPARE(s2.value().etlVersion, f1f2.value().etlVersion + 1);
}

void BoardSyncTest::cleanupTestCase() {
    m_fin1.close();
    if (m_ownerUrl.isEmpty())
        return;
    m_owner.reset();
    auto admin = connectOrFail(m_ownerUrl);
    test::mustDropDatabase(*admin, m_database);
    for (const QString& role : std::as_const(m_logins))
        must(admin->exec(u"DROP ROLE IF EXISTS %1"_s.arg(PgConnection::quoteIdentifier(role))));
}

QString BoardSyncTest::serverUrl(const QString& login) const {
    QUrl url(m_ownerUrl);
    url.setPath(u"/"_s + m_database);
    if (!login.isEmpty()) {
        url.setUserName(m_prefix + login);
        url.setPassword(u"pw"_s);
    }
    return url.toString();
}

void BoardSyncTest::addUser(const QString& name, UserRole role, const QStringList& sites) {
    QVERIFY(ServerAdmin::addUser(*m_owner, m_prefix + name, u"pw"_s, role, u"acme"_s, name, name, sites));
    m_logins << m_prefix + name;
}

// ---- The canonical form ----

void BoardSyncTest::checksumIgnoresRowOrderButNotValues() {
    auto row = [](std::initializer_list<const char*> values) {
        QList<std::optional<QByteArray>> fields;
        for (const char* v : values)
            fields << (v ? std::optional(QByteArray(v)) : std::nullopt);
        return fields;
    };
    BoardPartitionChecksum a, b, c, d;
    a.addRow(row({"S1", "1", "20000"}));
    a.addRow(row({"S1", "2", nullptr}));
    b.addRow(row({"S1", "2", nullptr}));
    b.addRow(row({"S1", "1", "20000"}));
    QCOMPARE(a.hex(), b.hex());
    QCOMPARE(a.rowCount(), 2);
    QCOMPARE(a.hex().size(), 64);
    c.addRow(row({"S1", "1", "20001"}));
    c.addRow(row({"S1", "2", nullptr}));
    QVERIFY(a.hex() != c.hex());
    // NULL and the empty string differ, and field boundaries cannot be moved ("1","23" vs "12","3").
    d.addRow(row({"S1", "1", "20000"}));
    d.addRow(row({"S1", "2", ""}));
    QVERIFY(a.hex() != d.hex());
    BoardPartitionChecksum e, f;
    e.addRow(row({"1", "23"}));
    f.addRow(row({"12", "3"}));
    QVERIFY(e.hex() != f.hex());
    // Decimals: REAL in the workspace and numeric(…,4) on the server give the same text.
    QCOMPARE(*BoardPartitionChecksum::fromSqlite(BoardColumn::Kind::Decimal, 92.5), QByteArray("92.5000"));
    QCOMPARE(*BoardPartitionChecksum::fromSqlite(BoardColumn::Kind::Decimal, -0.0), QByteArray("0.0000"));
    QVERIFY(!BoardPartitionChecksum::fromSqlite(BoardColumn::Kind::Money, QVariant()));
}

// ---- Server ----

void BoardSyncTest::loaderRecordsEveryPartition() {
    REQUIRE_SERVER();
    // Every synced dataset with rows has its partitions, and each partition's row_count is the table's.
    for (const BoardDataset& d : BoardDataCatalog::datasets()) {
        if (!BoardPartitionChecksum::isSynced(d))
            continue;
        const bool daily = BoardPartitionChecksum::isDaily(d);
        auto groups = must(m_owner->exec(
            u"SELECT site_id, %1, count(*) FROM riskdesk_board.%2 WHERE tenant_id = 'acme' GROUP BY 1, 2"_s
                .arg(daily ? u"biz_date"_s : u"NULL::date"_s, d.table)));
        auto recorded = must(m_owner->exec(
            u"SELECT count(*) FROM riskdesk_board.partitions WHERE tenant_id = 'acme' AND dataset = $1"_s,
            {d.table}));
        QCOMPARE(recorded.integer(0, 0), qint64(groups.rows()));
        for (int g = 0; g < groups.rows(); ++g) {
            auto p = must(m_owner->exec(
                u"SELECT row_count FROM riskdesk_board.partitions WHERE tenant_id = 'acme' AND site_id = $1 "
                u"AND "
                "dataset = $2 AND biz_date IS NOT DISTINCT FROM $3::date"_s,
                {groups.text(g, 0), d.table, groups.isNull(g, 1) ? QString() : groups.text(g, 1)}));
            QCOMPARE(p.rows(), 1);
            QCOMPARE(p.integer(0, 0), groups.integer(g, 2));
        }
    }
    // Daily datasets are per business day; snapshots are one whole-site row; tenant-wide ones are not synced.
    QCOMPARE(
        must(m_owner->exec(u"SELECT count(DISTINCT biz_date) FROM riskdesk_board.partitions WHERE dataset = "
                           "'assistant_service_log' AND site_id = 'S2'"_s))
            .integer(0, 0),
        2);
    QCOMPARE(must(m_owner->exec(u"SELECT count(*) FROM riskdesk_board.partitions WHERE dataset = "
                                "'dim_assistant' AND biz_date IS NULL"_s))
                 .integer(0, 0),
             1);
    QCOMPARE(must(m_owner->exec(u"SELECT count(*) FROM riskdesk_board.partitions WHERE dataset IN "
                                "('dim_member', 'cfg_intimacy_level', 'cfg_skill_type', 'member_sites')"_s))
                 .integer(0, 0),
             0);
    // Versions: S1's partitions come from the first load, S2's from the second.
    QCOMPARE(must(m_owner->exec(u"SELECT count(DISTINCT etl_version) FROM riskdesk_board.partitions"_s))
                 .integer(0, 0),
             2);
}

void BoardSyncTest::partitionsFollowSiteMembership() {
    REQUIRE_SERVER();
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    const qint64 s1 =
        must(m_owner->exec(u"SELECT count(*) FROM riskdesk_board.partitions WHERE site_id = 'S1'"_s))
            .integer(0, 0);
    QVERIFY(s1 > 10);
    QCOMPARE(must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.partitions"_s)).integer(0, 0), s1);
    QCOMPARE(must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.partitions WHERE site_id <> 'S1'"_s))
                 .integer(0, 0),
             0);
    // Narrowing to a site it does not have gives nothing; to its own keeps everything.
    QVERIFY(fin1->execScript(u"BEGIN"_s));
    must(fin1->exec(u"SELECT set_config('riskdesk.site_id', 'S2', true)"_s));
    QCOMPARE(must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.partitions"_s)).integer(0, 0), 0);
    must(fin1->exec(u"SELECT set_config('riskdesk.site_id', 'S1', true)"_s));
    QCOMPARE(must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.partitions"_s)).integer(0, 0), s1);
    QVERIFY(fin1->execScript(u"COMMIT"_s));
    // After that transaction the setting reads '' (not NULL): still S1's partitions.
    QCOMPARE(must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.partitions"_s)).integer(0, 0), s1);
    // No membership: nothing (default deny). Memberships: each login reads its own only.
    auto fin0 = connectOrFail(serverUrl(u"fin0"_s));
    QCOMPARE(must(fin0->exec(u"SELECT count(*) FROM riskdesk_board.partitions"_s)).integer(0, 0), 0);
    auto mine = must(fin1->exec(u"SELECT login_role, site_id FROM riskdesk.site_memberships"_s));
    QCOMPARE(mine.rows(), 1);
    QCOMPARE(mine.text(0, 0), m_prefix + u"fin1"_s);
    QCOMPARE(mine.text(0, 1), u"S1"_s);
}

void BoardSyncTest::partitionsAndMembershipsCannotBeWrittenOrWidened() {
    REQUIRE_SERVER();
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    const QStringList attacks{
        u"INSERT INTO riskdesk_board.partitions VALUES ('acme', 'S2', 'assistant_service_log', NULL, 99, 0, "
        "repeat('0', 64))"_s,
        u"UPDATE riskdesk_board.partitions SET etl_version = etl_version + 1"_s,
        u"DELETE FROM riskdesk_board.partitions"_s,
        u"TRUNCATE riskdesk_board.partitions"_s,
        u"INSERT INTO riskdesk.site_memberships VALUES (session_user, 'acme', 'S2')"_s,
        u"UPDATE riskdesk.site_memberships SET site_id = 'S2'"_s,
        u"ALTER TABLE riskdesk_board.partitions DISABLE ROW LEVEL SECURITY"_s,
        u"SET ROLE riskdesk_admin"_s,
    };
    for (const QString& sql : attacks) {
        auto r = fin1->exec(sql);
        QVERIFY2(!r, qPrintable(sql));
        QVERIFY2(fin1->sqlState() == u"42501" || fin1->sqlState() == u"42P01",
                 qPrintable(fin1->sqlState() + sql));
    }
    // Row security cannot be switched off: the query fails instead of widening.
    QVERIFY(fin1->execScript(u"SET row_security = off"_s));
    QVERIFY(!fin1->exec(u"SELECT count(*) FROM riskdesk_board.partitions"_s));
    QVERIFY(fin1->execScript(u"RESET row_security"_s));
    // SET ROLE to the finance group keeps session_user: still S1 only.
    QVERIFY(fin1->execScript(u"SET ROLE riskdesk_finance"_s));
    QCOMPARE(must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.partitions WHERE site_id <> 'S1'"_s))
                 .integer(0, 0),
             0);
    QCOMPARE(must(fin1->exec(u"SELECT count(*) FROM riskdesk.site_memberships WHERE site_id = 'S2'"_s))
                 .integer(0, 0),
             0);
    // Catalog: RLS enabled and forced, a policy, owned by no app login; finance may only SELECT.
    auto catalog = must(m_owner->exec(
        u"SELECT relrowsecurity AND relforcerowsecurity, (SELECT count(*) FROM pg_policy WHERE polrelid = "
        u"c.oid), "
        "has_table_privilege('riskdesk_finance', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'), "
        "has_table_privilege('riskdesk_approver', c.oid, 'SELECT') FROM pg_class c WHERE c.oid = "
        "'riskdesk_board.partitions'::regclass"_s));
    QCOMPARE(catalog.text(0, 0), u"t"_s);
    QCOMPARE(catalog.integer(0, 1), 1);
    QCOMPARE(catalog.text(0, 2), u"f"_s);
    QCOMPARE(catalog.text(0, 3), u"f"_s);
}

void BoardSyncTest::partitionsMissingBeforeALoadAreBackfilled() {
    REQUIRE_SERVER();
    // Board data loaded before migration 005 has no partitions: the next load records all of them, not only
    // the ones it writes.
    auto all = must(m_owner->exec(u"SELECT tenant_id, site_id, dataset, biz_date, row_count, checksum FROM "
                                  "riskdesk_board.partitions ORDER BY 1, 2, 3, 4"_s));
    must(m_owner->exec(u"DELETE FROM riskdesk_board.partitions"_s));
    const QString dir = m_files.filePath(u"backfill"_s);
    QVERIFY(QDir().mkpath(dir));
    writeFile(dir, u"v_dws_member_winback_index.csv"_s,
              "site_id,tenant_member_id,wbi,calc_date,days_since_last_visit\nS2,9,0.1234,2026-05-31,3\n");
    auto loaded = BoardServerLoad::load(*m_owner, u"acme"_s, dir);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    auto again = must(m_owner->exec(u"SELECT tenant_id, site_id, dataset, biz_date, row_count, checksum FROM "
                                    "riskdesk_board.partitions ORDER BY 1, 2, 3, 4"_s));
    QCOMPARE(again.rows(), all.rows());
    for (int r = 0; r < all.rows(); ++r)
        for (int c = 0; c < all.columns(); ++c)
            QCOMPARE(again.text(r, c), all.text(r, c)); // same rows, same checksums
    QCOMPARE(must(m_owner->exec(u"SELECT count(*) FROM riskdesk_board.partitions WHERE etl_version <> $1"_s,
                                {QString::number(loaded.value().etlVersion)}))
                 .integer(0, 0),
             0);
}

// ---- Desktop ----

void BoardSyncTest::financeUserOfS1PullsOnlyS1() {
    REQUIRE_SERVER();
    QVERIFY(m_fin1.open(workspacePath(u"fin1"_s), u"tst-fin1"_s));
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    // Through the sync engine, as `riskdesk sync` and the window's sync service run it.
    auto report = SyncEngine(m_fin1.db(), *fin1).syncOnce();
    QVERIFY2(report, report ? "" : qPrintable(report.problem().message));
    QVERIFY2(report.value().messages.isEmpty(), qPrintable(report.value().messages.join(u'\n')));
    const QStringList expected = serverPartitions(*m_owner, u"S1"_s);
    QCOMPARE(report.value().boardPartitions, expected.size());
    QCOMPARE(localPartitions(m_fin1.db(), u"S1"_s), expected);
    QVERIFY(localPartitions(m_fin1.db(), u"S2"_s).isEmpty());
    QCOMPARE(sitesInWorkspace(m_fin1.db()), QStringList{u"S1"_s});
    // The rows are the server's: the money of the coach board's source, to the fen.
    QCOMPARE(
        scalar(m_fin1.db(), u"SELECT SUM(ledger_amount_fen) FROM bd_assistant_service_log"_s).toLongLong(),
        must(m_owner->exec(
                 u"SELECT (SUM(ledger_amount) * 100)::bigint FROM riskdesk_board.assistant_service_log "
                 "WHERE site_id = 'S1'"_s))
            .integer(0, 0));
    QCOMPARE(scalar(m_fin1.db(),
                    u"SELECT rs_score FROM bd_member_assistant_relation_index WHERE tenant_member_id "
                    "= 1 AND site_assistant_id = 1"_s)
                 .toDouble(),
             92.5);
    // Each partition re-read locally matches the server's count and checksum.
    auto damage = BoardPartitionPull::verify(m_fin1.db());
    QVERIFY(damage);
    QVERIFY(damage.value().isEmpty());
    // The user's sites come from the server's memberships; the board scope offers S1 only.
    QCOMPARE(column(m_fin1.db(),
                    u"SELECT tenant_id || '/' || site_id FROM bd_user_sites WHERE user_id = 'fin1'"_s),
             QStringList{u"acme/S1"_s});
    auto scope = BoardScope::open(m_fin1.db(), u"acme"_s, u"fin1"_s);
    QVERIFY2(scope, scope ? "" : qPrintable(scope.problem().message));
    QCOMPARE(scope.value().sites(), QStringList{u"S1"_s});
    // Nothing changed on the server: the next sync replaces nothing.
    auto again = SyncEngine(m_fin1.db(), *fin1).syncOnce();
    QVERIFY(again);
    QCOMPARE(again.value().boardPartitions, 0);
}

// Skill types, intimacy levels, members and member_sites have no site partition: the pull mirrors the slice
// row-level security shows the login, replaces it only when it changed, and verify re-checks it.
void BoardSyncTest::tenantWideDataFollowTheLogin() {
    REQUIRE_SERVER();
    QVERIFY(m_fin1.isOpen());
    QSqlDatabase db = m_fin1.db();
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    // The members: exactly those S1 knows, never the S2-only member 9 (the owner sees 9).
    const QString members = u"SELECT tenant_member_id::text || '|' || COALESCE(member_name, '') || '|' || "
                            "COALESCE(mobile, '') FROM riskdesk_board.dim_member ORDER BY tenant_member_id"_s;
    auto visible = must(fin1->exec(members));
    QStringList expected;
    for (int i = 0; i < visible.rows(); ++i)
        expected << visible.text(i, 0);
    QCOMPARE(expected.size(), 5);
    QCOMPARE(column(db, u"SELECT tenant_member_id || '|' || COALESCE(member_name, '') || '|' || "
                        "COALESCE(mobile, '') FROM bd_dim_member ORDER BY tenant_member_id"_s),
             expected);
    QVERIFY(
        must(m_owner->exec(u"SELECT 1 FROM riskdesk_board.dim_member WHERE tenant_member_id = 9"_s)).rows() ==
        1);
    QCOMPARE(scalar(db, u"SELECT count(*) FROM bd_dim_member WHERE tenant_member_id = 9"_s).toInt(), 0);
    QCOMPARE(column(db, u"SELECT DISTINCT site_id FROM bd_member_sites"_s), QStringList{u"S1"_s});
    // The tenant-wide skill rows (site '') of F1 arrived, with the server's names.
    QCOMPARE(column(db, u"SELECT skill_code || '|' || skill_name FROM bd_cfg_skill_type WHERE site_id = '' "
                        "ORDER BY sort_order, skill_code"_s),
             [&] {
                 auto skills = must(fin1->exec(u"SELECT skill_code || '|' || skill_name FROM "
                                               "riskdesk_board.cfg_skill_type WHERE site_id = '' "
                                               "ORDER BY sort_order, skill_code"_s));
                 QStringList rows;
                 for (int i = 0; i < skills.rows(); ++i)
                     rows << skills.text(i, 0);
                 return rows;
             }());
    QVERIFY(scalar(db, u"SELECT count(*) FROM bd_cfg_skill_type WHERE site_id = ''"_s).toInt() > 0);
    QCOMPARE(scalar(db, u"SELECT count(*) FROM bd_partitions WHERE site_id = ''"_s).toInt(), 4);

    // Nothing changed on the server: nothing is replaced.
    auto again = BoardPartitionPull::pull(db, *fin1);
    QVERIFY2(again, again ? "" : qPrintable(again.problem().message));
    QCOMPARE(again.value().tenantSlices, 0);
    QCOMPARE(again.value().partitions, 0);

    // A member renamed on the server: the members' slice alone is replaced, and the tenant's kept board
    // results are dropped (the name is on every site's boards).
    must(m_owner->exec(
        u"UPDATE riskdesk_board.dim_member SET member_name = '王一一' WHERE tenant_member_id = 1"_s));
    QVERIFY(BoardCache::put(
        db, {u"fin1"_s, u"acme"_s, u"S1"_s, u"customer"_s, u"recall"_s, QJsonObject{}, u"w"_s}, "{}"));
    auto renamed = BoardPartitionPull::pull(db, *fin1);
    QVERIFY2(renamed, renamed ? "" : qPrintable(renamed.problem().message));
    QCOMPARE(renamed.value().tenantSlices, 1);
    QCOMPARE(renamed.value().rows, 5);
    QCOMPARE(scalar(db, u"SELECT member_name FROM bd_dim_member WHERE tenant_member_id = 1"_s).toString(),
             u"王一一"_s);
    QCOMPARE(scalar(db, u"SELECT count(*) FROM board_cache WHERE tenant_id = 'acme'"_s).toInt(), 0);

    // A damaged local member row is found by verify, and the next pull repairs it.
    QSqlQuery q(db);
    QVERIFY(q.exec(u"UPDATE bd_dim_member SET mobile = '13800000000' WHERE tenant_member_id = 2"_s));
    auto damage = BoardPartitionPull::verify(db);
    QVERIFY2(damage, damage ? "" : qPrintable(damage.problem().message));
    QCOMPARE(damage.value().size(), 1);
    QCOMPARE(damage.value().at(0).key.dataset, u"dim_member"_s);
    QCOMPARE(damage.value().at(0).key.siteId, QString());
    QCOMPARE(damage.value().at(0).actualRows, damage.value().at(0).expectedRows);
    auto repaired = BoardPartitionPull::pull(db, *fin1);
    QVERIFY2(repaired, repaired ? "" : qPrintable(repaired.problem().message));
    QCOMPARE(repaired.value().tenantSlices, 1);
    auto clean = BoardPartitionPull::verify(db);
    QVERIFY(clean);
    QVERIFY(clean.value().isEmpty());
    must(m_owner->exec(
        u"UPDATE riskdesk_board.dim_member SET member_name = '王一' WHERE tenant_member_id = 1"_s));
    QVERIFY(BoardPartitionPull::pull(db, *fin1));
}

void BoardSyncTest::reloadReplacesOnlyThatPartition() {
    REQUIRE_SERVER();
    QVERIFY(m_fin1.isOpen());
    const QStringList before = localPartitions(m_fin1.db(), u"S1"_s);
    const QString dir = m_files.filePath(u"reload"_s);
    QVERIFY(QDir().mkpath(dir));
    writeFile(
        dir, u"v_dws_finance_daily_summary.csv"_s,
        "site_id,biz_date,cash_wechat,cash_alipay,cash_cash,cash_bank,cash_recharge,cash_platform_gross,"
        "tender_stored_value,tender_gift,tender_voucher\n"
        "S1,2026-05-15,2100.00,900.00,400.00,0.00,3000.00,640.00,2450.00,380.00,640.00\n");
    auto loaded = BoardServerLoad::load(*m_owner, u"acme"_s, dir);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    auto bumped = must(m_owner->exec(u"SELECT dataset, biz_date::text FROM riskdesk_board.partitions WHERE "
                                     "etl_version = $1"_s,
                                     {QString::number(loaded.value().etlVersion)}));
    QCOMPARE(bumped.rows(), 1);
    QCOMPARE(bumped.text(0, 0), u"finance_daily_summary"_s);
    QCOMPARE(bumped.text(0, 1), u"2026-05-15"_s);

    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    auto pulled = BoardPartitionPull::pull(m_fin1.db(), *fin1);
    QVERIFY2(pulled, pulled ? "" : qPrintable(pulled.problem().message));
    QCOMPARE(pulled.value().partitions, 1);
    QCOMPARE(pulled.value().rows, 1);
    QCOMPARE(scalar(m_fin1.db(), u"SELECT cash_wechat_fen FROM bd_finance_daily_summary WHERE biz_date = "
                                 "'2026-05-15'"_s)
                 .toLongLong(),
             210000);
    const QStringList after = localPartitions(m_fin1.db(), u"S1"_s);
    QCOMPARE(after, serverPartitions(*m_owner, u"S1"_s));
    int changed = 0;
    for (int i = 0; i < after.size(); ++i)
        changed += after.at(i) != before.at(i);
    QCOMPARE(changed, 1);
}

// The customer board's kept rankings (migrations 021 and 028) through a pull: the replaced partition's rows
// go through their triggers, and the kept days move to the pulled log's latest day.
void BoardSyncTest::keptRankingsFollowAPulledServiceLog() {
    REQUIRE_SERVER();
    QVERIFY(m_fin1.isOpen());
    QSqlDatabase db = m_fin1.db();
    const QString latestBefore =
        scalar(db, u"SELECT MAX(biz_date) FROM bd_assistant_service_log WHERE is_delete = 0"_s).toString();
    QVERIFY(latestBefore < u"2026-09-20"_s);
    const QString dir = m_files.filePath(u"later-service"_s);
    QVERIFY(QDir().mkpath(dir));
    writeFile(dir, u"v_dwd_assistant_service_log.csv"_s,
              "site_id,assistant_service_id,site_assistant_id,tenant_member_id,is_delete,create_time,"
              "start_use_time,last_use_time,income_seconds,real_use_seconds,ledger_amount,skill_name,"
              "site_table_id,etl_loaded_at\n"
              "S1,900001,1,1,0,2026-09-20T15:00:00+08:00,,,3600,3600,123.45,,,\n");
    auto loaded = BoardServerLoad::load(*m_owner, u"acme"_s, dir);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    auto pulled = BoardPartitionPull::pull(db, *fin1);
    QVERIFY2(pulled, pulled ? "" : qPrintable(pulled.problem().message));
    QCOMPARE(pulled.value().partitions, 1);
    // The new latest day is kept, and member 1's 60-day spend on it is the pulled row's.
    QCOMPARE(scalar(db, u"SELECT count(*) FROM bd_customer_rank_days WHERE site_id = 'S1' AND as_of = "
                        "'2026-09-20'"_s)
                 .toInt(),
             1);
    QCOMPARE(scalar(db, u"SELECT spend_fen FROM bd_customer_spend60 WHERE site_id = 'S1' AND as_of = "
                        "'2026-09-20' AND tenant_member_id = 1"_s)
                 .toLongLong(),
             12345);
    auto off = CustomerRankings::verify(db);
    QVERIFY2(off, off ? "" : qPrintable(off.problem().message));
    QVERIFY2(off.value().isEmpty(), qPrintable(off.value().join(u'\n')));
    auto damage = BoardPartitionPull::verify(db);
    QVERIFY(damage);
    QVERIFY(damage.value().isEmpty());
}

void BoardSyncTest::corruptedLocalRowIsFoundByVerify() {
    REQUIRE_SERVER();
    QVERIFY(m_fin1.isOpen());
    QSqlDatabase db = m_fin1.db();
    const QString day =
        scalar(db, u"SELECT biz_date FROM bd_assistant_service_log ORDER BY assistant_service_id "
                   "LIMIT 1"_s)
            .toString();
    // One cent more on one row.
    QSqlQuery q(db);
    QVERIFY(
        q.exec(u"UPDATE bd_assistant_service_log SET ledger_amount_fen = ledger_amount_fen + 1 WHERE "
               "assistant_service_id = (SELECT MIN(assistant_service_id) FROM bd_assistant_service_log)"_s));
    // And a snapshot partition losing a row.
    QVERIFY(
        q.exec(u"DELETE FROM bd_dim_assistant WHERE site_assistant_id = (SELECT MAX(site_assistant_id) FROM "
               "bd_dim_assistant)"_s));
    auto damage = BoardPartitionPull::verify(db);
    QVERIFY2(damage, damage ? "" : qPrintable(damage.problem().message));
    QCOMPARE(damage.value().size(), 2);
    const BoardPartitionDamage& money = damage.value().at(0);
    QCOMPARE(money.key.dataset, u"assistant_service_log"_s);
    QCOMPARE(money.key.bizDate, day);
    QCOMPARE(money.actualRows, money.expectedRows); // same count, other checksum
    QVERIFY(money.actualChecksum != money.expectedChecksum);
    const BoardPartitionDamage& missing = damage.value().at(1);
    QCOMPARE(missing.key.dataset, u"dim_assistant"_s);
    QCOMPARE(missing.key.bizDate, QString());
    QCOMPARE(missing.actualRows, missing.expectedRows - 1);
    // The next pull replaces exactly those two partitions; then everything verifies.
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    auto pulled = BoardPartitionPull::pull(db, *fin1);
    QVERIFY2(pulled, pulled ? "" : qPrintable(pulled.problem().message));
    QCOMPARE(pulled.value().partitions, 2);
    auto clean = BoardPartitionPull::verify(db);
    QVERIFY(clean);
    QVERIFY(clean.value().isEmpty());
    QCOMPARE(localPartitions(db, u"S1"_s), serverPartitions(*m_owner, u"S1"_s));
}

void BoardSyncTest::serverRowsThatDoNotMatchAreRefused() {
    REQUIRE_SERVER();
    QVERIFY(m_fin1.isOpen());
    QSqlDatabase db = m_fin1.db();
    // A row changed on the server behind the loader's back, with a new version: the pull writes it, finds the
    // checksum wrong, and keeps the old partition.
    must(m_owner->exec(
        u"UPDATE riskdesk_board.finance_daily_summary SET cash_cash = cash_cash + 1 WHERE site_id = "
        "'S1' AND biz_date = '2026-04-15'"_s));
    must(m_owner->exec(
        u"UPDATE riskdesk_board.partitions SET etl_version = etl_version + 100 WHERE site_id = 'S1' "
        "AND dataset = 'finance_daily_summary' AND biz_date = '2026-04-15'"_s));
    const qint64 cash =
        scalar(db, u"SELECT cash_cash_fen FROM bd_finance_daily_summary WHERE biz_date = '2026-04-15'"_s)
            .toLongLong();
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    auto pulled = BoardPartitionPull::pull(db, *fin1);
    QVERIFY2(pulled, pulled ? "" : qPrintable(pulled.problem().message));
    QCOMPARE(pulled.value().partitions, 0);
    QCOMPARE(pulled.value().problems.size(), 1);
    QVERIFY2(pulled.value().problems.at(0).contains(u"2026-04-15"_s),
             qPrintable(pulled.value().problems.at(0)));
    QCOMPARE(scalar(db, u"SELECT cash_cash_fen FROM bd_finance_daily_summary WHERE biz_date = '2026-04-15'"_s)
                 .toLongLong(),
             cash);
    auto still = BoardPartitionPull::verify(db);
    QVERIFY(still);
    QVERIFY(still.value().isEmpty());
    // Put the server right again for the tests after this one.
    must(m_owner->exec(
        u"UPDATE riskdesk_board.finance_daily_summary SET cash_cash = cash_cash - 1 WHERE site_id = "
        "'S1' AND biz_date = '2026-04-15'"_s));
    must(m_owner->exec(
        u"UPDATE riskdesk_board.partitions SET etl_version = etl_version - 100 WHERE site_id = 'S1' "
        "AND dataset = 'finance_daily_summary' AND biz_date = '2026-04-15'"_s));
}

void BoardSyncTest::userOfS2GetsNothingOfS1() {
    REQUIRE_SERVER();
    // Its own desktop: S2 only.
    Workspace own(riskdesk::test::settings());
    QVERIFY(own.open(workspacePath(u"fin2"_s), u"tst-fin2"_s));
    auto fin2 = connectOrFail(serverUrl(u"fin2"_s));
    auto report = SyncEngine(own.db(), *fin2).syncOnce();
    QVERIFY2(report, report ? "" : qPrintable(report.problem().message));
    QCOMPARE(report.value().boardPartitions, serverPartitions(*m_owner, u"S2"_s).size());
    QCOMPARE(sitesInWorkspace(own.db()), QStringList{u"S2"_s});
    QCOMPARE(localPartitions(own.db(), u"S2"_s), serverPartitions(*m_owner, u"S2"_s));
    QVERIFY(localPartitions(own.db(), u"S1"_s).isEmpty());
    // The desktop fin1 used (S1 rows in the file): fin2's sites are S2 only, fin1's stay S1 only.
    auto shared = BoardPartitionPull::pull(m_fin1.db(), *fin2);
    QVERIFY(shared);
    QCOMPARE(column(m_fin1.db(), u"SELECT site_id FROM bd_user_sites WHERE user_id = 'fin2'"_s),
             QStringList{u"S2"_s});
    QCOMPARE(column(m_fin1.db(), u"SELECT site_id FROM bd_user_sites WHERE user_id = 'fin1'"_s),
             QStringList{u"S1"_s});
    QSqlQuery q(m_fin1.db());
    QVERIFY(q.exec(
        u"INSERT OR IGNORE INTO users (tenant_id, user_id, display_name, role) VALUES ('acme', 'fin2', "
        "'fin2', 'finance')"_s));
    auto scope = BoardScope::open(m_fin1.db(), u"acme"_s, u"fin2"_s);
    QVERIFY2(scope, scope ? "" : qPrintable(scope.problem().message));
    QCOMPARE(scope.value().sites(), QStringList{u"S2"_s});
    // A login with no site gets nothing.
    Workspace none(riskdesk::test::settings());
    QVERIFY(none.open(workspacePath(u"fin0"_s), u"tst-fin0"_s));
    auto fin0 = connectOrFail(serverUrl(u"fin0"_s));
    auto empty = BoardPartitionPull::pull(none.db(), *fin0);
    QVERIFY(empty);
    QVERIFY(empty.value().finance);
    QCOMPARE(empty.value().partitions, 0);
    QVERIFY(sitesInWorkspace(none.db()).isEmpty());
    own.close();
    none.close();
}

void BoardSyncTest::nonFinanceLoginPullsNoBoards() {
    REQUIRE_SERVER();
    Workspace ws(riskdesk::test::settings());
    QVERIFY(ws.open(workspacePath(u"appr"_s), u"tst-appr"_s));
    auto appr = connectOrFail(serverUrl(u"appr"_s));
    auto report = BoardPartitionPull::pull(ws.db(), *appr);
    QVERIFY2(report, report ? "" : qPrintable(report.problem().message));
    QVERIFY(!report.value().finance);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM bd_partitions"_s).toInt(), 0);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM bd_user_sites"_s).toInt(), 0);
    ws.close();
}

void BoardSyncTest::revokedMembershipRemovesTheSiteFromTheUser() {
    REQUIRE_SERVER();
    QVERIFY(m_fin1.isOpen());
    must(m_owner->exec(u"DELETE FROM riskdesk.site_memberships WHERE login_role = $1"_s,
                       {m_prefix + u"fin2"_s}));
    auto fin2 = connectOrFail(serverUrl(u"fin2"_s));
    auto pulled = BoardPartitionPull::pull(m_fin1.db(), *fin2);
    QVERIFY(pulled);
    QCOMPARE(pulled.value().partitions, 0);
    QCOMPARE(scalar(m_fin1.db(), u"SELECT count(*) FROM bd_user_sites WHERE user_id = 'fin2'"_s).toInt(), 0);
    auto scope = BoardScope::open(m_fin1.db(), u"acme"_s, u"fin2"_s);
    QVERIFY(scope);
    QVERIFY(scope.value().sites().isEmpty()); // S2's rows are still in the file; fin2 no longer sees them
    must(m_owner->exec(u"INSERT INTO riskdesk.site_memberships VALUES ($1, 'acme', 'S2')"_s,
                       {m_prefix + u"fin2"_s}));
}

void BoardSyncTest::aServerBeforeBoardSyncStillSyncs() {
    REQUIRE_SERVER();
    // A server at migration 004 has board data but no partitions: a finance login's sync goes on without
    // them.
    const QString old = m_database + u"_old"_s;
    must(connectOrFail(m_ownerUrl)->exec(u"CREATE DATABASE %1"_s.arg(old)));
    QUrl url(m_ownerUrl);
    url.setPath(u"/"_s + old);
    {
        auto server = connectOrFail(url.toString());
        QVERIFY(server->execScript(u"CREATE TABLE public.riskdesk_migrations (version integer PRIMARY KEY, "
                                   "applied_at timestamptz NOT NULL DEFAULT now())"_s));
        for (int v = 1; v <= 4; ++v) {
            const QString name =
                QDir(u":/riskdesk/sql/postgres"_s).entryList({u"00%1_*.sql"_s.arg(v)}).value(0);
            QFile f(u":/riskdesk/sql/postgres/"_s + name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            Status s = server->execScript(
                u"BEGIN;"_s + QString::fromUtf8(f.readAll()) +
                u";INSERT INTO public.riskdesk_migrations (version) VALUES (%1); COMMIT;"_s.arg(v));
            QVERIFY2(s, s ? "" : qPrintable(s.problem().message));
        }
        QVERIFY(ServerAdmin::addUser(*server, m_prefix + u"fin1"_s, u"pw"_s, UserRole::Finance, u"acme"_s,
                                     u"fin1"_s, u"fin1"_s, {u"S1"_s}));
        QUrl login = url;
        login.setUserName(m_prefix + u"fin1"_s);
        login.setPassword(u"pw"_s);
        auto fin1 = connectOrFail(login.toString());
        Workspace ws(riskdesk::test::settings());
        QVERIFY(ws.open(workspacePath(u"old"_s), u"tst-old"_s));
        auto report = SyncEngine(ws.db(), *fin1).syncOnce();
        QVERIFY2(report, report ? "" : qPrintable(report.problem().message));
        QCOMPARE(report.value().boardPartitions, 0);
        QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM bd_partitions WHERE site_id <> ''"_s).toInt(), 0);
        // The tenant-wide tables exist since 004: their (empty) slices are mirrored and recorded.
        QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM bd_partitions WHERE site_id = '' AND row_count = 0"_s)
                     .toInt(),
                 4);
        ws.close();
    }
    test::mustDropDatabase(*connectOrFail(m_ownerUrl), old);
}

// ---- Cache ----

void BoardSyncTest::acX08_switchingUserNeverHitsAnotherUsersResult() {
    QTemporaryDir dir;
    Workspace ws(riskdesk::test::settings());
    QVERIFY(ws.open(dir.filePath(u"cache.rdw"_s), u"tst-cache8"_s));
    const QJsonObject params = BoardPeriod::preset(PeriodPreset::ThisMonth, QDate(2026, 5, 20)).toJson();
    BoardCacheKey s1{u"fin1"_s, u"acme"_s, u"S1"_s, u"coach"_s, u"table"_s, params, u"2026-05-20/s3/l0"_s};
    QVERIFY(BoardCache::put(ws.db(), s1, "{\"site\":\"S1\"}"));
    auto hit = BoardCache::get(ws.db(), s1);
    QVERIFY(hit);
    QCOMPARE(hit.value().value_or(QByteArray()), QByteArray("{\"site\":\"S1\"}"));
    // Another user, same everything else (even the same site): a miss, never S1's bytes.
    BoardCacheKey other = s1;
    other.userId = u"fin2"_s;
    auto miss = BoardCache::get(ws.db(), other);
    QVERIFY(miss);
    QVERIFY(!miss.value());
    // The owner (no user) is a user of its own too.
    other.userId.clear();
    QVERIFY(!BoardCache::get(ws.db(), other).value());
    // fin2's own entry for S2 is its own; fin1's is untouched.
    BoardCacheKey s2 = s1;
    s2.userId = u"fin2"_s;
    s2.siteId = u"S2"_s;
    QVERIFY(BoardCache::put(ws.db(), s2, "{\"site\":\"S2\"}"));
    QCOMPARE(BoardCache::get(ws.db(), s2).value().value_or(QByteArray()), QByteArray("{\"site\":\"S2\"}"));
    QCOMPARE(BoardCache::get(ws.db(), s1).value().value_or(QByteArray()), QByteArray("{\"site\":\"S1\"}"));
    ws.close();
}

void BoardSyncTest::acX09_resolvedDatesDifferIsAMiss() {
    QTemporaryDir dir;
    Workspace ws(riskdesk::test::settings());
    QVERIFY(ws.open(dir.filePath(u"cache.rdw"_s), u"tst-cache9"_s));
    const QJsonObject yesterday = BoardPeriod::preset(PeriodPreset::ThisMonth, QDate(2026, 5, 19)).toJson();
    const QJsonObject today = BoardPeriod::preset(PeriodPreset::ThisMonth, QDate(2026, 5, 20)).toJson();
    BoardCacheKey key{u"fin1"_s, u"acme"_s, u"S1"_s, u"finance"_s, u"overview"_s, yesterday, u"w"_s};
    QVERIFY(BoardCache::put(ws.db(), key, "may-19"));
    key.parameters = today;
    QVERIFY(!BoardCache::get(ws.db(), key).value());
    // The same resolved parameters, built in another order, are the same key.
    QJsonObject reordered;
    const QStringList keys = yesterday.keys();
    for (auto it = keys.crbegin(); it != keys.crend(); ++it)
        reordered.insert(*it, yesterday.value(*it));
    QCOMPARE(BoardCache::parametersHash(reordered), BoardCache::parametersHash(yesterday));
    key.parameters = reordered;
    QCOMPARE(BoardCache::get(ws.db(), key).value().value_or(QByteArray()), QByteArray("may-19"));
    ws.close();
}

void BoardSyncTest::acX10_newWatermarkIsAMiss() {
    REQUIRE_SERVER();
    QVERIFY(m_fin1.isOpen());
    QSqlDatabase db = m_fin1.db();
    auto before = BoardCache::watermarkOf(db, u"acme"_s, u"S1"_s);
    QVERIFY(before);
    QVERIFY2(before.value().startsWith(u"2026-06-01/"_s), qPrintable(before.value()));
    BoardCacheKey key{
        u"fin1"_s,     u"acme"_s,  u"S1"_s,
        u"coach"_s,    u"table"_s, BoardPeriod::preset(PeriodPreset::ThisMonth, QDate(2026, 5, 20)).toJson(),
        before.value()};
    QVERIFY(BoardCache::put(db, key, "old"));
    QVERIFY(BoardCache::get(db, key).value());
    // A new load on the server for 05-20, then a sync: the site's cache is dropped and the watermark moves.
    const QString dir = m_files.filePath(u"may20"_s);
    QVERIFY(QDir().mkpath(dir));
    writeFile(
        dir, u"v_dws_finance_daily_summary.csv"_s,
        "site_id,biz_date,cash_wechat,cash_alipay,cash_cash,cash_bank,cash_recharge,cash_platform_gross,"
        "tender_stored_value,tender_gift,tender_voucher\nS1,2026-05-20,1.00,0,0,0,0,0,0,0,0\n");
    QVERIFY(BoardServerLoad::load(*m_owner, u"acme"_s, dir));
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    auto pulled = BoardPartitionPull::pull(db, *fin1);
    QVERIFY(pulled);
    QCOMPARE(pulled.value().partitions, 1);
    auto after = BoardCache::watermarkOf(db, u"acme"_s, u"S1"_s);
    QVERIFY(after);
    QVERIFY(after.value() != before.value());
    QVERIFY(!BoardCache::get(db, key).value()); // dropped by the pull
    // Even an entry kept under the old watermark is a miss under the new one, and is removed.
    QVERIFY(BoardCache::put(db, key, "old"));
    key.watermark = after.value();
    QVERIFY(!BoardCache::get(db, key).value());
    key.watermark = before.value();
    QVERIFY(!BoardCache::get(db, key).value());
    QCOMPARE(scalar(db, u"SELECT count(*) FROM board_cache"_s).toInt(), 0);
}

QTEST_GUILESS_MAIN(BoardSyncTest)
#include "tst_boardsync.moc"
