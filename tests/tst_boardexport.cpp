// Board exports (boards/SPEC.md §2.8, §2.10; AC-S-13, AC-S-14, AC-S-15, AC-X-11) on real workspace files: the
// F1/F2 fixture for CSV and XLSX, the deterministic demo (riskdesk demo --board-scale 1, sites S1 and S2) for
// the whole-board PDF and the per-site scope. Files are read back the way a person's tools would: the XLSX as
// a zip of XML parts (unzip), the PDF's text page by page (pdftotext from poppler-utils).
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "boards/BoardExportName.h"
#include "boards/BoardExportSet.h"
#include "boards/BoardExportWriter.h"
#include "boards/BoardPdfExport.h"
#include "boards/BoardXlsxExport.h"
#include "boards/PdfRadicalRepair.h"
#include "store/BoardWorkspaceLoad.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

const QString kFixture = QStringLiteral(RISKDESK_FIXTURE_DIR);

struct Run {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

Run runCli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(RISKDESK_BINARY), args);
    if (!p.waitForFinished(180000))
        qFatal("riskdesk did not finish");
    return {p.exitCode(), p.readAllStandardOutput(), QString::fromUtf8(p.readAllStandardError())};
}

// One part of a zip (an XLSX), through the unzip tool.
QByteArray zipPart(const QString& zip, const QString& part) {
    QProcess p;
    p.start(u"unzip"_s, {u"-p"_s, zip, part});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        qFatal("unzip -p %s %s failed", qPrintable(zip), qPrintable(part));
    return p.readAllStandardOutput();
}

// The PDF's text, one string per page (pdftotext separates pages with form feeds).
// Layout: each printed line of a table is one line of text, as on paper.
enum class PdfText { Flowing, Layout };
QStringList pdfPages(const QString& pdf, PdfText mode = PdfText::Flowing) {
    QProcess p;
    QStringList arguments{u"-enc"_s, u"UTF-8"_s, pdf, u"-"_s};
    if (mode == PdfText::Layout)
        arguments.prepend(u"-layout"_s);
    p.start(u"pdftotext"_s, arguments);
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        qFatal("pdftotext %s failed: %s", qPrintable(pdf), p.readAllStandardError().constData());
    QStringList pages = QString::fromUtf8(p.readAllStandardOutput()).split(u'\f');
    if (!pages.isEmpty() && pages.last().trimmed().isEmpty())
        pages.removeLast();
    return pages;
}

// A request of tenant acme's site S1 on the given day, in English.
BoardRequest englishS1Request(const QDate& today) {
    BoardRequest request;
    request.tenant = u"acme"_s;
    request.site = u"S1"_s;
    request.today = today;
    request.locale = QLocale(QLocale::English);
    return request;
}

QStringList sheetNames(const QByteArray& workbookXml) {
    QStringList names;
    static const QRegularExpression sheet(u"<sheet name=\"([^\"]*)\""_s);
    for (auto it = sheet.globalMatch(QString::fromUtf8(workbookXml)); it.hasNext();)
        names << it.next().captured(1).replace(u"&amp;"_s, u"&"_s);
    return names;
}

// The indexes of the cell styles (cellXfs) whose number format is formatCode.
QList<int> stylesWithFormat(const QByteArray& stylesXml, const QString& formatCode) {
    const QString xml = QString::fromUtf8(stylesXml);
    const QRegularExpression numFmt(
        u"<numFmt numFmtId=\"(\\d+)\" formatCode=\"%1\""_s.arg(QRegularExpression::escape(formatCode)));
    const auto m = numFmt.match(xml);
    if (!m.hasMatch())
        return {};
    const QString id = m.captured(1);
    const qsizetype start = xml.indexOf(u"<cellXfs"_s), end = xml.indexOf(u"</cellXfs>"_s);
    const QString xfs = xml.mid(start, end - start);
    QList<int> out;
    int index = 0;
    static const QRegularExpression xf(u"<xf [^>]*>"_s);
    for (auto it = xf.globalMatch(xfs); it.hasNext(); ++index)
        if (it.next().captured(0).contains(u"numFmtId=\"%1\""_s.arg(id)))
            out << index;
    return out;
}

// Every cell of a sheet's XML: reference, style, type, value.
struct XlsxCell {
    QString ref;
    int style = 0;
    QString type;
    QString value;
};

QList<XlsxCell> cellsOf(const QByteArray& sheetXml) {
    QList<XlsxCell> cells;
    static const QRegularExpression cell(
        u"<c r=\"([A-Z]+\\d+)\"(?: s=\"(\\d+)\")?(?: t=\"(\\w+)\")?(?:/>|>(.*?)</c>)"_s);
    for (auto it = cell.globalMatch(QString::fromUtf8(sheetXml)); it.hasNext();) {
        const auto m = it.next();
        cells.append({m.captured(1), m.captured(2).toInt(), m.captured(3), m.captured(4)});
    }
    return cells;
}

QString scalar(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0).toString();
}

} // namespace

class BoardExportTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void fileNamesFollowTheSpec();
    void sheetNamesAreValidAndUnique();
    void acS13_csvIsRawWithBomAndEveryRow();
    void acS14_xlsxHasASheetPerSectionWithTypedMoney();
    void aSheetWithoutRowsSaysWhy();
    void acS14_xlsxInChinese();
    void changesInPointsAreNumbers();
    void aPeriodPastTheLoadedDataIsFlagged();
    void customerXlsxHoldsNumbersNotText();
    void theWindowsWorkbookIsTheCommandLines();
    void aFailedWriteLeavesNothingAndSaysWhy();
    void acS15_pdfHoldsEveryDimensionWithRepeatedHeaders();
    void pdfDrawsTheFiguresItIsGiven();
    void pdfPrintsWideTablesWholeInBands();
    void pdfNeverPrintsATotalsRowAloneOnAPage();
    void chinesePdfTextReadsAsDrawn();
    void englishPdfTextIsSearchable();
    void radicalRepairChangesOnlyTheTextMap();
    void acX11_siteUserExportsOnlyTheirSiteAndIsRecorded();
    void commandLineRefusesAFileFormatWithoutOutput();

private:
    QString financeMayPdfText(const QString& language);

    QTemporaryDir m_dir;
    QString m_fixture; // F1/F2 loaded, closed
    QString m_demo;    // riskdesk demo --board-scale 1
    std::unique_ptr<test::TestWorkspace> m_fixtureWs;
};

void BoardExportTest::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_fixtureWs = std::make_unique<test::TestWorkspace>(3);
    {
        QSqlQuery q(m_fixtureWs->db());
        QVERIFY(q.exec(u"DELETE FROM bd_site_settings"_s)); // only the fixture's site
    }
    const auto loaded = BoardWorkspaceLoad::load(m_fixtureWs->db(), u"acme"_s, kFixture);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    m_fixture = m_fixtureWs->path();
    m_fixtureWs->workspace().close();

    m_demo = m_dir.filePath(u"demo.riskdesk"_s);
    const Run demo = runCli({u"demo"_s, u"--workspace"_s, m_demo, u"--exceptions"_s, u"20"_s, u"--anchor"_s,
                             u"2026-06-02T04:00:00Z"_s, u"--board-scale"_s, u"1"_s});
    QVERIFY2(demo.exitCode == 0, qPrintable(demo.err));
}

void BoardExportTest::fileNamesFollowTheSpec() {
    const QDateTime at(QDate(2026, 6, 1), QTime(10, 30), QTimeZone("Asia/Shanghai"));
    QCOMPARE(BoardExportName::fileName(BoardKind::Coach, u"S1"_s, {2026, 5, 1}, {2026, 5, 31}, at, u"csv"_s),
             u"coach-board_S1_2026-05-01_2026-05-31_20260601T1030.csv"_s);
    // A site id is data: it never becomes a path.
    QCOMPARE(
        BoardExportName::fileName(BoardKind::Finance, u"../x/y"_s, {2026, 5, 1}, {2026, 5, 31}, at, u"pdf"_s),
        u"finance-board_---x-y_2026-05-01_2026-05-31_20260601T1030.pdf"_s);
    QCOMPARE(BoardExportName::fileName(BoardKind::RiskOps, {}, {2026, 5, 1}, {2026, 5, 7}, at, u"xlsx"_s),
             u"riskops-board_all_2026-05-01_2026-05-07_20260601T1030.xlsx"_s);
    QCOMPARE(BoardExportName::fileName(BoardKind::Finance, u"S1"_s, {2026, 5, 1}, {2026, 5, 31}, at, u"csv"_s,
                                       u"trend"_s),
             u"finance-board-trend_S1_2026-05-01_2026-05-31_20260601T1030.csv"_s);

    // A name typed in a save dialog without an extension gets the format's (helper-71: "报告 zh" was a PDF
    // that opened in nothing); one with an extension is kept as typed.
    QCOMPARE(BoardExportName::withExtension(u"/tmp/x/报告 zh"_s, u"pdf"_s), u"/tmp/x/报告 zh.pdf"_s);
    QCOMPARE(BoardExportName::withExtension(u"/tmp/x.y/board.xlsx"_s, u"xlsx"_s), u"/tmp/x.y/board.xlsx"_s);

    // A section's CSV written into a folder, with no period asked for: the name has the board's default
    // period as it resolved it (this month to --today, not today alone) and the section, so two sections
    // written the same minute are two files.
    QTemporaryDir dir;
    for (const QString& section : {u"overview"_s, u"trend"_s}) {
        const Run r = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--tenant"_s, u"acme"_s,
                              u"--site"_s, u"S1"_s, u"--today"_s, u"2026-05-20"_s, u"--section"_s, section,
                              u"--format"_s, u"csv"_s, u"--output"_s, dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    const QStringList names = QDir(dir.path()).entryList(QDir::Files, QDir::Name);
    QCOMPARE(names.size(), 2);
    // No period asked: the last whole month, the period the window opens the finance board on (helper-84:
    // the command line answered this month, other figures for the same words).
    QVERIFY2(names[0].startsWith(u"finance-board-overview_S1_2026-04-01_2026-04-30_"_s),
             qPrintable(names[0]));
    QVERIFY2(names[1].startsWith(u"finance-board-trend_S1_2026-04-01_2026-04-30_"_s), qPrintable(names[1]));
}

void BoardExportTest::sheetNamesAreValidAndUnique() {
    QSet<QString> used;
    const QString a =
        BoardXlsxExport::sheetName(u"Revenue: [gross]/net*?\\ by category, month to date"_s, used);
    QVERIFY(a.size() <= 31);
    for (const QChar ch : u"[]:*?/\\"_s)
        QVERIFY2(!a.contains(ch), qPrintable(a));
    const QString b =
        BoardXlsxExport::sheetName(u"Revenue: [gross]/net*?\\ by category, month to date"_s, used);
    QVERIFY(b != a);
    QVERIFY(b.size() <= 31);
    // Cut at a word's end, and said so.
    QCOMPARE(a, u"Revenue_ _gross__net___ by…"_s);
    QCOMPARE(b, u"Revenue_ _gross__net___ by… (2)"_s);
    // Unique regardless of case, as Excel compares them.
    QCOMPARE(BoardXlsxExport::sheetName(u"REVENUE: [GROSS]/NET*?\\ BY CATEGORY"_s, used),
             u"REVENUE_ _GROSS__NET___ BY… (3)"_s);
    QCOMPARE(BoardXlsxExport::sheetName(u"Trend of accrued revenue, cash inflow and outflow"_s, used),
             u"Trend of accrued revenue, cash…"_s);
    QCOMPARE(BoardXlsxExport::sheetName(u"'quoted'"_s, used), u"quoted"_s);
    QCOMPARE(BoardXlsxExport::sheetName(u"History"_s, used), u"Sheet"_s);
    QCOMPARE(BoardXlsxExport::sheetName(u""_s, used), u"Sheet (2)"_s);
    // 31 characters, not 31 UTF-16 units, and never half an emoji.
    const QString cjk = BoardXlsxExport::sheetName(QString(40, QChar(0x4E2D)), used);
    QCOMPARE(cjk.size(), 31);
    const QString emoji = BoardXlsxExport::sheetName(QString(20, QChar(u'a')) + u"😊😊😊😊😊😊😊😊😊😊😊😊"_s, used);
    QCOMPARE(emoji.toUcs4().size(), 31);
    QVERIFY(!emoji.back().isHighSurrogate());
}

void BoardExportTest::acS13_csvIsRawWithBomAndEveryRow() {
    const QStringList base{u"board"_s,    u"coach"_s,   u"--workspace"_s, m_fixture,
                           u"--tenant"_s, u"acme"_s,    u"--site"_s,      u"S1"_s,
                           u"--month"_s,  u"2026-05"_s, u"--today"_s,     u"2026-06-02"_s};
    const Run json = runCli(base + QStringList{u"--format"_s, u"json"_s, u"--page-size"_s, u"0"_s});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonObject section =
        QJsonDocument::fromJson(json.out).object().value(u"sections"_s).toArray()[0].toObject();
    const int total = section.value(u"total"_s).toInt();
    QVERIFY(total > 2);
    const QString path = m_dir.filePath(u"coach.csv"_s);
    // The page on screen is 2 rows: the export still holds every row.
    const Run csv = runCli(base + QStringList{u"--format"_s, u"csv"_s, u"--page-size"_s, u"2"_s, u"--lang"_s,
                                              u"zh_CN"_s, u"--output"_s, path});
    QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
    const QString text = QString::fromUtf8(bytes.mid(3));
    QVERIFY(text.endsWith(u"\r\n"_s));
    const QStringList lines = text.split(u"\r\n"_s, Qt::SkipEmptyParts);
    // Header, every row, the totals row.
    QCOMPARE(lines.size(), 1 + total + (section.contains(u"totals"_s) ? 1 : 0));
    // The header in the UI language: the labels the Chinese screen shows.
    const Run zh = runCli(base + QStringList{u"--format"_s, u"json"_s, u"--lang"_s, u"zh_CN"_s});
    QStringList labels;
    for (const QJsonValue& c : QJsonDocument::fromJson(zh.out)
                                   .object()
                                   .value(u"sections"_s)
                                   .toArray()[0]
                                   .toObject()
                                   .value(u"columns"_s)
                                   .toArray())
        labels << c.toObject().value(u"label"_s).toString();
    QCOMPARE(lines.first(), labels.join(u','));
    QVERIFY(labels.join(QString()).contains(QRegularExpression(u"[\\x{4e00}-\\x{9fff}]"_s)));
    // Raw values: 440.00, no currency sign, no thousands separators.
    QVERIFY(text.contains(u",440.00,"_s));
    QVERIFY(!text.contains(u"¥"_s));

    // A drill-down's times are ISO in the site's zone, never epoch numbers.
    const QString coach =
        section.value(u"rows"_s).toArray()[0].toObject().value(u"id"_s).toVariant().toString();
    const Run drill =
        runCli(base + QStringList{u"--drill"_s, u"items_sum:"_s + coach, u"--format"_s, u"csv"_s});
    QVERIFY2(drill.exitCode == 0, qPrintable(drill.err));
    QVERIFY2(QRegularExpression(u"2026-05-\\d\\d \\d\\d:\\d\\d(:\\d\\d)?"_s)
                 .match(QString::fromUtf8(drill.out))
                 .hasMatch(),
             drill.out.constData());
    QVERIFY(!QRegularExpression(u"\\b17\\d{11}\\b"_s).match(QString::fromUtf8(drill.out)).hasMatch());

    Workspace ws(riskdesk::test::settings());
    QVERIFY(ws.openExisting(m_fixture, u"tst_boardexport"_s));
    QCOMPARE(scalar(ws.db(),
                    u"SELECT row_count FROM board_exports WHERE format = 'csv' AND path LIKE '%coach.csv'"_s),
             QString::number(total));
    QCOMPARE(scalar(ws.db(),
                    u"SELECT section || '|' || board || '|' || site_id FROM board_exports WHERE path LIKE "
                    "'%coach.csv'"_s),
             u"coaches|coach-board|S1"_s);
}

// A change in percentage points is a number, its unit in the cell's format, as a % change is (helper-86:
// "−50.0 pp" was text, which a sheet can neither sort nor add up); the unit follows the language.
void BoardExportTest::changesInPointsAreNumbers() {
    const QString demo = m_dir.filePath(u"points-demo.riskdesk"_s); // a copy: its exports are recorded in it
    QVERIFY(QFile::copy(m_demo, demo));
    for (const QString& lang : {u"en"_s, u"zh_CN"_s}) {
        const QString path = m_dir.filePath(u"riskops-points-%1.xlsx"_s.arg(lang));
        const Run x = runCli({u"board"_s, u"riskops"_s, u"--workspace"_s, demo, u"--tenant"_s, u"acme"_s,
                              u"--now"_s, u"2026-06-02T04:00:00Z"_s, u"--lang"_s, lang, u"--format"_s,
                              u"xlsx"_s, u"--output"_s, path});
        QVERIFY2(x.exitCode == 0, qPrintable(x.err));
        const QString unit = lang == u"en"_s ? u" pp"_s : u" 个百分点"_s;
        const QString code = u"+0.0&quot;%1&quot;;-0.0&quot;%1&quot;;0.0&quot;%1&quot;"_s.arg(unit);
        const QList<int> points = stylesWithFormat(zipPart(path, u"xl/styles.xml"_s), code);
        QVERIFY2(!points.isEmpty(),
                 qPrintable(QString::fromUtf8(zipPart(path, u"xl/styles.xml"_s)).left(3000)));
        QStringList values;
        for (const XlsxCell& c : cellsOf(zipPart(path, u"xl/worksheets/sheet1.xml"_s))) {
            QVERIFY2(!c.value.contains(unit + u"<"_s), qPrintable(c.ref + u' ' + c.value)); // no text change
            if (points.contains(c.style)) {
                QVERIFY2(c.type.isEmpty(), qPrintable(c.ref + u' ' + c.type));
                values << c.value;
            }
        }
        QVERIFY2(values.contains(u"<v>-50</v>"_s),
                 qPrintable(values.join(u' '))); // the rule hit rate's −50.0
    }
}

void BoardExportTest::acS14_xlsxHasASheetPerSectionWithTypedMoney() {
    const QStringList base{u"board"_s, u"finance"_s,    u"--workspace"_s, m_fixture,      u"--tenant"_s,
                           u"acme"_s,  u"--site"_s,     u"S1"_s,          u"--from"_s,    u"2026-05-01"_s,
                           u"--to"_s,  u"2026-05-31"_s, u"--today"_s,     u"2026-06-02"_s};
    const Run json = runCli(base + QStringList{u"--format"_s, u"json"_s});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    QStringList titles;
    for (const QJsonValue& s : QJsonDocument::fromJson(json.out).object().value(u"sections"_s).toArray())
        titles << s.toObject().value(u"title"_s).toString();
    QVERIFY(titles.size() >= 5);

    const QString path = m_dir.filePath(u"finance.xlsx"_s);
    const Run x = runCli(base + QStringList{u"--format"_s, u"xlsx"_s, u"--output"_s, path});
    QVERIFY2(x.exitCode == 0, qPrintable(x.err));
    const QStringList names = sheetNames(zipPart(path, u"xl/workbook.xml"_s));
    QSet<QString> used;
    QStringList expected{BoardXlsxExport::sheetName(u"Key figures"_s, used)};
    for (const QString& t : titles)
        expected << BoardXlsxExport::sheetName(t, used);
    expected << u"Filters"_s << u"Notes"_s;
    QCOMPARE(names, expected);
    // Every sheet is named after what it holds: none needed a " (2)" to tell it from another.
    for (const QString& name : names)
        QVERIFY2(!name.endsWith(u" (2)"_s), qPrintable(name));

    // Money cells are numbers (no type attribute) styled ¥#,##0.00; K1 and the revenue totals are there.
    const QList<int> money = stylesWithFormat(zipPart(path, u"xl/styles.xml"_s), u"¥#,##0.00"_s);
    QVERIFY(!money.isEmpty());
    const auto moneyValues = [&](int sheetIndex) {
        QStringList values;
        for (const XlsxCell& c : cellsOf(zipPart(path, u"xl/worksheets/sheet%1.xml"_s.arg(sheetIndex))))
            if (money.contains(c.style)) {
                if (!c.type.isEmpty())
                    qFatal("money cell %s has type %s", qPrintable(c.ref), qPrintable(c.type));
                values << c.value;
            }
        return values;
    };
    const QStringList overview = moneyValues(1);
    QVERIFY2(overview.contains(u"<v>6770</v>"_s), qPrintable(overview.join(u' '))); // K1 = ¥6,770.00
    // Sheets are numbered from 1: the overview, then the sections in order.
    int revenue = 0;
    const QJsonArray sections = QJsonDocument::fromJson(json.out).object().value(u"sections"_s).toArray();
    for (int i = 0; i < sections.size(); ++i)
        if (sections[i].toObject().value(u"key"_s).toString() == u"revenue"_s)
            revenue = i + 2;
    QVERIFY(revenue > 0);
    const QStringList revenueMoney = moneyValues(revenue);
    QVERIFY2(revenueMoney.contains(u"<v>7100</v>"_s), qPrintable(revenueMoney.join(u' '))); // gross total
    // Percentages are numbers with a % format.
    const QList<int> percent = stylesWithFormat(zipPart(path, u"xl/styles.xml"_s), u"0.0%"_s);
    bool sharePercent = false;
    for (const XlsxCell& c : cellsOf(zipPart(path, u"xl/worksheets/sheet%1.xml"_s.arg(revenue))))
        sharePercent = sharePercent || (percent.contains(c.style) && c.value == u"<v>0.694</v>"_s);
    QVERIFY(sharePercent); // 69.4%
    // The filters sheet names the site, the period, the user and the export time; the notes sheet the
    // warnings.
    const QString filters =
        QString::fromUtf8(zipPart(path, u"xl/worksheets/sheet%1.xml"_s.arg(names.size() - 1)));
    for (const QString& s : {u"S1"_s, u"2026-05-01 ~ 2026-05-31"_s, u"2026-04-01 ~ 2026-04-30"_s,
                             u"workspace owner"_s, u"Export time"_s, u"Data loaded through"_s})
        QVERIFY2(filters.contains(s), qPrintable(s));
    const QString notes = QString::fromUtf8(zipPart(path, u"xl/worksheets/sheet%1.xml"_s.arg(names.size())));
    QVERIFY(notes.contains(u"Section"_s));

    Workspace ws(riskdesk::test::settings());
    QVERIFY(ws.openExisting(m_fixture, u"tst_boardexport"_s));
    QCOMPARE(scalar(ws.db(),
                    u"SELECT board || '|' || format || '|' || section FROM board_exports WHERE path LIKE "
                    "'%finance.xlsx'"_s),
             u"finance-board|xlsx|"_s);
}

// A section with no rows to give (a day not loaded yet) says why under its header, on its own sheet, not only
// on the notes sheet: a bare header reads as a section without business.
void BoardExportTest::aSheetWithoutRowsSaysWhy() {
    const QString path = m_dir.filePath(u"unloaded.xlsx"_s);
    const Run x = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--tenant"_s, u"acme"_s,
                          u"--site"_s, u"S1"_s, u"--from"_s, u"2026-06-02"_s, u"--to"_s, u"2026-06-02"_s,
                          u"--today"_s, u"2026-06-02"_s, u"--format"_s, u"xlsx"_s, u"--output"_s, path});
    QVERIFY2(x.exitCode == 0, qPrintable(x.err));
    const QStringList names = sheetNames(zipPart(path, u"xl/workbook.xml"_s));
    const int revenue = int(names.indexOf(u"Accrued revenue structure"_s)) + 1;
    QVERIFY2(revenue > 0, qPrintable(names.join(u", "_s)));
    const QString sheet = QString::fromUtf8(zipPart(path, u"xl/worksheets/sheet%1.xml"_s.arg(revenue)));
    QVERIFY2(sheet.contains(u"No data: not loaded yet (data are loaded through 2026-06-01)"_s),
             qPrintable(sheet));
    // Under the header, in the first column, and nothing else: no total of zeros.
    QVERIFY(sheet.contains(u"r=\"A2\""_s));
    QVERIFY(!sheet.contains(u"r=\"A3\""_s));

    // The customer board's eight tabs are a report each: a badge they share (D4 and D5 measure the same
    // period, whose last day is not loaded) is one line of the notes sheet, not one per tab; the 60-day
    // window's own badge is another, and the one on the 60-day spend column of D2 and D7 a third.
    const QString customer = m_dir.filePath(u"customer-unloaded.xlsx"_s);
    const Run c =
        runCli({u"board"_s, u"customer"_s, u"--workspace"_s, m_fixture, u"--tenant"_s, u"acme"_s, u"--site"_s,
                u"S1"_s, u"--today"_s, u"2026-06-02"_s, u"--format"_s, u"xlsx"_s, u"--output"_s, customer});
    QVERIFY2(c.exitCode == 0, qPrintable(c.err));
    const QStringList sheets = sheetNames(zipPart(customer, u"xl/workbook.xml"_s));
    const QString notes =
        QString::fromUtf8(zipPart(customer, u"xl/worksheets/sheet%1.xml"_s.arg(sheets.size())));
    QCOMPARE(notes.count(u"Data are loaded through 2026-06-01"_s), 3);
    QCOMPARE(notes.count(u"(2026-02-03 ~ 2026-04-02)"_s), 1);                      // the window's badge
    QCOMPARE(notes.count(u"(60 days)” covers 2026-04-04 ~ 2026-06-01 only"_s), 1); // D2's and D7's
    // Each names the tabs it applies to, not just "Customer board" (listed as the child's locale, the
    // system's, lists them: "Recharge, Recent visit" in C, "Recharge and Recent visit" in en_US).
    const QLocale system = QLocale::system();
    for (const QString& tabs :
         {system.createSeparatedList({u"Recharge"_s, u"Recent visit"_s}), u"60-day spend"_s,
          system.createSeparatedList({u"Potential"_s, u"60-day frequency"_s})})
        QVERIFY2(notes.contains(u"<t>%1</t>"_s.arg(tabs)), qPrintable(tabs));
    QVERIFY(!notes.contains(u"<t>Customer board</t>"_s));
    QCOMPARE(notes.count(u"(2026-04-04 ~ 2026-05-02)"_s), 1); // the period's, once for D4 and D5
}

// The customer board's workbook holds its figures as numbers a spreadsheet can add up: visits per week (one
// decimal), visits, money and days, row for row the figures of the board's own JSON.
void BoardExportTest::customerXlsxHoldsNumbersNotText() {
    QTemporaryDir dir;
    const QString demo = dir.filePath(u"demo.riskdesk"_s); // a copy: the other tests count recorded exports
    QVERIFY(QFile::copy(m_demo, demo));
    const QStringList base{u"board"_s, u"customer"_s, u"--workspace"_s, demo,         u"--tenant"_s,
                           u"acme"_s,  u"--site"_s,   u"S1"_s,          u"--today"_s, u"2026-06-02"_s};
    const QString path = dir.filePath(u"customer.xlsx"_s);
    const Run x = runCli(base + QStringList{u"--format"_s, u"xlsx"_s, u"--output"_s, path});
    QVERIFY2(x.exitCode == 0, qPrintable(x.err));
    const Run json = runCli(base + QStringList{u"--dimension"_s, u"freq60"_s, u"--page-size"_s, u"0"_s,
                                               u"--format"_s, u"json"_s});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonObject section =
        QJsonDocument::fromJson(json.out).object().value(u"sections"_s).toArray().first().toObject();
    QStringList keys;
    for (const QJsonValue& c : section.value(u"columns"_s).toArray())
        keys << c.toObject().value(u"key"_s).toString();
    QCOMPARE(keys.mid(0, 4), (QStringList{u"member"_s, u"phone"_s, u"visits60d"_s, u"weeklyVisits"_s}));
    const QJsonArray rows = section.value(u"rows"_s).toArray();
    QVERIFY(rows.size() > 10);

    const QStringList sheets = sheetNames(zipPart(path, u"xl/workbook.xml"_s));
    const int freq60 = int(sheets.indexOf(u"60-day frequency"_s)) + 1;
    QVERIFY(freq60 > 0);
    QHash<QString, XlsxCell> byRef;
    for (const XlsxCell& c : cellsOf(zipPart(path, u"xl/worksheets/sheet%1.xml"_s.arg(freq60))))
        byRef.insert(c.ref, c);
    QVERIFY(byRef.value(u"D1"_s).value.contains(u"Visits per week"_s));
    for (int i = 0; i < rows.size(); ++i) {
        const QJsonObject row = rows[i].toObject();
        const QString line = QString::number(i + 2);
        for (const auto& [column, key] :
             {std::pair{u"C"_s, u"visits60d"_s}, std::pair{u"D"_s, u"weeklyVisits"_s}}) {
            const XlsxCell cell = byRef.value(column + line);
            const QJsonObject figure = row.value(key).toObject();
            QVERIFY2(cell.type.isEmpty(), qPrintable(u"%1%2 is of type %3"_s.arg(column, line, cell.type)));
            if (figure.value(u"state"_s).toString() == u"no_data"_s) {
                QVERIFY2(cell.value.isEmpty(), qPrintable(column + line));
                continue;
            }
            static const QRegularExpression number(u"^<v>(-?[0-9.]+)</v>$"_s);
            const auto m = number.match(cell.value);
            QVERIFY2(m.hasMatch(), qPrintable(u"%1%2: %3"_s.arg(column, line, cell.value)));
            QCOMPARE(m.captured(1).toDouble(), figure.value(u"value"_s).toDouble());
        }
    }
}

// A write that fails part way (here the child may write no file over 64 KB, as a full disk would stop it)
// fails with the cause named and exit code 1 (not a usage error), and leaves nothing: no cut-off file under
// the name asked for, no partial file beside it, and an earlier file of that name untouched. A pipe or a
// device is never taken for a file to replace.
// The window asks for the charts' own sections (BOARD-2's visits heat map); each of the eight tabs then
// carried it, and the window's workbook had eight identical heat-map sheets, one between each two tabs, where
// the command line's had none (helper-91). Both now hold it once, after the last tab.
void BoardExportTest::theWindowsWorkbookIsTheCommandLines() {
    QTemporaryDir dir;
    const QString demo = dir.filePath(u"demo.riskdesk"_s); // a copy: the other tests count recorded exports
    QVERIFY(QFile::copy(m_demo, demo));
    const QString cli = dir.filePath(u"cli.xlsx"_s);
    const Run x = runCli({u"board"_s, u"customer"_s, u"--workspace"_s, demo, u"--tenant"_s, u"acme"_s,
                          u"--site"_s, u"S1"_s, u"--today"_s, u"2026-06-02"_s, u"--dimension"_s, u"recent"_s,
                          u"--format"_s, u"xlsx"_s, u"--output"_s, cli});
    QVERIFY2(x.exitCode == 0, qPrintable(x.err));
    const QString window = dir.filePath(u"window.xlsx"_s);
    {
        Workspace ws(riskdesk::test::settings());
        QVERIFY(ws.openExisting(demo, u"tst_boardexport"_s));
        const auto scope = BoardScope::open(ws.db(), u"acme"_s);
        QVERIFY(scope);
        BoardRequest request = englishS1Request(QDate(2026, 6, 2));
        request.dimension = u"recent"_s;
        request.pageSize = 20;
        request.chartSections = true; // as BoardsPage asks
        const auto written = BoardExportWriter::writeBoard(
            ws.db(), BoardKind::Customer, scope.value(), request, u"xlsx"_s, window,
            QDateTime::currentDateTimeUtc(), TrendColors::defaultFor(QLocale::c()));
        QVERIFY2(written, written ? "" : qPrintable(written.problem().message));
    }
    const QStringList sheets = sheetNames(zipPart(window, u"xl/workbook.xml"_s));
    QCOMPARE(sheetNames(zipPart(cli, u"xl/workbook.xml"_s)), sheets);
    QCOMPARE(sheets.count(u"Visits by weekday and hour"_s), 1);
    const qsizetype heat = sheets.indexOf(u"Visits by weekday and hour"_s);
    QCOMPARE(sheets.at(heat - 1), u"Loyalty"_s); // the last tab
    // Its grid is the visits of the 60-day window: seven weekdays under a header, and a totals row.
    const QString grid = QString::fromUtf8(zipPart(window, u"xl/worksheets/sheet%1.xml"_s.arg(heat + 1)));
    QVERIFY2(grid.contains(u"r=\"A8\""_s) && grid.contains(u"<t>Sun</t>"_s), qPrintable(grid.left(2000)));
    QCOMPARE(zipPart(cli, u"xl/worksheets/sheet%1.xml"_s.arg(heat + 1)), grid.toUtf8());
}

void BoardExportTest::aFailedWriteLeavesNothingAndSaysWhy() {
    QTemporaryDir dir;
    // A copy: the other tests count the demo's recorded exports.
    const QString demo = dir.filePath(u"demo.riskdesk"_s);
    QVERIFY(QFile::copy(m_demo, demo));
    for (const QString& format : {u"csv"_s, u"xlsx"_s, u"pdf"_s}) {
        const QString path = dir.filePath(u"customer."_s + format);
        {
            QFile earlier(path);
            QVERIFY(earlier.open(QIODevice::WriteOnly) && earlier.write("earlier") == 7);
        }
        QProcess p;
        p.setChildProcessModifier([] {
            std::signal(SIGXFSZ, SIG_IGN); // a write past the limit then fails with EFBIG
            const rlimit limit{64 * 1024, 64 * 1024};
            setrlimit(RLIMIT_FSIZE, &limit);
        });
        p.start(QStringLiteral(RISKDESK_BINARY),
                {u"board"_s, u"customer"_s, u"--workspace"_s, demo, u"--tenant"_s, u"acme"_s, u"--site"_s,
                 u"S1"_s, u"--today"_s, u"2026-06-02"_s, u"--page-size"_s, u"0"_s, u"--format"_s, format,
                 u"--output"_s, path});
        QVERIFY(p.waitForFinished(180000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 1);
        // Riskdesk's own line names the file asked for; libxlsxwriter prints lines of its own before it,
        // which cannot be turned off.
        const QString last = err.trimmed().split(u'\n').last();
        QCOMPARE(last, u"riskdesk: Could not write %1: File too large"_s.arg(path));
        QFile earlier(path);
        QVERIFY(earlier.open(QIODevice::ReadOnly));
        QCOMPARE(earlier.readAll(), QByteArray("earlier"));
        const QStringList left =
            QDir(dir.path()).entryList({u"customer*"_s, u".riskdesk-export*"_s}, QDir::Files | QDir::Hidden);
        QCOMPARE(left, QStringList{u"customer."_s + format});
        QVERIFY(QFile::remove(path));
    }
    // None of the failed exports is recorded as made. Then the other way round: an export that cannot be
    // recorded (a trigger refuses the record) is not kept.
    {
        Workspace ws(riskdesk::test::settings());
        QVERIFY(ws.openExisting(demo, u"tst_boardexport"_s));
        QCOMPARE(scalar(ws.db(), u"SELECT COUNT(*) FROM board_exports WHERE path LIKE '%customer.%'"_s),
                 u"0"_s);
        QSqlQuery q(ws.db());
        QVERIFY2(q.exec(u"CREATE TRIGGER refuse_exports BEFORE INSERT ON board_exports "
                        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"_s),
                 qPrintable(q.lastError().text()));
    }
    for (const QString& format : {u"csv"_s, u"xlsx"_s, u"pdf"_s}) {
        const QString path = dir.filePath(u"unrecorded."_s + format);
        const Run r = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, demo, u"--site"_s, u"S1"_s,
                              u"--format"_s, format, u"--output"_s, path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"could not be recorded"_s) && r.err.contains(u"refused by the test"_s),
                 qPrintable(r.err));
        QVERIFY2(!QFileInfo::exists(path), qPrintable(path));
    }
    const QString pipe = dir.filePath(u"pipe"_s);
    QCOMPARE(mkfifo(QFile::encodeName(pipe).constData(), 0600), 0);
    for (const QString& format : {u"csv"_s, u"xlsx"_s, u"pdf"_s}) {
        const Run r = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s,
                              u"--format"_s, format, u"--output"_s, pipe});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"%1 is not a regular file"_s.arg(pipe)), qPrintable(r.err));
        QVERIFY(QFileInfo(pipe).exists() && !QFileInfo(pipe).isFile());
    }
    // A folder that takes no new file (/proc: not even root makes one there) is answered in Riskdesk's words
    // alone, before the board is computed: libxlsxwriter's own "[ERROR]" line used to come first.
    for (const QString& format : {u"csv"_s, u"xlsx"_s, u"pdf"_s}) {
        const QString path = u"/proc/riskdesk-board."_s + format;
        const Run r = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s,
                              u"--format"_s, format, u"--output"_s, path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(!r.err.contains(u"[ERROR]"_s), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().split(u'\n').last(),
                 u"riskdesk: Could not write %1: No such file or directory"_s.arg(path));
    }
}

// The fixture's data are loaded through 2026-06-01. A period running two days past it says so on the finance
// and coach boards, since every change then compares two empty days with two full ones; a loaded one does
// not.
void BoardExportTest::aPeriodPastTheLoadedDataIsFlagged() {
    const auto badges = [&](const QString& board, const QString& from, const QString& to) {
        QStringList args{u"board"_s,  board,   u"--workspace"_s, m_fixture, u"--tenant"_s, u"acme"_s,
                         u"--site"_s, u"S1"_s, u"--today"_s,     to,        u"--format"_s, u"json"_s};
        if (board == u"coach"_s)
            args << u"--month"_s << from.left(7);
        else
            args << u"--from"_s << from << u"--to"_s << to;
        const Run r = runCli(args);
        if (r.exitCode != 0)
            return QStringList{u"exit code %1: %2"_s.arg(r.exitCode).arg(r.err)};
        QStringList out;
        for (const QJsonValue& b : QJsonDocument::fromJson(r.out).object().value(u"badges"_s).toArray())
            out << b.toString();
        return out;
    };
    const QString lag =
        u"Data are loaded through 2026-06-01: the last 2 days of this period have no data yet, "
        "so its changes compare the days loaded with as many days of the previous period (%1)."_s;
    const QStringList late = badges(u"finance"_s, u"2026-05-04"_s, u"2026-06-03"_s);
    // 29 of the 31 days are loaded: compared with the first 29 of the 31 days before.
    QVERIFY2(late.contains(lag.arg(u"2026-04-03 ~ 2026-05-01"_s)), qPrintable(late.join(u'|')));
    const QStringList coachLate = badges(u"coach"_s, u"2026-06-01"_s, u"2026-06-03"_s);
    QVERIFY2(coachLate.contains(lag.arg(u"2026-05-01 ~ 2026-05-01"_s)), qPrintable(coachLate.join(u'|')));
    const QStringList loaded = badges(u"finance"_s, u"2026-05-02"_s, u"2026-06-01"_s);
    QVERIFY2(!loaded.join(u'|').contains(u"Data are loaded through"_s), qPrintable(loaded.join(u'|')));
    QVERIFY2(!loaded.join(u'|').contains(u"exit code"_s), qPrintable(loaded.join(u'|')));
}

void BoardExportTest::acS14_xlsxInChinese() {
    const QString path = m_dir.filePath(u"finance-zh.xlsx"_s);
    const Run x = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s,
                          u"--from"_s, u"2026-05-01"_s, u"--to"_s, u"2026-05-31"_s, u"--lang"_s, u"zh_CN"_s,
                          u"--granularity"_s, u"week"_s, u"--format"_s, u"xlsx"_s, u"--output"_s, path});
    QVERIFY2(x.exitCode == 0, qPrintable(x.err));
    const QStringList names = sheetNames(zipPart(path, u"xl/workbook.xml"_s));
    QCOMPARE(names.first(), u"关键指标"_s);
    QVERIFY(names.contains(u"经营一览"_s));
    QCOMPARE(names.at(names.size() - 2), u"筛选条件"_s);
    QCOMPARE(names.last(), u"说明"_s);
    // The filters name the trend's granularity in Chinese too, not by its option value ("week").
    const QString filters =
        QString::fromUtf8(zipPart(path, u"xl/worksheets/sheet%1.xml"_s.arg(names.size() - 1)));
    QVERIFY2(filters.contains(u"趋势粒度"_s) && filters.contains(u"按周"_s), qPrintable(filters));
}

void BoardExportTest::acS15_pdfHoldsEveryDimensionWithRepeatedHeaders() {
    Workspace ws(riskdesk::test::settings());
    QVERIFY(ws.openExisting(m_demo, u"tst_boardexport"_s));
    const auto scope = BoardScope::open(ws.db(), u"acme"_s);
    QVERIFY(scope);
    BoardRequest request = englishS1Request(QDate(2026, 6, 1));
    request.dimension = u"balance"_s; // the tab on screen (D3): the export still holds all eight
    request.pageSize = 20;
    // As `board … --format pdf` prints it: each tab's first rows, not 60,000 members on 17,000 pages.
    const auto set = BoardExportSet::compute(ws.db(), BoardKind::Customer, scope.value(), request,
                                             QDateTime(QDate(2026, 6, 2), QTime(2, 30), QTimeZone::utc()),
                                             nullptr, BoardPdfExport::kRowsPerSection);
    QVERIFY2(set, set ? "" : qPrintable(set.problem().message));
    QCOMPARE(set.value().reports().size(), 8);
    // The visits heat map is the same whatever the tab: it is printed once, after the last tab, although the
    // command line's request did not ask for the charts' sections.
    QVERIFY(!request.chartSections);
    for (qsizetype i = 0; i < set.value().reports().size(); ++i)
        QCOMPARE(bool(set.value().reports().at(i).table(u"visits_heatmap"_s)), i == 7);
    const BoardTable& d6 = set.value().reports()[5].tables().first();
    QCOMPARE(d6.key(), u"spend60"_s);
    QCOMPARE(d6.rows().size(), BoardPdfExport::kRowsPerSection);
    QVERIFY2(d6.total() > 1000, qPrintable(QString::number(d6.total())));

    const QString path = m_dir.filePath(u"customer.pdf"_s);
    const auto pages = BoardPdfExport::write(path, set.value());
    QVERIFY2(pages, pages ? "" : qPrintable(pages.problem().message));
    const QStringList text = pdfPages(path);
    QCOMPARE(text.size(), pages.value());
    const QString all = text.join(u'\n');
    for (const BoardReport& r : set.value().reports())
        QVERIFY2(all.contains(r.tables().first().title()), qPrintable(r.tables().first().title()));
    // Every page has the header: board, site, period.
    for (const QString& page : text) {
        QVERIFY(page.contains(set.value().title()));
        QVERIFY(page.contains(u"Site: S1"_s));
        QVERIFY(page.contains(u"Data loaded through"_s));
    }
    // D6 spans pages, and each page it continues on repeats its header row.
    // D6 is wider than the page, so it is printed in bands of columns, each repeating the member's column.
    int d6Pages = 0;
    for (const QString& page : text) {
        if (!page.contains(d6.title() + u" (columns "_s) || !page.contains(u") (continued)"_s))
            continue;
        ++d6Pages;
        QVERIFY2(page.contains(d6.columns()[0].label), qPrintable(d6.columns()[0].label));
    }
    QVERIFY2(d6Pages >= 10, qPrintable(QString::number(d6Pages)));
    // The page says that it lists the first rows only, and how many there are in all ("first" is printed
    // with an fi ligature, which the text extraction keeps).
    QVERIFY2(all.contains(u" 200 of %1 rows, in the section's order"_s.arg(
                 QLocale(QLocale::English).toString(d6.total()))),
             qPrintable(all.left(2000)));
    // Phones stay masked on paper too.
    QVERIFY(!QRegularExpression(u"\\b1[3-9]\\d{9}\\b"_s).match(all).hasMatch());
}

void BoardExportTest::pdfDrawsTheFiguresItIsGiven() {
    Workspace ws(riskdesk::test::settings());
    QVERIFY(ws.openExisting(m_fixture, u"tst_boardexport"_s));
    const auto scope = BoardScope::open(ws.db(), u"acme"_s);
    QVERIFY(scope);
    BoardRequest request = englishS1Request(QDate(2026, 6, 2));
    request.period = BoardPeriod::custom({2026, 5, 1}, {2026, 5, 31}).value();
    const auto set = BoardExportSet::compute(ws.db(), BoardKind::Finance, scope.value(), request,
                                             QDateTime::currentDateTimeUtc());
    QVERIFY(set);
    BoardPdfExport::Options options;
    int asked = 0;
    options.figures = [&asked](const BoardReport&, const BoardTable& table) {
        ++asked;
        BoardFigure figure;
        figure.caption = u"Figure of "_s + table.key();
        figure.size = QSizeF(400, 120);
        figure.paint = [key = table.key()](QPainter& p, const QRectF& area) {
            p.drawRect(area);
            p.drawText(area, Qt::AlignCenter, u"CHART-"_s + key);
        };
        return QList<BoardFigure>{figure};
    };
    const QString path = m_dir.filePath(u"finance.pdf"_s);
    const auto pages = BoardPdfExport::write(path, set.value(), options);
    QVERIFY(pages);
    int sections = 0;
    for (const BoardReport& r : set.value().reports())
        sections += int(r.tables().size());
    QVERIFY(asked > 0 && asked <= sections);
    const QString all = pdfPages(path).join(u'\n');
    QVERIFY(all.contains(u"CHART-revenue"_s));
    QVERIFY(all.contains(u"Figure of revenue"_s));
}

QString BoardExportTest::financeMayPdfText(const QString& language) {
    // The fixture's finance board of May at S1, written as a PDF by the command line; its text, page by page.
    const QString path = m_dir.filePath(u"finance-%1.pdf"_s.arg(language));
    const Run pdf =
        runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s, u"--today"_s,
                u"2026-06-02"_s, u"--from"_s, u"2026-05-01"_s, u"--to"_s, u"2026-05-31"_s, u"--lang"_s,
                language, u"--format"_s, u"pdf"_s, u"--output"_s, path});
    if (pdf.exitCode != 0)
        return u"(the export failed: "_s + pdf.err + u')';
    return pdfPages(path).join(u'\n');
}

void BoardExportTest::chinesePdfTextReadsAsDrawn() {
    // Copied or searched, a Chinese PDF read "⻔店" and "数据截⾄": radicals that Noto Sans CJK draws with
    // the ideographs' glyphs and that Qt's text map picked because their code points are lower.
    const QString all = financeMayPdfText(u"zh_CN"_s);
    for (const QString& word : {u"门店"_s, u"数据截至"_s, u"用户"_s, u"导出时间"_s, u"应计收入"_s})
        QVERIFY2(all.contains(word), qPrintable(word + u" in "_s + all.left(400)));
    // A chart's title is printed once, by the chart (a caption above it printed it a second time).
    QCOMPARE(all.count(u"应计收入：本期与上期对比"_s), 1);
    for (const QChar c : all)
        QVERIFY2(c.unicode() < 0x2E80 || c.unicode() > 0x2FDF,
                 qPrintable(u"U+%1 in the text"_s.arg(c.unicode(), 4, 16, QChar(u'0'))));
}

void BoardExportTest::englishPdfTextIsSearchable() {
    // Found by a new user: "Cash inﬂow" was printed with an fl ligature (a search for "inflow" missed it),
    // and a chart's axis read "CN¥ . K": its digits came from the colour-emoji font's keycaps.
    const QString all = financeMayPdfText(u"en"_s);
    QVERIFY2(all.contains(u"Cash inflow"_s), qPrintable(all.left(600)));
    for (const QChar c : all)
        QVERIFY2(c.unicode() < 0xFB00 || c.unicode() > 0xFB06,
                 qPrintable(u"ligature U+%1 in the text"_s.arg(c.unicode(), 4, 16, QChar(u'0'))));
    // The trend chart's value axis: amounts with their digits.
    QVERIFY2(QRegularExpression(u"CN¥\\d+(\\.\\d+)?K"_s).match(all).hasMatch(), qPrintable(all.left(3000)));
}

void BoardExportTest::radicalRepairChangesOnlyTheTextMap() {
    QCOMPARE(PdfRadicalRepair::ideographOf(0x2ED4), char16_t(0x95E8)); // ⻔ → 门
    QCOMPARE(PdfRadicalRepair::ideographOf(0x2F84), char16_t(0x81F3)); // ⾄ → 至
    QCOMPARE(PdfRadicalRepair::ideographOf(0x2F3E),
             char16_t(0x6237)); // ⼾ → 户, as the simplified font draws it
    QCOMPARE(PdfRadicalRepair::ideographOf(0x4E00), char16_t(0));
    QCOMPARE(PdfRadicalRepair::ideographOf(0x0041), char16_t(0));
    // Object 7 is a text map: its destinations change, its glyph codes (one is 2ED4 too) and a run of
    // consecutive code points do not. Object 8 is compressed, and object 9 is not a text map: both untouched.
    const QByteArray map = "/CIDInit /ProcSet findresource begin\n3 beginbfrange\n<0000> <0000> <0000>\n"
                           "<2ED4> <2ED5> [<2ED4> <2F84> ]\n<0010> <0019> <2F00>\nendbfrange\n"
                           "1 beginbfchar\n<0020> <2F3E>\nendbfchar\nendcmap\n";
    const QByteArray other = "[<2ED4>] beginbfrange\n<0001> <0001> <2ED4>\nendbfrange\n";
    QByteArray pdf = "%PDF-1.4\n5 0 obj\n<< /Type /Font /ToUnicode 7 0 R >>\nendobj\n"
                     "6 0 obj\n<< /Type /Font /ToUnicode 8 0 R >>\nendobj\n7 0 obj\n<< /Length " +
                     QByteArray::number(map.size()) + " >>\nstream\n" + map +
                     "\nendstream\nendobj\n8 0 obj\n<< /Length 9 /Filter /FlateDecode >>\nstream\n" + other +
                     "\nendstream\nendobj\n9 0 obj\n<< /Length 9 >>\nstream\n" + other +
                     "\nendstream\nendobj\n%%EOF\n";
    const QByteArray before = pdf;
    QCOMPARE(PdfRadicalRepair::apply(pdf), 3);
    QCOMPARE(pdf.size(), before.size());
    QByteArray expected = before;
    expected.replace("<2ED4> <2ED5> [<2ED4> <2F84> ]", "<2ED4> <2ED5> [<95E8> <81F3> ]");
    expected.replace("<0020> <2F3E>", "<0020> <6237>");
    QCOMPARE(pdf, expected);
    QCOMPARE(PdfRadicalRepair::apply(pdf), 0); // nothing left to repair
}

void BoardExportTest::pdfNeverPrintsATotalsRowAloneOnAPage() {
    // The recall tab is BOARD-2's first table, one band wide. Printed with its first `rows` rows, how many of
    // them share the page of its totals row (masked phones mark the member rows; the first "Total" line of
    // the document is the recall table's).
    Workspace ws(riskdesk::test::settings());
    QVERIFY(ws.openExisting(m_demo, u"tst_boardexport"_s));
    const auto scope = BoardScope::open(ws.db(), u"acme"_s);
    QVERIFY(scope);
    const QRegularExpression memberRow(u"\\d{3}\\*{4}\\d{4}"_s);
    const QRegularExpression totalsRow(u"^\\s*Total\\s"_s);
    const auto rowsWithTheTotals = [&](int rows) -> int {
        const auto set = BoardExportSet::compute(ws.db(), BoardKind::Customer, scope.value(),
                                                 englishS1Request(QDate(2026, 6, 1)),
                                                 QDateTime::currentDateTimeUtc(), nullptr, rows);
        if (!set)
            qFatal("%s", qPrintable(set.problem().message));
        const QString path = m_dir.filePath(u"totals-%1.pdf"_s.arg(rows));
        if (!BoardPdfExport::write(path, set.value()))
            qFatal("the PDF of %d rows was not written", rows);
        for (const QString& page : pdfPages(path, PdfText::Layout)) {
            int members = 0;
            for (const QString& line : page.split(u'\n')) {
                if (totalsRow.match(line).hasMatch())
                    return members;
                if (memberRow.match(line).hasMatch())
                    ++members;
            }
        }
        qFatal("no totals row in the PDF of %d rows", rows);
    };
    // 60 rows run onto a second page. Printing as many fewer rows as share the totals' page fills the pages
    // above exactly, which put the totals row alone on a page of its own: the last row now goes with it.
    const int sharing = rowsWithTheTotals(60);
    QVERIFY2(sharing > 0 && sharing < 60, qPrintable(QString::number(sharing)));
    QCOMPARE(rowsWithTheTotals(60 - sharing), 1);
}

void BoardExportTest::pdfPrintsWideTablesWholeInBands() {
    // The coach board's table has 18 columns: squeezed into the page's width, its figures were cut
    // ("CN¥3…"). Now a table too wide is set smaller and then printed in bands of columns, each repeating
    // the coach: every figure is on paper whole.
    Workspace ws(riskdesk::test::settings());
    QVERIFY(ws.openExisting(m_demo, u"tst_boardexport"_s));
    const auto scope = BoardScope::open(ws.db(), u"acme"_s);
    QVERIFY(scope);
    BoardRequest request = englishS1Request(QDate(2026, 6, 2));
    request.period = BoardPeriod::parseMonth(u"2026-05"_s, request.today).value();
    const auto set = BoardExportSet::compute(ws.db(), BoardKind::Coach, scope.value(), request,
                                             QDateTime(QDate(2026, 6, 2), QTime(2, 30), QTimeZone::utc()));
    QVERIFY2(set, set ? "" : qPrintable(set.problem().message));
    const QString path = m_dir.filePath(u"coach-wide.pdf"_s);
    QVERIFY(BoardPdfExport::write(path, set.value()));
    const QString all = pdfPages(path).join(u'\n');
    int figures = 0, widest = 0;
    for (const BoardReport& report : set.value().reports())
        for (const BoardTable& table : report.tables()) {
            widest = std::max(widest, int(table.columns().size()));
            for (const BoardTableRow& row : table.rows())
                for (int i = 1; i < table.columns().size(); ++i) {
                    if (table.columns()[i].type == BoardTableColumn::Type::Text)
                        continue;
                    const QString shown =
                        BoardTable::cellDisplay(table.columns()[i], row.cells[i], set.value().locale());
                    if (shown.isEmpty())
                        continue;
                    ++figures;
                    QVERIFY2(all.contains(shown), qPrintable(table.title() + u": "_s + shown));
                }
        }
    QVERIFY2(widest >= 15 && figures > 100, qPrintable(u"%1 columns, %2 figures"_s.arg(widest).arg(figures)));
    QVERIFY2(!all.contains(u"…"_s), "a cell was cut");
    QVERIFY(all.contains(u"(columns 2–"_s));
}

void BoardExportTest::acX11_siteUserExportsOnlyTheirSiteAndIsRecorded() {
    // zhou.lin (finance) may open S1 only.
    {
        Workspace ws(riskdesk::test::settings());
        QVERIFY(ws.openExisting(m_demo, u"tst_boardexport"_s));
        QSqlQuery q(ws.db());
        QVERIFY(q.exec(u"DELETE FROM bd_user_sites WHERE user_id = 'zhou.lin' AND site_id <> 'S1'"_s));
        QCOMPARE(scalar(ws.db(),
                        u"SELECT COUNT(*) FROM bd_member_sites WHERE site_id = 'S2' AND tenant_member_id NOT "
                        "IN (SELECT tenant_member_id FROM bd_member_sites WHERE site_id = 'S1')"_s)
                         .toInt() > 0,
                 true);
    }
    const QStringList base{u"board"_s, u"customer"_s, u"--workspace"_s, m_demo,
                           u"--as"_s,  u"zhou.lin"_s, u"--today"_s,     u"2026-06-01"_s};
    const Run refused = runCli(base + QStringList{u"--site"_s, u"S2"_s, u"--format"_s, u"xlsx"_s,
                                                  u"--output"_s, m_dir.filePath(u"s2.xlsx"_s)});
    QVERIFY(refused.exitCode != 0);
    QVERIFY(!QFile::exists(m_dir.filePath(u"s2.xlsx"_s)));

    const QString dir = m_dir.filePath(u"exports"_s);
    QVERIFY(QDir().mkpath(dir));
    const Run x =
        runCli(base + QStringList{u"--format"_s, u"xlsx"_s, u"--output"_s, dir}); // the only site: S1
    QVERIFY2(x.exitCode == 0, qPrintable(x.err));
    const QStringList files = QDir(dir).entryList(QDir::Files);
    QCOMPARE(files.size(), 1);
    QVERIFY2(QRegularExpression(u"^customer-board_S1_\\d{4}-\\d\\d-\\d\\d_2026-06-01_\\d{8}T\\d{4}\\.xlsx$"_s)
                 .match(files.first())
                 .hasMatch(),
             qPrintable(files.first()));
    const QString path = QDir(dir).filePath(files.first());

    // Every exported member is an S1 member; phones are masked.
    Workspace ws(riskdesk::test::settings());
    QVERIFY(ws.openExisting(m_demo, u"tst_boardexport"_s));
    const auto scope = BoardScope::open(ws.db(), u"acme"_s, u"zhou.lin"_s);
    QVERIFY(scope);
    QCOMPARE(scope.value().sites(), QStringList{u"S1"_s});
    BoardRequest request = englishS1Request(QDate(2026, 6, 1));
    const auto set = BoardExportSet::compute(ws.db(), BoardKind::Customer, scope.value(), request,
                                             QDateTime::currentDateTimeUtc());
    QVERIFY(set);
    QSet<QString> s1;
    {
        QSqlQuery q(ws.db());
        QVERIFY(q.exec(
            u"SELECT tenant_member_id FROM bd_member_sites WHERE tenant_id = 'acme' AND site_id = 'S1'"_s));
        while (q.next())
            s1.insert(q.value(0).toString());
        QVERIFY(!q.lastError().isValid());
    }
    qint64 rows = 0;
    for (const BoardReport& r : set.value().reports())
        for (const BoardTable& t : r.tables())
            for (const BoardTableRow& row : t.rows()) {
                QVERIFY2(s1.contains(row.id.toString()), qPrintable(t.key() + u": "_s + row.id.toString()));
                ++rows;
            }
    QVERIFY(rows > 1000);
    QString xml;
    const int sheets = int(sheetNames(zipPart(path, u"xl/workbook.xml"_s)).size());
    QCOMPARE(sheets, 1 + 8 + 1 + 2); // key figures, the eight tabs, the visits heat map, filters and notes
    for (int i = 1; i <= sheets; ++i)
        xml += QString::fromUtf8(zipPart(path, u"xl/worksheets/sheet%1.xml"_s.arg(i)));
    QVERIFY(!QRegularExpression(u">1[3-9]\\d{9}<"_s).match(xml).hasMatch());
    QVERIFY(QRegularExpression(u">1\\d\\d\\*{4}\\d{4}<"_s).match(xml).hasMatch());
    QVERIFY(xml.contains(u"zhou.lin"_s)); // the filters sheet names the user

    QCOMPARE(scalar(ws.db(), u"SELECT COUNT(*) FROM board_exports"_s),
             u"1"_s); // the refused one is not there
    QSqlQuery q(ws.db());
    QVERIFY(
        q.exec(u"SELECT user_id, tenant_id, site_id, board, format, row_count, length(params_hash), path, "
               "created_at FROM board_exports"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), u"zhou.lin"_s);
    QCOMPARE(q.value(1).toString(), u"acme"_s);
    QCOMPARE(q.value(2).toString(), u"S1"_s);
    QCOMPARE(q.value(3).toString(), u"customer-board"_s);
    QCOMPARE(q.value(4).toString(), u"xlsx"_s);
    QCOMPARE(q.value(5).toLongLong(), rows);
    QCOMPARE(q.value(6).toInt(), 64);
    QCOMPARE(q.value(7).toString(), QFileInfo(path).absoluteFilePath());
    QVERIFY(qAbs(q.value(8).toLongLong() - QDateTime::currentMSecsSinceEpoch()) < 600000);
}

void BoardExportTest::commandLineRefusesAFileFormatWithoutOutput() {
    for (const QString& format : {u"xlsx"_s, u"pdf"_s}) {
        const Run r = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s,
                              u"--format"_s, format});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--output"_s), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }
    // A file named for another format is refused, and the file already there is left as it was (helper-71: an
    // XLSX replaced f.pdf).
    const QString keptPdf = m_dir.filePath(u"kept.pdf"_s);
    {
        QFile f(keptPdf);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write("%PDF-1.4 kept") > 0);
    }
    const Run mismatch = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s,
                                 u"--format"_s, u"xlsx"_s, u"--output"_s, keptPdf});
    QCOMPARE(mismatch.exitCode, 2);
    QVERIFY2(mismatch.err.contains(u"kept.xlsx"_s), qPrintable(mismatch.err));
    {
        QFile f(keptPdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("%PDF-1.4 kept"));
    }
    // Without --format, a file named for a format gets it (helper-72: plain text was written into y.xlsx),
    // and text is refused a format's name.
    const QString named = m_dir.filePath(u"named.xlsx"_s);
    const Run inferred = runCli(
        {u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s, u"--output"_s, named});
    QVERIFY2(inferred.exitCode == 0, qPrintable(inferred.err));
    {
        QFile f(named);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.read(2), QByteArray("PK")); // a zip: the workbook
    }
    const Run textAsPdf = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s,
                                  u"--format"_s, u"text"_s, u"--output"_s, keptPdf});
    QCOMPARE(textAsPdf.exitCode, 2);
    QVERIFY2(textAsPdf.err.contains(u"writes plain text"_s), qPrintable(textAsPdf.err));
    const Run bad = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--format"_s, u"docx"_s});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains(u"xlsx"_s));
    // A board refused to a role names the role in the reader's language.
    const Run refused = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_demo, u"--site"_s, u"S1"_s,
                                u"--as"_s, u"li.wei"_s, u"--lang"_s, u"zh_CN"_s});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(u"用户“li.wei”（审批人）"_s), qPrintable(refused.err));
    // A mistyped preset is answered with the presets there are.
    const Run preset = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s,
                               u"--preset"_s, u"lastmonth"_s});
    QCOMPARE(preset.exitCode, 2);
    QVERIFY2(preset.err.contains(u"\"lastmonth\""_s) && preset.err.contains(u"last_month, last_7_days"_s),
             qPrintable(preset.err));
    // A folder that is not there is named before any work, for every format, and nothing is written.
    const QString missing = m_dir.filePath(u"no-such-folder"_s);
    for (const QString& format : {u"csv"_s, u"xlsx"_s, u"pdf"_s}) {
        const Run r = runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s,
                              u"--format"_s, format, u"--output"_s, missing + u"/f."_s + format});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"The folder %1 for the export does not exist."_s.arg(missing)),
                 qPrintable(r.err));
        QVERIFY2(!r.err.contains(u".part"_s) && !r.err.contains(u"[ERROR]"_s), qPrintable(r.err));
    }
    QVERIFY(!QFileInfo::exists(missing));
    // The window's exports go through the same check.
    {
        Workspace ws(riskdesk::test::settings());
        QVERIFY(ws.openExisting(m_fixture, u"tst_boardexport"_s));
        const auto scope = BoardScope::open(ws.db(), u"acme"_s);
        QVERIFY(scope);
        const auto written = BoardExportWriter::writeBoard(
            ws.db(), BoardKind::Finance, scope.value(), englishS1Request(QDate(2026, 6, 2)), u"xlsx"_s,
            missing + u"/f.xlsx"_s, QDateTime::currentDateTimeUtc(), TrendColors::defaultFor(QLocale::c()));
        QVERIFY(!written);
        QCOMPARE(written.problem().code, u"export_folder_missing"_s);
        QVERIFY(!QFileInfo::exists(missing));
    }
    // A range names the bound that is missing or wrong.
    const QStringList site{u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s};
    const Run noTo = runCli(site + QStringList{u"--from"_s, u"2026-05-01"_s});
    QCOMPARE(noTo.exitCode, 2);
    QVERIFY2(noTo.err.contains(u"--to is missing"_s), qPrintable(noTo.err));
    const Run badFrom = runCli(site + QStringList{u"--from"_s, u"2026-13-01"_s, u"--to"_s, u"2026-05-31"_s});
    QCOMPARE(badFrom.exitCode, 2);
    QVERIFY2(badFrom.err.contains(u"--from: 2026-13-01 is not a day of the calendar; a month is 01 to 12"_s),
             qPrintable(badFrom.err));
    // A day the month lacks is named as such; a wrong form is shown the form.
    const Run noSuchDay =
        runCli(site + QStringList{u"--from"_s, u"2026-11-01"_s, u"--to"_s, u"2026-11-31"_s});
    QCOMPARE(noSuchDay.exitCode, 2);
    QVERIFY2(noSuchDay.err.contains(u"--to: 2026-11-31 is not a day of the calendar; 2026-11 has 30 days"_s),
             qPrintable(noSuchDay.err));
    const Run badForm = runCli(site + QStringList{u"--from"_s, u"1/11/2026"_s, u"--to"_s, u"2026-11-30"_s});
    QCOMPARE(badForm.exitCode, 2);
    QVERIFY2(badForm.err.contains(u"--from must be a date YYYY-MM-DD, not \"1/11/2026\""_s),
             qPrintable(badForm.err));
    // A day after the site's today is refused and named, as the window's filter bar does, instead of a board
    // of days without figures: the end of a range, and BOARD-2's as-of day.
    const QStringList onJune2{u"--today"_s, u"2026-06-02"_s};
    const Run futureTo =
        runCli(site + onJune2 + QStringList{u"--from"_s, u"2026-06-01"_s, u"--to"_s, u"2026-06-30"_s});
    QCOMPARE(futureTo.exitCode, 2);
    QVERIFY2(futureTo.err.contains(u"The period ends on 2026-06-30, after today (2026-06-02)"_s),
             qPrintable(futureTo.err));
    const Run upToToday =
        runCli(site + onJune2 + QStringList{u"--from"_s, u"2026-06-01"_s, u"--to"_s, u"2026-06-02"_s});
    QVERIFY2(upToToday.exitCode == 0, qPrintable(upToToday.err));
    const QStringList customer{u"board"_s, u"customer"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s};
    const Run futureAsOf = runCli(customer + onJune2 + QStringList{u"--as-of"_s, u"2026-06-03"_s});
    QCOMPARE(futureAsOf.exitCode, 2);
    QVERIFY2(futureAsOf.err.contains(u"The as-of day 2026-06-03 is after today (2026-06-02)"_s),
             qPrintable(futureAsOf.err));
    const Run asOfToday = runCli(customer + onJune2 + QStringList{u"--as-of"_s, u"2026-06-02"_s});
    QVERIFY2(asOfToday.exitCode == 0, qPrintable(asOfToday.err));
    // --section chooses a CSV's section; with another format it is refused, not ignored (helper-82).
    for (const QString& format : {u"text"_s, u"json"_s}) {
        const Run section = runCli(site + QStringList{u"--format"_s, format, u"--section"_s, u"nope"_s});
        QCOMPARE(section.exitCode, 2);
        QVERIFY2(section.err.contains(u"--section chooses the section of a CSV"_s), qPrintable(section.err));
    }
    // A PDF through the command line, into a directory: the standard name, recorded.
    const QString dir = m_dir.filePath(u"pdf"_s);
    QVERIFY(QDir().mkpath(dir));
    const Run pdf =
        runCli({u"board"_s, u"finance"_s, u"--workspace"_s, m_fixture, u"--site"_s, u"S1"_s, u"--from"_s,
                u"2026-05-01"_s, u"--to"_s, u"2026-05-31"_s, u"--format"_s, u"pdf"_s, u"--output"_s, dir});
    QVERIFY2(pdf.exitCode == 0, qPrintable(pdf.err));
    const QStringList files = QDir(dir).entryList(QDir::Files);
    QCOMPARE(files.size(), 1);
    QVERIFY2(files.first().startsWith(u"finance-board_S1_2026-05-01_2026-05-31_"_s),
             qPrintable(files.first()));
    QVERIFY(
        pdfPages(QDir(dir).filePath(files.first())).join(u' ').contains(u"Revenue"_s, Qt::CaseInsensitive));
}

// The PDF lays out text with the font database, which needs a QGuiApplication: offscreen, no display.
int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    BoardExportTest test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_boardexport.moc"
