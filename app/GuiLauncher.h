#pragma once

#include "domain/DirectoryTypes.h"
#include "sync/BackendLogin.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <memory>
#include <optional>

namespace riskdesk {

class AppSettings;

class BackendSignIn;
class SyncService;
class SyncThread;

class DatabaseThread;
class MainWindow;
struct Session;

struct GuiOptions {
    QString workspacePath;
    QString userId;         // sign in as this user (skips the sign-in dialog)
    QString tenantId;       // in this tenant
    QString screenshotPath; // render the main window to this file and quit
    QString backendUrl;     // the shared server to sync with; empty: work offline only
};

// The GUI's composition root: opens the workspace on its database thread, signs the user in (remembered in
// the settings), builds the main window, and for --screenshot renders it once the queue is on screen.
class GuiLauncher : public QObject {
    Q_OBJECT
public:
    // settings: the desktop's settings, made once in main; they must outlive the launcher.
    GuiLauncher(GuiOptions options, AppSettings& settings, QObject* parent = nullptr);
    ~GuiLauncher() override;

    void start();
    // The sign-in in progress with the backend, if any (tests drive its dialog).
    BackendSignIn* backendSignIn() const { return m_backendSignIn; }
    MainWindow* window() const { return m_window.get(); }

Q_SIGNALS:
    // The launch ended in a refusal or an error (already printed, or shown in a message box); the program
    // ends with status 1. Tests wait for this instead of for a passing state they might miss.
    void launchFailed(const QString& message);

private:
    void openWorkspace(bool create);
    void checkInBackground();
    // Keeps today's customer rankings on the background connection when no load or sync did (boards).
    void keepTodaysRankings();
    void onOpened();
    void signIn(const QList<User>& memberships, const QList<Tenant>& tenants);
    // With a backend: the user is the backend login, its password checked; there is no list to pick from.
    void signInToBackend(bool workspaceEmpty);
    void launchAsLogin(const BackendIdentity& identity);
    // mine: the memberships the tenant switcher offers (the picked user's, or the login's).
    void launch(const User& membership, const QList<User>& mine, const QList<Tenant>& tenants,
                const QString& backendLogin = {});
    // Signs in afresh (another user from the list, or the backend changed). From the list, the window is
    // closed only once another user is picked.
    void restartSignIn();
    void closeWindow();
    void offerDemo();
    void receiveFromServer();
    void failed(const QString& message);
    static void quitLater(int status);
    void takeScreenshot();
    void startSync(const QString& url);
    void stopSync();

    GuiOptions m_options;
    AppSettings* m_settings;
    std::unique_ptr<DatabaseThread> m_database;   // interactive queries and decisions
    std::unique_ptr<DatabaseThread> m_background; // long reads: chain verification, export
    std::unique_ptr<MainWindow> m_window;
    std::optional<std::pair<QString, QString>> m_switchingFrom; // user and tenant, while the list is open
    bool m_screenshotTaken = false;
    QString m_writeRefusal; // why this workspace takes no decisions (read-only or damaged); empty if it does
    QStringList m_notices;  // what opening it found worth telling (a copy got its own identity)
    // The sync service's own thread: the GUI never waits on the server, and quitting waits 2 s at most.
    std::unique_ptr<SyncThread> m_syncThread;
    SyncService* m_sync = nullptr; // m_syncThread's service
    BackendSignIn* m_backendSignIn = nullptr;
    BackendIdentity m_loginIdentity; // who signed in to the backend (for the first sync's end)
    QString m_signInNotice;          // from the sign-in, shown once in the window
};

} // namespace riskdesk
