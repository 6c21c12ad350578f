// The shared shape of every board (BoardTable, BoardReport, BoardScope), CONFIG-1 (spec §3, AC-C1-01..03)
// and the board view command line, on real workspace files with the F1/F2 fixture of spec §10.1.
#include "TestWorkspace.h"
#include "boards/BoardScope.h"
#include "boards/BoardTable.h"
#include "boards/IntimacyLevels.h"
#include "boards/PhoneMask.h"
#include "boards/SkillBoard.h"
#include "store/BoardWorkspaceLoad.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
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

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run runCli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(RISKDESK_BINARY), args);
    Run r;
    if (!p.waitForFinished(60000))
        return r;
    r.code = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class BoardViewsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void acC1_01_filterListsEnabledSkillsInOrder();
    void acC1_02_siteRowOverridesTheTenantRow();
    void acC1_03_unconfiguredNamesAreListedNeverDropped();
    void scopeGivesUsersOnlyTheirSitesAndBoards();
    void tableCsvIsSpreadsheetReady();
    void tableJsonCarriesStatesAndPaging();
    void phonesAreMasked();
    void intimacyLevelsFollowTheSpec();
    void commandLinePrintsAndRefuses();

private:
    std::unique_ptr<test::TestWorkspace> m_ws;
};

void BoardViewsTest::initTestCase() {
    m_ws = std::make_unique<test::TestWorkspace>(3);     // tenants acme and globex, their users
    exec(m_ws->db(), u"DELETE FROM bd_site_settings"_s); // only the fixture's site
    auto loaded = BoardWorkspaceLoad::load(m_ws->db(), u"acme"_s, kFixture);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
}

void BoardViewsTest::acC1_01_filterListsEnabledSkillsInOrder() {
    auto scope = BoardScope::open(m_ws->db(), u"acme"_s);
    QVERIFY(scope);
    BoardRequest request;
    request.tenant = u"acme"_s;
    request.site = u"S1"_s;
    auto report = SkillBoard::compute(m_ws->db(), scope.value(), request);
    QVERIFY2(report, report ? "" : qPrintable(report.problem().message));
    const BoardTable* filter = report.value().table(u"skills"_s);
    QVERIFY(filter);
    QStringList names;
    for (const BoardTableRow& row : filter->rows())
        names << filter->cell(row, u"skill_name"_s)->text;
    QCOMPARE(names, (QStringList{u"All"_s, u"斯诺克"_s, u"中式八球"_s})); // 九球 is disabled
    QCOMPARE(filter->notes().size(), 1);
    QVERIFY(filter->notes().first().contains(u"九球"_s));
}

void BoardViewsTest::acC1_02_siteRowOverridesTheTenantRow() {
    test::TestWorkspace ws(3);
    exec(ws.db(), u"DELETE FROM bd_site_settings"_s);
    QVERIFY(BoardWorkspaceLoad::load(ws.db(), u"acme"_s, kFixture));
    exec(ws.db(), u"INSERT INTO bd_site_settings VALUES ('acme', 'S2', 'Asia/Shanghai', NULL, 1)"_s);
    exec(ws.db(), u"INSERT INTO bd_cfg_skill_type VALUES ('acme', 'S1', 'snk', '斯诺克（一店）', 9, 1, 1)"_s);
    const auto s1 = SkillBoard::skillTypes(ws.db(), u"acme"_s, u"S1"_s);
    const auto s2 = SkillBoard::skillTypes(ws.db(), u"acme"_s, u"S2"_s);
    QVERIFY(s1 && s2);
    QStringList one, two;
    for (const SkillType& t : s1.value())
        one << u"%1:%2:%3"_s.arg(t.code, t.name).arg(t.sortOrder);
    for (const SkillType& t : s2.value())
        two << u"%1:%2:%3"_s.arg(t.code, t.name).arg(t.sortOrder);
    QCOMPARE(one, (QStringList{u"zb8:中式八球:2"_s, u"nb9:九球:3"_s, u"snk:斯诺克（一店）:9"_s}));
    QCOMPARE(two, (QStringList{u"snk:斯诺克:1"_s, u"zb8:中式八球:2"_s, u"nb9:九球:3"_s}));
    QVERIFY(s1.value().last().siteOverride);
}

void BoardViewsTest::acC1_03_unconfiguredNamesAreListedNeverDropped() {
    const auto names = SkillBoard::unconfiguredNames(m_ws->db(), u"acme"_s, u"S1"_s);
    QVERIFY(names);
    QCOMPARE(names.value().size(), 1);
    QCOMPARE(names.value().first().first, u"花式"_s);
    QCOMPARE(names.value().first().second, 1);
    QCOMPARE(SkillBoard::unconfiguredLabel(u"花式"_s), u"Not configured (花式)"_s);
}

void BoardViewsTest::scopeGivesUsersOnlyTheirSitesAndBoards() {
    exec(m_ws->db(),
         u"INSERT OR IGNORE INTO bd_site_settings VALUES ('acme', 'S2', 'Asia/Shanghai', NULL, 1)"_s);
    exec(m_ws->db(), u"DELETE FROM bd_user_sites"_s);
    exec(m_ws->db(), u"INSERT INTO bd_user_sites VALUES ('zhou.lin', 'acme', 'S2')"_s);
    auto owner = BoardScope::open(m_ws->db(), u"acme"_s);
    QVERIFY(owner);
    QCOMPARE(owner.value().sites(), (QStringList{u"S1"_s, u"S2"_s}));
    auto finance = BoardScope::open(m_ws->db(), u"acme"_s, u"zhou.lin"_s);
    QVERIFY(finance);
    QCOMPARE(finance.value().sites(), QStringList{u"S2"_s});
    QVERIFY(!finance.value().checkSite(u"S1"_s));
    QCOMPARE(finance.value().checkSite(u"S1"_s).problem().code, u"site_not_allowed"_s);
    QVERIFY(finance.value().checkBoard(BoardKind::Finance));
    auto approver = BoardScope::open(m_ws->db(), u"acme"_s, u"li.wei"_s);
    QVERIFY(approver);
    QVERIFY(approver.value().mayOpen(BoardKind::RiskOps));
    QVERIFY(!approver.value().mayOpen(BoardKind::Coach));
    auto applicant = BoardScope::open(m_ws->db(), u"acme"_s, u"wang.fang"_s);
    QVERIFY(applicant);
    QVERIFY(!applicant.value().mayOpen(BoardKind::RiskOps));
    QVERIFY(!BoardScope::open(m_ws->db(), u"acme"_s, u"nobody"_s));
    QVERIFY(!BoardScope::open(m_ws->db(), u"initech"_s));
    exec(m_ws->db(), u"DELETE FROM bd_site_settings WHERE site_id = 'S2'"_s);
    exec(m_ws->db(), u"DELETE FROM bd_user_sites"_s);
}

void BoardViewsTest::tableCsvIsSpreadsheetReady() {
    using T = BoardTableColumn::Type;
    BoardTable t(u"demo"_s, u"Demo"_s,
                 {{u"name"_s, u"名称"_s, T::Text}, {u"amount"_s, u"金额"_s, T::Value, ValueUnit::Fen}});
    t.addRow({1, {BoardCell::ofText(u"a, \"quoted\""_s), BoardCell::ofValue(BoardValue::ofSum(44000))}});
    t.addRow({2, {BoardCell::ofText(u"b"_s), BoardCell::ofValue(BoardValue::noData())}});
    // A loaded name that a spreadsheet would run as a formula stays text; a negative amount stays a number.
    t.addRow(
        {3, {BoardCell::ofText(u"=HYPERLINK(\"http://x\")"_s), BoardCell::ofValue(BoardValue::ofSum(-500))}});
    t.setTotals({QVariant(), {BoardCell::ofText({}), BoardCell::ofValue(BoardValue::ofSum(43500))}});
    QByteArray csv = t.toCsv(true, false);
    QVERIFY(csv.startsWith("\xEF\xBB\xBF"));
    QCOMPARE(QString::fromUtf8(csv.mid(3)),
             u"名称,金额\r\n\"a, \"\"quoted\"\"\",440.00\r\nb,\r\n\"'=HYPERLINK(\"\"http://x\"\")\",-5.00\r\n"
             "Total,435.00\r\n"_s);
    QCOMPARE(t.toCsv(false, true).left(12), QByteArray("name,amount\r"));
    // Printed to a terminal, a name's line break and escape character neither break the table nor reach the
    // terminal.
    t.addRow({4, {BoardCell::ofText(u"two\nlines\x1b[2J"_s), BoardCell::ofValue(BoardValue::ofSum(1))}});
    const QString text = t.toText(QLocale(QLocale::English));
    QVERIFY2(text.contains(u"two lines\uFFFD[2J"_s), qPrintable(text));
    QVERIFY(!text.contains(QChar(27)));
    // An unavailable field is named in every row's _unavailable column.
    t.outcome().failEnrichment({u"top3"_s, {u"amount"_s}, u"timed out"_s, true});
    QVERIFY(QString::fromUtf8(t.toCsv(false, true)).startsWith(u"name,amount,_unavailable\r\n"_s));
    QVERIFY(QString::fromUtf8(t.toCsv(false, true)).contains(u",amount\r\n"_s));
}

void BoardViewsTest::tableJsonCarriesStatesAndPaging() {
    using T = BoardTableColumn::Type;
    BoardTable t(u"demo"_s, u"Demo"_s,
                 {{u"amount"_s, u"Amount"_s, T::Value, ValueUnit::Fen}, {u"pop"_s, u"PoP"_s, T::Change}});
    t.addRow({7, {BoardCell::ofValue(BoardValue::ofSum(0)), BoardCell::ofChange(PeriodChange::of(150, 0))}});
    t.setPaging(45, 3, 20);
    const QJsonObject o = t.toJson();
    QCOMPARE(o[u"total"_s].toInteger(), 45);
    QCOMPARE(o[u"page"_s].toInteger(), 3);
    const QJsonObject row = o[u"rows"_s].toArray().first().toObject();
    QCOMPARE(row[u"id"_s].toInteger(), 7);
    QCOMPARE(row[u"amount"_s].toObject()[u"state"_s].toString(), u"zero"_s);
    QCOMPARE(row[u"pop"_s].toObject()[u"kind"_s].toString(), u"new"_s);
}

void BoardViewsTest::phonesAreMasked() {
    QCOMPARE(PhoneMask::mask(u"13812345678"_s), u"138****5678"_s);
    QCOMPARE(PhoneMask::mask(u"+86 138-1234-5678"_s), u"861******5678"_s);
    QCOMPARE(PhoneMask::mask(u"12345"_s), u"*****"_s);
    QCOMPARE(PhoneMask::mask(QString()), QString());
    QVERIFY(PhoneMask::endsWith(u"138-1234-5678"_s, u"5678"_s));
    QVERIFY(!PhoneMask::endsWith(u"13812345678"_s, QString()));
}

void BoardViewsTest::intimacyLevelsFollowTheSpec() {
    const IntimacyLevels levels = IntimacyLevels::defaults();
    QCOMPARE(levels.levelOf(9250).level, 4);
    QCOMPARE(levels.levelOf(8000).level, 4);
    QCOMPARE(levels.levelOf(7999).level, 3);
    QCOMPARE(levels.levelOf(4100).level, 2);
    QCOMPARE(levels.levelOf(3000).level, 2);
    QCOMPARE(levels.levelOf(1200).level, 1);
    QCOMPARE(levels.levelOf(-500).level, 1);
    QCOMPARE(IntimacyLevels::exportText(levels.levelOf(9250), QLocale(QLocale::Chinese, QLocale::China)),
             u"4-亲密"_s);
    QCOMPARE(IntimacyLevels::exportText(levels.levelOf(4100), QLocale(QLocale::English)), u"2-Acquainted"_s);
    QVERIFY(IntimacyLevels::outOfScale(10001) && IntimacyLevels::outOfScale(-1) &&
            !IntimacyLevels::outOfScale(0));
    // A tenant's own levels replace the defaults; the lowest takes everything below.
    exec(m_ws->db(), u"INSERT INTO bd_cfg_intimacy_level VALUES ('acme', 2, 500, 'x', '高', 'High', 1),"
                     " ('acme', 1, 100, 'y', '低', 'Low', 1)"_s);
    auto configured = IntimacyLevels::load(m_ws->db(), u"acme"_s);
    QVERIFY(configured);
    QCOMPARE(configured.value().levels().size(), 2);
    QCOMPARE(configured.value().levelOf(50000).labelEn, u"High"_s);
    QCOMPARE(configured.value().levelOf(0).labelEn, u"Low"_s);
    exec(m_ws->db(), u"DELETE FROM bd_cfg_intimacy_level"_s);
}

void BoardViewsTest::commandLinePrintsAndRefuses() {
    const QString path = m_ws->path();
    Run r = runCli({u"board"_s, u"skills"_s, u"--workspace"_s, path, u"--lang"_s, u"zh_CN"_s});
    QVERIFY2(r.code == 0, r.err.constData());
    const QString text = QString::fromUtf8(r.out);
    QVERIFY(text.contains(u"全部"_s) && text.contains(u"斯诺克"_s) && text.contains(u"未配置 (花式)"_s));
    QVERIFY(!text.contains(u"九球  "_s)); // only named as disabled, not offered
    r = runCli({u"board"_s, u"skills"_s, u"--workspace"_s, path, u"--format"_s, u"json"_s});
    QCOMPARE(r.code, 0);
    const QJsonObject json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(json[u"board"_s].toString(), u"skills"_s);
    QCOMPARE(json[u"sections"_s].toArray().first().toObject()[u"rows"_s].toArray().size(), 3);
    r = runCli({u"board"_s, u"skills"_s, u"--workspace"_s, path, u"--format"_s, u"csv"_s, u"--section"_s,
                u"unconfigured"_s, u"--no-bom"_s, u"--machine-names"_s});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out, QByteArray("skill_name,logs\r\nNot configured (花式),1\r\n"));
    // Refusals: an approver may not open it; a site nobody has; bad usage.
    r = runCli({u"board"_s, u"skills"_s, u"--workspace"_s, path, u"--as"_s, u"li.wei"_s});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("may not open"));
    r = runCli({u"board"_s, u"skills"_s, u"--workspace"_s, path, u"--site"_s, u"S9"_s});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("S9") && r.err.contains("S1"));
    r = runCli({u"board"_s, u"skills"_s, u"--workspace"_s, path, u"--format"_s, u"xml"_s});
    QCOMPARE(r.code, 2);
    r = runCli({u"board"_s, u"skills"_s, u"--workspace"_s, path + u".missing"_s});
    QCOMPARE(r.code, 2);
}

QTEST_GUILESS_MAIN(BoardViewsTest)
#include "tst_boardviews.moc"
