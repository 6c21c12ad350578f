#include "AssignmentService.h"

#include "DirectoryRepository.h"
#include "ExceptionRepository.h"
#include "SqlProblem.h"
#include "WriteTransaction.h"
#include "domain/SlaTarget.h"
#include "domain/Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// SQLite takes a null QString as NULL; "nobody" is stored as ''.
QString orEmpty(const QString& id) {
    return id.isNull() ? u""_s : id;
}

} // namespace

Result<Assignment> AssignmentService::current(const QString& tenantId, const QString& recordId) const {
    QSqlQuery local(m_db);
    QSqlQuery& q = PreparedStatements::pick(
        m_kept, local,
        u"SELECT assignee_id, escalated, version, changed_by, changed_at FROM exception_assignments "
        "WHERE tenant_id = ? AND record_id = ?"_s);
    q.addBindValue(tenantId);
    q.addBindValue(recordId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the assignment"));
    Assignment a;
    a.tenantId = tenantId;
    a.recordId = recordId;
    if (q.next()) {
        a.assigneeId = q.value(0).toString();
        a.escalated = q.value(1).toInt() != 0;
        a.version = q.value(2).toLongLong();
        a.changedBy = q.value(3).toString();
        a.changedAt = timestamps::fromMs(q.value(4).toLongLong());
    } else if (rowsFailed(q)) {
        return sqlProblem(q, tr("Reading the assignment"));
    }
    q.finish(); // a kept statement would otherwise stay open on its one row
    return a;
}

Result<QHash<QString, Assignment>> AssignmentService::heldAmong(const QString& tenantId,
                                                                const QStringList& recordIds) const {
    QHash<QString, Assignment> held;
    if (recordIds.isEmpty())
        return held;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    // One bound value however many ids.
    q.prepare(
        u"SELECT record_id, assignee_id, escalated, version FROM exception_assignments WHERE tenant_id = ? "
        "AND assignee_id <> '' AND record_id IN (SELECT value FROM json_each(?))"_s);
    q.addBindValue(tenantId);
    q.addBindValue(QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(recordIds)).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return sqlProblem(q, tr("Reading the assignments"));
    while (q.next()) {
        Assignment a;
        a.tenantId = tenantId;
        a.recordId = q.value(0).toString();
        a.assigneeId = q.value(1).toString();
        a.escalated = q.value(2).toInt() != 0;
        a.version = q.value(3).toLongLong();
        held.insert(a.recordId, a);
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the assignments"));
    return held;
}

Result<QList<AssignmentEvent>> AssignmentService::history(const QString& tenantId,
                                                          const QString& recordId) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT event_id, actor_id, action, from_id, to_id, at, version, sync_state, "
              "coalesce(sync_error, '') FROM assignment_log WHERE tenant_id = ? AND record_id = ? "
              "ORDER BY at, version"_s);
    q.addBindValue(tenantId);
    q.addBindValue(recordId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the assignment history"));
    QList<AssignmentEvent> events;
    while (q.next()) {
        AssignmentEvent e;
        e.eventId = q.value(0).toString();
        e.recordId = recordId;
        e.actorId = q.value(1).toString();
        e.action = assignmentActionFromWire(q.value(2).toString()).value_or(AssignmentAction::Assign);
        e.fromId = q.value(3).toString();
        e.toId = q.value(4).toString();
        e.at = timestamps::fromMs(q.value(5).toLongLong());
        e.version = q.value(6).toLongLong();
        e.syncState = q.value(7).toString();
        e.syncError = q.value(8).toString();
        events.append(e);
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the assignment history"));
    return events;
}

Result<QStringList> AssignmentService::leads(const QString& tenantId) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT user_id FROM approval_leads WHERE tenant_id = ? ORDER BY user_id"_s);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the leads"));
    QStringList leads;
    while (q.next())
        leads << q.value(0).toString();
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the leads"));
    return leads;
}

Result<QStringList> AssignmentService::approvers(const QString& tenantId) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT user_id FROM users WHERE tenant_id = ? AND role = 'approver' UNION "
              "SELECT user_id FROM server_approvers WHERE tenant_id = ? ORDER BY 1"_s);
    q.addBindValue(tenantId);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the approvers"));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the approvers"));
    return ids;
}

Result<qint64> AssignmentService::slaMinutes(const QString& tenantId, Severity severity) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT sla_minutes FROM sla_policy WHERE tenant_id = ? AND severity = ?"_s);
    q.addBindValue(tenantId);
    q.addBindValue(toWire(severity));
    if (!q.exec())
        return sqlProblem(q, tr("Reading the SLA policy"));
    if (q.next())
        return SlaTarget::minutesOr(q.value(0).toLongLong(), severity);
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the SLA policy"));
    return SlaTarget::defaultMinutes(severity);
}

Result<AppliedAssignment> AssignmentService::change(const QString& tenantId, const QString& recordId,
                                                    const QString& actorId, AssignmentAction action,
                                                    const QString& assigneeId, const QDateTime& now) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();
    auto applied = changeInTransaction(tenantId, recordId, actorId, action, assigneeId, tx.afterWait(now));
    if (!applied)
        return applied;
    if (Status c = tx.commit(); !c)
        return c.problem();
    return applied;
}

Result<AppliedAssignment>
AssignmentService::changeInTransaction(const QString& tenantId, const QString& recordId,
                                       const QString& actorId, AssignmentAction action,
                                       const QString& assigneeId, const QDateTime& now) {
    DirectoryRepository directory(m_db);
    auto actor = directory.user(tenantId, actorId);
    if (!actor)
        return actor.problem();
    auto exception = ExceptionRepository(m_db).get(tenantId, recordId);
    if (!exception)
        return exception.problem();
    auto approverIds = approvers(tenantId);
    if (!approverIds)
        return approverIds.problem();
    auto leadIds = leads(tenantId);
    if (!leadIds)
        return leadIds.problem();
    auto assignment = current(tenantId, recordId);
    if (!assignment)
        return assignment.problem();
    auto rule = directory.rule(tenantId, exception.value().riskRuleId);
    const Severity severity = rule ? rule.value().severity : Severity::Medium;
    auto minutes = slaMinutes(tenantId, severity);
    if (!minutes)
        return minutes.problem();

    AssignmentRequest request;
    request.exception = exception.value();
    request.current = assignment.value();
    request.action = action;
    request.actor = Actor{actorId, actor.value().role};
    request.assigneeId = assigneeId;
    request.approvers = approverIds.value();
    request.leads = leadIds.value();
    request.pastSla = SlaTarget::isPast(exception.value().applyTime, minutes.value(), now);
    request.now = now;
    auto next = AssignmentRules::apply(request);
    if (!next)
        return next.problem();

    const Assignment& a = next.value();
    QSqlQuery q(m_db);
    q.prepare(
        u"INSERT INTO exception_assignments (tenant_id, record_id, assignee_id, escalated, version, "
        "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, record_id) DO UPDATE "
        "SET assignee_id = excluded.assignee_id, escalated = excluded.escalated, version = excluded.version, "
        "changed_by = excluded.changed_by, changed_at = excluded.changed_at"_s);
    for (const QVariant& v : QVariantList{tenantId, recordId, orEmpty(a.assigneeId), a.escalated ? 1 : 0,
                                          a.version, a.changedBy, timestamps::toMs(a.changedAt)})
        q.addBindValue(v);
    if (!q.exec())
        return sqlProblem(q, tr("Storing the assignment"));

    AssignmentEvent event;
    event.eventId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    event.recordId = recordId;
    event.actorId = actorId;
    event.action = action;
    event.fromId = assignment.value().assigneeId;
    event.toId = a.assigneeId;
    event.at = now;
    event.version = a.version;
    event.syncState = u"waiting"_s;
    QSqlQuery log(m_db);
    log.prepare(
        u"INSERT INTO assignment_log (tenant_id, event_id, record_id, actor_id, action, from_id, to_id, "
        "at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    for (const QVariant& v :
         QVariantList{tenantId, event.eventId, recordId, actorId, toWire(action), orEmpty(event.fromId),
                      orEmpty(event.toId), timestamps::toMs(now), event.version})
        log.addBindValue(v);
    if (!log.exec())
        return sqlProblem(log, tr("Logging the assignment"));
    return AppliedAssignment{a, event};
}

} // namespace riskdesk
