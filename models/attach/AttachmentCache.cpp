#include "AttachmentCache.h"

#include "store/SqlProblem.h"
#include "store/WriteTransaction.h"

#include <QSet>
#include <QSqlQuery>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QString doing(const char* what) {
    return QCoreApplication::translate("riskdesk::AttachmentCache", what);
}

Result<qint64> single(const QSqlDatabase& db, const QString& sql, const QString& what) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return sqlProblem(q, what);
    return q.value(0).toLongLong();
}

} // namespace

Result<std::optional<AttachmentContent>> AttachmentCache::read(const QString& url, qint64 nowMs) {
    WriteTransaction tx(m_db); // reading marks it used
    if (!tx.begun())
        return tx.begun().problem();
    const QString what = doing(QT_TRANSLATE_NOOP("riskdesk::AttachmentCache", "Reading a kept attachment"));
    QSqlQuery q(m_db);
    q.prepare(u"SELECT s.sha256, s.file_name, b.mime_type, b.content FROM attachment_sources s "
              "JOIN attachment_blobs b ON b.sha256 = s.sha256 WHERE s.url = ?"_s);
    q.addBindValue(url);
    if (!q.exec())
        return sqlProblem(q, what);
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, what);
        return std::optional<AttachmentContent>();
    }
    AttachmentContent c;
    c.url = QUrl(url);
    c.sha256 = q.value(0).toString().toLatin1();
    c.fileName = q.value(1).toString();
    c.mimeType = q.value(2).toString();
    c.bytes = q.value(3).toByteArray();
    c.fromCache = true;
    QSqlQuery touch(m_db);
    touch.prepare(u"UPDATE attachment_sources SET last_used_at = ? WHERE url = ?"_s);
    touch.addBindValue(nowMs);
    touch.addBindValue(url);
    if (!touch.exec())
        return sqlProblem(touch, what);
    if (const Status done = tx.commit(); !done)
        return done.problem();
    return std::optional<AttachmentContent>(std::move(c));
}

Status AttachmentCache::keep(const QString& url, const AttachmentContent& content, qint64 nowMs,
                             qint64 capBytes) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun();
    if (const Status kept = keepIn(url, content, nowMs); !kept)
        return kept;
    if (const Status evicted = evictIn(capBytes, nullptr); !evicted)
        return evicted;
    return tx.commit();
}

Status AttachmentCache::keepIn(const QString& url, const AttachmentContent& content, qint64 nowMs) {
    const QString what = doing(QT_TRANSLATE_NOOP("riskdesk::AttachmentCache", "Keeping an attachment"));
    QSqlQuery before(m_db);
    before.prepare(u"SELECT sha256 FROM attachment_sources WHERE url = ?"_s);
    before.addBindValue(url);
    if (!before.exec())
        return sqlProblem(before, what);
    const QString previous = before.next() ? before.value(0).toString() : QString();
    if (rowsFailed(before))
        return sqlProblem(before, what);

    QSqlQuery blob(m_db);
    blob.prepare(u"INSERT INTO attachment_blobs (sha256, mime_type, size_bytes, content, stored_at) "
                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING"_s);
    blob.addBindValue(QString::fromLatin1(content.sha256));
    blob.addBindValue(content.mimeType);
    blob.addBindValue(qint64(content.bytes.size()));
    blob.addBindValue(content.bytes);
    blob.addBindValue(nowMs);
    if (!blob.exec())
        return sqlProblem(blob, what);
    QSqlQuery source(m_db);
    source.prepare(u"INSERT INTO attachment_sources (url, sha256, file_name, fetched_at, last_used_at) "
                   "VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET sha256 = excluded.sha256, "
                   "file_name = excluded.file_name, fetched_at = excluded.fetched_at, "
                   "last_used_at = excluded.last_used_at"_s);
    source.addBindValue(url);
    source.addBindValue(QString::fromLatin1(content.sha256));
    source.addBindValue(content.fileName);
    source.addBindValue(nowMs);
    source.addBindValue(nowMs);
    if (!source.exec())
        return sqlProblem(source, what);
    if (!previous.isEmpty() && previous != QString::fromLatin1(content.sha256))
        if (const Status dropped = dropOrphanBlob(previous); !dropped)
            return dropped;
    return success();
}

Result<qint64> AttachmentCache::evictBeyond(qint64 capBytes) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();
    qint64 freed = 0;
    if (const Status evicted = evictIn(capBytes, &freed); !evicted)
        return evicted.problem();
    if (const Status done = tx.commit(); !done)
        return done.problem();
    return freed;
}

Status AttachmentCache::dropOrphanBlob(const QString& sha256) {
    QSqlQuery q(m_db);
    q.prepare(u"DELETE FROM attachment_blobs WHERE sha256 = ? AND NOT EXISTS "
              "(SELECT 1 FROM attachment_sources WHERE sha256 = ?)"_s);
    q.addBindValue(sha256);
    q.addBindValue(sha256);
    if (!q.exec())
        return sqlProblem(q, doing(QT_TRANSLATE_NOOP("riskdesk::AttachmentCache", "Removing an attachment")));
    return success();
}

Status AttachmentCache::evictIn(qint64 capBytes, qint64* freed) {
    const QString what =
        doing(QT_TRANSLATE_NOOP("riskdesk::AttachmentCache", "Making room in the attachment cache"));
    const Result<qint64> stored = storedBytes();
    if (!stored)
        return stored.problem();
    qint64 total = stored.value();
    if (total <= capBytes)
        return success();
    // What pending exceptions name stays, whatever its age: the approver will need it (every file of a
    // request, migration 030). So does what was filed with a request here: no server or address may have
    // another copy of it.
    QSet<QString> spared;
    QSqlQuery pending(m_db);
    if (!pending.exec(u"SELECT DISTINCT s.sha256 FROM attachment_sources s WHERE EXISTS (SELECT 1 FROM "
                      "exceptions e WHERE e.attachment_url = s.url AND e.status = 'pending') "
                      "UNION SELECT sha256 FROM exception_attachments WHERE filed_here = 1 "
                      "UNION SELECT a.sha256 FROM exception_attachments a JOIN exceptions e ON e.tenant_id = "
                      "a.tenant_id AND e.record_id = a.record_id WHERE e.status = 'pending'"_s))
        return sqlProblem(pending, what);
    while (pending.next())
        spared.insert(pending.value(0).toString());
    if (rowsFailed(pending))
        return sqlProblem(pending, what);

    QSqlQuery oldest(m_db);
    if (!oldest.exec(u"SELECT b.sha256, b.size_bytes FROM attachment_blobs b LEFT JOIN attachment_sources s "
                     "ON s.sha256 = b.sha256 GROUP BY b.sha256 ORDER BY coalesce(max(s.last_used_at), 0), "
                     "b.sha256"_s))
        return sqlProblem(oldest, what);
    QStringList victims;
    while (total > capBytes && oldest.next()) {
        const QString sha = oldest.value(0).toString();
        if (spared.contains(sha))
            continue;
        victims << sha;
        total -= oldest.value(1).toLongLong();
        if (freed)
            *freed += oldest.value(1).toLongLong();
    }
    if (rowsFailed(oldest))
        return sqlProblem(oldest, what);
    oldest.finish();
    for (const QString& sha : victims) {
        for (const QString& sql : {u"DELETE FROM attachment_sources WHERE sha256 = ?"_s,
                                   u"DELETE FROM attachment_blobs WHERE sha256 = ?"_s}) {
            QSqlQuery drop(m_db);
            drop.prepare(sql);
            drop.addBindValue(sha);
            if (!drop.exec())
                return sqlProblem(drop, what);
        }
    }
    return success();
}

Result<qint64> AttachmentCache::storedBytes() const {
    return single(m_db, u"SELECT coalesce(sum(size_bytes), 0) FROM attachment_blobs"_s,
                  doing(QT_TRANSLATE_NOOP("riskdesk::AttachmentCache", "Measuring the attachment cache")));
}

Result<qint64> AttachmentCache::blobCount() const {
    return single(m_db, u"SELECT count(*) FROM attachment_blobs"_s,
                  doing(QT_TRANSLATE_NOOP("riskdesk::AttachmentCache", "Measuring the attachment cache")));
}

} // namespace riskdesk
