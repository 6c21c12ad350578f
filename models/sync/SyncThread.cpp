#include "SyncThread.h"

#include "StopRequest.h"
#include "SyncService.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

SyncThread::SyncThread(AppSettings& settings, const QString& workspacePath, const QString& url)
    : m_service(new SyncService(settings, workspacePath, url)), m_stop(m_service->stopRequest()) {
    m_thread.setObjectName(u"sync"_s);
    m_service->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_service, &QObject::deleteLater);
}

SyncThread::~SyncThread() {
    stop();
    if (!m_thread.isFinished()) // never started: the service was not handed to a running thread
        delete m_service;
}

void SyncThread::start() {
    m_thread.start();
    QMetaObject::invokeMethod(m_service, &SyncService::start, Qt::QueuedConnection);
}

qint64 SyncThread::stop() {
    if (!m_thread.isRunning())
        return 0;
    QElapsedTimer elapsed;
    elapsed.start();
    m_stop->request();
    // Queued behind the round under way, which ends at its next batch boundary now.
    QMetaObject::invokeMethod(
        m_service,
        [service = m_service] {
            service->stop();
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    if (!m_thread.wait(QDeadlineTimer(kPoliteStopMs))) {
        // Blocked, not between batches: cut what it waits on; the blocked call returns as a failure.
        m_stop->interrupt();
        if (!m_thread.wait(QDeadlineTimer(kStopBoundMs - kPoliteStopMs))) {
            // Every wait of the sync is cut by now; a thread left running at exit would be worse than a late
            // quit, so it is waited for, and said.
            qWarning("riskdesk: the sync thread did not stop within %d ms; waiting for it", kStopBoundMs);
            m_thread.wait();
        }
    }
    return elapsed.elapsed();
}

} // namespace riskdesk
