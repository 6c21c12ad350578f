#include "AttachmentService.h"

#include "AttachmentCache.h"
#include "AttachmentFetcher.h"
#include "settings/AppSettings.h"
#include "store/DatabaseThread.h"

#include <QCoro/QCoroFuture>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// Free coroutine, arguments by value: the service may be gone when the network or the database answers.
QCoro::Task<AttachmentResult> loadAttachment(QPointer<DatabaseThread> database,
                                             QPointer<QNetworkAccessManager> network, QString url,
                                             AttachmentFetchLimits limits, qint64 cacheCap,
                                             QPointer<AttachmentFetchControl> control, bool refetch) {
    // Every awaited future is a named local: GCC 12 mishandles a lambda with captures that is a temporary of
    // a co_await expression (its captures were destroyed twice).
    if (database && !refetch) {
        QFuture<Result<std::optional<AttachmentContent>>> reading = database->run([url](Workspace& ws) {
            return AttachmentCache(ws.db()).read(url, QDateTime::currentMSecsSinceEpoch());
        });
        const Result<std::optional<AttachmentContent>> cached = co_await reading;
        if (cached && cached.value()) {
            AttachmentResult r;
            r.content = *cached.value();
            co_return r;
        }
    }
    QCoro::Task<AttachmentResult> fetching = AttachmentFetcher::fetch(network, QUrl(url), limits, control);
    AttachmentResult fetched = co_await std::move(fetching);
    if (!fetched.ok() || !database)
        co_return fetched;
    // A failure to keep it is not the viewer's problem: it is shown all the same, only not available offline.
    QFuture<Status> keeping = database->run([url, content = fetched.content, cacheCap](Workspace& ws) {
        return AttachmentCache(ws.db()).keep(url, content, QDateTime::currentMSecsSinceEpoch(), cacheCap);
    });
    co_await keeping;
    co_return fetched;
}

} // namespace

AttachmentService::AttachmentService(DatabaseThread* database, const AppSettings& settings, QObject* parent)
    : QObject(parent), m_database(database), m_network(new QNetworkAccessManager(this)),
      m_limits(limitsFromSettings(settings)), m_cacheCap(settings.attachmentCacheBytes()) {
    AttachmentFetcher::useSystemProxy();
}

AttachmentService::~AttachmentService() {
    for (QNetworkReply* reply : m_network->findChildren<QNetworkReply*>())
        reply->abort();
}

AttachmentFetchLimits AttachmentService::limitsFromSettings(const AppSettings& settings) {
    AttachmentFetchLimits limits;
    limits.maxBytes = settings.attachmentMaxBytes();
    return limits;
}

QCoro::Task<AttachmentResult> AttachmentService::load(QString url, QPointer<AttachmentFetchControl> control,
                                                      bool refetch) {
    return loadAttachment(m_database, m_network, std::move(url), m_limits, m_cacheCap, std::move(control),
                          refetch);
}

void AttachmentService::prefetch(const QStringList& urls) {
    m_prefetchQueue.clear();
    for (const QString& url : urls)
        if (!url.isEmpty() && !m_prefetchQueue.contains(url))
            m_prefetchQueue.enqueue(url);
    startPrefetches();
}

void AttachmentService::startPrefetches() {
    while (m_prefetching < kPrefetchConcurrency && !m_prefetchQueue.isEmpty()) {
        ++m_prefetching;
        // A cache hit costs one read; a miss fetches and keeps. Failures are left for the viewer to report.
        QCoro::connect(load(m_prefetchQueue.dequeue(), nullptr), this, [this](const AttachmentResult&) {
            --m_prefetching;
            startPrefetches();
            if (m_prefetching == 0 && m_prefetchQueue.isEmpty())
                Q_EMIT prefetchIdle();
        });
    }
}

} // namespace riskdesk
