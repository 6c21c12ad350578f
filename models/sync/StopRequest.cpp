#include "StopRequest.h"

#include <QSqlDriver>
#include <QVariant>
#include <sqlite3.h>
#include <sys/socket.h>

namespace riskdesk {

void StopRequest::interrupt() {
    request();
    std::lock_guard lock(m_mutex);
    // Shut down, not closed: the descriptor stays libpq's until its own thread finishes the connection, so it
    // cannot be reused for another file in between.
    cut(m_socket);
    if (m_workspace)
        sqlite3_interrupt(m_workspace);
}

void StopRequest::attachSocket(int socket) {
    std::lock_guard lock(m_mutex);
    m_socket = socket;
    if (m_requested.load())
        cut(socket); // asked to stop while connecting: nothing more is read from it
}

void StopRequest::detachSocket(int socket) {
    std::lock_guard lock(m_mutex);
    if (m_socket == socket)
        m_socket = -1;
}

void StopRequest::attachWorkspace(const QSqlDatabase& db) {
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    std::lock_guard lock(m_mutex);
    if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
        m_workspace = *static_cast<sqlite3* const*>(handle.data());
}

void StopRequest::cut(int socket) {
    if (socket < 0)
        return;
    const linger reset{1, 0};
    ::setsockopt(socket, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::shutdown(socket, SHUT_RDWR);
}

void StopRequest::detachWorkspace() {
    std::lock_guard lock(m_mutex);
    m_workspace = nullptr;
}

} // namespace riskdesk
