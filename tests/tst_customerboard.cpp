// BOARD-2, the customer board (boards/SPEC.md §5, §2; acceptance checks AC-B2-01..12 of §10.5) on real
// workspace files with the committed F1/F2 fixture, plus a small extra set (win-back and spending-power
// indices, visit details, a second site) written here so that every tab is checked; and the command line.
#include "TestWorkspace.h"
#include "boards/BoardFaults.h"
#include "boards/BoardRowSink.h"
#include "boards/BoardScope.h"
#include "boards/CustomerBoard.h"
#include "boards/CustomerDimensions.h"
#include "store/BoardWorkspaceLoad.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

const QString kFixture = QStringLiteral(RISKDESK_SOURCE_DIR "/tests/fixtures/boards/f1f2");

void writeFile(const QString& dir, const QString& name, const QByteArray& text) {
    QFile f(QDir(dir).filePath(name));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

// What F1 lacks for D1, D2 and D5, and a second site S2 with a member only it knows (AC-B2-12).
void writeExtras(const QString& dir) {
    writeFile(dir, u"site_settings.csv"_s, "site_id,tz,business_day_cutoff_minutes\nS2,Asia/Shanghai,\n");
    // Latest snapshot on or before 05-31 is 05-31; the 05-15 and 06-02 snapshots must not be read at 05-31.
    writeFile(dir, u"v_dws_member_winback_index.csv"_s,
              "site_id,tenant_member_id,wbi,calc_date,days_since_last_visit\n"
              "S1,4,88.00,2026-05-31,25\nS1,3,60.50,2026-05-31,0\nS1,2,60.50,2026-05-31,6\n"
              "S1,1,10.00,2026-05-31,12\nS1,5,99.00,2026-05-15,3\nS1,1,50.00,2026-06-02,14\n");
    writeFile(dir, u"v_dws_member_spending_power_index.csv"_s,
              "site_id,tenant_member_id,spi,calc_date\nS1,1,70.00,2026-05-31\nS1,4,95.00,2026-05-31\n"
              "S1,2,70.00,2026-05-31\n");
    // Business days with the 06:00 cut-off: M5's 06-01 01:00 visit belongs to 05-31; M4's 06-01 20:00 visit
    // is after the as-of day.
    writeFile(dir, u"v_dws_member_visit_detail.csv"_s,
              "site_id,tenant_member_id,first_in_time,last_out_time\n"
              "S1,1,2026-05-02T19:00:00+08:00,2026-05-02T22:00:00+08:00\n"
              "S1,1,2026-05-19T20:00:00+08:00,2026-05-20T02:30:00+08:00\n"
              "S1,2,2026-05-25T19:00:00+08:00,\n"
              "S1,3,2026-04-20T19:00:00+08:00,2026-04-20T21:00:00+08:00\n"
              "S1,5,2026-06-01T01:00:00+08:00,2026-06-01T02:00:00+08:00\n"
              "S1,4,2026-06-01T20:00:00+08:00,\n");
    writeFile(dir, u"v_dim_member.csv"_s,
              "tenant_member_id,member_name,mobile,register_site_id\n9,只在二店,13900009999,S2\n");
    writeFile(
        dir, u"v_dwd_assistant_service_log.csv"_s,
        "site_id,assistant_service_id,site_assistant_id,tenant_member_id,is_delete,create_time,"
        "start_use_time,last_use_time,income_seconds,real_use_seconds,ledger_amount,skill_name,"
        "site_table_id,etl_loaded_at\nS2,1,7,9,0,2026-05-20T20:00:00+08:00,,,3600,3600,70.00,,,\n"
        "S2,2,7,10,0,2026-05-21T20:00:00+08:00,,,3600,3600,30.00,,,\n"); // member 10 has no dimension row
}

QVariant scalar(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0);
}

qint64 number(const BoardTable& t, const BoardTableRow& row, const QString& key) {
    const BoardCell* c = t.cell(row, key);
    return c && c->value.number() ? *c->value.number() : -1;
}

QString text(const BoardTable& t, const BoardTableRow& row, const QString& key) {
    const BoardCell* c = t.cell(row, key);
    return c ? c->text : u"<no column>"_s;
}

QList<qint64> ids(const BoardTable& t) {
    QList<qint64> out;
    for (const BoardTableRow& r : t.rows())
        out << r.id.toLongLong();
    return out;
}

} // namespace

class CustomerBoardTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void acB2_01_spend60AsOf0531();
    void acB2_02_spend60AsOf0601();
    void acB2_03_spend60AsOf0602();
    void acB2_04_frequencyAndExactWeeklyVisits();
    void acB2_05_lastVisitDaysFromValidLogs();
    void acB2_06_balanceTab();
    void acB2_07_rechargeTabAndRefunds();
    void acB2_08_followUpCoachPinnedFirst();
    void aPeriodNotLoadedYetHasNoData();
    void aWindowEndingOnADayNotLoadedComparesLikeWithLike();
    void aSummaryIsComparedWithTheOneAWindowBeforeIt();
    void theSpendColumnSaysWhatItCovers();
    void acB2_09_noFanOut();
    void acB2_10_pagingByKey();
    void acB2_11_popOfTabTotals();
    void acB2_12_userOfAnotherSite();
    void recallTabReadsTheLatestSnapshot();
    void potentialTab();
    void recentVisitTab();
    void loyaltyTab();
    void coachFilterAndSearch();
    void sortingWholeSetAndRefusals();
    void failingEnrichmentsAreIsolated();
    void failingNamesShowIds();
    void failingCoreIsAnError();
    void drillDownFootersEqualTheCells();
    void commandLine();
    void indexesServeTheWholeSetQueries();
    void queryOnlyWorkspaceGivesTheSameAnswer();

private:
    BoardRequest request(const QString& dimension, const QDate& asOf) const;
    BoardReport compute(const BoardRequest& r, const QString& user = {});
    const BoardTable& tab(const BoardReport& report) { return report.tables().first(); }

    std::unique_ptr<test::TestWorkspace> m_ws;
    QTemporaryDir m_extras;
};

void CustomerBoardTest::initTestCase() {
    QVERIFY(QFile::exists(kFixture + u"/v_dwd_assistant_service_log.csv"_s));
    m_ws = std::make_unique<test::TestWorkspace>(-1);
    scalar(m_ws->db(), u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme') RETURNING 1"_s);
    auto loaded = BoardWorkspaceLoad::load(m_ws->db(), u"acme"_s, kFixture);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    writeExtras(m_extras.path());
    loaded = BoardWorkspaceLoad::load(m_ws->db(), u"acme"_s, m_extras.path());
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    for (const char* sql : {"INSERT INTO users (tenant_id, user_id, display_name, role) VALUES "
                            "('acme', 'fin1', 'Fin One', 'finance'), ('acme', 'fin2', 'Fin Two', 'finance'), "
                            "('acme', 'appr', 'Approver', 'approver') RETURNING 1",
                            "INSERT INTO bd_user_sites VALUES ('fin1', 'acme', 'S1'), ('fin2', 'acme', 'S2') "
                            "RETURNING 1"})
        scalar(m_ws->db(), QString::fromLatin1(sql));
}

void CustomerBoardTest::cleanup() {
    BoardFaults::clear();
}

BoardRequest CustomerBoardTest::request(const QString& dimension, const QDate& asOf) const {
    BoardRequest r;
    r.tenant = u"acme"_s;
    r.site = u"S1"_s;
    r.today = QDate(2026, 6, 2);
    r.asOfDay = asOf;
    r.dimension = dimension;
    r.pageSize = 0;
    r.locale = QLocale(QLocale::English);
    return r;
}

BoardReport CustomerBoardTest::compute(const BoardRequest& r, const QString& user) {
    const auto scope = BoardScope::open(m_ws->db(), u"acme"_s, user);
    if (!scope)
        qFatal("%s", qPrintable(scope.problem().message));
    const auto report = CustomerBoard::compute(m_ws->db(), scope.value(), r);
    if (!report)
        qFatal("%s", qPrintable(report.problem().message));
    return report.value();
}

void CustomerBoardTest::acB2_01_spend60AsOf0531() {
    const BoardReport report = compute(request(u"spend60"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(report);
    QCOMPARE(t.key(), u"spend60"_s);
    QCOMPARE(ids(t), (QList<qint64>{1, 2, 4, 5, 3}));
    QList<qint64> spend;
    for (const BoardTableRow& r : t.rows())
        spend << number(t, r, u"spend60d"_s);
    QCOMPARE(spend, (QList<qint64>{68000, 28000, 11000, 10000, 5000}));
    QCOMPARE(report.parameters().value(u"window"_s).toObject().value(u"from"_s).toString(), u"2026-04-02"_s);
    QCOMPARE(*t.totals()->cells[t.columnIndex(u"spend60d"_s)].value.number(), 122000); // 450.00 + 770.00
    QCOMPARE(*report.kpi(u"total"_s)->value.number(), 122000);
    QCOMPARE(*report.kpi(u"members"_s)->value.number(), 5);
    QCOMPARE(t.total(), 5);
    QCOMPARE(text(t, t.rows().first(), u"member"_s), u"王一"_s);
    QCOMPARE(text(t, t.rows().first(), u"phone"_s), u"138****1111"_s);
}

void CustomerBoardTest::acB2_02_spend60AsOf0601() {
    const BoardReport report = compute(request(u"spend60"_s, QDate(2026, 6, 1)));
    const BoardTable& t = tab(report);
    QCOMPARE(number(t, *t.rowById(4), u"spend60d"_s), 20000); // L12 added
    QCOMPARE(number(t, *t.rowById(1), u"spend60d"_s), 68000); // L1 on 04-03 still inside
    QCOMPARE(*report.kpi(u"total"_s)->value.number(), 131000);
}

void CustomerBoardTest::acB2_03_spend60AsOf0602() {
    const BoardReport report = compute(request(u"spend60"_s, QDate(2026, 6, 2)));
    const BoardTable& t = tab(report);
    QCOMPARE(number(t, *t.rowById(1), u"spend60d"_s), 48000); // L1 dropped out
    QCOMPARE(*report.kpi(u"total"_s)->value.number(), 111000);
}

void CustomerBoardTest::acB2_04_frequencyAndExactWeeklyVisits() {
    const BoardReport report = compute(request(u"freq60"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(report);
    QCOMPARE(ids(t), (QList<qint64>{1, 2, 3, 4, 5}));
    QStringList visits, weekly;
    for (const BoardTableRow& r : t.rows()) {
        visits << QString::number(number(t, r, u"visits60d"_s));
        weekly << BoardTable::cellDisplay(t.columns().at(t.columnIndex(u"weeklyVisits"_s)),
                                          *t.cell(r, u"weeklyVisits"_s), QLocale(QLocale::English));
    }
    QCOMPARE(visits, (QStringList{u"4"_s, u"3"_s, u"1"_s, u"1"_s, u"1"_s}));
    // 3 × 7 / 60 = 0.35 exactly, half away from zero: 0.4 (a double gives 0.3).
    QCOMPARE(weekly, (QStringList{u"0.5"_s, u"0.4"_s, u"0.1"_s, u"0.1"_s, u"0.1"_s}));
    // The total is the weekly rate of all 10 visits (10 × 7 / 60 = 1.17 → 1.2), a number like the rows', not
    // text, so a sheet can add it up and the screen groups it.
    QCOMPARE(t.totals()->cells.at(t.columnIndex(u"weeklyVisits"_s)).value.number(),
             std::optional<qint64>(12));
    QCOMPARE(t.rowById(2)->detail.value(u"weeklyVisitsTenths"_s).toInt(), 4);
    QCOMPARE(number(t, *t.rowById(1), u"spend60d"_s), 68000);
    QCOMPARE(*report.kpi(u"total"_s)->value.number(), 10);
}

void CustomerBoardTest::acB2_05_lastVisitDaysFromValidLogs() {
    const BoardReport report = compute(request(u"spend60"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(report);
    const QList<std::pair<qint64, qint64>> expected{{1, 12}, {2, 6}, {3, 0}, {4, 25}, {5, 0}};
    for (const auto& [member, days] : expected)
        QCOMPARE(number(t, *t.rowById(member), u"lastVisitDays"_s), days);
}

void CustomerBoardTest::acB2_06_balanceTab() {
    BoardRequest r = request(u"balance"_s, QDate(2026, 5, 31));
    const BoardReport report = compute(r);
    const BoardTable& t = tab(report);
    QCOMPARE(ids(t), (QList<qint64>{4, 1, 5, 2})); // M3 has no card account: not listed
    QList<qint64> stored;
    for (const BoardTableRow& row : t.rows())
        stored << number(t, row, u"storedValueBalance"_s);
    QCOMPARE(stored, (QList<qint64>{120000, 50000, 30000, 0}));
    QCOMPARE(number(t, *t.rowById(1), u"giftBalance"_s), 5000);
    QCOMPARE(number(t, *t.rowById(5), u"giftBalance"_s), 10000);
    QCOMPARE(t.cell(*t.rowById(4), u"giftBalance"_s)->value.state(), CellState::NoData); // no gift account
    QCOMPARE(*report.kpi(u"total"_s)->value.number(), 200000);
    QCOMPARE(t.columnIndex(u"balance"_s), -1); // the balance is the measure here
    // As-of is not today: the tab says the balances are current values; on today it does not.
    QVERIFY(t.notes().join(u'\n').contains(u"current values"_s));
    r.asOfDay = r.today;
    QVERIFY(!tab(compute(r)).notes().join(u'\n').contains(u"current values"_s));
}

void CustomerBoardTest::acB2_07_rechargeTabAndRefunds() {
    BoardRequest r = request(u"recharge"_s, QDate(2026, 5, 31));
    r.period = BoardPeriod::custom(QDate(2026, 5, 1), QDate(2026, 5, 31)).value();
    const BoardReport report = compute(r);
    const BoardTable& t = tab(report);
    QCOMPARE(ids(t), (QList<qint64>{4, 1})); // M2's only order was refunded
    QCOMPARE(number(t, *t.rowById(4), u"rechargeAmount"_s), 120000);
    QCOMPARE(number(t, *t.rowById(4), u"orderCount"_s), 2);
    QCOMPARE(number(t, *t.rowById(4), u"giftAmount"_s), 10000);
    QCOMPARE(number(t, *t.rowById(1), u"rechargeAmount"_s), 50000);
    QCOMPARE(number(t, *t.rowById(1), u"orderCount"_s), 1);
    QCOMPARE(*report.kpi(u"total"_s)->value.number(), 170000);
    QCOMPARE(*report.kpi(u"refunds"_s)->value.number(), 30000);
    QVERIFY2(t.notes().join(u'\n').contains(u"Refunds in the period: CN¥300.00 (1 order"_s),
             qPrintable(t.notes().join(u'\n')));
    // The default period is the last 30 days ending on the as-of day.
    BoardRequest d = request(u"recharge"_s, QDate(2026, 5, 31));
    QCOMPARE(compute(d).parameters().value(u"period"_s).toObject().value(u"from"_s).toString(),
             u"2026-05-02"_s);
}

// F1 is loaded through 2026-06-01. Recharges of 06-02 are not known yet: no data with the reason, never
// "0 members, ¥0.00 ▼ −100%"; a period that only runs past the data says so in a badge.
void CustomerBoardTest::aPeriodNotLoadedYetHasNoData() {
    BoardRequest r = request(u"recharge"_s, QDate(2026, 6, 2));
    r.period = BoardPeriod::custom(QDate(2026, 6, 2), QDate(2026, 6, 2)).value();
    const BoardReport report = compute(r);
    for (const QString& key : {u"members"_s, u"total"_s, u"refunds"_s}) {
        QCOMPARE(report.kpi(key)->value.state(), CellState::NoData);
        QCOMPARE(report.kpi(key)->value.reason(), u"not loaded yet (data are loaded through 2026-06-01)"_s);
    }
    QCOMPARE(report.kpi(u"total"_s)->change->kind(), PeriodChange::Kind::NoData);
    QCOMPARE(tab(report).outcome().status(), SectionOutcome::Status::NoData);
    QVERIFY(!tab(report).notes().join(u' ').contains(u"0.00"_s));
    QVERIFY(report.badges().join(u' ').contains(u"no day of this period is loaded yet"_s));
    // Its drill-down's footer is no data too, as the clicked total is.
    BoardRequest drill = r;
    drill.drill = u"rechargeAmount:total"_s;
    const BoardReport rows = compute(drill);
    const BoardTable& listed = rows.tables().first();
    QCOMPARE(listed.cell(*listed.totals(), u"rechargeAmount"_s)->value.state(), CellState::NoData);
    QCOMPARE(listed.outcome().status(), SectionOutcome::Status::NoData);
    QVERIFY(listed.rows().isEmpty());
    // A member's drill says the same, rather than refusing a member the empty tab does not list.
    drill.drill = u"rechargeAmount:4"_s;
    QCOMPARE(compute(drill).tables().first().outcome().status(), SectionOutcome::Status::NoData);
    // No member is listed and the totals row says why rather than "0 members, ¥0.00"; a CSV is its header.
    const QString why = u"not loaded yet (data are loaded through 2026-06-01)"_s;
    QVERIFY(tab(report).rows().isEmpty());
    QCOMPARE(tab(report).total(), 0);
    QCOMPARE(tab(report).cell(*tab(report).totals(), u"rechargeAmount"_s)->value.reason(), why);
    QCOMPARE(tab(report).totals()->cells.first().text, QString());
    QCOMPARE(tab(report).toCsv(false, true).count("\r\n"), 1);
    // D5 measures the period too: no member with "0 visits", and its drill lists no visit.
    BoardRequest recent = r;
    recent.dimension = u"recent"_s;
    const BoardReport visits = compute(recent);
    QCOMPARE(tab(visits).outcome().status(), SectionOutcome::Status::NoData);
    QVERIFY(tab(visits).rows().isEmpty());
    QCOMPARE(tab(visits).cell(*tab(visits).totals(), u"visitsInPeriod"_s)->value.reason(), why);
    recent.drill = u"visitsInPeriod:total"_s;
    const BoardReport visitRows = compute(recent);
    QCOMPARE(visitRows.tables().first().outcome().status(), SectionOutcome::Status::NoData);
    QVERIFY(visitRows.tables().first().rows().isEmpty());
    QCOMPARE(visitRows.tables()
                 .first()
                 .cell(*visitRows.tables().first().totals(), u"visitsInPeriod"_s)
                 ->value.reason(),
             why);
    // An export streams no row for either tab (it wrote every member with 0 before), and the other tabs'
    // rows as ever.
    {
        struct Counting : BoardRowSink {
            Status beginTable(const BoardTable& table) override {
                rows.insert(table.key(), 0);
                last = table.key();
                return success();
            }
            Status row(const BoardTableRow&) override {
                ++rows[last];
                return success();
            }
            QMap<QString, int> rows;
            QString last;
        } sink;
        auto scope = BoardScope::open(m_ws->db(), u"acme"_s);
        QVERIFY(scope);
        BoardRequest all = r;
        all.drill.clear();
        auto streamed =
            CustomerBoard::computeEveryRow(m_ws->db(), scope.value(), all, CustomerDimensions::keys(), sink);
        QVERIFY2(streamed, streamed ? "" : qPrintable(streamed.problem().message));
        QCOMPARE(sink.rows.value(u"recharge"_s, -1), 0);
        QCOMPARE(sink.rows.value(u"recent"_s, -1), 0);
        QVERIFY(sink.rows.value(u"spend60"_s) > 0);
    }
    // Half loaded: figures, and the badge naming the empty day.
    r.period = BoardPeriod::custom(QDate(2026, 6, 1), QDate(2026, 6, 2)).value();
    const BoardReport half = compute(r);
    QVERIFY(half.kpi(u"total"_s)->value.number());
    // Like with like: the one loaded day against the first day of the previous range, not both of its days.
    QCOMPARE(half.kpi(u"total"_s)->comparison, u"PoP 2026-05-30 ~ 2026-05-30"_s);
    QCOMPARE(half.parameters().value(u"comparison"_s).toString(), u"PoP 2026-05-30 ~ 2026-05-30"_s);
    QCOMPARE(half.kpi(u"total"_s)->previous.value(u"to"_s).toString(), u"2026-05-30"_s);
    QCOMPARE(tab(half).outcome().status(), SectionOutcome::Status::Ok);
    QVERIFY2(half.badges().join(u' ').contains(u"Data are loaded through 2026-06-01: the last"_s),
             qPrintable(half.badges().join(u' ')));
    // A tab that does not measure the period (D6, 60 days to the as-of day) is unaffected.
    QCOMPARE(tab(compute(request(u"spend60"_s, QDate(2026, 6, 2)))).outcome().status(),
             SectionOutcome::Status::Ok);
}

void CustomerBoardTest::acB2_08_followUpCoachPinnedFirst() {
    const BoardReport report = compute(request(u"spend60"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(report);
    const QJsonArray coaches = t.rowById(1)->detail.value(u"coaches"_s).toArray();
    QCOMPARE(coaches.size(), 2);
    QCOMPARE(coaches[0].toObject().value(u"coachId"_s).toInt(), 2);
    QVERIFY(coaches[0].toObject().value(u"followingUp"_s).toBool());
    QCOMPARE(coaches[0].toObject().value(u"emoji"_s).toString(), u"\U0001F60A"_s); // 65.00: familiar
    QCOMPARE(coaches[1].toObject().value(u"coachId"_s).toInt(), 1); // 92.50 > 65.00, yet below the pinned one
    QVERIFY(!coaches[1].toObject().value(u"followingUp"_s).toBool());
    QCOMPARE(text(t, *t.rowById(1), u"relatedCoaches"_s), u"白雪 😊 (following up), 安娜 💗"_s);
}

void CustomerBoardTest::acB2_09_noFanOut() {
    const BoardReport spend = compute(request(u"spend60"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(spend);
    QCOMPARE(number(t, *t.rowById(4), u"spend60d"_s), 11000); // not 220.00: two accounts do not double it
    QCOMPARE(number(t, *t.rowById(4), u"balance"_s), 120000); // 1,200.00 + 0.00
    const BoardReport balance = compute(request(u"balance"_s, QDate(2026, 5, 31)));
    QCOMPARE(number(tab(balance), *tab(balance).rowById(4), u"storedValueBalance"_s), 120000);
}

void CustomerBoardTest::acB2_10_pagingByKey() {
    QList<QList<qint64>> pages;
    for (int page = 1; page <= 4; ++page) {
        BoardRequest r = request(u"spend60"_s, QDate(2026, 5, 31));
        r.page = page;
        r.pageSize = 2;
        const BoardReport report = compute(r);
        QCOMPARE(tab(report).total(), 5);
        QCOMPARE(*tab(report).totals()->cells[tab(report).columnIndex(u"spend60d"_s)].value.number(), 122000);
        pages << ids(tab(report));
    }
    QCOMPARE(pages, (QList<QList<qint64>>{{1, 2}, {4, 5}, {3}, {}}));
}

// D6 as of 06-02 with data loaded through 06-01: the window's 59 loaded days (04-04 ~ 06-01) are compared
// with the first 59 days of the previous window (02-03 ~ 04-02), not with all 60 (02-03 ~ 04-03), whose last
// day holds L1 (M1, 200.00): the old comparison read it as ▼ against the site's 200.00 and M1's.
void CustomerBoardTest::aWindowEndingOnADayNotLoadedComparesLikeWithLike() {
    const BoardReport spend = compute(request(u"spend60"_s, QDate(2026, 6, 2)));
    const BoardKpi* k = spend.kpi(u"total"_s);
    QCOMPARE(*k->value.number(), 111000); // AC-B2-03 as ever
    QCOMPARE(k->previous.value(u"from"_s).toString(), u"2026-02-03"_s);
    QCOMPARE(k->previous.value(u"to"_s).toString(), u"2026-04-02"_s);
    QVERIFY(k->change);
    QCOMPARE(k->change->kind(), PeriodChange::Kind::New);
    const BoardTable& t = tab(spend);
    QCOMPARE(t.cell(*t.rowById(1), u"spendChange"_s)->change->kind(), PeriodChange::Kind::New);
    QCOMPARE(t.cell(*t.rowById(1), u"spendChange"_s)->note, u"PoP 2026-02-03 ~ 2026-04-02"_s);
    QVERIFY2(spend.badges().join(u' ').contains(u"the last 1 day(s) of the 60-day window have no data yet"_s),
             qPrintable(spend.badges().join(u" | "_s)));
    QVERIFY(spend.badges().join(u' ').contains(u"2026-02-03 ~ 2026-04-02"_s));
    // Loaded to its end (as of 06-01), the whole previous window is compared, with no badge.
    const BoardReport whole = compute(request(u"spend60"_s, QDate(2026, 6, 1)));
    QCOMPARE(whole.kpi(u"total"_s)->previous.value(u"to"_s).toString(), u"2026-04-02"_s);
    QVERIFY(!whole.badges().join(u' ').contains(u"no data yet"_s));
}

// D2 and D7 show the members' spend over the 60-day window beside their snapshot: a window whose last day is
// not loaded says the spend covers the loaded days, and one of which no day is loaded shows no data, not
// ¥0.00 for every member (and its drill's footer says the same).
void CustomerBoardTest::theSpendColumnSaysWhatItCovers() {
    for (const QString& dimension : {u"potential"_s, u"freq60"_s}) {
        const QString badges = compute(request(dimension, QDate(2026, 6, 2))).badges().join(u" | "_s);
        QVERIFY2(
            badges.contains(
                u"Data are loaded through 2026-06-01: the last 1 day(s) of the 60-day window have "
                "no data yet, so the column “Coach-service spend (60 days)” covers 2026-04-04 ~ 2026-06-01 only."_s),
            qPrintable(badges));
        QVERIFY(!compute(request(dimension, QDate(2026, 6, 1))).badges().join(u' ').contains(u"60-day"_s));
        BoardRequest farPast = request(dimension, QDate(2026, 9, 30));
        farPast.today = QDate(2026, 9, 30);
        const BoardReport report = compute(farPast);
        QVERIFY(report.badges().join(u' ').contains(
            u"no day of the 60-day window is loaded yet, so the column “Coach-service spend (60 days)” shows no data (—), not zero"_s));
        const BoardTable& t = tab(report);
        QVERIFY(!t.rows().isEmpty()); // the snapshot's members are still listed, with their scores or visits
        const QString why = u"not loaded yet (data are loaded through 2026-06-01)"_s;
        for (const BoardTableRow& row : t.rows()) {
            QCOMPARE(t.cell(row, u"spend60d"_s)->value.state(), CellState::NoData);
            QCOMPARE(t.cell(row, u"spend60d"_s)->value.reason(), why);
        }
        QCOMPARE(t.cell(*t.totals(), u"spend60d"_s)->value.reason(), why);
        // The window's visits heat map is no data too, not a grid of zeros.
        BoardRequest charts = farPast;
        charts.chartSections = true;
        const BoardReport withCharts = compute(charts);
        const BoardTable& heat = withCharts.tables().last();
        QCOMPARE(heat.key(), u"visits_heatmap"_s);
        QCOMPARE(heat.outcome().status(), SectionOutcome::Status::NoData);
        QVERIFY(heat.rows().isEmpty());
        BoardRequest loaded = request(dimension, QDate(2026, 5, 31));
        loaded.chartSections = true;
        const BoardReport loadedCharts = compute(loaded);
        QCOMPARE(loadedCharts.tables().last().rows().size(), 7); // a loaded window's map: a row per weekday
        farPast.drill = u"spend60d:total"_s;
        const BoardReport drilled = compute(farPast); // kept: the table below is read from it
        const BoardTable& listed = drilled.tables().first();
        QCOMPARE(listed.outcome().status(), SectionOutcome::Status::NoData);
        QCOMPARE(listed.cell(*listed.totals(), u"spend60d"_s)->value.reason(), why);
        // The tab still lists its members, so one it does not list is refused, as on any other day.
        BoardRequest stranger = farPast;
        stranger.drill = u"spend60d:99999"_s;
        const auto scope = BoardScope::open(m_ws->db(), u"acme"_s, QString());
        QCOMPARE(CustomerBoard::compute(m_ws->db(), scope.value(), stranger).problem().code, u"bad_drill"_s);
    }
}

// D7's summary counts the 60 days ending on its own calculation day, so it is compared with the latest
// summary on or before the day 60 days earlier, wherever the watermark is. The rule before took that day from
// the window cut at the watermark: as of 06-02 (loaded through 06-01) it compared the 05-31 summary with
// 04-02's, whose days overlap it by one; as of a day far past the data it compared the 05-31 summary with
// itself, a flat 0.0%.
void CustomerBoardTest::aSummaryIsComparedWithTheOneAWindowBeforeIt() {
    QSqlQuery q(m_ws->db());
    const auto removeThem = qScopeGuard([&] {
        QSqlQuery(m_ws->db())
            .exec(u"DELETE FROM bd_member_consumption_summary WHERE calc_date IN ('2026-01-20', '2026-04-01',"
                  " '2026-04-02')"_s);
    });
    QVERIFY2(
        q.exec(u"INSERT INTO bd_member_consumption_summary (tenant_id, site_id, tenant_member_id, calc_date,"
               " visits_60d, amount_60d_fen, etl_version) VALUES ('acme', 'S1', 1, '2026-04-01', 2, 0, 1),"
               " ('acme', 'S1', 1, '2026-04-02', 8, 0, 1), ('acme', 'S1', 1, '2026-01-20', 5, 0, 1)"_s),
        qPrintable(q.lastError().text()));
    BoardRequest farPast = request(u"freq60"_s, QDate(2026, 9, 30));
    farPast.today = QDate(2026, 9, 30);
    for (const BoardRequest& r : {request(u"freq60"_s, QDate(2026, 6, 2)), farPast}) {
        const BoardReport freq = compute(r);
        const BoardKpi* k = freq.kpi(u"total"_s);
        QCOMPARE(*k->value.number(), 10); // the 05-31 summary: 4 + 3 + 1 + 1 + 1 visits
        QCOMPARE(k->previous.value(u"from"_s).toString(), u"2026-02-01"_s);
        QCOMPARE(k->previous.value(u"to"_s).toString(), u"2026-04-01"_s);
        QCOMPARE(k->comparison, u"PoP 2026-02-01 ~ 2026-04-01"_s);
        QVERIFY(k->change);
        QCOMPARE(k->change->kind(), PeriodChange::Kind::Percent);
        QCOMPARE(*k->change->tenths(), 4000); // 10 visits against 04-01's 2: +400.0%
    }
    // Filtered to a member the 04-01 summary does not list: they had no visits in its days, so "new" (as D6
    // says of a member with no spend before), not no data.
    BoardRequest m2 = farPast;
    m2.search = u"2222"_s; // M2's phone
    const BoardReport filtered = compute(m2);
    QCOMPARE(*filtered.kpi(u"total"_s)->value.number(), 3);
    QCOMPARE(filtered.kpi(u"total"_s)->change->kind(), PeriodChange::Kind::New);
    // With no summary in the previous window (02-01 ~ 04-01) there is nothing to compare: no data, not "new",
    // and not the 01-20 summary, whose days lie long before (the window is still named).
    QVERIFY(QSqlQuery(m_ws->db())
                .exec(u"DELETE FROM bd_member_consumption_summary WHERE calc_date = '2026-04-01'"_s));
    const BoardReport none = compute(farPast);
    QCOMPARE(none.kpi(u"total"_s)->change->kind(), PeriodChange::Kind::NoData);
    QCOMPARE(none.kpi(u"total"_s)->comparison, u"PoP 2026-02-01 ~ 2026-04-01"_s);
    // And with no summary of its own (as of a day before the first), there is no comparison to name at all.
    const BoardReport before = compute(request(u"freq60"_s, QDate(2026, 1, 19)));
    QCOMPARE(before.kpi(u"total"_s)->value.state(), CellState::NoData);
    QVERIFY(!before.kpi(u"total"_s)->change);
    QVERIFY(before.kpi(u"total"_s)->comparison.isEmpty());
}

void CustomerBoardTest::acB2_11_popOfTabTotals() {
    // D6: the previous window 02-01 ~ 04-01 has no logs: "new".
    const BoardReport spend = compute(request(u"spend60"_s, QDate(2026, 5, 31)));
    const BoardKpi* k = spend.kpi(u"total"_s);
    QVERIFY(k->change);
    QCOMPARE(k->change->kind(), PeriodChange::Kind::New);
    QCOMPARE(k->previous.value(u"from"_s).toString(), u"2026-02-01"_s);
    QCOMPARE(k->previous.value(u"to"_s).toString(), u"2026-04-01"_s);
    const BoardTable& t = tab(spend);
    QCOMPARE(t.totals()->cells[t.columnIndex(u"spendChange"_s)].change->kind(), PeriodChange::Kind::New);
    // Per member: M1 had nothing in the previous 60 days either.
    QCOMPARE(t.cell(*t.rowById(1), u"spendChange"_s)->change->kind(), PeriodChange::Kind::New);
    // D4: April had no orders: "new"; D7: no summary on or before 04-01: no data, not "new".
    BoardRequest r = request(u"recharge"_s, QDate(2026, 5, 31));
    r.period = BoardPeriod::custom(QDate(2026, 5, 1), QDate(2026, 5, 31)).value();
    const BoardReport recharge = compute(r);
    QCOMPARE(recharge.kpi(u"total"_s)->change->kind(), PeriodChange::Kind::New);
    QCOMPARE(recharge.kpi(u"total"_s)->previous.value(u"from"_s).toString(), u"2026-04-01"_s);
    const BoardReport freq = compute(request(u"freq60"_s, QDate(2026, 5, 31)));
    QCOMPARE(freq.kpi(u"total"_s)->change->kind(), PeriodChange::Kind::NoData);
    // Snapshot tabs have no PoP in v1.
    QVERIFY(!compute(request(u"balance"_s, QDate(2026, 5, 31))).kpi(u"total"_s)->change);
}

void CustomerBoardTest::acB2_12_userOfAnotherSite() {
    const auto fin2 = BoardScope::open(m_ws->db(), u"acme"_s, u"fin2"_s);
    QVERIFY(fin2);
    QCOMPARE(fin2.value().sites(), QStringList{u"S2"_s}); // S1 is not offered
    const auto refused =
        CustomerBoard::compute(m_ws->db(), fin2.value(), request(u"spend60"_s, QDate(2026, 5, 31)));
    QVERIFY(!refused);
    QCOMPARE(refused.problem().code, u"site_not_allowed"_s);
    // Their own site shows only its member, on every tab, and no F1 name anywhere.
    for (const QString& dimension : CustomerDimensions::keys()) {
        BoardRequest r = request(dimension, QDate(2026, 5, 31));
        r.site = u"S2"_s;
        const QByteArray json = QJsonDocument(compute(r, u"fin2"_s).toJson()).toJson();
        for (const char* name : {"王一", "钱二", "张三", "李四", "赵五"})
            QVERIFY2(!json.contains(name), name);
        if (dimension == u"spend60") {
            QVERIFY(json.contains("只在二店"));
            QVERIFY(json.contains("Member #10")); // no DQ-6 row: the id, never a dropped member
        }
    }
    // A drill-down of S1 is refused for them as well.
    BoardRequest drill = request(u"spend60"_s, QDate(2026, 5, 31));
    drill.drill = u"spend60d:total"_s;
    QVERIFY(!CustomerBoard::compute(m_ws->db(), fin2.value(), drill));
    // An approver may not open BOARD-2 at all.
    const auto appr = BoardScope::open(m_ws->db(), u"acme"_s, u"appr"_s);
    QCOMPARE(CustomerBoard::compute(m_ws->db(), appr.value(), request(u"spend60"_s, QDate(2026, 5, 31)))
                 .problem()
                 .code,
             u"board_not_allowed"_s);
    // fin1 sees S1 but never S2's member.
    BoardRequest s1 = request(u"spend60"_s, QDate(2026, 5, 31));
    QVERIFY(!QJsonDocument(compute(s1, u"fin1"_s).toJson()).toJson().contains("只在二店"));
}

void CustomerBoardTest::recallTabReadsTheLatestSnapshot() {
    const BoardReport report = compute(request(u"recall"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(report);
    QCOMPARE(ids(t),
             (QList<qint64>{4, 2, 3, 1})); // 60.50 tie broken by member id; M5 only in the 05-15 snapshot
    QCOMPARE(number(t, *t.rowById(4), u"wbi"_s), 8800);
    QCOMPARE(number(t, *t.rowById(1), u"wbi"_s), 1000); // not the 06-02 snapshot
    QCOMPARE(number(t, *t.rowById(4), u"daysSinceLastVisit"_s), 25);
    QCOMPARE(report.parameters().value(u"snapshot"_s).toString(), u"2026-05-31"_s);
    // Scores do not add up: the card and the totals row give the mean of the four (88.00 + 60.50 + 60.50
    // + 10.00 = 219.00 over 4), not their sum 219.00, and say so.
    QCOMPARE(*report.kpi(u"total"_s)->value.number(), 5475);
    QCOMPARE(report.kpi(u"total"_s)->label, u"WBI, mean"_s);
    QCOMPARE(*t.cell(*t.totals(), u"wbi"_s)->value.number(), 5475);
    QVERIFY(t.notes().contains(
        u"Scores do not add up: the totals row gives the mean WBI of the members that have one."_s));
    // A search that finds no one has no mean, and says why (not a bare —, nor 0.00).
    BoardRequest nobody = request(u"recall"_s, QDate(2026, 5, 31));
    nobody.search = u"no such member"_s;
    const BoardReport none = compute(nobody);
    QCOMPARE(none.kpi(u"total"_s)->value.state(), CellState::NoData);
    QCOMPARE(none.kpi(u"total"_s)->value.reason(), u"no member to take the mean of"_s);
    // An earlier as-of reads the earlier snapshot.
    const BoardReport earlier = compute(request(u"recall"_s, QDate(2026, 5, 20)));
    QCOMPARE(ids(tab(earlier)), QList<qint64>{5});
    // The default dimension is recall.
    QCOMPARE(tab(compute(request(QString(), QDate(2026, 5, 31)))).key(), u"recall"_s);
}

void CustomerBoardTest::potentialTab() {
    const BoardReport report = compute(request(u"potential"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(report);
    QCOMPARE(ids(t), (QList<qint64>{4, 1, 2}));
    QCOMPARE(number(t, *t.rowById(4), u"spi"_s), 9500);
    QCOMPARE(number(t, *t.rowById(4), u"spend60d"_s), 11000);
    QCOMPARE(number(t, *t.rowById(1), u"spend60d"_s), 68000);
    QCOMPARE(*t.totals()->cells[t.columnIndex(u"spend60d"_s)].value.number(), 107000);
}

void CustomerBoardTest::recentVisitTab() {
    BoardRequest r = request(u"recent"_s, QDate(2026, 5, 31));
    r.period = BoardPeriod::custom(QDate(2026, 5, 1), QDate(2026, 5, 31)).value();
    const BoardReport report = compute(r);
    const BoardTable& t = tab(report);
    QCOMPARE(ids(t), (QList<qint64>{5, 2, 1, 3})); // M4's visit is after the as-of day
    QCOMPARE(text(t, *t.rowById(5), u"lastVisitTime"_s), u"2026-06-01 01:00:00"_s);
    QList<qint64> days, visits;
    for (const BoardTableRow& row : t.rows()) {
        days << number(t, row, u"daysSinceVisit"_s);
        visits << number(t, row, u"visitsInPeriod"_s);
    }
    QCOMPARE(days, (QList<qint64>{0, 6, 12, 41}));
    QCOMPARE(visits, (QList<qint64>{1, 1, 2, 0}));
    QCOMPARE(*report.kpi(u"total"_s)->value.number(), 4);
    QCOMPARE(t.cell(*t.rowById(3), u"visitsInPeriod"_s)->value.state(), CellState::Zero);
}

void CustomerBoardTest::loyaltyTab() {
    const BoardReport report = compute(request(u"loyalty"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(report);
    QCOMPARE(ids(t), (QList<qint64>{1, 3, 2, 4, 5}));
    QCOMPARE(number(t, *t.rowById(1), u"rs"_s), 9250);
    QCOMPARE(text(t, *t.rowById(1), u"coach"_s), u"安娜"_s);
    QCOMPARE(text(t, *t.rowById(1), u"intimacy"_s), u"4-Close"_s); // exports write level-label, not the emoji
    QCOMPARE(number(t, *t.rowById(1), u"coachCount"_s), 2);
    QCOMPARE(text(t, *t.rowById(3), u"coach"_s), u"陈晨"_s);            // A3 55.00 over A1 12.00
    QCOMPARE(text(t, *t.rowById(5), u"intimacy"_s), u"2-Acquainted"_s); // 30.00 is the level's floor
}

void CustomerBoardTest::coachFilterAndSearch() {
    BoardRequest r = request(u"spend60"_s, QDate(2026, 5, 31));
    r.coach = u"3"_s;
    BoardReport report = compute(r);
    QCOMPARE(ids(tab(report)), (QList<qint64>{5, 3}));
    QCOMPARE(*report.kpi(u"total"_s)->value.number(), 15000);
    r.coach.clear();
    r.search = u"王"_s;
    QCOMPARE(ids(tab(compute(r))), QList<qint64>{1});
    r.search = u"2222"_s; // last four digits of M2's phone
    QCOMPARE(ids(tab(compute(r))), QList<qint64>{2});
    r.search = u"nobody"_s;
    report = compute(r);
    QCOMPARE(tab(report).total(), 0);
    QCOMPARE(report.kpi(u"total"_s)->value.state(), CellState::Zero);
    r.search = u"x"_s.repeated(101);
    const auto scope = BoardScope::open(m_ws->db(), u"acme"_s);
    QCOMPARE(CustomerBoard::compute(m_ws->db(), scope.value(), r).problem().field, u"search"_s);
    r.search.clear();
    r.coach = u"A1"_s;
    QCOMPARE(CustomerBoard::compute(m_ws->db(), scope.value(), r).problem().field, u"coach"_s);
    // A coach the site does not have is refused, not answered with an empty board (helper-72).
    r.coach = u"99999"_s;
    const Problem unknown = CustomerBoard::compute(m_ws->db(), scope.value(), r).problem();
    QCOMPARE(unknown.field, u"coach"_s);
    QCOMPARE(unknown.message, u"There is no coach #99999 at site S1."_s);
}

void CustomerBoardTest::sortingWholeSetAndRefusals() {
    BoardRequest r = request(u"spend60"_s, QDate(2026, 5, 31));
    r.sort = u"spend60d:asc"_s;
    r.pageSize = 2;
    QCOMPARE(ids(tab(compute(r))), (QList<qint64>{3, 5})); // the whole set sorted, then paged
    // The member column sorts by the name it shows, in the order of names (NameCollation: pinyin), not by id
    // or code point: 李四 li, 钱二 qian, 王一 wang, 张三 zhang, 赵五 zhao. Paged by key, two at a time.
    r.sort = u"member"_s;
    QList<qint64> byName;
    for (int page = 1; page <= 3; ++page) {
        r.page = page;
        byName += ids(tab(compute(r)));
    }
    r.page = 1;
    QCOMPARE(byName, (QList<qint64>{4, 2, 1, 3, 5}));
    r.sort = u"member:desc"_s;
    r.pageSize = 0;
    QCOMPARE(ids(tab(compute(r))), (QList<qint64>{5, 3, 1, 2, 4}));
    r.pageSize = 2;
    // Nulls last in both directions: M4 and M2 have no gift account.
    BoardRequest g = request(u"balance"_s, QDate(2026, 5, 31));
    g.sort = u"giftBalance:asc"_s;
    QCOMPARE(ids(tab(compute(g))), (QList<qint64>{1, 5, 2, 4}));
    g.sort = u"giftBalance:desc"_s;
    QCOMPARE(ids(tab(compute(g))), (QList<qint64>{5, 1, 2, 4}));
    const auto scope = BoardScope::open(m_ws->db(), u"acme"_s);
    r.sort = u"phone"_s;
    QCOMPARE(CustomerBoard::compute(m_ws->db(), scope.value(), r).problem().field, u"sort"_s);
    r.sort.clear();
    r.dimension = u"vip"_s;
    const auto bad = CustomerBoard::compute(m_ws->db(), scope.value(), r);
    QCOMPARE(bad.problem().field, u"dimension"_s);
    QVERIFY(bad.problem().message.contains(u"spend60"_s));
    r.dimension = u"spend60"_s;
    r.asOfDay = QDate(2026, 6, 3);
    QCOMPARE(CustomerBoard::compute(m_ws->db(), scope.value(), r).problem().field, u"as-of"_s);
}

void CustomerBoardTest::failingEnrichmentsAreIsolated() {
    const BoardReport whole = compute(request(u"spend60"_s, QDate(2026, 5, 31)));
    BoardFaults::set({u"customer.coaches"_s, u"customer.balance"_s});
    const BoardReport partial = compute(request(u"spend60"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(partial);
    QCOMPARE(t.outcome().status(), SectionOutcome::Status::Partial);
    QCOMPARE(t.outcome().unavailableFields(), (QStringList{u"balance"_s, u"relatedCoaches"_s}));
    QCOMPARE(t.cell(*t.rowById(4), u"balance"_s)->value.state(), CellState::Unavailable);
    QCOMPARE(t.cell(*t.rowById(1), u"relatedCoaches"_s)->value.state(), CellState::Unavailable);
    QCOMPARE(BoardTable::cellDisplay(t.columns()[t.columnIndex(u"relatedCoaches"_s)],
                                     *t.cell(*t.rowById(1), u"relatedCoaches"_s), QLocale(QLocale::English)),
             u"⚠ —"_s);
    // Core columns and the other enrichments are unchanged.
    for (const QString& key : {u"member"_s, u"phone"_s})
        QCOMPARE(text(t, *t.rowById(1), key), text(tab(whole), *tab(whole).rowById(1), key));
    QCOMPARE(number(t, *t.rowById(1), u"spend60d"_s), 68000);
    QCOMPARE(number(t, *t.rowById(4), u"lastVisitDays"_s), 25);
    const QByteArray csv = t.toCsv(false, true);
    QVERIFY(csv.startsWith("member,phone,"));
    QVERIFY(csv.contains(",_unavailable\r\n"));
    QVERIFY(csv.contains("balance;relatedCoaches"));
}

void CustomerBoardTest::failingNamesShowIds() {
    BoardFaults::set({u"customer.names"_s});
    const BoardReport report = compute(request(u"spend60"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(report);
    QCOMPARE(t.outcome().status(), SectionOutcome::Status::Partial);
    QVERIFY(t.outcome().isUnavailable(u"member"_s));
    QCOMPARE(text(t, *t.rowById(1), u"member"_s), u"Member #1"_s);
    QCOMPARE(ids(t), (QList<qint64>{1, 2, 4, 5, 3}));
    QCOMPARE(number(t, *t.rowById(1), u"spend60d"_s), 68000);
}

void CustomerBoardTest::failingCoreIsAnError() {
    BoardFaults::set({u"customer.rows"_s});
    const BoardReport report = compute(request(u"spend60"_s, QDate(2026, 5, 31)));
    const BoardTable& t = tab(report);
    QCOMPARE(t.outcome().status(), SectionOutcome::Status::Error);
    QVERIFY(t.rows().isEmpty());
    QVERIFY(t.outcome().headerNote().contains(u"customer.rows"_s));
}

void CustomerBoardTest::drillDownFootersEqualTheCells() {
    struct Case {
        QString dimension;
        QString column;
        QList<qint64> members; // each, then the total
    };
    const QList<Case> cases{{u"spend60"_s, u"spend60d"_s, {1, 2, 3, 4, 5}},
                            {u"potential"_s, u"spend60d"_s, {1, 4}},
                            {u"freq60"_s, u"spend60d"_s, {2}},
                            {u"balance"_s, u"storedValueBalance"_s, {1, 2, 4, 5}},
                            {u"balance"_s, u"giftBalance"_s, {1, 5}},
                            {u"recharge"_s, u"rechargeAmount"_s, {1, 4}},
                            {u"recharge"_s, u"orderCount"_s, {4}},
                            {u"recharge"_s, u"giftAmount"_s, {4}},
                            {u"recent"_s, u"visitsInPeriod"_s, {1, 2, 5}}};
    for (const Case& c : cases) {
        BoardRequest r = request(c.dimension, QDate(2026, 5, 31));
        if (c.dimension == u"recharge" || c.dimension == u"recent")
            r.period = BoardPeriod::custom(QDate(2026, 5, 1), QDate(2026, 5, 31)).value();
        const BoardReport board = compute(r);
        const BoardTable& t = tab(board);
        const int col = t.columnIndex(c.column);
        QVERIFY(col >= 0);
        auto drill = [&](const QString& cell) {
            BoardRequest d = r;
            d.drill = cell;
            const BoardReport report = compute(d);
            const BoardTable& rows = report.tables().first();
            return std::pair{*rows.totals()->cells[rows.columnIndex(c.column)].value.number(),
                             rows.rows().size()};
        };
        for (qint64 member : c.members) {
            const auto [sum, n] = drill(c.column + u':' + QString::number(member));
            QVERIFY2(sum == number(t, *t.rowById(member), c.column),
                     qPrintable(c.dimension + u' ' + c.column));
            QVERIFY(n > 0);
        }
        QCOMPARE(drill(c.column + u":total"_s).first, *t.totals()->cells[col].value.number());
    }
    // M4's two stored-value accounts are both listed; M1's 60-day logs are L1, L3, L5, L7.
    BoardRequest d = request(u"spend60"_s, QDate(2026, 5, 31));
    d.drill = u"spend60d:1"_s;
    QList<qint64> logs;
    const BoardReport drilled = compute(d); // kept: the loop reads rows it owns
    for (const BoardTableRow& row : drilled.tables().first().rows())
        logs << row.id.toLongLong();
    QCOMPARE(logs, (QList<qint64>{1, 3, 5, 7}));
    QCOMPARE(compute(d).watermark(), QDate(2026, 6, 1)); // the drill-down says how fresh its rows are too
    // A drill-down is paged as asked (the second of M1's four logs), its footer over every row; the recharge
    // rows name the channel in the reader's words, not its code.
    d.page = 2;
    d.pageSize = 1;
    const BoardReport second = compute(d);
    QCOMPARE(second.tables().first().rows().size(), 1);
    QCOMPARE(second.tables().first().rows().first().id.toLongLong(), 3);
    QCOMPARE(second.tables().first().total(), 4);
    const int spend = drilled.tables().first().columnIndex(u"spend60d"_s);
    QCOMPARE(second.tables().first().totals()->cells[spend].value.number(),
             drilled.tables().first().totals()->cells[spend].value.number());
    BoardRequest orders = request(u"recharge"_s, QDate(2026, 5, 31));
    orders.period = BoardPeriod::custom(QDate(2026, 5, 1), QDate(2026, 5, 31)).value();
    orders.drill = u"rechargeAmount:4"_s;
    const BoardReport channels = compute(orders);
    const BoardTable& channelRows = channels.tables().first();
    QStringList named;
    for (const BoardTableRow& row : channelRows.rows())
        named << row.cells[channelRows.columnIndex(u"channel"_s)].text;
    QVERIFY2(named.contains(u"WeChat Pay"_s) && !named.contains(u"wechat"_s),
             qPrintable(named.join(u", "_s)));
    // Refusals: a score, a member not on the tab, a malformed cell.
    const auto scope = BoardScope::open(m_ws->db(), u"acme"_s);
    for (const QString& cell : {u"wbi:1"_s, u"spend60d:9"_s, u"spend60d:x"_s, u"spend60d"_s}) {
        BoardRequest bad = request(cell.startsWith(u"wbi") ? u"recall"_s : u"spend60"_s, QDate(2026, 5, 31));
        bad.drill = cell;
        const auto refused = CustomerBoard::compute(m_ws->db(), scope.value(), bad);
        QVERIFY2(!refused, qPrintable(cell));
        QCOMPARE(refused.problem().field, u"drill"_s);
    }
}

void CustomerBoardTest::commandLine() {
    const QString path = m_ws->path();
    auto run = [&](const QStringList& args, int expected) {
        QProcess p;
        p.start(QStringLiteral(RISKDESK_BINARY),
                QStringList{u"board"_s, u"customer"_s, u"--workspace"_s, path} + args);
        [&] { QVERIFY(p.waitForFinished(60000)); }();
        const QByteArray out = p.readAllStandardOutput(), err = p.readAllStandardError();
        [&] { QVERIFY2(p.exitCode() == expected, err.constData()); }();
        return std::pair{out, err};
    };
    const QStringList base{u"--site"_s,  u"S1"_s,         u"--today"_s,     u"2026-06-02"_s,
                           u"--as-of"_s, u"2026-05-31"_s, u"--dimension"_s, u"spend60"_s};
    const auto [textOut, e1] = run(base + QStringList{u"--page-size"_s, u"2"_s}, 0);
    QVERIFY2(textOut.contains("CN¥680.00"), textOut.constData());
    QVERIFY(textOut.contains("CN¥1,220.00"));
    QVERIFY(textOut.contains("138****1111"));
    QVERIFY(!textOut.contains("13800001111")); // phones never leave unmasked
    const auto [jsonOut, e2] = run(base + QStringList{u"--format"_s, u"json"_s}, 0);
    const QJsonObject json = QJsonDocument::fromJson(jsonOut).object();
    const QJsonObject section = json.value(u"sections"_s).toArray().first().toObject();
    QCOMPARE(section.value(u"total"_s).toInt(), 5);
    const QJsonObject first = section.value(u"rows"_s).toArray().first().toObject();
    QCOMPARE(first.value(u"id"_s).toInt(), 1);
    QCOMPARE(first.value(u"spend60d"_s).toObject().value(u"value"_s).toDouble(), 680.0);
    QCOMPARE(first.value(u"lastVisitDays"_s).toObject().value(u"value"_s).toInt(), 12);
    QCOMPARE(first.value(u"balance"_s).toObject().value(u"state"_s).toString(), u"value"_s);
    // The related coaches as text (the column) and as data (the follow-up coach first).
    QCOMPARE(first.value(u"relatedCoaches"_s).toString(), u"白雪 😊 (following up), 安娜 💗"_s);
    const QJsonObject pinned = first.value(u"coaches"_s).toArray().first().toObject();
    QCOMPARE(pinned.value(u"coachId"_s).toInt(), 2);
    QVERIFY(pinned.value(u"followingUp"_s).toBool());
    QCOMPARE(pinned.value(u"levelLabel"_s).toString(), u"Familiar"_s);
    const QJsonArray kpis = json.value(u"kpis"_s).toArray();
    QCOMPARE(kpis[1].toObject().value(u"change"_s).toObject().value(u"kind"_s).toString(), u"new"_s);
    QCOMPARE(kpis[1].toObject().value(u"previous"_s).toObject().value(u"from"_s).toString(), u"2026-02-01"_s);
    const auto [csvOut, e3] = run(base + QStringList{u"--format"_s, u"csv"_s, u"--page-size"_s, u"0"_s}, 0);
    QVERIFY(csvOut.startsWith("\xEF\xBB\xBF"));
    QCOMPARE(csvOut.count("\r\n"), 7); // header, 5 members, totals
    QVERIFY(csvOut.contains(",680.00,"));
    const auto [drillOut, e4] =
        run(base + QStringList{u"--drill"_s, u"spend60d:total"_s, u"--format"_s, u"csv"_s}, 0);
    QVERIFY(drillOut.contains(",1220.00\r\n"));
    // Refusals: a bad dimension is bad usage (2); another site's user is refused (1) and sees no name.
    const auto [o5, badDim] = run(base.mid(0, 6) + QStringList{u"--dimension"_s, u"vip"_s}, 2);
    QVERIFY(QString::fromUtf8(badDim).contains(u"recall"_s));
    const auto [o6, notMine] = run(base + QStringList{u"--as"_s, u"fin2"_s}, 1);
    QVERIFY(o6.isEmpty());
    QVERIFY(!notMine.contains("王一"));
    QVERIFY(QString::fromUtf8(notMine).contains(u"S2"_s));
    // A page past the last (5 members, 2 a page: 3 pages) is named as bad usage, not printed empty.
    const auto [o8, pastTheEnd] = run(base + QStringList{u"--page-size"_s, u"2"_s, u"--page"_s, u"4"_s}, 2);
    QVERIFY(o8.isEmpty());
    QCOMPARE(QString::fromUtf8(pastTheEnd).trimmed(),
             u"riskdesk: --page 4 is past the last page of 60-day spend: it has 3 pages."_s);
    QVERIFY(run(base + QStringList{u"--page-size"_s, u"2"_s, u"--page"_s, u"3"_s}, 0)
                .first.contains("Page 3 of 3 (5 rows in all)"));
    // Chinese.
    const auto [zh, e7] = run(base + QStringList{u"--lang"_s, u"zh_CN"_s}, 0);
    QVERIFY2(zh.contains("客户看板") && zh.contains("60天消费"), zh.constData());
    QVERIFY(zh.contains("¥680.00") && !zh.contains("CN¥"));
}

// The whole-set queries of the heavy tabs read covering indexes (013_customer_indexes.sql): on a big site the
// 60-day spend and the loyalty snapshot otherwise pay a primary-key lookup per fact row (spec §2.4).
void CustomerBoardTest::indexesServeTheWholeSetQueries() {
    const QDate asOf(2026, 5, 31);
    const CustomerTimes times{asOf, BoardPeriod::preset(PeriodPreset::Last30Days, asOf),
                              BoardPeriod::trailingDays(60, asOf)};
    const QList<std::pair<CustomerDimension, QString>> expected{
        {CustomerDimension::Spend60, u"COVERING INDEX bd_sl_spend_by_day"_s},
        {CustomerDimension::Freq60, u"COVERING INDEX bd_sl_spend_by_day"_s},
        // The loyalty snapshot is kept per member (021_customer_rankings.sql): a search, never a scan.
        {CustomerDimension::Loyalty, u"SEARCH t USING "_s}};
    for (const auto& [dimension, index] : expected) {
        const NamedSql sql = CustomerDimensions::rowsSql(dimension, u"acme"_s, u"S1"_s, times);
        QSqlQuery q(m_ws->db());
        QVERIFY2(q.prepare(u"EXPLAIN QUERY PLAN "_s + sql.sql()), qPrintable(q.lastError().text()));
        for (const QVariant& v : sql.values())
            q.addBindValue(v);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QStringList plan;
        while (q.next())
            plan << q.value(3).toString();
        QVERIFY(!q.lastError().isValid());
        QVERIFY2(plan.join(u'\n').contains(index),
                 qPrintable(CustomerDimensions::key(dimension) + u": "_s + plan.join(u" | "_s)));
    }
    // The request's temporary member set is gone once the board is computed.
    compute(request(u"spend60"_s, asOf));
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(u"SELECT COUNT(*) FROM temp.sqlite_master WHERE name LIKE 'customer_board%'"_s) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

// A damaged workspace is opened query-only, where even a temporary table cannot be written: the board then
// computes the member set inside each statement, with the same answer.
void CustomerBoardTest::queryOnlyWorkspaceGivesTheSameAnswer() {
    BoardRequest r = request(u"spend60"_s, QDate(2026, 5, 31));
    r.page = 2;
    r.pageSize = 2;
    const BoardReport normal = compute(r);
    QVERIFY(QSqlQuery(m_ws->db()).exec(u"PRAGMA query_only = ON"_s));
    const auto scope = BoardScope::open(m_ws->db(), u"acme"_s, {});
    QVERIFY(scope);
    const auto queryOnly = CustomerBoard::compute(m_ws->db(), scope.value(), r);
    QVERIFY(QSqlQuery(m_ws->db()).exec(u"PRAGMA query_only = OFF"_s));
    QVERIFY2(queryOnly, queryOnly ? "" : qPrintable(queryOnly.problem().message));
    QCOMPARE(ids(tab(queryOnly.value())), (QList<qint64>{4, 5}));
    QCOMPARE(ids(tab(queryOnly.value())), ids(tab(normal)));
    QCOMPARE(tab(queryOnly.value()).total(), 5);
    const int spend = tab(normal).columnIndex(u"spend60d"_s);
    QCOMPARE(*tab(queryOnly.value()).totals()->cells[spend].value.number(), 122000);
    QCOMPARE(*tab(normal).totals()->cells[spend].value.number(), 122000);
}

QTEST_GUILESS_MAIN(CustomerBoardTest)
#include "tst_customerboard.moc"
