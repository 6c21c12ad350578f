#include "GuiLauncher.h"

#include "ApprovalLogPage.h"
#include "BackendSignIn.h"
#include "BoardsPage.h"
#include "MainWindow.h"
#include "QueuePage.h"
#include "Session.h"
#include "SignInDialog.h"
#include "boards/CustomerRankings.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "domain/Sentences.h"
#include "settings/AppSettings.h"
#include "store/DatabaseThread.h"
#include "store/DirectoryRepository.h"
#include "sync/SyncService.h"
#include "sync/SyncThread.h"

#include <QApplication>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

struct Directory {
    QList<User> memberships;
    QList<Tenant> tenants;
    QString problem;
};

QList<User> membershipsOf(const QString& userId, const QList<User>& memberships) {
    QList<User> mine;
    for (const User& m : memberships)
        if (m.userId == userId)
            mine << m;
    return mine;
}

// The key of a workspace's path in the settings (AppSettings::sessionUser).
QString sessionKey(const QString& workspacePath) {
    const QByteArray id = QCryptographicHash::hash(QFileInfo(workspacePath).absoluteFilePath().toUtf8(),
                                                   QCryptographicHash::Sha1)
                              .toHex()
                              .left(16);
    return QString::fromLatin1(id);
}

} // namespace

GuiLauncher::GuiLauncher(GuiOptions options, AppSettings& settings, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_settings(&settings),
      m_database(std::make_unique<DatabaseThread>(settings)),
      m_background(std::make_unique<DatabaseThread>(settings)) {
    m_options.workspacePath = QFileInfo(m_options.workspacePath).absoluteFilePath();
}

GuiLauncher::~GuiLauncher() {
    stopSync();
    m_window.reset(); // widgets first: they may still hold work queued on the database thread
}

void GuiLauncher::startSync(const QString& url) {
    stopSync();
    m_options.backendUrl = url; // in memory only (a password in it included)
    if (url.isEmpty())
        return;
    m_syncThread = std::make_unique<SyncThread>(*m_settings, m_options.workspacePath, url);
    m_sync = m_syncThread->service();
    if (m_window) {
        connect(m_sync, &SyncService::statusChanged, m_window.get(), &MainWindow::showSyncStatus);
        connect(m_sync, &SyncService::rowsPulled, m_window.get(),
                [this] { m_window->queuePage()->refresh(); });
        connect(m_window->queuePage(), &QueuePage::decisionStored, m_sync, &SyncService::syncNow);
        connect(m_window->logPage(), &ApprovalLogPage::serverVerificationRequested, m_sync,
                &SyncService::verifyServerLog);
        connect(m_sync, &SyncService::serverLogVerified, m_window->logPage(),
                &ApprovalLogPage::showServerVerification);
    }
    m_syncThread->start();
    if (m_window) // after start(): the service has tried its connection before it is asked to verify
        m_window->logPage()->setServerAvailable(true);
}

void GuiLauncher::closeWindow() {
    if (m_window) {
        m_window->hide();
        m_window.release()->deleteLater();
    }
    stopSync();
}

void GuiLauncher::stopSync() {
    if (!m_syncThread)
        return;
    if (m_window)
        m_window->logPage()->setServerAvailable(false);
    m_syncThread.reset(); // stops it: at the next batch boundary, or cut after a second
    m_sync = nullptr;
}

void GuiLauncher::start() {
    // Nothing is created for a mistyped path: without a backend to fill it, the user is asked first.
    const bool exists = QFileInfo::exists(m_options.workspacePath);
    if (!exists && m_options.backendUrl.isEmpty())
        return offerDemo();
    openWorkspace(!exists);
}

void GuiLauncher::openWorkspace(bool create) {
    struct Opened {
        Status status;
        QString writeRefusal;
        QStringList notices;
    };
    auto task = m_database->task([path = m_options.workspacePath, create](Workspace& w) {
        Status s = create ? w.open(path, u"riskdesk-gui"_s) : w.openExisting(path, u"riskdesk-gui"_s);
        Opened opened{s, {}, {}};
        if (s) {
            if (auto refusal = w.writeRefusal())
                opened.writeRefusal = refusal->message;
            opened.notices = w.notices();
        }
        return opened;
    });
    QCoro::connect(std::move(task), this, [this](const Opened& opened) {
        if (!opened.status)
            return failed(opened.status.problem().message);
        m_writeRefusal = opened.writeRefusal;
        m_notices = opened.notices;
        // Opened (and migrated) once; the second connection only reads.
        m_background->open(m_options.workspacePath);
        onOpened();
    });
}

// Reads the whole file on the background connection while the user works; damage found turns decisions off
// in the window and is remembered for later openings (WorkspaceHealthRecord).
void GuiLauncher::checkInBackground() {
    auto task = m_background->task([](Workspace& w) { return w.check(IntegrityDepth::Quick); });
    QCoro::connect(std::move(task), this, [this](const Status& checked) {
        if (checked || checked.problem().code != u"workspace_damaged")
            return;
        const Problem damage = checked.problem();
        m_database->run([damage](Workspace& w) {
            w.markDamaged(damage);
            return 0;
        });
        m_writeRefusal = damage.message;
        if (m_window)
            m_window->refuseWrites(damage.message);
    });
}

// A desktop opened the day after its last board load or sync has no kept rankings for today, the customer
// board's default as-of day: they are derived here once, off the GUI thread and on the background
// connection, so the board reads them instead of every service log (seconds at a million logs). The board
// computes the same answer from the facts meanwhile; a failure here only leaves it doing so.
void GuiLauncher::keepTodaysRankings() {
    if (!m_writeRefusal.isEmpty())
        return;
    auto task = m_background->task([](Workspace& w) {
        auto kept = CustomerRankings::keepTodayWhereMissing(w.db(), QDateTime::currentMSecsSinceEpoch());
        return kept ? QString() : kept.problem().message;
    });
    QCoro::connect(std::move(task), this, [](const QString& problem) {
        if (!problem.isEmpty())
            qWarning("riskdesk: today's customer rankings were not kept: %s", qPrintable(problem));
    });
}

void GuiLauncher::onOpened() {
    auto task = m_database->task([](Workspace& w) {
        DirectoryRepository directory(w.db());
        Directory d;
        auto memberships = directory.allMemberships();
        auto tenants = directory.tenants();
        if (!memberships || !tenants)
            d.problem = memberships ? tenants.problem().message : memberships.problem().message;
        else {
            d.memberships = memberships.value();
            d.tenants = tenants.value();
        }
        return d;
    });
    QCoro::connect(std::move(task), this, [this](const Directory& d) {
        if (!d.problem.isEmpty())
            return failed(d.problem);
        if (!m_options.backendUrl.isEmpty())
            return signInToBackend(d.memberships.isEmpty());
        if (d.memberships.isEmpty())
            return offerDemo();
        signIn(d.memberships, d.tenants);
    });
}

// A fresh desktop with a backend, signed in: everything its login may see comes from the server first, with
// the count so far on screen; then the window opens as the login.
void GuiLauncher::receiveFromServer() {
    auto* progress = new QProgressDialog(tr("Receiving the workspace from the server…"), tr("Cancel"), 0, 0);
    progress->setWindowTitle(tr("First sync"));
    progress->setMinimumDuration(0);
    connect(progress, &QProgressDialog::canceled, qApp, &QApplication::quit);
    startSync(m_options.backendUrl);
    auto done = std::make_shared<bool>(false);
    connect(m_sync, &SyncService::statusChanged, progress, [this, progress, done](const SyncStatus& s) {
        if (*done)
            return;
        if (s.pullProgress >= 0)
            progress->setLabelText(tr("Receiving the workspace from the server… %1 exceptions")
                                       .arg(QLocale().toString(s.pullProgress)));
        else if (!s.online && !s.lastError.isEmpty())
            progress->setLabelText(tr("Cannot reach the server yet; trying again.\n%1").arg(s.lastError));
        if (s.lastSync.isValid()) { // the first pull is in: the directory is there to sign in with
            *done = true;
            progress->disconnect(); // closing a progress dialog reports a cancel
            progress->hide();
            progress->deleteLater();
            launchAsLogin(m_loginIdentity);
        }
    });
    progress->show();
}

void GuiLauncher::offerDemo() {
    const bool exists = QFileInfo::exists(m_options.workspacePath);
    const QString question =
        exists ? tr("The workspace %1 has no users or exceptions yet.\n\nCreate demo data to try Riskdesk?")
                     .arg(m_options.workspacePath)
               : tr("There is no workspace at %1.\n\nCreate a demo workspace there to try Riskdesk?")
                     .arg(m_options.workspacePath);
    if (!m_options.screenshotPath.isEmpty())
        return failed(exists
                          ? tr("The workspace %1 has no users yet. Create a demo with: riskdesk demo "
                               "--workspace %1")
                                .arg(m_options.workspacePath)
                          : tr("There is no workspace at %1. Create one with: riskdesk demo --workspace %1")
                                .arg(m_options.workspacePath));
    const auto answer = QMessageBox::question(nullptr, tr("No workspace yet"), question);
    if (answer != QMessageBox::Yes) {
        quitLater(0); // and nothing was created
        return;
    }
    // The demo is built whole under a temporary name and renamed into place: both connections let go first.
    m_background->run([](Workspace& w) {
        w.close();
        return 0;
    });
    auto task = m_database->task([path = m_options.workspacePath](Workspace& w) {
        w.close();
        return DemoWorkspaceBuilder::buildFile(w.settings(), path, DemoOptions{});
    });
    QCoro::connect(std::move(task), this, [this](const Result<DemoSummary>& built) {
        if (!built)
            return failed(built.problem().message);
        openWorkspace(false);
    });
}

void GuiLauncher::signInToBackend(bool workspaceEmpty) {
    if (m_backendSignIn)
        m_backendSignIn->deleteLater();
    m_backendSignIn = new BackendSignIn(m_options.backendUrl, m_options.screenshotPath.isEmpty(), this);
    BackendSignIn* pending = m_backendSignIn;
    connect(pending, &BackendSignIn::signedIn, this,
            [this, pending, workspaceEmpty](const BackendIdentity& identity, const QString& url) {
                m_options.backendUrl = url; // in memory only, the password in it included
                m_loginIdentity = identity;
                pending->deleteLater();
                if (m_backendSignIn == pending)
                    m_backendSignIn = nullptr;
                if (workspaceEmpty)
                    return receiveFromServer();
                launchAsLogin(identity);
            });
    connect(pending, &BackendSignIn::cancelled, qApp, &QApplication::quit);
    connect(pending, &BackendSignIn::failed, this, &GuiLauncher::failed);
    connect(pending, &BackendSignIn::notice, this, [this](const QString& text) { m_signInNotice = text; });
    pending->start();
}

void GuiLauncher::launchAsLogin(const BackendIdentity& identity) {
    const QString tenant = m_options.tenantId.isEmpty()
                               ? m_settings->sessionTenant(sessionKey(m_options.workspacePath))
                               : m_options.tenantId;
    User chosen = identity.memberships.value(0);
    bool found = false;
    for (const User& m : identity.memberships)
        if (m.tenantId == tenant) {
            chosen = m;
            found = true;
        }
    if (!found && !m_options.tenantId.isEmpty())
        return failed(
            tr("The backend login \"%1\" is not a member of tenant %2.").arg(identity.login, tenant));
    // The login is who works here: naming someone else on the command line is refused, not obeyed.
    if (!m_options.userId.isEmpty() && m_options.userId != chosen.userId)
        return failed(tr("With a backend you work as its login: \"%1\" is %2 here, so --user %3 is refused.")
                          .arg(identity.login, chosen.userId, m_options.userId));
    launch(chosen, identity.memberships, identity.tenants, identity.login);
}

void GuiLauncher::restartSignIn() {
    const QString key = sessionKey(m_options.workspacePath);
    if (m_window && m_options.backendUrl.isEmpty()) {
        // Picking another user from the list: the window waits, hidden, until someone is picked; Cancel
        // brings it back as it was (it quit the program).
        m_window->hide();
        m_switchingFrom = {m_settings->sessionUser(key), m_settings->sessionTenant(key)};
    } else {
        closeWindow();
    }
    m_settings->forgetSession(key);
    m_options.userId.clear();
    m_options.tenantId.clear();
    onOpened();
}

void GuiLauncher::signIn(const QList<User>& memberships, const QList<Tenant>& tenants) {
    const QString key = sessionKey(m_options.workspacePath);
    QString user = m_options.userId.isEmpty() ? m_settings->sessionUser(key) : m_options.userId;
    QString tenant = m_options.tenantId.isEmpty() ? m_settings->sessionTenant(key) : m_options.tenantId;
    if (user.isEmpty() && !m_options.screenshotPath.isEmpty()) {
        // Rendering without a person at the keyboard: show the queue as its first approver sees it.
        for (const User& m : memberships)
            if (m.role == UserRole::Approver) {
                user = m.userId;
                tenant = m.tenantId;
                break;
            }
    }
    if (!user.isEmpty()) {
        for (const User& m : memberships)
            if (m.userId == user && (tenant.isEmpty() || m.tenantId == tenant))
                return launch(m, membershipsOf(m.userId, memberships), tenants);
        if (!m_options.userId.isEmpty()) {
            // Name what is wrong: the tenant, the user, or the user's membership of that tenant.
            QStringList userTenants, allTenants;
            for (const User& m : memberships) {
                if (!allTenants.contains(m.tenantId))
                    allTenants << m.tenantId;
                if (m.userId == user && !userTenants.contains(m.tenantId))
                    userTenants << m.tenantId;
            }
            const QLocale locale;
            if (!tenant.isEmpty() && !allTenants.contains(tenant))
                return failed(
                    tr("There is no tenant \"%1\" in %2 (its tenants: %3).")
                        .arg(tenant, m_options.workspacePath, locale.createSeparatedList(allTenants)));
            if (userTenants.isEmpty())
                return failed(tr("There is no user \"%1\" in %2.").arg(user, m_options.workspacePath));
            return failed(tr("User \"%1\" is not a member of tenant \"%2\" (their tenants: %3).")
                              .arg(user, tenant, locale.createSeparatedList(userTenants)));
        }
    }
    auto* dialog = new SignInDialog(memberships, tenants);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_switchingFrom) // Enter keeps the person switching, not the list's first (helper-90)
        dialog->preselect(m_switchingFrom->first, m_switchingFrom->second);
    connect(dialog, &QDialog::accepted, this, [this, dialog, memberships, tenants] {
        const User picked = dialog->selected();
        m_switchingFrom.reset();
        closeWindow(); // the previous user's, kept while the list was open
        launch(picked, membershipsOf(picked.userId, memberships), tenants);
    });
    connect(dialog, &QDialog::rejected, this, [this] {
        if (!m_switchingFrom || !m_window)
            return QApplication::quit();
        // Nobody else signed in: the same person goes on where they were.
        m_settings->setSession(sessionKey(m_options.workspacePath), m_switchingFrom->first,
                               m_switchingFrom->second);
        m_switchingFrom.reset();
        m_window->show();
        m_window->activateWindow();
    });
    dialog->open();
}

void GuiLauncher::launch(const User& membership, const QList<User>& mine, const QList<Tenant>& tenants,
                         const QString& backendLogin) {
    Session session;
    session.workspacePath = m_options.workspacePath;
    session.tenantId = membership.tenantId;
    session.userId = membership.userId;
    session.displayName = membership.displayName;
    session.role = membership.role;
    session.backendLogin = backendLogin;
    for (const Tenant& t : tenants)
        if (t.tenantId == membership.tenantId)
            session.tenantName = t.name;

    auto remember = [settings = m_settings, key = sessionKey(m_options.workspacePath)](const Session& s) {
        settings->setSession(key, s.userId, s.tenantId);
    };
    remember(session);

    m_window = std::make_unique<MainWindow>(m_database.get(), m_background.get());
    connect(m_window.get(), &MainWindow::sessionChanged, this, remember);
    // Offered only without a backend (MainWindow hides it for a login).
    connect(m_window.get(), &MainWindow::switchUserRequested, this, &GuiLauncher::restartSignIn);
    if (!m_options.screenshotPath.isEmpty()) {
        // The page the window opens on decides when it is ready: the queue, or (finance users) the board.
        connect(m_window.get(), &MainWindow::ready, this, [this] {
            if (m_window && m_window->tabs()->currentWidget() != m_window->boardsPage())
                QTimer::singleShot(400, this, &GuiLauncher::takeScreenshot); // let the last paint settle
        });
        connect(m_window->boardsPage(), &BoardsPage::loadFinished, this, [this] {
            if (m_window && m_window->tabs()->currentWidget() == m_window->boardsPage())
                QTimer::singleShot(400, this, &GuiLauncher::takeScreenshot);
        });
        QTimer::singleShot(30000, this, &GuiLauncher::takeScreenshot); // never hang on a broken workspace
    }
    // Another backend (or none) changes who may work here: the user signs in again, as that backend's login.
    connect(m_window.get(), &MainWindow::backendChanged, this, [this](const QString& url) {
        m_options.backendUrl = url; // in memory only (a password in it included)
        restartSignIn();
    });
    session.writeRefusal = m_writeRefusal;
    m_window->start(session, mine, tenants);
    if (!m_notices.isEmpty() || !m_signInNotice.isEmpty())
        m_window->showNotice(Sentences::join(m_notices + QStringList{m_signInNotice}).trimmed());
    m_signInNotice.clear();
    m_window->show();
    checkInBackground();
    keepTodaysRankings();
    if (!m_options.backendUrl.isEmpty())
        startSync(m_options.backendUrl);
}

void GuiLauncher::takeScreenshot() {
    if (m_screenshotTaken || !m_window)
        return;
    m_screenshotTaken = true;
    const QPixmap shot = m_window->grab();
    QTextStream err(stderr);
    if (!shot.save(m_options.screenshotPath)) {
        err << tr("riskdesk: cannot write the screenshot to %1").arg(m_options.screenshotPath) << Qt::endl;
        QApplication::exit(1);
        return;
    }
    QTextStream(stdout) << m_options.screenshotPath << Qt::endl;
    QApplication::exit(0);
}

void GuiLauncher::failed(const QString& message) {
    QTextStream(stderr) << tr("riskdesk: %1").arg(message) << Qt::endl;
    if (m_options.screenshotPath.isEmpty())
        QMessageBox::critical(nullptr, tr("Riskdesk"), message);
    Q_EMIT launchFailed(message);
    quitLater(1);
}

// Leaving works the same before the event loop has started (start() can end the program at once, e.g. for
// a mistyped path), when QApplication::exit() alone would be ignored and the program would hang.
void GuiLauncher::quitLater(int status) {
    QMetaObject::invokeMethod(
        qApp, [status] { QApplication::exit(status); }, Qt::QueuedConnection);
}

} // namespace riskdesk
