// Board data: the workspace and server migrations, loading from files (spec Appendix C), and site isolation
// on the real PostgreSQL of scripts/test (spec §10.8, AC-X-01..07 and AC-X-13).
#include "TestServer.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "boards/BoardDataCatalog.h"
#include "boards/BoardLoadSet.h"
#include "store/BoardWorkspaceLoad.h"
#include "store/SqlScript.h"
#include "sync/BoardServerLoad.h"
#include "sync/PgConnection.h"
#include "sync/ServerAdmin.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
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

// Two sites of tenant acme: S1 (cut-off 06:00) and S2 (calendar days); members 1..5 at S1, member 9 known
// only at S2 (AC-X-07).
void writeFixture(const QString& dir) {
    writeFile(dir, u"site_settings.csv"_s,
              "\xEF\xBB\xBFsite_id,tz,business_day_cutoff_minutes\r\nS1,Asia/Shanghai,360\r\nS2,Asia/"
              "Shanghai,\r\n");
    writeFile(dir, u"cfg_skill_type.csv"_s,
              "site_id,skill_code,skill_name,sort_order,is_enabled\n,snk,斯诺克,1,1\n,zb8,中式八球,2,1\n"
              "S1,nb9,九球,3,0\n");
    writeFile(dir, u"v_dwd_assistant_service_log.csv"_s,
              "site_id,assistant_service_id,site_assistant_id,tenant_member_id,is_delete,create_time,"
              "start_use_time,last_use_time,income_seconds,real_use_seconds,ledger_amount,skill_name,"
              "site_table_id,etl_loaded_at\n"
              "S1,1,1,1,0,2026-04-03T20:00:00+08:00,,,7200,7500,200.00,斯诺克,,\n"
              "S1,7,1,1,0,2026-05-20T02:30:00+08:00,,,3600,3600,110.00,斯诺克,12,\n"
              "S1,11,3,5,0,2026-06-01T01:00:00+08:00,,,3600,3600,100,斯诺克,,\n"
              "S1,12,2,4,0,2026-05-31T23:00:00Z,,,3600,3600,90.5,\"中式,八球\",,\n"
              "S2,1,7,9,0,2026-06-01T01:00:00+08:00,,,3600,3600,-0.05,,,\n");
    writeFile(dir, u"v_dim_member.csv"_s,
              "tenant_member_id,member_name,mobile,register_site_id\n1,王一,13800001111,S1\n"
              "4,李四,13800004444,\n5,赵五,,S1\n9,只在二店,13900009999,S2\n");
    writeFile(dir, u"v_dim_member_card_account.csv"_s,
              "site_id,card_account_id,tenant_member_id,card_type,balance,status,last_recharge_time\n"
              "S1,100,1,stored_value,500.00,active,2026-05-10T12:00:00+08:00\nS1,101,1,gift,50,active,\n"
              "S2,200,9,stored_value,1200.00,active,\n");
    writeFile(
        dir, u"v_dws_finance_daily_summary.csv"_s,
        "site_id,biz_date,cash_wechat,cash_alipay,cash_cash,cash_bank,cash_recharge,cash_platform_gross,"
        "tender_stored_value,tender_gift,tender_voucher\n"
        "S1,2026-05-15,2000.00,900.00,400.00,0,3000.00,640.00,2450.00,380.00,640.00\n"
        "S2,2026-05-15,1.00,0,0,0,0,0,0,0,0\n");
}

// Every bd_ row of the workspace, as text: "nothing changed" compares two of these.
QString dumpBoards(QSqlDatabase db) {
    QString all;
    QSqlQuery tables(db);
    [&] {
        QVERIFY(tables.exec(u"SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'bd\\_%' "
                            "ESCAPE '\\' ORDER BY name"_s));
    }();
    QStringList names;
    while (tables.next())
        names << tables.value(0).toString();
    [&] { QVERIFY(!tables.lastError().isValid()); }();
    for (const QString& t : names) {
        QSqlQuery q(db);
        [&] { QVERIFY(q.exec(u"SELECT * FROM %1 ORDER BY 1, 2, 3"_s.arg(t))); }();
        all += t + u'\n';
        while (q.next()) {
            for (int c = 0; c < q.record().count(); ++c)
                all += q.value(c).toString() + u'|';
            all += u'\n';
        }
        [&] { QVERIFY(!q.lastError().isValid()); }();
    }
    return all;
}

QVariant scalar(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0);
}

using test::connectOrFail;
using test::must;

} // namespace

class BoardDataTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    // Workspace (SQLite)
    void migrationAppliesToNewAndExistingWorkspaces();
    void catalogMatchesTheWorkspaceTables();
    void templateIsHeaderOnlyAndLoadsAsNothing();
    void goodFilesLoadWithFenUtcAndBusinessDays();
    void reloadReplacesPartitionsAndBumpsTheVersion();
    void badFileIsRefusedWithNothingChanged_data();
    void badFileIsRefusedWithNothingChanged();
    void clockOfASiteWithDataCannotChange();
    void commandLineLoadsAndRefuses();

    // Server (PostgreSQL)
    void serverMigrationAppliesToAnExistingServer();
    void catalogMatchesTheServerTables();
    void acX01_siteMemberReadsOnlyItsSites();
    void acX02_narrowingCannotWiden();
    void acX03_unsetOrEmptySettingKeepsTheScope();
    void acX04_setRoleAndRowSecurityOffNeverWiden();
    void acX05_noMembershipReadsNothing();
    void acX06_catalog();
    void acX07_memberOfAnotherSiteIsHidden();
    void acX13_workspaceUserSites();
    void serverLoadIsAllOrNothing();

private:
    QString serverUrl(const QString& login = {}) const;
    void addFinance(const QString& name, const QStringList& sites);
    QStringList boardRelations();
    QString m_ownerUrl, m_database, m_prefix;
    QStringList m_logins;
    std::unique_ptr<PgConnection> m_owner;
    QTemporaryDir m_fixture;
};

void BoardDataTest::initTestCase() {
    QVERIFY(m_fixture.isValid());
    writeFixture(m_fixture.path());
    m_ownerUrl = qEnvironmentVariable("RISKDESK_TEST_PG_URL");
    m_prefix = u"bd%1_"_s.arg(QCoreApplication::applicationPid());
    if (m_ownerUrl.isEmpty())
        return; // the server tests fail on their own, naming why
    m_database = u"riskdesk_%1main"_s.arg(m_prefix);
    must(connectOrFail(m_ownerUrl)->exec(u"CREATE DATABASE %1"_s.arg(m_database)));
    m_owner = connectOrFail(serverUrl());
    auto migrated = ServerAdmin::migrate(*m_owner);
    QVERIFY2(migrated, migrated ? "" : qPrintable(migrated.problem().message));
    must(m_owner->exec(u"INSERT INTO riskdesk.tenants VALUES ('acme', 'Acme'), ('other', 'Other')"_s));
    addFinance(u"fin1"_s, {u"S1"_s});
    addFinance(u"fin12"_s, {u"S1"_s, u"S2"_s});
    addFinance(u"fin0"_s, {});
    QVERIFY(ServerAdmin::addUser(*m_owner, m_prefix + u"appr"_s, u"pw"_s, UserRole::Approver, u"acme"_s,
                                 u"appr"_s, u"appr"_s));
    m_logins << m_prefix + u"appr"_s;
    auto loaded = BoardServerLoad::load(*m_owner, u"acme"_s, m_fixture.path());
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    QCOMPARE(loaded.value().rows, 19);
}

void BoardDataTest::cleanupTestCase() {
    if (m_ownerUrl.isEmpty())
        return;
    m_owner.reset();
    auto admin = connectOrFail(m_ownerUrl);
    for (const QString& db : {m_database, m_database + u"_old"_s})
        test::mustDropDatabase(*admin, db);
    for (const QString& role : std::as_const(m_logins))
        must(admin->exec(u"DROP ROLE IF EXISTS %1"_s.arg(PgConnection::quoteIdentifier(role))));
}

QString BoardDataTest::serverUrl(const QString& login) const {
    QUrl url(m_ownerUrl);
    url.setPath(u"/"_s + m_database);
    if (!login.isEmpty()) {
        url.setUserName(m_prefix + login);
        url.setPassword(u"pw"_s);
    }
    return url.toString();
}

void BoardDataTest::addFinance(const QString& name, const QStringList& sites) {
    QVERIFY(ServerAdmin::addUser(*m_owner, m_prefix + name, u"pw"_s, UserRole::Finance, u"acme"_s, name, name,
                                 sites));
    m_logins << m_prefix + name;
}

// Every table and view of riskdesk_board a finance login may select from.
QStringList BoardDataTest::boardRelations() {
    auto r = must(m_owner->exec(u"SELECT c.relname FROM pg_class c WHERE c.relnamespace = "
                                "'riskdesk_board'::regnamespace AND c.relkind IN ('r', 'v') AND "
                                "has_table_privilege('riskdesk_finance', c.oid, 'SELECT') ORDER BY 1"_s));
    QStringList names;
    for (int i = 0; i < r.rows(); ++i)
        names << r.text(i, 0);
    return names;
}

// ---- Workspace ----

void BoardDataTest::migrationAppliesToNewAndExistingWorkspaces() {
    // New: the demo workspace has every bd_ table, at the latest schema.
    test::TestWorkspace fresh(20);
    QCOMPARE(scalar(fresh.db(), u"PRAGMA user_version"_s).toInt(), Workspace::latestSchemaVersion());
    QCOMPARE(scalar(fresh.db(), u"SELECT count(*) FROM bd_assistant_service_log"_s).toInt(), 0);
    QVERIFY(scalar(fresh.db(), u"SELECT count(*) FROM rule_outcomes"_s).toInt() > 0); // the demo backfills it

    // Existing: a file at schema 9 with a tenant and an exception is upgraded and keeps them.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"old.riskdesk"_s);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"old"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        for (int v = 1; v <= 9; ++v) {
            const QString name = QDir(u":/riskdesk/sql/sqlite"_s)
                                     .entryList({u"%1_*.sql"_s.arg(v, 3, 10, QChar(u'0'))})
                                     .value(0);
            auto statements = SqlScript::load(u":/riskdesk/sql/sqlite/"_s + name);
            QVERIFY2(statements, qPrintable(name));
            for (const QString& s : statements.value())
                QVERIFY2(q.exec(s), qPrintable(s + q.lastError().text()));
        }
        QVERIFY(q.exec(u"PRAGMA user_version = 9"_s));
        QVERIFY(q.exec(u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme')"_s));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"old"_s);
    Workspace upgraded(riskdesk::test::settings());
    Status opened = upgraded.openExisting(path, u"upgraded"_s);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.problem().message));
    QCOMPARE(scalar(upgraded.db(), u"PRAGMA user_version"_s).toInt(), Workspace::latestSchemaVersion());
    QCOMPARE(scalar(upgraded.db(), u"SELECT name FROM tenants WHERE tenant_id = 'acme'"_s).toString(),
             u"Acme"_s);
    auto loaded = BoardWorkspaceLoad::load(upgraded.db(), u"acme"_s, m_fixture.path());
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
}

void BoardDataTest::catalogMatchesTheWorkspaceTables() {
    test::TestWorkspace ws(-1);
    for (const BoardDataset& d : BoardDataCatalog::datasets()) {
        QSqlQuery q(ws.db());
        QVERIFY(q.exec(u"PRAGMA table_info(%1)"_s.arg(d.sqliteTable())));
        QStringList columns;
        while (q.next())
            columns << q.value(1).toString();
        QVERIFY(!q.lastError().isValid());
        QStringList expected{u"tenant_id"_s};
        for (const BoardColumn& c : d.columns)
            expected << c.sqliteName();
        if (!d.bizDateFrom.isEmpty())
            expected << u"biz_date"_s;
        expected << u"etl_version"_s;
        expected.sort();
        columns.sort();
        QCOMPARE(columns, expected);
    }
}

void BoardDataTest::templateIsHeaderOnlyAndLoadsAsNothing() {
    QTemporaryDir dir;
    QVERIFY(BoardLoadSet::writeTemplates(dir.path()));
    const QStringList files = QDir(dir.path()).entryList({u"*.csv"_s}, QDir::Files);
    QCOMPARE(files.size(), BoardDataCatalog::datasets().size());
    QFile service(dir.filePath(u"v_dwd_assistant_service_log.csv"_s));
    QVERIFY(service.open(QIODevice::ReadOnly));
    QCOMPARE(service.readAll(),
             QByteArray("site_id,assistant_service_id,site_assistant_id,tenant_member_id,"
                        "is_delete,create_time,start_use_time,last_use_time,income_seconds,"
                        "real_use_seconds,ledger_amount,skill_name,site_table_id,"
                        "etl_loaded_at\r\n"));
    test::TestWorkspace ws(-1);
    QVERIFY(scalar(ws.db(), u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme') RETURNING 1"_s)
                .toBool());
    QVERIFY(BoardWorkspaceLoad::load(ws.db(), u"acme"_s, m_fixture.path()));
    const QString before = dumpBoards(ws.db());
    auto empty = BoardWorkspaceLoad::load(ws.db(), u"acme"_s, dir.path());
    QVERIFY2(empty, empty ? "" : qPrintable(empty.problem().message));
    QCOMPARE(empty.value().rows, 0);
    // Header-only files name no partition: the loaded data stay (apart from the new load's journal row).
    QCOMPARE(dumpBoards(ws.db()).section(u"bd_member_assistant"_s, 1),
             before.section(u"bd_member_assistant"_s, 1));
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM bd_assistant_service_log"_s).toInt(), 5);
}

void BoardDataTest::goodFilesLoadWithFenUtcAndBusinessDays() {
    test::TestWorkspace ws(-1);
    scalar(ws.db(), u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme') RETURNING 1"_s);
    auto loaded = BoardWorkspaceLoad::load(ws.db(), u"acme"_s, m_fixture.path());
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    QCOMPARE(loaded.value().etlVersion, 1);
    QCOMPARE(loaded.value().rows, 19);
    QSqlDatabase db = ws.db();
    auto log = [&](const QString& site, int id, const QString& column) {
        return scalar(db, u"SELECT %1 FROM bd_assistant_service_log WHERE site_id = '%2' AND "
                          "assistant_service_id = %3"_s.arg(column, site)
                              .arg(id));
    };
    // Fen exactly; UTC ms; business days with S1's 06:00 cut-off (L7, L11 of F1) and S2's calendar days.
    QCOMPARE(log(u"S1"_s, 1, u"ledger_amount_fen"_s).toLongLong(), 20000);
    QCOMPARE(log(u"S1"_s, 11, u"ledger_amount_fen"_s).toLongLong(), 10000);
    QCOMPARE(log(u"S1"_s, 12, u"ledger_amount_fen"_s).toLongLong(), 9050);
    QCOMPARE(log(u"S2"_s, 1, u"ledger_amount_fen"_s).toLongLong(), -5);
    QCOMPARE(log(u"S1"_s, 1, u"create_time"_s).toLongLong(),
             QDateTime::fromString(u"2026-04-03T12:00:00Z"_s, Qt::ISODate).toMSecsSinceEpoch());
    QCOMPARE(log(u"S1"_s, 7, u"biz_date"_s).toString(), u"2026-05-19"_s);
    QCOMPARE(log(u"S1"_s, 11, u"biz_date"_s).toString(), u"2026-05-31"_s);
    QCOMPARE(log(u"S1"_s, 12, u"biz_date"_s).toString(), u"2026-06-01"_s); // 07:00 local
    QCOMPARE(log(u"S2"_s, 1, u"biz_date"_s).toString(), u"2026-06-01"_s);  // no cut-off: the calendar day
    QCOMPARE(log(u"S1"_s, 12, u"skill_name"_s).toString(), u"中式,八球"_s);
    QVERIFY(log(u"S1"_s, 1, u"site_table_id"_s).isNull());
    QCOMPARE(scalar(db, u"SELECT count(*) FROM bd_cfg_skill_type WHERE site_id = ''"_s).toInt(), 2);
    QVERIFY(scalar(db, u"SELECT business_day_cutoff_minutes FROM bd_site_settings WHERE site_id = 'S2'"_s)
                .isNull());
    QCOMPARE(scalar(db, u"SELECT balance_fen FROM bd_dim_member_card_account WHERE card_account_id = 101"_s)
                 .toLongLong(),
             5000);
    // Member 9 is known at S2 only; member 4 through its service log at S1.
    QCOMPARE(scalar(db, u"SELECT group_concat(site_id) FROM bd_member_sites WHERE tenant_member_id = 9"_s)
                 .toString(),
             u"S2"_s);
    QCOMPARE(scalar(db, u"SELECT group_concat(site_id) FROM bd_member_sites WHERE tenant_member_id = 4"_s)
                 .toString(),
             u"S1"_s);
}

void BoardDataTest::reloadReplacesPartitionsAndBumpsTheVersion() {
    test::TestWorkspace ws(-1);
    scalar(ws.db(), u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme') RETURNING 1"_s);
    QVERIFY(BoardWorkspaceLoad::load(ws.db(), u"acme"_s, m_fixture.path()));
    QTemporaryDir again;
    // A new export of S1's business day 2026-05-19 only: that day's rows are replaced, no others.
    writeFile(again.path(), u"v_dwd_assistant_service_log.csv"_s,
              "site_id,assistant_service_id,site_assistant_id,tenant_member_id,is_delete,create_time,"
              "start_use_time,last_use_time,income_seconds,real_use_seconds,ledger_amount,skill_name,"
              "site_table_id,etl_loaded_at\n"
              "S1,70,1,2,1,2026-05-19T21:00:00+08:00,,,600,600,1.00,,,\n");
    auto second = BoardWorkspaceLoad::load(ws.db(), u"acme"_s, again.path());
    QVERIFY2(second, second ? "" : qPrintable(second.problem().message));
    QCOMPARE(second.value().etlVersion, 2);
    QCOMPARE(scalar(ws.db(), u"SELECT group_concat(assistant_service_id) FROM bd_assistant_service_log WHERE "
                             "site_id = 'S1' AND biz_date = '2026-05-19'"_s)
                 .toString(),
             u"70"_s);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM bd_assistant_service_log"_s).toInt(), 5);
    QCOMPARE(
        scalar(ws.db(), u"SELECT etl_version FROM bd_assistant_service_log WHERE assistant_service_id = 70"_s)
            .toInt(),
        2);
    // Loading the first set again restores its rows under version 3; member 2 came and went with row 70.
    QVERIFY(BoardWorkspaceLoad::load(ws.db(), u"acme"_s, m_fixture.path()));
    QCOMPARE(
        scalar(ws.db(), u"SELECT count(*) FROM bd_assistant_service_log WHERE etl_version = 3"_s).toInt(), 5);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM bd_loads"_s).toInt(), 3);
}

void BoardDataTest::badFileIsRefusedWithNothingChanged_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    const QByteArray logHeader = "site_id,assistant_service_id,site_assistant_id,tenant_member_id,is_delete,"
                                 "create_time,start_use_time,last_use_time,income_seconds,real_use_seconds,"
                                 "ledger_amount,skill_name,site_table_id,etl_loaded_at\n";
    const QByteArray good = "S1,50,1,1,0,2026-05-02T20:00:00+08:00,,,7200,7200,220.00,斯诺克,,\n";
    const QString log = u"v_dwd_assistant_service_log.csv"_s;
    auto row = [&](const QByteArray& bad) { return logHeader + good + bad; };
    QTest::newRow("three decimals") << log << row("S1,51,1,1,0,2026-05-02T20:00:00+08:00,,,1,1,1.005,,,\n")
                                    << log + u", line 3, column 11 (ledger_amount)"_s;
    QTest::newRow("not a number") << log << row("S1,51,1,1,0,2026-05-02T20:00:00+08:00,,,abc,1,1,,,\n")
                                  << log + u", line 3, column 9 (income_seconds)"_s;
    QTest::newRow("unknown site") << log << row("S9,51,1,1,0,2026-05-02T20:00:00+08:00,,,1,1,1,,,\n")
                                  << log + u", line 3, column 1 (site_id)"_s;
    QTest::newRow("time without offset") << log << row("S1,51,1,1,0,2026-05-02T20:00:00,,,1,1,1,,,\n")
                                         << log + u", line 3, column 6 (create_time)"_s;
    // The hand-written parsers refuse what the format does not allow.
    // "1.1234…" (23 decimals) overflowed the reading of its decimals before they were refused: found by
    // fuzz_board_csv; fails under UBSan (the asan build) on the old code.
    for (const char* bad : {"12.", ".5", "+5", "1e3", "-", "1,5", "12345678901234",
                            "1.12345678901234567890123", "-99999999999999999999.5", "1.5x"})
        QTest::newRow(qPrintable(u"amount "_s + QString::fromLatin1(bad)))
            << log << row("S1,51,1,1,0,2026-05-02T20:00:00+08:00,,,1,1,\"" + QByteArray(bad) + "\",,,\n")
            << log + u", line 3, column 11 (ledger_amount)"_s;
    for (const char* bad :
         {"2026-02-30T10:00Z", "2026-05-02T24:00Z", "2026-05-02T20:00:00.1234Z", "2026-05-02T20:00+0800",
          "2026-05-02 20:00Z", "2026-05-02T20:00:61Z", "2026-05-02T20:00Zjunk"})
        QTest::newRow(qPrintable(u"time "_s + QString::fromLatin1(bad)))
            << log << row("S1,51,1,1,0," + QByteArray(bad) + ",,,1,1,1,,,\n")
            << log + u", line 3, column 6 (create_time)"_s;
    QTest::newRow("flag") << log << row("S1,51,1,1,2,2026-05-02T20:00:00Z,,,1,1,1,,,\n")
                          << log + u", line 3, column 5 (is_delete)"_s;
    QTest::newRow("negative id") << log << row("S1,-51,1,1,0,2026-05-02T20:00:00Z,,,1,1,1,,,\n")
                                 << log + u", line 3, column 2 (assistant_service_id)"_s;
    QTest::newRow("missing value") << log << row("S1,51,1,1,0,,,,1,1,1,,,\n")
                                   << log + u", line 3, column 6 (create_time)"_s;
    QTest::newRow("too few fields") << log << row("S1,51,1\n") << log + u", line 3: 3 field(s)"_s;
    QTest::newRow("too many fields") << log << row("S1,51,1,1,0,2026-05-02T20:00:00Z,,,1,1,1,,,,\n")
                                     << log + u", line 3: 15 field(s)"_s;
    QTest::newRow("duplicate row") << log << row("S1,50,2,2,0,2026-05-03T20:00:00Z,,,1,1,1,,,\n")
                                   << log + u", line 3: the same row (S1, 50) as line 2"_s;
    QTest::newRow("unclosed quote") << log << row("S1,51,1,1,0,2026-05-02T20:00:00Z,,,1,1,1,\"open,,\n")
                                    << log + u", line 3, column 12: a quoted field is never closed"_s;
    QTest::newRow("text after quote") << log << row("S1,51,1,1,0,2026-05-02T20:00:00Z,,,1,1,1,\"a\"b,,\n")
                                      << log + u", line 3, column 12: text after a closing quote"_s;
    QTest::newRow("missing column") << log << QByteArray("site_id,assistant_service_id\nS1,1\n")
                                    << log + u", line 1: the column \"site_assistant_id\" is missing"_s;
    QTest::newRow("unknown column") << log << QByteArray(logHeader).replace("\n", ",colour\n") + good
                                    << log +
                                           u", line 1, column 15: \"colour\" is not a column of this file"_s;
    QTest::newRow("not utf-8") << log << row("S1,51,1,1,0,2026-05-02T20:00:00Z,,,1,1,1,\xff\xfe,,\n")
                               << log + u" is not UTF-8 text"_s;
    QTest::newRow("empty file") << log << QByteArray() << log + u", line 1: the header row is missing"_s;
    QTest::newRow("unknown file") << u"v_dwd_assistant_service_logs.csv"_s << QByteArray("a\n")
                                  << u"v_dwd_assistant_service_logs.csv: not a board data file"_s;
    QTest::newRow("bad time zone") << u"site_settings.csv"_s
                                   << QByteArray(
                                          "site_id,tz,business_day_cutoff_minutes\nS3,Mars/Olympus,0\n")
                                   << u"site_settings.csv, line 2, column 2 (tz)"_s;
    QTest::newRow("cut-off out of range")
        << u"site_settings.csv"_s << QByteArray("site_id,tz,business_day_cutoff_minutes\nS3,UTC,1440\n")
        << u"site_settings.csv, line 2, column 3 (business_day_cutoff_minutes)"_s;
    QTest::newRow("card type") << u"v_dim_member_card_account.csv"_s
                               << QByteArray(
                                      "site_id,card_account_id,tenant_member_id,card_type,balance,status,"
                                      "last_recharge_time\nS1,1,1,credit,1.00,active,\n")
                               << u"v_dim_member_card_account.csv, line 2, column 4 (card_type)"_s;
    QTest::newRow("impossible date")
        << u"v_dws_finance_discount_detail.csv"_s
        << QByteArray("site_id,biz_date,discount_type,amount\nS1,2026-02-30,会员折扣,1.00\n")
        << u"v_dws_finance_discount_detail.csv, line 2, column 2 (biz_date)"_s;
    QTest::newRow("month not first day")
        << u"v_dws_assistant_salary_calc.csv"_s
        << QByteArray(
               "site_id,assistant_id,salary_month,assistant_level_name,tier_id,base_hours,effective_hours,"
               "gross_salary,base_course_price,bonus_course_price,sprint_bonus,base_income,bonus_income\n"
               "S1,1,2026-05-31,二档,2,3.00,4.00,320.00,,,20.00,240.00,60.00\n")
        << u"v_dws_assistant_salary_calc.csv, line 2, column 3 (salary_month)"_s;
    QTest::newRow("blank text") << u"v_dws_finance_income_structure.csv"_s
                                << QByteArray("site_id,biz_date,category,gross_amount,discount_amount\n"
                                              "S1,2026-05-15,\"  \",1.00,0\n")
                                << u"v_dws_finance_income_structure.csv, line 2, column 3 (category)"_s;
    // A quoted line break: the next record's line number counts it.
    QTest::newRow("line after quoted break")
        << log << row("S1,51,1,1,0,2026-05-02T20:00:00Z,,,1,1,1,\"two\nlines\",,\nS1,52,1,1,0,x,,,1,1,1,,,\n")
        << log + u", line 5, column 6 (create_time)"_s;
}

void BoardDataTest::badFileIsRefusedWithNothingChanged() {
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    test::TestWorkspace ws(-1);
    scalar(ws.db(), u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme') RETURNING 1"_s);
    QVERIFY(BoardWorkspaceLoad::load(ws.db(), u"acme"_s, m_fixture.path()));
    const QString before = dumpBoards(ws.db());
    // The bad file travels with good ones: the whole load is refused.
    QTemporaryDir dir;
    writeFixture(dir.path());
    writeFile(dir.path(), file, content);
    auto refused = BoardWorkspaceLoad::load(ws.db(), u"acme"_s, dir.path());
    QVERIFY(!refused);
    QVERIFY2(refused.problem().message.contains(expected), qPrintable(refused.problem().message));
    QVERIFY(refused.problem().message.startsWith(u"Nothing was loaded"_s));
    QCOMPARE(dumpBoards(ws.db()), before);
}

void BoardDataTest::clockOfASiteWithDataCannotChange() {
    test::TestWorkspace ws(-1);
    scalar(ws.db(), u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme') RETURNING 1"_s);
    QVERIFY(BoardWorkspaceLoad::load(ws.db(), u"acme"_s, m_fixture.path()));
    const QString before = dumpBoards(ws.db());
    QTemporaryDir dir;
    writeFile(dir.path(), u"site_settings.csv"_s,
              "site_id,tz,business_day_cutoff_minutes\nS1,Asia/Shanghai,0\n");
    auto refused = BoardWorkspaceLoad::load(ws.db(), u"acme"_s, dir.path());
    QVERIFY(!refused);
    QVERIFY2(refused.problem().message.contains(u"site_settings.csv, line 2"_s),
             qPrintable(refused.problem().message));
    QCOMPARE(dumpBoards(ws.db()), before);
    // The same clock again, or a new site, is fine.
    writeFile(dir.path(), u"site_settings.csv"_s,
              "site_id,tz,business_day_cutoff_minutes\nS1,Asia/Shanghai,360\nS3,Europe/Berlin,120\n");
    QVERIFY(BoardWorkspaceLoad::load(ws.db(), u"acme"_s, dir.path()));
    // An unknown tenant is refused before anything is read.
    auto noTenant = BoardWorkspaceLoad::load(ws.db(), u"nobody"_s, m_fixture.path());
    QVERIFY(!noTenant);
    QCOMPARE(noTenant.problem().code, u"unknown_tenant"_s);
}

void BoardDataTest::commandLineLoadsAndRefuses() {
    test::TestWorkspace ws(3); // the demo's tenants
    const QString tenant = scalar(ws.db(), u"SELECT min(tenant_id) FROM tenants"_s).toString();
    const QString path = ws.path();
    ws.workspace().close();
    QTemporaryDir templ;
    QProcess p;
    p.start(QStringLiteral(RISKDESK_BINARY), {u"board"_s, u"export-template"_s, u"--dir"_s, templ.path()});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(QFile::exists(templ.filePath(u"v_dws_finance_expense_summary.csv"_s)));
    p.start(QStringLiteral(RISKDESK_BINARY), {u"board"_s, u"load"_s, u"--workspace"_s, path, u"--tenant"_s,
                                              tenant, u"--dir"_s, m_fixture.path()});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QTemporaryDir bad;
    writeFixture(bad.path());
    writeFile(
        bad.path(), u"platform_settlement.csv"_s,
        "site_id,biz_date,platform,gross_settled,fee,net_received\nS1,2026-05-15,美团,640.001,60,580\n");
    p.start(QStringLiteral(RISKDESK_BINARY),
            {u"board"_s, u"load"_s, u"--workspace"_s, path, u"--tenant"_s, tenant, u"--dir"_s, bad.path()});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(QString::fromUtf8(p.readAllStandardError())
                .contains(u"platform_settlement.csv, line 2, column 4 (gross_settled)"_s));
    // Both targets at once is bad usage.
    p.start(QStringLiteral(RISKDESK_BINARY), {u"board"_s, u"load"_s, u"--workspace"_s, path, u"--url"_s,
                                              u"x"_s, u"--tenant"_s, tenant, u"--dir"_s, bad.path()});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
}

// ---- Server ----

#define REQUIRE_SERVER()                                                                                     \
    if (m_ownerUrl.isEmpty())                                                                                \
        QFAIL("RISKDESK_TEST_PG_URL is not set: run the tests through scripts/test, or `scripts/pg start` "  \
              "and export its URL");

void BoardDataTest::serverMigrationAppliesToAnExistingServer() {
    REQUIRE_SERVER();
    // A server at version 3 with a tenant and a membership moves to the latest version and keeps them.
    const QString old = m_database + u"_old"_s;
    must(connectOrFail(m_ownerUrl)->exec(u"CREATE DATABASE %1"_s.arg(old)));
    QUrl url(m_ownerUrl);
    url.setPath(u"/"_s + old);
    {
        auto server = connectOrFail(url.toString());
        QVERIFY(server->execScript(u"CREATE TABLE public.riskdesk_migrations (version integer PRIMARY KEY, "
                                   "applied_at timestamptz NOT NULL DEFAULT now())"_s));
        for (int v = 1; v <= 3; ++v) {
            const QString name =
                QDir(u":/riskdesk/sql/postgres"_s).entryList({u"00%1_*.sql"_s.arg(v)}).value(0);
            QFile f(u":/riskdesk/sql/postgres/"_s + name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            Status s = server->execScript(
                u"BEGIN;"_s + QString::fromUtf8(f.readAll()) +
                u";INSERT INTO public.riskdesk_migrations (version) VALUES (%1); COMMIT;"_s.arg(v));
            QVERIFY2(s, s ? "" : qPrintable(s.problem().message));
        }
        must(server->exec(u"INSERT INTO riskdesk.tenants VALUES ('acme', 'Acme')"_s));
        auto migrated = ServerAdmin::migrate(*server);
        QVERIFY2(migrated, migrated ? "" : qPrintable(migrated.problem().message));
        QCOMPARE(migrated.value(), ServerAdmin::latestVersion() - 3); // 004 and every migration after it
        QCOMPARE(ServerAdmin::migrate(*server).value(), 0);
        QCOMPARE(must(server->exec(u"SELECT count(*) FROM riskdesk.tenants"_s)).integer(0, 0), 1);
        auto loaded = BoardServerLoad::load(*server, u"acme"_s, m_fixture.path());
        QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    }
    test::mustDropDatabase(*connectOrFail(m_ownerUrl), old);
}

void BoardDataTest::catalogMatchesTheServerTables() {
    REQUIRE_SERVER();
    for (const BoardDataset& d : BoardDataCatalog::datasets()) {
        auto r =
            must(m_owner->exec(u"SELECT column_name FROM information_schema.columns WHERE table_schema = "
                               "'riskdesk_board' AND table_name = $1 ORDER BY 1"_s,
                               {d.table}));
        QStringList columns;
        for (int i = 0; i < r.rows(); ++i)
            columns << r.text(i, 0);
        QStringList expected{u"tenant_id"_s};
        for (const BoardColumn& c : d.columns)
            expected << c.name;
        if (!d.bizDateFrom.isEmpty())
            expected << u"biz_date"_s;
        expected << u"etl_version"_s;
        expected.sort();
        QCOMPARE(columns, expected);
    }
    // Loaded values in the server's types: yuan with 2 decimals, times, business days.
    auto r =
        must(m_owner->exec(u"SELECT ledger_amount::text, biz_date::text, create_time = "
                           "'2026-05-19T18:30:00Z'::timestamptz FROM riskdesk_board.assistant_service_log "
                           "WHERE site_id = 'S1' AND assistant_service_id = 7"_s));
    QCOMPARE(r.text(0, 0), u"110.00"_s);
    QCOMPARE(r.text(0, 1), u"2026-05-19"_s);
    QCOMPARE(r.text(0, 2), u"t"_s);
    QCOMPARE(must(m_owner->exec(u"SELECT ledger_amount::text FROM riskdesk_board.assistant_service_log WHERE "
                                "site_id = 'S2'"_s))
                 .text(0, 0),
             u"-0.05"_s);
}

void BoardDataTest::acX01_siteMemberReadsOnlyItsSites() {
    REQUIRE_SERVER();
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    auto fin12 = connectOrFail(serverUrl(u"fin12"_s));
    QCOMPARE(
        must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.v_dwd_assistant_service_log"_s)).integer(0, 0),
        4);
    QCOMPARE(
        must(fin12->exec(u"SELECT count(*) FROM riskdesk_board.v_dwd_assistant_service_log"_s)).integer(0, 0),
        5);
    int withSite = 0;
    for (const QString& rel : boardRelations()) {
        auto cols = must(m_owner->exec(u"SELECT 1 FROM information_schema.columns WHERE table_schema = "
                                       "'riskdesk_board' AND table_name = $1 AND column_name = 'site_id'"_s,
                                       {rel}));
        if (cols.rows() == 0)
            continue;
        ++withSite;
        auto other = must(
            fin1->exec(u"SELECT count(*) FROM riskdesk_board.%1 WHERE site_id NOT IN ('S1', '')"_s.arg(rel)));
        QVERIFY2(other.integer(0, 0) == 0, qPrintable(rel));
        auto seen =
            must(fin12->exec(u"SELECT count(*) FROM riskdesk_board.%1 WHERE site_id = 'S2'"_s.arg(rel)));
        auto all =
            must(m_owner->exec(u"SELECT count(*) FROM riskdesk_board.%1 WHERE site_id = 'S2'"_s.arg(rel)));
        QCOMPARE(seen.integer(0, 0), all.integer(0, 0)); // fin12 sees S2's rows: the filter is the membership
    }
    QVERIFY(withSite >= 35); // 22 site tables and their 17 site views (member_sites has no view)
    // The membership table is the login's own and cannot be written.
    QCOMPARE(must(fin1->exec(u"SELECT count(*) FROM riskdesk.site_memberships"_s)).integer(0, 0), 1);
    QVERIFY(!fin1->exec(u"INSERT INTO riskdesk.site_memberships VALUES (session_user, 'acme', 'S2')"_s));
    QCOMPARE(fin1->sqlState(), u"42501"_s);
    QVERIFY(!fin1->exec(u"INSERT INTO riskdesk_board.site_settings VALUES ('acme', 'S9', 'UTC', 0, 1)"_s));
    QCOMPARE(fin1->sqlState(), u"42501"_s);
}

void BoardDataTest::acX02_narrowingCannotWiden() {
    REQUIRE_SERVER();
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    QVERIFY(fin1->execScript(u"BEGIN"_s));
    must(fin1->exec(u"SELECT set_config('riskdesk.site_id', $1, true)"_s, {u"S2"_s}));
    for (const QString& rel : boardRelations())
        if (rel != u"cfg_skill_type" && rel != u"cfg_intimacy_level")
            QVERIFY2(must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.%1"_s.arg(rel))).integer(0, 0) ==
                         0,
                     qPrintable(rel));
    // The tenant-wide skill rows stay; S2's own never appear.
    QCOMPARE(must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.cfg_skill_type WHERE site_id <> ''"_s))
                 .integer(0, 0),
             0);
    QVERIFY(fin1->execScript(u"COMMIT"_s));
    // A session-wide setting cannot widen either; naming its own site narrows to it.
    must(fin1->exec(u"SELECT set_config('riskdesk.site_id', 'S2', false)"_s));
    QCOMPARE(
        must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.v_dwd_assistant_service_log"_s)).integer(0, 0),
        0);
    auto fin12 = connectOrFail(serverUrl(u"fin12"_s));
    must(fin12->exec(u"SELECT set_config('riskdesk.site_id', 'S1', false)"_s));
    QCOMPARE(
        must(fin12->exec(u"SELECT count(*) FROM riskdesk_board.v_dwd_assistant_service_log"_s)).integer(0, 0),
        4);
    QCOMPARE(
        must(fin12->exec(u"SELECT count(*) FROM riskdesk_board.v_dim_member WHERE tenant_member_id = 9"_s))
            .integer(0, 0),
        0);
}

void BoardDataTest::acX03_unsetOrEmptySettingKeepsTheScope() {
    REQUIRE_SERVER();
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    const QString count = u"SELECT count(*) FROM riskdesk_board.v_dwd_assistant_service_log"_s;
    QCOMPARE(must(fin1->exec(count)).integer(0, 0), 4); // never set: NULL
    // Set locally in a transaction that has ended: '' afterwards.
    QVERIFY(fin1->execScript(u"BEGIN; SELECT set_config('riskdesk.site_id', 'S1', true); COMMIT"_s));
    QCOMPARE(must(fin1->exec(u"SELECT current_setting('riskdesk.site_id', true)"_s)).text(0, 0), QString());
    QCOMPARE(must(fin1->exec(count)).integer(0, 0), 4);
    must(fin1->exec(u"SELECT set_config('riskdesk.site_id', '', false)"_s));
    QCOMPARE(must(fin1->exec(count)).integer(0, 0), 4);
}

void BoardDataTest::acX04_setRoleAndRowSecurityOffNeverWiden() {
    REQUIRE_SERVER();
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    const QString count = u"SELECT count(*) FROM riskdesk_board.v_dwd_assistant_service_log"_s;
    QVERIFY(fin1->execScript(u"SET ROLE riskdesk_finance"_s));
    QCOMPARE(must(fin1->exec(count)).integer(0, 0), 4);
    for (const QString& role : {u"riskdesk_admin"_s, u"riskdesk_approver"_s, m_prefix + u"fin12"_s})
        QVERIFY2(!fin1->execScript(u"SET ROLE %1"_s.arg(PgConnection::quoteIdentifier(role))),
                 qPrintable(role));
    QVERIFY(!fin1->execScript(
        u"SET SESSION AUTHORIZATION %1"_s.arg(PgConnection::quoteIdentifier(m_prefix + u"fin12"_s))));
    QVERIFY(fin1->execScript(u"RESET ROLE; SET row_security = off"_s));
    QVERIFY(!fin1->exec(count)); // refused, never unfiltered
    QVERIFY(!fin1->exec(u"SELECT count(*) FROM riskdesk_board.assistant_service_log"_s));
}

void BoardDataTest::acX05_noMembershipReadsNothing() {
    REQUIRE_SERVER();
    auto fin0 = connectOrFail(serverUrl(u"fin0"_s));
    for (const QString& rel : boardRelations())
        QVERIFY2(must(fin0->exec(u"SELECT count(*) FROM riskdesk_board.%1"_s.arg(rel))).integer(0, 0) == 0,
                 qPrintable(rel));
    // Other app roles may not read board data at all, whatever memberships they had.
    must(m_owner->exec(u"INSERT INTO riskdesk.site_memberships VALUES ($1, 'acme', 'S1')"_s,
                       {m_prefix + u"appr"_s}));
    auto appr = connectOrFail(serverUrl(u"appr"_s));
    QVERIFY(!appr->exec(u"SELECT count(*) FROM riskdesk_board.v_dwd_assistant_service_log"_s));
    QCOMPARE(appr->sqlState(), u"42501"_s);
}

void BoardDataTest::acX06_catalog() {
    REQUIRE_SERVER();
    QCOMPARE(must(m_owner->exec(u"SELECT count(*) FROM pg_class WHERE relnamespace = "
                                "'riskdesk_board'::regnamespace AND relkind = 'f'"_s))
                 .integer(0, 0),
             0);
    QCOMPARE(must(m_owner->exec(u"SELECT count(*) FROM pg_foreign_table"_s)).integer(0, 0), 0);
    auto tables = must(m_owner->exec(
        u"SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, (SELECT count(*) FROM pg_policy p WHERE "
        "p.polrelid = c.oid), pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.relnamespace = "
        "'riskdesk_board'::regnamespace AND c.relkind IN ('r', 'p')"_s));
    QCOMPARE(tables.rows(), BoardDataCatalog::datasets().size() + 3); // + member_sites, loads, partitions
    for (int i = 0; i < tables.rows(); ++i) {
        const QString t = tables.text(i, 0);
        QVERIFY2(tables.text(i, 1) == u"t" && tables.text(i, 2) == u"t", qPrintable(t));
        QVERIFY2(tables.integer(i, 3) >= 1, qPrintable(t));
        QVERIFY2(!tables.text(i, 4).startsWith(m_prefix), qPrintable(t)); // no app login owns it
    }
    // site_memberships too.
    QCOMPARE(must(m_owner->exec(u"SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = "
                                "'riskdesk.site_memberships'::regclass"_s))
                 .text(0, 0),
             u"t"_s);
    // Every unique key includes tenant_id, and site_id where the table has one (member and tenant-wide
    // tables excepted: their key is the tenant's).
    auto keys = must(m_owner->exec(
        u"SELECT c.relname, i.indexrelid::regclass::text, "
        "  bool_or(a.attname = 'tenant_id'), bool_or(a.attname = 'site_id'), "
        "  EXISTS (SELECT 1 FROM pg_attribute x WHERE x.attrelid = c.oid AND x.attname = 'site_id') "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = c.oid AND "
        "a.attnum = ANY (i.indkey) WHERE i.indisunique AND c.relnamespace = 'riskdesk_board'::regnamespace "
        "GROUP BY 1, 2, c.oid"_s));
    QVERIFY(keys.rows() >= tables.rows());
    for (int i = 0; i < keys.rows(); ++i) {
        QVERIFY2(keys.text(i, 2) == u"t", qPrintable(keys.text(i, 1)));
        QVERIFY2(keys.text(i, 4) == u"f" || keys.text(i, 3) == u"t", qPrintable(keys.text(i, 1)));
    }
    // Every v_* view runs with the reader's privileges; there is one per view of the reference.
    auto views = must(m_owner->exec(
        u"SELECT c.relname, coalesce('security_invoker=true' = ANY (c.reloptions), false) FROM pg_class c "
        "WHERE c.relnamespace = 'riskdesk_board'::regnamespace AND c.relkind = 'v'"_s));
    QCOMPARE(views.rows(), 18);
    for (int i = 0; i < views.rows(); ++i) {
        QVERIFY(views.text(i, 0).startsWith(u"v_"_s));
        QVERIFY2(views.text(i, 1) == u"t", qPrintable(views.text(i, 0)));
    }
    // Finance reads only; no other app role reads at all; nobody but the owner writes.
    auto grants = must(m_owner->exec(
        u"SELECT c.relname, r.rolname, p.priv FROM pg_class c CROSS JOIN (VALUES ('riskdesk_applicant'), "
        "('riskdesk_approver'), ('riskdesk_auditor'), ('riskdesk_finance')) r(rolname) CROSS JOIN (VALUES "
        "('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) p(priv) "
        "WHERE c.relnamespace = 'riskdesk_board'::regnamespace AND c.relkind IN ('r', 'v') AND "
        "has_table_privilege(r.rolname, c.oid, p.priv)"_s));
    for (int i = 0; i < grants.rows(); ++i) {
        QCOMPARE(grants.text(i, 1), u"riskdesk_finance"_s);
        QCOMPARE(grants.text(i, 2), u"SELECT"_s);
    }
    QVERIFY(grants.rows() >= 40);
    // No function reads board data as its owner: none in riskdesk_board, and no SECURITY DEFINER function
    // anywhere names the schema. Any function in it would have to pin search_path with pg_temp last.
    QCOMPARE(must(m_owner->exec(u"SELECT count(*) FROM pg_proc p WHERE p.prosecdef AND p.prosrc LIKE "
                                "'%riskdesk\\_board%'"_s))
                 .integer(0, 0),
             0);
    auto functions = must(m_owner->exec(
        u"SELECT p.proname, coalesce(array_to_string(p.proconfig, ';'), '') FROM pg_proc p WHERE "
        "p.pronamespace = 'riskdesk_board'::regnamespace"_s));
    for (int i = 0; i < functions.rows(); ++i)
        QVERIFY2(functions.text(i, 1).contains(QRegularExpression(u"search_path=[^;]*pg_temp($|;)"_s)),
                 qPrintable(functions.text(i, 0)));
}

void BoardDataTest::acX07_memberOfAnotherSiteIsHidden() {
    REQUIRE_SERVER();
    auto fin1 = connectOrFail(serverUrl(u"fin1"_s));
    auto fin12 = connectOrFail(serverUrl(u"fin12"_s));
    const QString q =
        u"SELECT count(*) FROM riskdesk_board.%1 WHERE tenant_member_id = 9 OR mobile LIKE '139%'"_s;
    QCOMPARE(must(fin1->exec(q.arg(u"v_dim_member"_s))).integer(0, 0), 0);
    QCOMPARE(must(fin1->exec(q.arg(u"dim_member"_s))).integer(0, 0), 0);
    QCOMPARE(must(fin12->exec(q.arg(u"v_dim_member"_s))).integer(0, 0), 1);
    // S1's members: 1, 4, 5 (registration or facts at S1); member 4 has no registration site.
    QCOMPARE(must(fin1->exec(u"SELECT string_agg(tenant_member_id::text, ',' ORDER BY 1) FROM "
                             "riskdesk_board.v_dim_member"_s))
                 .text(0, 0),
             u"1,4,5"_s);
    // Nor through the bridge: member_sites shows S1's rows only.
    QCOMPARE(
        must(fin1->exec(u"SELECT count(*) FROM riskdesk_board.member_sites WHERE tenant_member_id = 9"_s))
            .integer(0, 0),
        0);
}

void BoardDataTest::acX13_workspaceUserSites() {
    // The workspace keeps each user's sites; the rows of a site not granted are not the user's, even when the
    // file holds them. (The board queries that join bd_user_sites are not built yet: this checks the data.)
    test::TestWorkspace ws(-1);
    scalar(ws.db(), u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme') RETURNING 1"_s);
    QVERIFY(BoardWorkspaceLoad::load(ws.db(), u"acme"_s, m_fixture.path()));
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"INSERT INTO bd_user_sites VALUES ('fin1', 'acme', 'S1')"_s));
    QVERIFY(!q.exec(u"INSERT INTO bd_user_sites VALUES ('fin1', 'acme', 'S1')"_s)); // once
    const QString visible =
        u"SELECT count(*) FROM bd_assistant_service_log l JOIN bd_user_sites u ON u.tenant_id = l.tenant_id "
        "AND u.site_id = l.site_id WHERE u.user_id = 'fin1'"_s;
    QCOMPARE(scalar(ws.db(), visible).toInt(), 4);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM bd_assistant_service_log"_s).toInt(), 5);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM bd_member_sites m JOIN bd_user_sites u USING (tenant_id, "
                             "site_id) WHERE u.user_id = 'fin1' AND m.tenant_member_id = 9"_s)
                 .toInt(),
             0);
    QVERIFY(scalar(ws.db(),
                   u"EXPLAIN QUERY PLAN SELECT * FROM bd_assistant_service_log WHERE tenant_id = 'acme' "
                   "AND site_id = 'S1' AND biz_date BETWEEN '2026-05-01' AND '2026-05-31'"_s)
                .isValid());
}

void BoardDataTest::serverLoadIsAllOrNothing() {
    REQUIRE_SERVER();
    auto count = [&] {
        return must(m_owner->exec(u"SELECT (SELECT count(*) FROM riskdesk_board.assistant_service_log) + "
                                  "(SELECT count(*) FROM riskdesk_board.site_settings) + "
                                  "(SELECT count(*) FROM riskdesk_board.loads)"_s))
            .integer(0, 0);
    };
    const qint64 before = count();
    QTemporaryDir dir;
    writeFixture(dir.path());
    writeFile(dir.path(), u"site_settings.csv"_s,
              "site_id,tz,business_day_cutoff_minutes\nS1,Asia/Shanghai,360\n"
              "S2,Asia/Shanghai,\nS4,UTC,0\n");
    writeFile(
        dir.path(), u"coach_tasks.csv"_s,
        "site_id,site_assistant_id,tenant_member_id,status,updated_at\nS1,2,1,paused,2026-05-28T10:00:00Z\n");
    auto refused = BoardServerLoad::load(*m_owner, u"acme"_s, dir.path());
    QVERIFY(!refused);
    QVERIFY2(refused.problem().message.contains(u"coach_tasks.csv, line 2, column 4 (status)"_s),
             qPrintable(refused.problem().message));
    QCOMPARE(count(), before);
    // The connection is usable afterwards and a tenant that does not exist is refused.
    auto noTenant = BoardServerLoad::load(*m_owner, u"nobody"_s, m_fixture.path());
    QVERIFY(!noTenant);
    QCOMPARE(noTenant.problem().code, u"unknown_tenant"_s);
    QCOMPARE(count(), before);
}

QTEST_GUILESS_MAIN(BoardDataTest)
#include "tst_boarddata.moc"
