#pragma once

#include "Session.h"
#include "domain/DirectoryTypes.h"
#include "sync/SyncStatus.h"

#include <QMainWindow>
#include <functional>

class QAction;
class QComboBox;
class QPushButton;
class QLabel;
class QTabWidget;

namespace riskdesk {

class ApprovalLogPage;
class BoardDrillPanel;
class BoardsPage;
class RuleLibraryPage;
class DatabaseThread;
class QueuePage;

// The main window: who is signed in and in which tenant, the review queue and the approval log.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // database: the interactive connection; background: a second one for long reads (audit verification).
    MainWindow(DatabaseThread* database, DatabaseThread* background, QWidget* parent = nullptr);

    // Shows the session; memberships are the user's tenants (for the tenant switcher).
    void start(const Session& session, const QList<User>& memberships, const QList<Tenant>& tenants);
    const Session& session() const { return m_session; }

    QueuePage* queuePage() const { return m_queue; }
    ApprovalLogPage* logPage() const { return m_log; }
    RuleLibraryPage* rulesPage() const { return m_rules; }
    BoardsPage* boardsPage() const { return m_boards; }
    void showSyncStatus(const SyncStatus& status);
    // From now on no decisions: the workspace was found damaged (or is read-only); the reason is shown.
    void refuseWrites(const QString& reason);
    // Something the user should know about this workspace (e.g. it is a copy with its own identity now).
    void showNotice(const QString& text);
    QLabel* syncLabel() const { return m_outbox; }
    QPushButton* switchUserButton() const { return m_switchUserButton; }
    QAction* switchUserAction() const { return m_switchUserAction; }
    // File → New request… (Ctrl+N): enabled for users whose role files requests, in a writable workspace.
    QAction* newRequestAction() const { return m_newRequestAction; }
    QTabWidget* tabs() const { return m_tabs; }
    // Where the window opens: the geometry saved when it last closed, or a size that fits the screen.
    void placeOnScreen();

Q_SIGNALS:
    void ready();
    void switchUserRequested();
    void sessionChanged(const Session& session);
    // The user set the backend (the full URL, password included; keep it in memory only).
    void backendChanged(const QString& url);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    // Asks first when comments or rejection reasons typed here would be discarded with the session.
    void confirmSwitchUser();
    // Quits, asking first as Switch user does (File > Quit, Ctrl+Q and the window's close button all come
    // here through closeEvent; a logout's SIGTERM closes every window and quits whatever is answered).
    void quitWindow();
    // The question both ask: text names what is lost; a click on the discard button calls discarded.
    void askToDiscardUnsent(const QString& title, const QString& text, const QString& discardText,
                            const QString& discardName, std::function<void()> discarded);
    void switchTenant(int index);
    void refreshCurrentPage();
    void refreshOutboxCount();
    void askForBackend();
    void openNewRequest();
    void updateNewRequestAction();

    DatabaseThread* m_database;
    Session m_session;
    QList<User> m_memberships;
    QList<Tenant> m_tenants;
    QTabWidget* m_tabs;
    SyncStatus m_syncStatus;
    QueuePage* m_queue;
    ApprovalLogPage* m_log;
    RuleLibraryPage* m_rules;
    BoardsPage* m_boards;
    BoardDrillPanel* m_drill;
    QComboBox* m_tenantSwitcher;
    QLabel* m_user;
    QPushButton* m_switchUserButton;
    QAction* m_switchUserAction;
    QAction* m_newRequestAction;
    QLabel* m_outbox;
    QLabel* m_workspace;
    QLabel* m_writeBanner;
    bool m_discardOnClose = false; // the user chose to quit with unsent text
};

} // namespace riskdesk
