#pragma once

#include "PgConnection.h"
#include "ServerLogCheck.h"
#include "SyncStatus.h"

#include <QObject>
#include <QTimer>
#include <memory>

class QSocketNotifier;

namespace riskdesk {

class AppSettings;
class StopRequest;
class Workspace;

// Keeps a workspace in sync with the backend from a thread of its own, with its own workspace connection and
// its own server connection: the GUI thread never waits on either. Woken by the server's notifications, by
// syncNow() (after a local decision) and every 30 s; after a lost connection it reconnects with backoff,
// listens again and pulls to catch up. After a first pull it builds the workspace's indexes and search index
// (DeferredIndexBuild) a step per turn of its event loop, so a notification waits one step at most. Reports
// through statusChanged().
class SyncService : public QObject {
    Q_OBJECT
public:
    // settings must outlive the service.
    SyncService(AppSettings& settings, QString workspacePath, QString url);
    ~SyncService() override;

    // Any thread: asking it to stop (request()) makes the round under way end at its next batch boundary
    // and no new one begin; interrupt() also cuts the connection or statement it is blocked on. SyncThread
    // uses both when the application quits.
    // Shared: it outlives the service for a stopper that still holds it.
    std::shared_ptr<StopRequest> stopRequest() const { return m_stop; }

    // Call through the thread's event loop (QMetaObject::invokeMethod, queued).
    Q_INVOKABLE void start();
    Q_INVOKABLE void syncNow();
    Q_INVOKABLE void stop();
    // Verifies the server's approval log of the tenant on this thread's connection; answers with
    // serverLogVerified. Offline, it answers so at once and again once the connection is back.
    Q_INVOKABLE void verifyServerLog(const QString& tenantId);

Q_SIGNALS:
    void statusChanged(const riskdesk::SyncStatus& status);
    void rowsPulled(qint64 rows); // the queue may show something new
    void serverLogVerified(const riskdesk::ServerLogCheck& check);

private:
    void connectToServer();
    void runSync();
    void lostConnection(const QString& why);
    void buildIndexes(); // one step, then again on the next turn until done
    void publish();

    AppSettings* m_settings;
    QString m_path;
    QString m_url;
    std::unique_ptr<Workspace> m_workspace;
    std::unique_ptr<PgConnection> m_server;
    QSocketNotifier* m_notifier = nullptr;
    QTimer* m_retry = nullptr;
    QTimer* m_periodic = nullptr;
    int m_backoffMs = 500;
    bool m_syncing = false;
    bool m_building = false;      // a step of the index build is scheduled
    QString m_logCheckWhenOnline; // a tenant whose server log was asked for while offline
    SyncStatus m_status;
    std::shared_ptr<StopRequest> m_stop;
};

} // namespace riskdesk
