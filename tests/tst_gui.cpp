// The approver's loop on real widgets (offscreen): select a pending exception, try to reject it without a
// reason (refused), reject it with one (stored, logged, shown in the list), approve by keyboard.
#include "ApprovalLogPage.h"
#include "BoardDrillPanel.h"
#include "BoardKpiCard.h"
#include "BoardsPage.h"
#include "CommentInput.h"
#include "CommentThreadView.h"
#include "DateField.h"
#include "DeadlineDelegate.h"
#include "ExceptionDetailPanel.h"
#include "FlowDiagramView.h"
#include "MainWindow.h"
#include "PlainFileIconProvider.h"
#include "QueuePage.h"
#include "RejectDialog.h"
#include "RuleLibraryPage.h"
#include "SaveFileDialog.h"
#include "SignInDialog.h"
#include "SignalWaiter.h"
#include "TemporaryConfig.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "boards/BoardTable.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "domain/ExceptionDecision.h"
#include "domain/IdentityMark.h"
#include "domain/SystemComment.h"
#include "flow/FlowSpecBuilder.h"
#include "item/ApprovalLogModel.h"
#include "item/BoardDrillModel.h"
#include "item/ExceptionQueueModel.h"
#include "item/QueueFormatting.h"
#include "store/AssignmentService.h"
#include "store/DatabaseThread.h"
#include "store/DecisionService.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionRepository.h"
#include "store/Outbox.h"
#include "store/SqlProblem.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QSqlQuery>
#include <QStatusBar>
#include <QStyleOptionViewItem>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextCursor>
#include <QTextDocumentFragment>
#include <QTimeZone>
#include <QTimer>
#include <QTranslator>
#include <QWheelEvent>
#include <atomic>
#include <memory>
#include <thread>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::SignalWaiter;
using riskdesk::test::TemporaryConfig;
using riskdesk::test::TestWorkspace;

class GuiTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void rejectNeedsAReasonThenUpdatesListAndLog();
    void approveByKeyboardMovesToTheNextRow();
    void tabGoesToTheDecisionNotToAnotherRow();
    void heldOrDoubleTappedKeysDecideOnce();
    void applicantSeesWhyTheyCannotDecide();
    void approverSeesTheyCannotDecideTheirOwnRequest();
    void searchFiltersTheQueue();
    void userTargetsShowTheirCurrentRisk();
    void auditorVerifiesAndExports();
    void auditorSeesTheServersVerdict();
    void rulesPageDrawsTheSelectedRule();
    void diagramZoomsPansAndExports();
    void detailDrawsTheRuleWithTheLatestCasePath();
    void statusBarShowsSync();
    void statusBarCountsTheChangesToPush();
    void logPageShowsTheCurrentLog();
    void logFiltersByNamesCountsAndOpensTheException();
    void logCommentIsReadableInANarrowWindow();
    void aDateThatIsNoDayIsRefusedWithTheReason();
    void emptyResultsOfferToClearTheFilters();
    void longMessagesAndFiltersKeepTheWindowOnA1024Screen();
    void queueSortsByApplyTimeUnlessOnlyPending();
    void riskOpsDrillOpensTheExceptionInTheQueue();
    void windowFitsA1280By800Screen();
    void detailDiagramIsReadableAndOpensLarge();
    void systemCommentsShowInTheReadersLanguage();
    void aboutShowsTheApplicationsVersion();
    void anotherExceptionIsShownFromItsTop();
    void switchingUserSelectsTheCurrentOne();
    void aSavedWindowFitsASmallerScreen();
    void keysGoToTheQueueFromTheStart();
    void typedTextIsShownAsTyped();
    void tableAndPanelTellTheSameTimeLeft();
    void quittingWarnsOfUnsentText();
    void requestsClosedAtStartLeaveThePendingQueue();
    void decisionsMadeElsewhereShowInTheirRows();
    void aWindowThatEndsOnScreenIsClosedAtItsEnd();
    void aDecisionWaitingForALockSaysSoAndMovesNothing();
    void aStepMessageGoesWhenTheRequestChangesAgain();
    void aStrayKeyNeverSwitchesTheTenant();
    void anAuditorIsToldTheirRoleFirst();
    void switchingUserWarnsOfUnsentText();
    void savingAsksAboutTheFileThatIsWritten();
    void fileDialogsNeverReadAFileToTellItsType();
    void aFileNameTheDialogReadsAsAPatternIsRefused();

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
    // Settings (window geometry, remembered boards) go to the temporary folder of TemporaryConfig.
    QVERIFY(riskdesk::test::settings().fileName().startsWith(TemporaryConfig::configHome() + u'/'));
}

void GuiTest::init() {
    m_ws = std::make_unique<TestWorkspace>(1200, 7, QDateTime::currentDateTimeUtc());
    m_db = std::make_unique<DatabaseThread>(riskdesk::test::settings());
    auto opened = m_db->open(m_ws->path());
    opened.waitForFinished();
    QVERIFY(opened.result().ok());
    m_background = std::make_unique<DatabaseThread>(riskdesk::test::settings());
    auto background = m_background->open(m_ws->path());
    background.waitForFinished();
    QVERIFY(background.result().ok());
    riskdesk::test::settings().remove(
        AppSettings::Key::WindowGeometry); // each test opens a window of its own size
    m_window = std::make_unique<MainWindow>(m_db.get(), m_background.get());
    m_window->resize(1400, 860); // the offscreen screen is 800×600; most tests want room for rows
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
    Session s{m_ws->path(), tenant, tenant, userId, user.displayName, user.role, {}, {}};
    SignalWaiter ready(m_window.get(), &MainWindow::ready);
    m_window->start(s, directory.membershipsOf(userId).value(), directory.tenants().value());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(ready.next(10000));
}

RejectDialog* GuiTest::openRejectDialog() {
    auto* reject = m_window->queuePage()->detail()->findChild<QPushButton*>(u"rejectButton"_s);
    // A row just shown can be decided after ExceptionDetailPanel::kSettleMs.
    if (!reject || !QTest::qWaitFor([&] { return reject->isEnabled(); }, 2000))
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
    // So is one longer than the server takes (2000 characters), with a message that gives the limit; the
    // prompt says it beforehand.
    const QList<QLabel*> labels = dialog->findChildren<QLabel*>();
    QVERIFY(std::any_of(labels.cbegin(), labels.cend(),
                        [](const QLabel* l) { return l->isVisible() && l->text().contains(u"2000"_s); }));
    // The count shows while typing, in red past the limit.
    auto* count = dialog->findChild<QLabel*>(u"rejectCount"_s);
    QVERIFY(count && count->isVisible());
    reasonEdit->setPlainText(QString(2000, u'r'));
    QCOMPARE(count->text(), u"2000 of 2000 characters"_s);
    QVERIFY(!count->styleSheet().contains(u"#b91c1c"_s));
    reasonEdit->setPlainText(QString(2001, u'r'));
    QCOMPARE(count->text(), u"2001 of 2000 characters"_s);
    QVERIFY(count->styleSheet().contains(u"#b91c1c"_s));
    QTest::mouseClick(dialog->findChild<QPushButton*>(u"rejectConfirm"_s), Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"2001"_s) && error->text().contains(u"2000"_s),
             qPrintable(error->text()));
    QCOMPARE(ExceptionRepository(m_ws->db()).get(u"acme"_s, id).value().status, ExceptionStatus::Pending);
    // So is one with a control character that cannot be stored (a bidirectional override, invisible): named
    // in the dialog, where it can be removed (helper-90: the dialog closed and the decision failed after it).
    reasonEdit->setPlainText(u"Looks fine \u202Ereversed\u202C end"_s);
    QTest::mouseClick(dialog->findChild<QPushButton*>(u"rejectConfirm"_s), Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"U+202E"_s) && error->text().contains(u"12"_s),
             qPrintable(error->text()));
    QCOMPARE(ExceptionRepository(m_ws->db()).get(u"acme"_s, id).value().status, ExceptionStatus::Pending);
    reasonEdit->clear();

    // A reason written and then cancelled with Esc is not lost: Reject again brings it back, and so does a
    // Reject after looking at another row (it was gone, and a long reason had to be written again).
    QTest::keyClicks(reasonEdit, u"Route through Nanjing"_s);
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(!m_window->findChild<RejectDialog*>());
    QCOMPARE(ExceptionRepository(m_ws->db()).get(u"acme"_s, id).value().status, ExceptionStatus::Pending);
    const int elsewhere = row + 1 < model->rowCount() ? row + 1 : row - 1;
    queue->table()->selectRow(elsewhere);
    QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(elsewhere)->recordId);
    queue->table()->selectRow(row);
    QTRY_COMPARE(queue->detail()->recordId(), id);
    dialog = openRejectDialog();
    QVERIFY(dialog);
    reasonEdit = dialog->findChild<QPlainTextEdit*>(u"rejectReason"_s);
    QCOMPARE(reasonEdit->toPlainText(), u"Route through Nanjing"_s);
    QVERIFY(dialog->findChild<QLabel*>(u"rejectError"_s)->text().contains(u"not sent"_s));
    reasonEdit->moveCursor(QTextCursor::End);

    // With a reason, the rejection is stored, the row updates in place and the log shows the entry.
    QTest::keyClicks(reasonEdit, u" not explained"_s);
    QTest::mouseClick(dialog->findChild<QPushButton*>(u"rejectConfirm"_s), Qt::LeftButton);
    QTRY_COMPARE(model->rowAt(row)->status, ExceptionStatus::Rejected);
    QCOMPARE(model->data(model->index(row, int(QueueColumn::CurrentStatus))).toString(),
             displayName(ExceptionStatus::Rejected));
    const RiskException stored = ExceptionRepository(m_ws->db()).get(u"acme"_s, id).value();
    QCOMPARE(stored.status, ExceptionStatus::Rejected);
    QCOMPARE(stored.rejectionReason, u"Route through Nanjing not explained"_s);
    auto* feedback = queue->findChild<QLabel*>(u"queueFeedback"_s);
    QVERIFY(feedback->text().contains(id));
    // The panel's approval chain shows the request and the step a line each, the reason whole, as tall as it
    // needs rather than in a box that scrolls inside the panel (helper-80).
    auto* chain = queue->detail()->findChild<QLabel*>(u"detailTimeline"_s);
    QVERIFY(chain);
    queue->table()->setCurrentIndex(model->index(row, 0)); // the panel went on to the next row to decide
    QTRY_COMPARE(queue->detail()->recordId(), id);
    QTRY_COMPARE(chain->text().split(u'\n').size(), 3); // requested; rejected; its reason, indented
    QVERIFY2(chain->text().contains(u"Route through Nanjing not explained"_s), qPrintable(chain->text()));
    QTRY_VERIFY(chain->height() >= chain->heightForWidth(chain->width()));

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

// Found by a new user: the tenant box had the focus at start, so the first ↓ switched to another tenant's
// queue (and the next A would have decided there).
// Another row's exception is shown from its top: the panel kept the previous one's scroll, its status and
// applicant out of sight (helper-90).
void GuiTest::anotherExceptionIsShownFromItsTop() {
    signIn(u"acme"_s, u"li.wei"_s);
    m_window->resize(1024, 600);
    QueuePage* queue = m_window->queuePage();
    QTRY_VERIFY(!queue->detail()->recordId().isEmpty());
    auto* scroll = queue->detail()->findChild<QScrollArea*>(u"detailScroll"_s);
    QVERIFY(scroll);
    QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0);
    scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
    const QString first = queue->detail()->recordId();
    QTest::keyClick(queue->table(), Qt::Key_Down);
    QTRY_VERIFY(queue->detail()->recordId() != first);
    QCOMPARE(scroll->verticalScrollBar()->value(), 0);
}

// Switch user… selects the person switching: the list's first row (an applicant in another tenant) was
// selected, and Enter signed in as them (helper-90).
void GuiTest::switchingUserSelectsTheCurrentOne() {
    const QList<User> memberships{{u"acme"_s, u"chen.jing"_s, u"陈静"_s, UserRole::Applicant},
                                  {u"acme"_s, u"li.wei"_s, u"李伟"_s, UserRole::Approver},
                                  {u"globex"_s, u"li.wei"_s, u"李伟"_s, UserRole::Approver}};
    SignInDialog dialog(memberships, {});
    QCOMPARE(dialog.selected().userId, u"chen.jing"_s); // nobody signed in yet: the first
    dialog.preselect(u"li.wei"_s, u"globex"_s);
    QCOMPARE(dialog.selected().userId, u"li.wei"_s);
    QCOMPARE(dialog.selected().tenantId, u"globex"_s);
    dialog.preselect(u"nobody"_s, u"acme"_s); // not in the list: the selection stays
    QCOMPARE(dialog.selected().tenantId, u"globex"_s);
}

// A window saved on a larger screen opens within this one (helper-91: 1,270 px on a 1,024 px screen, Export,
// Refresh and Switch user off its right edge).
void GuiTest::aSavedWindowFitsASmallerScreen() {
    const QRect available = m_window->screen()->availableGeometry(); // offscreen: 800×600
    m_window->resize(available.width() + 470, available.height() + 180);
    riskdesk::test::settings().setWindowGeometry(m_window->saveGeometry());
    m_window.reset();
    m_window = std::make_unique<MainWindow>(m_db.get(), m_background.get());
    // As far as the window can shrink (at 800 px the offscreen screen is narrower than its minimum width).
    const QSize most = available.size().expandedTo(m_window->minimumSizeHint());
    QVERIFY2(m_window->width() <= most.width() && m_window->height() <= most.height(),
             qPrintable(u"%1×%2 on %3×%4"_s.arg(m_window->width())
                            .arg(m_window->height())
                            .arg(available.width())
                            .arg(available.height())));
    QVERIFY(available.contains(m_window->geometry().topLeft()));
    // One that fits keeps its size.
    m_window->resize(available.width() - 100, available.height() - 100);
    const QSize fits = m_window->size();
    riskdesk::test::settings().setWindowGeometry(m_window->saveGeometry());
    m_window.reset();
    m_window = std::make_unique<MainWindow>(m_db.get(), m_background.get());
    QCOMPARE(m_window->size(), fits);
    riskdesk::test::settings().remove(AppSettings::Key::WindowGeometry);
}

void GuiTest::keysGoToTheQueueFromTheStart() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    QCOMPARE(m_window->focusWidget(), queue->table());
    QTRY_VERIFY(!queue->detail()->recordId().isEmpty());
    const QString first = queue->detail()->recordId();
    QTest::keyClick(m_window->focusWidget(), Qt::Key_Down);
    QTRY_VERIFY(queue->detail()->recordId() != first);
    QCOMPARE(m_window->findChild<QComboBox*>(u"tenantSwitcher"_s)->currentData().toString(), u"acme"_s);
    QCOMPARE(queue->model()->rowAt(queue->table()->currentIndex().row())->recordId,
             queue->detail()->recordId());
    // An auditor starts on the log, its rows focused.
    m_window.reset();
    m_window = std::make_unique<MainWindow>(m_db.get(), m_background.get());
    signIn(u"acme"_s, u"sun.yue"_s);
    QCOMPARE(m_window->focusWidget(), m_window->logPage()->table());
}

// Found by a new user: a request closed by the start-up sweep (its window had ended) headed the pending queue
// as rejected, and was the one selected; and the sweep's message stayed after a switch of tenant.
// Another program on the same file (the command line, another desktop) decides rows this window shows: the
// rows say so in place, without F5, and the panel of the one shown reads it again (it said "Approved" while
// its row still said "Pending", and A was offered on it).
// helper-90: a request whose window ended while the approver had it open stayed "Pending", its Reject
// confirmed and then refused, until the next sign-in closed it. The queue closes it when its window ends; the
// row stays in place, closed, with the panel on it (helper-95: the panel switched to another request
// silently), and the open Reject dialog says why and keeps the text.
void GuiTest::aWindowThatEndsOnScreenIsClosedAtItsEnd() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    QTRY_VERIFY(model->rowCount() > 0);
    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r) {
        const QueueRow* q = model->rowAt(r);
        if (q->status == ExceptionStatus::Pending && q->severity == Severity::Low &&
            q->currentApproverId.isEmpty() && q->applicantId != u"li.wei" && q->approvals == 0)
            row = r;
    }
    QVERIFY(row >= 0);
    const QString id = model->rowAt(row)->recordId;
    queue->table()->selectRow(row);
    QTRY_COMPARE(queue->detail()->recordId(), id);
    RejectDialog* rejecting = openRejectDialog();
    QVERIFY(rejecting);
    QTest::keyClicks(rejecting->findChild<QPlainTextEdit*>(u"rejectReason"_s), u"Receipt unreadable"_s);
    // Its window now ends three seconds from now (as another program could change it).
    QSqlQuery q(m_ws->db());
    q.prepare(u"UPDATE exceptions SET valid_end_time = ? WHERE tenant_id = 'acme' AND record_id = ?"_s);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch() + 3000);
    q.addBindValue(id);
    QVERIFY(q.exec());
    QElapsedTimer waited;
    waited.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        model->rowOf(id) >= 0 && model->rowAt(model->rowOf(id))->status == ExceptionStatus::Rejected, 15000);
    QVERIFY2(waited.elapsed() >= 2500, qPrintable(QString::number(waited.elapsed()))); // not before its end
    QCOMPARE(ExceptionRepository(m_ws->db()).get(u"acme"_s, id).value().status, ExceptionStatus::Rejected);
    QCOMPARE(queue->detail()->recordId(), id);
    QTRY_VERIFY(queue->detail()->exception() &&
                queue->detail()->exception()->status == ExceptionStatus::Rejected);
    QVERIFY(!queue->detail()->findChild<QPushButton*>(u"approveButton"_s)->isEnabled());
    QVERIFY(!rejecting->findChild<QPushButton*>(u"rejectConfirm"_s)->isEnabled());
    const QString why = rejecting->findChild<QLabel*>(u"rejectError"_s)->text();
    QVERIFY2(why.contains(id) && why.contains(u"validity window"_s), qPrintable(why));
    QCOMPARE(rejecting->findChild<QPlainTextEdit*>(u"rejectReason"_s)->toPlainText(),
             u"Receipt unreadable"_s);
    QTest::keyClick(rejecting, Qt::Key_Escape);
    QTRY_VERIFY(!m_window->findChild<RejectDialog*>());
    QCOMPARE(queue->unsentTexts(), 0);
    const QString said = queue->findChild<QLabel*>(u"queueFeedback"_s)->text();
    QVERIFY2(said.contains(id) && said.contains(u"closed automatically"_s), qPrintable(said));
}

// A decision that waits for another writer's lock says so after a moment (the window seemed to ignore the
// click for up to 5 s: helper-95). The approver may choose another row meanwhile (it opens once the decision
// is done: the panel reads on the same connection): the outcome is told on the message line, naming the
// request, and neither the panel of the row chosen nor the selection is touched by it.
void GuiTest::aDecisionWaitingForALockSaysSoAndMovesNothing() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    QTRY_VERIFY(model->rowCount() > 0);
    QList<int> rows; // two li.wei may approve in one step
    for (int r = 0; r < model->rowCount() && rows.size() < 2; ++r) {
        const QueueRow* q = model->rowAt(r);
        if (q->status == ExceptionStatus::Pending && q->severity == Severity::Low &&
            q->currentApproverId.isEmpty() && q->applicantId != u"li.wei" && q->approvals == 0)
            rows << r;
    }
    QCOMPARE(rows.size(), 2);
    const QString first = model->rowAt(rows[0])->recordId, second = model->rowAt(rows[1])->recordId;
    auto* approve = queue->detail()->findChild<QPushButton*>(u"approveButton"_s);
    auto* feedback = queue->findChild<QLabel*>(u"queueFeedback"_s);
    auto* message = queue->detail()->findChild<QLabel*>(u"detailMessage"_s);
    queue->table()->selectRow(model->rowOf(first));
    QTRY_VERIFY(queue->detail()->recordId() == first && approve->isEnabled());

    // Another program holds the write lock past the busy timeout: the decision is refused, and named.
    QSqlQuery lock(m_ws->db());
    QVERIFY(lock.exec(u"BEGIN IMMEDIATE"_s));
    queue->table()->setFocus();
    QTest::mouseClick(approve, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(feedback->text() == u"Recording the decision on %1…"_s.arg(first), 3000);
    // The click left the keyboard in the queue, and nothing can be pressed on the panel meanwhile.
    QVERIFY(queue->table()->hasFocus());
    QVERIFY(!approve->isEnabled());
    QVERIFY(!queue->detail()->findChild<QPushButton*>(u"rejectButton"_s)->isEnabled());
    queue->table()->selectRow(model->rowOf(second)); // the approver reads on
    // R on the row chosen meanwhile opens no rejection of the request still being approved, and says why
    // (helper-96: it opened one on `first`, and its confirmation was dropped without a word).
    QTest::keyClick(queue->table(), Qt::Key_R);
    QVERIFY(!m_window->findChild<RejectDialog*>());
    QVERIFY2(feedback->text().contains(u"still being recorded"_s) && feedback->text().contains(first),
             qPrintable(feedback->text()));
    QTRY_VERIFY_WITH_TIMEOUT(feedback->text().contains(u"another Riskdesk window or command"_s),
                             kBusyTimeoutSeconds * 1000 + 5000);
    QVERIFY2(feedback->text().startsWith(u"Approving %1 failed"_s.arg(first)), qPrintable(feedback->text()));
    QVERIFY(lock.exec(u"ROLLBACK"_s));
    QTRY_VERIFY(queue->detail()->recordId() == second && approve->isEnabled());
    QVERIFY(!message->isVisible()); // the refusal is not left on the request read now
    QCOMPARE(queue->table()->currentIndex().row(), model->rowOf(second));
    QCOMPARE(model->rowAt(model->rowOf(first))->status, ExceptionStatus::Pending);

    // The lock is let go while the decision waits: it is recorded and said, and the row chosen meanwhile
    // stays chosen (a final decision selects the next row only for an approver still on the decided one).
    QVERIFY(lock.exec(u"BEGIN IMMEDIATE"_s));
    approve->click(); // on `second`
    QTRY_VERIFY_WITH_TIMEOUT(feedback->text() == u"Recording the decision on %1…"_s.arg(second), 3000);
    queue->table()->selectRow(model->rowOf(first));
    QVERIFY(lock.exec(u"ROLLBACK"_s));
    QTRY_VERIFY2(feedback->text().contains(second) && feedback->text().contains(u"approved"_s),
                 qPrintable(feedback->text()));
    QCOMPARE(model->rowAt(model->rowOf(second))->status, ExceptionStatus::Approved);
    QTRY_COMPARE(queue->detail()->recordId(), first);
    QTest::qWait(200);
    QCOMPARE(queue->detail()->recordId(), first);
    QCOMPARE(queue->table()->currentIndex().row(), model->rowOf(first));
    QVERIFY(!message->isVisible());

    // An approver who waits on the request: the refusal is on its panel, and the waiting line goes.
    QTRY_VERIFY(approve->isEnabled());
    QVERIFY(lock.exec(u"BEGIN IMMEDIATE"_s));
    QTest::keyClick(queue->table(), Qt::Key_A);
    QTRY_VERIFY_WITH_TIMEOUT(feedback->text() == u"Recording the decision on %1…"_s.arg(first), 3000);
    QTRY_VERIFY_WITH_TIMEOUT(message->isVisible(), kBusyTimeoutSeconds * 1000 + 5000);
    QVERIFY(lock.exec(u"ROLLBACK"_s));
    QVERIFY2(message->text().startsWith(u"Approving %1 failed: another Riskdesk window"_s.arg(first)),
             qPrintable(message->text()));
    QVERIFY2(feedback->text().isEmpty(), qPrintable(feedback->text()));
    QCOMPARE(model->rowAt(model->rowOf(first))->status, ExceptionStatus::Pending);
}

// "Step 1 recorded; … goes to …" is about the request as it was: once the second step is decided elsewhere,
// the panel no longer says it (helper-95 found it under the approved status).
void GuiTest::aStepMessageGoesWhenTheRequestChangesAgain() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    QTRY_VERIFY(model->rowCount() > 0);
    int row = -1; // a two-step request li.wei may take the first step on
    for (int r = 0; r < model->rowCount() && row < 0; ++r) {
        const QueueRow* q = model->rowAt(r);
        if (q->status == ExceptionStatus::Pending && q->severity == Severity::High &&
            q->currentApproverId.isEmpty() && q->applicantId != u"li.wei" && q->approvals == 0)
            row = r;
    }
    QVERIFY(row >= 0);
    const QString id = model->rowAt(row)->recordId;
    queue->table()->selectRow(row);
    auto* approve = queue->detail()->findChild<QPushButton*>(u"approveButton"_s);
    QTRY_VERIFY(queue->detail()->recordId() == id && approve->isEnabled());
    approve->click();
    auto* message = queue->detail()->findChild<QLabel*>(u"detailMessage"_s);
    QTRY_VERIFY(message->isVisible());
    QVERIFY2(message->text().startsWith(u"Step 1 recorded"_s), qPrintable(message->text()));
    const QString next = queue->detail()->exception()->currentApproverId;
    const QString second = next.isEmpty() ? u"zhang.min"_s : next;
    QVERIFY(second != u"li.wei"_s);
    const auto applied =
        DecisionService(m_ws->db()) // another desktop
            .decide(u"acme"_s, id, second, DecisionAction::Approve, {}, QDateTime::currentDateTimeUtc());
    QVERIFY2(applied, qPrintable(applied ? QString() : applied.problem().message));
    QTRY_VERIFY_WITH_TIMEOUT(queue->detail()->exception()->status == ExceptionStatus::Approved, 10000);
    QCOMPARE(queue->detail()->recordId(), id);
    QVERIFY2(!message->isVisible(), qPrintable(message->text()));
}

// A closed tenant switcher changes nothing on ↓, a typed letter or the wheel: those open its list (or pass
// on), and only a choice made there switches (helper-96: focus fell here after a click on Approve, ↓ moved
// the window into another tenant unseen, and the next A approved a request there).
void GuiTest::aStrayKeyNeverSwitchesTheTenant() {
    signIn(u"acme"_s, u"li.wei"_s);
    auto* tenants = m_window->findChild<QComboBox*>(u"tenantSwitcher"_s);
    QVERIFY(tenants->count() >= 2);
    QCOMPARE(tenants->currentData().toString(), u"acme"_s);
    tenants->setFocus();
    for (const Qt::Key key : {Qt::Key_Down, Qt::Key_Up, Qt::Key_End, Qt::Key_PageDown, Qt::Key_G}) {
        QTest::keyClick(tenants, key);
        QCOMPARE(tenants->currentData().toString(), u"acme"_s);
        QCOMPARE(m_window->session().tenantId, u"acme"_s);
        tenants->hidePopup();
    }
    QTest::keyClick(tenants, Qt::Key_Down);
    QTRY_VERIFY(tenants->view()->isVisible()); // the arrows open the list
    tenants->hidePopup();
    QWheelEvent wheel(QPointF(5, 5), tenants->mapToGlobal(QPointF(5, 5)), {}, QPoint(0, -120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(tenants, &wheel);
    QCOMPARE(tenants->currentData().toString(), u"acme"_s);
    QCOMPARE(m_window->session().tenantId, u"acme"_s);
    // A choice in the open list switches.
    tenants->showPopup();
    QTRY_VERIFY(tenants->view()->isVisible());
    const int globex = tenants->findData(u"globex"_s);
    QVERIFY(globex >= 0);
    tenants->view()->setCurrentIndex(tenants->model()->index(globex, 0));
    QTest::keyClick(tenants->view(), Qt::Key_Return);
    QTRY_COMPARE(m_window->session().tenantId, u"globex"_s);
}

// An auditor on a decided exception reads why they decide nothing, not that the exception is no longer
// pending (helper-97: that read as if a pending one were theirs to decide).
void GuiTest::anAuditorIsToldTheirRoleFirst() {
    signIn(u"acme"_s, u"sun.yue"_s);
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(
        u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'rejected' LIMIT 1"_s));
    QVERIFY(q.next());
    const QString id = q.value(0).toString();
    m_window->tabs()->setCurrentWidget(m_window->queuePage());
    m_window->queuePage()->showRecord(id);
    ExceptionDetailPanel* detail = m_window->queuePage()->detail();
    QTRY_COMPARE(detail->recordId(), id);
    auto* hint = detail->findChild<QLabel*>(u"detailHint"_s);
    QTRY_COMPARE(hint->text(),
                 u"sun.yue takes part here as auditor; only approvers can approve or reject."_s);
    QVERIFY(!detail->findChild<QPushButton*>(u"approveButton"_s)->isEnabled());
}

void GuiTest::decisionsMadeElsewhereShowInTheirRows() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    // Rows zhang.min may approve in one step: the shown one and another further down; and a third that
    // zhang.min claims.
    QList<int> rows;
    for (int r = 0; r < model->rowCount() && rows.size() < 3; ++r) {
        const QueueRow* q = model->rowAt(r);
        if (q->status == ExceptionStatus::Pending && q->severity == Severity::Low &&
            q->currentApproverId.isEmpty() && q->applicantId != u"zhang.min" && q->approvals == 0)
            rows << r;
    }
    QCOMPARE(rows.size(), 3);
    const QString claimed = model->rowAt(rows[2])->recordId;
    QVERIFY(model->rowAt(rows[2])->assigneeId.isEmpty());
    queue->table()->selectRow(rows[0]);
    const QString shown = model->rowAt(rows[0])->recordId, other = model->rowAt(rows[1])->recordId;
    QTRY_COMPARE(queue->detail()->recordId(), shown);
    auto* approve = queue->detail()->findChild<QPushButton*>(u"approveButton"_s);
    QTRY_VERIFY(approve->isEnabled());
    // Its rejection is being written when it is decided elsewhere.
    RejectDialog* rejecting = openRejectDialog();
    QVERIFY(rejecting);
    QTest::keyClicks(rejecting->findChild<QPlainTextEdit*>(u"rejectReason"_s), u"Invoice missing"_s);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QString& id : {shown, other}) {
        const auto applied = DecisionService(m_ws->db()) // the test's own connection: another program
                                 .decide(u"acme"_s, id, u"zhang.min"_s, DecisionAction::Approve, {}, now);
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.problem().message));
    }
    // An assignment is kept beside the exception (the exception's version does not move): seen too.
    const auto claim = AssignmentService(m_ws->db())
                           .change(u"acme"_s, claimed, u"zhang.min"_s, AssignmentAction::Claim, {}, now);
    QVERIFY2(claim, qPrintable(claim ? QString() : claim.problem().message));
    SignalWaiter found(queue, &QueuePage::outsideChangesShown);
    // Within the watch's next looks (one that began between two of the writes finds part of them).
    QTRY_VERIFY_WITH_TIMEOUT(model->rowAt(model->rowOf(shown))->status == ExceptionStatus::Approved &&
                                 model->rowAt(model->rowOf(other))->status == ExceptionStatus::Approved &&
                                 model->rowAt(rows[2])->assigneeId == u"zhang.min"_s,
                             10000);
    QCOMPARE(model->rowOf(other), rows[1]); // in place: nothing moved under the pointer
    qint64 said = 0;
    for (const QList<QVariant>& shownRows : std::as_const(found))
        said += shownRows.at(0).toInt();
    QCOMPARE(said, 3);
    const QString line = queue->findChild<QLabel*>(u"queueFeedback"_s)->text();
    QVERIFY2(line.contains(u" request"_s) && line.contains(u"outside this window"_s), qPrintable(line));
    // The panel read its exception again: nothing left to decide on it. The open Reject dialog says what
    // happened (it failed only on confirmation) and keeps the text; closed, nothing is left as unsent.
    QTRY_VERIFY(!approve->isEnabled());
    QVERIFY(!rejecting->findChild<QPushButton*>(u"rejectConfirm"_s)->isEnabled());
    const QString why = rejecting->findChild<QLabel*>(u"rejectError"_s)->text();
    QVERIFY2(why.contains(shown) && why.contains(u"no longer be rejected"_s), qPrintable(why));
    QCOMPARE(rejecting->findChild<QPlainTextEdit*>(u"rejectReason"_s)->toPlainText(), u"Invoice missing"_s);
    QTest::keyClick(rejecting, Qt::Key_Escape);
    QTRY_VERIFY(!m_window->findChild<RejectDialog*>());
    QCOMPARE(queue->unsentTexts(), 0);
    // Nothing changed since: the next looks find nothing to show.
    const qsizetype looks = found.size();
    QTest::qWait(3000); // more than a look's interval
    QCOMPARE(found.size(), looks);

    // A request filed elsewhere changes no loaded row, but the pending count: it follows.
    auto* badge = queue->findChild<QLabel*>(u"pendingBadge"_s);
    const QString countBefore = badge->text();
    QSqlQuery filed(m_ws->db());
    QVERIFY(filed.exec(u"CREATE TEMP TABLE filed AS SELECT * FROM exceptions WHERE tenant_id = 'acme' AND "
                       "status = 'pending' LIMIT 1"_s));
    QVERIFY(filed.exec(u"UPDATE filed SET record_id = 'exc-0000000000f1'"_s));
    QVERIFY(filed.exec(u"INSERT INTO exceptions SELECT * FROM filed"_s));
    QVERIFY(filed.exec(u"DROP TABLE filed"_s));
    QTRY_VERIFY_WITH_TIMEOUT(badge->text() != countBefore, 10000);
    QCOMPARE(found.size(), looks); // and no row is said to have changed
}

// Unsent comments are not shown to the next person to sign in, so they go with the session: Switch user says
// so first, and Cancel (the default) keeps them. It was silent.
void GuiTest::switchingUserWarnsOfUnsentText() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    QTRY_VERIFY(!queue->detail()->recordId().isEmpty());
    QSignalSpy switched(m_window.get(), &MainWindow::switchUserRequested);
    auto* button = m_window->findChild<QPushButton*>(u"switchUserButton"_s);
    const auto openBox = [&] {
        QTest::mouseClick(button, Qt::LeftButton);
        QMessageBox* box = nullptr;
        const bool shown = QTest::qWaitFor(
            [&] { return (box = m_window->findChild<QMessageBox*>(u"unsentTextBox"_s)) && box->isVisible(); },
            5000);
        return shown ? box : nullptr;
    };

    CommentInput* input = queue->detail()->commentThread()->input();
    QTest::keyClicks(input, u"Ask the merchant for the invoice"_s);
    QCOMPARE(queue->unsentTexts(), 1);
    QMessageBox* box = openBox();
    QVERIFY(box);
    QVERIFY2(box->text().startsWith(u"You have 1 comment"_s), qPrintable(box->text()));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    QTest::keyClick(box, Qt::Key_Escape);
    QTRY_VERIFY(!m_window->findChild<QMessageBox*>(u"unsentTextBox"_s));
    QCOMPARE(switched.size(), 0);
    QCOMPARE(input->toPlainText(), u"Ask the merchant for the invoice"_s);

    box = openBox();
    QVERIFY(box);
    QTest::mouseClick(box->findChild<QPushButton*>(u"discardAndSwitch"_s), Qt::LeftButton);
    QTRY_COMPARE(switched.size(), 1);

    // With nothing typed, no question.
    input->clear();
    QCOMPARE(queue->unsentTexts(), 0);
    QTRY_VERIFY(!m_window->findChild<QMessageBox*>(u"unsentTextBox"_s)); // the last one, closed
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(switched.size(), 2);
    QVERIFY(!m_window->findChild<QMessageBox*>(u"unsentTextBox"_s));
}

// Quitting discarded unsent reasons silently (helper-68); it now asks as Switch user does, and Cancel keeps
// the window, the reason and the session.
void GuiTest::quittingWarnsOfUnsentText() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    QTRY_VERIFY(!queue->detail()->recordId().isEmpty());
    QTest::keyClicks(queue->detail()->commentThread()->input(), u"Ask for the invoice"_s);
    QCOMPARE(queue->unsentTexts(), 1);
    const auto openBox = [&] {
        m_window->close(); // the close button; File > Quit and Ctrl+Q close the window the same way
        QMessageBox* box = nullptr;
        const bool shown = QTest::qWaitFor(
            [&] { return (box = m_window->findChild<QMessageBox*>(u"unsentTextBox"_s)) && box->isVisible(); },
            5000);
        return shown ? box : nullptr;
    };
    QMessageBox* box = openBox();
    QVERIFY(box);
    QVERIFY2(box->text().contains(u"not kept when Riskdesk quits"_s), qPrintable(box->text()));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    QTest::keyClick(box, Qt::Key_Escape);
    QTRY_VERIFY(!m_window->findChild<QMessageBox*>(u"unsentTextBox"_s));
    QVERIFY(m_window->isVisible());
    QCOMPARE(queue->unsentTexts(), 1);

    box = openBox();
    QVERIFY(box);
    QTest::mouseClick(box->findChild<QPushButton*>(u"discardAndQuit"_s), Qt::LeftButton);
    QTRY_VERIFY(!m_window->isVisible());
}

void GuiTest::requestsClosedAtStartLeaveThePendingQueue() {
    const auto endedPending = [&](const QString& tenant) {
        QSqlQuery q(m_ws->db());
        q.prepare(u"SELECT count(*) FROM exceptions WHERE tenant_id = ? AND status = 'pending' AND "
                  "valid_end_time <= strftime('%s','now') * 1000"_s);
        q.addBindValue(tenant);
        return q.exec() && q.next() ? q.value(0).toInt() : -1;
    };
    // Some ended in the demo; one more, on the row that heads the queue (soonest to end), as the user saw.
    {
        QSqlQuery q(m_ws->db());
        QVERIFY(q.exec(u"UPDATE exceptions SET valid_end_time = strftime('%s','now') * 1000 - 60000 WHERE "
                       "record_id = (SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = "
                       "'pending' AND valid_end_time > strftime('%s','now') * 1000 ORDER BY valid_end_time "
                       "LIMIT 1)"_s));
    }
    const int ended = endedPending(u"acme"_s);
    QVERIFY(ended > 0);
    // An auditor's session closes nothing: opening a workspace to read its log does not write to it
    // (helper-86: eight automatic entries were chained on at each opening, on a damaged log too).
    const auto logEntries = [&] {
        QSqlQuery q(m_ws->db());
        return q.exec(u"SELECT count(*) FROM approval_log"_s) && q.next() ? q.value(0).toInt() : -1;
    };
    const int entries = logEntries();
    {
        QSignalSpy swept(m_window->queuePage(), &QueuePage::endedWindowsSwept);
        signIn(u"acme"_s, u"sun.yue"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!swept.isEmpty(), 30000);
        QCOMPARE(swept.takeFirst().at(0).toInt(), 0);
    }
    QCOMPARE(endedPending(u"acme"_s), ended);
    QCOMPARE(logEntries(), entries);
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    auto* feedback = queue->findChild<QLabel*>(u"queueFeedback"_s);
    QTRY_VERIFY(feedback->text().contains(u"closed automatically"_s));
    QCOMPARE(endedPending(u"acme"_s), 0);
    ExceptionQueueModel* model = queue->model();
    QVERIFY(model->rowCount() > 0);
    for (int r = 0; r < model->rowCount(); ++r)
        QVERIFY2(model->rowAt(r)->status == ExceptionStatus::Pending, qPrintable(model->rowAt(r)->recordId));
    QVERIFY(queue->table()->currentIndex().isValid());
    QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(queue->table()->currentIndex().row())->recordId);
    QCOMPARE(ExceptionRepository(m_ws->db()).get(u"acme"_s, queue->detail()->recordId()).value().status,
             ExceptionStatus::Pending);
    // Another tenant, and back: nothing is closed the second time, and nothing is said about it.
    auto* tenants = m_window->findChild<QComboBox*>(u"tenantSwitcher"_s);
    for (const QString& tenant : {u"globex"_s, u"acme"_s}) {
        QSignalSpy swept(queue, &QueuePage::endedWindowsSwept);
        tenants->setCurrentIndex(tenants->findData(tenant));
        Q_EMIT tenants->activated(tenants->currentIndex());
        // Counted, not waited for: a sweep that ends before a wait() begins would be missed by it. The
        // directory and the sweep queue behind the first page, which takes long on a loaded machine.
        QTRY_VERIFY_WITH_TIMEOUT(!swept.isEmpty(), 30000);
        if (tenant == u"acme"_s)
            QCOMPARE(swept.takeFirst().at(0).toInt(), 0); // closed at the first sign-in
    }
    QVERIFY2(!feedback->text().contains(u"closed automatically"_s), qPrintable(feedback->text()));
}

namespace {

// What a label shows a reader: its text, or the text its markup renders to.
QString shownText(const QLabel* label) {
    const bool rich = label->textFormat() == Qt::RichText ||
                      (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text()));
    return rich ? QTextDocumentFragment::fromHtml(label->text()).toPlainText() : label->text();
}

} // namespace

// What people typed is shown as typed: a reason written as markup is not rendered as markup; and Riskdesk's
// own markup (the window in red when it ends soon) is rendered, not shown as tags.
void GuiTest::typedTextIsShownAsTyped() {
    signIn(u"acme"_s, u"li.wei"_s);
    ExceptionDetailPanel* detail = m_window->queuePage()->detail();
    QTRY_VERIFY(!detail->recordId().isEmpty());
    RiskException e = ExceptionRepository(m_ws->db()).get(u"acme"_s, detail->recordId()).value();
    const QString typed = u"<b>粗体</b> &amp; <img src=x> <a href=\"https://example.com\">link</a>\n第二行"_s;
    e.justification = typed;
    e.reasonCategory = u"<i>category</i>"_s;
    e.status = ExceptionStatus::Rejected;
    e.rejectionReason = typed;
    detail->showException(e, std::nullopt);
    for (const auto& [name, text] : {std::pair{u"detailJustification"_s, typed},
                                     {u"detailRejection"_s, typed},
                                     {u"detailCategory"_s, u"<i>category</i>"_s}}) {
        auto* label = detail->findChild<QLabel*>(name);
        QVERIFY2(label, qPrintable(name));
        QCOMPARE(shownText(label), text);
    }
    e.status = ExceptionStatus::Pending;
    e.rejectionReason.clear();
    e.validEndTime = QDateTime::currentDateTimeUtc().addSecs(3600); // ends soon: in red
    detail->showException(e, std::nullopt);
    auto* window = detail->findChild<QLabel*>(u"detailWindow"_s);
    QVERIFY(window->text().contains(u"<b"_s)); // marked
    QVERIFY2(!shownText(window).contains(u'<') && shownText(window).contains(u" → "_s),
             qPrintable(shownText(window)));
    e.validEndTime = QDateTime::currentDateTimeUtc().addDays(20);
    detail->showException(e, std::nullopt);
    QVERIFY2(!shownText(window).contains(u'<') && shownText(window).contains(u" → "_s),
             qPrintable(shownText(window)));
}

// The table and the panel show the time left at the same instant, the queue's: each read the clock itself,
// and a minute apart they said 24 and 23 hours of one exception, only one of them in red (helper-80).
void GuiTest::tableAndPanelTellTheSameTimeLeft() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionDetailPanel* detail = queue->detail();
    QTRY_VERIFY(!detail->recordId().isEmpty());
    const int row = queue->model()->rowOf(detail->recordId());
    QVERIFY(row >= 0);
    const QueueRow* shown = queue->model()->rowAt(row);
    QCOMPARE(shown->status, ExceptionStatus::Pending);
    auto* window = detail->findChild<QLabel*>(u"detailWindow"_s);
    const QModelIndex expires = queue->model()->index(row, int(QueueColumn::ExpiresIn));
    // Half a minute short of a day, then a minute later than that (a day and half a minute left).
    for (const qint64 before : {qint64(24 * 3600 - 30), qint64(24 * 3600 + 30)}) {
        const QDateTime now = shown->validEndTime.addSecs(-before);
        queue->model()->setNow(now);
        detail->setNow(now);
        const QString inTable = queue->model()->data(expires).toString();
        QVERIFY2(window->text().contains(u" · "_s + inTable),
                 qPrintable(window->text() + u" | "_s + inTable));
        QCOMPARE(window->text().contains(u"#dc2626"_s), before < 24 * 3600);
        // One piece: a narrow panel wrapped "in 20 h" with the unit alone on the next line.
        QCOMPARE(inTable,
                 QString(before < 24 * 3600 ? u"in 23 h"_s : u"in 24 h"_s).replace(u' ', QChar::Nbsp));
    }
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

// Tab leaves the queue for the exception's controls, as it leaves any field; only the arrow keys move between
// rows (helper-86: Tab went cell by cell and on to the next row, so the exception shown changed on the way to
// Approve, and the table was left scrolled sideways).
void GuiTest::tabGoesToTheDecisionNotToAnotherRow() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    QTableView* table = queue->table();
    int row = -1; // one li.wei may approve
    for (int r = 0; r < queue->model()->rowCount() && row < 0; ++r)
        if (queue->model()->rowAt(r)->currentApproverId.isEmpty() &&
            queue->model()->rowAt(r)->severity != Severity::Critical)
            row = r;
    QVERIFY(row >= 0);
    table->setFocus();
    table->selectRow(row);
    const QString id = queue->model()->rowAt(row)->recordId;
    QTRY_COMPARE(queue->detail()->recordId(), id);
    auto* approve = queue->detail()->findChild<QPushButton*>(u"approveButton"_s);
    QTRY_VERIFY(approve->isEnabled());
    QTRY_VERIFY(table->hasFocus());
    int presses = 0;
    while (QApplication::focusWidget() != approve && presses < 40) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        ++presses;
        QCOMPARE(table->currentIndex().row(), row);
        QCOMPARE(queue->detail()->recordId(), id);
    }
    QVERIFY2(QApplication::focusWidget() == approve, qPrintable(QString::number(presses)));
    QVERIFY(presses > 1);
    QCOMPARE(table->horizontalScrollBar()->value(), 0);
}

namespace {

// li.wei's decisions in the log so far.
qint64 decisionsBy(QSqlDatabase db, const QString& actor) {
    QSqlQuery q(db);
    q.prepare(u"SELECT count(*) FROM approval_log WHERE actor_id = ?"_s);
    q.addBindValue(actor);
    return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
}

void pressA(QWidget* target, bool autoRepeat) {
    QKeyEvent press(QEvent::KeyPress, Qt::Key_A, Qt::NoModifier, u"a"_s, autoRepeat);
    QApplication::sendEvent(target, &press);
}

} // namespace

void GuiTest::heldOrDoubleTappedKeysDecideOnce() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    // A run of low and medium rows li.wei may approve in one step each: every approval moves on to the next.
    auto decidable = [&](int r) {
        const QueueRow* q = model->rowAt(r);
        return q && (q->severity == Severity::Low || q->severity == Severity::Medium) &&
               q->currentApproverId.isEmpty() && q->applicantId != u"li.wei";
    };
    int row = -1;
    for (int r = 0; r + 3 < model->rowCount() && row < 0; ++r)
        if (decidable(r) && decidable(r + 1) && decidable(r + 2) && decidable(r + 3))
            row = r;
    QVERIFY(row >= 0);
    auto* approve = queue->detail()->findChild<QPushButton*>(u"approveButton"_s);
    queue->table()->setFocus();
    QElapsedTimer sinceSelection;
    sinceSelection.start();
    queue->table()->selectRow(row);
    QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(row)->recordId);
    const qint64 shownAfter = sinceSelection.elapsed();
    QTRY_VERIFY(approve->isEnabled());
    // From selection to the first possible decision: the details' load plus the pause, well under the time
    // anyone takes to read a request.
    const qint64 decidableAfter = sinceSelection.elapsed();
    qInfo("selected → details shown %lld ms → decidable %lld ms", shownAfter, decidableAfter);
    QVERIFY(decidableAfter >= ExceptionDetailPanel::kSettleMs);
    QVERIFY(decidableAfter < ExceptionDetailPanel::kSettleMs + 1000);
    const qint64 before = decisionsBy(m_ws->db(), u"li.wei"_s);

    // Holding A for 1.2 s: one press, then the keyboard's auto-repeat every 33 ms. One decision.
    pressA(queue->table(), false);
    for (int i = 0; i < 36; ++i) {
        QTest::qWait(33);
        pressA(queue->table(), true);
    }
    QTRY_COMPARE(model->rowAt(row)->status, ExceptionStatus::Approved);
    QTest::qWait(100);
    QCOMPARE(decisionsBy(m_ws->db(), u"li.wei"_s), before + 1);
    QCOMPARE(model->rowAt(row + 1)->status, ExceptionStatus::Pending);
    QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(row + 1)->recordId);

    // Double-tapping A 80 ms apart: the second press meets a row that was not on screen long enough.
    QTRY_VERIFY(approve->isEnabled());
    QElapsedTimer tapGap;
    pressA(queue->table(), false);
    tapGap.start();
    QTest::qWait(80);
    const qint64 gap = tapGap.elapsed();
    pressA(queue->table(), false);
    QTRY_COMPARE(model->rowAt(row + 1)->status, ExceptionStatus::Approved);
    // A sanitizer build on a loaded machine has turned the 80 ms wait into more than the settle time: the
    // second press then came late enough to decide the next row, as a user's would. Only a real double tap
    // proves the guard.
    if (gap >= ExceptionDetailPanel::kSettleMs)
        QSKIP(qPrintable(u"The second tap came %1 ms after the first, not a double tap."_s.arg(gap)));
    QTest::qWait(ExceptionDetailPanel::kSettleMs + 200);
    QCOMPARE(decisionsBy(m_ws->db(), u"li.wei"_s), before + 2);
    QCOMPARE(model->rowAt(row + 2)->status, ExceptionStatus::Pending);

    // Once the next row has been on screen for the moment, A decides it.
    QCOMPARE(queue->detail()->recordId(), model->rowAt(row + 2)->recordId);
    QVERIFY(approve->isEnabled());
    pressA(queue->table(), false);
    QTRY_COMPARE(model->rowAt(row + 2)->status, ExceptionStatus::Approved);
    QCOMPARE(decisionsBy(m_ws->db(), u"li.wei"_s), before + 3);

    // A pressed on a row the arrow keys just brought up is not taken, and the panel says so (it was silent:
    // the approver could not tell a lost key from a slow one); the note goes once the row can be decided.
    QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(row + 3)->recordId); // brought up by the approval
    queue->table()->selectRow(row);
    QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(row)->recordId);
    queue->table()->selectRow(row + 3);
    QTRY_COMPARE(queue->detail()->recordId(), model->rowAt(row + 3)->recordId);
    QVERIFY(queue->detail()->isSettling());
    pressA(queue->table(), false);
    auto* message = queue->detail()->findChild<QLabel*>(u"detailMessage"_s);
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(u"only just come up"_s), qPrintable(message->text()));
    QVERIFY(message->text().contains(model->rowAt(row + 3)->recordId));
    QTRY_VERIFY(approve->isEnabled());
    QVERIFY(!message->isVisible());
    QCOMPARE(decisionsBy(m_ws->db(), u"li.wei"_s), before + 3);
    QCOMPARE(model->rowAt(row + 3)->status, ExceptionStatus::Pending);
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

// An approver who applied for an exception is told why they cannot decide it, in their language, next to the
// Withdraw button (which used to hide the hint); on someone else's exception the same approver gets no hint.
void GuiTest::approverSeesTheyCannotDecideTheirOwnRequest() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    // Two pending one-step rows li.wei could decide today (nobody assigned, someone else applied).
    QList<int> rows;
    for (int r = 0; r < model->rowCount() && rows.size() < 2; ++r) {
        const QueueRow* q = model->rowAt(r);
        if (q->status == ExceptionStatus::Pending && q->currentApproverId.isEmpty() && q->approvals == 0 &&
            q->applicantId != u"li.wei" && (q->severity == Severity::Low || q->severity == Severity::Medium))
            rows << r;
    }
    QCOMPARE(rows.size(), 2);
    const QString own = model->rowAt(rows[0])->recordId;
    const QString others = model->rowAt(rows[1])->recordId;
    // li.wei becomes the applicant of the first one (the detail reads the stored exception when selected).
    QSqlQuery q(m_ws->db());
    q.prepare(u"UPDATE exceptions SET applicant_id = 'li.wei' WHERE tenant_id = 'acme' AND record_id = ?"_s);
    q.addBindValue(own);
    QVERIFY(q.exec());
    QCOMPARE(q.numRowsAffected(), 1);

    auto* hint = queue->detail()->findChild<QLabel*>(u"detailHint"_s);
    auto* approve = queue->detail()->findChild<QPushButton*>(u"approveButton"_s);
    const auto select = [&](const QString& recordId) {
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->rowAt(r)->recordId == recordId)
                queue->table()->selectRow(r);
        return QTest::qWaitFor([&] { return queue->detail()->recordId() == recordId; }, 10000);
    };
    QVERIFY(select(others));
    QTRY_VERIFY(approve->isEnabled()); // after the settle time: someone else's request is li.wei's to decide
    QVERIFY2(hint->text().isEmpty(), qPrintable(hint->text()));

    QVERIFY(select(own));
    QCOMPARE(queue->detail()->exception()->applicantId, u"li.wei"_s);
    QCOMPARE(hint->text(), u"You applied for %1 yourself; another approver must decide it."_s.arg(own));
    QVERIFY(hint->isVisible());
    QTest::qWait(ExceptionDetailPanel::kSettleMs * 2); // even once settled, the buttons stay off
    QVERIFY(!approve->isEnabled());
    QVERIFY(!queue->detail()->findChild<QPushButton*>(u"rejectButton"_s)->isEnabled());
    QVERIFY(queue->detail()->findChild<QPushButton*>(u"withdrawButton"_s)->isVisible()); // theirs to withdraw
    // A pressed anyway raises the refusal (once, not repeated on the message line), and decides nothing.
    const qint64 decided = decisionsBy(m_ws->db(), u"li.wei"_s);
    const QString quiet = hint->styleSheet();
    queue->table()->setFocus();
    QTest::keyClick(queue->table(), Qt::Key_A);
    QVERIFY(!queue->detail()->findChild<QLabel*>(u"detailMessage"_s)->isVisible());
    QVERIFY(hint->styleSheet() != quiet);
    QVERIFY(hint->styleSheet().contains(u"bold"_s));
    QCOMPARE(decisionsBy(m_ws->db(), u"li.wei"_s), decided);

    // In Chinese, the shipped translation.
    QTranslator zh;
    QVERIFY(zh.load(QStringLiteral(RISKDESK_QM_DIR) + u"/riskdesk_zh_CN.qm"_s));
    QCoreApplication::installTranslator(&zh);
    auto restore = qScopeGuard([&] { QCoreApplication::removeTranslator(&zh); });
    QVERIFY(select(others));
    QTRY_VERIFY(approve->isEnabled());
    QVERIFY2(hint->text().isEmpty(), qPrintable(hint->text()));
    QVERIFY(select(own));
    QCOMPARE(hint->text(), u"%1 是您本人提交的申请，须由其他审批人审批。"_s.arg(own));
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
    QTRY_VERIFY(queue->findChild<QLabel*>(u"emptyResultsMessage"_s)->isVisible());
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
    QLabel* impactLabel = nullptr;
    for (auto* label : queue->detail()->findChildren<QLabel*>())
        if (label->buddy() == impact)
            impactLabel = label;
    QVERIFY(impactLabel);
    QCOMPARE(impactLabel->text(), u"If approved"_s);

    // Decided: an approved request says what its waiver lets through; a rejected one waives nothing.
    auto firstWith = [&](const char* status) {
        QSqlQuery q(m_ws->db());
        q.exec(
            u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = '%1' ORDER BY record_id "
            "LIMIT 1"_s.arg(QLatin1String(status)));
        return q.next() ? q.value(0).toString() : QString();
    };
    const QString approved = firstWith("approved"), rejected = firstWith("rejected");
    QVERIFY(!approved.isEmpty() && !rejected.isEmpty());
    queue->showRecord(approved);
    QTRY_COMPARE(queue->detail()->recordId(), approved);
    QVERIFY(impact->isVisible());
    QCOMPARE(impactLabel->text(), u"What it waives"_s);
    queue->showRecord(rejected);
    QTRY_COMPARE(queue->detail()->recordId(), rejected);
    QVERIFY(!impact->isVisible());
    QVERIFY(!impactLabel->isVisible());
}

namespace {

// acme's last recorded walk of a chain (for the risk-operations board's Q21): "intact/first broken entry".
QString recordedCheck(QSqlDatabase db, const QString& source) {
    QSqlQuery q(db);
    q.prepare(u"SELECT intact, first_broken_seq FROM chain_checks WHERE tenant_id = 'acme' AND source = ?"_s);
    q.addBindValue(source);
    return q.exec() && q.next() ? q.value(0).toString() + u"/"_s + q.value(1).toString() : u"none"_s;
}

} // namespace

void GuiTest::auditorVerifiesAndExports() {
    signIn(u"acme"_s, u"sun.yue"_s);
    QCOMPARE(m_window->tabs()->currentIndex(), 1); // auditors start on the log
    ApprovalLogPage* page = m_window->logPage();
    QTRY_VERIFY_WITH_TIMEOUT(page->verification()->text().contains(u"intact"_s), 10000);
    // The walk is recorded for the risk-operations board's Q21.
    QTRY_COMPARE(recordedCheck(m_ws->db(), u"workspace"_s), u"1/0"_s);
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
    // An export of a log that no longer holds is written, and says so, as log export on the command line
    // does (helper-86: the window said only "Exported to …").
    {
        QSqlQuery q(m_ws->db());
        QVERIFY(q.exec(u"DROP TRIGGER approval_log_no_update"_s));
        QVERIFY(
            q.exec(u"UPDATE approval_log SET comment = 'tampered' WHERE tenant_id = 'acme' AND seq = 2"_s));
    }
    const QString broken = dir.filePath(u"broken %1.csv"_s); // a "%1" in a path is text, not a marker
    const int width = m_window->width();
    page->exportTo(broken);
    QVERIFY(exported.next());
    // The long warning wraps; the window keeps its width (helper-87: it grew past the screen).
    QApplication::processEvents();
    QCOMPARE(m_window->width(), width);
    QVERIFY(exported.last().at(0).toBool());
    QVERIFY2(exported.last().at(1).toString().startsWith(
                 u"Exported to %1, but the approval log of acme is broken at "
                 "entry 2:"_s.arg(broken)),
             qPrintable(exported.last().at(1).toString()));
    QVERIFY(QFileInfo(broken).size() > 100);
    QFile file(broken);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("#whole-log")); // it does not certify the log it comes from
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
    // When: a check that ends as the last one did is still seen to have run.
    QVERIFY2(page->serverVerification()->text().contains(
                 QRegularExpression(u"Checked at [0-2][0-9]:[0-5][0-9]:[0-5][0-9]\\.$"_s)),
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
    QVERIFY(
        copy.exec(u"INSERT INTO server_log SELECT tenant_id, seq, record_id, actor_id, action, comment, step,"
                  " status_after, at, prev_hash, hash FROM approval_log WHERE tenant_id = 'acme'"_s));
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
    QTRY_COMPARE(recordedCheck(m_ws->db(), u"server"_s), u"0/5"_s);
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
    // Fitted, a plain wheel is the page's (the panel around it scrolls): the diagram neither moves nor takes
    // it.
    const QImage fitted = view.grab().toImage();
    QWheelEvent pageScroll(QPointF(300, 150), view.mapToGlobal(QPointF(300, 150)), QPoint(), QPoint(0, -120),
                           Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&view, &pageScroll);
    QVERIFY(!pageScroll.isAccepted());
    QVERIFY(view.fitted());
    QCOMPARE(view.grab().toImage(), fitted);
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
    const QImage beforeWheel = view.grab().toImage();
    QApplication::sendEvent(&view, &scroll);
    QVERIFY(scroll.isAccepted());
    QCOMPARE(view.scale(), zoomed);
    QVERIFY(view.grab().toImage() != beforeWheel); // zoomed in, the wheel pans

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
    // Without a backend nothing waits for a server: the workspace is local.
    s.configured = false;
    s.waiting = 2;
    m_window->showSyncStatus(s);
    QVERIFY2(label->text() == u"Local workspace"_s, qPrintable(label->text()));
    QVERIFY2(label->toolTip().contains(u"Backend"_s), qPrintable(label->toolTip()));
    s.configured = true;
    s.online = false;
    s.waiting = 3;
    s.lastError = u"Cannot connect to the server: connection refused"_s;
    m_window->showSyncStatus(s);
    QVERIFY2(label->text().contains(u"Offline"_s) && label->text().contains(u"3 waiting"_s),
             qPrintable(label->text()));
    QVERIFY2(label->toolTip().contains(u"3 change"_s), qPrintable(label->toolTip()));
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

namespace {

// The newest seq of a tenant's log, as stored.
qint64 headSeq(QSqlDatabase db, const QString& tenant) {
    QSqlQuery q(db);
    q.prepare(u"SELECT max(seq) FROM approval_log WHERE tenant_id = ?"_s);
    q.addBindValue(tenant);
    return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
}

// Approves the selected row with the button once it may be decided; returns its id.
QString approveSelected(QueuePage* queue) {
    auto* approve = queue->detail()->findChild<QPushButton*>(u"approveButton"_s);
    if (!QTest::qWaitFor([&] { return approve->isEnabled(); }, 3000))
        return {};
    const QString id = queue->detail()->recordId();
    approve->click();
    return id;
}

} // namespace

void GuiTest::statusBarCountsTheChangesToPush() {
    // With a backend set, the status bar says how many changes made here wait to be pushed, counted in the
    // workspace after each local change (decisions in the outbox, assignments in their log); none: no count.
    signIn(u"acme"_s, u"li.wei"_s);
    QLabel* label = m_window->syncLabel();
    const qint64 before = Outbox(m_ws->db()).changesToPush().value();
    SyncStatus s;
    s.configured = true;
    s.online = true;
    s.lastSync = QDateTime::currentDateTimeUtc();
    s.waiting = before;
    m_window->showSyncStatus(s);
    if (before == 0) {
        QVERIFY2(!label->text().contains(u"waiting"_s), qPrintable(label->text()));
        QVERIFY2(label->toolTip().contains(u"has been pushed"_s), qPrintable(label->toolTip()));
    }

    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    int row = -1;
    for (int r = 0; r < model->rowCount() - 2 && row < 0; ++r) {
        const QueueRow* q = model->rowAt(r);
        if ((q->severity == Severity::Low || q->severity == Severity::Medium) &&
            q->currentApproverId.isEmpty() && q->assigneeId.isEmpty())
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
    QTRY_VERIFY2(label->text().contains(u"%1 waiting"_s.arg(before + 1)), qPrintable(label->text()));
    QVERIFY2(label->text().startsWith(u"Online · synced"_s), qPrintable(label->text()));
    QVERIFY2(label->toolTip().contains(u"%1 change"_s.arg(before + 1)), qPrintable(label->toolTip()));

    // An assignment waits in its own log; it counts as well.
    QTRY_VERIFY(queue->detail()->recordId() != id);
    const qint64 assignmentsBefore = Outbox(m_ws->db()).changesToPush().value();
    auto* claim = queue->findChild<QAction*>(u"claimAction"_s);
    QVERIFY(claim);
    claim->trigger();
    QTRY_COMPARE(Outbox(m_ws->db()).changesToPush().value(), assignmentsBefore + 1);
    QTRY_VERIFY2(label->text().contains(u"%1 waiting"_s.arg(before + 2)), qPrintable(label->text()));

    // Pushed (what the sync does to the rows, then its status): nothing waits, and nothing is said.
    QSqlQuery q(m_ws->db());
    QVERIFY(q.exec(u"UPDATE outbox SET state = 'sent' WHERE state = 'waiting'"_s));
    QVERIFY(q.exec(u"UPDATE assignment_log SET sync_state = 'sent' WHERE sync_state = 'waiting'"_s));
    s.waiting = Outbox(m_ws->db()).changesToPush().value();
    QCOMPARE(s.waiting, 0);
    m_window->showSyncStatus(s);
    QVERIFY2(!label->text().contains(u"waiting"_s), qPrintable(label->text()));
}

void GuiTest::logPageShowsTheCurrentLog() {
    // The log page was shown once; decisions are made in the queue; back on the log, the table's newest row
    // and the verdict's head are both the newest entry. F5 and Verify chain read it again too.
    signIn(u"acme"_s, u"li.wei"_s);
    ApprovalLogPage* page = m_window->logPage();
    m_window->tabs()->setCurrentWidget(page);
    QTRY_VERIFY_WITH_TIMEOUT(page->verification()->text().contains(u"intact"_s), 10000);
    auto newest = [&] {
        const ApprovalLogEntry* e = page->model()->entryAt(0);
        return e ? *e : ApprovalLogEntry{};
    };
    QTRY_COMPARE(newest().seq, headSeq(m_ws->db(), u"acme"_s));

    m_window->tabs()->setCurrentWidget(m_window->queuePage());
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r)
        if ((model->rowAt(r)->severity == Severity::Low || model->rowAt(r)->severity == Severity::Medium) &&
            model->rowAt(r)->currentApproverId.isEmpty())
            row = r;
    QVERIFY(row >= 0);
    queue->table()->selectRow(row);
    const QString decided = approveSelected(queue);
    QVERIFY(!decided.isEmpty());
    QTRY_COMPARE(model->rowAt(row)->status, ExceptionStatus::Approved);
    const qint64 head = headSeq(m_ws->db(), u"acme"_s);

    m_window->tabs()->setCurrentWidget(page);
    QTRY_COMPARE(newest().seq, head);
    QCOMPARE(newest().recordId, decided);
    QTRY_VERIFY_WITH_TIMEOUT(page->verification()->text().contains(u"entry %1,"_s.arg(head)), 10000);

    // A decision made elsewhere (another program on the same file) shows after F5, then after Verify chain.
    auto decideElsewhere = [&] {
        QSqlQuery q(m_ws->db());
        q.exec(u"SELECT e.record_id FROM exceptions e JOIN rules r ON r.tenant_id = e.tenant_id AND "
               "r.rule_id = e.risk_rule_id WHERE e.tenant_id = 'acme' AND e.status = 'pending' AND "
               "r.severity = 'low' AND e.current_approver_id = '' AND e.applicant_id <> 'zhang.min' AND "
               "e.valid_end_time > strftime('%s','now') * 1000 + 3600000 LIMIT 1"_s);
        if (!q.next())
            return QString();
        const QString id = q.value(0).toString();
        const auto applied = DecisionService(m_ws->db())
                                 .decide(u"acme"_s, id, u"zhang.min"_s, DecisionAction::Approve, {},
                                         QDateTime::currentDateTimeUtc());
        return applied ? id : QString();
    };
    const QString viaF5 = decideElsewhere();
    QVERIFY(!viaF5.isEmpty());
    QAction* refresh = nullptr;
    for (QAction* a : m_window->findChildren<QAction*>())
        if (a->shortcut() == QKeySequence(QKeySequence::Refresh))
            refresh = a;
    QVERIFY(refresh);
    refresh->trigger(); // F5
    QTRY_COMPARE(newest().recordId, viaF5);
    QTRY_VERIFY_WITH_TIMEOUT(page->verification()->text().contains(u"entry %1,"_s.arg(head + 1)), 10000);
    const QString viaVerify = decideElsewhere();
    QVERIFY(!viaVerify.isEmpty());
    page->findChild<QPushButton*>(u"verifyButton"_s)->click();
    QTRY_COMPARE(newest().recordId, viaVerify);
    QTRY_VERIFY_WITH_TIMEOUT(page->verification()->text().contains(u"entry %1,"_s.arg(head + 2)), 10000);
    // The session's sweep of ended windows writes after the page may be on screen (an approver who opens the
    // log at once): when it closed something, the page on screen reads the log again by itself.
    const QString viaSweep = decideElsewhere();
    QVERIFY(!viaSweep.isEmpty());
    Q_EMIT m_window->queuePage()->endedWindowsSwept(1);
    QTRY_COMPARE(newest().recordId, viaSweep);
    QTRY_VERIFY_WITH_TIMEOUT(page->verification()->text().contains(u"entry %1,"_s.arg(head + 3)), 10000);
}

// At 1024 px the comment was a stretched column squeezed to its first letter behind the identity column: it
// keeps a readable width in view, the identity mark after it, and in a wide window it takes the room left.
void GuiTest::logCommentIsReadableInANarrowWindow() {
    // One entry made on a desktop without a backend, which carries a mark; the fixture's carry none.
    QSqlQuery pending(m_ws->db());
    QVERIFY(pending.exec(
        u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' AND "
        "applicant_id <> 'zhang.min' AND coalesce(current_approver_id, '') = '' AND "
        "coalesce(assigned_to, '') = '' AND valid_end_time > strftime('%s','now') * 1000 LIMIT 1"_s));
    QVERIFY(pending.next());
    const auto decided =
        DecisionService(m_ws->db(), IdentityMark::assertedOnDesktop())
            .decide(u"acme"_s, pending.value(0).toString(), u"zhang.min"_s, DecisionAction::Reject,
                    u"Receipt unreadable"_s, QDateTime::currentDateTimeUtc());
    QVERIFY2(decided, qPrintable(decided ? QString() : decided.problem().message));
    signIn(u"acme"_s, u"sun.yue"_s);
    ApprovalLogPage* page = m_window->logPage();
    QTRY_VERIFY(page->model()->rowCount() > 0);
    QTableView* table = page->table();
    QHeaderView* header = table->horizontalHeader();
    const int comment = int(ApprovalLogModel::Column::Comment);
    QVERIFY(header->visualIndex(int(ApprovalLogModel::Column::Identity)) > header->visualIndex(comment));
    const int ch = table->fontMetrics().averageCharWidth();
    m_window->resize(1024, 700);
    QTRY_COMPARE(m_window->width(), 1024);
    QTRY_VERIFY(header->sectionSize(comment) >= 30 * ch);
    table->horizontalScrollBar()->setValue(0);
    const int left = header->sectionViewportPosition(comment);
    QVERIFY2(left >= 0 && left + 20 * ch <= table->viewport()->width(),
             qPrintable(u"comment at %1 px of %2"_s.arg(left).arg(table->viewport()->width())));
    // Wide: the columns fill the width exactly, the comment taking what the others leave.
    m_window->resize(1900, 1000);
    QTRY_COMPARE(header->length(), table->viewport()->width());
    QVERIFY(header->sectionSize(comment) > 30 * ch);
    // The identity column is as wide as the marks the listed entries carry: whole (or the most it may take)
    // when one does; over entries without one it does not take the width of "identity asserted on this
    // desktop" from the comment (helper-97).
    const int identity = int(ApprovalLogModel::Column::Identity);
    const auto marksShown = [&] {
        int marked = 0;
        for (int r = 0; r < page->model()->rowCount(); ++r)
            marked += !page->model()->index(r, identity).data().toString().isEmpty();
        return marked;
    };
    const int widest =
        table->fontMetrics().horizontalAdvance(IdentityMark::label(IdentityMark::assertedOnDesktop()));
    QCOMPARE(marksShown(), 1);
    QVERIFY2(header->sectionSize(identity) >= std::min(widest + 16, 32 * ch),
             qPrintable(u"%1 px for %2"_s.arg(header->sectionSize(identity)).arg(widest)));
    {
        SignalWaiter loaded(page->model(), &ApprovalLogModel::pageLoaded);
        auto* approver = page->findChild<QLineEdit*>(u"logActorFilter"_s);
        approver->setText(u"li.wei"_s);
        Q_EMIT approver->editingFinished();
        QVERIFY(loaded.next(5000));
    }
    QVERIFY(page->model()->rowCount() > 0);
    QCOMPARE(marksShown(), 0);
    QVERIFY2(header->sectionSize(identity) * 2 < widest,
             qPrintable(QString::number(header->sectionSize(identity))));
    QTRY_COMPARE(header->length(), table->viewport()->width()); // the comment took the room
    // A column the user widens takes its room from the comment, not from the window.
    const int before = header->sectionSize(comment);
    header->resizeSection(int(ApprovalLogModel::Column::Actor),
                          header->sectionSize(int(ApprovalLogModel::Column::Actor)) + 50);
    QCOMPARE(header->sectionSize(comment), before - 50);
    QCOMPARE(header->length(), table->viewport()->width());
}

// A date typed over the whole text that names no day is refused with the reason, the field back to its value
// and selected to be typed again: a plain QDateTimeEdit made 2026-02-30 into 2026-02-03, 2026-13-05 into
// 2026-10-05 and 2026-02-29 into 2026-02-28, without a word (helper-88).
void GuiTest::aDateThatIsNoDayIsRefusedWithTheReason() {
    QTranslator english; // the plural forms come from it, as in the application
    QVERIFY(english.load(QStringLiteral(RISKDESK_QM_DIR) + u"/riskdesk_en.qm"_s));
    QCoreApplication::installTranslator(&english);
    const auto removeEnglish = qScopeGuard([&] { QCoreApplication::removeTranslator(&english); });
    const auto typeOver = [](DateField& field, const QString& text) {
        QTest::qWait(DateField::kTypingBurstMs + 50); // as a reader of the last refusal would
        field.setFocus();
        field.selectAll();
        QTest::keyClicks(&field, text);
    };
    DateField day(u"yyyy-MM-dd"_s);
    day.setDate(QDate(2026, 5, 15));
    day.show();
    QVERIFY(QTest::qWaitForWindowExposed(&day));
    QSignalSpy refused(&day, &DateField::refused);
    const QString back = u" The field is back to 2026-05-15."_s;
    const QList<std::pair<QString, QString>> wrong{
        {u"2026-02-30"_s, u"2026-02 has no day 30: it has 28 days."_s + back},
        {u"20260230"_s, u"2026-02 has no day 30: it has 28 days."_s + back},
        {u"2026-02-29"_s, u"2026-02 has no day 29: it has 28 days."_s + back},
        {u"2026-13-05"_s, u"There is no month 13: months run from 01 to 12."_s + back},
        {u"2026-00-05"_s, u"There is no month 00: months run from 01 to 12."_s + back},
        {u"2026-04-31"_s, u"2026-04 has no day 31: it has 30 days."_s + back}};
    for (const auto& [typed, why] : wrong) {
        refused.clear();
        typeOver(day, typed);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.first().first().toString(), why);
        QCOMPARE(day.date(), QDate(2026, 5, 15));
        auto* edit = day.findChild<QLineEdit*>();
        QTRY_COMPARE(edit->selectedText(), day.text()); // to be typed again at once
    }
    // Days that are: a leap day, the separators left out, a short part closed by its separator.
    refused.clear();
    const QList<std::pair<QString, QDate>> right{{u"2024-02-29"_s, QDate(2024, 2, 29)},
                                                 {u"20261231"_s, QDate(2026, 12, 31)},
                                                 {u"2026-2-3"_s, QDate(2026, 2, 3)}};
    for (const auto& [typed, date] : right) {
        typeOver(day, typed);
        QTest::keyClick(&day, Qt::Key_Return);
        QCOMPARE(day.date(), date);
    }
    QCOMPARE(refused.size(), 0);
    // Parts the field closes short, as soon as no digit could follow: read as it reads them (helper-89: these
    // were refused as month 35 and month 31).
    for (const auto& [typed, date] : QList<std::pair<QString, QDate>>{{u"202635"_s, QDate(2026, 3, 5)},
                                                                      {u"2026315"_s, QDate(2026, 3, 15)},
                                                                      {u"2026-02-3"_s, QDate(2026, 2, 3)}}) {
        typeOver(day, typed);
        QTest::keyClick(&day, Qt::Key_Return);
        QCOMPARE(day.date(), date);
    }
    QCOMPARE(refused.size(), 0);
    // One part typed over: the day of a February.
    QTest::qWait(DateField::kTypingBurstMs + 50);
    day.setDate(QDate(2026, 2, 10));
    day.setFocus();
    day.setSelectedSection(QDateTimeEdit::DaySection);
    QTest::keyClicks(&day, u"30"_s);
    QCOMPARE(refused.size(), 1);
    QVERIFY2(refused.takeFirst().first().toString().startsWith(u"2026-02 has no day 30"_s),
             qPrintable(day.text()));
    QCOMPARE(day.date(), QDate(2026, 2, 10));
    // Pasted whole.
    QTest::qWait(DateField::kTypingBurstMs + 50);
    QGuiApplication::clipboard()->setText(u"2026-02-30"_s);
    day.selectAll();
    QTest::keySequence(&day, QKeySequence::Paste);
    QCOMPARE(refused.size(), 1);
    QVERIFY(refused.takeFirst().first().toString().startsWith(u"2026-02 has no day 30"_s));
    QCOMPARE(day.date(), QDate(2026, 2, 10));
    // Another script's digits are no keys of the field, and no reason to refuse anything.
    QTest::qWait(DateField::kTypingBurstMs + 50);
    day.setFocus();
    day.selectAll();
    for (const QChar c : u"２０２６-０２-０３"_s) { // (QTest's keyClicks takes ASCII only)
        QTest::sendKeyEvent(QTest::Press, &day, Qt::Key_unknown, QString(c), Qt::NoModifier);
        QTest::sendKeyEvent(QTest::Release, &day, Qt::Key_unknown, QString(c), Qt::NoModifier);
    }
    QCOMPARE(refused.size(), 0);
    QCOMPARE(day.date(), QDate(2026, 2, 10));
    day.setDate(QDate(2026, 2, 3));
    // A date and a time: no hour 24, no minute 60.
    DateField at(u"yyyy-MM-dd HH:mm"_s);
    at.setDateTime(QDateTime(QDate(2026, 5, 15), QTime(9, 30)));
    at.show();
    QVERIFY(QTest::qWaitForWindowExposed(&at));
    QSignalSpy atRefused(&at, &DateField::refused);
    typeOver(at, u"2026-05-16 24:00"_s);
    QCOMPARE(atRefused.size(), 1);
    QCOMPARE(atRefused.takeFirst().first().toString(),
             u"There is no hour 24: hours run from 00 to 23. The field is back to 2026-05-15 09:30."_s);
    typeOver(at, u"2026-05-16 23:60"_s);
    QCOMPARE(atRefused.size(), 1);
    QVERIFY(atRefused.takeFirst().first().toString().startsWith(u"There is no minute 60"_s));
    QCOMPARE(at.dateTime(), QDateTime(QDate(2026, 5, 15), QTime(9, 30)));
    typeOver(at, u"2026-05-16 23:59"_s);
    QTest::keyClick(&at, Qt::Key_Return);
    QCOMPARE(at.dateTime(), QDateTime(QDate(2026, 5, 16), QTime(23, 59)));
    QCOMPARE(atRefused.size(), 0);
    // In Chinese.
    QTranslator zh;
    QVERIFY(zh.load(QStringLiteral(RISKDESK_QM_DIR) + u"/riskdesk_zh_CN.qm"_s));
    QCoreApplication::installTranslator(&zh);
    refused.clear();
    typeOver(day, u"2026-02-30"_s);
    QCoreApplication::removeTranslator(&zh);
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.first().first().toString(),
             u"2026-02 没有 30 日：这个月只有 28 天。输入框已恢复为 2026-02-03。"_s);
}

void GuiTest::logFiltersByNamesCountsAndOpensTheException() {
    signIn(u"acme"_s, u"sun.yue"_s);
    ApprovalLogPage* page = m_window->logPage();
    ApprovalLogModel* model = page->model();
    QTRY_VERIFY(model->rowCount() > 0);
    auto* approver = page->findChild<QLineEdit*>(u"logActorFilter"_s);
    auto filterBy = [&](const QString& text) {
        SignalWaiter loaded(model, &ApprovalLogModel::pageLoaded);
        approver->setFocus();
        approver->selectAll();
        if (text.at(0).unicode() < 128) {
            QTest::keyClicks(approver, text); // the filter follows the typing
        } else {                              // typed through an input method
            approver->setText(text);
            Q_EMIT approver->textEdited(text);
        }
        return loaded.next(5000);
    };
    auto countOf = [&](const QString& where) {
        QSqlQuery q(m_ws->db());
        q.exec(u"SELECT count(*) FROM approval_log WHERE tenant_id = 'acme' AND "_s + where);
        return q.next() ? q.value(0).toLongLong() : -1;
    };
    // Part of an id: "li" finds li.wei's entries (and nobody's whose id and name lack it).
    QVERIFY(filterBy(u"li"_s));
    QVERIFY(model->rowCount() > 0);
    bool liWeiFound = false;
    for (int r = 0; r < model->rowCount(); ++r) {
        QVERIFY2(model->entryAt(r)->actorId.contains(u"li"_s), qPrintable(model->entryAt(r)->actorId));
        liWeiFound = liWeiFound || model->entryAt(r)->actorId == u"li.wei"_s;
    }
    QVERIFY(liWeiFound);
    const qint64 liWei = countOf(u"instr(actor_id, 'li') > 0"_s);
    QTRY_VERIFY2(page->matchCount()->text().contains(QString::number(liWei)) &&
                     page->matchCount()->text().contains(u"entr"_s),
                 qPrintable(page->matchCount()->text()));
    // The By column shows the name, its tooltip the id.
    int liWeiRow = 0;
    while (model->entryAt(liWeiRow)->actorId != u"li.wei"_s)
        ++liWeiRow;
    const QModelIndex by = model->index(liWeiRow, int(ApprovalLogModel::Column::Actor));
    QTRY_COMPARE(model->data(by).toString(), u"李伟"_s);
    QCOMPARE(model->data(by, Qt::ToolTipRole).toString(), u"li.wei"_s);
    // Part of a name: "敏" finds zhang.min (张敏), whose id lacks it.
    QVERIFY(filterBy(u"敏"_s));
    QVERIFY(model->rowCount() > 0);
    for (int r = 0; r < model->rowCount(); ++r)
        QCOMPARE(model->entryAt(r)->actorId, u"zhang.min"_s);
    QTRY_VERIFY(
        page->matchCount()->text().contains(QLocale().toString(countOf(u"actor_id = 'zhang.min'"_s))));
    // Riskdesk's own entries by the name the log shows for them (helper-82: only the id "system" found them).
    const qint64 automatic = countOf(u"actor_id = 'system'"_s);
    QVERIFY(automatic > 0);
    QVERIFY(filterBy(u"automatic"_s));
    QVERIFY(model->rowCount() > 0);
    for (int r = 0; r < model->rowCount(); ++r)
        QCOMPARE(model->entryAt(r)->actorId, u"system"_s);
    QCOMPARE(model->data(model->index(0, int(ApprovalLogModel::Column::Actor))).toString(),
             u"Riskdesk (automatic)"_s);
    QTRY_VERIFY(page->matchCount()->text().contains(QLocale().toString(automatic)));
    // The time to the second.
    const QString time = model->data(model->index(0, int(ApprovalLogModel::Column::At))).toString();
    QVERIFY2(QRegularExpression(u"\\d\\d:\\d\\d:\\d\\d$"_s).match(time).hasMatch(), qPrintable(time));
    QVERIFY2(time.endsWith(model->entryAt(0)->at.toLocalTime().time().toString(u"HH:mm:ss"_s)),
             qPrintable(time));

    // Enter on a row opens its exception in the queue, whatever the queue's filters were.
    const QString id = model->entryAt(2)->recordId;
    const qint64 openedSeq = model->entryAt(2)->seq;
    page->table()->setFocus();
    page->table()->setCurrentIndex(model->index(2, 0));
    QTest::keyClick(page->table(), Qt::Key_Return);
    QCOMPARE(m_window->tabs()->currentWidget(), m_window->queuePage());
    QTRY_COMPARE(m_window->queuePage()->detail()->recordId(), id);
    QCOMPARE(
        m_window->queuePage()->table()->currentIndex().data(ExceptionQueueModel::RecordIdRole).toString(),
        id);
    // Back on the log (read again), the entry opened is still the one chosen (helper-97: it started over).
    {
        SignalWaiter loaded(model, &ApprovalLogModel::pageLoaded);
        m_window->tabs()->setCurrentWidget(page);
        QVERIFY(loaded.next(5000));
    }
    const ApprovalLogEntry* chosen = model->entryAt(page->table()->currentIndex().row());
    QVERIFY(chosen);
    QCOMPARE(chosen->seq, openedSeq);
    // A double-click does the same.
    QTRY_VERIFY(model->rowCount() > 5);
    const QString other = model->entryAt(5)->recordId;
    QTest::qWait(100); // laid out on screen
    const QRect cell = page->table()->visualRect(model->index(5, 2));
    QTest::mouseClick(page->table()->viewport(), Qt::LeftButton, {}, cell.center()); // a double-click's first
    QTest::mouseDClick(page->table()->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(m_window->tabs()->currentWidget(), m_window->queuePage());
    QTRY_COMPARE(m_window->queuePage()->detail()->recordId(), other);

    // Another tenant's entry: the window moves to that tenant and says so (helper-97: the queue searched
    // Acme's requests for Globex's and showed none, as if it did not exist).
    m_window->tabs()->setCurrentWidget(page);
    auto* logTenant = page->findChild<QComboBox*>(u"logTenantFilter"_s);
    const int globex = logTenant->findData(u"globex"_s);
    QVERIFY(globex >= 0);
    {
        SignalWaiter loaded(model, &ApprovalLogModel::pageLoaded);
        logTenant->setCurrentIndex(globex);
        Q_EMIT logTenant->activated(globex);
        QVERIFY(loaded.next(5000));
    }
    QTRY_VERIFY(model->rowCount() > 0);
    const ApprovalLogEntry* globexEntry = model->entryAt(0);
    QCOMPARE(globexEntry->tenantId, u"globex"_s);
    const QString globexId = globexEntry->recordId;
    page->table()->setFocus();
    page->table()->setCurrentIndex(model->index(0, 0));
    QTest::keyClick(page->table(), Qt::Key_Return);
    QCOMPARE(m_window->session().tenantId, u"globex"_s);
    QCOMPARE(m_window->findChild<QComboBox*>(u"tenantSwitcher"_s)->currentData().toString(), u"globex"_s);
    QCOMPARE(m_window->tabs()->currentWidget(), m_window->queuePage());
    QTRY_COMPARE(m_window->queuePage()->detail()->recordId(), globexId);
    const QString said = m_window->statusBar()->currentMessage();
    QVERIFY2(said.startsWith(u"Switched to Globex"_s) && said.contains(globexId), qPrintable(said));
}

void GuiTest::emptyResultsOfferToClearTheFilters() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    auto* overlay = queue->findChild<QWidget*>(u"emptyResults"_s);
    QVERIFY(overlay && !overlay->isVisible());
    auto* search = queue->findChild<QLineEdit*>(u"searchField"_s);
    SignalWaiter loaded(queue->model(), &ExceptionQueueModel::pageLoaded);
    search->setText(u"no-such-thing-anywhere"_s);
    QVERIFY(loaded.next());
    QCOMPARE(queue->model()->rowCount(), 0);
    // Said where the rows would be, over the table, with a way out.
    QVERIFY(overlay->isVisible());
    QVERIFY(queue->table()->viewport()->rect().contains(overlay->geometry().center()));
    auto* message = overlay->findChild<QLabel*>(u"emptyResultsMessage"_s);
    QVERIFY2(message->text().contains(u"No exception matches"_s), qPrintable(message->text()));
    auto* clear = overlay->findChild<QPushButton*>(u"clearFiltersButton"_s);
    QVERIFY(clear->isVisible());
    QTest::mouseClick(clear, Qt::LeftButton);
    QVERIFY(loaded.next());
    QVERIFY(queue->model()->rowCount() > 0);
    QVERIFY(search->text().isEmpty());
    QCOMPARE(queue->findChild<QComboBox*>(u"statusFilter"_s)->currentIndex(), 0);
    QVERIFY(!overlay->isVisible());

    // The log page does the same.
    m_window->tabs()->setCurrentWidget(m_window->logPage());
    ApprovalLogPage* page = m_window->logPage();
    QTRY_VERIFY(page->model()->rowCount() > 0);
    auto* logOverlay = page->findChild<QWidget*>(u"emptyResults"_s);
    auto* approver = page->findChild<QLineEdit*>(u"logActorFilter"_s);
    SignalWaiter logLoaded(page->model(), &ApprovalLogModel::pageLoaded);
    approver->setText(u"nobody-by-this-name"_s);
    QMetaObject::invokeMethod(approver, "editingFinished");
    QVERIFY(logLoaded.next());
    QCOMPARE(page->model()->rowCount(), 0);
    QVERIFY(logOverlay->isVisible());
    QTRY_VERIFY(page->matchCount()->text().contains(u"0"_s));
    // Nothing to export, and the button says so (helper-82: it wrote a file of no entries and said it had
    // exported it).
    auto* exportButton = page->findChild<QPushButton*>(u"exportButton"_s);
    QTRY_VERIFY(!exportButton->isEnabled());
    QVERIFY2(exportButton->toolTip().contains(u"nothing to export"_s), qPrintable(exportButton->toolTip()));
    QTest::mouseClick(logOverlay->findChild<QPushButton*>(u"clearFiltersButton"_s), Qt::LeftButton);
    QVERIFY(logLoaded.next());
    QVERIFY(page->model()->rowCount() > 0);
    QVERIFY(!logOverlay->isVisible());
    QVERIFY(exportButton->isEnabled());
    // Dates the wrong way round: the same.
    page->findChild<DateField*>(u"logTo"_s)->setDate(QDate(2026, 11, 1));
    page->findChild<DateField*>(u"logFrom"_s)->setDate(QDate(2026, 12, 1));
    page->findChild<QCheckBox*>(u"logUseFrom"_s)->setChecked(true);
    page->findChild<QCheckBox*>(u"logUseTo"_s)->setChecked(true);
    QVERIFY2(page->matchCount()->text().contains(u"is after To"_s), qPrintable(page->matchCount()->text()));
    QVERIFY(!exportButton->isEnabled());
    page->findChild<QCheckBox*>(u"logUseFrom"_s)->setChecked(false);
    page->findChild<QCheckBox*>(u"logUseTo"_s)->setChecked(false);
    QTRY_VERIFY(page->matchCount()->text().contains(u"matching"_s));
    QVERIFY(exportButton->isEnabled());
}

// The Boards page as the window wires it: a KPI card opens its drill-down beside the board, and an exception
// of a risk-operations drill opens in the review queue.
void GuiTest::riskOpsDrillOpensTheExceptionInTheQueue() {
    signIn(u"acme"_s, u"zhou.lin"_s);
    BoardsPage* boards = m_window->boardsPage();
    // The window is ready once the queue shows its first exception; nothing orders that before the answer
    // that fills the board chooser with the boards the role may open. A user picks once it is filled.
    auto* chooser = boards->findChild<QComboBox*>(u"boardChooser"_s);
    QVERIFY(chooser);
    QVERIFY2(
        QTest::qWaitFor([&] { return chooser->findData(int(BoardKind::RiskOps)) >= 0; }, 20000),
        qPrintable(u"no risk-operations board offered; the page says: "_s + boards->errorLabel()->text()));
    QVERIFY(boards->chooseBoard(BoardKind::RiskOps));
    QVERIFY(QTest::qWaitFor([&] { return !boards->isLoading() && boards->report().has_value(); }, 20000));
    BoardKpiCard* pending = boards->kpiCard(u"Q1"_s);
    QVERIFY(pending);
    QTest::mouseClick(pending, Qt::LeftButton);
    auto* panel = m_window->findChild<BoardDrillPanel*>();
    QVERIFY(panel);
    QVERIFY(QTest::qWaitFor([&] { return panel->model()->rowCount() > 0; }, 20000));
    QVERIFY(boards->drillArea()->isVisibleTo(m_window.get()));
    // The board stays readable beside the panel: left to the splitter, the panel's wide table squeezed it
    // into a strip of 50 px.
    const QList<int> split = boards->splitter()->sizes();
    QVERIFY2(split.size() == 2 && split.at(0) > 0 && split.at(0) >= split.at(1),
             qPrintable(u"board %1 px, drill-down %2 px"_s.arg(split.value(0)).arg(split.value(1))));
    const QString recordId = panel->currentTable()->rows().first().id.toString();
    QVERIFY(!recordId.isEmpty());
    panel->table()->setCurrentIndex(panel->model()->index(0, 0));
    QTest::keyClick(panel->table(), Qt::Key_Return);
    QCOMPARE(m_window->findChild<QTabWidget*>(u"pages"_s)->currentWidget(), m_window->queuePage());
    QVERIFY(QTest::qWaitFor([&] { return m_window->queuePage()->detail()->recordId() == recordId; }, 10000));
}

// A long message under the queue, or the risk-operations board's filters, set the window's minimum width
// past a 1,024 px screen: the window grew to 1,118 px and stayed so, its buttons off the screen (helper-90,
// helper-91).
void GuiTest::longMessagesAndFiltersKeepTheWindowOnA1024Screen() {
    signIn(u"acme"_s, u"zhou.lin"_s);
    m_window->resize(1000, 700);
    QTRY_COMPARE(m_window->width(), 1000);
    auto* feedback = m_window->queuePage()->findChild<QLabel*>(u"queueFeedback"_s);
    QVERIFY(feedback);
    feedback->setText(u"1 request in the list changed outside this window (another desktop or the command "
                      "line); its row shows it now, and this message is long enough to need two lines."_s);
    QApplication::processEvents();
    QVERIFY2(m_window->minimumSizeHint().width() <= 1000,
             qPrintable(QString::number(m_window->minimumSizeHint().width())));
    QCOMPARE(m_window->width(), 1000);
    BoardsPage* boards = m_window->boardsPage();
    auto* chooser = boards->findChild<QComboBox*>(u"boardChooser"_s);
    QVERIFY(QTest::qWaitFor([&] { return chooser->findData(int(BoardKind::RiskOps)) >= 0; }, 20000));
    m_window->findChild<QTabWidget*>(u"pages"_s)->setCurrentWidget(boards);
    QVERIFY(boards->chooseBoard(BoardKind::RiskOps));
    QVERIFY(QTest::qWaitFor([&] { return !boards->isLoading() && boards->report().has_value(); }, 20000));
    QApplication::processEvents();
    QVERIFY2(m_window->minimumSizeHint().width() <= 1000,
             qPrintable(QString::number(m_window->minimumSizeHint().width())));
    QCOMPARE(m_window->width(), 1000);
    auto* reason = boards->findChild<QLineEdit*>(u"reasonFilter"_s);
    QVERIFY(reason && reason->isVisible());
    QVERIFY(QRect(QPoint(0, 0), m_window->size())
                .contains(QRect(reason->mapTo(m_window.get(), QPoint(0, 0)), reason->size())));
    m_window->resize(1264, 752);
}

void GuiTest::queueSortsByApplyTimeUnlessOnlyPending() {
    signIn(u"acme"_s, u"li.wei"_s);
    QueuePage* queue = m_window->queuePage();
    ExceptionQueueModel* model = queue->model();
    QCOMPARE(model->query().sortColumn, QueueColumn::ExpiresIn); // the approver's pending work
    auto* status = queue->findChild<QComboBox*>(u"statusFilter"_s);
    SignalWaiter loaded(model, &ExceptionQueueModel::pageLoaded);
    status->setCurrentIndex(0); // all statuses
    Q_EMIT status->activated(0);
    QVERIFY(loaded.next());
    QCOMPARE(model->query().sortColumn, QueueColumn::AppliedAt);
    QVERIFY(model->query().descending);
    QCOMPARE(queue->table()->horizontalHeader()->sortIndicatorSection(), int(QueueColumn::AppliedAt));
    for (int r = 1; r < model->rowCount(); ++r)
        QVERIFY(model->rowAt(r - 1)->applyTime >= model->rowAt(r)->applyTime);
    // Back to pending: soonest deadline first again.
    status->setCurrentIndex(1);
    Q_EMIT status->activated(1);
    QVERIFY(loaded.next());
    QCOMPARE(model->query().sortColumn, QueueColumn::ExpiresIn);
    QVERIFY(!model->query().descending);
    // An order the user picked stays when the filters change.
    QTest::mouseClick(queue->table()->horizontalHeader()->viewport(), Qt::LeftButton, {},
                      QPoint(queue->table()->horizontalHeader()->sectionViewportPosition(0) + 10, 5));
    QVERIFY(loaded.next());
    QCOMPARE(model->query().sortColumn, QueueColumn::RecordId);
    status->setCurrentIndex(0);
    Q_EMIT status->activated(0);
    QVERIFY(loaded.next());
    QCOMPARE(model->query().sortColumn, QueueColumn::RecordId);
}

void GuiTest::windowFitsA1280By800Screen() {
    signIn(u"acme"_s, u"li.wei"_s);
    // A laptop's 1280×800, less a panel: everything the approver needs is inside the window and on screen.
    QVERIFY2(
        m_window->minimumSizeHint().width() <= 1264 && m_window->minimumSizeHint().height() <= 752,
        qPrintable(
            u"%1×%2"_s.arg(m_window->minimumSizeHint().width()).arg(m_window->minimumSizeHint().height())));
    m_window->resize(1264, 752);
    QTest::qWait(50);
    QueuePage* queue = m_window->queuePage();
    QTRY_VERIFY(!queue->detail()->recordId().isEmpty());
    const QRect window = m_window->rect();
    for (const char* name : {"approveButton", "rejectButton"}) {
        auto* button = queue->detail()->findChild<QPushButton*>(QString::fromLatin1(name));
        QVERIFY(button->isVisible());
        const QRect inWindow(button->mapTo(m_window.get(), QPoint(0, 0)), button->size());
        QVERIFY2(window.contains(inWindow), name);
        QVERIFY(button->visibleRegion().boundingRect().size() == button->size()); // not clipped
    }
    QVERIFY(m_window->statusBar()->isVisible());
    const QRect status(m_window->statusBar()->mapTo(m_window.get(), QPoint(0, 0)),
                       m_window->statusBar()->size());
    QVERIFY(window.contains(status));
    // The status bar lays out its permanent widgets after the resize (later under ASan): wait for it.
    QTRY_VERIFY2(
        m_window->syncLabel()->visibleRegion().boundingRect().width() > 20,
        qPrintable(u"%1 px: \"%2\""_s.arg(m_window->syncLabel()->visibleRegion().boundingRect().width())
                       .arg(m_window->syncLabel()->text())));
    auto* badge = queue->findChild<QLabel*>(u"pendingBadge"_s);
    QVERIFY(window.contains(QRect(badge->mapTo(m_window.get(), QPoint(0, 0)), badge->size())));

    // In a 1024 px window the deadline is in view without scrolling: it comes right after the status.
    {
        m_window->resize(1024, 700);
        QTRY_COMPARE(m_window->width(), 1024);
        QHeaderView* header = queue->table()->horizontalHeader();
        const int expires = int(QueueColumn::ExpiresIn);
        QCOMPARE(header->visualIndex(expires), header->visualIndex(int(QueueColumn::CurrentStatus)) + 1);
        queue->table()->horizontalScrollBar()->setValue(0);
        QTRY_VERIFY2(header->sectionViewportPosition(expires) + header->sectionSize(expires) <=
                         queue->table()->viewport()->width(),
                     qPrintable(u"%1 + %2 px of %3"_s.arg(header->sectionViewportPosition(expires))
                                    .arg(header->sectionSize(expires))
                                    .arg(queue->table()->viewport()->width())));
        m_window->resize(1264, 752);
    }
    // A deadline keeps its unit: the Expires column is as wide as its longest text, and a narrower one is
    // cut on the left.
    QTableView* table = queue->table();
    const int expires = int(QueueColumn::ExpiresIn);
    const QFontMetrics bold = [&] {
        QFont f = table->font();
        f.setBold(true);
        return QFontMetrics(f);
    }();
    for (int r = 0; r < std::min(50, queue->model()->rowCount()); ++r) {
        const QString text = queue->model()->index(r, expires).data().toString();
        QVERIFY2(bold.horizontalAdvance(text) + 8 <= table->columnWidth(expires), qPrintable(text));
    }
    // And the last minute's text, which no demo row need have when the test runs (it read "…der 1 min").
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString lastMinute = QueueFormatting::timeToExpiry(now.addSecs(30), now);
    QVERIFY2(bold.horizontalAdvance(lastMinute) + 8 <= table->columnWidth(expires), qPrintable(lastMinute));
    // The column draws with a DeadlineDelegate, and that delegate cuts on the left (asked of an instance of
    // its own: the installed one is not of the probe's type, and casting it to it would be undefined).
    QVERIFY(qobject_cast<DeadlineDelegate*>(table->itemDelegateForColumn(expires)));
    struct Probe : DeadlineDelegate {
        using DeadlineDelegate::DeadlineDelegate;
        using DeadlineDelegate::initStyleOption;
    };
    const Probe probe;
    QStyleOptionViewItem option;
    probe.initStyleOption(&option, queue->model()->index(0, expires));
    QCOMPARE(option.textElideMode, Qt::ElideLeft);
    // The rule's name takes the room the window has.
    const int ruleWidth = table->columnWidth(int(QueueColumn::Rule));
    m_window->resize(1900, 1000);
    QTRY_VERIFY(table->columnWidth(int(QueueColumn::Rule)) > ruleWidth + 200);

    // Closing remembers where the window was; a new window opens there.
    m_window->resize(760, 540); // within the offscreen screen, so Qt keeps it as saved
    const QSize saved = m_window->size();
    m_window->close();
    MainWindow again(m_db.get(), m_background.get());
    // Its height as saved; its width too where the screen has room (at least 892 px wide, the window is wider
    // than the offscreen screen: it opens as wide as the screen leaves, aSavedWindowFitsASmallerScreen).
    const QRect available = again.screen()->availableGeometry();
    QCOMPARE(again.height(), saved.height());
    QCOMPARE(again.width(), std::min(saved.width(), available.width() - 16));
    riskdesk::test::settings().remove(AppSettings::Key::WindowGeometry);
    MainWindow fresh(m_db.get(), m_background.get()); // nothing saved: sized to the screen, not beyond it
    QVERIFY(fresh.size() != saved);
}

void GuiTest::detailDiagramIsReadableAndOpensLarge() {
    signIn(u"acme"_s, u"li.wei"_s);
    m_window->resize(1264, 752);
    QueuePage* queue = m_window->queuePage();
    QTRY_VERIFY(!queue->detail()->recordId().isEmpty());
    auto* flow = queue->detail()->findChild<FlowDiagramView*>(u"detailFlow"_s);
    QTRY_VERIFY(!flow->isEmpty());
    QTest::qWait(50);
    // Fitted to the panel's width, the diagram's height follows, instead of the whole canvas squeezed into a
    // strip of fixed height.
    const QSizeF canvas = flow->diagramLayout()->size;
    QVERIFY(flow->fitted());
    QCOMPARE(flow->scale(), flow->width() / canvas.width());
    QVERIFY2(std::abs(flow->height() - canvas.height() * flow->scale()) <= 2,
             qPrintable(u"%1 vs %2"_s.arg(flow->height()).arg(canvas.height() * flow->scale())));
    // A click opens it large.
    QTest::mouseClick(flow, Qt::LeftButton, {}, flow->rect().center());
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = queue->detail()->findChild<QDialog*>(u"largeFlowDialog"_s)) && dialog->isVisible());
    auto* large = dialog->findChild<FlowDiagramView*>(u"largeFlow"_s);
    QCOMPARE(large->diagramLayout()->title, flow->diagramLayout()->title);
    QVERIFY2(large->scale() > flow->scale() * 1.2,
             qPrintable(u"%1 vs %2"_s.arg(large->scale()).arg(flow->scale())));
    dialog->reject();
    // A drag pans and opens nothing.
    QTest::mousePress(flow, Qt::LeftButton, {}, QPoint(100, 40));
    QTest::mouseMove(flow, QPoint(160, 60));
    QTest::mouseRelease(flow, Qt::LeftButton, {}, QPoint(160, 60));
    QTest::qWait(50);
    QVERIFY(!queue->detail()->findChild<QDialog*>(u"largeFlowDialog"_s) ||
            !queue->detail()->findChild<QDialog*>(u"largeFlowDialog"_s)->isVisible());
    // On a 1920×1080 screen the panel's width gives the text 7 to 8 pixels at least (0.6 of 11 to 13); a
    // fixed-height strip kept it under 0.5 whatever the width.
    QTest::keyClick(flow, Qt::Key_0); // fitted again after the drag
    m_window->resize(1728, 972);
    QTRY_VERIFY2(flow->scale() >= 0.6, qPrintable(QString::number(flow->scale())));
    QTRY_VERIFY(std::abs(flow->height() - canvas.height() * flow->scale()) <= 2);
}

void GuiTest::systemCommentsShowInTheReadersLanguage() {
    QTranslator zh;
    QVERIFY(zh.load(QStringLiteral(RISKDESK_QM_DIR) + u"/riskdesk_zh_CN.qm"_s));
    QCoreApplication::installTranslator(&zh);
    auto restore = qScopeGuard([&] { QCoreApplication::removeTranslator(&zh); });

    // Written by a Chinese desktop, the comment is still the canonical English sentence with an ISO time.
    RiskException pending;
    pending.recordId = u"exc-000000000001"_s;
    pending.status = ExceptionStatus::Pending;
    pending.validEndTime = QDateTime(QDate(2026, 3, 1), QTime(8, 30), QTimeZone::utc());
    const auto outcome = ExceptionDecision::expireIfDue(pending, pending.validEndTime.addSecs(60));
    QVERIFY(outcome);
    QCOMPARE(outcome->step.comment,
             u"The validity window ended on 2026-03-01T08:30:00.000Z before a decision was made."_s);
    // Riskdesk's own entries are found by their name in the reader's language and in English alike: a
    // script's search does not change with the language it runs in (helper-83).
    QVERIFY(SystemComment::nameContains(u"自动"_s));
    QVERIFY(SystemComment::nameContains(u"automatic"_s));
    QVERIFY(!SystemComment::nameContains(u"li.wei"_s));
    // Read in Chinese, it is Chinese, with the local time written as the log writes its times.
    const QString shown = SystemComment::display(u"system"_s, u"auto_reject"_s, outcome->step.comment);
    QVERIFY2(!shown.contains(u"validity"_s) && shown.contains(u"有效期"_s), qPrintable(shown));
    QVERIFY2(shown.contains(pending.validEndTime.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s)),
             qPrintable(shown));
    // The older wordings without a time, the demo's, are recognised too; a person's comment never is.
    QVERIFY(SystemComment::display(u"system"_s, u"expire"_s, u"The waiver's validity window ended."_s)
                .contains(u"有效期"_s));
    QCOMPARE(SystemComment::display(u"li.wei"_s, u"reject"_s, u"The waiver's validity window ended."_s),
             u"The waiver's validity window ended."_s);

    // On the log page: system entries in Chinese, the stored text (what the hash covers) unchanged.
    signIn(u"acme"_s, u"sun.yue"_s);
    ApprovalLogPage* page = m_window->logPage();
    auto* action = page->findChild<QComboBox*>(u"logActionFilter"_s);
    const int autoReject = action->findData(u"auto_reject"_s);
    SignalWaiter loaded(page->model(), &ApprovalLogModel::pageLoaded);
    action->setCurrentIndex(autoReject);
    Q_EMIT action->activated(autoReject);
    QVERIFY(loaded.next());
    QVERIFY(page->model()->rowCount() > 0);
    const ApprovalLogEntry* entry = page->model()->entryAt(0);
    QVERIFY2(entry->comment.startsWith(u"The validity window ended"_s), qPrintable(entry->comment));
    const QString comment =
        page->model()->data(page->model()->index(0, int(ApprovalLogModel::Column::Comment))).toString();
    QVERIFY2(comment.contains(u"有效期"_s) && !comment.contains(u"validity"_s), qPrintable(comment));
    QVERIFY(page->model()
                ->data(page->model()->index(0, int(ApprovalLogModel::Column::Comment)), Qt::ToolTipRole)
                .toString()
                .contains(entry->comment));
    QCOMPARE(entry->computeHash(), entry->hash);
    QTRY_VERIFY_WITH_TIMEOUT(page->verification()->text().contains(u"✔"_s), 10000);

    // Dates the wrong way round are named, not shown as an empty log (helper-68); put right, counted again.
    auto* count = page->findChild<QLabel*>(u"logMatchCount"_s);
    page->findChild<DateField*>(u"logFrom"_s)->setDate(QDate(2026, 12, 31));
    page->findChild<DateField*>(u"logTo"_s)->setDate(QDate(2026, 12, 6));
    page->findChild<QCheckBox*>(u"logUseFrom"_s)->setChecked(true);
    page->findChild<QCheckBox*>(u"logUseTo"_s)->setChecked(true);
    QTRY_VERIFY2(count->text().contains(u"2026-12-31"_s) && count->text().contains(u"2026-12-06"_s),
                 qPrintable(count->text()));
    // Typed over as a user does: half a date applies nothing (helper-87: "2025" typed over a day queried a
    // year of nothing at once); Enter applies the day.
    auto* from = page->findChild<DateField*>(u"logFrom"_s);
    from->setFocus();
    from->selectAll();
    QTest::keyClicks(from, u"2000"_s);
    QCOMPARE(from->date(), QDate(2000, 12, 31));
    QTest::qWait(DateField::kSettleMs * 2);
    QVERIFY2(count->text().contains(u"2026-12-31"_s), qPrintable(count->text()));
    QTest::keyClicks(from, u"-01-01"_s);
    QTest::keyClick(from, Qt::Key_Return);
    QCOMPARE(from->date(), QDate(2000, 1, 1));
    QTRY_VERIFY2(!count->text().contains(u"2026-12-31"_s) && count->styleSheet().isEmpty() &&
                     count->text().contains(QRegularExpression(u"\\d"_s)),
                 qPrintable(count->text()));
}

// Help → About names the application's version: main() sets it from CMake's project(VERSION), here the
// test's.
void GuiTest::aboutShowsTheApplicationsVersion() {
    const QString before = QCoreApplication::applicationVersion();
    const auto restore = qScopeGuard([&] { QCoreApplication::setApplicationVersion(before); });
    QCoreApplication::setApplicationVersion(u"9.8.7"_s);
    signIn(u"acme"_s, u"li.wei"_s);
    auto* about = m_window->findChild<QAction*>(u"aboutAction"_s);
    QVERIFY(about);
    QString shown;
    QTimer closer; // the box is modal: read and close it from inside its event loop
    closer.setInterval(20);
    connect(&closer, &QTimer::timeout, this, [&] {
        for (QWidget* widget : QApplication::topLevelWidgets())
            if (auto* box = qobject_cast<QMessageBox*>(widget); box && box->isVisible()) {
                shown = box->windowTitle() + u'\n' + box->text();
                box->done(0);
            }
    });
    closer.start();
    about->trigger();
    closer.stop();
    QVERIFY2(shown.contains(u"About Riskdesk"_s) && shown.contains(u"Riskdesk 9.8.7"_s), qPrintable(shown));
}

// Qt's save dialog asked "replace?" about the name as typed; the export then added its extension and replaced
// report.csv unasked when "report" was typed, and a workspace was offered for replacing before the export
// refused it. SaveFileDialog::confirm asks about, or refuses, the file that will be written.
void GuiTest::savingAsksAboutTheFileThatIsWritten() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString report = dir.filePath(u"report.csv"_s);
    const auto write = [](const QString& path, const QByteArray& bytes) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    const auto read = [](const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    QVERIFY(write(report, "kept\n"));
    QVERIFY(write(dir.filePath(u"copy.csv"_s), QByteArray("SQLite format 3", 16) + QByteArray(100, '\0')));

    // Answers every message box that shows with answer, noting its name and text.
    struct Shown {
        QString name, text;
    };
    QList<Shown> shown;
    QTimer answerer;
    QMessageBox::StandardButton answer = QMessageBox::No;
    answerer.setInterval(10);
    connect(&answerer, &QTimer::timeout, this, [&] {
        for (QWidget* w : QApplication::topLevelWidgets())
            if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible()) {
                shown.append({box->objectName(), box->text()});
                if (QAbstractButton* b = box->button(answer))
                    b->click();
                else
                    box->reject();
            }
    });
    answerer.start();

    // "report" means report.csv, which exists: asked about by that name; No keeps it.
    QCOMPARE(SaveFileDialog::confirm(nullptr, u"Export"_s, dir.filePath(u"report"_s), u"csv"_s), QString());
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.at(0).name, u"replaceFileBox"_s);
    QVERIFY2(shown.at(0).text.contains(QDir::toNativeSeparators(report)), qPrintable(shown.at(0).text));
    QCOMPARE(read(report), QByteArray("kept\n"));
    answer = QMessageBox::Yes;
    QCOMPARE(SaveFileDialog::confirm(nullptr, u"Export"_s, dir.filePath(u"report"_s), u"csv"_s), report);
    QCOMPARE(shown.size(), 2);

    // A new name is written without a question, in any case of its extension.
    QCOMPARE(SaveFileDialog::confirm(nullptr, u"Export"_s, dir.filePath(u"fresh"_s), u"csv"_s),
             dir.filePath(u"fresh.csv"_s));
    QCOMPARE(SaveFileDialog::confirm(nullptr, u"Export"_s, dir.filePath(u"fresh.CSV"_s), u"csv"_s),
             dir.filePath(u"fresh.CSV"_s));
    QCOMPARE(shown.size(), 2);
    // A dot that names no format is part of the name (helper-75: board_2026.05 was refused).
    QCOMPARE(SaveFileDialog::confirm(nullptr, u"Export"_s, dir.filePath(u"board_2026.05"_s), u"csv"_s),
             dir.filePath(u"board_2026.05.csv"_s));
    QCOMPARE(shown.size(), 2);
    // Another format's extension is refused (helper-72: a PDF was written as board.csv).
    QCOMPARE(SaveFileDialog::confirm(nullptr, u"Export"_s, dir.filePath(u"board.csv"_s), u"pdf"_s),
             QString());
    QCOMPARE(shown.size(), 3);
    QCOMPARE(shown.at(2).name, u"refusedFileBox"_s);
    QVERIFY2(shown.at(2).text.contains(u"name it board.pdf"_s), qPrintable(shown.at(2).text));
    shown.removeLast();

    // A database is refused, by the name that would be written, and never offered for replacing.
    QCOMPARE(SaveFileDialog::confirm(nullptr, u"Export"_s, dir.filePath(u"copy"_s), u"csv"_s), QString());
    QCOMPARE(shown.size(), 3);
    QCOMPARE(shown.at(2).name, u"refusedFileBox"_s);
    QVERIFY2(shown.at(2).text.contains(u"copy.csv"_s), qPrintable(shown.at(2).text));
    QCOMPARE(read(dir.filePath(u"copy.csv"_s)).left(15), QByteArray("SQLite format 3"));
}

// Typing /proc/ in the export dialog froze the window (helper-72): Qt's icon provider tells a file's type by
// reading it when its name does not tell, and a read of /proc/kmsg never returns. The dialogs' provider goes
// by the name alone. Asked on a thread of its own, so that a regression fails here instead of hanging.
// Qt's file dialog reads quotation marks as a list of names and * or ? as a pattern: a name typed with them
// was written as another file in another folder (helper-88). The dialog is refused with the reason and asked
// again.
void GuiTest::aFileNameTheDialogReadsAsAPatternIsRefused() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkdir(u"out"_s));
    int dialogs = 0;
    QString refusal;
    QTimer driver;
    driver.setInterval(50);
    connect(&driver, &QTimer::timeout, this, [&] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            refusal = box->text();
            box->accept();
            return;
        }
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        if (++dialogs == 1) {
            auto* name = dialog->findChild<QLineEdit*>(u"fileNameEdit"_s);
            QVERIFY(name);
            name->setText(u"drill \"q\"*?"_s);
            QTest::keyClick(name, Qt::Key_Return); // Save
        } else {
            dialog->reject(); // asked again: the user gives up
        }
    });
    driver.start();
    const QString chosen =
        SaveFileDialog::ask(nullptr, u"Export"_s, QDir(dir.path()).filePath(u"out/drill.csv"_s),
                            u"CSV files (*.csv)"_s, u"csv"_s);
    driver.stop();
    QCOMPARE(chosen, QString());
    QCOMPARE(dialogs, 2);
    QVERIFY2(refusal.contains(u"quotation marks, * and ?"_s), qPrintable(refusal));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot), QStringList());
}

void GuiTest::fileDialogsNeverReadAFileToTellItsType() {
    // /proc/kmsg is a regular file whose read blocks until the kernel logs something (and takes that message
    // from the system's log reader): Qt's provider hung on it. Only root may open it.
    const QString kmsg = u"/proc/kmsg"_s;
    if (!QFileInfo(kmsg).isFile() || !QFile(kmsg).open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        QSKIP("/proc/kmsg cannot be opened here (not root)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pdf = dir.filePath(u"report.pdf"_s);
    {
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write("not really a PDF") > 0);
    }
    struct Answers {
        std::atomic<bool> done{false};
        QString kmsgType, pdfType;
    };
    auto answers = std::make_shared<Answers>();
    std::thread([answers, kmsg, pdf] {
        PlainFileIconProvider icons;
        answers->kmsgType = icons.type(QFileInfo(kmsg));
        (void)icons.icon(QFileInfo(kmsg));
        answers->pdfType = icons.type(QFileInfo(pdf));
        answers->done = true;
    }).detach(); // on a regression it stays blocked; the process's end ends it
    QTRY_VERIFY_WITH_TIMEOUT(answers->done.load(), 5000);
    QVERIFY2(answers->pdfType.contains(u"PDF"_s), qPrintable(answers->pdfType)); // by its name
    QVERIFY(!answers->kmsgType.isEmpty());
}

QTEST_MAIN(GuiTest)
#include "tst_gui.moc"
