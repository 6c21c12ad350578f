#pragma once

#include "AttachmentFetchControl.h"
#include "AttachmentTypes.h"

#include <QCoro/QCoroTask>
#include <QObject>
#include <QPointer>
#include <QQueue>

class QNetworkAccessManager;

namespace riskdesk {

class AppSettings;
class DatabaseThread;

// Where the viewer gets an attachment: the workspace's cache first (so what was seen once opens offline),
// otherwise the network, and what was fetched is kept. Lives in the GUI thread; the cache is read and written
// on the database thread and the network is asynchronous, so nothing here blocks.
class AttachmentService : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kDefaultCacheBytes = 512LL * 1024 * 1024;
    static constexpr int kPrefetchConcurrency = 3;

    // The limits come from settings ("attachments/maxMegabytes", default 50, and
    // "attachments/cacheMegabytes", 512).
    AttachmentService(DatabaseThread* database, const AppSettings& settings, QObject* parent = nullptr);
    // Aborts what is still being fetched, so each waiting fetch ends (as cancelled) instead of waiting
    // forever on a reply that is gone.
    ~AttachmentService() override;

    static AttachmentFetchLimits limitsFromSettings(const AppSettings& settings);

    void setLimits(const AttachmentFetchLimits& limits) { m_limits = limits; }
    const AttachmentFetchLimits& limits() const { return m_limits; }
    void setCacheCapBytes(qint64 bytes) { m_cacheCap = bytes; }
    QNetworkAccessManager* network() const { return m_network; }

    // The attachment an exception names (its attachment_url, exactly): from the cache, or fetched and kept.
    // refetch skips the cache (a retry after the content changed). control may be null.
    QCoro::Task<AttachmentResult> load(QString url, QPointer<AttachmentFetchControl> control,
                                       bool refetch = false);

    // Fetches into the cache, in the background, what is not there yet: at most kPrefetchConcurrency at a
    // time, the rest queued (a new list replaces what is still queued).
    void prefetch(const QStringList& urls);
    int prefetchesRunning() const { return m_prefetching; }

Q_SIGNALS:
    void prefetchIdle(); // the prefetch queue ran dry

private:
    void startPrefetches();

    QPointer<DatabaseThread> m_database;
    QNetworkAccessManager* m_network;
    AttachmentFetchLimits m_limits;
    qint64 m_cacheCap = kDefaultCacheBytes;
    QQueue<QString> m_prefetchQueue;
    int m_prefetching = 0;
};

} // namespace riskdesk
