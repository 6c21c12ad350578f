#include "Outbox.h"

#include "SqlProblem.h"
#include "domain/Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Status Outbox::enqueueDecision(const ApprovalLogEntry& entry, qint64 expectedVersion) {
    const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QJsonObject payload{{u"idempotency_key"_s, key},
                              {u"record_id"_s, entry.recordId},
                              {u"action"_s, entry.action},
                              {u"actor_id"_s, entry.actorId},
                              {u"comment"_s, entry.comment},
                              {u"step"_s, entry.step},
                              {u"expected_version"_s, expectedVersion},
                              {u"at"_s, timestamps::toIso(entry.at)},
                              {u"local_log_seq"_s, entry.seq}};
    QSqlQuery local(m_db);
    QSqlQuery& q = PreparedStatements::pick(
        m_kept, local,
        u"INSERT INTO outbox (tenant_id, idempotency_key, kind, record_id, payload, created_at) "
        "VALUES (?, ?, 'decision', ?, ?, ?)"_s);
    q.addBindValue(entry.tenantId);
    q.addBindValue(key);
    q.addBindValue(entry.recordId);
    q.addBindValue(QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
    q.addBindValue(timestamps::toMs(entry.at));
    if (!q.exec())
        return sqlProblem(
            q, QCoreApplication::translate("riskdesk::Workspace", "Queueing the decision for sync"));
    return success();
}

Status Outbox::enqueueComment(const ExceptionComment& comment) {
    const QJsonObject payload{{u"comment_id"_s, comment.commentId},
                              {u"record_id"_s, comment.recordId},
                              {u"author_id"_s, comment.authorId},
                              {u"body"_s, comment.body},
                              {u"at"_s, timestamps::toIso(comment.at)}};
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO outbox (tenant_id, idempotency_key, kind, record_id, payload, created_at) "
              "VALUES (?, ?, 'comment', ?, ?, ?)"_s);
    q.addBindValue(comment.tenantId);
    q.addBindValue(comment.commentId);
    q.addBindValue(comment.recordId);
    q.addBindValue(QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
    q.addBindValue(timestamps::toMs(comment.at));
    if (!q.exec())
        return sqlProblem(
            q, QCoreApplication::translate("riskdesk::Workspace", "Queueing the comment for sync"));
    return success();
}

QJsonObject Outbox::creationPayload(const RiskException& e) {
    QJsonObject o{{u"record_id"_s, e.recordId},
                  {u"target_type"_s, toWire(e.targetType)},
                  {u"target_id"_s, e.targetId},
                  {u"risk_rule_id"_s, e.riskRuleId},
                  {u"valid_start_time"_s, timestamps::toIso(e.validStartTime)},
                  {u"valid_end_time"_s, timestamps::toIso(e.validEndTime)},
                  {u"reason_category"_s, e.reasonCategory},
                  {u"justification"_s, e.justification}};
    if (!e.attachmentUrl.isEmpty())
        o.insert(u"attachment_url"_s, e.attachmentUrl);
    return o;
}

Status Outbox::enqueueCreation(const RiskException& e, const QJsonArray& attachments) {
    const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QJsonObject fields = creationPayload(e);
    if (!attachments.isEmpty())
        fields.insert(u"attachments"_s, attachments);
    const QJsonObject payload{{u"idempotency_key"_s, key}, {u"record_id"_s, e.recordId},
                              {u"action"_s, u"create"_s},  {u"actor_id"_s, e.applicantId},
                              {u"exception"_s, fields},    {u"at"_s, timestamps::toIso(e.applyTime)}};
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO outbox (tenant_id, idempotency_key, kind, record_id, payload, created_at) "
              "VALUES (?, ?, 'create', ?, ?, ?)"_s);
    q.addBindValue(e.tenantId);
    q.addBindValue(key);
    q.addBindValue(e.recordId);
    q.addBindValue(QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
    q.addBindValue(timestamps::toMs(e.applyTime));
    if (!q.exec())
        return sqlProblem(
            q, QCoreApplication::translate("riskdesk::Workspace", "Queueing the request for sync"));
    return success();
}

Result<qint64> Outbox::waitingCount() const {
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT count(*) FROM outbox WHERE state = 'waiting'"_s) || !q.next())
        return sqlProblem(q, QCoreApplication::translate("riskdesk::Workspace", "Counting queued changes"));
    return q.value(0).toLongLong();
}

Result<qint64> Outbox::changesToPush() const {
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT (SELECT count(*) FROM outbox WHERE state = 'waiting') + "
                "(SELECT count(*) FROM assignment_log WHERE sync_state = 'waiting')"_s) ||
        !q.next())
        return sqlProblem(q, QCoreApplication::translate("riskdesk::Workspace", "Counting queued changes"));
    return q.value(0).toLongLong();
}

} // namespace riskdesk
