#pragma once

#include <QString>
#include <QThread>
#include <memory>

namespace riskdesk {

class AppSettings;
class StopRequest;
class SyncService;

// The sync service on a thread of its own, started and stopped from the thread that owns this object (the
// GUI's). Stopping never waits on the network or a first pull for long: the service is asked to stop and does
// so at its next batch boundary (a first pull rolls back whole); if it has not after kPoliteStopMs (blocked
// on a server that does not answer, or on a long SQLite step), its connection and statement are cut, and it
// ends well within kStopBoundMs. The thread always ends before stop() returns: none is left running at exit.
class SyncThread {
public:
    static constexpr int kPoliteStopMs = 1000;
    static constexpr int kStopBoundMs = 2000;

    // settings must outlive the thread.
    SyncThread(AppSettings& settings, const QString& workspacePath, const QString& url);
    ~SyncThread(); // stops
    SyncThread(const SyncThread&) = delete;
    SyncThread& operator=(const SyncThread&) = delete;

    // Lives on the sync thread until stop(): connect to its signals, call its slots queued.
    SyncService* service() const { return m_service; }
    void start();
    // Returns how long stopping took, in milliseconds (0 when it was not running).
    qint64 stop();

private:
    QThread m_thread;
    SyncService* m_service = nullptr;    // deleted on its thread when the thread finishes
    std::shared_ptr<StopRequest> m_stop; // the service's, held here too: it may be gone while this cuts
};

} // namespace riskdesk
