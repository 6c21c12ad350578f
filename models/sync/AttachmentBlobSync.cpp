#include "AttachmentBlobSync.h"

#include "attach/AttachmentCache.h"
#include "store/SqlProblem.h"
#include "store/WriteTransaction.h"

#include <QCryptographicHash>
#include <QHash>
#include <QSet>
#include <QSqlQuery>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr QLatin1StringView kScheme{"riskdesk-attachment:"};

bool isSha256Hex(const QString& s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](QChar c) {
               return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
           });
}

} // namespace

Result<bool> AttachmentBlobSync::serverKeepsThem() {
    auto present = m_server.exec(u"SELECT to_regclass('riskdesk.attachment_blobs') IS NOT NULL"_s);
    if (!present)
        return present.problem();
    return present.value().rows() == 1 && present.value().text(0, 0) == u"t";
}

Status AttachmentBlobSync::uploadWaiting(AttachmentBlobSyncReport& report, SyncLogin& login) {
    const QString what = tr("Reading the attachments of the requests to push");
    // Each tenant's files of the requests still waiting in the outbox.
    QSqlQuery waiting(m_db);
    waiting.setForwardOnly(true);
    if (!waiting.exec(
            u"SELECT a.tenant_id, a.sha256, min(b.mime_type), min(a.file_name), "
            "json_extract(o.payload, '$.actor_id') FROM outbox o "
            "JOIN exception_attachments a ON a.tenant_id = o.tenant_id AND a.record_id = o.record_id "
            "JOIN attachment_blobs b ON b.sha256 = a.sha256 "
            "WHERE o.state = 'waiting' AND o.kind = 'create' GROUP BY a.tenant_id, a.sha256, 5 "
            "ORDER BY min(o.outbox_id), a.tenant_id, a.sha256"_s))
        return sqlProblem(waiting, what);
    QList<Wanted> wanted;
    while (waiting.next()) {
        const QString tenant = waiting.value(0).toString(), sha256 = waiting.value(1).toString();
        const QString userHere = login.userIn(tenant);
        const bool taken = std::any_of(wanted.cbegin(), wanted.cend(), [&](const Wanted& w) {
            return w.tenant == tenant && w.sha256 == sha256;
        });
        if (userHere.isEmpty() || waiting.value(4).toString() != userHere || taken)
            continue;
        wanted.append({tenant, sha256, waiting.value(2).toString(), waiting.value(3).toString()});
    }
    if (rowsFailed(waiting))
        return sqlProblem(waiting, what);

    // The tenants whose quota refused a file of this login, with the refusal: none more is sent there.
    QHash<QString, QString> quotaFull;
    QList<Wanted> notSent;
    for (const Wanted& w : std::as_const(wanted)) {
        auto there =
            m_server.exec(u"SELECT 1 FROM riskdesk.attachment_blobs WHERE tenant_id = $1 AND sha256 = $2"_s,
                          {w.tenant, w.sha256});
        if (!there)
            return there.problem();
        if (there.value().rows() > 0)
            continue;
        if (quotaFull.contains(w.tenant)) {
            notSent << w;
            continue;
        }
        QSqlQuery content(m_db);
        content.prepare(u"SELECT content FROM attachment_blobs WHERE sha256 = ?"_s);
        content.addBindValue(w.sha256);
        if (!content.exec())
            return sqlProblem(content, what);
        if (!content.next())
            return rowsFailed(content)
                       ? sqlProblem(content, what)
                       : Status(Problem{u"workspace_damaged"_s,
                                        tr("The attachment %1 of a request to push is missing "
                                           "from this workspace.")
                                            .arg(w.sha256),
                                        {}});
        const QByteArray bytes = content.value(0).toByteArray();
        if (QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex() != w.sha256.toLatin1())
            return Problem{
                u"workspace_damaged"_s,
                tr("The attachment %1 kept in this workspace does not match its hash.").arg(w.sha256),
                {}};
        auto stored =
            m_server.exec(u"SELECT riskdesk.put_attachment($1, $2, $3, $4)"_s,
                          {w.tenant, QString::fromLatin1(bytes.toBase64()), w.mimeType, w.fileName});
        if (!stored &&
            m_server.sqlState() == u"53400") { // the quota: this file and the tenant's next ones wait
            quotaFull.insert(w.tenant, stored.problem().message);
            notSent << w;
            continue;
        }
        if (!stored)
            return stored.problem();
        if (stored.value().text(0, 0) != w.sha256)
            return Problem{u"server_error"_s,
                           tr("The server stored the attachment %1 under another hash.").arg(w.sha256),
                           {}};
        ++report.uploaded;
    }
    if (!notSent.isEmpty())
        return holdRequestsOf(notSent, quotaFull, login);
    return success();
}

Status AttachmentBlobSync::holdRequestsOf(const QList<Wanted>& notSent,
                                          const QHash<QString, QString>& serverSays, SyncLogin& login) {
    QSet<QString> files;
    for (const Wanted& w : notSent)
        files.insert(w.tenant + QChar(0x1f) + w.sha256);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT DISTINCT a.tenant_id, a.record_id, a.sha256, json_extract(o.payload, '$.actor_id') "
                "FROM outbox o "
                "JOIN exception_attachments a ON a.tenant_id = o.tenant_id AND a.record_id = o.record_id "
                "WHERE o.state = 'waiting' AND o.kind = 'create'"_s))
        return sqlProblem(q, tr("Reading the attachments of the requests to push"));
    QSet<QString> held;
    while (q.next()) {
        const QString tenant = q.value(0).toString(), record = q.value(1).toString();
        const QString key = tenant + QChar(0x1f) + record;
        // Another person's request waits for their login anyway, and says so (SyncLogin::whyWaiting).
        if (!files.contains(tenant + QChar(0x1f) + q.value(2).toString()) || held.contains(key) ||
            q.value(3).toString() != login.userIn(tenant))
            continue;
        held.insert(key);
        login.hold(tenant, record,
                   tr("%1: waits; the server takes no more of its files for now (%2). Requests sent "
                      "meanwhile make room, and the next sync tries again.")
                       .arg(record, serverSays.value(tenant)));
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the attachments of the requests to push"));
    return success();
}

Status AttachmentBlobSync::pullFileLists(AttachmentBlobSyncReport& report) {
    auto present = m_server.exec(u"SELECT to_regclass('riskdesk.exception_attachments') IS NOT NULL"_s);
    if (!present)
        return present.problem();
    if (present.value().rows() != 1 || present.value().text(0, 0) != u"t")
        return success(); // a server from before migration 012 keeps the first file only
    const QString what = tr("Reading the requests whose files this workspace has not listed");
    // Requests filed elsewhere name their first file; their list is not here yet. (One filed before the
    // server kept lists has none there: it is asked again, within the round's bound.)
    QSqlQuery unlisted(m_db);
    unlisted.setForwardOnly(true);
    unlisted.prepare(
        u"SELECT e.tenant_id, e.record_id FROM exceptions e "
        "WHERE e.attachment_url >= 'riskdesk-attachment:' AND e.attachment_url < 'riskdesk-attachment;' "
        "AND NOT EXISTS (SELECT 1 FROM exception_attachments a WHERE a.tenant_id = e.tenant_id "
        "AND a.record_id = e.record_id) ORDER BY e.status = 'pending' DESC, e.tenant_id, e.record_id "
        "LIMIT ?"_s);
    unlisted.addBindValue(kFileListsPerRound);
    if (!unlisted.exec())
        return sqlProblem(unlisted, what);
    QStringList tenants;
    QHash<QString, QStringList> records;
    while (unlisted.next()) {
        const QString tenant = unlisted.value(0).toString();
        if (!records.contains(tenant))
            tenants << tenant;
        records[tenant] << unlisted.value(1).toString();
    }
    if (rowsFailed(unlisted))
        return sqlProblem(unlisted, what);
    unlisted.finish();

    for (const QString& tenant : std::as_const(tenants)) {
        // Record ids are exc- and hex digits (the workspace validates them): a comma separates them safely.
        auto lists = m_server.exec(
            u"SELECT record_id, position, sha256, file_name, mime_type, size_bytes "
            "FROM riskdesk.exception_attachments WHERE tenant_id = $1 "
            "AND record_id = ANY (pg_catalog.string_to_array($2, ',')) ORDER BY record_id, position"_s,
            {tenant, records.value(tenant).join(u',')});
        if (!lists)
            return lists.problem();
        const PgResult& rows = lists.value();
        if (rows.rows() == 0)
            continue;
        WriteTransaction tx(m_db);
        if (!tx.begun())
            return tx.begun();
        QSqlQuery insert(m_db);
        if (!insert.prepare(u"INSERT OR IGNORE INTO exception_attachments (tenant_id, record_id, position, "
                            "sha256, file_name, mime_type, size_bytes, filed_here) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, 0)"_s))
            return sqlProblem(insert, what);
        QString previous;
        for (int r = 0; r < rows.rows(); ++r) {
            const QString sha256 = rows.text(r, 2);
            if (!isSha256Hex(sha256))
                return Problem{u"server_error"_s,
                               tr("The server names a file of %1 by a malformed hash.").arg(rows.text(r, 0)),
                               {}};
            insert.bindValue(0, tenant);
            insert.bindValue(1, rows.text(r, 0));
            insert.bindValue(2, rows.integer(r, 1));
            insert.bindValue(3, sha256);
            insert.bindValue(4, rows.text(r, 3));
            insert.bindValue(5, rows.text(r, 4));
            insert.bindValue(6, rows.integer(r, 5));
            if (!insert.exec())
                return sqlProblem(insert, what);
            if (rows.text(r, 0) != previous)
                ++report.fileLists;
            previous = rows.text(r, 0);
        }
        if (Status c = tx.commit(); !c)
            return c;
    }
    return success();
}

Status AttachmentBlobSync::downloadMissing(AttachmentBlobSyncReport& report, qint64 nowMs) {
    const QString what = tr("Reading the attachments this workspace lacks");
    // The addresses the exceptions name and the cache lacks (the index on attachment_url serves the range),
    // and every other file of their requests the server listed (pullFileLists).
    QSqlQuery missing(m_db);
    missing.setForwardOnly(true);
    missing.prepare(
        u"SELECT tenant_id, url, max(pending) AS pending FROM ("
        "SELECT e.tenant_id, e.attachment_url AS url, e.status = 'pending' AS pending FROM exceptions e "
        "WHERE e.attachment_url >= 'riskdesk-attachment:' AND e.attachment_url < 'riskdesk-attachment;' "
        "AND NOT EXISTS (SELECT 1 FROM attachment_sources s WHERE s.url = e.attachment_url) "
        "UNION ALL SELECT a.tenant_id, 'riskdesk-attachment:' || a.sha256, e.status = 'pending' "
        "FROM exception_attachments a JOIN exceptions e ON e.tenant_id = a.tenant_id "
        "AND e.record_id = a.record_id WHERE a.filed_here = 0 AND NOT EXISTS (SELECT 1 FROM "
        "attachment_sources s WHERE s.url = 'riskdesk-attachment:' || a.sha256)) "
        "GROUP BY tenant_id, url ORDER BY pending DESC, url LIMIT ?"_s);
    missing.addBindValue(kDownloadsPerRound);
    if (!missing.exec())
        return sqlProblem(missing, what);
    QList<std::pair<QString, QString>> wanted; // tenant, address
    while (missing.next())
        wanted.append({missing.value(0).toString(), missing.value(1).toString()});
    if (rowsFailed(missing))
        return sqlProblem(missing, what);

    qint64 budget = kDownloadBudgetBytes;
    for (const auto& [tenant, url] : std::as_const(wanted)) {
        const QString sha256 = url.mid(kScheme.size());
        auto blob = m_server.exec(u"SELECT mime_type, file_name, encode(content, 'base64') FROM "
                                  "riskdesk.attachment_blobs "
                                  "WHERE tenant_id = $1 AND sha256 = $2"_s,
                                  {tenant, sha256});
        if (!blob)
            return blob.problem();
        if (blob.value().rows() == 0) {
            ++report.notOnServer;
            continue;
        }
        AttachmentContent content;
        content.url = QUrl(url);
        content.mimeType = blob.value().text(0, 0);
        content.fileName = blob.value().text(0, 1);
        content.bytes = QByteArray::fromBase64(blob.value().text(0, 2).toLatin1());
        content.sha256 = QCryptographicHash::hash(content.bytes, QCryptographicHash::Sha256).toHex();
        // The server checks the hash as it stores; a copy that does not match was damaged on the way.
        if (content.sha256 != sha256.toLatin1())
            return Problem{u"server_error"_s,
                           tr("The server's copy of the attachment %1 does not match its hash.").arg(sha256),
                           {}};
        WriteTransaction tx(m_db);
        if (!tx.begun())
            return tx.begun();
        if (Status s = AttachmentCache(m_db).keepIn(url, content, nowMs); !s)
            return s;
        if (Status s = tx.commit(); !s)
            return s;
        ++report.downloaded;
        budget -= content.bytes.size();
        if (budget <= 0)
            break; // the rest in the next round
    }
    return success();
}

} // namespace riskdesk
