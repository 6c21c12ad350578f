#pragma once

#include "AttachmentTypes.h"
#include "domain/Result.h"

#include <QSqlDatabase>
#include <optional>

namespace riskdesk {

// Attachments kept in the workspace (SQLite migration 020), by SHA-256 of their bytes: the same bytes are
// stored once whatever address served them. Runs on the database thread.
class AttachmentCache {
public:
    explicit AttachmentCache(QSqlDatabase db) : m_db(std::move(db)) {}

    // The bytes an address served last, marked as used now; nothing when it was never fetched.
    Result<std::optional<AttachmentContent>> read(const QString& url, qint64 nowMs);
    // Keeps fetched content under its address (the exception's text, as read() is asked) (replacing what the
    // address served before), then evicts the least recently used attachments while the cache is over
    // capBytes.
    Status keep(const QString& url, const AttachmentContent& content, qint64 nowMs, qint64 capBytes);
    // The same inside the caller's write transaction, without making room: a request's attachments are
    // written with the request, and evicting would not free them (they are never evicted).
    Status keepIn(const QString& url, const AttachmentContent& content, qint64 nowMs);
    // Removes the least recently used attachments until the cache holds at most capBytes. An attachment a
    // pending exception names (its attachment_url or any file of its request), or one filed with a request
    // here (exception_attachments.filed_here: it may have no other copy), is never removed, even if the cache
    // stays over the cap because of it.
    Result<qint64> evictBeyond(qint64 capBytes);
    Result<qint64> storedBytes() const;
    Result<qint64> blobCount() const;

private:
    Status evictIn(qint64 capBytes, qint64* freed);
    Status dropOrphanBlob(const QString& sha256);

    QSqlDatabase m_db;
};

} // namespace riskdesk
