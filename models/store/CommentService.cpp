#include "CommentService.h"

#include "DirectoryRepository.h"
#include "ExceptionRepository.h"
#include "Outbox.h"
#include "SqlProblem.h"
#include "WriteTransaction.h"
#include "domain/CommentText.h"
#include "domain/Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<QStringList> CommentService::mentionable(const QString& tenantId) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT user_id FROM users WHERE tenant_id = ? UNION "
              "SELECT user_id FROM server_approvers WHERE tenant_id = ? ORDER BY 1"_s);
    q.addBindValue(tenantId);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the users to mention"));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the users to mention"));
    return ids;
}

Result<QList<ExceptionComment>> CommentService::thread(const QString& tenantId,
                                                       const QString& recordId) const {
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT c.comment_id, c.author_id, c.at, c.body, c.mentions, coalesce(o.state, 'server'), "
              "coalesce(o.last_error, '') FROM exception_comments c LEFT JOIN outbox o "
              "ON o.idempotency_key = c.comment_id AND o.kind = 'comment' "
              "WHERE c.tenant_id = ? AND c.record_id = ? ORDER BY c.at, c.comment_seq"_s);
    q.addBindValue(tenantId);
    q.addBindValue(recordId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the comments"));
    QList<ExceptionComment> comments;
    while (q.next()) {
        ExceptionComment c;
        c.tenantId = tenantId;
        c.recordId = recordId;
        c.commentId = q.value(0).toString();
        c.authorId = q.value(1).toString();
        c.at = timestamps::fromMs(q.value(2).toLongLong());
        c.body = q.value(3).toString();
        for (const QJsonValue& v : QJsonDocument::fromJson(q.value(4).toString().toUtf8()).array())
            c.mentions << v.toString();
        c.syncState = q.value(5).toString();
        c.syncError = q.value(6).toString();
        comments.append(c);
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the comments"));
    return comments;
}

Result<ExceptionComment> CommentService::add(const QString& tenantId, const QString& recordId,
                                             const QString& authorId, const QString& text,
                                             const QDateTime& now) {
    auto body = CommentText::validate(text);
    if (!body)
        return body.problem();
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();
    auto author = DirectoryRepository(m_db).user(tenantId, authorId);
    if (!author)
        return author.problem();
    if (author.value().role != UserRole::Approver)
        return Problem{
            u"not_an_approver"_s,
            tr("%1 is not an approver of this tenant; only approvers comment on exceptions.").arg(authorId),
            {}};
    auto exception = ExceptionRepository(m_db).get(tenantId, recordId);
    if (!exception)
        return exception.problem();
    auto users = mentionable(tenantId);
    if (!users)
        return users.problem();

    ExceptionComment c;
    c.tenantId = tenantId;
    c.commentId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.recordId = recordId;
    c.authorId = authorId;
    c.at = tx.afterWait(now);
    c.body = body.value();
    c.mentions = CommentText::mentions(c.body, users.value());
    c.syncState = u"waiting"_s;
    QSqlQuery q(m_db);
    q.prepare(
        u"INSERT INTO exception_comments (tenant_id, comment_id, record_id, author_id, at, body, mentions) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    for (const QVariant& v : QVariantList{
             tenantId, c.commentId, recordId, authorId, timestamps::toMs(now), c.body,
             QString::fromUtf8(
                 QJsonDocument(QJsonArray::fromStringList(c.mentions)).toJson(QJsonDocument::Compact))})
        q.addBindValue(v);
    if (!q.exec())
        return sqlProblem(q, tr("Storing the comment"));
    if (Status queued = Outbox(m_db).enqueueComment(c); !queued)
        return queued.problem();
    if (Status committed = tx.commit(); !committed)
        return committed.problem();
    return c;
}

} // namespace riskdesk
