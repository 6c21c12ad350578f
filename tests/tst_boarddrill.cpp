// Drill-downs of the boards in the window (spec §2.7, issue 12): BoardDrillKey maps every numeric cell, total
// and KPI of BOARD-1 and BOARD-2 (fixture F1), BOARD-3 (F2) and BOARD-4 (the demo's exceptions) to the
// engine's drill, or says why it has none; each drill's footer equals the clicked value to the fen. Then the
// side panel with real widgets (offscreen) on a real workspace file read by the database thread: footer,
// sorting across pages, paging, Esc, Back, stale answers, errors with Retry, and the CSV export.
#include "BoardDrillPanel.h"
#include "QueuePage.h"
#include "SignalWaiter.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "boards/BoardDrillKey.h"
#include "boards/CoachBoard.h"
#include "boards/CustomerBoard.h"
#include "boards/CustomerDimensions.h"
#include "boards/FinanceBoard.h"
#include "boards/RiskOpsBoard.h"
#include "item/BoardDrillModel.h"
#include "item/ExceptionQueueModel.h"
#include "store/BoardWorkspaceLoad.h"
#include "store/DatabaseThread.h"
#include "store/DirectoryRepository.h"
#include "store/NameCollation.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::SignalWaiter;

namespace {

const QString kFixture = QStringLiteral(RISKDESK_FIXTURE_DIR);
const QLocale kEnglish(QLocale::English);

using Compute = Result<BoardReport> (*)(QSqlDatabase, const BoardScope&, const BoardRequest&);

BoardReport computeOrDie(QSqlDatabase db, Compute compute, const BoardRequest& request) {
    const auto scope = BoardScope::open(db, u"acme"_s);
    if (!scope)
        qFatal("%s", qPrintable(scope.problem().message));
    auto report = compute(db, scope.value(), request);
    if (!report)
        qFatal("%s: %s", qPrintable(request.drill), qPrintable(report.problem().message));
    return std::move(report).value();
}

// One clickable figure of a computed board: where it is and its number.
struct Figure {
    QString table; // empty: a KPI card
    QString column;
    QVariant rowId; // invalid: the totals row
    qint64 value = 0;
    QString name() const {
        return u"%1/%2/%3"_s.arg(table.isEmpty() ? u"kpi"_s : table, column,
                                 rowId.isValid() ? rowId.toString() : u"(totals)"_s);
    }
};

// Every figure with a number of a report: its KPI cards, and every value cell of every row and totals row.
QList<Figure> figuresOf(const BoardReport& report) {
    QList<Figure> out;
    for (const BoardKpi& k : report.kpis())
        if (const auto n = k.value.number())
            out << Figure{{}, k.key, {}, *n};
    for (const BoardTable& t : report.tables()) {
        QList<std::pair<QVariant, const BoardTableRow*>> rows;
        for (const BoardTableRow& r : t.rows())
            rows << std::pair{r.id, &r};
        if (t.totals())
            rows << std::pair{QVariant(), &*t.totals()}; // the page says "totals" with no id
        for (const auto& [id, row] : rows)
            for (qsizetype c = 0; c < t.columns().size(); ++c) {
                if (t.columns()[c].type != BoardTableColumn::Type::Value)
                    continue;
                if (const auto n = row->cells[c].value.number())
                    out << Figure{t.key(), t.columns()[c].key, id, *n};
            }
    }
    return out;
}

struct Checked {
    int drilled = 0;
    int refused = 0;
    QSet<QString> drilledColumns;
};

// For every figure: a drill whose footer equals it, or a reason why it has none.
Checked checkEveryFigure(QSqlDatabase db, BoardKind board, Compute compute, const BoardRequest& base,
                         const BoardReport& report) {
    Checked checked;
    for (const Figure& f : figuresOf(report)) {
        const auto target = BoardDrillKey::of(board, base, f.table, f.column, f.rowId);
        if (!target) {
            if (BoardDrillKey::whyNot(board, base, f.table, f.column, f.rowId).isEmpty())
                qFatal("%s: no drill and no reason", qPrintable(f.name()));
            ++checked.refused;
            continue;
        }
        if (!BoardDrillKey::whyNot(board, base, f.table, f.column, f.rowId).isEmpty())
            qFatal("%s: a drill and a reason", qPrintable(f.name()));
        BoardRequest request = target->apply(base);
        request.pageSize = 0;
        const auto scope = BoardScope::open(db, u"acme"_s);
        const auto drill = compute(db, scope.value(), request);
        if (!drill)
            qFatal("%s → %s refused: %s", qPrintable(f.name()), qPrintable(target->cell),
                   qPrintable(drill.problem().message));
        const auto footer = target->footer(drill.value());
        if (target->hasFooter) {
            if (!footer || footer->value.number() != f.value)
                qFatal("%s → %s: footer %s, clicked %lld", qPrintable(f.name()), qPrintable(target->cell),
                       footer && footer->value.number() ? qPrintable(QString::number(*footer->value.number()))
                                                        : "none",
                       f.value);
        }
        ++checked.drilled;
        checked.drilledColumns.insert(f.table + u'/' + f.column);
    }
    return checked;
}

// Every page of a drill in order: the row ids, one column's cells (a number, or the text), the exact total
// and the totals row's figure of the last value column (the footer).
struct Paged {
    QStringList ids;
    QList<QVariant> keys;
    qint64 total = 0;
    std::optional<qint64> footer;
};

Paged readPages(QSqlDatabase db, Compute compute, BoardRequest r, const QString& column, qint64 pageSize) {
    Paged out;
    r.pageSize = pageSize;
    for (qint64 page = 1;; ++page) {
        r.page = page;
        const BoardReport report = computeOrDie(db, compute, r);
        const BoardTable& t = report.tables().first();
        const int c = t.columnIndex(column);
        if (c < 0)
            qFatal("no column %s", qPrintable(column));
        out.total = t.total();
        for (const BoardTableRow& row : t.rows()) {
            out.ids << row.id.toString();
            const BoardCell& cell = row.cells[c];
            out.keys << (cell.value.number() ? QVariant(*cell.value.number()) : QVariant(cell.text));
        }
        for (qsizetype i = t.columns().size() - 1; i >= 0 && !out.footer && t.totals(); --i)
            if (t.columns()[i].type == BoardTableColumn::Type::Value)
                out.footer = t.totals()->cells[i].value.number();
        if (pageSize == 0 || page * pageSize >= t.total())
            break;
        if (page > 10000)
            qFatal("too many pages");
    }
    return out;
}

// Whether keys run in the order (nulls, shown as empty text, last in both directions).
// names: the keys are people's names, ordered as names (NameCollation), not by code point.
bool inOrder(const QList<QVariant>& keys, bool descending, bool names = false) {
    for (qsizetype i = 1; i < keys.size(); ++i) {
        const QVariant& a = keys[i - 1];
        const QVariant& b = keys[i];
        const bool nullA = a.typeId() == QMetaType::QString && a.toString().isEmpty();
        const bool nullB = b.typeId() == QMetaType::QString && b.toString().isEmpty();
        if (nullA || nullB) {
            if (nullA && !nullB)
                return false;
            continue;
        }
        // Ids shown as text ("13", "8") compare as the numbers they are, as the engine orders them.
        bool numberA = false, numberB = false;
        const qint64 na = a.toString().toLongLong(&numberA), nb = b.toString().toLongLong(&numberB);
        const QPartialOrdering o =
            numberA && numberB ? QVariant::compare(QVariant(na), QVariant(nb))
            : names            ? QVariant::compare(NameCollation::compare(a.toString(), b.toString()), 0)
                               : QVariant::compare(a, b);
        if (descending ? o == QPartialOrdering::Less : o == QPartialOrdering::Greater)
            return false;
    }
    return true;
}

// A sorted, paged drill is the whole set once, in the order, with the unsorted drill's total and footer.
void checkSortedPages(QSqlDatabase db, Compute compute, const BoardRequest& base, const QString& sort,
                      const QString& column, qint64 pageSize) {
    const Paged whole = readPages(db, compute, base, column, 0);
    BoardRequest sorted = base;
    sorted.sort = sort;
    const Paged paged = readPages(db, compute, sorted, column, pageSize);
    if (paged.total != whole.total || paged.ids.size() != whole.ids.size() || paged.footer != whole.footer)
        qFatal("%s sorted by %s: %lld rows (footer %lld), unsorted %lld (footer %lld)",
               qPrintable(base.drill), qPrintable(sort), qint64(paged.ids.size()), paged.footer.value_or(-1),
               qint64(whole.ids.size()), whole.footer.value_or(-1));
    QStringList a = paged.ids, b = whole.ids;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a != b || QSet<QString>(a.begin(), a.end()).size() != a.size())
        qFatal("%s sorted by %s: not every row exactly once", qPrintable(base.drill), qPrintable(sort));
    if (!inOrder(paged.keys, sort.endsWith(u":desc"_s), column == u"coach"_s))
        qFatal("%s sorted by %s: out of order", qPrintable(base.drill), qPrintable(sort));
}

void exec(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
}

} // namespace

class BoardDrillTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void coachBoardEveryFigure();
    void customerBoardEveryFigure();
    void financeBoardEveryFigure();
    void riskOpsBoardEveryFigure();
    void keysOfTextAndDerivedCells();
    void queueFilterListsTheExceptions();
    void queuePageShowsTheExceptionsOfACount();
    void fileNameFollowsTheSpec();
    void modelIsAWellBehavedModel();
    void panelFooterShowsTheClickedValue();
    void panelSortsTheWholeSetAcrossPages();
    void panelEscClosesAndBackPops();
    void panelDropsStaleAnswers();
    void panelShowsErrorsWithRetry();
    void panelExportsEveryRowWithBom();
    void panelShowsVoidedRowsGreyedAndNeverCounted();
    void financeDrillsSortByAnyColumnAcrossPages();
    void riskOpsDrillsSortByAnyColumnAcrossPages();

private:
    BoardRequest coachMay() const;
    BoardRequest financeMay() const;
    BoardRequest riskOpsRequest() const;
    std::unique_ptr<BoardDrillPanel> openPanel();

    QTemporaryDir m_settingsDir;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<test::TestWorkspace> m_ws;   // F1 + F2
    std::unique_ptr<test::TestWorkspace> m_demo; // the demo's exceptions for BOARD-4
    std::unique_ptr<DatabaseThread> m_db;
};

void BoardDrillTest::initTestCase() {
    // The panel remembers a choice in the settings: never in the real user's, a file in a temporary folder.
    QVERIFY(m_settingsDir.isValid());
    m_settings = std::make_unique<AppSettings>(m_settingsDir.filePath(u"riskdesk.ini"_s));
    QVERIFY(QFile::exists(kFixture + u"/v_dwd_assistant_service_log.csv"_s));
    m_ws = std::make_unique<test::TestWorkspace>(-1);
    exec(m_ws->db(), u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme')"_s);
    const auto loaded = BoardWorkspaceLoad::load(m_ws->db(), u"acme"_s, kFixture);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    // F1 has no recharge-commission rows: two, so that the customer-sourced stored value has figures to open.
    exec(m_ws->db(),
         u"INSERT INTO bd_assistant_recharge_commission VALUES ('acme', 'S1', 1, '2026-05-01', 150000, 2,"
         " 1, 4500, 1), ('acme', 'S1', 2, '2026-05-01', 80001, 1, 1, 2400, 1)"_s);
    m_demo = std::make_unique<test::TestWorkspace>(400);
    m_db = std::make_unique<DatabaseThread>(*m_settings);
    auto opened = m_db->open(m_ws->path());
    opened.waitForFinished();
    QVERIFY(opened.result().ok());
}

BoardRequest BoardDrillTest::coachMay() const {
    BoardRequest r;
    r.tenant = u"acme"_s;
    r.site = u"S1"_s;
    r.today = QDate(2026, 6, 2);
    r.period = BoardPeriod::parseMonth(u"2026-05"_s, r.today).value();
    r.pageSize = 0;
    r.locale = kEnglish;
    return r;
}

BoardRequest BoardDrillTest::financeMay() const {
    BoardRequest r;
    r.tenant = u"acme"_s;
    r.site = u"S1"_s;
    r.today = QDate(2026, 6, 2);
    r.period = BoardPeriod::custom(QDate(2026, 5, 1), QDate(2026, 5, 31)).value();
    r.locale = kEnglish;
    return r;
}

BoardRequest BoardDrillTest::riskOpsRequest() const {
    BoardRequest r;
    r.tenant = u"acme"_s;
    const QDateTime now = test::TestWorkspace::fixedAnchor();
    r.today = now.date();
    r.nowMs = now.toMSecsSinceEpoch();
    r.period = BoardPeriod::custom(now.date().addDays(-29), now.date()).value();
    r.locale = kEnglish;
    return r;
}

// BOARD-1 on F1, without and with the skill filter: every coach's figures and the totals.
void BoardDrillTest::coachBoardEveryFigure() {
    for (const QString& skill : {QString(), u"snk"_s}) {
        BoardRequest r = coachMay();
        r.skill = skill;
        const BoardReport report = computeOrDie(m_ws->db(), &CoachBoard::compute, r);
        const Checked c = checkEveryFigure(m_ws->db(), BoardKind::Coach, &CoachBoard::compute, r, report);
        QVERIFY2(c.drilled >= 30, qPrintable(QString::number(c.drilled)));
        for (const QString& column : {u"items_sum"_s, u"hours"_s, u"customers"_s, u"gross_salary"_s,
                                      u"base_income"_s, u"stored_value"_s})
            QVERIFY2(c.drilledColumns.contains(u"coaches/"_s + column), qPrintable(column));
    }
}

// BOARD-2 on F1: every tab (dimension), its KPI cards, rows and totals.
void BoardDrillTest::customerBoardEveryFigure() {
    int drilled = 0, refused = 0;
    QSet<QString> columns;
    for (const QString& dimension : CustomerDimensions::keys()) {
        BoardRequest r;
        r.tenant = u"acme"_s;
        r.site = u"S1"_s;
        r.today = QDate(2026, 6, 2);
        r.asOfDay = QDate(2026, 5, 31);
        r.dimension = dimension;
        r.pageSize = 0;
        r.locale = kEnglish;
        if (CustomerDimensions::usesPeriod(*CustomerDimensions::fromKey(dimension)))
            r.period = BoardPeriod::custom(QDate(2026, 5, 1), QDate(2026, 5, 31)).value();
        const BoardReport report = computeOrDie(m_ws->db(), &CustomerBoard::compute, r);
        const Checked c =
            checkEveryFigure(m_ws->db(), BoardKind::Customer, &CustomerBoard::compute, r, report);
        drilled += c.drilled;
        refused += c.refused;
        columns += c.drilledColumns;
    }
    QVERIFY2(drilled >= 25, qPrintable(QString::number(drilled)));
    QVERIFY(refused > 0); // index scores and snapshots
    for (const QString& column :
         {u"spend60/spend60d"_s, u"balance/storedValueBalance"_s, u"balance/giftBalance"_s,
          u"recharge/rechargeAmount"_s, u"recharge/orderCount"_s, u"recent/visitsInPeriod"_s, u"/total"_s})
        QVERIFY2(columns.contains(column), qPrintable(column));
}

// BOARD-3 on F2: K1–K8 and every section's cells and totals, the previous period included.
void BoardDrillTest::financeBoardEveryFigure() {
    const BoardRequest r = financeMay();
    const BoardReport report = computeOrDie(m_ws->db(), &FinanceBoard::compute, r);
    const Checked c = checkEveryFigure(m_ws->db(), BoardKind::Finance, &FinanceBoard::compute, r, report);
    QVERIFY2(c.drilled > 120, qPrintable(QString::number(c.drilled)));
    QVERIFY(c.refused > 0); // shares and ratios
    for (const QString& column : {u"/K1"_s, u"/K3"_s, u"/K8"_s, u"trend/k4"_s, u"prepaid/closing"_s,
                                  u"outflow/amount"_s, u"coach/gross"_s, u"coach_tiers/basic"_s})
        QVERIFY2(c.drilledColumns.contains(column), qPrintable(column));
}

// BOARD-4 on the demo's exceptions: counts drill to exceptions, log entries or rule outcomes.
void BoardDrillTest::riskOpsBoardEveryFigure() {
    const BoardRequest r = riskOpsRequest();
    const BoardReport report = computeOrDie(m_demo->db(), &RiskOpsBoard::compute, r);
    QVERIFY(report.kpi(u"Q5"_s)->value.number().value_or(0) > 0);
    const Checked c = checkEveryFigure(m_demo->db(), BoardKind::RiskOps, &RiskOpsBoard::compute, r, report);
    QVERIFY2(c.drilled >= 20, qPrintable(QString::number(c.drilled)));
    QVERIFY(c.refused > 0); // rates and percentiles
    for (const QString& column :
         {u"/Q1"_s, u"/Q5"_s, u"/Q6"_s, u"queue_age/pending"_s, u"sla/decisions"_s,
          u"time_by_rule/decisions"_s, u"approvers/actions"_s, u"reasons/exceptions"_s,
          u"daily_pending/pending"_s, u"daily_decisions/total"_s})
        QVERIFY2(c.drilledColumns.contains(column), qPrintable(column));
}

void BoardDrillTest::keysOfTextAndDerivedCells() {
    const BoardRequest base = financeMay();
    // A share, a change and a text cell have none, and say why.
    QVERIFY(!BoardDrillKey::of(BoardKind::Finance, base, u"revenue"_s, u"share"_s, u"table"_s));
    QVERIFY(BoardDrillKey::whyNot(BoardKind::Finance, base, u"revenue"_s, u"share"_s, u"table"_s)
                .contains(u"share"_s));
    QVERIFY(!BoardDrillKey::of(BoardKind::Coach, base, u"coaches"_s, u"items_pop"_s, 1));
    QVERIFY(!BoardDrillKey::of(BoardKind::Coach, base, u"coaches"_s, u"coach"_s, 1));
    QVERIFY(!BoardDrillKey::of(BoardKind::RiskOps, base, {}, u"Q7"_s, {}));
    QVERIFY(!BoardDrillKey::of(BoardKind::Skills, base, u"unconfigured"_s, u"logs"_s, u"花式"_s));
    // A totals cell: a null id, an invalid id or "total" all mean the totals row.
    QCOMPARE(BoardDrillKey::of(BoardKind::Finance, base, u"outflow"_s, u"amount"_s, QVariant())->cell,
             u"outflow:amount:total"_s);
    QCOMPARE(BoardDrillKey::of(BoardKind::Coach, base, u"coaches"_s, u"hours"_s, QVariant(QString()))->cell,
             u"hours:total"_s);
    QCOMPARE(BoardDrillKey::of(BoardKind::Coach, base, u"coaches"_s, u"hours"_s, qint64(4))->cell,
             u"hours:4"_s);
    // The top 3 opens every customer by intimacy, with no sum, and has no total.
    QCOMPARE(BoardDrillKey::of(BoardKind::Coach, base, u"coaches"_s, u"top3"_s, qint64(1))->hasFooter, false);
    QVERIFY(!BoardDrillKey::of(BoardKind::Coach, base, u"coaches"_s, u"top3"_s, QVariant()));
    // BOARD-4's per-severity row narrows the request; another severity filter leaves nothing to list.
    BoardRequest high = base;
    const auto sla = BoardDrillKey::of(BoardKind::RiskOps, high, u"sla"_s, u"decisions"_s, u"high"_s);
    QCOMPARE(sla->apply(high).severity, u"high"_s);
    QCOMPARE(sla->apply(high).drill, u"Q6"_s);
    high.severity = u"low"_s;
    QVERIFY(!BoardDrillKey::of(BoardKind::RiskOps, high, u"sla"_s, u"decisions"_s, u"high"_s));
    // The sort keys the engine accepts: BOARD-1's service-log drill; every column of BOARD-3's drills; every
    // column of BOARD-4's but the constant count.
    QCOMPARE(BoardDrillKey::sortKey(BoardKind::Coach, u"items_sum:1"_s, u"ledger_amount"_s), u"ledger"_s);
    QCOMPARE(BoardDrillKey::sortKey(BoardKind::Coach, u"gross_salary:1"_s, u"gross_salary"_s), QString());
    QCOMPARE(BoardDrillKey::sortKey(BoardKind::Finance, u"kpi:K3"_s, u"ledger_amount"_s), u"ledger_amount"_s);
    QCOMPARE(BoardDrillKey::sortKey(BoardKind::RiskOps, u"Q1"_s, u"hours"_s), u"hours"_s);
    QCOMPARE(BoardDrillKey::sortKey(BoardKind::RiskOps, u"Q1"_s, u"count"_s), QString());
}

// Item 4: a BOARD-4 count's exceptions as the queue's filter: the record ids behind the figure.
void BoardDrillTest::queueFilterListsTheExceptions() {
    const BoardRequest r = riskOpsRequest();
    const BoardReport report = computeOrDie(m_demo->db(), &RiskOpsBoard::compute, r);
    for (const QString& key : {u"Q1"_s, u"Q3"_s, u"Q5"_s}) {
        const auto target = BoardDrillKey::of(BoardKind::RiskOps, r, {}, key, {});
        QVERIFY(target);
        BoardRequest request = target->apply(r);
        request.pageSize = 0;
        const BoardReport drill = computeOrDie(m_demo->db(), &RiskOpsBoard::compute, request);
        const auto filter = BoardDrillKey::queueFilter(drill, report.kpi(key)->label);
        QVERIFY(filter);
        QCOMPARE(qint64(filter->recordIds.size()), *report.kpi(key)->value.number());
        QStringList rows;
        for (const BoardTableRow& row : drill.tables().first().rows())
            rows << row.id.toString();
        QCOMPARE(filter->recordIds, rows);
        QCOMPARE(QSet<QString>(filter->recordIds.begin(), filter->recordIds.end()).size(),
                 filter->recordIds.size());
        QVERIFY(filter->label.contains(report.kpi(key)->label));
    }
    // Log entries are not exceptions: no queue filter.
    BoardRequest log = r;
    log.pageSize = 0;
    const BoardReport board = report;
    const BoardTable* approvers = board.table(u"approvers"_s);
    QVERIFY(approvers && !approvers->rows().isEmpty());
    log.drill = u"Q14:"_s + approvers->rows().first().id.toString();
    QVERIFY(!BoardDrillKey::queueFilter(computeOrDie(m_demo->db(), &RiskOpsBoard::compute, log), u"x"_s));
}

// The queue shows exactly the exceptions behind a BOARD-4 count, whatever their status, until the filters are
// cleared.
void BoardDrillTest::queuePageShowsTheExceptionsOfACount() {
    const BoardRequest r = riskOpsRequest();
    const BoardReport report = computeOrDie(m_demo->db(), &RiskOpsBoard::compute, r);
    BoardRequest request = BoardDrillKey::of(BoardKind::RiskOps, r, {}, u"Q5"_s, {})->apply(r);
    request.pageSize = 0;
    const auto filter =
        BoardDrillKey::queueFilter(computeOrDie(m_demo->db(), &RiskOpsBoard::compute, request), u"Intake"_s);
    QVERIFY(filter && filter->recordIds.size() >= 2);
    // Fewer than the whole intake: a subset the other filters could not pick.
    const QStringList ids = filter->recordIds.mid(0, filter->recordIds.size() / 2 + 1);

    DatabaseThread db(riskdesk::test::settings());
    auto opened = db.open(m_demo->path());
    opened.waitForFinished();
    QVERIFY(opened.result().ok());
    QueuePage page(&db);
    page.resize(1200, 700);
    DirectoryRepository directory(m_demo->db());
    const User user = directory.user(u"acme"_s, u"li.wei"_s).value();
    SignalWaiter ready(&page, &QueuePage::ready);
    page.setSession(
        Session{m_demo->path(), u"acme"_s, u"acme"_s, u"li.wei"_s, user.displayName, user.role, {}, {}});
    page.show();
    QVERIFY(ready.next());
    SignalWaiter loaded(page.model(), &ExceptionQueueModel::pageLoaded);
    page.showRecords(ids, filter->label);
    QVERIFY(loaded.next());
    QStringList shown;
    for (int row = 0; row < page.model()->rowCount(); ++row)
        shown << page.model()->rowAt(row)->recordId;
    shown.sort();
    QStringList expected = ids;
    expected.sort();
    QCOMPARE(shown, expected);
    QCOMPARE(*report.kpi(u"Q5"_s)->value.number(), qint64(filter->recordIds.size()));
    // No exception at all: an empty list shows none (not the whole queue).
    page.showRecords({}, u"nothing"_s);
    QVERIFY(loaded.next());
    QCOMPARE(page.model()->rowCount(), 0);
    // Clear filters: the whole queue again.
    page.clearFilters();
    QVERIFY(loaded.next());
    QVERIFY(page.model()->rowCount() > ids.size());
}

void BoardDrillTest::fileNameFollowsTheSpec() {
    const QDateTime at(QDate(2026, 6, 1), QTime(10, 30));
    QCOMPARE(BoardDrillPanel::suggestedFileName(BoardKind::Coach, coachMay(), at),
             u"coach-board-drill_S1_2026-05-01_2026-05-31_20260601T1030.csv"_s);
    BoardRequest riskOps = riskOpsRequest();
    riskOps.tenant = u"a/b"_s;
    // Tenant-wide, as the board's own exports name it ("all"), not by the tenant (helper-89).
    QCOMPARE(BoardDrillPanel::suggestedFileName(BoardKind::RiskOps, riskOps, at),
             u"riskops-board-drill_all_2026-10-03_2026-11-01_20260601T1030.csv"_s);
}

void BoardDrillTest::modelIsAWellBehavedModel() {
    BoardRequest r = coachMay();
    r.drill = u"items_sum:total"_s;
    const BoardReport drill = computeOrDie(m_ws->db(), &CoachBoard::compute, r);
    BoardDrillModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTable(drill.tables().first(), kEnglish);
    QCOMPARE(model.rowCount(), int(drill.tables().first().rows().size()));
    QVERIFY(model.rowCount() > 3);
    const int ledger = drill.tables().first().columnIndex(u"ledger_amount"_s);
    QCOMPARE(model.headerData(ledger, Qt::Horizontal, Qt::UserRole).toString(), u"ledger_amount"_s);
    const BoardCell& cell = drill.tables().first().rows().first().cells[ledger];
    QCOMPARE(model.data(model.index(0, ledger)).toString(), cell.value.display(ValueUnit::Fen, kEnglish));
    QCOMPARE(model.data(model.index(0, ledger), Qt::UserRole).toLongLong(), *cell.value.number());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

std::unique_ptr<BoardDrillPanel> BoardDrillTest::openPanel() {
    auto panel = std::make_unique<BoardDrillPanel>(m_db.get());
    panel->resize(900, 600);
    return panel;
}

// The footer shows the clicked value, in the board's format, for a cell, a total and a KPI.
void BoardDrillTest::panelFooterShowsTheClickedValue() {
    const BoardRequest r = coachMay();
    const BoardReport report = computeOrDie(m_ws->db(), &CoachBoard::compute, r);
    const BoardTable* coaches = report.table(u"coaches"_s);
    auto panel = openPanel();
    SignalWaiter loaded(panel.get(), &BoardDrillPanel::loaded);
    const BoardCell* total = coaches->cell(*coaches->totals(), u"items_sum"_s);
    QVERIFY(
        panel->openCell(BoardKind::Coach, r, u"coaches"_s, u"items_sum"_s, QVariant(), u"Service income"_s));
    QVERIFY(panel->isVisible());
    QVERIFY(loaded.next());
    const QString shown = total->value.display(ValueUnit::Fen, kEnglish);
    QVERIFY2(panel->footerLabel()->text().endsWith(shown), qPrintable(panel->footerLabel()->text()));
    QVERIFY(panel->model()->rowCount() > 0);
    QVERIFY(panel->pagingLabel()->text().contains(QString::number(panel->currentTable()->total())));
    // A cell with no drill-down changes nothing.
    QVERIFY(!panel->openCell(BoardKind::Coach, r, u"coaches"_s, u"items_pop"_s, 1, u"PoP"_s));
    QCOMPARE(panel->depth(), 1);

    // A BOARD-3 KPI card: its footer is K1.
    const BoardRequest f = financeMay();
    const BoardReport finance = computeOrDie(m_ws->db(), &FinanceBoard::compute, f);
    panel->closePanel();
    QVERIFY(panel->openCell(BoardKind::Finance, f, {}, u"K1"_s, {}, u"K1"_s));
    QVERIFY(loaded.next());
    QVERIFY2(
        panel->footerLabel()->text().endsWith(finance.kpi(u"K1"_s)->value.display(ValueUnit::Fen, kEnglish)),
        qPrintable(panel->footerLabel()->text()));

    // In a panel as narrow as a 1,024 px window leaves it, the footer and the pager are whole (helper-91:
    // "应计收入：¥1,524,." beside the pager, which lost its unit).
    panel->show();
    panel->resize(300, 600);
    QCoreApplication::processEvents();
    QLabel* footer = panel->footerLabel();
    const QRect needed = QFontMetrics(footer->font())
                             .boundingRect(QRect(0, 0, footer->width(), 10000),
                                           Qt::TextWordWrap | int(footer->alignment()), footer->text());
    QVERIFY2(needed.width() <= footer->width() && needed.height() <= footer->height(),
             qPrintable(u"%1: %2×%3 in %4×%5"_s.arg(footer->text())
                            .arg(needed.width())
                            .arg(needed.height())
                            .arg(footer->width())
                            .arg(footer->height())));
    QLabel* paging = panel->pagingLabel();
    QVERIFY2(QFontMetrics(paging->font()).horizontalAdvance(paging->text()) <= paging->width(),
             qPrintable(u"%1 in %2 px"_s.arg(paging->text()).arg(paging->width())));
}

// A header click sorts the whole set in the engine: page after page (Next), the rows run in order across
// pages, and together they are every row of the drill exactly once.
void BoardDrillTest::panelSortsTheWholeSetAcrossPages() {
    auto panel = openPanel();
    panel->setPageSize(2);
    panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    SignalWaiter loaded(panel.get(), &BoardDrillPanel::loaded);
    const BoardRequest r = coachMay();
    panel->open(BoardKind::Coach, r, u"items_sum:total"_s, u"All"_s);
    QVERIFY(loaded.next());
    const qint64 total = panel->currentTable()->total();
    QVERIFY(total >= 5);
    QCOMPARE(panel->model()->rowCount(), 2);
    const qint64 pages = (total + 1) / 2;
    QVERIFY2(panel->pagingLabel()->text().contains(u"of %1"_s.arg(pages)),
             qPrintable(panel->pagingLabel()->text()));
    const int column = panel->currentTable()->columnIndex(u"ledger_amount"_s);
    // Every ledger amount of the drill, from the engine in its default order.
    BoardRequest all = BoardDrillKey::fromCell(BoardKind::Coach, u"items_sum:total"_s).apply(r);
    all.pageSize = 0;
    QList<qint64> expected;
    const BoardReport whole = computeOrDie(m_ws->db(), &CoachBoard::compute, all); // the loop reads into it
    for (const BoardTableRow& row : whole.tables().first().rows())
        expected << *row.cells[column].value.number();
    QCOMPARE(qint64(expected.size()), total);
    std::sort(expected.begin(), expected.end(), std::greater<>());
    QVERIFY(expected.first() > expected.last());

    // The column in view, so that a click on its header lands on it (asked again before each click: columns
    // fit each page's widest text).
    QHeaderView* header = panel->table()->horizontalHeader();
    const auto headerOf = [&] {
        panel->table()->scrollTo(panel->model()->index(0, column));
        if (header->sectionViewportPosition(column) < 0 ||
            header->sectionViewportPosition(column) + 5 >= header->viewport()->width())
            qFatal("the column's header is out of view");
        return QPoint(header->sectionViewportPosition(column) + 5, header->height() / 2);
    };
    const auto readAllPages = [&]() {
        QList<qint64> seen;
        QStringList ids;
        for (qint64 page = 1; page <= pages; ++page) {
            if (page > 1) {
                auto* next = panel->findChild<QPushButton*>(u"drillNext"_s);
                if (!next->isEnabled())
                    qFatal("Next is disabled on page %lld", page - 1);
                QTest::mouseClick(next, Qt::LeftButton);
                if (!loaded.next())
                    qFatal("page %lld did not load", page);
            }
            for (int row = 0; row < panel->model()->rowCount(); ++row) {
                seen << panel->model()->data(panel->model()->index(row, column), Qt::UserRole).toLongLong();
                ids << panel->currentTable()->rows()[row].id.toString();
            }
        }
        if (panel->findChild<QPushButton*>(u"drillNext"_s)->isEnabled())
            qFatal("Next is enabled on the last page");
        if (QSet<QString>(ids.begin(), ids.end()).size() != ids.size())
            qFatal("a row was shown twice");
        return seen;
    };
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, headerOf());
    QVERIFY(loaded.next());
    QCOMPARE(panel->currentRequest()->sort, u"ledger:desc"_s);
    // Every column shows its widest text whole, up to 360 px (at Qt's default 100 px, ids and names were cut
    // short while the panel stood half empty: helper-72).
    for (int c = 0; c < panel->model()->columnCount() - 1; ++c) // the last one stretches
        QVERIFY2(panel->table()->columnWidth(c) >=
                     std::min(static_cast<QAbstractItemView*>(panel->table())->sizeHintForColumn(c), 360),
                 qPrintable(u"column %1: %2 px for %3"_s.arg(c)
                                .arg(panel->table()->columnWidth(c))
                                .arg(static_cast<QAbstractItemView*>(panel->table())->sizeHintForColumn(c))));
    QCOMPARE(panel->currentRequest()->page, 1);
    QCOMPARE(readAllPages(), expected);
    // The second click flips the order, from the first page again.
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, headerOf());
    QVERIFY(loaded.next());
    QCOMPARE(panel->currentRequest()->sort, u"ledger:asc"_s);
    QList<qint64> ascending = expected;
    std::reverse(ascending.begin(), ascending.end());
    QCOMPARE(readAllPages(), ascending);
    // A column the engine cannot sort this drill by leaves the order as it is.
    QVERIFY(!panel->sortByColumn(panel->currentTable()->columnIndex(u"member"_s)));
    QCOMPARE(panel->currentRequest()->sort, u"ledger:asc"_s);
}

void BoardDrillTest::panelEscClosesAndBackPops() {
    auto panel = openPanel();
    SignalWaiter loaded(panel.get(), &BoardDrillPanel::loaded);
    QSignalSpy closed(panel.get(), &BoardDrillPanel::closed);
    const BoardRequest r = coachMay();
    panel->open(BoardKind::Coach, r, u"items_sum:total"_s, u"All"_s);
    QVERIFY(loaded.next());
    QVERIFY(panel->backButton()->isHidden());
    panel->open(BoardKind::Coach, r, u"gross_salary:total"_s, u"Gross pay"_s);
    QVERIFY(loaded.next());
    QCOMPARE(panel->depth(), 2);
    QVERIFY(!panel->backButton()->isHidden());
    QCOMPARE(panel->currentTable()->columnIndex(u"gross_salary"_s) >= 0, true);
    QTest::mouseClick(panel->backButton(), Qt::LeftButton);
    QVERIFY(loaded.next());
    QCOMPARE(panel->depth(), 1);
    QCOMPARE(panel->currentRequest()->drill, u"items_sum:total"_s);
    QVERIFY(panel->currentTable()->columnIndex(u"ledger_amount"_s) >= 0);
    QVERIFY(panel->backButton()->isHidden());
    // Enter on a row says which row of which drill table (BOARD-4's exception rows go to the queue).
    QSignalSpy activated(panel.get(), &BoardDrillPanel::rowActivated);
    panel->table()->setFocus();
    panel->table()->setCurrentIndex(panel->model()->index(1, 0));
    QTest::keyClick(panel->table(), Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().at(1).toString(), u"drill"_s);
    QCOMPARE(activated.first().at(2), panel->currentTable()->rows().at(1).id);
    // Esc closes, from the table too.
    panel->table()->setFocus();
    QTest::keyClick(panel->table(), Qt::Key_Escape);
    QVERIFY(panel->isHidden());
    QCOMPARE(closed.size(), 1);
    QCOMPARE(panel->depth(), 0);
    // A closed panel starts a new stack.
    panel->open(BoardKind::Coach, r, u"hours:total"_s, u"Hours"_s);
    QVERIFY(loaded.next());
    QCOMPARE(panel->depth(), 1);
}

// Two requests in a row: only the newer one's rows are shown, the older answer is dropped.
void BoardDrillTest::panelDropsStaleAnswers() {
    auto panel = openPanel();
    SignalWaiter loaded(panel.get(), &BoardDrillPanel::loaded);
    const BoardRequest r = coachMay();
    // Nested before the first answer came: the first answer is dropped. The database thread is held until
    // both are asked, or a fast first answer could rightly arrive before the second drill is opened.
    QSemaphore gate;
    auto held = m_db->run([&gate](Workspace&) {
        gate.acquire();
        return 0;
    });
    panel->open(BoardKind::Coach, r, u"items_sum:total"_s, u"All"_s);
    panel->open(BoardKind::Coach, r, u"gross_salary:total"_s, u"Gross pay"_s);
    gate.release();
    QVERIFY(loaded.next());
    QTest::qWait(300);
    QCOMPARE(loaded.size(), 1);
    QVERIFY(panel->currentTable()->columnIndex(u"gross_salary"_s) >= 0);
    QCOMPARE(panel->model()->columnKey(panel->model()->columnCount() - 1), u"gross_salary"_s);
    // Closed while reading: nothing arrives afterwards.
    auto heldAgain = m_db->run([&gate](Workspace&) {
        gate.acquire();
        return 0;
    });
    panel->open(BoardKind::Coach, r, u"hours:total"_s, u"Hours"_s);
    panel->closePanel();
    gate.release();
    QTest::qWait(300);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(panel->model()->rowCount(), 0);
}

void BoardDrillTest::panelShowsErrorsWithRetry() {
    auto panel = openPanel();
    panel->show();
    SignalWaiter failed(panel.get(), &BoardDrillPanel::failed);
    SignalWaiter loaded(panel.get(), &BoardDrillPanel::loaded);
    // A coach the board does not show: the engine refuses, the panel says so and offers Retry.
    panel->open(BoardKind::Coach, coachMay(), u"items_sum:999"_s, u"Nobody"_s);
    QVERIFY(failed.next());
    QVERIFY(panel->errorLabel()->isVisible());
    QVERIFY2(panel->errorLabel()->text().contains(u"999"_s), qPrintable(panel->errorLabel()->text()));
    QVERIFY(panel->retryButton()->isVisible());
    QCOMPARE(panel->model()->rowCount(), 0);
    QTest::mouseClick(panel->retryButton(), Qt::LeftButton);
    QVERIFY(failed.next());
    // A drill that works clears the error.
    panel->open(BoardKind::Coach, coachMay(), u"items_sum:total"_s, u"All"_s);
    QVERIFY(loaded.next());
    QVERIFY(!panel->errorLabel()->isVisible());
    QVERIFY(!panel->retryButton()->isVisible());
}

void BoardDrillTest::panelExportsEveryRowWithBom() {
    auto panel = openPanel();
    SignalWaiter loaded(panel.get(), &BoardDrillPanel::loaded);
    SignalWaiter exported(panel.get(), &BoardDrillPanel::exported);
    BoardRequest r = coachMay();
    panel->open(BoardKind::Coach, r, u"items_sum:total"_s, u"All"_s);
    QVERIFY(loaded.next());
    QVERIFY(panel->sortByColumn(panel->currentTable()->columnIndex(u"ledger_amount"_s)));
    QVERIFY(loaded.next());
    QTemporaryDir dir;
    const QString path = dir.filePath(u"drill.csv"_s);
    panel->exportCsv(path);
    QVERIFY(exported.next());
    QVERIFY2(exported.last().at(0).toBool(), qPrintable(exported.last().at(1).toString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray csv = file.readAll();
    QVERIFY(csv.startsWith("\xEF\xBB\xBF"));
    const QList<QByteArray> lines = csv.mid(3).split('\n');
    // Header, every row of the set (sorted as shown), the totals row, and the final line break.
    const qint64 total = panel->currentTable()->total();
    QCOMPARE(qint64(lines.size()), total + 3);
    for (const BoardTableRow& row : panel->currentTable()->rows())
        QVERIFY(csv.contains("\r\n" + row.id.toString().toUtf8() + ','));
    QVERIFY(lines.first().contains("Service income"));
    // A folder that cannot be written: a clear refusal, no file.
    panel->exportCsv(dir.filePath(u"missing/drill.csv"_s));
    QVERIFY(exported.next());
    QVERIFY(!exported.last().at(0).toBool());
    QVERIFY(exported.last().at(1).toString().contains(u"missing"_s));
}

// "显示废单" (spec §2.7): a service-log drill lists the voided rows only when asked, greyed out and named in
// a column of their own, never counted: the footer stays the clicked value. The choice is remembered per user
// and board; drills of other rows do not offer it.
void BoardDrillTest::panelShowsVoidedRowsGreyedAndNeverCounted() {
    m_settings->clear();
    exec(m_ws->db(), u"INSERT OR IGNORE INTO users VALUES ('acme', 'zhou.lin', '周琳', 'finance'),"
                     " ('acme', 'qian.feng', '钱峰', 'finance')"_s);
    exec(m_ws->db(), u"INSERT OR IGNORE INTO bd_user_sites VALUES ('zhou.lin', 'acme', 'S1'),"
                     " ('qian.feng', 'acme', 'S1')"_s);
    auto panel = openPanel();
    panel->setUserId(u"zhou.lin"_s);
    panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    SignalWaiter loaded(panel.get(), &BoardDrillPanel::loaded);
    const auto ids = [&panel] {
        QStringList out;
        for (const BoardTableRow& row : panel->currentTable()->rows())
            out << row.id.toString();
        return out;
    };
    // Coach A2 in May (AC-B1-01): L8 ¥180.00 counts, L9 ¥90.00 is voided.
    const BoardRequest r = coachMay();
    QVERIFY(panel->openCell(BoardKind::Coach, r, u"coaches"_s, u"items_sum"_s, 2, u"A2"_s));
    QVERIFY(loaded.next());
    QVERIFY(panel->showVoidedBox()->isVisible());
    QVERIFY(!panel->showVoidedBox()->isChecked());
    QCOMPARE(ids(), QStringList{u"8"_s});
    QVERIFY2(panel->footerLabel()->text().endsWith(u"CN¥180.00"_s), qPrintable(panel->footerLabel()->text()));

    QTest::mouseClick(panel->showVoidedBox(), Qt::LeftButton, {},
                      QPoint(5, panel->showVoidedBox()->height() / 2));
    QVERIFY(loaded.next());
    QVERIFY(panel->currentRequest()->showVoided);
    QCOMPARE(ids(), (QStringList{u"8"_s, u"9"_s}));
    QCOMPARE(panel->currentTable()->total(), 2);
    QVERIFY2(panel->footerLabel()->text().endsWith(u"CN¥180.00"_s), qPrintable(panel->footerLabel()->text()));
    const int voided = panel->currentTable()->columnIndex(u"voided"_s);
    QVERIFY(voided >= 0);
    QCOMPARE(panel->model()->index(0, voided).data().toString(), QString());
    QCOMPARE(panel->model()->index(1, voided).data().toString(), u"voided"_s);
    QVERIFY(!panel->model()->index(0, 0).data(Qt::ForegroundRole).isValid());
    QVERIFY(panel->model()->index(1, 0).data(Qt::ForegroundRole).isValid());
    QVERIFY(panel->model()->index(1, 0).data(Qt::ToolTipRole).toString().contains(u"never counted"_s));
    QVERIFY(panel->model()->isVoided(1));
    QVERIFY(!panel->model()->isVoided(0));

    // Remembered for this user and board: the next coach drill lists them at once.
    panel->closePanel();
    QVERIFY(panel->openCell(BoardKind::Coach, r, u"coaches"_s, u"items_sum"_s, QVariant(), u"All"_s));
    QVERIFY(loaded.next());
    QVERIFY(panel->showVoidedBox()->isChecked());
    QVERIFY(ids().contains(u"9"_s));
    const BoardReport coach = computeOrDie(m_ws->db(), &CoachBoard::compute, r);
    const BoardTable* coaches = coach.table(u"coaches"_s);
    QVERIFY2(panel->footerLabel()->text().endsWith(
                 coaches->cell(*coaches->totals(), u"items_sum"_s)->value.display(ValueUnit::Fen, kEnglish)),
             qPrintable(panel->footerLabel()->text()));

    // BOARD-3's K3 (¥770.00 of valid May logs): not remembered for this board; shown when asked, not counted.
    const BoardRequest f = financeMay();
    panel->closePanel();
    QVERIFY(panel->openCell(BoardKind::Finance, f, {}, u"K3"_s, {}, u"K3"_s));
    QVERIFY(loaded.next());
    QVERIFY(!panel->showVoidedBox()->isChecked());
    QVERIFY(!ids().contains(u"9"_s));
    const qint64 valid = panel->currentTable()->total();
    QVERIFY2(panel->footerLabel()->text().endsWith(u"CN¥770.00"_s), qPrintable(panel->footerLabel()->text()));
    panel->showVoidedBox()->click();
    QVERIFY(loaded.next());
    QVERIFY(ids().contains(u"9"_s));
    QCOMPARE(panel->currentTable()->total(), valid + 1);
    QVERIFY2(panel->footerLabel()->text().endsWith(u"CN¥770.00"_s), qPrintable(panel->footerLabel()->text()));

    // Another user has their own choice.
    panel->closePanel();
    panel->setUserId(u"qian.feng"_s);
    QVERIFY(panel->openCell(BoardKind::Coach, r, u"coaches"_s, u"items_sum"_s, 2, u"A2"_s));
    QVERIFY(loaded.next());
    QVERIFY(!panel->showVoidedBox()->isChecked());
    QCOMPARE(ids(), QStringList{u"8"_s});

    // Rows that are not service logs have nothing voided to show.
    panel->closePanel();
    QVERIFY(panel->openCell(BoardKind::Finance, f, {}, u"K1"_s, {}, u"K1"_s));
    QVERIFY(loaded.next());
    QVERIFY(!panel->showVoidedBox()->isVisible());
}

// Item 4: BOARD-3's drills sort by any column over the whole set in SQL: a drill read whole (K1's income
// rows) and the keyed service-log rows (K3, paged by the sort key), with voided rows shown too; every page
// together is the set once, in order, with the same footer. In the panel, a header click asks for it.
void BoardDrillTest::financeDrillsSortByAnyColumnAcrossPages() {
    BoardRequest r = financeMay();
    r.drill = u"kpi:K1"_s;
    for (const QString& sort : {u"accrued:desc"_s, u"accrued:asc"_s, u"biz_date:desc"_s})
        checkSortedPages(m_ws->db(), &FinanceBoard::compute, r, sort, sort.section(u':', 0, 0), 2);
    // K1's four categories by accrued revenue (AC-B3-01): 4,700.00, 1,200.00, 770.00, 100.00.
    BoardRequest k1 = r;
    k1.sort = u"accrued:desc"_s;
    QList<qint64> accrued;
    for (const QVariant& v : readPages(m_ws->db(), &FinanceBoard::compute, k1, u"accrued"_s, 3).keys)
        accrued << v.toLongLong();
    QCOMPARE(accrued, (QList<qint64>{470000, 120000, 77000, 10000}));
    r.drill = u"kpi:K3"_s;
    // Coaches in the order of names (pinyin: 安 an, 陈 chen, 张 zhang), not of code points (安 张 陈): the
    // fixture's names agree in both, so one is renamed for the while.
    exec(m_ws->db(), u"UPDATE bd_dim_assistant SET assistant_name = '张雪' WHERE site_assistant_id = 2"_s);
    const auto restoreName = qScopeGuard([this] {
        exec(m_ws->db(),
             u"UPDATE bd_dim_assistant SET assistant_name = '白雪' WHERE site_assistant_id = 2"_s);
    });
    for (const QString& sort : {u"ledger_amount:desc"_s, u"ledger_amount:asc"_s, u"coach:asc"_s,
                                u"coach:desc"_s, u"biz_date:desc"_s, u"assistant_service_id:desc"_s})
        checkSortedPages(m_ws->db(), &FinanceBoard::compute, r, sort, sort.section(u':', 0, 0), 2);
    BoardRequest pay = r; // the coaches of May's pay, a drill read whole
    pay.drill = u"coach:coaches:2026-05-01"_s;
    QCOMPARE(readPages(m_ws->db(), &FinanceBoard::compute, pay, u"coach"_s, 0).ids.size(), 3);
    for (const QString& sort : {u"coach:asc"_s, u"coach:desc"_s})
        checkSortedPages(m_ws->db(), &FinanceBoard::compute, pay, sort, u"coach"_s, 1);
    r.showVoided = true;
    checkSortedPages(m_ws->db(), &FinanceBoard::compute, r, u"ledger_amount:desc"_s, u"ledger_amount"_s, 3);
    checkSortedPages(m_ws->db(), &FinanceBoard::compute, r, u"voided:desc"_s, u"voided"_s, 3);
    // A column the drill does not have is refused, naming the ones it has.
    r.sort = u"nonsense"_s;
    const auto scope = BoardScope::open(m_ws->db(), u"acme"_s);
    const auto refused = FinanceBoard::compute(m_ws->db(), scope.value(), r);
    QVERIFY(!refused);
    QVERIFY2(refused.problem().message.contains(u"ledger_amount"_s), qPrintable(refused.problem().message));

    // The panel: a click on K1's accrued header sorts the whole set, largest first, the footer unchanged.
    auto panel = openPanel();
    panel->setPageSize(2);
    panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    SignalWaiter loaded(panel.get(), &BoardDrillPanel::loaded);
    QVERIFY(panel->openCell(BoardKind::Finance, financeMay(), {}, u"K1"_s, {}, u"K1"_s));
    QVERIFY(loaded.next());
    const QString footer = panel->footerLabel()->text();
    const int column = panel->currentTable()->columnIndex(u"accrued"_s);
    QVERIFY(panel->sortByColumn(column));
    QVERIFY(loaded.next());
    QCOMPARE(panel->currentRequest()->sort, u"accrued:desc"_s);
    QCOMPARE(panel->model()->index(0, column).data(Qt::UserRole).toLongLong(), 470000);
    QCOMPARE(panel->model()->index(1, column).data(Qt::UserRole).toLongLong(), 120000);
    QCOMPARE(panel->footerLabel()->text(), footer);
}

// Item 4: BOARD-4's drills sort by any column (but the constant count) over the whole set: the exceptions of
// intake (Q5) and of the queue (Q1, by age); every page together is the set once, in order, same footer.
void BoardDrillTest::riskOpsDrillsSortByAnyColumnAcrossPages() {
    BoardRequest r = riskOpsRequest();
    r.drill = u"Q5"_s;
    const Paged whole = readPages(m_demo->db(), &RiskOpsBoard::compute, r, u"rule_id"_s, 0);
    QVERIFY2(whole.ids.size() >= 10, qPrintable(QString::number(whole.ids.size())));
    for (const QString& sort : {u"rule_id:asc"_s, u"rule_id:desc"_s, u"hours:desc"_s, u"hours:asc"_s,
                                u"apply_time:desc"_s, u"record_id:desc"_s, u"status:asc"_s})
        checkSortedPages(m_demo->db(), &RiskOpsBoard::compute, r, sort, sort.section(u':', 0, 0), 7);
    r.drill = u"Q1"_s;
    checkSortedPages(m_demo->db(), &RiskOpsBoard::compute, r, u"hours:desc"_s, u"hours"_s, 4);
    // The board itself keeps its fixed orders.
    r.drill.clear();
    r.sort = u"hours"_s;
    const auto scope = BoardScope::open(m_demo->db(), u"acme"_s);
    QVERIFY(!RiskOpsBoard::compute(m_demo->db(), scope.value(), r));
}

QTEST_MAIN(BoardDrillTest)
#include "tst_boarddrill.moc"
