#include "CommentSync.h"

#include "PullHorizon.h"
#include "SyncLogin.h"
#include "store/SqlProblem.h"
#include "store/WriteTransaction.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kCommentBatch = 5000;

} // namespace

Result<CommentSyncReport> CommentSync::syncOnce() {
    CommentSyncReport report;
    auto present = m_server.exec(u"SELECT to_regclass('riskdesk.comments') IS NOT NULL"_s);
    if (!present)
        return present.problem();
    if (present.value().rows() != 1 || present.value().text(0, 0) != u"t") {
        report.serverHasThem = false; // they wait in the outbox for a server that takes them
        return report;
    }
    if (Status s = push(report); !s)
        return s.problem();
    if (Status s = pull(report); !s)
        return s.problem();
    return report;
}

Status CommentSync::push(CommentSyncReport& report) {
    QSqlQuery waiting(m_db);
    waiting.setForwardOnly(true);
    if (!waiting.exec(u"SELECT outbox_id, tenant_id, idempotency_key, record_id, payload FROM outbox "
                      "WHERE state = 'waiting' AND kind = 'comment' ORDER BY outbox_id"_s))
        return sqlProblem(waiting, tr("Reading the comments to send"));
    struct Waiting {
        qint64 id = 0;
        QString tenant, key, record;
        QJsonObject payload;
    };
    QList<Waiting> entries;
    while (waiting.next())
        entries.append({waiting.value(0).toLongLong(), waiting.value(1).toString(),
                        waiting.value(2).toString(), waiting.value(3).toString(),
                        QJsonDocument::fromJson(waiting.value(4).toString().toUtf8()).object()});
    if (rowsFailed(waiting))
        return sqlProblem(waiting, tr("Reading the comments to send"));
    waiting.finish();
    if (entries.isEmpty())
        return success();

    // Who this login is in each of its tenants: the server writes that name as the author.
    std::optional<SyncLogin> own;
    auto loginOf = SyncLogin::sharedOrRead(m_login, own, m_server);
    if (!loginOf)
        return loginOf.problem();
    SyncLogin& login = *loginOf.value();

    for (const Waiting& w : std::as_const(entries)) {
        QString state = u"sent"_s, error;
        QJsonArray mentions;
        qint64 serverAt = 0;
        bool answered = false;
        if (QString why = login.whyWaiting(w.tenant, w.record, w.payload.value(u"author_id"_s).toString());
            !why.isEmpty()) {
            // Stays in the outbox for its author's own login; the reason is kept for the window.
            QSqlQuery note(m_db);
            note.prepare(u"UPDATE outbox SET last_error = ? WHERE outbox_id = ?"_s);
            note.addBindValue(why);
            note.addBindValue(w.id);
            if (!note.exec())
                return sqlProblem(note, tr("Recording the server's answer"));
            ++report.waiting;
            report.messages << why;
            continue;
        }
        auto answer = m_server.exec(u"SELECT riskdesk.add_comment($1, $2, $3, $4)::text"_s,
                                    {w.tenant, w.record, w.payload.value(u"body"_s).toString(), w.key});
        if (!answer) {
            if (answer.problem().code == u"server_unreachable")
                return answer.problem(); // stays waiting; retried with the same comment id
            error = answer.problem().message;
        } else {
            const QJsonObject outcome = QJsonDocument::fromJson(answer.value().text(0, 0).toUtf8()).object();
            answered = outcome.value(u"outcome"_s).toString() == u"applied";
            if (answered) {
                mentions = outcome.value(u"comment"_s).toObject().value(u"mentions"_s).toArray();
                serverAt = outcome.value(u"comment"_s).toObject().value(u"at"_s).toInteger();
            } else
                error = outcome.value(u"message"_s).toString();
        }
        if (!answered)
            state = u"refused"_s;
        WriteTransaction tx(m_db);
        if (!tx.begun())
            return tx.begun().problem();
        QSqlQuery mark(m_db);
        mark.prepare(u"UPDATE outbox SET state = ?, last_error = ? WHERE outbox_id = ?"_s);
        mark.addBindValue(state);
        mark.addBindValue(error.isEmpty() ? QVariant() : QVariant(error));
        mark.addBindValue(w.id);
        if (!mark.exec())
            return sqlProblem(mark, tr("Recording the server's answer"));
        if (answered) { // the server found the mentions among its members, and gave the time: its are kept
            QSqlQuery take(m_db);
            take.prepare(u"UPDATE exception_comments SET mentions = ?, at = coalesce(?, at) "
                         "WHERE tenant_id = ? AND comment_id = ?"_s);
            take.addBindValue(QString::fromUtf8(QJsonDocument(mentions).toJson(QJsonDocument::Compact)));
            take.addBindValue(serverAt > 0 ? QVariant(serverAt) : QVariant());
            take.addBindValue(w.tenant);
            take.addBindValue(w.key);
            if (!take.exec())
                return sqlProblem(take, tr("Recording the server's answer"));
        }
        if (Status c = tx.commit(); !c)
            return c;
        if (answered) {
            ++report.pushed;
        } else {
            ++report.refused;
            report.messages << tr("%1: the server did not take the comment: %2").arg(w.record, error);
        }
    }
    return success();
}

Status CommentSync::pull(CommentSyncReport& report) {
    auto id = m_server.exec(u"SELECT server_id::text FROM riskdesk.server_identity"_s);
    const QString server = id && id.value().rows() > 0 ? id.value().text(0, 0) : QString();
    QString xid = u"0"_s, seq = u"0"_s;
    {
        QSqlQuery q(m_db);
        if (!q.exec(u"SELECT value FROM workspace_meta WHERE key = 'comment_cursor'"_s))
            return sqlProblem(q, tr("Reading the comment cursor"));
        if (q.next()) {
            const QString value = q.value(0).toString(); // "server-id/xid:seq"
            if (value.section(u'/', 0, 0) == server) {
                xid = value.section(u'/', 1).section(u':', 0, 0);
                seq = value.section(u'/', 1).section(u':', 1, 1);
            }
        } else if (rowsFailed(q)) {
            return sqlProblem(q, tr("Reading the comment cursor"));
        }
    }
    const auto horizon = PullHorizon::expression(m_server);
    if (!horizon)
        return horizon.problem();
    for (;;) {
        auto batch = m_server.exec(
            u"SELECT c.change_xid::text, c.comment_seq, c.tenant_id, c.comment_id::text, c.record_id, "
            "c.author_id, c.body, pg_catalog.array_to_json(c.mentions)::text, "
            "(pg_catalog.date_part('epoch', c.at) * 1000)::bigint FROM riskdesk.comments c "
            "WHERE (c.change_xid, c.comment_seq) > ($1::xid8, $2::bigint) "
            "AND c.change_xid < %2 "
            "ORDER BY c.change_xid, c.comment_seq LIMIT %1"_s.arg(kCommentBatch)
                .arg(horizon.value()),
            {xid, seq});
        if (!batch)
            return batch.problem();
        const PgResult& rows = batch.value();
        if (rows.rows() == 0)
            return success();
        WriteTransaction tx(m_db);
        if (!tx.begun())
            return tx.begun().problem();
        QSqlQuery insert(m_db);
        insert.prepare(
            u"INSERT INTO exception_comments (tenant_id, comment_id, record_id, author_id, at, body, "
            "mentions) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, comment_id) "
            "DO UPDATE SET mentions = excluded.mentions, at = excluded.at"_s);
        for (int row = 0; row < rows.rows(); ++row) {
            for (const QVariant& v :
                 QVariantList{rows.text(row, 2), rows.text(row, 3), rows.text(row, 4), rows.text(row, 5),
                              rows.integer(row, 8), rows.text(row, 6), rows.text(row, 7)})
                insert.addBindValue(v);
            if (!insert.exec())
                return sqlProblem(insert, tr("Copying the server's comments"));
        }
        xid = rows.text(rows.rows() - 1, 0);
        seq = rows.text(rows.rows() - 1, 1);
        QSqlQuery meta(m_db);
        meta.prepare(u"INSERT INTO workspace_meta (key, value) VALUES ('comment_cursor', ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s);
        meta.addBindValue(server + u'/' + xid + u':' + seq);
        if (!meta.exec())
            return sqlProblem(meta, tr("Keeping the comment cursor"));
        if (Status c = tx.commit(); !c)
            return c;
        report.pulled += rows.rows();
        if (rows.rows() < kCommentBatch)
            return success();
    }
}

} // namespace riskdesk
