#include "ApprovalLogRepository.h"

#include "ApprovalLogCsv.h"
#include "ChainVerifier.h"
#include "SqlProblem.h"
#include "domain/DomainTypes.h"
#include "domain/SystemComment.h"
#include "domain/Timestamps.h"

#include <QMap>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QString kColumns =
    u"tenant_id, seq, record_id, actor_id, action, comment, step, status_after, at, prev_hash, hash"_s;

// What is read, per table: the server's copy has no identity mark (the server decided as its login).
QString selectedColumns(LogSource source) {
    return kColumns + (source == LogSource::ServerCopy ? u", ''"_s : u", identity"_s);
}

ApprovalLogEntry readEntry(const QSqlQuery& q) {
    ApprovalLogEntry e;
    e.tenantId = q.value(0).toString();
    e.seq = q.value(1).toLongLong();
    e.recordId = q.value(2).toString();
    e.actorId = q.value(3).toString();
    e.action = q.value(4).toString();
    e.comment = q.value(5).toString();
    e.step = q.value(6).toInt();
    e.statusAfter = q.value(7).toString();
    e.at = timestamps::fromMs(q.value(8).toLongLong());
    e.prevHash = q.value(9).toByteArray();
    e.hash = q.value(10).toByteArray();
    e.identity = q.value(11).toString();
    return e;
}

QString tableOf(LogSource source) {
    return source == LogSource::ServerCopy ? u"server_log"_s : u"approval_log"_s;
}

// WHERE clause and values for a filter; fixed SQL pieces, bound values.
QString whereFor(const LogFilter& f, QVariantList& values) {
    QString where = u" WHERE tenant_id = ?"_s;
    values << f.tenantId;
    if (!f.actorId.isEmpty()) {
        where += u" AND actor_id = ?"_s;
        values << f.actorId;
    }
    if (const QString part = f.approver.trimmed(); !part.isEmpty()) {
        // instr, not LIKE: a % or _ typed by the auditor is a character, not a wildcard.
        // Riskdesk's own entries are found by the name the log shows for them, in the reader's language or
        // in English, as a user's are by their display name (helper-82: only the hidden id "system" did).
        const bool systemNamed = SystemComment::nameContains(part);
        where += u" AND (instr(lower(actor_id), lower(?)) > 0 OR actor_id IN (SELECT user_id FROM users "
                 "WHERE users.tenant_id = ? AND instr(lower(display_name), lower(?)) > 0)"_s +
                 (systemNamed ? u" OR actor_id = ?)"_s : u")"_s);
        values << part << f.tenantId << part;
        if (systemNamed)
            values << SystemComment::actorId();
    }
    if (!f.action.isEmpty()) {
        where += u" AND action = ?"_s;
        values << f.action;
    }
    if (f.from.isValid()) {
        where += u" AND at >= ?"_s;
        values << timestamps::toMs(f.from);
    }
    if (f.to.isValid()) {
        where += u" AND at < ?"_s;
        values << timestamps::toMs(f.to);
    }
    return where;
}

} // namespace

Result<ChainHead> ApprovalLogRepository::head(const QString& tenantId) const {
    QSqlQuery local(m_db);
    QSqlQuery& q = PreparedStatements::pick(m_kept, local,
                                            u"SELECT seq, hash FROM "_s + tableOf(m_source) +
                                                u" WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1"_s);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, ApprovalLogRepository::tr("Reading the head of the approval log"));
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, ApprovalLogRepository::tr("Reading the head of the approval log"));
        return ChainHead{0, ApprovalLogEntry::genesisHash()};
    }
    ChainHead current{q.value(0).toLongLong(), q.value(1).toByteArray()};
    q.finish(); // a kept statement would otherwise hold its read open
    return current;
}

Result<ApprovalLogEntry> ApprovalLogRepository::append(ApprovalLogEntry entry) {
    if (m_source != LogSource::Workspace)
        return Problem{
            u"read_only"_s,
            ApprovalLogRepository::tr("The server's log is copied by sync and never appended to here."),
            {}};
    const auto current = head(entry.tenantId);
    if (!current)
        return current.problem();
    entry.seq = current.value().seq + 1;
    entry.prevHash = current.value().hash;
    entry.hash = entry.computeHash();
    QSqlQuery local(m_db);
    QSqlQuery& q = PreparedStatements::pick(m_kept, local,
                                            u"INSERT INTO approval_log ("_s + kColumns +
                                                u", identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(entry.tenantId);
    q.addBindValue(entry.seq);
    q.addBindValue(entry.recordId);
    q.addBindValue(entry.actorId);
    q.addBindValue(entry.action);
    q.addBindValue(entry.comment.isNull() ? u""_s : entry.comment); // Qt SQL binds a null QString as NULL
    q.addBindValue(entry.step);
    q.addBindValue(entry.statusAfter);
    q.addBindValue(timestamps::toMs(entry.at));
    q.addBindValue(QString::fromLatin1(entry.prevHash));
    q.addBindValue(QString::fromLatin1(entry.hash));
    q.addBindValue(entry.identity.isNull() ? u""_s : entry.identity);
    if (!q.exec())
        return sqlProblem(q, ApprovalLogRepository::tr("Appending to the approval log"));
    return entry;
}

Result<ChainVerification> ApprovalLogRepository::verify(const QString& tenantId,
                                                        const std::optional<ChainHead>& remembered) const {
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + selectedColumns(m_source) + u" FROM "_s + tableOf(m_source) +
              u" WHERE tenant_id = ? ORDER BY seq"_s);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, ApprovalLogRepository::tr("Reading the approval log"));

    ChainVerifier verifier(remembered);
    while (q.next() && verifier.add(readEntry(q))) {
    }
    if (rowsFailed(q)) // a damaged page must not pass for the end of the chain
        return sqlProblem(q, ApprovalLogRepository::tr("Reading the approval log"));
    ChainVerification verified = verifier.finish();
    if (verified.intact && m_source == LogSource::Workspace)
        if (Status s = checkAgainstExceptions(tenantId, verified); !s)
            return s.problem();
    return verified;
}

Status ApprovalLogRepository::checkAgainstExceptions(const QString& tenantId,
                                                     ChainVerification& verified) const {
    // A chain that holds proves only the entries it has: a log emptied, or cut where no desktop had verified
    // it, passed as intact while the exceptions it had decided stood (helper-92). Every status but pending
    // comes from an entry, so each exception must have the status of its last entry. A workspace that ever
    // had an answer from a server is not checked: a push's answers set exceptions to the server's state
    // (a conflict, a refusal) before any copy of the server's log arrives, and the server's own chain is the
    // record there (helper-93).
    const QString doing = ApprovalLogRepository::tr("Comparing the exceptions with the approval log");
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT EXISTS (SELECT 1 FROM workspace_meta WHERE key = 'sync_cursor')"
                " OR EXISTS (SELECT 1 FROM outbox WHERE state <> 'waiting')"
                " OR EXISTS (SELECT 1 FROM server_log)"_s) ||
        !q.next())
        return sqlProblem(q, doing);
    if (q.value(0).toBool())
        return success();
    q.finish();
    q.prepare(u"SELECT record_id, status, logged, logged_seq, count(*) OVER () FROM ("
              " SELECT e.record_id, e.status,"
              "  (SELECT l.status_after FROM approval_log l WHERE l.tenant_id = e.tenant_id"
              "    AND l.record_id = e.record_id ORDER BY l.seq DESC LIMIT 1) AS logged,"
              "  (SELECT max(l.seq) FROM approval_log l WHERE l.tenant_id = e.tenant_id"
              "    AND l.record_id = e.record_id) AS logged_seq"
              " FROM exceptions e WHERE e.tenant_id = ?)"
              " WHERE logged IS NOT status AND NOT (logged IS NULL AND status = 'pending')"
              " ORDER BY record_id LIMIT 1"_s);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, doing);
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, doing);
        return success();
    }
    const QString record = q.value(0).toString();
    const auto statusText = [](const QVariant& v) {
        const auto s = statusFromWire(v.toString());
        return s ? displayName(*s) : v.toString();
    };
    const int count = int(std::min<qint64>(q.value(4).toLongLong(), INT_MAX));
    verified.intact = false;
    // The entry that disagrees with its exception; with none, where the missing ones would follow.
    verified.firstBrokenSeq = q.value(3).isNull() ? verified.head.seq + 1 : q.value(3).toLongLong();
    verified.message =
        q.value(2).isNull()
            ? ApprovalLogRepository::tr(
                  "%n exception(s) show a decision the log has no entry for (the first: "
                  "%1, %2): entries were removed from the log, or the exceptions altered.",
                  nullptr, count)
                  .arg(record, statusText(q.value(1)))
            : ApprovalLogRepository::tr("%n exception(s) do not have the status their last entry in the log "
                                        "gives them (the first: %1 is %2, its last entry says %3): the "
                                        "exceptions were altered, or entries removed from the log.",
                                        nullptr, count)
                  .arg(record, statusText(q.value(1)), statusText(q.value(2)));
    return success();
}

Result<LogPage> ApprovalLogRepository::page(const LogFilter& filter, std::optional<qint64> beforeSeq,
                                            int limit) const {
    QVariantList values;
    QString sql = u"SELECT "_s + selectedColumns(filter.source) + u" FROM "_s + tableOf(filter.source) +
                  whereFor(filter, values);
    if (beforeSeq) {
        sql += u" AND seq < ?"_s;
        values << *beforeSeq;
    }
    sql += u" ORDER BY seq DESC LIMIT ?"_s;
    values << limit + 1;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant& v : values)
        q.addBindValue(v);
    if (!q.exec())
        return sqlProblem(q, ApprovalLogRepository::tr("Reading the approval log"));
    LogPage page;
    while (q.next()) {
        if (page.rows.size() == limit) {
            page.hasMore = true;
            break;
        }
        page.rows.append(readEntry(q));
    }
    if (rowsFailed(q))
        return sqlProblem(q, ApprovalLogRepository::tr("Reading the approval log"));
    return page;
}

Result<qint64> ApprovalLogRepository::count(const LogFilter& filter) const {
    QVariantList values;
    QSqlQuery q(m_db);
    q.prepare(u"SELECT count(*) FROM "_s + tableOf(filter.source) + whereFor(filter, values));
    for (const QVariant& v : values)
        q.addBindValue(v);
    if (!q.exec() || !q.next())
        return sqlProblem(q, ApprovalLogRepository::tr("Counting the approval log's entries"));
    return q.value(0).toLongLong();
}

Status ApprovalLogRepository::exportCsv(const LogFilter& filter, QIODevice* out, bool markWhole) const {
    QVariantList values;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + selectedColumns(filter.source) + u" FROM "_s + tableOf(filter.source) +
              whereFor(filter, values) + u" ORDER BY seq"_s);
    for (const QVariant& v : values)
        q.addBindValue(v);
    if (!q.exec())
        return sqlProblem(q, ApprovalLogRepository::tr("Reading the approval log"));
    // The format (ApprovalLogCsv) is safe in a spreadsheet and keeps every hash recomputable from the file.
    QByteArray chunk = ApprovalLogCsv::header();
    QMap<QString, qint64> lastSeq; // per tenant, for the mark of a whole export
    while (q.next()) {
        const ApprovalLogEntry entry = readEntry(q);
        chunk += ApprovalLogCsv::row(entry);
        lastSeq.insert(entry.tenantId, entry.seq);
        if (chunk.size() > (1 << 20)) {
            if (out->write(chunk) != chunk.size())
                return Problem{
                    u"write_failed"_s,
                    ApprovalLogRepository::tr("Writing the export failed: %1").arg(out->errorString()),
                    {}};
            chunk.clear();
        }
    }
    if (rowsFailed(q))
        return sqlProblem(q, ApprovalLogRepository::tr("Reading the approval log"));
    // A file of no entries proves nothing (log verify refuses it), yet it was written and called exported
    // (helper-82): the window and the command line are told instead.
    if (lastSeq.isEmpty())
        return Problem{u"log_export_empty"_s,
                       ApprovalLogRepository::tr("No entry of the approval log matches these filters, so "
                                                 "nothing was exported."),
                       {}};
    // An unfiltered export says it holds each tenant's whole log, so a row cut from it reads as broken, not
    // as a selection; of a broken log it says nothing of the kind (helper-92: the mark made a log cut at its
    // end verify as whole from the file).
    if (!filter.selects() && markWhole)
        for (auto it = lastSeq.cbegin(); it != lastSeq.cend(); ++it)
            chunk += ApprovalLogCsv::wholeLogMark(it.key(), it.value());
    if (out->write(chunk) != chunk.size())
        return Problem{u"write_failed"_s,
                       ApprovalLogRepository::tr("Writing the export failed: %1").arg(out->errorString()),
                       {}};
    return success();
}

} // namespace riskdesk
