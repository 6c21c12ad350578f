#include "DatabaseThread.h"

#include <atomic>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
QString nextConnectionName() {
    static std::atomic<int> counter{0};
    return u"riskdesk-db-thread-%1"_s.arg(counter++);
}
} // namespace

DatabaseThread::DatabaseThread(QObject* parent)
    : QObject(parent), m_context(new QObject), m_workspace(std::make_unique<Workspace>()) {
    m_thread.setObjectName(u"riskdesk-database"_s);
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
}

DatabaseThread::~DatabaseThread() {
    // The connection must be closed in the thread that opened it; everything queued before runs first.
    QMetaObject::invokeMethod(
        m_context, [workspace = m_workspace.get()] { workspace->close(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

QFuture<Status> DatabaseThread::open(const QString& path) {
    const QString name = nextConnectionName();
    return run([path, name](Workspace& workspace) { return workspace.openExisting(path, name); });
}

} // namespace riskdesk
