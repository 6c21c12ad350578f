// Board charts (spec §2.11): the chart value (description, table), the painter (golden images in English,
// Chinese and dark with a tolerance a changed label fails, exact hover values, SVG and PDF), the catalog
// on the F1/F2 fixture boards (every drawn value is a cell of the board) and the widget (hover tooltip,
// "view as table", accessibility, palette, device pixel ratio), offscreen.
#include "BoardChartView.h"
#include "GoldenImage.h"
#include "TestWorkspace.h"
#include "boards/BoardChartCatalog.h"
#include "boards/BoardChartPainter.h"
#include "boards/BoardFaults.h"
#include "boards/BoardScope.h"
#include "boards/CoachBoard.h"
#include "boards/CustomerBoard.h"
#include "boards/FinanceBoard.h"
#include "boards/MoneyFormat.h"
#include "boards/RiskOpsBoard.h"
#include "boards/WeekdayHourTable.h"
#include "store/BoardWorkspaceLoad.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QHelpEvent>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardItemModel>
#include <QSvgRenderer>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QToolTip>
#include <QTranslator>
#include <numeric>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::GoldenImage;

namespace {

const QString kFixture = QStringLiteral(RISKDESK_FIXTURE_DIR);
const QLocale kEn(QLocale::English, QLocale::UnitedStates);
const QLocale kZh(QLocale::Chinese, QLocale::China);
using Kind = BoardChart::Kind;

// The shipped zh_CN translation installed for the lifetime of the object.
class Chinese {
public:
    Chinese() {
        if (!m_translator.load(QStringLiteral(RISKDESK_QM_DIR) + u"/riskdesk_zh_CN.qm"_s))
            qFatal("no zh_CN translation");
        QCoreApplication::installTranslator(&m_translator);
    }
    ~Chinese() { QCoreApplication::removeTranslator(&m_translator); }

private:
    QTranslator m_translator;
};

// The sample chart of each kind, in English or Chinese.
BoardChart sample(Kind kind, bool zh) {
    BoardChart c;
    c.kind = kind;
    c.key = u"sample."_s + BoardChart::kindKey(kind);
    c.unit = ValueUnit::Fen;
    switch (kind) {
    case Kind::Line:
    case Kind::Sparkline: {
        c.title = zh ? u"应计收入：本期与上期"_s : u"Accrued revenue: this period against the previous"_s;
        QList<qint64> now, before;
        for (int d = 0; d < 14; ++d) {
            c.categories << QDate(2026, 5, 18).addDays(d).toString(Qt::ISODate);
            now << 1'200'000 + (d * 137'913) % 900'000 + (d == 9 ? 1'500'000 : 0);
            before << 1'000'000 + (d * 91'377) % 700'000;
        }
        c.series = {{zh ? u"本期"_s : u"This period"_s, now}};
        if (kind == Kind::Line)
            c.previous = BoardChart::Series{zh ? u"上期"_s : u"Previous period"_s, before};
        break;
    }
    case Kind::Bar:
        c.title = zh ? u"助教服务收入"_s : u"Service income per coach"_s;
        c.categories = zh ? QStringList{u"小王"_s, u"小李"_s, u"阿杰"_s, u"晓燕"_s, u"大卫"_s}
                          : QStringList{u"Wang"_s, u"Li"_s, u"Jie"_s, u"Yan"_s, u"David"_s};
        c.series = {
            {zh ? u"服务收入"_s : u"Service income"_s, {2'345'678, 1'234'567, 3'456'789, 987'654, 45'600}}};
        break;
    case Kind::StackedBar:
        c.title = zh ? u"现金流出"_s : u"Cash outflow"_s;
        c.categories =
            zh ? QStringList{u"本期"_s, u"上期"_s} : QStringList{u"This period"_s, u"Previous period"_s};
        c.series = {{zh ? u"人员"_s : u"Personnel"_s, {5'000'000, 4'800'000}},
                    {zh ? u"运营"_s : u"Operating"_s, {1'250'000, 1'400'000}},
                    {zh ? u"采购"_s : u"Purchases"_s, {830'000, 610'000}},
                    {zh ? u"平台手续费"_s : u"Platform fees"_s, {120'000, 95'000}}};
        break;
    case Kind::Donut:
        c.title = zh ? u"应计收入结构"_s : u"Accrued revenue structure"_s;
        c.categories = zh ? QStringList{u"台费"_s, u"助教"_s, u"商品"_s, u"其他"_s}
                          : QStringList{u"Tables"_s, u"Coaches"_s, u"Goods"_s, u"Other"_s};
        c.series = {{zh ? u"应计"_s : u"Accrued"_s, {4'500'000, 3'000'000, 1'200'000, 300'000}}};
        break;
    case Kind::HeatMap: {
        c.title = zh ? u"到店时段分布"_s : u"Visits by weekday and hour"_s;
        c.unit = ValueUnit::Count;
        for (int h = 0; h < 24; ++h)
            c.categories << u"%1"_s.arg(h, 2, 10, QLatin1Char('0'));
        const QLocale& l = zh ? kZh : kEn;
        for (int d = 0; d < 7; ++d) {
            BoardChart::Series s{l.dayName(d + 1, QLocale::ShortFormat), {}};
            for (int h = 0; h < 24; ++h)
                s.values << ((h >= 12 ? (h - 10) * (d + 2) : h % 3) + (d == 5 && h == 20 ? 40 : 0));
            c.series << s;
        }
        break;
    }
    }
    return c;
}

QSize sizeFor(Kind kind) {
    return kind == Kind::Sparkline ? QSize(120, 28) : QSize(480, 280);
}

BoardChartPainter painterFor(const BoardChart& chart, bool zh, bool dark) {
    const auto scheme = zh ? TrendColors::Scheme::RedUp : TrendColors::Scheme::GreenUp;
    return BoardChartPainter(chart, zh ? kZh : kEn,
                             dark ? BoardChartPainter::Style::dark(scheme)
                                  : BoardChartPainter::Style::light(scheme));
}

// Every text the hover gives over the whole chart, scanning every other pixel.
QSet<QString> hoverTexts(const BoardChartPainter& p, const QSize& size) {
    QSet<QString> out;
    const QRectF rect(QPointF(0, 0), QSizeF(size));
    for (int y = 0; y < size.height(); y += 2)
        for (int x = 0; x < size.width(); x += 2)
            if (const auto t = p.hitTest(rect, QPointF(x, y)))
                out.insert(*t);
    return out;
}

void exec(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
}

qint64 numberOf(const BoardCell& cell) {
    if (!cell.value.number())
        qFatal("a cell without a number");
    return *cell.value.number();
}

QList<qint64> columnOf(const BoardTable& t, const QString& key, bool groupsOnly = false) {
    QList<qint64> out;
    for (const BoardTableRow& row : t.rows())
        if (!groupsOnly || !row.id.toString().contains(u'/'))
            out << numberOf(row.cells.at(t.columnIndex(key)));
    return out;
}

} // namespace

class BoardChartsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void goldenImages_data();
    void goldenImages();
    void aChangedLabelFailsTheComparison();
    void hoverGivesEveryExactValue_data();
    void hoverGivesEveryExactValue();
    void hoverOutsideTheDataGivesNothing();
    void aLongerPreviousPeriodKeepsItsOwnDays();
    void descriptionNamesTheHighestAndTheTotal();
    void tableHasEveryFigure();
    void axesAndDatesFollowTheLanguage();
    void svgAndPdfAreVector();
    void financeChartsAreTheBoardsCells();
    void coachChartIsTheBoardsCells();
    void visitsHeatMapCountsEveryVisit();
    void decisionsHeatMapAddsUpToTheDecisions();
    void failedSectionGivesNoChart();
    void heatMapAndPreviousTrendFailAlone();
    void viewShowsTheTooltipAndTheTable();
    void viewFollowsThePaletteAndTheScreen();

private:
    BoardReport compute(const QString& board, const QLocale& locale = kEn);
    std::unique_ptr<test::TestWorkspace> m_ws;
};

void BoardChartsTest::initTestCase() {
    m_ws = std::make_unique<test::TestWorkspace>(-1);
    exec(m_ws->db(), u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme')"_s);
    const auto loaded = BoardWorkspaceLoad::load(m_ws->db(), u"acme"_s, kFixture);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
}

BoardReport BoardChartsTest::compute(const QString& board, const QLocale& locale) {
    const auto scope = BoardScope::open(m_ws->db(), u"acme"_s);
    if (!scope)
        qFatal("%s", qPrintable(scope.problem().message));
    BoardRequest r;
    r.tenant = u"acme"_s;
    r.site = u"S1"_s;
    r.today = QDate(2026, 6, 2);
    r.pageSize = 0;
    r.locale = locale;
    Result<BoardReport> report = Problem{};
    if (board == u"finance") {
        r.period = BoardPeriod::custom(QDate(2026, 5, 1), QDate(2026, 5, 31)).value();
        report = FinanceBoard::compute(m_ws->db(), scope.value(), r);
    } else if (board == u"coach") {
        r.period = BoardPeriod::parseMonth(u"2026-05"_s, r.today).value();
        report = CoachBoard::compute(m_ws->db(), scope.value(), r);
    } else {
        r.asOfDay = QDate(2026, 5, 31);
        r.dimension = u"spend60"_s;
        r.chartSections = true;
        report = CustomerBoard::compute(m_ws->db(), scope.value(), r);
    }
    if (!report)
        qFatal("%s", qPrintable(report.problem().message));
    return std::move(report).value();
}

void BoardChartsTest::goldenImages_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("zh");
    QTest::addColumn<bool>("dark");
    for (Kind k : {Kind::Line, Kind::Bar, Kind::StackedBar, Kind::Donut, Kind::HeatMap, Kind::Sparkline}) {
        const QByteArray name = BoardChart::kindKey(k).toLatin1();
        QTest::newRow((name + ", en").constData()) << int(k) << false << false;
        QTest::newRow((name + ", zh").constData()) << int(k) << true << false;
        QTest::newRow((name + ", zh, dark").constData()) << int(k) << true << true;
    }
}

// Drawn at a fixed size and ratio 1, compared with at most GoldenImage::kTolerance differing pixels. Updating
// the goldens is deliberate: RISKDESK_UPDATE_GOLDENS=1 tst_boardcharts goldenImages, then review the PNGs.
void BoardChartsTest::goldenImages() {
    QFETCH(int, kind);
    QFETCH(bool, zh);
    QFETCH(bool, dark);
    std::optional<Chinese> chinese;
    if (zh)
        chinese.emplace();
    const Kind k = Kind(kind);
    const QImage image = painterFor(sample(k, zh), zh, dark).image(sizeFor(k));
    const QString golden = QStringLiteral(RISKDESK_GOLDEN_DIR) + u"/chart_"_s + BoardChart::kindKey(k) +
                           (zh ? u"_zh"_s : u"_en"_s) + (dark ? u"_dark"_s : QString()) + u".png"_s;
    if (qEnvironmentVariableIntValue("RISKDESK_UPDATE_GOLDENS") == 1) {
        QVERIFY(image.save(golden));
        qInfo("updated %s", qPrintable(golden));
        return;
    }
    const QImage expected(golden);
    QVERIFY2(!expected.isNull(), qPrintable(u"missing golden "_s + golden));
    QCOMPARE(image.size(), expected.size());
    const qint64 differing = GoldenImage::differingPixels(image, expected);
    if (differing > GoldenImage::kTolerance)
        image.save(QDir::temp().filePath(QFileInfo(golden).fileName()));
    QVERIFY2(differing <= GoldenImage::kTolerance,
             qPrintable(u"%1 pixels differ from %2 (actual saved in %3)"_s.arg(differing).arg(
                 golden, QDir::tempPath())));
}

// The tolerance is tight enough that one changed label, one changed value or one changed colour fails.
void BoardChartsTest::aChangedLabelFailsTheComparison() {
    const BoardChart line = sample(Kind::Line, false);
    const QImage reference = painterFor(line, false, false).image(sizeFor(Kind::Line));
    QVERIFY(GoldenImage::matches(reference, painterFor(line, false, false).image(sizeFor(Kind::Line))));

    BoardChart changedDay = line; // one axis date, May 18 → May 17 (every other date is the same)
    changedDay.categories[0] = u"2026-05-17"_s;
    QVERIFY(
        !GoldenImage::matches(reference, painterFor(changedDay, false, false).image(sizeFor(Kind::Line))));
    BoardChart changedTitle = line; // one letter of the title
    changedTitle.title.replace(u"revenue"_s, u"revenuo"_s);
    QVERIFY(
        !GoldenImage::matches(reference, painterFor(changedTitle, false, false).image(sizeFor(Kind::Line))));

    const BoardChart bar = sample(Kind::Bar, true);
    const QImage barReference = painterFor(bar, true, false).image(sizeFor(Kind::Bar));
    BoardChart changedName = bar; // one character of a coach's name
    changedName.categories[1] = u"小张"_s;
    QVERIFY(
        !GoldenImage::matches(barReference, painterFor(changedName, true, false).image(sizeFor(Kind::Bar))));
    // The up/down colour setting alone changes the drawing of a chart that shows change.
    const QImage greenUp =
        BoardChartPainter(line, kEn, BoardChartPainter::Style::light(TrendColors::Scheme::GreenUp))
            .image({480, 280});
    const QImage redUp =
        BoardChartPainter(line, kEn, BoardChartPainter::Style::light(TrendColors::Scheme::RedUp))
            .image({480, 280});
    QVERIFY(!GoldenImage::matches(greenUp, redUp));
}

void BoardChartsTest::hoverGivesEveryExactValue_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("zh");
    for (Kind k : {Kind::Line, Kind::Bar, Kind::StackedBar, Kind::Donut, Kind::HeatMap}) {
        QTest::newRow((BoardChart::kindKey(k).toLatin1() + ", en").constData()) << int(k) << false;
        QTest::newRow((BoardChart::kindKey(k).toLatin1() + ", zh").constData()) << int(k) << true;
    }
}

// Scanning the whole chart, the hover shows exactly the chart's points, each with its full value.
void BoardChartsTest::hoverGivesEveryExactValue() {
    QFETCH(int, kind);
    QFETCH(bool, zh);
    const Kind k = Kind(kind);
    const BoardChart c = sample(k, zh);
    const QLocale& locale = zh ? kZh : kEn;
    QSet<QString> expected;
    for (qsizetype s = 0; s < c.series.size(); ++s)
        for (qsizetype i = 0; i < c.categories.size(); ++i)
            expected.insert(c.pointText(s, i, locale));
    if (c.previous)
        for (qsizetype i = 0; i < c.categories.size(); ++i)
            expected.insert(c.pointText(-1, i, locale));
    const QSet<QString> found = hoverTexts(painterFor(c, zh, false), sizeFor(k));
    QCOMPARE(found, expected);
    // The full value, never the compact one: the bar of ¥23,456.78 says so to the fen.
    if (k == Kind::Bar)
        QVERIFY(
            found.contains(zh ? u"服务收入 · 小王: ¥23,456.78"_s : u"Service income · Wang: CN¥23,456.78"_s));
}

// Found by a new user: November against October named October's days as November's in the tooltips ("Previous
// period · Nov 13" for Oct 13's figure) and left October 31 out of the line and the table.
void BoardChartsTest::aLongerPreviousPeriodKeepsItsOwnDays() {
    BoardChart c;
    c.kind = Kind::Line;
    c.key = u"finance.trend"_s;
    c.title = u"Accrued revenue: this period against the previous"_s;
    c.unit = ValueUnit::Fen;
    QList<qint64> now, before;
    for (int d = 1; d <= 31; ++d) {
        if (d <= 30) {
            c.categories << QDate(2026, 11, d).toString(Qt::ISODate);
            now << 100'000 + d;
        }
        c.previousCategories << QDate(2026, 10, d).toString(Qt::ISODate);
        before << 200'000 + d;
    }
    c.series = {{u"This period"_s, now}};
    c.previous = BoardChart::Series{u"Previous period"_s, before};
    QCOMPARE(c.positions(), 31);
    QCOMPARE(c.pointText(-1, 12, kEn), u"Previous period · Oct 13: CN¥2,000.13"_s);
    QCOMPARE(c.pointText(0, 12, kEn), u"This period · Nov 13: CN¥1,000.13"_s);
    QCOMPARE(c.pointText(-1, 30, kZh), u"Previous period · 10月31日: ¥2,000.31"_s);
    const QSet<QString> hovered = hoverTexts(painterFor(c, false, false), sizeFor(Kind::Line));
    QVERIFY(hovered.contains(u"Previous period · Oct 31: CN¥2,000.31"_s));
    QVERIFY(hovered.contains(u"This period · Nov 30: CN¥1,000.30"_s));
    for (const QString& text : hovered)
        QVERIFY2(!(text.startsWith(u"Previous period · Nov"_s)), qPrintable(text));
    const QList<QStringList> table = c.asTable(kEn);
    QCOMPARE(table.size(), 1 + 31);
    QCOMPARE(table.last(), (QStringList{u"Oct 31"_s, QString(), u"CN¥2,000.31"_s}));
}

void BoardChartsTest::hoverOutsideTheDataGivesNothing() {
    const BoardChart bar = sample(Kind::Bar, false);
    const BoardChartPainter p = painterFor(bar, false, false);
    const QRectF rect(0, 0, 480, 280);
    QVERIFY(!p.hitTest(rect, QPointF(4, 4)));     // the title
    QVERIFY(!p.hitTest(rect, QPointF(600, 100))); // outside
    BoardChart empty = bar;
    empty.categories.clear();
    empty.series.first().values.clear();
    QVERIFY(!BoardChartPainter(empty, kEn, BoardChartPainter::Style::light(TrendColors::Scheme::GreenUp))
                 .hitTest(rect, QPointF(240, 140)));
}

void BoardChartsTest::descriptionNamesTheHighestAndTheTotal() {
    const BoardChart bar = sample(Kind::Bar, false);
    const QString en = bar.description(kEn);
    QVERIFY2(en.contains(u"Highest: Service income · Jie: CN¥34,567.89"_s), qPrintable(en));
    QVERIFY2(en.contains(u"Lowest: Service income · David: CN¥456.00"_s), qPrintable(en));
    QVERIFY2(en.contains(u"Total: CN¥80,702.88"_s), qPrintable(en));
    QVERIFY(en.startsWith(u"Bar chart: Service income per coach."_s));
    {
        Chinese zh;
        const QString text = sample(Kind::Bar, true).description(kZh);
        QVERIFY2(text.contains(u"¥34,567.89"_s) && text.contains(u"阿杰"_s), qPrintable(text));
        QVERIFY2(text.startsWith(u"柱状图"_s), qPrintable(text));
    }
    const QString heat = sample(Kind::HeatMap, false).description(kEn);
    QVERIFY2(heat.contains(u"Highest: Sat 20:00: 110"_s), qPrintable(heat));
    const QString line = sample(Kind::Line, false).description(kEn);
    QVERIFY2(line.contains(u"Previous period total"_s) && line.contains(u"May 27"_s), qPrintable(line));
    BoardChart empty = sample(Kind::Donut, false);
    empty.categories.clear();
    QVERIFY(empty.description(kEn).contains(u"No data"_s));
}

void BoardChartsTest::tableHasEveryFigure() {
    const BoardChart line = sample(Kind::Line, false);
    const QList<QStringList> t = line.asTable(kEn);
    QCOMPARE(t.size(), 15);
    QCOMPARE(t.first(), (QStringList{u"Category"_s, u"This period"_s, u"Previous period"_s}));
    QCOMPARE(t.at(1).at(0), u"May 18"_s);
    QCOMPARE(t.at(1).at(1), MoneyFormat::full(line.series.first().values.first(), kEn));
    const QList<QStringList> donut = sample(Kind::Donut, false).asTable(kEn);
    QCOMPARE(donut.at(1), (QStringList{u"Tables"_s, u"CN¥45,000.00"_s, u"50.0%"_s}));
    const QList<QStringList> heat = sample(Kind::HeatMap, false).asTable(kEn);
    QCOMPARE(heat.size(), 8);
    QCOMPARE(heat.first().size(), 25);
    QCOMPARE(heat.at(6).at(21), u"110"_s);
}

void BoardChartsTest::axesAndDatesFollowTheLanguage() {
    const BoardChart line = sample(Kind::Line, true);
    QCOMPARE(line.categoryLabel(13, kZh), u"5月31日"_s);
    QCOMPARE(line.categoryLabel(13, kEn), u"May 31"_s);
    QCOMPARE(line.axisText(2'500'000, kZh), u"¥2.50万"_s);
    QCOMPARE(line.axisText(2'500'000, kEn), u"CN¥25.00K"_s);
    QCOMPARE(line.valueText(2'500'000, kZh), u"¥25,000.00"_s);
}

void BoardChartsTest::svgAndPdfAreVector() {
    const BoardChartPainter p = painterFor(sample(Kind::Bar, true), true, false);
    const QByteArray svg = p.svg({480, 280});
    QVERIFY(svg.contains("<title>助教服务收入</title>"));
    QVERIFY(svg.contains(QString(u"小王"_s).toUtf8()));
    QSvgRenderer renderer(svg);
    QVERIFY(renderer.isValid());
    const QByteArray pdf = p.pdf({480, 280});
    QVERIFY(pdf.startsWith("%PDF"));
    QVERIFY(!pdf.contains("/Subtype /Image")); // drawn, not a picture
}

void BoardChartsTest::financeChartsAreTheBoardsCells() {
    const BoardReport r = compute(u"finance"_s);
    const QList<BoardChart> charts = BoardChartCatalog::charts(r, kEn);
    QStringList keys;
    for (const BoardChart& c : charts)
        keys << c.key;
    QCOMPARE(keys, (QStringList{u"finance.trend"_s, u"finance.revenue"_s, u"finance.outflow"_s}));

    const BoardTable* trend = r.table(u"trend"_s);
    const BoardTable* previous = r.table(u"trend_previous"_s);
    QVERIFY(trend && previous);
    QCOMPARE(trend->rows().size(), 31);
    const QJsonObject previousPeriod = r.parameters().value(u"previousPeriod"_s).toObject();
    QCOMPARE(previous->rows().first().id.toString(), previousPeriod.value(u"from"_s).toString());
    QCOMPARE(previous->rows().last().id.toString(), previousPeriod.value(u"to"_s).toString());
    const BoardChart& line = charts.at(0);
    QCOMPARE(line.kind, Kind::Line);
    QCOMPARE(line.series.first().values, columnOf(*trend, u"k1"_s));
    QVERIFY(line.previous);
    // April's days before the site's data begin (2026-04-15) are no data, not zeros: the dashed line begins
    // on the 15th.
    QList<qint64> previousNumbers;
    qsizetype beforeData = 0;
    for (const BoardTableRow& row : previous->rows()) {
        if (const auto n = row.cells.at(previous->columnIndex(u"k1"_s)).value.number())
            previousNumbers << *n;
        else if (previousNumbers.isEmpty())
            ++beforeData;
    }
    QCOMPARE(beforeData, 14);
    QCOMPARE(line.previous->first, beforeData);
    QCOMPARE(line.previous->values, previousNumbers);
    // The trend's previous period adds up to K1's previous value, as the current one adds up to K1.
    const BoardKpi* k1 = r.kpi(u"K1"_s);
    QCOMPARE(
        std::accumulate(line.series.first().values.cbegin(), line.series.first().values.cend(), qint64(0)),
        *k1->value.number());
    QCOMPARE(std::accumulate(line.previous->values.cbegin(), line.previous->values.cend(), qint64(0)),
             *k1->change->delta() * -1 + *k1->value.number());

    const BoardChart& donut = charts.at(1);
    QCOMPARE(donut.kind, Kind::Donut);
    QCOMPARE(donut.series.first().values, columnOf(*r.table(u"revenue"_s), u"accrued"_s));

    const BoardChart& outflow = charts.at(2);
    QCOMPARE(outflow.kind, Kind::StackedBar);
    const BoardTable* out = r.table(u"outflow"_s);
    const QList<qint64> now = columnOf(*out, u"amount"_s, true), before = columnOf(*out, u"previous"_s, true);
    QCOMPARE(outflow.series.size(), now.size());
    for (qsizetype g = 0; g < now.size(); ++g)
        QCOMPARE(outflow.series.at(g).values, (QList<qint64>{now.at(g), before.at(g)}));

    // KPI sparklines where a series exists, none where it does not.
    const auto spark = BoardChartCatalog::sparkline(r, u"K4"_s);
    QVERIFY(spark);
    QCOMPARE(spark->kind, Kind::Sparkline);
    QCOMPARE(spark->series.first().values, columnOf(*trend, u"k4"_s));
    QVERIFY(!BoardChartCatalog::sparkline(r, u"K7"_s));
}

void BoardChartsTest::coachChartIsTheBoardsCells() {
    const BoardReport r = compute(u"coach"_s);
    const auto c = BoardChartCatalog::chart(r, u"coach.income"_s, kEn);
    QVERIFY(c);
    QCOMPARE(c->kind, Kind::Bar);
    const BoardTable* coaches = r.table(u"coaches"_s);
    QCOMPARE(c->series.first().values, columnOf(*coaches, u"items_sum"_s));
    QCOMPARE(c->categories.size(), coaches->rows().size());
    QCOMPARE(c->categories.first(), coaches->rows().first().cells.at(coaches->columnIndex(u"coach"_s)).text);
    // Viewed as a table, its first column is headed as the board's (helper-91: "Category").
    QCOMPARE(c->asTable(kEn).first().first(), u"Coach"_s);
}

// Independently of the board's SQL: SQLite's own date functions at UTC+8 (Asia/Shanghai, the fixture's zone).
void BoardChartsTest::visitsHeatMapCountsEveryVisit() {
    const BoardReport r = compute(u"customer"_s);
    const BoardTable* t = r.table(u"visits_heatmap"_s);
    QVERIFY(t);
    const auto grid = WeekdayHourTable::gridOf(*t);
    QVERIFY(grid);
    WeekdayHourTable::Grid expected{};
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(
        u"SELECT (CAST(strftime('%w', create_time / 1000 + 8 * 3600, 'unixepoch') AS INTEGER) + 6) % 7,"
        " CAST(strftime('%H', create_time / 1000 + 8 * 3600, 'unixepoch') AS INTEGER)"
        " FROM bd_assistant_service_log WHERE tenant_id = 'acme' AND site_id = 'S1' AND is_delete = 0"
        " AND biz_date BETWEEN '2026-04-02' AND '2026-05-31'"_s));
    qint64 visits = 0;
    while (q.next()) {
        ++expected[size_t(q.value(0).toInt())][size_t(q.value(1).toInt())];
        ++visits;
    }
    QVERIFY(!q.lastError().isValid());
    QVERIFY(visits > 3);
    QVERIFY(*grid == expected);
    QCOMPARE(numberOf(t->totals()->cells.last()), visits);
    QCOMPARE(r.parameters().value(u"chartSections"_s).toBool(), true); // part of the cache key
    // Without chartSections (the command line's default) the scan is not made.
    const auto scope = BoardScope::open(m_ws->db(), u"acme"_s);
    BoardRequest plain;
    plain.tenant = u"acme"_s;
    plain.site = u"S1"_s;
    plain.today = QDate(2026, 6, 2);
    plain.asOfDay = QDate(2026, 5, 31);
    plain.dimension = u"spend60"_s;
    plain.locale = kEn;
    const auto without = CustomerBoard::compute(m_ws->db(), scope.value(), plain);
    QVERIFY(without);
    QVERIFY(!without.value().table(u"visits_heatmap"_s));
    QVERIFY(!without.value().parameters().contains(u"chartSections"_s));
    const auto chart = BoardChartCatalog::chart(r, u"customer.visits_heatmap"_s, kEn);
    QVERIFY(chart);
    QCOMPARE(chart->kind, Kind::HeatMap);
    QCOMPARE(chart->series.size(), 7);
    QCOMPARE(chart->series.at(4).name, u"Fri"_s);
    for (int d = 0; d < 7; ++d)
        for (int h = 0; h < 24; ++h)
            QCOMPARE(chart->series.at(d).values.at(h), expected[size_t(d)][size_t(h)]);
}

// BOARD-4 on the deterministic demo: the heat map and the daily chart are its decisions, no more, no less.
void BoardChartsTest::decisionsHeatMapAddsUpToTheDecisions() {
    test::TestWorkspace ws(200);
    const auto scope = BoardScope::open(ws.db(), u"acme"_s);
    QVERIFY2(scope, scope ? "" : qPrintable(scope.problem().message));
    BoardRequest r;
    r.tenant = u"acme"_s;
    const QDateTime anchor = test::TestWorkspace::fixedAnchor();
    r.today = anchor.date();
    r.nowMs = anchor.toMSecsSinceEpoch();
    r.period = BoardPeriod::custom(anchor.date().addDays(-60), anchor.date()).value();
    r.locale = kEn;
    const auto report = RiskOpsBoard::compute(ws.db(), scope.value(), r);
    QVERIFY2(report, report ? "" : qPrintable(report.problem().message));
    const BoardReport& b = report.value();
    const qint64 decisions = *b.kpi(u"Q6"_s)->value.number();
    QVERIFY(decisions > 10);
    const BoardTable* heat = b.table(u"decisions_heatmap"_s);
    QVERIFY(heat);
    QCOMPARE(numberOf(heat->totals()->cells.last()), decisions);
    const QList<BoardChart> charts = BoardChartCatalog::charts(b, kEn);
    QCOMPARE(charts.size(), 2);
    QCOMPARE(charts.at(0).key, u"riskops.decisions_heatmap"_s);
    qint64 drawn = 0;
    for (qint64 v : charts.at(0).allValues())
        drawn += v;
    QCOMPARE(drawn, decisions);
    const BoardChart& daily = charts.at(1);
    QCOMPARE(daily.kind, Kind::StackedBar);
    QCOMPARE(daily.series.at(1).values, columnOf(*b.table(u"daily_decisions"_s), u"reject"_s));
    const auto spark = BoardChartCatalog::sparkline(b, u"Q6"_s);
    QVERIFY(spark);
    QCOMPARE(spark->series.first().values, columnOf(*b.table(u"daily_decisions"_s), u"total"_s));
}

void BoardChartsTest::failedSectionGivesNoChart() {
    BoardReport r(u"finance"_s, u"Finance"_s);
    BoardTable revenue(u"revenue"_s, u"Revenue"_s,
                       {{u"category"_s, u"Category"_s, BoardTableColumn::Type::Text},
                        {u"accrued"_s, u"Accrued"_s, BoardTableColumn::Type::Value, ValueUnit::Fen}});
    revenue.addRow({u"a"_s, {BoardCell::ofText(u"A"_s), BoardCell::ofValue(BoardValue::ofSum(100))}});
    revenue.addRow(
        {u"b"_s, {BoardCell::ofText(u"B"_s), BoardCell::ofValue(BoardValue::unavailable(u"x"_s))}});
    r.addTable(revenue);
    // An unavailable value is never drawn as zero: no chart at all.
    QVERIFY(BoardChartCatalog::charts(r, kEn).isEmpty());
    BoardReport failed(u"finance"_s, u"Finance"_s);
    BoardTable broken(u"revenue"_s, u"Revenue"_s, revenue.columns());
    broken.addRow({u"a"_s, {BoardCell::ofText(u"A"_s), BoardCell::ofValue(BoardValue::ofSum(100))}});
    broken.outcome().failCore(u"finance.revenue: injected"_s);
    failed.addTable(broken);
    QVERIFY(BoardChartCatalog::charts(failed, kEn).isEmpty());
    broken.outcome() = SectionOutcome(u"finance.revenue"_s);
    BoardReport fine(u"finance"_s, u"Finance"_s);
    fine.addTable(broken);
    QCOMPARE(BoardChartCatalog::charts(fine, kEn).size(), 1);
}

// The sections added for the charts run as steps of their own (fault hooks customer.visits_heatmap and
// finance.trend_previous): their failure takes their chart, or the dashed line, and nothing else.
void BoardChartsTest::heatMapAndPreviousTrendFailAlone() {
#ifndef RISKDESK_BOARD_FAULTS
    QSKIP("the fault hook is compiled only into non-release builds");
#else
    BoardFaults::set({u"customer.visits_heatmap"_s});
    const BoardReport customer = compute(u"customer"_s);
    BoardFaults::clear();
    QCOMPARE(customer.table(u"visits_heatmap"_s)->outcome().status(), SectionOutcome::Status::Error);
    QVERIFY(customer.table(u"visits_heatmap"_s)->rows().isEmpty());
    QCOMPARE(customer.tables().first().outcome().status(), SectionOutcome::Status::Ok);
    QVERIFY(customer.tables().first().rows().size() > 0);
    QVERIFY(BoardChartCatalog::charts(customer, kEn).isEmpty());

    BoardFaults::set({u"finance.trend_previous"_s});
    const BoardReport finance = compute(u"finance"_s);
    BoardFaults::clear();
    QCOMPARE(finance.table(u"trend_previous"_s)->outcome().status(), SectionOutcome::Status::Error);
    QCOMPARE(finance.table(u"trend"_s)->outcome().status(), SectionOutcome::Status::Ok);
    const auto trend = BoardChartCatalog::chart(finance, u"finance.trend"_s, kEn);
    QVERIFY(trend);
    QVERIFY(!trend->previous); // no dashed line rather than a line of zeros
    QCOMPARE(trend->series.first().values, columnOf(*finance.table(u"trend"_s), u"k1"_s));
#endif
}

void BoardChartsTest::viewShowsTheTooltipAndTheTable() {
    BoardChartView view;
    const BoardChart bar = sample(Kind::Bar, false);
    view.setChart(bar, kEn, TrendColors::Scheme::GreenUp);
    view.resize(480, 306);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.accessibleName(), bar.title);
    QVERIFY(view.accessibleDescription().contains(u"Highest: Service income · Jie: CN¥34,567.89"_s));

    // Hover the middle of the third bar (Jie): the same point the painter's hit test finds.
    const QRect area = view.chartRect();
    const BoardChartPainter p(bar, kEn,
                              BoardChartPainter::Style::forBackground(view.palette().color(QPalette::Window),
                                                                      TrendColors::Scheme::GreenUp));
    const QString jie = bar.pointText(0, 2, kEn);
    std::optional<QPoint> onJie;
    for (int x = 0; x < area.width() && !onJie; ++x)
        if (p.hitTest(QRectF(QPointF(0, 0), QSizeF(area.size())), QPointF(x, area.height() / 2)) == jie)
            onJie = QPoint(x, area.height() / 2) + area.topLeft();
    QVERIFY(onJie);
    QHelpEvent help(QEvent::ToolTip, *onJie, view.mapToGlobal(*onJie));
    QApplication::sendEvent(&view, &help);
    QCOMPARE(view.lastHoverText(), jie);
    QTRY_COMPARE(QToolTip::text(), jie);
    QHelpEvent onTitle(QEvent::ToolTip, QPoint(4, area.top() + 4),
                       view.mapToGlobal(QPoint(4, area.top() + 4)));
    QApplication::sendEvent(&view, &onTitle);
    QVERIFY(view.lastHoverText().isEmpty());

    // "View as table" shows the same figures in full, and back.
    QVERIFY(!view.tableView()->isVisible());
    QTest::mouseClick(view.tableToggle(), Qt::LeftButton);
    QVERIFY(view.tableShown());
    QVERIFY(view.tableView()->isVisible());
    const QAbstractItemModel* model = view.tableView()->model();
    QCOMPARE(model->rowCount(), 5);
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), u"Service income"_s);
    QCOMPARE(model->index(2, 0).data().toString(), u"Jie"_s);
    QCOMPARE(model->index(2, 1).data().toString(), u"CN¥34,567.89"_s);
    QCOMPARE(view.tableToggle()->text(), u"View as chart"_s);
    QTest::mouseClick(view.tableToggle(), Qt::LeftButton);
    QVERIFY(!view.tableShown());
    QVERIFY(!view.tableView()->isVisible());
}

void BoardChartsTest::viewFollowsThePaletteAndTheScreen() {
    BoardChartView view;
    view.setChart(sample(Kind::Line, false), kEn, TrendColors::Scheme::GreenUp);
    view.resize(480, 306);
    QPalette light = view.palette();
    light.setColor(QPalette::Window, Qt::white);
    view.setPalette(light);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.repaint();
    QVERIFY(!view.darkStyle());
    QCOMPARE(view.cachedImage().devicePixelRatio(), view.devicePixelRatioF());
    QCOMPARE(view.cachedImage().size(), view.chartRect().size() * view.devicePixelRatioF());
    const QImage lightImage = view.cachedImage();
    QCOMPARE(lightImage.pixelColor(2, 2), QColor(Qt::white));
    QPalette dark = light;
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    view.setPalette(dark);
    view.repaint();
    QVERIFY(view.darkStyle());
    QCOMPARE(view.cachedImage().pixelColor(2, 2),
             BoardChartPainter::Style::dark(TrendColors::Scheme::GreenUp).background);
}

QTEST_MAIN(BoardChartsTest)
#include "tst_boardcharts.moc"
