#include "DatabaseThread.h"

#include <QDeadlineTimer>
#include <QSqlDriver>
#include <QVariant>
#include <atomic>
#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
QString nextConnectionName() {
    static std::atomic<int> counter{0};
    return u"riskdesk-db-thread-%1"_s.arg(counter++);
}
} // namespace

DatabaseThread::DatabaseThread(AppSettings& settings, QObject* parent)
    : QObject(parent), m_context(new QObject), m_settings(&settings),
      m_workspace(std::make_unique<Workspace>(settings)) {
    m_thread.setObjectName(u"riskdesk-database"_s);
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
}

DatabaseThread::~DatabaseThread() {
    // The connection must be closed in the thread that opened it; everything queued before runs first.
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            {
                std::lock_guard lock(m_handleMutex);
                m_handle = nullptr;
            }
            m_workspace->close();
            m_thread.quit();
        },
        Qt::QueuedConnection);
    if (m_thread.wait(QDeadlineTimer(kPoliteStopMs)))
        return;
    // Still busy: each statement from now on is interrupted (the job under way, then each one queued behind
    // it, fails at its next query), until the close has run. Interrupting is retried because one that lands
    // between two statements stops nothing.
    do
        interrupt();
    while (!m_thread.wait(QDeadlineTimer(20)));
}

void DatabaseThread::noteHandle() {
    QSqlDatabase db = m_workspace->isOpen() ? m_workspace->db() : QSqlDatabase();
    const QVariant handle = db.isValid() && db.driver() ? db.driver()->handle() : QVariant();
    std::lock_guard lock(m_handleMutex);
    m_handle = handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0
                   ? *static_cast<sqlite3* const*>(handle.data())
                   : nullptr;
}

void DatabaseThread::interrupt() {
    std::lock_guard lock(m_handleMutex);
    if (m_handle)
        sqlite3_interrupt(m_handle);
}

QFuture<Status> DatabaseThread::open(const QString& path) {
    const QString name = nextConnectionName();
    return run([path, name](Workspace& workspace) { return workspace.openExisting(path, name); });
}

} // namespace riskdesk
