#include "MainWindow.h"

#include "ApprovalLogPage.h"
#include "BoardDrillPanel.h"
#include "BoardsPage.h"
#include "ExceptionDetailPanel.h"
#include "NewRequestDialog.h"
#include "QueuePage.h"
#include "RuleLibraryPage.h"
#include "TenantSwitcher.h"
#include "attach/AttachmentService.h"
#include "attach/RequestService.h"
#include "boards/BoardDrillKey.h"
#include "settings/AppSettings.h"
#include "store/DatabaseThread.h"
#include "store/Outbox.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
const QString kRefusalStyle = u"background: #fef3c7; color: #78350f; padding: 8px 14px;"_s;
} // namespace

MainWindow::MainWindow(DatabaseThread* database, DatabaseThread* background, QWidget* parent)
    : QMainWindow(parent), m_database(database) {
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("Riskdesk"));
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto* header = new QWidget;
    header->setObjectName(u"header"_s);
    header->setStyleSheet(u"#header { background: #0f172a; } #header QLabel { color: #e2e8f0; }"_s);
    auto* headerLayout = new QHBoxLayout(header);
    headerLayout->setContentsMargins(14, 8, 14, 8);
    auto* brand = new QLabel(tr("Riskdesk"));
    QFont brandFont = brand->font();
    brandFont.setBold(true);
    brandFont.setPointSizeF(brandFont.pointSizeF() * 1.3);
    brand->setFont(brandFont);
    headerLayout->addWidget(brand);
    headerLayout->addSpacing(18);
    auto* tenantLabel = new QLabel(tr("Tenant:"));
    headerLayout->addWidget(tenantLabel);
    m_tenantSwitcher = new TenantSwitcher;
    m_tenantSwitcher->setObjectName(u"tenantSwitcher"_s);
    m_tenantSwitcher->setAccessibleName(tr("Active tenant"));
    tenantLabel->setBuddy(m_tenantSwitcher);
    headerLayout->addWidget(m_tenantSwitcher);
    headerLayout->addStretch(1);
    m_user = new QLabel;
    m_user->setObjectName(u"signedInUser"_s);
    headerLayout->addWidget(m_user);
    m_switchUserButton = new QPushButton(tr("Switch user…"));
    m_switchUserButton->setObjectName(u"switchUserButton"_s);
    headerLayout->addWidget(m_switchUserButton);
    layout->addWidget(header);

    // Says, above everything, why this workspace takes no decisions (read-only evidence, or a damaged file).
    m_writeBanner = new QLabel;
    m_writeBanner->setObjectName(u"writeRefusalBanner"_s);
    m_writeBanner->setWordWrap(true);
    m_writeBanner->setStyleSheet(kRefusalStyle);
    m_writeBanner->setVisible(false);
    layout->addWidget(m_writeBanner);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(u"pages"_s);
    m_tabs->setDocumentMode(true);
    m_queue = new QueuePage(database, background);
    m_queue->detail()->setAttachmentService(new AttachmentService(database, database->settings(), this));
    m_log = new ApprovalLogPage(database, background);
    m_tabs->addTab(m_queue, tr("Review queue"));
    m_tabs->addTab(m_log, tr("Approval log"));
    m_rules = new RuleLibraryPage(database);
    m_tabs->addTab(m_rules, tr("Rules"));
    m_boards = new BoardsPage(database);
    m_tabs->addTab(m_boards, tr("Boards"));
    // A clicked figure lists its rows beside the board (spec §2.7).
    m_drill = new BoardDrillPanel(database, m_boards->drillArea());
    if (!m_boards->drillArea()->layout())
        new QVBoxLayout(m_boards->drillArea());
    m_boards->drillArea()->layout()->setContentsMargins(0, 0, 0, 0);
    m_boards->drillArea()->layout()->addWidget(m_drill);
    connect(m_boards, &BoardsPage::cellActivated, m_drill,
            [this](BoardKind board, const BoardRequest& request, const QString& tableKey,
                   const QString& columnKey, const QVariant& rowId) {
                // What was clicked, named as the board names it: "Finance board — K1 Accrued revenue".
                const QString cell = m_boards->cellName(tableKey, columnKey, rowId);
                const QString title = cell.isEmpty() ? m_boards->boardTitle(board)
                                                     : tr("%1 — %2", "board title — the clicked figure")
                                                           .arg(m_boards->boardTitle(board), cell);
                if (m_drill->openCell(board, request, tableKey, columnKey, rowId, title))
                    m_boards->showDrillArea(true);
                else
                    showNotice(BoardDrillKey::whyNot(board, request, tableKey, columnKey, rowId));
            });
    m_drill->setSiteTime([this](const QString& site) { return m_boards->timeAt(site); });
    connect(m_drill, &BoardDrillPanel::closed, m_boards, [this] { m_boards->showDrillArea(false); });
    // A risk-operations drill lists exceptions: activating one opens it in the review queue.
    connect(m_drill, &BoardDrillPanel::rowActivated, m_queue,
            [this](BoardKind board, const QString& tableKey, const QVariant& rowId) {
                if (board != BoardKind::RiskOps || tableKey != u"exceptions"_s || rowId.toString().isEmpty())
                    return;
                m_tabs->setCurrentWidget(m_queue);
                m_queue->showRecord(rowId.toString());
            });
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_workspace = new QLabel;
    // A long path must not widen the window beyond the screen; the whole path is in the tooltip.
    m_workspace->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_workspace->setMinimumWidth(1);
    m_outbox = new QLabel;
    m_outbox->setObjectName(u"outboxStatus"_s);
    statusBar()->addWidget(m_workspace, 1);
    statusBar()->addPermanentWidget(m_outbox);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_newRequestAction =
        file->addAction(tr("&New request…"), QKeySequence::New, this, &MainWindow::openNewRequest);
    m_newRequestAction->setObjectName(u"newRequestAction"_s);
    m_newRequestAction->setToolTip(tr("File a request for an exception to a risk rule (Ctrl+N)"));
    file->addSeparator();
    m_switchUserAction = file->addAction(tr("&Switch user…"), this, &MainWindow::confirmSwitchUser);
    file->addAction(tr("&Backend…"), this, &MainWindow::askForBackend);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &MainWindow::quitWindow);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Refresh"), QKeySequence::Refresh, this, &MainWindow::refreshCurrentPage);
    view->addAction(tr("Review &queue"), QKeySequence(Qt::CTRL | Qt::Key_1), this,
                    [this] { m_tabs->setCurrentIndex(0); });
    view->addAction(tr("Approval &log"), QKeySequence(Qt::CTRL | Qt::Key_2), this,
                    [this] { m_tabs->setCurrentIndex(1); });
    view->addAction(tr("R&ules"), QKeySequence(Qt::CTRL | Qt::Key_3), this,
                    [this] { m_tabs->setCurrentIndex(2); });
    view->addAction(tr("&Boards"), QKeySequence(Qt::CTRL | Qt::Key_4), this,
                    [this] { m_tabs->setCurrentWidget(m_boards); });
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        QMessageBox::information(
            this, tr("Keyboard shortcuts"),
            tr("Review queue\n"
               "Up / Down: move through the queue\n"
               "Shift+Up / Shift+Down, Shift+click, Ctrl+click: select several exceptions\n"
               "A or Ctrl+Return: approve the selected exception; with several selected, this key and "
               "the panel's Approve ask you to confirm them all\n"
               "R or Ctrl+Shift+Return: reject it (asks for a reason); with several selected, the same\n"
               "Ctrl+Shift+M: claim it; Ctrl+Shift+A: assign it; Ctrl+Shift+U: release it; "
               "Ctrl+Shift+E: escalate it to a lead\n"
               "Ctrl+Return in a comment: send the comment (it does not approve)\n"
               "Ctrl+F: search; Esc: clear the search\n"
               "Ctrl+N: new request\n"
               "\n"
               "Approval log\n"
               "Enter or double-click on an entry: open its exception in the queue\n"
               "\n"
               "Everywhere\n"
               "F5: refresh; Ctrl+1 / Ctrl+2 / Ctrl+3 / Ctrl+4: queue / approval log / rules / boards\n"
               "In a diagram: Ctrl+wheel or +/- zoom, 0 fits, arrows or dragging pan\n"
               "Ctrl+Q: quit"));
    });
    // The version is the build's (project(VERSION) in CMakeLists.txt, set as the application's version).
    help->addAction(tr("&About Riskdesk"), this,
                    [this] {
                        QMessageBox::about(this, tr("About Riskdesk"),
                                           tr("Riskdesk %1\nRisk exceptions, boards and audit.")
                                               .arg(QCoreApplication::applicationVersion()));
                    })
        ->setObjectName(u"aboutAction"_s);

    connect(m_switchUserButton, &QPushButton::clicked, this, &MainWindow::confirmSwitchUser);
    connect(m_tenantSwitcher, &QComboBox::activated, this, &MainWindow::switchTenant);
    connect(m_queue, &QueuePage::ready, this, &MainWindow::ready);
    connect(m_queue, &QueuePage::decisionStored, this, &MainWindow::refreshOutboxCount);
    // The session's sweep of ended windows chains its entries after the log page may be on screen: the page
    // reads the log again, and verifies that one, rather than keep a head that is no longer the newest.
    connect(m_queue, &QueuePage::endedWindowsSwept, this, [this](int closed) {
        if (closed > 0 && m_tabs->currentWidget() == m_log)
            m_log->refresh();
    });
    connect(m_log, &ApprovalLogPage::openExceptionRequested, this,
            [this](const QString& tenantId, const QString& recordId) {
                // Another tenant's entry: the window moves to that tenant, and says so, rather than search
                // this tenant's queue for it and find nothing (helper-97: it read as an exception that does
                // not exist).
                if (const int index = m_tenantSwitcher->findData(tenantId);
                    tenantId != m_session.tenantId && index >= 0) {
                    m_tenantSwitcher->setCurrentIndex(index);
                    switchTenant(index);
                    statusBar()->showMessage(tr("Switched to %1: %2 is one of its exceptions.")
                                                 .arg(m_tenantSwitcher->itemText(index), recordId),
                                             10000);
                }
                m_tabs->setCurrentWidget(m_queue);
                m_queue->showRecord(recordId);
            });
    placeOnScreen();
}

void MainWindow::placeOnScreen() {
    const bool restored = restoreGeometry(m_database->settings().windowGeometry());
    const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return;
    // Most of a large screen, all of a small one; the frame is not known before the window shows, so leave
    // room for a title bar and borders.
    const QRect available = screen->availableGeometry();
    const QSize room = available.size() - QSize(16, 48);
    if (restored) {
        // Qt moves a window saved on a screen that is gone back onto one that is there, but kept the size of
        // a 1,280 px monitor on a 1,024 px laptop, its right-hand buttons off the screen (helper-91).
        // As far as the window can shrink: below its minimum its contents would be cut instead.
        const QSize fit = room.expandedTo(minimumSizeHint());
        if (width() > fit.width() || height() > fit.height()) {
            resize(size().boundedTo(fit));
            // Centred, but never with the title bar above or left of the screen.
            const QPoint centred = available.center() - QPoint(width() / 2, height() / 2);
            move(std::max(centred.x(), available.left()), std::max(centred.y(), available.top()));
        }
        return;
    }
    const QSize generous =
        QSize(std::max(1400, available.width() * 9 / 10), std::max(860, available.height() * 9 / 10));
    resize(generous.boundedTo(room));
    move(available.center() - QPoint(width() / 2, height() / 2));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (const int unsent = m_queue->unsentTexts(); unsent > 0 && !m_discardOnClose) {
        event->ignore(); // quitting used to drop them silently (helper-68)
        askToDiscardUnsent(
            tr("Quit Riskdesk"),
            tr("You have %n comment(s) or rejection reason(s) typed and not sent. They are not "
               "kept when Riskdesk quits.",
               nullptr, unsent),
            tr("Discard and quit"), u"discardAndQuit"_s, [this] {
                m_discardOnClose = true;
                quitWindow();
            });
        return;
    }
    m_database->settings().setWindowGeometry(saveGeometry());
    QMainWindow::closeEvent(event);
}

void MainWindow::quitWindow() {
    if (close())
        QCoreApplication::quit();
}

void MainWindow::askToDiscardUnsent(const QString& title, const QString& text, const QString& discardText,
                                    const QString& discardName, std::function<void()> discarded) {
    if (findChild<QMessageBox*>(u"unsentTextBox"_s))
        return; // already asking
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Cancel, this);
    box->setObjectName(u"unsentTextBox"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* discard = box->addButton(discardText, QMessageBox::DestructiveRole);
    discard->setObjectName(discardName);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [box, discard, discarded = std::move(discarded)] {
        if (box->clickedButton() == discard)
            discarded();
    });
    box->open();
}

void MainWindow::refreshCurrentPage() {
    if (m_tabs->currentWidget() == m_log)
        m_log->refresh();
    else if (m_tabs->currentWidget() == m_boards)
        m_boards->refresh(); // past the cache, for the visible board only
    else
        m_queue->refresh();
}

void MainWindow::start(const Session& session, const QList<User>& memberships, const QList<Tenant>& tenants) {
    m_session = session;
    m_memberships = memberships;
    m_tenants = tenants;
    m_tenantSwitcher->clear();
    for (const User& m : memberships) {
        QString name = m.tenantId;
        for (const Tenant& t : tenants)
            if (t.tenantId == m.tenantId)
                name = t.name;
        m_tenantSwitcher->addItem(name, m.tenantId);
        if (m.tenantId == session.tenantId)
            m_tenantSwitcher->setCurrentIndex(m_tenantSwitcher->count() - 1);
    }
    // With a backend the user is its login: nobody else can be picked, so nothing offers to.
    const bool login = !session.backendLogin.isEmpty();
    m_switchUserButton->setVisible(!login);
    m_switchUserAction->setVisible(!login);
    m_switchUserAction->setEnabled(!login);
    if (login) {
        m_user->setText(
            tr("Signed in as %1 (%2) · %3 · backend login %4")
                .arg(session.displayName, session.userId, displayName(session.role), session.backendLogin));
        m_user->setToolTip(
            tr("The server checked this login's password; it accepts decisions from this login "
               "only."));
    } else {
        m_user->setText(tr("Signed in as %1 (%2) · %3 · identity asserted on this desktop")
                            .arg(session.displayName, session.userId, displayName(session.role)));
        m_user->setToolTip(
            tr("Picked from this workspace's list, with no backend to check it: every decision "
               "made here is marked in the approval log as identity asserted on this desktop."));
    }
    m_workspace->setText(session.writeRefusal.isEmpty()
                             ? tr("Workspace: %1").arg(session.workspacePath)
                             : tr("Workspace: %1 (read-only)").arg(session.workspacePath));
    m_workspace->setToolTip(session.workspacePath);
    m_writeBanner->setText(tr("⚠ No decisions can be made here. %1").arg(session.writeRefusal));
    m_writeBanner->setStyleSheet(kRefusalStyle);
    m_writeBanner->setVisible(!session.writeRefusal.isEmpty());
    updateNewRequestAction();
    m_queue->setSession(session);
    m_log->setSession(session, memberships, tenants);
    m_rules->setSession(session);
    m_boards->setSession(session);
    m_drill->closePanel(); // the previous user's rows never stay on screen
    m_drill->setUserId(session.userId);
    // Auditors come for the log, finance users for the boards; everyone else starts on the queue.
    if (session.role == UserRole::Finance)
        m_tabs->setCurrentWidget(m_boards);
    else
        m_tabs->setCurrentIndex(session.role == UserRole::Auditor ? 1 : 0);
    // The keys of the work (↓, A, R) go to the page's rows from the start, not to the tenant box above them,
    // where ↓ would switch to another tenant's queue.
    if (m_tabs->currentWidget() == m_queue)
        m_queue->table()->setFocus();
    else if (m_tabs->currentWidget() == m_log)
        m_log->table()->setFocus();
    refreshOutboxCount();
}

void MainWindow::showNotice(const QString& text) {
    if (!m_session.writeRefusal.isEmpty())
        return; // the refusal's banner stays: it matters more
    m_writeBanner->setText(u"ⓘ "_s + text);
    m_writeBanner->setStyleSheet(u"background: #e0f2fe; color: #0c4a6e; padding: 8px 14px;"_s);
    m_writeBanner->setVisible(true);
}

void MainWindow::refuseWrites(const QString& reason) {
    m_session.writeRefusal = reason;
    m_workspace->setText(tr("Workspace: %1 (read-only)").arg(m_session.workspacePath));
    m_writeBanner->setText(tr("⚠ No decisions can be made here. %1").arg(reason));
    m_writeBanner->setStyleSheet(kRefusalStyle);
    m_writeBanner->setVisible(true);
    m_queue->refuseWrites(reason);
    updateNewRequestAction();
}

void MainWindow::updateNewRequestAction() {
    const bool mayFile = RequestService::mayFile(m_session.role);
    m_newRequestAction->setEnabled(mayFile && m_session.writeRefusal.isEmpty());
    m_newRequestAction->setStatusTip(
        !mayFile ? tr("Only applicants and approvers file requests.")
        : m_session.writeRefusal.isEmpty()
            ? QString()
            : tr("No requests can be filed here. %1").arg(m_session.writeRefusal));
}

void MainWindow::openNewRequest() {
    if (!m_newRequestAction->isEnabled() || findChild<NewRequestDialog*>())
        return;
    auto* dialog = new NewRequestDialog(m_database, m_session, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewRequestDialog::filed, this, [this](const RiskException& e) {
        m_tabs->setCurrentWidget(m_queue);
        m_queue->showRecord(e.recordId);
        refreshOutboxCount();
        // A local workspace has no server to send it to (helper-90).
        statusBar()->showMessage(
            m_syncStatus.configured
                ? tr("%1 is filed: pending, waiting to be sent to the server.").arg(e.recordId)
                : tr("%1 is filed: pending.").arg(e.recordId),
            10000);
    });
    dialog->open();
}

void MainWindow::confirmSwitchUser() {
    const int unsent = m_queue->unsentTexts();
    if (unsent == 0) {
        Q_EMIT switchUserRequested();
        return;
    }
    // Whoever signs in next must not read them, so they cannot be kept: say so before they go.
    askToDiscardUnsent(tr("Switch user"),
                       tr("You have %n comment(s) or rejection reason(s) typed and not sent. The next "
                          "person to sign in is not shown them, so they are discarded.",
                          nullptr, unsent),
                       tr("Discard and switch"), u"discardAndSwitch"_s,
                       [this] { Q_EMIT switchUserRequested(); });
}

void MainWindow::switchTenant(int index) {
    const User membership = m_memberships.value(index);
    if (membership.tenantId.isEmpty() || membership.tenantId == m_session.tenantId)
        return;
    Session next = m_session;
    next.tenantId = membership.tenantId;
    next.tenantName = m_tenantSwitcher->itemText(index);
    next.role = membership.role;
    next.displayName = membership.displayName;
    next.userId = membership.userId; // a backend login may be a different user id in each tenant
    start(next, m_memberships, m_tenants);
    Q_EMIT sessionChanged(next);
}

void MainWindow::askForBackend() {
    AppSettings& settings = m_database->settings();
    bool ok = false;
    const QString url =
        QInputDialog::getText(this, tr("Backend"),
                              tr("The shared server, e.g. postgresql://li.wei@db.example.com:5432/riskdesk\n"
                                 "You then sign in as that login: its password is asked for and kept in this "
                                 "desktop's keychain, never in a settings file."),
                              QLineEdit::Normal, settings.backendUrl(), &ok)
            .trimmed();
    if (!ok)
        return;
    QUrl saved(url);
    if (!url.isEmpty() && (!saved.isValid() || !saved.scheme().startsWith(u"postgres"_s))) {
        QMessageBox::warning(this, tr("Backend"),
                             tr("\"%1\" is not a PostgreSQL URL; it starts with postgresql://").arg(url));
        return;
    }
    saved.setPassword({}); // credentials never go to the settings file
    settings.setBackendUrl(saved.toString());
    Q_EMIT backendChanged(url);
}

void MainWindow::showSyncStatus(const SyncStatus& s) {
    m_syncStatus = s;
    m_queue->setBackendSet(s.configured);
    // Only a backend that is set can be unreachable: a local workspace is never "offline".
    m_boards->setOffline(s.configured && !s.online, s.lastSync);
    // How many changes wait to be pushed; nothing said when none does.
    const QString waiting = s.waiting > 0 ? tr(" · %n waiting", nullptr, int(s.waiting)) : QString();
    QString text;
    if (!s.configured)
        text = tr("Local workspace"); // nothing waits for a server that was never set
    else if (s.pullProgress >= 0)
        text = tr("First sync: %1 exceptions received…").arg(QLocale().toString(s.pullProgress)) + waiting;
    else if (s.online)
        text = (s.lastSync.isValid()
                    ? tr("Online · synced %1")
                          .arg(QLocale().toString(s.lastSync.toLocalTime().time(), QLocale::ShortFormat))
                    : tr("Online")) +
               waiting;
    else
        text = tr("Offline") + waiting;
    if (s.indexesLeft > 0)
        text += tr(" · preparing the queue (%n index(es) left)", nullptr, s.indexesLeft);
    else if (s.searchPercent >= 0)
        text += tr(" · building the search index (%1%)").arg(s.searchPercent);
    if (!s.conflicts.isEmpty())
        text += tr(" · %n conflict(s)", nullptr, int(s.conflicts.size()));
    m_outbox->setText(text);
    QStringList tip;
    if (!s.configured)
        tip << tr("No backend is set: decisions stay in this workspace. File → Backend… connects one; %n "
                  "decision(s) made here would then be sent to it.",
                  nullptr, int(s.waiting));
    else if (s.waiting > 0)
        tip << tr("%n change(s) made here wait to be pushed to the server (decisions, requests, comments and "
                  "assignments).",
                  nullptr, int(s.waiting));
    else
        tip << tr("Every change made here has been pushed to the server.");
    if (!s.lastError.isEmpty())
        tip << tr("Last error: %1").arg(s.lastError);
    if (s.indexesLeft > 0 || s.searchPercent >= 0)
        tip << tr("The first sync's rows are all here; until their indexes are built, sorting and searching "
                  "work but take longer.");
    tip << s.conflicts.mid(0, 5);
    m_outbox->setToolTip(tip.join(u'\n'));
    m_outbox->setStyleSheet(!s.configured || s.online
                                ? (s.conflicts.isEmpty() ? QString() : u"color: #b45309;"_s)
                                : u"color: #b91c1c;"_s);
}

void MainWindow::refreshOutboxCount() {
    auto task = m_database->task([](Workspace& w) { return Outbox(w.db()).changesToPush(); });
    QCoro::connect(std::move(task), this, [this](const Result<qint64>& count) {
        if (count) {
            SyncStatus s = m_syncStatus;
            s.waiting = count.value();
            showSyncStatus(s);
        }
    });
}

} // namespace riskdesk
