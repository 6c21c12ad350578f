// BOARD-3, the finance board (spec §6), on the committed F2 fixture (tests/fixtures/boards/f1f2) loaded into
// a real workspace file: every acceptance check AC-B3-01..15 of spec §10.6, drill-down footers (AC-S-12 for
// F2), section isolation, labels in both languages, and the command line.
#include "TestWorkspace.h"
#include "boards/BoardChartCatalog.h"
#include "boards/BoardFaults.h"
#include "boards/BoardScope.h"
#include "boards/FinanceBoard.h"
#include "boards/FinanceCoachAnalysis.h"
#include "boards/FinanceTrend.h"
#include "store/BoardWorkspaceLoad.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QTranslator>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

const QString kFixture = QStringLiteral(RISKDESK_FIXTURE_DIR);

void exec(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
}

// Moves S1's watermark to day until the returned guard goes (F1 is loaded through 2026-06-01).
[[nodiscard]] auto loadedThrough(QSqlDatabase db, const QString& day) {
    const auto set = [db](const QString& d) {
        exec(db, u"UPDATE bd_etl_watermark SET loaded_through_biz_date = '%1' WHERE site_id = 'S1'"_s.arg(d));
    };
    set(day);
    return qScopeGuard([set] { set(u"2026-06-01"_s); });
}

qint64 number(const BoardValue& v) {
    if (!v.number())
        qFatal("no number (state %s)", qPrintable(v.stateKey()));
    return *v.number();
}

using Kind = ReconciliationWarning::Kind;

bool hasWarning(const BoardTable& t, Kind kind) {
    for (const ReconciliationWarning& w : t.outcome().warnings())
        if (w.kind() == kind)
            return true;
    return false;
}

} // namespace

class FinanceBoardTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void acB3_01_revenueStructureTotalsAndShares();
    void acB3_02_discountBreakdownEqualsK2();
    void acB3_03_k1k2k3AndNoRuleDifference();
    void acB3_04_cashInflowUnderRule7();
    void acB3_05_tenderReconciliation();
    void acB3_06_cashOutflowGroups();
    void acB3_07_netCashFlowAgainstANegativeBase();
    void acB3_08_platformGrossLessFeeIsNet();
    void acB3_09_prepaidMatrixReconciles();
    void acB3_10_k7k8FromStoredValueOnly();
    void acB3_11_alteredRowDoesNotReconcile();
    void acB3_12_periodOverPeriod();
    void acB3_13_coachAnalysisOfMay();
    void acB3_14_monthsTouchedWithBadge();
    void acB3_15_failedOutflowTakesK5AndK6Only();
    void everySectionFailsAlone_data();
    void everySectionFailsAlone();
    void failedDiscountBreakdownLeavesTheCategoriesWhole();
    void ruleDifferenceWhenCoachRowDiffersFromK3();
    void unknownCategoryKeepsItsName();
    void kpisCarryThePreviousPeriodInJson();
    void aPeriodNotLoadedIsNoDataNotZero();
    void daysBeforeTheDataBeginAreNoDataNotZero();
    void daysAfterTheWatermarkAreNoDataAndTheRollForwardStopsThere();
    void coachAnalysisOfAMonthNotLoadedYet();
    void aPartlyLoadedPeriodComparesLikeWithLike();
    void anUnreadableWatermarkFailsTheBoard();
    void tiersAreInTheirOwnOrder();
    void trendBucketsAddUpToTheKpis_data();
    void trendBucketsAddUpToTheKpis();
    void partialBucketsAreNamed();
    void drillFootersEqualEveryClickedValue();
    void drillRefusesWhatItCannotList();
    void serviceLogDrillPagesByKeyWithTheWholeFooter();
    void serviceIncomeReadFromACoveringIndex();
    void labelsInChinese();
    void commandLine();

private:
    Result<BoardReport> compute(const QDate& from = {2026, 5, 1}, const QDate& to = {2026, 5, 31},
                                const QString& drill = {}, const QString& granularity = {});
    BoardReport board(const QDate& from = {2026, 5, 1}, const QDate& to = {2026, 5, 31},
                      const QString& granularity = {});
    // The drill-down of each cell over [from, to] has a footer of no data, for that reason.
    void checkNoDataFooters(const QDate& from, const QDate& to, const QStringList& cells,
                            const QString& reason);

    std::unique_ptr<test::TestWorkspace> m_ws;
};

void FinanceBoardTest::checkNoDataFooters(const QDate& from, const QDate& to, const QStringList& cells,
                                          const QString& reason) {
    for (const QString& cell : cells) {
        const auto drill = compute(from, to, cell);
        QVERIFY2(drill, drill ? "" : qPrintable(cell + u": "_s + drill.problem().message));
        const BoardValue& footer = drill.value().tables().first().totals()->cells.last().value;
        QVERIFY2(footer.state() == CellState::NoData, qPrintable(cell));
        QCOMPARE(footer.reason(), reason);
    }
}

void FinanceBoardTest::initTestCase() {
    m_ws = std::make_unique<test::TestWorkspace>(3);
    const auto loaded = BoardWorkspaceLoad::load(m_ws->db(), u"acme"_s, kFixture);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
}

void FinanceBoardTest::cleanup() {
#ifdef RISKDESK_BOARD_FAULTS
    BoardFaults::clear();
#endif
}

Result<BoardReport> FinanceBoardTest::compute(const QDate& from, const QDate& to, const QString& drill,
                                              const QString& granularity) {
    const auto scope = BoardScope::open(m_ws->db(), u"acme"_s);
    if (!scope)
        return scope.problem();
    BoardRequest request;
    request.tenant = u"acme"_s;
    request.site = u"S1"_s;
    request.today = QDate(2026, 6, 2);
    request.period = BoardPeriod::custom(from, to).value();
    request.drill = drill;
    request.granularity = granularity;
    request.locale = QLocale(QLocale::English);
    return FinanceBoard::compute(m_ws->db(), scope.value(), request);
}

BoardReport FinanceBoardTest::board(const QDate& from, const QDate& to, const QString& granularity) {
    auto r = compute(from, to, {}, granularity);
    if (!r)
        qFatal("%s", qPrintable(r.problem().message));
    return std::move(r).value();
}

void FinanceBoardTest::acB3_01_revenueStructureTotalsAndShares() {
    const BoardReport r = board();
    const BoardTable* t = r.table(u"revenue"_s);
    QVERIFY(t);
    QCOMPARE(t->rows().size(), 4);
    QCOMPARE(number(t->cell(*t->totals(), u"gross"_s)->value), 710000);
    QCOMPARE(number(t->cell(*t->totals(), u"discount"_s)->value), 33000);
    QCOMPARE(number(t->cell(*t->totals(), u"accrued"_s)->value), 677000);
    // A clicked figure is named as the board names it (the drill panel's title), never by its key.
    QCOMPARE(r.cellName(QString(), u"K1"_s, QVariant()), r.kpi(u"K1"_s)->label);
    QCOMPARE(r.cellName(u"revenue"_s, u"accrued"_s, u"table"_s),
             u"Accrued revenue structure · Table fees · Accrued"_s);
    QCOMPARE(r.cellName(u"revenue"_s, u"accrued"_s, QVariant()),
             u"Accrued revenue structure · Total · Accrued"_s);
    const QList<qint64> shares{694, 114, 177, 15};
    const QStringList codes{u"table"_s, u"coach"_s, u"goods"_s, u"other"_s};
    qint64 sum = 0;
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(t->rows()[i].id.toString(), codes[i]);
        QCOMPARE(number(t->cell(t->rows()[i], u"share"_s)->value), shares[i]);
        sum += shares[i];
    }
    QCOMPARE(sum, 1000);
    QCOMPARE(t->rows()[0].cells[0].text, u"Table fees"_s);
}

void FinanceBoardTest::acB3_02_discountBreakdownEqualsK2() {
    const BoardReport r = board();
    const BoardTable* d = r.table(u"revenue_discounts"_s);
    QVERIFY(d);
    QCOMPARE(d->rows().size(), 3);
    QCOMPARE(number(d->cell(*d->rowById(u"member"_s), u"amount"_s)->value), 25000);
    QCOMPARE(number(d->cell(*d->rowById(u"voucher"_s), u"amount"_s)->value), 5000);
    QCOMPARE(number(d->cell(*d->rowById(u"rounding"_s), u"amount"_s)->value), 3000);
    QCOMPARE(number(d->cell(*d->totals(), u"amount"_s)->value), 33000);
    QCOMPARE(number(r.kpi(u"K2"_s)->value), 33000);
    QVERIFY(r.table(u"revenue"_s)->outcome().warnings().isEmpty());

    // A breakdown that no longer adds up to K2 is marked with the difference.
    exec(m_ws->db(),
         u"UPDATE bd_finance_discount_detail SET amount_fen = 3100 WHERE discount_type = 'rounding'"_s);
    const BoardReport off = board();
    exec(m_ws->db(),
         u"UPDATE bd_finance_discount_detail SET amount_fen = 3000 WHERE discount_type = 'rounding'"_s);
    const auto& warnings = off.table(u"revenue"_s)->outcome().warnings();
    QCOMPARE(warnings.size(), 1);
    QCOMPARE(warnings[0].kind(), Kind::DoesNotReconcile);
    QCOMPARE(*warnings[0].difference(), 100);
}

void FinanceBoardTest::acB3_03_k1k2k3AndNoRuleDifference() {
    const BoardReport r = board();
    QCOMPARE(number(r.kpi(u"K1"_s)->value), 677000);
    QCOMPARE(number(r.kpi(u"K2"_s)->value), 33000);
    QCOMPARE(number(r.kpi(u"K3"_s)->value), 77000);
    const BoardTable* t = r.table(u"revenue"_s);
    QCOMPARE(number(t->cell(*t->rowById(u"coach"_s), u"accrued"_s)->value), 77000);
    QVERIFY(!hasWarning(*t, Kind::RuleDifference));
}

void FinanceBoardTest::acB3_04_cashInflowUnderRule7() {
    const BoardReport r = board();
    const BoardTable* t = r.table(u"inflow"_s);
    const QList<std::pair<QString, qint64>> expected{{u"wechat"_s, 200000},   {u"alipay"_s, 90000},
                                                     {u"cash"_s, 40000},      {u"bank"_s, 0},
                                                     {u"recharge"_s, 300000}, {u"platform"_s, 64000}};
    QCOMPARE(t->rows().size(), expected.size());
    for (const auto& [tender, amount] : expected)
        QCOMPARE(number(t->cell(*t->rowById(tender), u"amount"_s)->value), amount);
    QCOMPARE(number(t->cell(*t->totals(), u"amount"_s)->value), 694000);
    QCOMPARE(number(r.kpi(u"K4"_s)->value), 694000);
    const BoardTable* x = r.table(u"inflow_excluded"_s);
    QCOMPARE(x->rows().size(), 3);
    QCOMPARE(number(x->cell(*x->rowById(u"stored_value"_s), u"amount"_s)->value), 245000);
    QCOMPARE(number(x->cell(*x->rowById(u"gift"_s), u"amount"_s)->value), 38000);
    QCOMPARE(number(x->cell(*x->rowById(u"voucher"_s), u"amount"_s)->value), 64000);
    QVERIFY(!x->cell(*x->rowById(u"gift"_s), u"reason"_s)->text.isEmpty());
}

void FinanceBoardTest::acB3_05_tenderReconciliation() {
    // 2,000 + 900 + 400 + 0 + 2,450 + 380 + 640 = 6,770 = K1: no warning.
    QVERIFY(board().table(u"inflow"_s)->outcome().warnings().isEmpty());
    exec(m_ws->db(),
         u"UPDATE bd_finance_daily_summary SET tender_gift_fen = 38500 WHERE biz_date = '2026-05-15'"_s);
    const BoardReport off = board();
    exec(m_ws->db(),
         u"UPDATE bd_finance_daily_summary SET tender_gift_fen = 38000 WHERE biz_date = '2026-05-15'"_s);
    const auto& warnings = off.table(u"inflow"_s)->outcome().warnings();
    QCOMPARE(warnings.size(), 1);
    QCOMPARE(warnings[0].kind(), Kind::DoesNotReconcile);
    QCOMPARE(*warnings[0].expected(), 677000);
    QCOMPARE(*warnings[0].actual(), 677500);
    QCOMPARE(*warnings[0].difference(), 500);
}

void FinanceBoardTest::acB3_06_cashOutflowGroups() {
    const BoardReport r = board();
    const BoardTable* t = r.table(u"outflow"_s);
    QCOMPARE(number(t->cell(*t->rowById(u"personnel"_s), u"amount"_s)->value), 360000);
    QCOMPARE(number(t->cell(*t->rowById(u"operating"_s), u"amount"_s)->value), 180000);
    QCOMPARE(number(t->cell(*t->rowById(u"purchases"_s), u"amount"_s)->value), 70000);
    QCOMPARE(number(t->cell(*t->rowById(u"platform"_s), u"amount"_s)->value), 6000);
    QCOMPARE(number(t->cell(*t->rowById(u"personnel/coach_course"_s), u"amount"_s)->value), 48000);
    QCOMPARE(number(t->cell(*t->rowById(u"personnel/staff"_s), u"amount"_s)->value), 312000);
    QCOMPARE(number(t->cell(*t->rowById(u"platform/meituan"_s), u"amount"_s)->value), 6000);
    QCOMPARE(number(t->cell(*t->totals(), u"amount"_s)->value), 616000);
    QCOMPARE(number(r.kpi(u"K5"_s)->value), 616000);
    // Group shares of K5 add up to 100.0%.
    qint64 shares = 0;
    for (const QString& g : {u"personnel"_s, u"operating"_s, u"purchases"_s, u"platform"_s})
        shares += number(t->cell(*t->rowById(g), u"share"_s)->value);
    QCOMPARE(shares, 1000);
    QCOMPARE(t->rowById(u"operating/rent"_s)->cells[1].text, u"Rent"_s);
}

void FinanceBoardTest::acB3_07_netCashFlowAgainstANegativeBase() {
    const BoardReport r = board();
    const BoardKpi* k6 = r.kpi(u"K6"_s);
    QCOMPARE(number(k6->value), 78000);
    QCOMPARE(qRound64(k6->previous.value(u"value"_s).toObject().value(u"value"_s).toDouble() * 100), -20000);
    QCOMPARE(k6->change->kind(), PeriodChange::Kind::Percent);
    QCOMPARE(*k6->change->tenths(), 4900);
    QCOMPARE(k6->change->trend(), Trend::Up);
    QCOMPARE(k6->change->text(), u"+490.0%"_s);
}

void FinanceBoardTest::acB3_08_platformGrossLessFeeIsNet() {
    const BoardReport r = board();
    QCOMPARE(
        number(r.table(u"inflow"_s)->cell(*r.table(u"inflow"_s)->rowById(u"platform"_s), u"amount"_s)->value),
        64000);
    const BoardTable* t = r.table(u"outflow"_s);
    QCOMPARE(number(t->cell(*t->rowById(u"platform"_s), u"amount"_s)->value), 6000);
    QVERIFY(t->outcome().warnings().isEmpty());
    QVERIFY(t->notes().join(u'\n').contains(u"= net received CN¥580.00"_s));
    // A net that is not gross − fee is marked.
    exec(m_ws->db(),
         u"UPDATE bd_platform_settlement SET net_received_fen = 59000 WHERE biz_date = '2026-05-15'"_s);
    const BoardReport off = board();
    exec(m_ws->db(),
         u"UPDATE bd_platform_settlement SET net_received_fen = 58000 WHERE biz_date = '2026-05-15'"_s);
    const auto& warnings = off.table(u"outflow"_s)->outcome().warnings();
    QCOMPARE(warnings.size(), 1);
    QCOMPARE(*warnings[0].expected(), 58000);
    QCOMPARE(*warnings[0].difference(), 1000);
}

void FinanceBoardTest::acB3_09_prepaidMatrixReconciles() {
    const BoardReport r = board();
    const BoardTable* t = r.table(u"prepaid"_s);
    const BoardTableRow* sv = t->rowById(u"stored_value"_s);
    const BoardTableRow* gift = t->rowById(u"gift"_s);
    QCOMPARE(number(t->cell(*sv, u"opening"_s)->value), 1000000);
    QCOMPARE(number(t->cell(*sv, u"additions"_s)->value), 300000);
    QCOMPARE(number(t->cell(*sv, u"consumption"_s)->value), 245000);
    QCOMPARE(number(t->cell(*sv, u"refunds"_s)->value), 20000);
    QCOMPARE(number(t->cell(*sv, u"adjustments"_s)->value), 0);
    QCOMPARE(number(t->cell(*sv, u"closing"_s)->value), 1035000);
    QCOMPARE(number(t->cell(*gift, u"opening"_s)->value), 150000);
    QCOMPARE(number(t->cell(*gift, u"additions"_s)->value), 60000);
    QCOMPARE(number(t->cell(*gift, u"consumption"_s)->value), 38000);
    QCOMPARE(number(t->cell(*gift, u"adjustments"_s)->value), -2000);
    QCOMPARE(number(t->cell(*gift, u"closing"_s)->value), 170000);
    QCOMPARE(number(t->cell(*t->totals(), u"closing"_s)->value), 1205000);
    QCOMPARE(number(t->cell(*t->totals(), u"active_cards"_s)->value), 160);
    QVERIFY(t->outcome().warnings().isEmpty());
    QCOMPARE(t->cell(*sv, u"check"_s)->text, u"Reconciles"_s);
    QCOMPARE(t->outcome().section(), u"finance.prepaid"_s);
}

void FinanceBoardTest::acB3_10_k7k8FromStoredValueOnly() {
    const BoardReport r = board();
    QCOMPARE(number(r.kpi(u"K7"_s)->value), 300000);
    QCOMPARE(number(r.kpi(u"K8"_s)->value), 1035000);
}

void FinanceBoardTest::acB3_11_alteredRowDoesNotReconcile() {
    exec(m_ws->db(), u"UPDATE bd_finance_recharge_summary SET closing_balance_fen = 1035100"
                     " WHERE biz_date = '2026-05-31' AND card_type = 'stored_value'"_s);
    const BoardReport r = board();
    exec(m_ws->db(), u"UPDATE bd_finance_recharge_summary SET closing_balance_fen = 1035000"
                     " WHERE biz_date = '2026-05-31' AND card_type = 'stored_value'"_s);
    const BoardTable* t = r.table(u"prepaid"_s);
    const BoardTableRow* sv = t->rowById(u"stored_value"_s);
    // The value is shown as it is, not hidden or corrected.
    QCOMPARE(number(t->cell(*sv, u"closing"_s)->value), 1035100);
    QCOMPARE(number(r.kpi(u"K8"_s)->value), 1035100);
    QCOMPARE(t->cell(*sv, u"check"_s)->text, u"Does not reconcile (difference CN¥1.00)"_s);
    QCOMPARE(t->cell(*t->rowById(u"gift"_s), u"check"_s)->text, u"Reconciles"_s);
    const auto& warnings = t->outcome().warnings();
    QVERIFY(!warnings.isEmpty());
    QCOMPARE(warnings[0].kind(), Kind::DoesNotReconcile);
    QCOMPARE(warnings[0].subject(), u"Stored-value card"_s);
    QCOMPARE(*warnings[0].difference(), 100);
    QVERIFY(t->toText(QLocale(QLocale::English)).contains(u"Does not reconcile"_s));
}

void FinanceBoardTest::acB3_12_periodOverPeriod() {
    const BoardReport r = board();
    QCOMPARE(*r.kpi(u"K1"_s)->change->tenths(), 128);
    QCOMPARE(r.kpi(u"K1"_s)->change->text(), u"+12.8%"_s);
    QCOMPARE(r.kpi(u"K2"_s)->change->kind(), PeriodChange::Kind::New);
    QCOMPARE(r.kpi(u"K2"_s)->change->trend(), Trend::Up);
    QCOMPARE(*r.kpi(u"K4"_s)->change->tenths(), 0);
    QCOMPARE(r.kpi(u"K4"_s)->change->text(), u"0.0%"_s);
    QCOMPARE(r.kpi(u"K4"_s)->change->arrow(), u"▬"_s);
    QCOMPARE(r.kpi(u"K1"_s)->comparison, u"PoP 2026-04-01 ~ 2026-04-30"_s);
}

void FinanceBoardTest::acB3_13_coachAnalysisOfMay() {
    const BoardReport r = board();
    const BoardTable* t = r.table(u"coach"_s);
    QCOMPARE(t->rows().size(), 1);
    const BoardTableRow& may = t->rows()[0];
    QCOMPARE(may.id.toString(), u"2026-05-01"_s);
    QCOMPARE(number(t->cell(may, u"basic"_s)->value), 42000);
    QCOMPARE(number(t->cell(may, u"incentive"_s)->value), 6000);
    QCOMPARE(number(t->cell(may, u"incentive_share"_s)->value), 125);
    QCOMPARE(number(t->cell(may, u"sprint"_s)->value), 2000);
    QCOMPARE(number(t->cell(may, u"gross"_s)->value), 50000);
    QCOMPARE(number(t->cell(may, u"coaches"_s)->value), 3);
    QCOMPARE(number(t->cell(may, u"gross_per_coach"_s)->value), 16667);
    QCOMPARE(number(t->cell(may, u"service_income"_s)->value), 77000);
    QCOMPARE(number(t->cell(may, u"course_cost_ratio"_s)->value), 623);
    QCOMPARE(t->cellDisplay(t->columns()[t->columnIndex(u"course_cost_ratio"_s)],
                            *t->cell(may, u"course_cost_ratio"_s), QLocale(QLocale::English)),
             u"62.3%"_s);
    QVERIFY(!r.badges().join(u'\n').contains(u"Calendar-month basis"_s));
    // By tier: 二档 (A1) and 一档 (A2, A3).
    const BoardTable* tiers = r.table(u"coach_tiers"_s);
    QCOMPARE(tiers->rows().size(), 2);
    QCOMPARE(number(tiers->cell(*tiers->rowById(u"2026-05-01/一档"_s), u"basic"_s)->value), 18000);
    QCOMPARE(number(tiers->cell(*tiers->rowById(u"2026-05-01/一档"_s), u"coaches"_s)->value), 2);
    QCOMPARE(number(tiers->cell(*tiers->rowById(u"2026-05-01/二档"_s), u"incentive"_s)->value), 6000);
}

void FinanceBoardTest::acB3_14_monthsTouchedWithBadge() {
    const BoardReport r = board({2026, 5, 10}, {2026, 6, 9});
    const BoardTable* t = r.table(u"coach"_s);
    QCOMPARE(t->rows().size(), 2);
    QCOMPARE(t->rows()[0].id.toString(), u"2026-05-01"_s);
    QCOMPARE(t->rows()[1].id.toString(), u"2026-06-01"_s);
    // May whole, whatever part of it the period covers; June has no salary row: no data, not zero.
    QCOMPARE(number(t->cell(t->rows()[0], u"basic"_s)->value), 42000);
    QCOMPARE(t->cell(t->rows()[1], u"basic"_s)->value.state(), CellState::NoData);
    // No salary row is no head count either: a month not computed yet, not a month without coaches.
    QCOMPARE(t->cell(t->rows()[1], u"coaches"_s)->value.state(), CellState::NoData);
    QCOMPARE(t->cell(t->rows()[1], u"coaches"_s)->value.reason(), FinanceCoachAnalysis::noSalaryRows());
    QCOMPARE(number(t->cell(t->rows()[1], u"service_income"_s)->value), 9000); // L12 on 06-01
    // The badge says what it applies to: the months counted whole.
    const QString basis =
        u"Calendar-month basis: the coach analysis counts the whole of 2026-05 ~ 2026-06, not only this "
        "period's days."_s;
    QVERIFY(r.badges().contains(basis));
    QVERIFY(t->notes().contains(basis));
    QVERIFY(
        board({2026, 5, 10}, {2026, 5, 20})
            .badges()
            .contains(
                u"Calendar-month basis: the coach analysis counts the whole of 2026-05, not only this period's days."_s));
}

void FinanceBoardTest::acB3_15_failedOutflowTakesK5AndK6Only() {
#ifndef RISKDESK_BOARD_FAULTS
    QSKIP("the fault hook is compiled only into non-release builds");
#else
    BoardFaults::set({u"finance.outflow"_s});
    const BoardReport r = board();
    QCOMPARE(r.kpi(u"K5"_s)->value.state(), CellState::Unavailable);
    QCOMPARE(r.kpi(u"K6"_s)->value.state(), CellState::Unavailable);
    QCOMPARE(r.kpi(u"K6"_s)->change->kind(), PeriodChange::Kind::NoData);
    for (const QString& k : {u"K1"_s, u"K2"_s, u"K3"_s, u"K4"_s, u"K7"_s, u"K8"_s})
        QVERIFY2(r.kpi(k)->value.number(), qPrintable(k));
    QCOMPARE(number(r.kpi(u"K4"_s)->value), 694000);
    const BoardTable* t = r.table(u"outflow"_s);
    QCOMPARE(t->outcome().status(), SectionOutcome::Status::Error);
    QVERIFY(t->rows().isEmpty());
    // The platform check is not dropped: it cannot be made.
    QCOMPARE(t->outcome().warnings().size(), 1);
    QCOMPARE(t->outcome().warnings()[0].kind(), Kind::CannotReconcile);
    QCOMPARE(r.table(u"inflow"_s)->outcome().status(), SectionOutcome::Status::Ok);
    QVERIFY(r.toText(QLocale(QLocale::English)).contains(u"Cannot reconcile"_s));
#endif
}

void FinanceBoardTest::everySectionFailsAlone_data() {
    QTest::addColumn<QString>("section");
    QTest::addColumn<QStringList>("unavailable");
    QTest::addColumn<QStringList>("cannotReconcile"); // tables whose marks then say "cannot reconcile"
    QTest::newRow("overview") << u"overview"_s << QStringList{u"K3"_s} << QStringList{u"revenue"_s};
    QTest::newRow("trend") << u"trend"_s << QStringList{} << QStringList{};
    QTest::newRow("prepaid") << u"prepaid"_s << QStringList{u"K7"_s, u"K8"_s} << QStringList{u"prepaid"_s};
    QTest::newRow("revenue") << u"revenue"_s << QStringList{u"K1"_s, u"K2"_s}
                             << QStringList{u"revenue"_s, u"inflow"_s};
    QTest::newRow("inflow") << u"inflow"_s << QStringList{u"K4"_s, u"K6"_s}
                            << QStringList{u"inflow"_s, u"outflow"_s};
    QTest::newRow("coach") << u"coach"_s << QStringList{} << QStringList{};
}

void FinanceBoardTest::everySectionFailsAlone() {
#ifndef RISKDESK_BOARD_FAULTS
    QSKIP("the fault hook is compiled only into non-release builds");
#else
    QFETCH(QString, section);
    QFETCH(QStringList, unavailable);
    QFETCH(QStringList, cannotReconcile);
    BoardFaults::set({u"finance."_s + section});
    const BoardReport r = board();
    for (const BoardKpi& k : r.kpis())
        QCOMPARE(k.value.state() == CellState::Unavailable, unavailable.contains(k.key));
    QCOMPARE(r.table(section)->outcome().status(), SectionOutcome::Status::Error);
    QVERIFY(r.table(section)->outcome().coreError()->contains(u"finance."_s + section));
    for (const BoardTable& t : r.tables()) {
        if (t.key() == section || (section == u"revenue"_s && t.key() == u"revenue_discounts"_s) ||
            (section == u"inflow"_s && t.key() == u"inflow_excluded"_s) ||
            (section == u"coach"_s && t.key() == u"coach_tiers"_s))
            QCOMPARE(t.outcome().status(), SectionOutcome::Status::Error);
        else
            QVERIFY2(t.outcome().status() == SectionOutcome::Status::Ok, qPrintable(t.key()));
        QCOMPARE(hasWarning(t, Kind::CannotReconcile), cannotReconcile.contains(t.key()));
    }
#endif
}

void FinanceBoardTest::failedDiscountBreakdownLeavesTheCategoriesWhole() {
#ifndef RISKDESK_BOARD_FAULTS
    QSKIP("the fault hook is compiled only into non-release builds");
#else
    BoardFaults::set({u"finance.revenue_discounts"_s});
    const BoardReport r = board();
    const BoardTable* revenue = r.table(u"revenue"_s);
    QCOMPARE(revenue->outcome().status(), SectionOutcome::Status::Partial);
    QCOMPARE(revenue->rows().size(), 4);
    QCOMPARE(number(r.kpi(u"K1"_s)->value), 677000);
    QCOMPARE(number(r.kpi(u"K2"_s)->value), 33000);
    QCOMPARE(r.table(u"revenue_discounts"_s)->outcome().status(), SectionOutcome::Status::Error);
    QVERIFY(hasWarning(*revenue, Kind::CannotReconcile));
#endif
}

void FinanceBoardTest::ruleDifferenceWhenCoachRowDiffersFromK3() {
    exec(m_ws->db(), u"UPDATE bd_finance_income_structure SET discount_amount_fen = 0"
                     " WHERE biz_date = '2026-05-15' AND category = 'coach'"_s);
    const BoardReport r = board();
    exec(m_ws->db(), u"UPDATE bd_finance_income_structure SET discount_amount_fen = 3000"
                     " WHERE biz_date = '2026-05-15' AND category = 'coach'"_s);
    const BoardTable* t = r.table(u"revenue"_s);
    QVERIFY(hasWarning(*t, Kind::RuleDifference));
    for (const ReconciliationWarning& w : t->outcome().warnings())
        if (w.kind() == Kind::RuleDifference)
            QCOMPARE(*w.difference(), 3000);
}

void FinanceBoardTest::unknownCategoryKeepsItsName() {
    exec(m_ws->db(), u"INSERT INTO bd_finance_income_structure VALUES ('acme', 'S1', '2026-05-16', 'arcade',"
                     " 23000, 0, 1)"_s);
    const BoardReport r = board();
    exec(m_ws->db(), u"DELETE FROM bd_finance_income_structure WHERE category = 'arcade'"_s);
    const BoardTable* t = r.table(u"revenue"_s);
    QCOMPARE(t->rows().size(), 5);
    QCOMPARE(t->rows().last().id.toString(), u"arcade"_s);
    QCOMPARE(t->rows().last().cells[0].text, u"arcade"_s);
    QCOMPARE(number(r.kpi(u"K1"_s)->value), 700000);
    qint64 shares = 0;
    for (const BoardTableRow& row : t->rows())
        shares += number(t->cell(row, u"share"_s)->value);
    QCOMPARE(shares, 1000);
}

void FinanceBoardTest::kpisCarryThePreviousPeriodInJson() {
    const QJsonObject json = board().toJson();
    const QJsonArray kpis = json.value(u"kpis"_s).toArray();
    QCOMPARE(kpis.size(), 8);
    QJsonObject k1 = kpis[0].toObject();
    QCOMPARE(k1.value(u"key"_s).toString(), u"K1"_s);
    QCOMPARE(k1.value(u"state"_s).toString(), u"value"_s);
    QCOMPARE(k1.value(u"value"_s).toDouble(), 6770.0);
    const QJsonObject previous = k1.value(u"previous"_s).toObject();
    QCOMPARE(previous.value(u"from"_s).toString(), u"2026-04-01"_s);
    QCOMPARE(previous.value(u"to"_s).toString(), u"2026-04-30"_s);
    QCOMPARE(previous.value(u"value"_s).toObject().value(u"value"_s).toDouble(), 6000.0);
    QCOMPARE(kpis[1].toObject().value(u"change"_s).toObject().value(u"kind"_s).toString().isEmpty(), false);
    QCOMPARE(json.value(u"parameters"_s)
                 .toObject()
                 .value(u"previousPeriod"_s)
                 .toObject()
                 .value(u"from"_s)
                 .toString(),
             u"2026-04-01"_s);
    // K2's previous is a computed zero, not missing.
    QCOMPARE(kpis[1]
                 .toObject()
                 .value(u"previous"_s)
                 .toObject()
                 .value(u"value"_s)
                 .toObject()
                 .value(u"state"_s)
                 .toString(),
             u"zero"_s);
}

// F1 is loaded through 2026-06-01: 2026-06-02 has no data yet. Its sums are "no data" with the reason, never
// ¥0.00 ▼ −100% against a day that was loaded.
// The fixture's daily summary begins on 2026-04-15: nothing before it was ever loaded. A period before then
// is no data, like one after the watermark, and a change against it is "—", not "new".
void FinanceBoardTest::daysBeforeTheDataBeginAreNoDataNotZero() {
    const BoardReport march = board({2026, 3, 1}, {2026, 3, 31});
    for (const QString& key : {u"K1"_s, u"K4"_s, u"K5"_s, u"K7"_s}) {
        const BoardKpi* kpi = march.kpi(key);
        QCOMPARE(kpi->value.state(), CellState::NoData);
        QVERIFY2(kpi->value.tooltip().contains(u"before the site's data begin (2026-04-15)"_s),
                 qPrintable(key + u": "_s + kpi->value.tooltip()));
    }
    QCOMPARE(march.table(u"revenue"_s)->outcome().status(), SectionOutcome::Status::NoData);
    QVERIFY2(march.badges().join(u' ').contains(u"begin on 2026-04-15, after this period ends"_s),
             qPrintable(march.badges().join(u" | "_s)));
    // Its drill-downs' footers say the same as the cells clicked.
    checkNoDataFooters({2026, 3, 1}, {2026, 3, 31}, {u"kpi:K1"_s, u"kpi:K3"_s, u"inflow:amount:total"_s},
                       u"before the site's data begin (2026-04-15)"_s);
    if (QTest::currentTestFailed())
        return;

    // April begins before the data and is compared with March, which holds nothing: figures, no changes.
    const BoardReport april = board({2026, 4, 1}, {2026, 4, 30});
    QCOMPARE(april.kpi(u"K1"_s)->value.state(), CellState::Value);
    QCOMPARE(april.kpi(u"K1"_s)->change->kind(), PeriodChange::Kind::NoData);
    QCOMPARE(april.kpi(u"K4"_s)->change->kind(), PeriodChange::Kind::NoData);
    const QString aprilBadges = april.badges().join(u' ');
    QVERIFY2(aprilBadges.contains(u"this period's days before then hold nothing, and the previous period "
                                  "(2026-03-01 ~ 2026-03-31) ends before them"_s),
             qPrintable(aprilBadges));
    // Its trend (by day) shows the days before the data as no data, not ¥0.00 (helper-72), and still adds up
    // to K1.
    const BoardTable* trend = april.table(u"trend"_s);
    QVERIFY(trend);
    QCOMPARE(trend->rows().size(), 30);
    const BoardValue& april14 = trend->rowById(u"2026-04-14"_s)->cells[2].value;
    QCOMPARE(april14.state(), CellState::NoData);
    QVERIFY2(april14.tooltip().contains(u"before the site's data begin (2026-04-15)"_s),
             qPrintable(april14.tooltip()));
    QCOMPARE(trend->rowById(u"2026-04-15"_s)->cells[2].value.state(), CellState::Value);
    QCOMPARE(trend->totals()->cells[2].value.number(), april.kpi(u"K1"_s)->value.number());
    // Its roll-forward cannot be checked without an opening balance, and says which figure is missing and
    // why, once a row; the total's mark says it too, but the section's list does not repeat it (helper-80).
    const BoardTable* prepaid = april.table(u"prepaid"_s);
    const QLocale en(QLocale::English);
    QStringList messages;
    for (const ReconciliationWarning& w : prepaid->outcome().warnings())
        messages << w.message(en);
    const QString missing = u"Cannot reconcile. Missing: opening balance (no closing balance is recorded for "
                            "2026-03-31)."_s;
    QCOMPARE(messages, (QStringList{u"Stored-value card: "_s + missing, u"Gift card: "_s + missing}));
    QCOMPARE(prepaid->totals()->cells.last().note, u"Prepaid total: "_s + missing);
    QCOMPARE(prepaid->outcome().warnings()[0].toJson().value(u"missing"_s).toString(),
             u"opening balance (no closing balance is recorded for 2026-03-31)"_s);

    // May against April: compared as always (AC-B3-12), with the warning that April starts before the data.
    const BoardReport may = board();
    QCOMPARE(*may.kpi(u"K1"_s)->change->tenths(), 128);
    QVERIFY2(
        may.badges().join(u' ').contains(u"begin on 2026-04-15, within the previous period (2026-04-01 ~ "
                                         "2026-04-30)"_s),
        qPrintable(may.badges().join(u" | "_s)));
}

void FinanceBoardTest::aPeriodNotLoadedIsNoDataNotZero() {
    const BoardReport r = board({2026, 6, 2}, {2026, 6, 2});
    for (const QString& key : {u"K1"_s, u"K2"_s, u"K3"_s, u"K4"_s, u"K5"_s, u"K6"_s, u"K7"_s, u"K8"_s}) {
        const BoardKpi* kpi = r.kpi(key);
        QCOMPARE(kpi->value.state(), CellState::NoData);
        QVERIFY2(kpi->value.tooltip().contains(u"2026-06-01"_s),
                 qPrintable(key + u": "_s + kpi->value.tooltip()));
        QCOMPARE(kpi->change->kind(), PeriodChange::Kind::NoData);
        QCOMPARE(kpi->change->explanation(), u"no data for the current period"_s);
    }
    // The previous day is loaded: the overview still shows it, next to the current period's "—".
    const BoardTable* overview = r.table(u"overview"_s);
    QCOMPARE(overview->outcome().status(), SectionOutcome::Status::Ok);
    QCOMPARE(
        overview->cell(*overview->rowById(u"K1"_s), u"value"_s)->value.display(ValueUnit::Fen, QLocale()),
        u"—"_s);
    QCOMPARE(r.table(u"trend_previous"_s)->outcome().status(), SectionOutcome::Status::Ok);
    // Every section of the day's figures says why there is nothing, and reconciles nothing.
    for (const QString& key : {u"trend"_s, u"prepaid"_s, u"revenue"_s, u"revenue_discounts"_s, u"inflow"_s,
                               u"inflow_excluded"_s, u"outflow"_s}) {
        const BoardTable* t = r.table(key);
        QCOMPARE(t->outcome().status(), SectionOutcome::Status::NoData);
        QVERIFY2(t->outcome().headerNote().contains(u"not loaded yet (data are loaded through 2026-06-01)"_s),
                 qPrintable(key + u": "_s + t->outcome().headerNote()));
        QVERIFY2(t->outcome().warnings().isEmpty(), qPrintable(key));
        QVERIFY(!t->outcome().showsRows());
        QVERIFY(!t->toText(QLocale(QLocale::English)).contains(u"0.00"_s));
    }
    // The coach analysis reads monthly salary rows, loaded apart from the days: June's are read as they are.
    QVERIFY(r.table(u"coach"_s)->outcome().status() != SectionOutcome::Status::NoData);
    QVERIFY(r.badges().join(u' ').contains(u"no day of this period is loaded yet"_s));
    QVERIFY(!BoardChartCatalog::chart(r, u"finance.trend"_s, QLocale(QLocale::English)));
    // A drill-down's footer says the same: "—" with the reason, not ¥0.00.
    checkNoDataFooters({2026, 6, 2}, {2026, 6, 2}, {u"kpi:K1"_s, u"kpi:K8"_s, u"inflow:amount:total"_s},
                       u"not loaded yet (data are loaded through 2026-06-01)"_s);
    if (QTest::currentTestFailed())
        return;
    // A loaded day without a balance row: the board's K8 is "—", and so is its drill-down's footer.
    const BoardReport loaded = board({2026, 6, 1}, {2026, 6, 1});
    QCOMPARE(loaded.kpi(u"K8"_s)->value.state(), CellState::NoData);
    QCOMPARE(number(loaded.kpi(u"K1"_s)->value), 0); // a loaded day without income is a real zero
    const auto k8 = compute({2026, 6, 1}, {2026, 6, 1}, u"kpi:K8"_s);
    QVERIFY(k8);
    QCOMPARE(k8.value().tables().first().totals()->cells.last().value.state(), CellState::NoData);
}

// Loaded through 2026-05-30, May's last day has no data: its trend row is "—" (not a day without business),
// the line stops at the 30th, and the prepaid roll-forward closes on the 30th, saying so.
void FinanceBoardTest::daysAfterTheWatermarkAreNoDataAndTheRollForwardStopsThere() {
    const auto restore = loadedThrough(m_ws->db(), u"2026-05-30"_s);
    // 05-31 has a recharge and a new closing balance, past the watermark: the roll-forward must stop at 05-30
    // on both sides, or it would not reconcile (and the old closing-on-the-last-day would read 10,850.00).
    exec(m_ws->db(),
         u"UPDATE bd_finance_recharge_summary SET added_amount_fen = 50000, closing_balance_fen = "
         "1085000 WHERE site_id = 'S1' AND biz_date = '2026-05-31' AND card_type = 'stored_value'"_s);
    const auto undo = qScopeGuard([this] {
        exec(m_ws->db(),
             u"UPDATE bd_finance_recharge_summary SET added_amount_fen = 0, closing_balance_fen = "
             "1035000 WHERE site_id = 'S1' AND biz_date = '2026-05-31' AND card_type = "
             "'stored_value'"_s);
    });
    const BoardReport r = board();
    const BoardTable* trend = r.table(u"trend"_s);
    QCOMPARE(trend->outcome().status(), SectionOutcome::Status::Ok);
    const BoardValue& last = trend->cell(*trend->rowById(u"2026-05-31"_s), u"k1"_s)->value;
    QCOMPARE(last.state(), CellState::NoData);
    QCOMPARE(last.tooltip(), u"No data: not loaded yet (data are loaded through 2026-05-30)"_s);
    QVERIFY(trend->cell(*trend->rowById(u"2026-05-30"_s), u"k1"_s)->value.number());
    QCOMPARE(number(trend->cell(*trend->totals(), u"k1"_s)->value), number(r.kpi(u"K1"_s)->value));
    const auto chart = BoardChartCatalog::chart(r, u"finance.trend"_s, QLocale(QLocale::English));
    QVERIFY(chart);
    QCOMPARE(chart->categories.size(), 31);
    QCOMPARE(chart->series.first().values.size(), 30);
    // April has 30 days; its first 14 come before the site's data begin (2026-04-15): not drawn, not zeros.
    QCOMPARE(chart->previous->first, 14);
    QCOMPARE(chart->previous->values.size(), 16);
    QCOMPARE(chart->positions(), 31);
    QCOMPARE(chart->pointText(-1, 3, QLocale(QLocale::English)), QString());
    QVERIFY2(chart->pointText(-1, 14, QLocale(QLocale::English)).contains(u"Apr 15"_s),
             qPrintable(chart->pointText(-1, 14, QLocale(QLocale::English))));
    const QList<QStringList> asTable = chart->asTable(QLocale(QLocale::English));
    QCOMPARE(asTable.at(1).last(), QString()); // May 1 against April 1: no data then
    QVERIFY(!asTable.at(15).last().isEmpty());
    const auto spark = BoardChartCatalog::sparkline(r, u"K1"_s);
    QVERIFY(spark);
    QCOMPARE(spark->series.first().values.size(), 30);

    const BoardTable* prepaid = r.table(u"prepaid"_s);
    QVERIFY(prepaid->notes().contains(
        u"Closing balances and active cards are those of 2026-05-30, the last day loaded."_s));
    QCOMPARE(number(prepaid->cell(*prepaid->rowById(u"stored_value"_s), u"closing"_s)->value), 1035000);
    QVERIFY(prepaid->outcome().warnings().isEmpty());
    QCOMPARE(number(prepaid->cell(*prepaid->rowById(u"stored_value"_s), u"additions"_s)->value), 300000);
    QCOMPARE(number(r.kpi(u"K8"_s)->value), 1035000);
    QCOMPARE(number(r.kpi(u"K7"_s)->value), 300000);
    // The additions drill runs to the same day as its cell.
    const auto added = compute({2026, 5, 1}, {2026, 5, 31}, u"prepaid:additions:stored_value"_s);
    QVERIFY(added);
    QCOMPARE(number(added.value().tables().first().totals()->cells.last().value), 300000);
    // The closing cell's drill reads the same day.
    const auto closing = compute({2026, 5, 1}, {2026, 5, 31}, u"prepaid:closing:stored_value"_s);
    QVERIFY2(closing, closing ? "" : qPrintable(closing.problem().message));
    const BoardTable& rows = closing.value().tables().first();
    QCOMPARE(rows.rows().size(), 1);
    QCOMPARE(rows.rows().first().cells.first().text, u"2026-05-30"_s);
    QCOMPARE(number(rows.totals()->cells.last().value), 1035000);
}

// Section 6 of a month with no day loaded: the monthly salary rows stand on their own (and so do their
// drill-downs), while K3 of the month and its ratio are no data; a month without salary rows is no data, not
// "0 coaches, ¥0.00".
void FinanceBoardTest::coachAnalysisOfAMonthNotLoadedYet() {
    const auto restore = loadedThrough(m_ws->db(), u"2026-04-30"_s);
    const QString why = u"not loaded yet (data are loaded through 2026-04-30)"_s;
    const BoardReport may = board();
    const BoardTable* t = may.table(u"coach"_s);
    const BoardTableRow& row = *t->rowById(u"2026-05-01"_s);
    QCOMPARE(number(t->cell(row, u"basic"_s)->value), 42000);
    QCOMPARE(t->cell(row, u"service_income"_s)->value.reason(), why);
    QCOMPARE(t->cell(row, u"course_cost_ratio"_s)->value.reason(), why);
    // The salary drill-down is not gated by the days: its footer equals the cell, rows listed.
    const auto basic = compute({2026, 5, 1}, {2026, 5, 31}, u"coach:basic:2026-05-01"_s);
    QVERIFY2(basic, basic ? "" : qPrintable(basic.problem().message));
    QVERIFY(basic.value().tables().first().outcome().showsRows());
    QCOMPARE(number(basic.value().tables().first().totals()->cells.last().value), 42000);
    // K3's drill-down reads no row of a month not loaded: no data, as its cell.
    const auto k3 = compute({2026, 5, 1}, {2026, 5, 31}, u"coach:service_income:2026-05-01"_s);
    QVERIFY2(k3, k3 ? "" : qPrintable(k3.problem().message));
    QCOMPARE(k3.value().tables().first().outcome().status(), SectionOutcome::Status::NoData);
    QVERIFY(k3.value().tables().first().rows().isEmpty());
    QCOMPARE(k3.value().tables().first().totals()->cells.last().value.reason(), why);
    // So does any drill of the unloaded range, with the rows it used to list under a "—" footer.
    const auto k1 = compute({2026, 5, 1}, {2026, 5, 31}, u"kpi:K1"_s);
    QVERIFY(k1);
    QCOMPARE(k1.value().tables().first().outcome().status(), SectionOutcome::Status::NoData);
    QVERIFY(k1.value().tables().first().rows().isEmpty());
    QCOMPARE(k1.value().tables().first().total(), 0);

    // July: no salary row, no day loaded.
    const BoardReport july = board({2026, 7, 1}, {2026, 7, 31});
    const BoardTable* j = july.table(u"coach"_s);
    const BoardTableRow& julyRow = *j->rowById(u"2026-07-01"_s);
    for (const QString& key : {u"coaches"_s, u"gross"_s, u"gross_per_coach"_s})
        QCOMPARE(j->cell(julyRow, key)->value.reason(), FinanceCoachAnalysis::noSalaryRows());
    QCOMPARE(j->cell(julyRow, u"service_income"_s)->value.state(), CellState::NoData);
    QVERIFY(!j->toText(QLocale(QLocale::English)).contains(u"0.00"_s));
    // By tier there is no row at all: the section says why instead of a bare header.
    QCOMPARE(july.table(u"coach_tiers"_s)->outcome().headerNote(),
             u"No data: "_s + FinanceCoachAnalysis::noSalaryRows());
    const auto gross = compute({2026, 7, 1}, {2026, 7, 31}, u"coach:gross:2026-07-01"_s);
    QVERIFY(gross);
    QCOMPARE(gross.value().tables().first().totals()->cells.last().value.reason(),
             FinanceCoachAnalysis::noSalaryRows());
}

// 06-01 ~ 06-20 is loaded through 06-01 only: its changes compare that one day with the first day of the
// previous range (05-12), not with all 20 days of it (every change would read as a steep fall).
void FinanceBoardTest::aPartlyLoadedPeriodComparesLikeWithLike() {
    const BoardReport r = board({2026, 6, 1}, {2026, 6, 20});
    const BoardReport firstDay = board({2026, 5, 12}, {2026, 5, 12});
    const BoardReport wholePrevious = board({2026, 5, 12}, {2026, 5, 31});
    QCOMPARE(r.parameters().value(u"comparison"_s).toString(), u"PoP 2026-05-12 ~ 2026-05-12"_s);
    const BoardTable* overview = r.table(u"overview"_s);
    bool differs = false;
    for (const QString& key : {u"K1"_s, u"K4"_s, u"K5"_s, u"K7"_s, u"K8"_s}) {
        const BoardKpi* kpi = r.kpi(key);
        QCOMPARE(kpi->comparison, u"PoP 2026-05-12 ~ 2026-05-12"_s);
        QCOMPARE(kpi->previous.value(u"to"_s).toString(), u"2026-05-12"_s);
        const BoardValue& previous = overview->cell(*overview->rowById(key), u"previous"_s)->value;
        QCOMPARE(previous.display(ValueUnit::Fen, QLocale::c()),
                 firstDay.kpi(key)->value.display(ValueUnit::Fen, QLocale::c()));
        differs = differs || previous.display(ValueUnit::Fen, QLocale::c()) !=
                                 wholePrevious.kpi(key)->value.display(ValueUnit::Fen, QLocale::c());
        // The previous cell's drill-down reads the same day.
        const auto drill = compute({2026, 6, 1}, {2026, 6, 20}, u"overview:previous:"_s + key);
        QVERIFY2(drill, drill ? "" : qPrintable(drill.problem().message));
        QCOMPARE(
            drill.value().tables().first().totals()->cells.last().value.display(ValueUnit::Fen, QLocale::c()),
            previous.display(ValueUnit::Fen, QLocale::c()));
    }
    QVERIFY(differs); // else the fixture could not tell the two rules apart
    QVERIFY2(
        r.badges().join(u' ').contains(u"as many days of the previous period (2026-05-12 ~ 2026-05-12)"_s),
        qPrintable(r.badges().join(u' ')));
}

// The watermark decides what is no data: one that cannot be read fails the board with the reason (as the
// other boards do), rather than being taken as unknown, which counted every day as loaded.
void FinanceBoardTest::anUnreadableWatermarkFailsTheBoard() {
    exec(m_ws->db(), u"ALTER TABLE bd_etl_watermark RENAME TO bd_etl_watermark_away"_s);
    const auto restore = qScopeGuard(
        [this] { exec(m_ws->db(), u"ALTER TABLE bd_etl_watermark_away RENAME TO bd_etl_watermark"_s); });
    for (const QString& drill : {QString(), u"kpi:K1"_s}) {
        const auto r = compute({2026, 6, 2}, {2026, 6, 2}, drill);
        QVERIFY(!r);
        QVERIFY2(r.problem().message.contains(u"Reading the data's watermark"_s),
                 qPrintable(r.problem().message));
    }
}

// Section 6 lists tiers by tier id, not by name: by code point 三 sorts before 二.
void FinanceBoardTest::tiersAreInTheirOwnOrder() {
    exec(m_ws->db(),
         u"INSERT INTO bd_assistant_salary_calc (tenant_id, site_id, assistant_id, salary_month, "
         "assistant_level_name, tier_id, base_hours, effective_hours, gross_salary_fen, sprint_bonus_fen, "
         "base_income_fen, bonus_income_fen, etl_version) VALUES "
         "('acme', 'S1', 1, '2026-07-01', '三档', 3, 1, 1, 100, 0, 100, 0, 1), "
         "('acme', 'S1', 2, '2026-07-01', '二档', 2, 1, 1, 100, 0, 100, 0, 1), "
         "('acme', 'S1', 3, '2026-07-01', '一档', 1, 1, 1, 100, 0, 100, 0, 1)"_s);
    const auto undo = qScopeGuard([this] {
        exec(m_ws->db(), u"DELETE FROM bd_assistant_salary_calc WHERE salary_month = '2026-07-01'"_s);
    });
    const BoardReport july = board({2026, 7, 1}, {2026, 7, 31}); // the table lives in the report
    const BoardTable* tiers = july.table(u"coach_tiers"_s);
    QVERIFY(tiers);
    QStringList order;
    for (const BoardTableRow& row : tiers->rows())
        order << row.id.toString();
    QCOMPARE(order, (QStringList{u"2026-07-01/一档"_s, u"2026-07-01/二档"_s, u"2026-07-01/三档"_s}));
}

void FinanceBoardTest::trendBucketsAddUpToTheKpis_data() {
    QTest::addColumn<QString>("granularity");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<QString>("bucketWithData"); // the bucket holding 2026-05-15
    QTest::newRow("day (default)") << QString() << 31 << u"2026-05-15"_s;
    QTest::newRow("week") << u"week"_s << 5 << u"2026-05-11"_s; // 05-01~03, 04~10, 11~17, 18~24, 25~31
    QTest::newRow("month") << u"month"_s << 1 << u"2026-05-01"_s;
}

void FinanceBoardTest::trendBucketsAddUpToTheKpis() {
    QFETCH(QString, granularity);
    QFETCH(int, buckets);
    QFETCH(QString, bucketWithData);
    const BoardReport r = board({2026, 5, 1}, {2026, 5, 31}, granularity);
    const BoardTable* t = r.table(u"trend"_s);
    QCOMPARE(t->rows().size(), buckets);
    QCOMPARE(t->rows().first().cells[0].text, u"2026-05-01"_s);
    QCOMPARE(t->rows().last().cells[1].text, u"2026-05-31"_s);
    QCOMPARE(number(t->cell(*t->totals(), u"k1"_s)->value), number(r.kpi(u"K1"_s)->value));
    QCOMPARE(number(t->cell(*t->totals(), u"k4"_s)->value), number(r.kpi(u"K4"_s)->value));
    QCOMPARE(number(t->cell(*t->totals(), u"k5"_s)->value), number(r.kpi(u"K5"_s)->value));
    QCOMPARE(number(t->cell(*t->rowById(bucketWithData), u"k1"_s)->value), 677000);
    // A bucket's drill lists the days of the whole bucket, never only its first day.
    const auto drill = compute({2026, 5, 1}, {2026, 5, 31}, u"trend:k4:"_s + bucketWithData, granularity);
    QVERIFY2(drill, drill ? "" : qPrintable(drill.problem().message));
    const BoardTable& rows = drill.value().tables().first();
    QCOMPARE(number(rows.totals()->cells.last().value), 694000);
}

// A week or month the figures hold only part of reads low for that reason alone: the bucket says so, on its
// cells and in the section's notes above the chart (helper-80: a running month looked like a collapse).
void FinanceBoardTest::partialBucketsAreNamed() {
    using G = FinanceTrend::Granularity;
    using B = FinanceTrend::Bucket;
    const B may{{2026, 5, 1}, {2026, 5, 31}};
    QCOMPARE(FinanceTrend::partialNote(may, G::Month, {2026, 4, 15}, {2026, 6, 2}), QString());
    QCOMPARE(FinanceTrend::partialNote(may, G::Month, {}, {2026, 5, 20}),
             u"2026-05 holds 20 of its 31 days (2026-05-01 ~ 2026-05-20): its figures are partial."_s);
    QCOMPARE(FinanceTrend::partialNote(B{{2026, 4, 1}, {2026, 4, 30}}, G::Month, {2026, 4, 15}, {}),
             u"2026-04 holds 16 of its 30 days (2026-04-15 ~ 2026-04-30): its figures are partial."_s);
    // Cut by the period: 2026-05-01 is a Friday.
    QCOMPARE(
        FinanceTrend::partialNote(B{{2026, 5, 1}, {2026, 5, 3}}, G::Week, {}, {}),
        u"The week of 2026-04-27 holds 3 of its 7 days (2026-05-01 ~ 2026-05-03): its figures are partial."_s);
    QCOMPARE(FinanceTrend::partialNote(B{{2026, 5, 4}, {2026, 5, 10}}, G::Week, {}, {}), QString());
    // A bucket with no data at all says so in its cells instead; a day is never partial.
    QCOMPARE(FinanceTrend::partialNote(B{{2026, 6, 1}, {2026, 6, 30}}, G::Month, {}, {2026, 5, 31}),
             QString());
    QCOMPARE(FinanceTrend::partialNote(B{{2026, 5, 3}, {2026, 5, 3}}, G::Day, {2026, 5, 4}, {}), QString());

    // On the board: April and May by month, the site's data beginning on 2026-04-15.
    const BoardReport r = board({2026, 4, 1}, {2026, 5, 31}, u"month"_s);
    const BoardTable* t = r.table(u"trend"_s);
    const QString april =
        u"2026-04 holds 16 of its 30 days (2026-04-15 ~ 2026-04-30): its figures are partial."_s;
    QVERIFY2(t->notes().contains(april), qPrintable(t->notes().join(u" | "_s)));
    for (int c = 0; c < t->columns().size(); ++c) {
        QCOMPARE(t->rowById(u"2026-04-01"_s)->cells[c].note, april);
        QVERIFY(t->rowById(u"2026-05-01"_s)->cells[c].note.isEmpty());
    }
}

void FinanceBoardTest::drillFootersEqualEveryClickedValue() {
    const BoardReport r = board();
    QStringList cells;
    QList<qint64> clicked;
    for (const BoardKpi& k : r.kpis()) {
        cells << u"kpi:"_s + k.key;
        clicked << number(k.value);
    }
    static const QStringList derived{u"share"_s, u"incentive_share"_s, u"gross_per_coach"_s,
                                     u"course_cost_ratio"_s};
    for (const BoardTable& t : r.tables()) {
        QList<BoardTableRow> rows = t.rows();
        if (t.totals())
            rows << *t.totals();
        for (const BoardTableRow& row : rows)
            for (qsizetype c = 0; c < t.columns().size(); ++c) {
                const BoardTableColumn& column = t.columns()[c];
                if (column.type != BoardTableColumn::Type::Value || derived.contains(column.key))
                    continue;
                const BoardValue& v = row.cells[c].value;
                if (!v.number())
                    continue;
                cells << u"%1:%2:%3"_s.arg(t.key(), column.key, row.id.toString());
                clicked << *v.number();
            }
    }
    QVERIFY(cells.size() > 120);
    int withRows = 0;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const auto drill = compute({2026, 5, 1}, {2026, 5, 31}, cells[i]);
        QVERIFY2(drill, qPrintable(cells[i] + u": "_s + (drill ? QString() : drill.problem().message)));
        const BoardTable& rows = drill.value().tables().first();
        QVERIFY2(rows.totals()->cells.last().value.number(), qPrintable(cells[i]));
        QVERIFY2(*rows.totals()->cells.last().value.number() == clicked[i],
                 qPrintable(u"%1: footer %2, clicked %3"_s.arg(cells[i])
                                .arg(*rows.totals()->cells.last().value.number())
                                .arg(clicked[i])));
        if (!rows.rows().isEmpty())
            ++withRows;
    }
    QVERIFY(withRows > 80);
    // F2's May amounts are single rows dated 2026-05-15: the drill of K1 lists that day's four categories.
    const auto k1 = compute({2026, 5, 1}, {2026, 5, 31}, u"kpi:K1"_s);
    QCOMPARE(k1.value().tables().first().rows().size(), 4);
    QCOMPARE(k1.value().watermark(), QDate(2026, 6, 1)); // 数据截至 also on a drill-down
    QCOMPARE(k1.value().tables().first().rows().first().cells[0].text, u"2026-05-15"_s);
    // In section 1's order (table fees, coach service, goods, other), not by code (coach, goods, other,
    // table).
    QStringList categories;
    for (const BoardTableRow& row : k1.value().tables().first().rows())
        categories << row.id.toString();
    QCOMPARE(categories, (QStringList{u"2026-05-15/table"_s, u"2026-05-15/coach"_s, u"2026-05-15/goods"_s,
                                      u"2026-05-15/other"_s}));
    // K3 drills to service-log rows: L5, L6, L8, L7, L13, L10, L11 (L9 is voided, L12 is June).
    const auto k3 = compute({2026, 5, 1}, {2026, 5, 31}, u"kpi:K3"_s);
    QStringList ids;
    for (const BoardTableRow& row : k3.value().tables().first().rows())
        ids << row.id.toString();
    QCOMPARE(ids, (QStringList{u"5"_s, u"6"_s, u"8"_s, u"7"_s, u"13"_s, u"10"_s, u"11"_s}));
}

void FinanceBoardTest::serviceLogDrillPagesByKeyWithTheWholeFooter() {
    // K3 of May is L5, L6, L8, L7, L13, L10, L11 (ordered by day, then id): pages of 2 by key.
    const auto scope = BoardScope::open(m_ws->db(), u"acme"_s);
    QVERIFY(scope);
    const auto k3 = number(board().kpis().at(2).value);
    QStringList seen;
    for (qint64 page = 1; page <= 5; ++page) {
        BoardRequest request;
        request.tenant = u"acme"_s;
        request.site = u"S1"_s;
        request.today = QDate(2026, 6, 2);
        request.period = BoardPeriod::custom({2026, 5, 1}, {2026, 5, 31}).value();
        request.drill = u"kpi:K3"_s;
        request.page = page;
        request.pageSize = 2;
        const auto drill = FinanceBoard::compute(m_ws->db(), scope.value(), request);
        QVERIFY2(drill, drill ? "" : qPrintable(drill.problem().message));
        const BoardTable& t = drill.value().tables().first();
        QCOMPARE(t.total(), 7);
        QCOMPARE(t.page(), page);
        QVERIFY(t.rows().size() <= 2);
        // Every page's footer is the whole set's sum, the clicked K3.
        QCOMPARE(number(t.totals()->cells.last().value), k3);
        for (const BoardTableRow& row : t.rows())
            seen << row.id.toString();
    }
    QCOMPARE(seen, (QStringList{u"5"_s, u"6"_s, u"8"_s, u"7"_s, u"13"_s, u"10"_s, u"11"_s}));
}

void FinanceBoardTest::serviceIncomeReadFromACoveringIndex() {
    // K3 and its drill read the service log's index alone (migration 014), never a table row per log.
    for (const QString& sql :
         {u"SELECT COALESCE(SUM(ledger_amount_fen), 0) FROM bd_assistant_service_log WHERE tenant_id = 'acme'"
          " AND site_id = 'S1' AND is_delete = 0 AND biz_date BETWEEN '2026-05-01' AND '2026-05-31'"_s,
          u"SELECT biz_date, assistant_service_id, site_assistant_id, ledger_amount_fen"
          " FROM bd_assistant_service_log WHERE tenant_id = 'acme' AND site_id = 'S1' AND is_delete = 0"
          " AND biz_date BETWEEN '2026-05-01' AND '2026-05-31' ORDER BY biz_date, assistant_service_id"_s}) {
        QSqlQuery q(m_ws->db());
        QVERIFY2(q.exec(u"EXPLAIN QUERY PLAN "_s + sql), qPrintable(q.lastError().text()));
        QString plan;
        while (q.next())
            plan += q.value(3).toString() + u'\n';
        QVERIFY2(!q.lastError().isValid(), qPrintable(q.lastError().text()));
        QVERIFY2(plan.contains(u"COVERING INDEX bd_sl_income_by_day"_s), qPrintable(plan));
        QVERIFY2(!plan.contains(u"TEMP B-TREE"_s), qPrintable(plan));
    }
}

void FinanceBoardTest::drillRefusesWhatItCannotList() {
    for (const QString& cell :
         {u"kpi:K9"_s, u"revenue:share:table"_s, u"nonsense"_s, u"inflow:amount:bitcoin"_s,
          u"prepaid:closing:platinum"_s, u"trend:k1:2026-06-02"_s, u"coach:basic:2026-05"_s,
          u"coach:gross_per_coach:2026-05-01"_s}) {
        const auto drill = compute({2026, 5, 1}, {2026, 5, 31}, cell);
        QVERIFY2(!drill, qPrintable(cell));
        QCOMPARE(drill.problem().field, u"drill"_s);
        QVERIFY2(drill.problem().message.contains(u"kpi:K1"_s), qPrintable(drill.problem().message));
    }
}

void FinanceBoardTest::labelsInChinese() {
    QTranslator translator;
    QVERIFY(translator.load(QStringLiteral(RISKDESK_QM_DIR) + u"/riskdesk_zh_CN.qm"_s));
    QCoreApplication::installTranslator(&translator);
    const BoardReport r = board();
    // The text output names the granularity in the reader's language, not by its key.
    const QString text = r.toText(QLocale(QLocale::Chinese, QLocale::China));
    QCoreApplication::removeTranslator(&translator);
    QVERIFY2(text.contains(u"趋势粒度: 按日\n"_s), qPrintable(text.left(300)));
    QCOMPARE(r.title(), u"财务看板"_s);
    QCOMPARE(r.kpi(u"K1"_s)->label, u"应计收入"_s);
    const BoardTable* revenue = r.table(u"revenue"_s);
    QCOMPARE(revenue->rowById(u"table"_s)->cells[0].text, u"台费"_s);
    QCOMPARE(revenue->rowById(u"coach"_s)->cells[0].text, u"助教服务"_s);
    QCOMPARE(revenue->rowById(u"goods"_s)->cells[0].text, u"商品酒水"_s);
    QCOMPARE(r.table(u"inflow"_s)->rowById(u"wechat"_s)->cells[0].text, u"微信"_s);
    QCOMPARE(r.table(u"outflow"_s)->rowById(u"personnel"_s)->cells[0].text, u"人力成本"_s);
    QCOMPARE(r.table(u"prepaid"_s)->rowById(u"stored_value"_s)->cells[0].text, u"储值卡"_s);
    QCOMPARE(r.table(u"revenue_discounts"_s)->rowById(u"member"_s)->cells[0].text, u"会员折扣"_s);
}

void FinanceBoardTest::commandLine() {
    test::TestWorkspace ws(3);
    QVERIFY(BoardWorkspaceLoad::load(ws.db(), u"acme"_s, kFixture));
    const QString path = ws.path();
    ws.workspace().close();
    const QStringList base{u"board"_s,    u"finance"_s,    u"--workspace"_s, path,
                           u"--tenant"_s, u"acme"_s,       u"--site"_s,      u"S1"_s,
                           u"--from"_s,   u"2026-05-01"_s, u"--to"_s,        u"2026-05-31"_s};
    QProcess p;
    const auto run = [&](const QStringList& extra) {
        p.start(QStringLiteral(RISKDESK_BINARY), base + extra);
        return p.waitForFinished(60000);
    };
    QVERIFY(run({}));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QString text = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY(text.contains(u"Accrued revenue: CN¥6,770.00  ▲ +12.8%  (PoP 2026-04-01 ~ 2026-04-30)"_s));
    QVERIFY(text.contains(u"Net cash flow: CN¥780.00  ▲ +490.0%"_s));

    QVERIFY(run({u"--format"_s, u"json"_s}));
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject json = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QCOMPARE(json.value(u"board"_s).toString(), u"finance"_s);
    QCOMPARE(json.value(u"kpis"_s).toArray()[3].toObject().value(u"value"_s).toDouble(), 6940.0);
    QCOMPARE(json.value(u"sections"_s).toArray().size(), 11); // trend_previous: the trend chart's dashed line

    QVERIFY(run({u"--format"_s, u"csv"_s, u"--section"_s, u"revenue"_s}));
    QCOMPARE(p.exitCode(), 0);
    const QByteArray csv = p.readAllStandardOutput();
    QVERIFY(csv.startsWith("\xEF\xBB\xBF"));
    QVERIFY(csv.contains("Table fees,5000.00,300.00,4700.00,69.4"));
    // A section of a day not loaded yet: its CSV is the header alone, and standard error says why.
    p.start(QStringLiteral(RISKDESK_BINARY),
            {u"board"_s, u"finance"_s, u"--workspace"_s, path, u"--tenant"_s, u"acme"_s, u"--site"_s, u"S1"_s,
             u"--from"_s, u"2026-06-02"_s, u"--to"_s, u"2026-06-02"_s, u"--format"_s, u"csv"_s,
             u"--section"_s, u"inflow"_s});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput().count('\n'), 1);
    QCOMPARE(QString::fromUtf8(p.readAllStandardError()).trimmed(),
             u"Cash inflow: No data: not loaded yet (data are loaded through 2026-06-01)"_s);

    QVERIFY(run({u"--drill"_s, u"outflow:amount:personnel"_s, u"--format"_s, u"csv"_s}));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(p.readAllStandardOutput().contains(",3600.00"));

    QVERIFY(run({u"--lang"_s, u"zh_CN"_s}));
    QCOMPARE(p.exitCode(), 0);
    const QString zh = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY(zh.contains(u"应计收入"_s));
    QVERIFY(zh.contains(u"台费"_s));

    // Refusals: bad usage names the option.
    QVERIFY(run({u"--granularity"_s, u"hourly"_s}));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(u"day, week or month"_s));
    QVERIFY(run({u"--drill"_s, u"kpi:K9"_s}));
    QCOMPARE(p.exitCode(), 2);
    // A row the section never shows is refused with the rows it has, not answered with a zero (helper-84).
    for (const QString& cell : {u"revenue:accrued:nope"_s, u"revenue_discounts:amount:nope"_s,
                                u"outflow:amount:personnel/nope"_s, u"outflow:previous:nope"_s}) {
        QVERIFY(run({u"--drill"_s, cell}));
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(u"has no row \""_s + cell.section(u':', 2) + u'"') && err.contains(u"total"_s),
                 qPrintable(err));
    }
    QVERIFY(run({u"--drill"_s, u"revenue:accrued:nope"_s}));
    QVERIFY2(QString::fromUtf8(p.readAllStandardError())
                 .contains(u"the rows it can drill are coach, goods, other, table and total"_s),
             "the refusal lists the section's rows");
    QVERIFY(run({u"--drill"_s, u"outflow:amount:personnel/staff"_s, u"--format"_s, u"csv"_s}));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(run({u"--sort"_s, u"amount"_s}));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(run({u"--page"_s, u"2"_s}));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(u"whole"_s));
    // A drill-down pages (by key for the service log): page 2 of K3 in pages of 5 holds L10 and L11.
    QVERIFY(run({u"--drill"_s, u"kpi:K3"_s, u"--page"_s, u"2"_s, u"--page-size"_s, u"5"_s, u"--format"_s,
                 u"json"_s}));
    QCOMPARE(p.exitCode(), 0);
    const QJsonArray paged = QJsonDocument::fromJson(p.readAllStandardOutput())
                                 .object()[u"sections"_s]
                                 .toArray()
                                 .first()
                                 .toObject()[u"rows"_s]
                                 .toArray();
    QCOMPARE(paged.size(), 2);
    QCOMPARE(paged.first().toObject()[u"id"_s].toVariant().toString(), u"10"_s);
    // A site the reader may not open is refused, naming the ones they may.
    p.start(QStringLiteral(RISKDESK_BINARY),
            {u"board"_s, u"finance"_s, u"--workspace"_s, path, u"--site"_s, u"S9"_s});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(u"choose one of: S1"_s));
}

QTEST_GUILESS_MAIN(FinanceBoardTest)
#include "tst_financeboard.moc"
