// The approver's loop on real widgets (offscreen): select a pending exception, try to reject it without a
// reason (refused), reject it with one (stored, logged, shown in the list), approve by keyboard.
#include "ApprovalLogPage.h"
#include "ExceptionDetailPanel.h"
#include "FlowDiagramView.h"
#include "MainWindow.h"
#include "QueuePage.h"
#include "RejectDialog.h"
#include "RuleLibraryPage.h"
#include "SignalWaiter.h"
#include "TestWorkspace.h"
#include "flow/FlowSpecBuilder.h"
#include "item/ApprovalLogModel.h"
#include "item/ExceptionQueueModel.h"
#include "store/DatabaseThread.h"
#include "store/DemoWorkspaceBuilder.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionRepository.h"

#include <QApplication>
#include <QComboBox>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::SignalWaiter;
using riskdesk::test::TestWorkspace;

class GuiTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void rejectNeedsAReasonThenUpdatesListAndLog();
    void approveByKeyboardMovesToTheNextRow();
    void applicantSeesWhyTheyCannotDecide();
    void searchFiltersTheQueue();
    void userTargetsShowTheirCurrentRisk();
    void auditorVerifiesAndExports();
    void auditorSeesTheServersVerdict();
    void rulesPageDrawsTheSelectedRule();
    void diagramZoomsPansAndExports();
    void detailDrawsTheRuleWithTheLatestCasePath();
    void statusBarShowsSync();

private:
    void signIn(const QString& tenant, const QString& user);
    RejectDialog* openRejectDialog();

    std::unique_ptr<TestWorkspace> m_ws;
    std::unique_ptr<DatabaseThread> m_db;
    std::unique_ptr<DatabaseThread> m_background;
    std::unique_ptr<MainWindow> m_window;
};

void GuiTest::initTestCase() {
    QCoreApplication::setOrganizationName(u"RiskdeskTest"_s);
    QCoreApplication::setApplicationName(u"tst_gui"_s);
    QStandardPaths::setTestModeEnabled(true);
}

void GuiTest::init() {
    m_ws = std::make_unique<TestWorkspace>(1200, 7, QDateTime::currentDateTimeUtc());
    m_db = std::make_unique<DatabaseThread>();
    auto opened = m_db->open(m_ws->path());
    opened.waitForFinished();
    QVERIFY(opened.result().ok());
    m_background = std::make_unique<DatabaseThread>();
    auto background = m_background->open(m_ws->path());
    background.waitForFinished();
    QVERIFY(background.result().ok());
    m_window = std::make_unique<MainWindow>(m_db.get(), m_background.get());
}

void GuiTest::cleanup() {
    m_window.reset();
    m_background.reset();
    m_db.reset();
    m_ws.reset();
}

void GuiTest::signIn(const QString& tenant, const QString& userId) {
    DirectoryRepository directory(m_ws->db());
    const User user = directory.user(tenant, userId).value();
    Session s{m_ws->path(), tenant, tenant, userId, user.displayName, user.role};
    SignalWaiter ready(m_window.get(), &MainWindow::ready);
    m_window->start(s, directory.membershipsOf(userId).value(), directory.tenants().value());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(ready.next(10000));
}

RejectDialog* GuiTest::openRejectDialog() {
    auto* reject = m_window->queuePage()->detail()->findChild<QPushButton*>(u"rejectButton"_s);
    if (!reject || !reject->isEnabled())
        return nullptr;
    QTest::mouseClick(reject, Qt::LeftButton);
    RejectDialog* dialog = nullptr;
    const bool shown = QTest::qWaitFor(
        [&] { return (dialog = m_window->findChild<RejectDialog*>()) && dialog->isVisible(); }, 5000);
    return shown ? dialog : nullptr;
}

void GuiTest::rejectNeedsAReasonThenUpdatesListAndLog() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    QVERIFY(model->rowCount() > 0);
    // The approver's queue opens on pending exceptions with the first one selected.
    QCOMPARE(model->rowAt(0)->status, ExceptionStatus::Pending);
    // Pick a row li.wei may decide (not assigned to someone else).
    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r)
        if (model->rowAt(r)->currentApproverId.isEmpty() || model->rowAt(r)->currentApproverId == u"li.wei")
            row = r;
    QVERIFY(row >= 0);
    QTest::mouseClick(queue->table()->viewport(), Qt::LeftButton, {},
                      queue->table()->visualRect(model->index(row, 0)).center());
    const QString id = model->rowAt(row)->recordId;
    QTRY_COMPARE(queue->detail()->recordId(), id);

    // An empty reason is refused in the dialog and nothing is stored.
    RejectDialog* dialog = openRejectDialog();
    QVERIFY(dialog);
    QTest::mouseClick(dialog->findChild<QPushButton*>(u"rejectConfirm"_s), Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    auto* error = dialog->findChild<QLabel*>(u"rejectError"_s);
    QVERIFY(error->isVisible());
    QVERIFY(error->text().contains(u"reason"_s));
    QCOMPARE(ExceptionRepository(m_ws->db()).get(u"acme"_s, id).value().status, ExceptionStatus::Pending);
    // So is one of invisible characters (U+3000, U+200B): the same rule as the server's.
    auto* reasonEdit = dialog->findChild<QPlainTextEdit*>(u"rejectReason"_s);
    reasonEdit->setPlainText(u"\u3000\u200b \u00a0"_s);
    QTest::mouseClick(dialog->findChild<QPushButton*>(u"rejectConfirm"_s), Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY(error->isVisible());
    QCOMPARE(ExceptionRepository(m_ws->db()).get(u"acme"_s, id).value().status, ExceptionStatus::Pending);
    reasonEdit->clear();

    // With a reason, the rejection is stored, the row updates in place and the log shows the entry.
    QTest::keyClicks(dialog->findChild<QPlainTextEdit*>(u"rejectReason"_s),
                     u"Route through Nanjing not explained"_s);
    QTest::mouseClick(dialog->findChild<QPushButton*>(u"rejectConfirm"_s), Qt::LeftButton);
    QTRY_COMPARE(model->rowAt(row)->status, ExceptionStatus::Rejected);
    QCOMPARE(model->data(model->index(row, int(QueueColumn::Status))).toString(),
             displayName(ExceptionStatus::Rejected));
    const RiskException stored = ExceptionRepository(m_ws->db()).get(u"acme"_s, id).value();
    QCOMPARE(stored.status, ExceptionStatus::Rejected);
    QCOMPARE(stored.rejectionReason, u"Route through Nanjing not explained"_s);
    auto* feedback = queue->findChild<QLabel*>(u"queueFeedback"_s);
    QVERIFY(feedback->text().contains(id));

    m_window->tabs()->setCurrentIndex(1);
    ApprovalLogPage* logPage = m_window->logPage();
    SignalWaiter loaded(logPage->model(), &ApprovalLogModel::pageLoaded);
    logPage->findChild<QLineEdit*>(u"logActorFilter"_s)->setText(u"li.wei"_s);
    QMetaObject::invokeMethod(logPage->findChild<QLineEdit*>(u"logActorFilter"_s), "editingFinished");
    QVERIFY(loaded.next());
    const ApprovalLogEntry* newest = logPage->model()->entryAt(0);
    QVERIFY(newest);
    QCOMPARE(newest->recordId, id);
    QCOMPARE(newest->action, u"reject"_s);
    QCOMPARE(newest->comment, u"Route through Nanjing not explained"_s);
}

void GuiTest::approveByKeyboardMovesToTheNextRow() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    // Find a low-risk row li.wei may approve in one step.
    int row = -1;
    for (int r = 0; r < model->rowCount() - 1 && row < 0; ++r) {
        const QueueRow* q = model->rowAt(r);
        if ((q->severity == Severity::Low || q->severity == Severity::Medium) &&
            q->currentApproverId.isEmpty())
            row = r;
    }
    QVERIFY(row >= 0);
    queue->table()->setFocus();
    queue->table()->selectRow(row);
    const QString id = model->rowAt(row)->recordId;
    QTRY_COMPARE(queue->detail()->recordId(), id);
    QTRY_VERIFY(queue->detail()->findChild<QPushButton*>(u"approveButton"_s)->isEnabled());
    QTest::keyClick(queue->table(), Qt::Key_A);
    QTRY_COMPARE(model->rowAt(row)->status, ExceptionStatus::Approved);
    QCOMPARE(ExceptionRepository(m_ws->db()).get(u"acme"_s, id).value().status, ExceptionStatus::Approved);
    // The approver is moved on to the next exception.
    QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(row + 1)->recordId);
}

void GuiTest::applicantSeesWhyTheyCannotDecide() {
    signIn(u"acme"_s, u"wang.fang"_s);
    QueuePage* queue = m_window->queuePage();
    QTRY_VERIFY(!queue->detail()->recordId().isEmpty());
    auto* approve = queue->detail()->findChild<QPushButton*>(u"approveButton"_s);
    QVERIFY(!approve->isEnabled());
    auto* hint = queue->detail()->findChild<QLabel*>(u"detailHint"_s);
    const auto& shown = queue->detail()->exception();
    if (shown->applicantId != u"wang.fang" && shown->status == ExceptionStatus::Pending)
        QVERIFY2(hint->text().contains(u"approver"_s), qPrintable(hint->text()));
}

void GuiTest::searchFiltersTheQueue() {
    signIn(u"globex"_s, u"huang.tao"_s);
    QueuePage* queue = m_window->queuePage();
    SignalWaiter loaded(queue->model(), &ExceptionQueueModel::pageLoaded);
    auto* search = queue->findChild<QLineEdit*>(u"searchField"_s);
    QTest::keyClicks(search, u"tom.baker"_s);
    QVERIFY(loaded.next()); // after the typing pause, one query
    QCOMPARE(loaded.size(), 1);
    QVERIFY(queue->model()->rowCount() > 0);
    for (int r = 0; r < queue->model()->rowCount(); ++r)
        QCOMPARE(queue->model()->rowAt(r)->applicantId, u"tom.baker"_s);
    QTest::keyClicks(search, u"-no-such-person"_s);
    QVERIFY(loaded.next());
    QCOMPARE(queue->model()->rowCount(), 0);
    QTRY_VERIFY(queue->findChild<QLabel*>(u"loadedLabel"_s)->text().contains(u"Nothing"_s));
}

void GuiTest::userTargetsShowTheirCurrentRisk() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    int userRow = -1, merchantRow = -1, claimRow = -1;
    for (int r = 0; r < model->rowCount(); ++r) {
        const TargetType type = model->rowAt(r)->targetType;
        if (type == TargetType::User && userRow < 0)
            userRow = r;
        if (type == TargetType::Merchant && merchantRow < 0)
            merchantRow = r;
        if (type == TargetType::Claim && claimRow < 0)
            claimRow = r;
    }
    QVERIFY(userRow >= 0 && merchantRow >= 0 && claimRow >= 0);
    auto* risk = queue->detail()->findChild<QLabel*>(u"detailRisk"_s);
    auto* impact = queue->detail()->findChild<QLabel*>(u"detailImpact"_s);
    auto showsALevel = [&] {
        return risk->text().contains(u"minimal"_s) || risk->text().contains(u"low"_s) ||
               risk->text().contains(u"medium"_s) || risk->text().contains(u"high"_s);
    };
    // The demo gives user and merchant targets transactions assessed by the engine, and every pending
    // request's target a history the impact preview replays.
    for (const int row : {userRow, merchantRow}) {
        queue->table()->selectRow(row);
        QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(row)->recordId);
        QTRY_VERIFY2(showsALevel() && risk->isVisible(), qPrintable(risk->text()));
        QTRY_VERIFY2(impact->text().contains(u"on record"_s), qPrintable(impact->text()));
    }
    queue->table()->selectRow(claimRow);
    QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(claimRow)->recordId);
    QTRY_VERIFY2(impact->text().contains(u"on record"_s), qPrintable(impact->text()));
    QVERIFY(!risk->isVisible()); // the engine assesses transactions, not claims
    QVERIFY(impact->isVisible());
}

void GuiTest::auditorVerifiesAndExports() {
    signIn(u"acme"_s, u"sun.yue"_s);
    QCOMPARE(m_window->tabs()->currentIndex(), 1); // auditors start on the log
    ApprovalLogPage* page = m_window->logPage();
    QTRY_VERIFY_WITH_TIMEOUT(page->verification()->text().contains(u"intact"_s), 10000);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"log.csv"_s);
    SignalWaiter exported(page, &ApprovalLogPage::exported);
    page->exportTo(path);
    QVERIFY(exported.next());
    QVERIFY(exported.first().at(0).toBool());
    QVERIFY(QFileInfo(path).size() > 100);
    // A path that cannot be written gives a message and no file.
    page->exportTo(dir.filePath(u"missing-folder/log.csv"_s));
    QVERIFY(exported.next());
    QVERIFY(!exported.last().at(0).toBool());
    QVERIFY(exported.last().at(1).toString().contains(u"missing-folder"_s));
}

void GuiTest::auditorSeesTheServersVerdict() {
    // With a backend, verifying asks for the server's chain too, and its verdict shows under the desktop's.
    signIn(u"acme"_s, u"sun.yue"_s);
    ApprovalLogPage* page = m_window->logPage();
    auto* button = page->findChild<QPushButton*>(u"verifyServerButton"_s);
    QVERIFY(button && !button->isVisible() && !page->serverVerification()->isVisible()); // no backend yet
    QSignalSpy requested(page, &ApprovalLogPage::serverVerificationRequested);
    page->setServerAvailable(true);
    QVERIFY(button->isVisible() && page->serverVerification()->isVisible());
    QCOMPARE(requested.size(), 1); // the page is on screen: it asks at once
    QCOMPARE(requested.first().at(0).toString(), u"acme"_s);
    // Verify chain asks again, with the desktop's own check.
    auto* verify = page->findChild<QPushButton*>(u"verifyButton"_s);
    QTRY_VERIFY(verify->isEnabled());
    verify->click();
    QCOMPARE(requested.size(), 2);
    QVERIFY(!button->isEnabled()); // until the answer comes
    QVERIFY(page->serverVerification()->text().contains(u"Verifying"_s));

    ServerLogCheck check;
    check.tenantId = u"globex"_s; // an answer for a tenant not shown is ignored
    check.reached = true;
    page->showServerVerification(check);
    QVERIFY(page->serverVerification()->text().contains(u"Verifying"_s));
    check.tenantId = u"acme"_s;
    check.verification.intact = true;
    check.verification.head.seq = 42;
    check.verification.head.hash = "0123456789abcdef0123";
    page->showServerVerification(check);
    QVERIFY2(page->serverVerification()->text().contains(u"Server chain intact"_s) &&
                 page->serverVerification()->text().contains(u"entry 42"_s),
             qPrintable(page->serverVerification()->text()));
    QVERIFY(button->isEnabled());
    check.verification.intact = false;
    check.verification.firstBrokenSeq = 7;
    check.verification.message = u"Entry 7 does not extend the head this desktop verified before."_s;
    page->showServerVerification(check);
    QVERIFY2(page->serverVerification()->text().contains(u"BROKEN at entry 7"_s),
             qPrintable(page->serverVerification()->text()));
    check.reached = false;
    check.problem = u"Offline: the server's log can be verified once the server is reachable."_s;
    page->showServerVerification(check);
    QVERIFY(page->serverVerification()->text().contains(u"Offline"_s));
    button->click();
    QCOMPARE(requested.size(), 3);

    // The copy of the server's log, browsed and verified like this desktop's: here a copy of acme's chain.
    QSqlQuery copy(m_ws->db());
    QVERIFY(copy.exec(u"INSERT INTO server_log SELECT * FROM approval_log WHERE tenant_id = 'acme'"_s));
    const qint64 entries = copy.numRowsAffected();
    QVERIFY(entries > 10);
    auto* source = page->findChild<QComboBox*>(u"logSource"_s);
    QVERIFY(source && source->isVisible());
    source->setCurrentIndex(1);
    Q_EMIT source->activated(1);
    QTRY_VERIFY_WITH_TIMEOUT(page->verification()->text().contains(u"intact"_s), 10000);
    QTRY_VERIFY(page->model()->rowCount() > 0);
    QCOMPARE(page->model()->filter().source, LogSource::ServerCopy);
    // An entry missing from the copy is caught.
    QVERIFY(copy.exec(u"DELETE FROM server_log WHERE tenant_id = 'acme' AND seq = 5"_s));
    page->findChild<QPushButton*>(u"verifyButton"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(page->verification()->text().contains(u"BROKEN"_s), 10000);
    // Without a backend the choice goes away and the page shows this desktop's log again.
    page->setServerAvailable(false);
    QVERIFY(!button->isVisible() && !source->isVisible());
    QCOMPARE(page->model()->filter().source, LogSource::Workspace);
}

void GuiTest::rulesPageDrawsTheSelectedRule() {
    signIn(u"acme"_s, u"li.wei"_s);
    RuleLibraryPage* page = m_window->rulesPage();
    m_window->tabs()->setCurrentWidget(page);
    QTRY_VERIFY(page->table()->rowCount() > 0);
    QCOMPARE(page->table()->rowCount(), 14);
    FlowDiagramView* diagram = page->diagram();
    QTRY_VERIFY(!diagram->isEmpty());
    const QString first = diagram->diagramLayout()->title;
    QVERIFY(diagram->accessibleName().contains(first));
    QVERIFY(diagram->accessibleDescription().contains(u"Hit logic"_s));
    page->table()->selectRow(3);
    QTRY_VERIFY(diagram->diagramLayout()->title != first);
    QCOMPARE(diagram->diagramLayout()->title, page->table()->item(3, 1)->text());
    QVERIFY(!diagram->grab().isNull());
}

void GuiTest::diagramZoomsPansAndExports() {
    FlowDiagramView view;
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QJsonObject rule = DemoWorkspaceBuilder::rulePayloads().at(0).toObject();
    view.setSpec(FlowSpecBuilder::build(rule));
    QVERIFY(view.fitted());
    const qreal fit = view.scale();
    QVERIFY(fit > 0.5 && fit < 1); // the 860-pixel canvas shrinks into 600 pixels
    // Ctrl+wheel zooms around the cursor; 0 fits again.
    QWheelEvent wheel(QPointF(300, 150), view.mapToGlobal(QPointF(300, 150)), QPoint(), QPoint(0, 240),
                      Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&view, &wheel);
    QVERIFY(!view.fitted());
    QVERIFY(view.scale() > fit * 1.3);
    QTest::keyClick(&view, Qt::Key_0);
    QVERIFY(view.fitted());
    QTest::keyClick(&view, Qt::Key_Plus);
    QVERIFY(view.scale() > fit);
    const QImage before = view.grab().toImage();
    QTest::keyClick(&view, Qt::Key_Right);
    QVERIFY(view.grab().toImage() != before); // panned
    // A plain wheel pans instead of zooming.
    const qreal zoomed = view.scale();
    QWheelEvent scroll(QPointF(300, 150), view.mapToGlobal(QPointF(300, 150)), QPoint(), QPoint(0, -120),
                       Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&view, &scroll);
    QCOMPARE(view.scale(), zoomed);

    QTemporaryDir dir;
    QString problem;
    QVERIFY(view.exportSvg(dir.filePath(u"d.svg"_s), &problem));
    QSvgRenderer svg(dir.filePath(u"d.svg"_s));
    QVERIFY(svg.isValid());
    QVERIFY(view.exportPng(dir.filePath(u"d.png"_s), 2, &problem));
    QCOMPARE(QImage(dir.filePath(u"d.png"_s)).width(),
             int(std::ceil(view.diagramLayout()->size.width() * 2)));
    // A folder that does not exist is a message, not a crash or a half-written file.
    QVERIFY(!view.exportSvg(dir.filePath(u"missing/d.svg"_s), &problem));
    QVERIFY2(problem.contains(u"missing"_s), qPrintable(problem));
}

void GuiTest::detailDrawsTheRuleWithTheLatestCasePath() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    int claimRow = -1;
    for (int r = 0; r < model->rowCount() && claimRow < 0; ++r)
        if (model->rowAt(r)->targetType == TargetType::Claim &&
            model->rowAt(r)->status == ExceptionStatus::Pending)
            claimRow = r;
    QVERIFY(claimRow >= 0);
    queue->table()->selectRow(claimRow);
    QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(claimRow)->recordId);
    auto* flow = queue->detail()->findChild<FlowDiagramView*>(u"detailFlow"_s);
    QVERIFY(flow);
    QTRY_VERIFY(!flow->isEmpty());
    // Once the target's history is read, the diagram marks the path of its latest case.
    QTRY_VERIFY(flow->highlight().has_value());
    QVERIFY(!flow->highlight()->conditionValues.isEmpty());
    QVERIFY(queue->detail()->findChild<QLabel*>(u"detailFlowCaption"_s)->text().contains(u"CASE-"_s));
}

void GuiTest::statusBarShowsSync() {
    signIn(u"acme"_s, u"li.wei"_s);
    QLabel* label = m_window->syncLabel();
    SyncStatus s;
    s.configured = true;
    s.online = false;
    s.waiting = 3;
    s.lastError = u"Cannot connect to the server: connection refused"_s;
    m_window->showSyncStatus(s);
    QVERIFY2(label->text().contains(u"Offline"_s) && label->text().contains(u"3 waiting"_s),
             qPrintable(label->text()));
    QVERIFY(label->toolTip().contains(u"connection refused"_s));
    s.online = true;
    s.waiting = 0;
    s.lastSync = QDateTime::currentDateTimeUtc();
    s.conflicts = {u"exc-1: conflict, zhang.min decided first (approve at 2026-11-23T10:00:00.000Z)"_s};
    m_window->showSyncStatus(s);
    QVERIFY2(label->text().startsWith(u"Online · synced"_s) && label->text().contains(u"1 conflict"_s),
             qPrintable(label->text()));
    QVERIFY(label->toolTip().contains(u"zhang.min decided first"_s));
    s.pullProgress = 150000;
    m_window->showSyncStatus(s);
    QVERIFY2(label->text().contains(u"150"_s), qPrintable(label->text()));
    // After the first pull: its indexes, then the search index, with a word on what that means meanwhile.
    s.pullProgress = -1;
    s.conflicts.clear();
    s.indexesLeft = 3;
    m_window->showSyncStatus(s);
    QVERIFY2(label->text().contains(u"preparing the queue (3 index"_s), qPrintable(label->text()));
    QVERIFY2(label->toolTip().contains(u"take longer"_s), qPrintable(label->toolTip()));
    s.indexesLeft = 0;
    s.searchPercent = 40;
    m_window->showSyncStatus(s);
    QVERIFY2(label->text().contains(u"search index (40%)"_s), qPrintable(label->text()));
    s.searchPercent = -1;
    m_window->showSyncStatus(s);
    QVERIFY2(!label->text().contains(u"index"_s) && !label->toolTip().contains(u"take longer"_s),
             qPrintable(label->text() + label->toolTip()));
}

QTEST_MAIN(GuiTest)
#include "tst_gui.moc"
