#pragma once

#include <QSqlDatabase>
#include <atomic>
#include <mutex>

struct sqlite3;

namespace riskdesk {

// A request that the sync stop, shared by the thread that asks (the GUI's, when the user quits) and the
// sync's own thread, which looks at it between batches and between sets of decisions and then stops cleanly,
// its current local transaction rolled back. When that thread is blocked instead (a server that does not
// answer, a long SQLite step), interrupt() cuts what it waits on: the server connection's socket is shut
// down, so the blocked libpq call returns at once as a lost connection, and the workspace's running statement
// is interrupted. PQcancel is no use for that: in libpq 15 it has no time limit and waits for the server to
// close the cancel connection, which a server that does not answer never does.
class StopRequest {
public:
    StopRequest() = default;
    StopRequest(const StopRequest&) = delete;
    StopRequest& operator=(const StopRequest&) = delete;

    // Any thread.
    void request() { m_requested.store(true); }
    bool requested() const { return m_requested.load(); }
    void interrupt();

    // The sync thread's: what interrupt() may cut, from when it is open until just before it closes.
    void attachSocket(int socket);
    void detachSocket(int socket);
    void attachWorkspace(const QSqlDatabase& db);
    void detachWorkspace();

    // Shuts a connection's socket down for good: a call blocked on it returns at once, and its last close
    // resets the connection (no linger), so the server's session ends at once instead of waiting a minute to
    // deliver what it was sending.
    static void cut(int socket);

private:
    std::atomic_bool m_requested{false};
    std::mutex m_mutex; // guards both handles: never cut one that is being closed
    int m_socket = -1;
    sqlite3* m_workspace = nullptr;
};

} // namespace riskdesk
