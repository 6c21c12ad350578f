// BOARD-1, the coach board (spec §4), on real workspace files with the F1 fixture of spec §10.1 loaded from
// tests/fixtures/boards/f1f2: AC-B1-01..14, the skill-filter checks of AC-C1, drill-down footers (AC-S-12),
// failure isolation (AC-S-10/11) and the command line.
#include "TestWorkspace.h"
#include "boards/BoardFaults.h"
#include "boards/BoardScope.h"
#include "boards/CoachBoard.h"
#include "boards/IntimacyLevels.h"
#include "store/BoardWorkspaceLoad.h"
#include "store/NameCollation.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <utility>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

const QLocale kZh(QLocale::Chinese, QLocale::China);

std::optional<qint64> opt(qint64 v) {
    return v;
}
const QString kFixture = QStringLiteral(RISKDESK_FIXTURE_DIR);

void exec(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
}

// A workspace with tenant acme and the fixture of dir loaded.
std::unique_ptr<test::TestWorkspace> fixtureWorkspace(const QString& dir = kFixture) {
    auto ws = std::make_unique<test::TestWorkspace>(-1);
    exec(ws->db(), u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme')"_s);
    auto loaded = BoardWorkspaceLoad::load(ws->db(), u"acme"_s, dir);
    if (!loaded)
        qFatal("%s", qPrintable(loaded.problem().message));
    return ws;
}

// F1's request: month 2026-05, today 2026-06-02, no filter, every row.
BoardRequest may() {
    BoardRequest r;
    r.tenant = u"acme"_s;
    r.site = u"S1"_s;
    r.today = QDate(2026, 6, 2);
    r.period = BoardPeriod::parseMonth(u"2026-05"_s, r.today).value();
    r.pageSize = 0;
    r.locale = kZh;
    return r;
}

BoardReport board(QSqlDatabase db, const BoardRequest& request) {
    const auto scope = BoardScope::open(db, u"acme"_s);
    if (!scope)
        qFatal("%s", qPrintable(scope.problem().message));
    auto report = CoachBoard::compute(db, scope.value(), request);
    if (!report)
        qFatal("%s", qPrintable(report.problem().message));
    return std::move(report).value();
}

Problem refusal(QSqlDatabase db, const BoardRequest& request) {
    const auto scope = BoardScope::open(db, u"acme"_s);
    auto report = CoachBoard::compute(db, scope.value(), request);
    if (report)
        qFatal("expected a refusal");
    return report.problem();
}

BoardTable coaches(const BoardReport& r) {
    const BoardTable* t = r.table(u"coaches"_s);
    if (!t)
        qFatal("no coaches section");
    return *t;
}

// The number of a cell of a coach's row (fen, seconds, counts).
std::optional<qint64> number(const BoardTable& t, qint64 coach, const QString& column) {
    const BoardTableRow* row = t.rowById(coach);
    if (!row)
        qFatal("coach %lld is not on the page", coach);
    return t.cell(*row, column)->value.number();
}

const BoardCell& totalCell(const BoardTable& t, const QString& column) {
    return *t.cell(*t.totals(), column);
}

QList<qint64> ids(const BoardTable& t) {
    QList<qint64> out;
    for (const BoardTableRow& r : t.rows())
        out << r.id.toLongLong();
    return out;
}

BoardReport drill(QSqlDatabase db, const QString& cell, BoardRequest request = may()) {
    request.drill = cell;
    return board(db, request);
}

// The drill-down's footer figure (its KPI) for the clicked cell.
std::optional<qint64> footer(const BoardReport& r, const QString& key) {
    const BoardKpi* k = r.kpi(key);
    if (!k)
        qFatal("no footer figure %s", qPrintable(key));
    return k->value.number();
}

struct Cli {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

Cli runCli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(RISKDESK_BINARY), args);
    if (!p.waitForFinished(60000))
        qFatal("riskdesk did not finish");
    return {p.exitCode(), p.readAllStandardOutput(), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class CoachBoardTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void serviceIncomeHoursAndCustomers();
    void cutoffAtMidnightMovesOnlyTheNightLog();
    void aMonthNotLoadedYetHasNoLogFigures();
    void daysBeforeTheDataBeginAreNoData();
    void periodOverPeriod();
    void salaryColumnsAndTotals();
    void progressToNextTierIsNeverInvented();
    void defaultSortAndKeysetPaging();
    void otherSortKeysKeepNullsLast();
    void skillFilterKeepsMetricsWhole();
    void disabledOrUnknownSkillIsRefused();
    void searchTierAndInactiveCoaches();
    void unknownCoachFromLogsIsFlagged();
    void reconciliationWarnsWithoutError();
    void topThreeByIntimacy();
    void memberNamesFailingAlone();
    void topThreeOrCoreFailing();
    void customerSourcedStoredValue();
    void drillDownsEqualTheCells();
    void drillDownRows();
    void badDrillIsRefused();
    void monthIsReadFromTheCoveringIndex();
    void commandLine();

private:
    std::unique_ptr<test::TestWorkspace> m_ws;
    QSqlDatabase db() { return m_ws->db(); }
};

void CoachBoardTest::initTestCase() {
    m_ws = fixtureWorkspace();
}

// AC-B1-01, AC-B1-03, AC-B1-04.
void CoachBoardTest::serviceIncomeHoursAndCustomers() {
    const BoardTable& t = coaches(board(db(), may()));
    QCOMPARE(t.total(), 3);
    QCOMPARE(number(t, 1, u"items_sum"_s), opt(44000));
    QCOMPARE(number(t, 2, u"items_sum"_s), opt(18000)); // L9 voided
    QCOMPARE(number(t, 3, u"items_sum"_s), opt(15000)); // L11 on business day 05-31
    QCOMPARE(number(t, 1, u"hours"_s), opt(4 * 3600));
    QCOMPARE(number(t, 2, u"hours"_s), opt(2 * 3600));
    QCOMPARE(number(t, 3, u"hours"_s), opt(5400));
    QCOMPARE(number(t, 1, u"customers"_s), opt(2));
    QCOMPARE(number(t, 2, u"customers"_s), opt(1));
    QCOMPARE(number(t, 3, u"customers"_s), opt(3));
    QCOMPARE(totalCell(t, u"customers"_s).value.number(), opt(5)); // distinct M1..M5, not 6
    // The per-coach columns are not totalled (spec §4), and their totals cells say why rather than a bare
    // dash.
    QCOMPARE(totalCell(t, u"stored_value"_s).value.reason(),
             u"not totalled: read for each coach on the page"_s);
    QCOMPARE(totalCell(t, u"tier_progress"_s).value.reason(), u"not totalled: each coach's own progress"_s);
    QCOMPARE(totalCell(t, u"items_sum"_s).value.number(), opt(77000));
    QCOMPARE(totalCell(t, u"hours"_s).value.number(), opt(27000));
    QCOMPARE(t.cell(*t.rowById(1), u"items_sum"_s)->value.display(ValueUnit::Fen, kZh), u"¥440.00"_s);
    QCOMPARE(t.cell(*t.rowById(1), u"hours"_s)->value.csv(ValueUnit::Seconds), u"4.00"_s);
    // A coach with no valid log in the month has zero (not no data) in the log columns.
    exec(db(), u"INSERT INTO bd_dim_assistant VALUES ('acme', 'S1', 8, '丁八', 'A8', 1, 1)"_s);
    const BoardTable& z = coaches(board(db(), may()));
    exec(db(), u"DELETE FROM bd_dim_assistant WHERE site_assistant_id = 8"_s);
    QCOMPARE(z.total(), 4);
    QCOMPARE(z.cell(*z.rowById(8), u"items_sum"_s)->value.state(), CellState::Zero);
    QCOMPARE(z.cell(*z.rowById(8), u"customers"_s)->value.state(), CellState::Zero);
    QCOMPARE(z.cell(*z.rowById(8), u"gross_salary"_s)->value.state(), CellState::NoData);
    QCOMPARE(z.cell(*z.rowById(8), u"tier"_s)->text, QString(QChar(0x2014)));
    QCOMPARE(totalCell(z, u"items_sum"_s).value.number(), opt(77000));
}

// June's 1st before the night's load (loaded through 05-31): the service-log columns are no data, with the
// reason, not a month of zeros for every coach; its comparison is no data too.
void CoachBoardTest::aMonthNotLoadedYetHasNoLogFigures() {
    exec(db(), u"UPDATE bd_etl_watermark SET loaded_through_biz_date = '2026-05-31' WHERE site_id = 'S1'"_s);
    const auto restore = qScopeGuard([this] {
        exec(db(),
             u"UPDATE bd_etl_watermark SET loaded_through_biz_date = '2026-06-01' WHERE site_id = 'S1'"_s);
    });
    BoardRequest june = may();
    june.period = BoardPeriod::parseMonth(u"2026-06"_s, june.today).value();
    const BoardReport r = board(db(), june);
    const BoardTable& t = coaches(r);
    QVERIFY(t.total() > 0);
    for (const BoardTableRow& row : t.rows())
        for (const QString& column : {u"items_sum"_s, u"hours"_s, u"customers"_s}) {
            const BoardValue& v = t.cell(row, column)->value;
            QCOMPARE(v.state(), CellState::NoData);
            QCOMPARE(v.reason(), u"not loaded yet (data are loaded through 2026-05-31)"_s);
        }
    QCOMPARE(totalCell(t, u"items_sum"_s).value.state(), CellState::NoData);
    QCOMPARE(totalCell(t, u"items_pop"_s).change->kind(), PeriodChange::Kind::NoData);
    QCOMPARE(totalCell(t, u"hours_pop"_s).change->kind(), PeriodChange::Kind::NoData);
    QVERIFY(r.badges().join(u' ').contains(u"2026-05-31"_s));
    // Its drill-down's footer is no data too, as the clicked total is.
    june.drill = u"items_sum:total"_s;
    const BoardReport drilled = board(db(), june);
    QCOMPARE(drilled.kpi(u"items_sum"_s)->value.state(), CellState::NoData);
    // It lists no row of the month either (June's 1st has logs, past the watermark), and counts no customer.
    QCOMPARE(drilled.tables().first().outcome().status(), SectionOutcome::Status::NoData);
    QVERIFY(drilled.tables().first().rows().isEmpty());
    QCOMPARE(drilled.tables().first().totals()->cells.at(4).text, QString());
    june.drill.clear();
    // Loaded again, June's 1st has its logs.
    exec(db(), u"UPDATE bd_etl_watermark SET loaded_through_biz_date = '2026-06-01' WHERE site_id = 'S1'"_s);
    QVERIFY(totalCell(coaches(board(db(), june)), u"items_sum"_s).value.number());
}

// The fixture's data begin on 2026-04-03 (its first service log; the finance summary begins on 04-15). A
// month before then showed ¥0.00 for every coach, and April's changes "new" against a March that was never
// loaded, where the finance board says "no data" (helper-91).
void CoachBoardTest::daysBeforeTheDataBeginAreNoData() {
    BoardRequest march = may();
    march.period = BoardPeriod::parseMonth(u"2026-03"_s, march.today).value();
    const BoardReport r = board(db(), march);
    const BoardTable& t = coaches(r);
    QVERIFY(t.total() > 0); // the coach list stands
    for (const BoardTableRow& row : t.rows())
        for (const QString& column : {u"items_sum"_s, u"hours"_s, u"customers"_s}) {
            const BoardValue& v = t.cell(row, column)->value;
            QCOMPARE(v.state(), CellState::NoData);
            QCOMPARE(v.reason(), u"before the site's data begin (2026-04-03)"_s);
        }
    QCOMPARE(totalCell(t, u"items_sum"_s).value.state(), CellState::NoData);
    QCOMPARE(totalCell(t, u"items_pop"_s).change->kind(), PeriodChange::Kind::NoData);
    QVERIFY2(r.badges().join(u' ').contains(u"The site's data begin on 2026-04-03, after this period ends"_s),
             qPrintable(r.badges().join(u" | "_s)));
    // Its drill-down's footer is no data, as the clicked total is.
    march.drill = u"items_sum:total"_s;
    const BoardReport drilled = board(db(), march);
    QCOMPARE(drilled.kpi(u"items_sum"_s)->value.state(), CellState::NoData);
    QCOMPARE(drilled.tables().first().outcome().status(), SectionOutcome::Status::NoData);

    // April has its figures, but nothing to compare them with: no change, not "new".
    BoardRequest april = may();
    april.period = BoardPeriod::parseMonth(u"2026-04"_s, april.today).value();
    const BoardReport a = board(db(), april);
    const BoardTable& at = coaches(a);
    QCOMPARE(number(at, 1, u"items_sum"_s), opt(30000));
    QCOMPARE(at.cell(*at.rowById(1), u"items_pop"_s)->change->kind(), PeriodChange::Kind::NoData);
    QCOMPARE(at.cell(*at.rowById(1), u"hours_pop"_s)->change->kind(), PeriodChange::Kind::NoData);
    QCOMPARE(totalCell(at, u"items_pop"_s).change->kind(), PeriodChange::Kind::NoData);
    QVERIFY2(a.badges().join(u' ').contains(
                 u"(2026-03-01 ~ 2026-03-31) ends before them, so no change is shown"_s),
             qPrintable(a.badges().join(u" | "_s)));
    // May compares with an April whose first two days precede the data: said, and still compared (AC-B1-05).
    const BoardReport m = board(db(), may());
    QVERIFY2(m.badges().join(u' ').contains(u"within the previous period (2026-04-01 ~ 2026-04-30)"_s),
             qPrintable(m.badges().join(u" | "_s)));
    QCOMPARE(coaches(m).cell(*coaches(m).rowById(3), u"items_pop"_s)->change->kind(),
             PeriodChange::Kind::New);
}

// AC-B1-02: the same fixture with a 00:00 cut-off, in a second workspace.
void CoachBoardTest::cutoffAtMidnightMovesOnlyTheNightLog() {
    QTemporaryDir dir;
    for (const QString& name : QDir(kFixture).entryList({u"*.csv"_s}, QDir::Files))
        QVERIFY(QFile::copy(QDir(kFixture).filePath(name), dir.filePath(name)));
    QFile settings(dir.filePath(u"site_settings.csv"_s));
    QVERIFY(settings.open(QIODevice::WriteOnly | QIODevice::Truncate));
    settings.write("site_id,tz,business_day_cutoff_minutes\nS1,Asia/Shanghai,0\n");
    settings.close();
    auto midnight = fixtureWorkspace(dir.path());
    const BoardTable& t = coaches(board(midnight->db(), may()));
    QCOMPARE(number(t, 3, u"items_sum"_s), opt(5000));  // L11 moves to June
    QCOMPARE(number(t, 1, u"items_sum"_s), opt(44000)); // L7 (05-20 02:30) stays in May, on 05-20
    QCOMPARE(number(t, 3, u"customers"_s), opt(2));
}

// AC-B1-05, AC-B1-06.
void CoachBoardTest::periodOverPeriod() {
    const BoardReport r = board(db(), may());
    const BoardTable& t = coaches(r);
    const auto change = [&](qint64 coach, const QString& column) {
        return *t.cell(*t.rowById(coach), column)->change;
    };
    QCOMPARE(change(1, u"items_pop"_s).kind(), PeriodChange::Kind::Percent);
    QCOMPARE(change(1, u"items_pop"_s).tenths(), opt(467));
    QCOMPARE(change(2, u"items_pop"_s).tenths(), opt(200));
    QCOMPARE(change(3, u"items_pop"_s).kind(), PeriodChange::Kind::New);
    QCOMPARE(change(3, u"items_pop"_s).trend(), Trend::Up);
    QCOMPARE(totalCell(t, u"items_pop"_s).change->tenths(), opt(711)); // 770.00 vs 450.00
    QCOMPARE(totalCell(t, u"items_pop"_s).change->delta(), opt(32000));
    QCOMPARE(change(1, u"gross_pop"_s).tenths(), opt(143));
    QCOMPARE(change(2, u"gross_pop"_s).tenths(), opt(111));
    // No April salary row is no data, not "new".
    QCOMPARE(change(3, u"gross_pop"_s).kind(), PeriodChange::Kind::NoData);
    QCOMPARE(change(1, u"hours_pop"_s).tenths(), opt(333)); // 4.00 h vs 3.00 h
    QCOMPARE(t.cell(*t.rowById(1), u"items_pop"_s)->note,
             BoardPeriod::month(2026, 5, QDate(2026, 6, 2)).value().comparisonText());
    // The resolved previous periods are in the JSON.
    const QJsonObject p = r.toJson().value(u"parameters"_s).toObject();
    QCOMPARE(p.value(u"previousRange"_s).toObject().value(u"from"_s).toString(), u"2026-04-01"_s);
    QCOMPARE(p.value(u"previousRange"_s).toObject().value(u"to"_s).toString(), u"2026-04-30"_s);
    QCOMPARE(p.value(u"previousSalaryMonth"_s).toString(), u"2026-04-01"_s);
    QCOMPARE(t.cell(*t.rowById(1), u"gross_pop"_s)->note, u"PoP salary month 2026-04"_s);
    // June, loaded through its 1st on the 2nd: the log changes compare June's 1st with May's 1st (like with
    // like), and gross pay, compared with May whole, says that June is still running.
    BoardRequest june = may();
    june.period = BoardPeriod::parseMonth(u"2026-06"_s, june.today).value();
    const BoardReport running = board(db(), june);
    const BoardTable& rt = coaches(running);
    QCOMPARE(running.parameters().value(u"comparison"_s).toString(), u"PoP 2026-05-01 ~ 2026-05-01"_s);
    QCOMPARE(totalCell(rt, u"items_pop"_s).note, u"PoP 2026-05-01 ~ 2026-05-01"_s);
    QCOMPARE(totalCell(rt, u"gross_pop"_s).note,
             u"PoP salary month 2026-05 (whole); 2026-06 is still running: its pay so far"_s);
    QVERIFY(
        rt.notes().contains(u"PoP salary month 2026-05 (whole); 2026-06 is still running: its pay so far"_s));
    QVERIFY(!t.notes().join(u' ').contains(u"still running"_s)); // May is loaded to its end

    // The current month compares the same number of days: May 1..20 (today 05-20) against April 1..20.
    BoardRequest current = may();
    current.today = QDate(2026, 5, 20);
    current.period = BoardPeriod::parseMonth(u"2026-05"_s, current.today).value();
    const BoardReport partial = board(db(), current);
    const QJsonObject range =
        partial.toJson().value(u"parameters"_s).toObject().value(u"previousRange"_s).toObject();
    QCOMPARE(range.value(u"to"_s).toString(), u"2026-04-20"_s);
    const BoardTable& pt = coaches(partial);
    QCOMPARE(number(pt, 1, u"items_sum"_s), opt(44000)); // L7 is on business day 05-19
    QCOMPARE(number(pt, 3, u"items_sum"_s), opt(0));
    QCOMPARE(*pt.cell(*pt.rowById(2), u"items_pop"_s)->change->tenths(), opt(200)); // 180 vs L3 (04-12) 150
}

// AC-B1-07, and AC-B1-14's coach-board half: the course cost total of May is 480.00.
void CoachBoardTest::salaryColumnsAndTotals() {
    const BoardTable& t = coaches(board(db(), may()));
    QCOMPARE(number(t, 1, u"course_cost"_s), opt(30000));
    QCOMPARE(number(t, 1, u"gross_salary"_s), opt(32000));
    QCOMPARE(number(t, 2, u"course_cost"_s), opt(10000));
    QCOMPARE(number(t, 2, u"gross_salary"_s), opt(10000));
    QCOMPARE(number(t, 3, u"course_cost"_s), opt(8000));
    QCOMPARE(number(t, 3, u"gross_salary"_s), opt(8000));
    QCOMPARE(totalCell(t, u"course_cost"_s).value.number(), opt(48000));
    QCOMPARE(totalCell(t, u"gross_salary"_s).value.number(), opt(50000));
    QCOMPARE(number(t, 1, u"effective_hours"_s), opt(4 * 3600));
    QCOMPARE(number(t, 3, u"base_hours"_s), opt(5400));
    QCOMPARE(number(t, 1, u"sprint_bonus"_s), opt(2000));
    QCOMPARE(number(t, 1, u"base_income"_s), opt(24000));
    QCOMPARE(number(t, 1, u"bonus_income"_s), opt(6000));
    QCOMPARE(totalCell(t, u"sprint_bonus"_s).value.number(), opt(2000));
    QCOMPARE(totalCell(t, u"effective_hours"_s).value.number(), opt((4 + 2) * 3600 + 5400));
    QCOMPARE(t.cell(*t.rowById(1), u"tier"_s)->text, u"二档"_s);
    QVERIFY(t.cell(*t.rowById(1), u"tier"_s)->note.contains(u"¥80.00"_s)); // unit prices in the tooltip
    // A month with no salary rows: the salary columns are no data, the totals too.
    BoardRequest june = may();
    june.period = BoardPeriod::parseMonth(u"2026-06"_s, june.today).value();
    const BoardTable& j = coaches(board(db(), june));
    QCOMPARE(j.cell(*j.rowById(2), u"gross_salary"_s)->value.state(), CellState::NoData);
    QCOMPARE(totalCell(j, u"course_cost"_s).value.state(), CellState::NoData);
    QCOMPARE(number(j, 2, u"items_sum"_s), opt(9000)); // L12 on 06-01
}

// AC-B1-12.
void CoachBoardTest::progressToNextTierIsNeverInvented() {
    const BoardTable& t = coaches(board(db(), may()));
    for (const BoardTableRow& row : t.rows()) {
        QCOMPARE(t.cell(row, u"tier_progress"_s)->value.state(), CellState::NoData);
        QCOMPARE(t.cell(row, u"tier_progress"_s)->value.display(ValueUnit::Count, kZh),
                 QString(QChar(0x2014)));
    }
}

// AC-B1-08.
void CoachBoardTest::defaultSortAndKeysetPaging() {
    BoardRequest r = may();
    r.pageSize = 2;
    const BoardTable& first = coaches(board(db(), r));
    QCOMPARE(ids(first), (QList<qint64>{1, 2}));
    QCOMPARE(first.total(), 3);
    QCOMPARE(first.sort(), u"items_sum:desc"_s);
    QCOMPARE(totalCell(first, u"items_sum"_s).value.number(), opt(77000)); // the whole set, not the page
    r.page = 2;
    const BoardTable& second = coaches(board(db(), r));
    QCOMPARE(ids(second), (QList<qint64>{3}));
    QCOMPARE(second.total(), 3);
    QCOMPARE(totalCell(second, u"customers"_s).value.number(), opt(5));
    r.page = 3;
    const BoardTable& past = coaches(board(db(), r));
    QVERIFY(past.rows().isEmpty());
    QCOMPARE(past.total(), 3);
    r.page = 1;
    r.sort = u"items_sum:asc"_s;
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{3, 2}));
}

// §4.6 keys, nulls last both ways (AC-S-09), ties by coach id.
void CoachBoardTest::otherSortKeysKeepNullsLast() {
    BoardRequest r = may();
    r.sort = u"items_pop"_s; // A3 has no April income: no ratio, last
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{1, 2, 3}));
    r.sort = u"items_pop:asc"_s;
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{2, 1, 3}));
    r.sort = u"gross_salary:asc"_s;
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{3, 2, 1}));
    r.sort = u"customers"_s;
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{3, 1, 2}));
    r.sort = u"coach"_s; // the name, A to Z
    QCOMPARE(coaches(board(db(), r)).sort(), u"coach:asc"_s);
    // Names in the Chinese collation (NameCollation: pinyin), not by code point, where 张 (zhang) comes
    // before 李 (li): 安 an, 白 bai, 陈 chen, 李 li, 张 zhang. Paged one row at a time by key, the same
    // order.
    exec(db(), u"INSERT INTO bd_dim_assistant VALUES ('acme', 'S1', 4, '张四', 'A4', 1, 1)"_s);
    exec(db(), u"INSERT INTO bd_dim_assistant VALUES ('acme', 'S1', 5, '李五', 'A5', 1, 1)"_s);
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{1, 2, 3, 5, 4}));
    r.sort = u"coach:desc"_s;
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{4, 5, 3, 2, 1}));
    QList<qint64> paged;
    BoardRequest byName = r;
    byName.sort = u"coach"_s;
    byName.pageSize = 1;
    for (int page = 1; page <= 5; ++page) {
        byName.page = page;
        paged += ids(coaches(board(db(), byName)));
    }
    exec(db(), u"DELETE FROM bd_dim_assistant WHERE site_assistant_id IN (4, 5)"_s);
    QCOMPARE(paged, (QList<qint64>{1, 2, 3, 5, 4}));
    QVERIFY(NameCollation::compare(u"李五", u"张四") < 0);
    QVERIFY(NameCollation::compare(u"张四", u"张四") == 0);
    // A total order: names that differ never tie, though the collator calls some equal (a precomposed é and
    // e with a combining accent; a zero-width space): the code points break the tie, the same way both ways.
    for (const auto& [a, b] :
         {std::pair{u"Am\u00e9lie"_s, u"Ame\u0301lie"_s}, std::pair{u"ab"_s, u"a\u200bb"_s}}) {
        QVERIFY2(NameCollation::compare(a, b) != 0, qPrintable(a + u" / "_s + b));
        QCOMPARE(NameCollation::compare(a, b) > 0, NameCollation::compare(b, a) < 0);
    }
    r.sort = u"hours:desc"_s;
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{1, 2, 3}));
    r.sort = u"effective_hours:asc"_s;
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{3, 2, 1}));
    // Paging with key ties and nulls: gross of June is null for everyone, so pages follow the id.
    BoardRequest june = may();
    june.period = BoardPeriod::parseMonth(u"2026-06"_s, june.today).value();
    june.sort = u"gross_salary"_s;
    june.pageSize = 1;
    QList<qint64> all;
    for (int page = 1; page <= 3; ++page) {
        june.page = page;
        all += ids(coaches(board(db(), june)));
    }
    QCOMPARE(all, (QList<qint64>{1, 2, 3}));
    r.sort = u"nonsense"_s;
    const Problem p = refusal(db(), r);
    QCOMPARE(p.field, u"sort"_s);
    QVERIFY(p.message.contains(u"items_sum"_s));
}

// AC-B1-09 and the AC-C1 filter options.
void CoachBoardTest::skillFilterKeepsMetricsWhole() {
    const BoardTable& whole = coaches(board(db(), may()));
    BoardRequest r = may();
    r.skill = u"snk"_s;
    const BoardReport filtered = board(db(), r);
    const BoardTable& t = coaches(filtered);
    QCOMPARE(ids(t), (QList<qint64>{1, 3}));
    QCOMPARE(t.total(), 2);
    QCOMPARE(totalCell(t, u"items_sum"_s).value.number(), opt(59000));
    // A3's figures are all of A3's services, including L13 of the unconfigured skill 花式.
    for (const QString& column :
         {u"items_sum"_s, u"hours"_s, u"customers"_s, u"gross_salary"_s, u"course_cost"_s})
        QCOMPARE(number(t, 3, column), number(whole, 3, column));
    QCOMPARE(number(t, 3, u"customers"_s), opt(3));
    QCOMPARE(totalCell(t, u"customers"_s).value.number(), opt(5)); // M1, M4 (A1) and M2, M3, M5 (A3)
    QVERIFY(t.notes().contains(CoachBoard::skillFilterNote()));
    QVERIFY(!whole.notes().contains(CoachBoard::skillFilterNote()));
    QCOMPARE(filtered.parameters().value(u"skill"_s).toString(), u"snk"_s);
    r.skill = u"zb8"_s;
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{2}));
}

void CoachBoardTest::disabledOrUnknownSkillIsRefused() {
    BoardRequest r = may();
    for (const QString& code : {u"nb9"_s, u"xyz"_s}) {
        r.skill = code;
        const Problem p = refusal(db(), r);
        QCOMPARE(p.field, u"skill"_s);
        QVERIFY2(p.message.contains(u"\"%1\""_s.arg(code)), qPrintable(p.message));
        // The enabled ones, in filter order; the disabled 九球 is not offered.
        QVERIFY2(p.message.contains(u"snk (斯诺克), zb8 (中式八球)"_s), qPrintable(p.message));
        QVERIFY(!p.message.contains(u"九球"_s));
    }
}

// §4.2: search by name or number, case-insensitive; tiers; inactive coaches.
void CoachBoardTest::searchTierAndInactiveCoaches() {
    BoardRequest r = may();
    r.search = u"a1"_s;
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{1}));
    r.search = u"白"_s;
    QCOMPARE(ids(coaches(board(db(), r))), (QList<qint64>{2}));
    r.search = u"%"_s; // a LIKE wildcard is a character like any other
    const BoardTable& none = coaches(board(db(), r));
    QCOMPARE(none.total(), 0);
    QVERIFY(none.isEmptySet());
    // Said in words on the command line, not as a totals row of zeros and "▬ 0.0%" changes (helper-95).
    const QString text = none.toText(QLocale(QLocale::English));
    QVERIFY2(text.contains(u"No row matches these filters."_s) && !text.contains(u"Total"_s) &&
                 !text.contains(u"0.0%"_s),
             qPrintable(text));
    r.search.clear();
    r.tiers = {u"一档"_s};
    const BoardTable& tier = coaches(board(db(), r));
    QCOMPARE(ids(tier), (QList<qint64>{2, 3}));
    QCOMPARE(totalCell(tier, u"gross_salary"_s).value.number(), opt(18000));
    // A tier the site never had is refused with the tiers it has (helper-72: --tier 九档 gave 0 rows).
    r.tiers = {u"一档"_s, u"九档"_s};
    const Problem noSuchTier = refusal(db(), r);
    QCOMPARE(noSuchTier.field, u"tier"_s);
    QVERIFY2(noSuchTier.message.startsWith(u"\"九档\" is not a tier of this site; choose among: 一档"_s),
             qPrintable(noSuchTier.message));
    r.tiers.clear();
    // An inactive coach with no activity in the month is hidden unless asked for; one with activity stays.
    exec(db(), u"INSERT INTO bd_dim_assistant VALUES ('acme', 'S1', 4, '周四', 'A4', 0, 1)"_s);
    exec(db(), u"UPDATE bd_dim_assistant SET is_active = 0 WHERE site_assistant_id = 2"_s);
    const QList<qint64> shown = ids(coaches(board(db(), r)));
    r.includeInactive = true;
    const QList<qint64> all = ids(coaches(board(db(), r)));
    exec(db(), u"DELETE FROM bd_dim_assistant WHERE site_assistant_id = 4"_s);
    exec(db(), u"UPDATE bd_dim_assistant SET is_active = 1 WHERE site_assistant_id = 2"_s);
    QCOMPARE(shown, (QList<qint64>{1, 2, 3}));
    QCOMPARE(all, (QList<qint64>{1, 2, 3, 4}));
}

// Column 1: a coach found only in the logs or the salary rows is shown and flagged.
void CoachBoardTest::unknownCoachFromLogsIsFlagged() {
    exec(db(),
         u"INSERT INTO bd_assistant_service_log (tenant_id, site_id, assistant_service_id, site_assistant_id,"
         " tenant_member_id, is_delete, create_time, income_seconds, real_use_seconds, ledger_amount_fen,"
         " skill_name, biz_date, etl_version) VALUES ('acme', 'S1', 99, 9, 1, 0, 1779000000000, 3600, 3600,"
         " 1234, '斯诺克', '2026-05-10', 1)"_s);
    const BoardReport r = board(db(), may());
    exec(db(), u"DELETE FROM bd_assistant_service_log WHERE assistant_service_id = 99"_s);
    const BoardTable& t = coaches(r);
    QCOMPARE(t.total(), 4);
    const BoardTableRow* row = t.rowById(9);
    QVERIFY(row);
    QCOMPARE(t.cell(*row, u"coach"_s)->text, u"unknown coach #9"_s);
    QVERIFY(!t.cell(*row, u"coach"_s)->note.isEmpty());
    QCOMPARE(row->detail.value(u"unknownCoach"_s).toBool(), true);
    QCOMPARE(t.rowById(1)->detail.value(u"unknownCoach"_s).toBool(), false);
    QCOMPARE(t.cell(*row, u"items_sum"_s)->value.number(), opt(1234));
    QCOMPARE(t.cell(*row, u"gross_salary"_s)->value.state(), CellState::NoData);
    QCOMPARE(totalCell(t, u"items_sum"_s).value.number(), opt(77000 + 1234));
    QVERIFY(t.notes().join(u'\n').contains(u"unknown"_s));
}

// AC-B1-10.
void CoachBoardTest::reconciliationWarnsWithoutError() {
    QVERIFY(coaches(board(db(), may())).outcome().warnings().isEmpty());
    exec(db(), u"UPDATE bd_assistant_salary_calc SET gross_salary_fen = 11000 WHERE assistant_id = 2"
               " AND salary_month = '2026-05-01'"_s);
    BoardRequest r = may();
    r.pageSize = 1; // A2 is not on page 1: the warning is not hidden by paging
    const BoardTable t = coaches(board(db(), r));
    exec(db(), u"UPDATE bd_assistant_salary_calc SET gross_salary_fen = 10000 WHERE assistant_id = 2"
               " AND salary_month = '2026-05-01'"_s);
    QCOMPARE(t.outcome().warnings().size(), 1);
    const ReconciliationWarning& w = t.outcome().warnings().first();
    QVERIFY(w.subject().contains(u"白雪"_s));
    QCOMPARE(w.expected(), opt(10000));
    QCOMPARE(w.actual(), opt(11000));
    QCOMPARE(w.difference(), opt(1000));
    QCOMPARE(t.outcome().status(), SectionOutcome::Status::Ok);
    QCOMPARE(ids(t), (QList<qint64>{1}));
    QVERIFY(t.toText(kZh).contains(w.subject()));
}

// AC-B1-11.
void CoachBoardTest::topThreeByIntimacy() {
    const BoardTable& t = coaches(board(db(), may()));
    const QJsonArray top = t.rowById(1)->detail.value(u"top3Customers"_s).toArray();
    QCOMPARE(top.size(), 3); // M3 (12.00) absent
    const QList<std::tuple<int, QString, double, int, QString>> expected{{1, u"王一"_s, 92.5, 4, u"亲密"_s},
                                                                         {2, u"钱二"_s, 41.0, 2, u"一般"_s},
                                                                         {4, u"李四"_s, 41.0, 2, u"一般"_s}};
    for (int i = 0; i < 3; ++i) {
        const QJsonObject o = top[i].toObject();
        QCOMPARE(o.value(u"memberId"_s).toInt(), std::get<0>(expected[i]));
        QCOMPARE(o.value(u"name"_s).toString(), std::get<1>(expected[i]));
        QCOMPARE(o.value(u"score"_s).toDouble(), std::get<2>(expected[i]));
        QCOMPARE(o.value(u"level"_s).toInt(), std::get<3>(expected[i]));
        QCOMPARE(o.value(u"label"_s).toString(), std::get<4>(expected[i]));
        QCOMPARE(o.value(u"nameState"_s).toString(), u"value"_s);
    }
    QCOMPARE(top[0].toObject().value(u"emoji"_s).toString(), u"\U0001F497"_s);
    const BoardCell* cell = t.cell(*t.rowById(1), u"top3"_s);
    QCOMPARE(cell->text,
             u"王一 92.50 \U0001F497 亲密 · 钱二 41.00 \U0001F642 一般 · 李四 41.00 \U0001F642 一般"_s);
    // Exports write the level as "4-亲密", never the emoji.
    QCOMPARE(*cell->csvText, u"王一 92.50 4-亲密; 钱二 41.00 2-一般; 李四 41.00 2-一般"_s);
    const QString csv = QString::fromUtf8(t.toCsv(true, false));
    QVERIFY(csv.contains(u"王一 92.50 4-亲密"_s));
    QVERIFY(!csv.contains(u"\U0001F497"_s));
    QCOMPARE(t.rowById(3)->detail.value(u"top3Customers"_s).toArray().size(), 2);
    // A relation score outside 0–100 warns that the levels may not fit.
    QVERIFY(!t.notes().contains(IntimacyLevels::outOfScaleWarning()));
    exec(db(), u"UPDATE bd_member_assistant_relation_index SET rs_score = 120 WHERE tenant_member_id = 1"
               " AND site_assistant_id = 2"_s);
    const BoardTable out = coaches(board(db(), may()));
    exec(db(), u"UPDATE bd_member_assistant_relation_index SET rs_score = 65 WHERE tenant_member_id = 1"
               " AND site_assistant_id = 2"_s);
    QVERIFY(out.notes().contains(IntimacyLevels::outOfScaleWarning()));
    QCOMPARE(
        out.rowById(2)->detail.value(u"top3Customers"_s).toArray()[0].toObject().value(u"level"_s).toInt(),
        4);
    // A member without a dimension row is "member #id", and is not dropped.
    exec(db(), u"DELETE FROM bd_dim_member WHERE tenant_member_id = 5"_s);
    const BoardTable missing = coaches(board(db(), may()));
    exec(db(), u"INSERT INTO bd_dim_member VALUES ('acme', 5, '赵五', '13800005555', 'S1', 1)"_s);
    const QJsonObject m5 = missing.rowById(3)->detail.value(u"top3Customers"_s).toArray()[1].toObject();
    QCOMPARE(m5.value(u"name"_s).toString(), u"member #5"_s);
    QCOMPARE(m5.value(u"nameState"_s).toString(), u"no_data"_s);
}

// The core columns of a table as JSON, to compare runs with and without a fault.
static QJsonArray coreColumns(const BoardTable& t) {
    QJsonArray out;
    const QJsonObject json = t.toJson();
    for (const QJsonValue& row : json.value(u"rows"_s).toArray()) {
        QJsonObject o = row.toObject();
        for (const QString& optional : {u"top3"_s, u"top3Note"_s, u"top3Customers"_s, u"stored_value"_s})
            o.remove(optional);
        out.append(o);
    }
    out.append(json.value(u"totals"_s));
    return out;
}

// AC-B1-13 (DQ-6 made unavailable), in the manner of AC-S-10.
void CoachBoardTest::memberNamesFailingAlone() {
    const BoardTable whole = coaches(board(db(), may()));
    BoardFaults::set({u"coach.members"_s});
    const BoardTable t = coaches(board(db(), may()));
    BoardFaults::clear();
    QCOMPARE(t.outcome().status(), SectionOutcome::Status::Partial);
    QCOMPARE(t.outcome().unavailableFields(), QStringList{u"top3_names"_s});
    QVERIFY(!t.outcome().headerNote().isEmpty());
    const QJsonObject first = t.rowById(1)->detail.value(u"top3Customers"_s).toArray()[0].toObject();
    QCOMPARE(first.value(u"name"_s).toString(), u"member #1"_s);
    QCOMPARE(first.value(u"nameState"_s).toString(), u"unavailable"_s);
    const BoardCell* cell = t.cell(*t.rowById(1), u"top3"_s);
    QVERIFY(cell->text.startsWith(u"member #1 92.50"_s));
    QVERIFY(cell->note.contains(u"coach.members"_s));
    QCOMPARE(coreColumns(t), coreColumns(whole)); // columns 1–13 unchanged
    const QStringList csv = QString::fromUtf8(t.toCsv(false, true)).split(u"\r\n"_s);
    QVERIFY(csv[0].endsWith(u",_unavailable"_s));
    QVERIFY(csv[1].endsWith(u",top3_names"_s));
}

// AC-S-10 for the whole top 3, AC-S-11 for the core.
void CoachBoardTest::topThreeOrCoreFailing() {
    const BoardTable whole = coaches(board(db(), may()));
    BoardFaults::set({u"coach.top3"_s});
    const BoardTable t = coaches(board(db(), may()));
    BoardFaults::set({u"coach.rows"_s});
    const BoardTable broken = coaches(board(db(), may()));
    BoardFaults::clear();
    QCOMPARE(t.outcome().status(), SectionOutcome::Status::Partial);
    QCOMPARE(t.outcome().unavailableFields(), QStringList{u"top3"_s}); // names never ran: no rows to name
    QCOMPARE(t.cell(*t.rowById(1), u"top3"_s)->text, QString(QChar(0x26A0)) + u' ' + QChar(0x2014));
    QCOMPARE(coreColumns(t), coreColumns(whole));
    QCOMPARE(t.cell(*t.rowById(1), u"stored_value"_s)->value.state(),
             CellState::NoData); // its own step is fine
    QCOMPARE(broken.outcome().status(), SectionOutcome::Status::Error);
    QVERIFY(broken.rows().isEmpty());
    QVERIFY(broken.toText(kZh).contains(u"coach.rows"_s));
}

// Column 15: no data without a commission row, the row's figures with one, unavailable on failure.
void CoachBoardTest::customerSourcedStoredValue() {
    const BoardTable before = coaches(board(db(), may()));
    QCOMPARE(before.cell(*before.rowById(1), u"stored_value"_s)->value.state(), CellState::NoData);
    exec(db(),
         u"INSERT INTO bd_assistant_recharge_commission VALUES ('acme', 'S1', 1, '2026-05-01', 150000, 2, 1,"
         " 4500, 1)"_s);
    const BoardTable t = coaches(board(db(), may()));
    const BoardReport d = drill(db(), u"stored_value:1"_s);
    // The coach's number, as the board shows it, names the same coach (helper-72 tried S1-0022 first).
    const BoardReport byNumber = drill(db(), u"stored_value:A1"_s);
    // The totals row shows no total for it, so no total drills (helper-72: "—" on the board, ¥62,800
    // drilled).
    BoardRequest totalRequest = may();
    totalRequest.drill = u"stored_value:total"_s;
    const Problem noTotal = refusal(db(), totalRequest);
    totalRequest.drill = u"stored_value:Z9"_s;
    const Problem unknown = refusal(db(), totalRequest);
    BoardFaults::set({u"coach.stored_value"_s});
    const BoardTable failed = coaches(board(db(), may()));
    BoardFaults::clear();
    exec(db(), u"DELETE FROM bd_assistant_recharge_commission"_s);
    QCOMPARE(number(t, 1, u"stored_value"_s), opt(150000));
    QCOMPARE(t.rowById(1)->detail.value(u"storedValue"_s).toObject().value(u"rechargeCount"_s).toInt(), 2);
    QCOMPARE(t.cell(*t.rowById(2), u"stored_value"_s)->value.state(), CellState::NoData);
    QCOMPARE(footer(d, u"stored_value"_s), opt(150000));
    QCOMPARE(footer(byNumber, u"stored_value"_s), opt(150000));
    QCOMPARE(totalCell(t, u"stored_value"_s).value.state(), CellState::NoData);
    QVERIFY2(noTotal.message.contains(u"has no total"_s), qPrintable(noTotal.message));
    QVERIFY2(unknown.message.contains(u"\"Z9\" is neither a coach id, a coach number"_s),
             qPrintable(unknown.message));
    QCOMPARE(failed.cell(*failed.rowById(1), u"stored_value"_s)->value.state(), CellState::Unavailable);
    QCOMPARE(failed.outcome().unavailableFields(), QStringList{u"stored_value"_s});
}

// AC-S-12 for BOARD-1: every drillable cell's footer equals the cell, totals included.
void CoachBoardTest::drillDownsEqualTheCells() {
    for (const QString& skill : {QString(), u"snk"_s}) {
        BoardRequest r = may();
        r.skill = skill;
        const BoardTable t = coaches(board(db(), r));
        QVERIFY(!t.rows().isEmpty());
        const QStringList columns{
            u"items_sum"_s,    u"hours"_s,       u"customers"_s,    u"gross_salary"_s,    u"base_income"_s,
            u"bonus_income"_s, u"course_cost"_s, u"sprint_bonus"_s, u"effective_hours"_s, u"base_hours"_s};
        for (const QString& column : columns) {
            for (const BoardTableRow& row : t.rows()) {
                const BoardReport d = drill(db(), column + u':' + row.id.toString(), r);
                QCOMPARE(footer(d, column), t.cell(row, column)->value.number());
            }
            const BoardReport total = drill(db(), column + u":total"_s, r);
            QCOMPARE(footer(total, column), totalCell(t, column).value.number());
        }
    }
}

// §4.7: what the drill-downs list.
void CoachBoardTest::drillDownRows() {
    const BoardReport items = drill(db(), u"items_sum:1"_s);
    const BoardTable* rows = items.table(u"drill"_s);
    QCOMPARE(ids(*rows), (QList<qint64>{5, 6, 7})); // by settlement time; L1, L2 are April
    QCOMPARE(rows->total(), 3);
    QCOMPARE(items.watermark(), QDate(2026, 6, 1)); // the same freshness as the board
    QCOMPARE(rows->cell(rows->rows()[2], u"create_time"_s)->text, u"2026-05-20 02:30:00"_s);
    QCOMPARE(rows->cell(rows->rows()[2], u"biz_date"_s)->text, u"2026-05-19"_s);
    QCOMPARE(rows->cell(rows->rows()[0], u"member"_s)->text, u"王一"_s);
    QCOMPARE(rows->cell(rows->rows()[0], u"phone"_s)->text, u"138****1111"_s);
    QCOMPARE(rows->cell(rows->rows()[0], u"table"_s)->text, u"table #101"_s);
    QCOMPARE(rows->cell(rows->rows()[1], u"real_hours"_s)->value.number(), opt(3700));
    QCOMPARE(rows->cell(*rows->totals(), u"ledger_amount"_s)->value.number(), opt(44000));
    QVERIFY(!QString::fromUtf8(rows->toCsv(true, false)).contains(u"13800001111"_s));
    // Voided rows are hidden: A2 has L8 only.
    const BoardReport a2 = drill(db(), u"items_sum:2"_s);
    QCOMPARE(ids(*a2.table(u"drill"_s)), (QList<qint64>{8}));
    // The totals row drills into every filtered coach, paged by key.
    BoardRequest r = may();
    r.pageSize = 4;
    const BoardReport page1 = drill(db(), u"customers:total"_s, r);
    r.page = 2;
    const BoardReport page2 = drill(db(), u"customers:total"_s, r);
    QCOMPARE(page1.table(u"drill"_s)->total(), 7);
    QCOMPARE(ids(*page1.table(u"drill"_s)) + ids(*page2.table(u"drill"_s)),
             (QList<qint64>{5, 6, 8, 7, 13, 10, 11}));
    QCOMPARE(footer(page2, u"customers"_s), opt(5));
    // Gross pay: the last salary months of the coach (a trend), newest first.
    const BoardReport salaryReport = drill(db(), u"gross_salary:1"_s);
    const BoardTable* salary = salaryReport.table(u"drill"_s);
    QCOMPARE(salary->rows().size(), 2);
    QCOMPARE(salary->cell(salary->rows()[0], u"salary_month"_s)->text, u"2026-05"_s);
    QCOMPARE(salary->cell(salary->rows()[1], u"gross_salary"_s)->value.number(), opt(28000));
    QVERIFY(!salary->totals());
    // Top 3: every customer of the coach by intimacy, ties by member id.
    const BoardReport allReport = drill(db(), u"top3:1"_s);
    const BoardTable* all = allReport.table(u"drill"_s);
    QCOMPARE(ids(*all), (QList<qint64>{1, 2, 4, 3}));
    QCOMPARE(all->cell(all->rows()[3], u"level"_s)->csvText, u"1-初识"_s);
    QCOMPARE(all->cell(all->rows()[0], u"phone"_s)->text, u"138****1111"_s);
}

void CoachBoardTest::badDrillIsRefused() {
    BoardRequest r = may();
    for (const QString& cell : {u"nothing:1"_s, u"items_sum:x"_s, u"top3:total"_s, u"items_sum:77"_s}) {
        r.drill = cell;
        const Problem p = refusal(db(), r);
        QCOMPARE(p.field, u"drill"_s);
        QVERIFY2(p.message.contains(cell), qPrintable(p.message));
    }
    // A coach the skill filter leaves out cannot be drilled into under that filter.
    r.skill = u"snk"_s;
    r.drill = u"items_sum:2"_s;
    QCOMPARE(refusal(db(), r).field, u"drill"_s);
}

// Migration 012: the month's per-coach sums (the board's read of the service logs) come from one range of
// the covering index, without a table lookup per row; before it, every log of the month was looked up.
void CoachBoardTest::monthIsReadFromTheCoveringIndex() {
    QSqlQuery q(db());
    QVERIFY(
        q.exec(u"EXPLAIN QUERY PLAN SELECT site_assistant_id, SUM(ledger_amount_fen), SUM(income_seconds),"
               " COUNT(DISTINCT tenant_member_id) FROM bd_assistant_service_log"
               " WHERE tenant_id = 'acme' AND site_id = 'S1' AND is_delete = 0"
               "  AND biz_date >= '2026-05-01' AND biz_date <= '2026-05-31' GROUP BY site_assistant_id"_s));
    QStringList plan;
    while (q.next())
        plan << q.value(3).toString();
    QVERIFY2(!q.lastError().isValid(), qPrintable(q.lastError().text()));
    QVERIFY2(plan.join(u'\n').contains(
                 u"USING COVERING INDEX bd_sl_by_day_covering (tenant_id=? AND site_id=? AND "
                 "biz_date>? AND biz_date<?)"_s),
             qPrintable(plan.join(u'\n')));
}

void CoachBoardTest::commandLine() {
    test::TestWorkspace ws(3); // the demo's tenants, acme among them
    const QString path = ws.path();
    ws.workspace().close();
    Cli load = runCli(
        {u"board"_s, u"load"_s, u"--workspace"_s, path, u"--tenant"_s, u"acme"_s, u"--dir"_s, kFixture});
    QVERIFY2(load.exitCode == 0, qPrintable(load.err));
    const QStringList base{u"board"_s,    u"coach"_s,      u"--workspace"_s, path,
                           u"--tenant"_s, u"acme"_s,       u"--site"_s,      u"S1"_s,
                           u"--today"_s,  u"2026-06-02"_s, u"--month"_s,     u"2026-05"_s};
    const Cli text = runCli(base + QStringList{u"--lang"_s, u"en"_s});
    QVERIFY2(text.exitCode == 0, qPrintable(text.err));
    const QString out = QString::fromUtf8(text.out);
    QVERIFY2(out.contains(u"安娜 (A1)"_s) && out.contains(u"440.00"_s) && out.contains(u"+46.7%"_s),
             qPrintable(out));
    QVERIFY(out.contains(u"new"_s));
    QVERIFY(out.contains(u"\U0001F497"_s));

    const Cli json = runCli(base + QStringList{u"--format"_s, u"json"_s});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonObject section =
        QJsonDocument::fromJson(json.out).object().value(u"sections"_s).toArray()[0].toObject();
    QCOMPARE(section.value(u"total"_s).toInt(), 3);
    const QJsonObject a3 = section.value(u"rows"_s).toArray()[2].toObject();
    QCOMPARE(a3.value(u"items_sum"_s).toObject().value(u"value"_s).toDouble(), 150.0);
    QCOMPARE(a3.value(u"gross_pop"_s).toObject().value(u"kind"_s).toString().isEmpty(), false);
    QCOMPARE(a3.value(u"tier_progress"_s).toObject().value(u"state"_s).toString(), u"no_data"_s);
    QCOMPARE(
        section.value(u"totals"_s).toObject().value(u"customers"_s).toObject().value(u"value"_s).toDouble(),
        5.0);

    const Cli csv = runCli(base + QStringList{u"--format"_s, u"csv"_s, u"--page-size"_s, u"2"_s});
    QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
    QVERIFY(csv.out.startsWith("\xEF\xBB\xBF"));
    QVERIFY(csv.out.contains(",440.00,"));
    QVERIFY(csv.out.contains("4-"));

    const Cli drilled =
        runCli(base + QStringList{u"--drill"_s, u"items_sum:total"_s, u"--format"_s, u"json"_s});
    QVERIFY2(drilled.exitCode == 0, qPrintable(drilled.err));
    QCOMPARE(QJsonDocument::fromJson(drilled.out)
                 .object()
                 .value(u"kpis"_s)
                 .toArray()[0]
                 .toObject()
                 .value(u"value"_s)
                 .toDouble(),
             770.0);

    const Cli zh = runCli(base + QStringList{u"--lang"_s, u"zh_CN"_s, u"--skill"_s, u"snk"_s});
    QVERIFY2(zh.exitCode == 0, qPrintable(zh.err));
    QVERIFY(QString::fromUtf8(zh.out).contains(u"新增"_s));

    const Cli refused = runCli(base + QStringList{u"--skill"_s, u"nb9"_s});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(u"snk (斯诺克), zb8 (中式八球)"_s), qPrintable(refused.err));
    QVERIFY(refused.out.isEmpty());
}

QTEST_GUILESS_MAIN(CoachBoardTest)
#include "tst_coachboard.moc"
