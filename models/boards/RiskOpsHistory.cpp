#include "RiskOpsHistory.h"

#include "store/SqlProblem.h"

#include <QSqlQuery>
#include <QStringList>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QStringList kSeverities{u"low"_s, u"medium"_s, u"high"_s, u"critical"_s};
const QStringList kTargetTypes{u"claim"_s, u"claim_item"_s, u"transaction"_s, u"merchant"_s, u"user"_s};

} // namespace

bool RiskOpsCase::pendingAt(qint64 t) const {
    if (applyMs > t)
        return false;
    if (final != RiskOpsFinal::None && finalAtMs <= t)
        return false;
    return !(withdrawnAtMs && *withdrawnAtMs <= t);
}

const RiskOpsLogEntry* RiskOpsCase::firstAction() const {
    for (const RiskOpsLogEntry& e : log)
        if (e.action == u"approve" || e.action == u"reject")
            return &e;
    return nullptr;
}

qint64 RiskOpsHistory::defaultSlaMinutes(const QString& severity) {
    if (severity == u"critical")
        return 240;
    if (severity == u"high")
        return 480;
    if (severity == u"low")
        return 4320;
    return 1440;
}

qint64 RiskOpsHistory::slaMinutes(const QString& severity) const {
    return m_slaMinutes.value(severity, defaultSlaMinutes(severity));
}

qint64 RiskOpsHistory::slaMs(const QString& severity) const {
    return slaMinutes(severity) * 60 * 1000;
}

Result<RiskOpsHistory> RiskOpsHistory::load(QSqlDatabase db, const BoardRequest& request) {
    const QString doing = tr("Reading the exception queue's history");
    RiskOpsHistory h;
    if (!request.severity.isEmpty() && !kSeverities.contains(request.severity))
        return Problem{
            u"bad_filter"_s,
            tr("--severity must be low, medium, high or critical, not \"%1\".").arg(request.severity),
            u"severity"_s};
    if (!request.targetType.isEmpty() && !kTargetTypes.contains(request.targetType))
        return Problem{u"bad_filter"_s,
                       tr("--target-type must be one of %1, not \"%2\".")
                           .arg(kTargetTypes.join(u", "_s), request.targetType),
                       u"target-type"_s};
    {
        QSqlQuery q(db);
        q.prepare(u"SELECT rule_id, severity FROM rules WHERE tenant_id = ?"_s);
        q.addBindValue(request.tenant);
        if (!q.exec())
            return sqlProblem(q, doing);
        while (q.next())
            h.m_ruleSeverity.insert(q.value(0).toString(), q.value(1).toString());
        if (rowsFailed(q))
            return sqlProblem(q, doing);
    }
    for (const QString& rule : request.rules)
        if (!h.m_ruleSeverity.contains(rule))
            return Problem{u"bad_filter"_s, tr("Tenant %1 has no rule \"%2\".").arg(request.tenant, rule),
                           u"rule"_s};
    if (!request.approver.isEmpty()) {
        QSqlQuery q(db);
        q.prepare(u"SELECT 1 FROM users WHERE tenant_id = ? AND user_id = ?"_s);
        q.addBindValue(request.tenant);
        q.addBindValue(request.approver);
        if (!q.exec())
            return sqlProblem(q, doing);
        if (!q.next()) {
            if (rowsFailed(q))
                return sqlProblem(q, doing);
            return Problem{u"bad_filter"_s,
                           tr("Tenant %1 has no user \"%2\".").arg(request.tenant, request.approver),
                           u"approver"_s};
        }
    }
    {
        QSqlQuery q(db);
        q.prepare(u"SELECT severity, sla_minutes FROM sla_policy WHERE tenant_id = ?"_s);
        q.addBindValue(request.tenant);
        if (!q.exec())
            return sqlProblem(q, doing);
        while (q.next())
            h.m_slaMinutes.insert(q.value(0).toString(), q.value(1).toLongLong());
        if (rowsFailed(q))
            return sqlProblem(q, doing);
        h.m_slaConfigured = !h.m_slaMinutes.isEmpty();
    }

    // The exceptions the filters keep (the approver filter needs the log, below).
    QString sql =
        u"SELECT e.record_id, e.risk_rule_id, COALESCE(r.severity, 'medium'), e.target_type, e.target_id,"
        " e.reason_category, e.status, e.apply_time, e.valid_end_time"
        " FROM exceptions e LEFT JOIN rules r ON r.tenant_id = e.tenant_id AND r.rule_id = e.risk_rule_id"
        " WHERE e.tenant_id = ?"_s;
    QVariantList binds{request.tenant};
    if (!request.rules.isEmpty()) {
        QStringList marks;
        for (const QString& rule : request.rules) {
            marks << u"?"_s;
            binds << rule;
        }
        sql += u" AND e.risk_rule_id IN (%1)"_s.arg(marks.join(u", "_s));
    }
    if (!request.severity.isEmpty()) {
        sql += u" AND COALESCE(r.severity, 'medium') = ?"_s;
        binds << request.severity;
    }
    if (!request.targetType.isEmpty()) {
        sql += u" AND e.target_type = ?"_s;
        binds << request.targetType;
    }
    if (!request.reasonCategory.isEmpty()) {
        sql += u" AND e.reason_category = ?"_s;
        binds << request.reasonCategory;
    }
    sql += u" ORDER BY e.apply_time, e.record_id"_s;
    QHash<QString, qsizetype> byRecord;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(sql);
        for (const QVariant& b : binds)
            q.addBindValue(b);
        if (!q.exec())
            return sqlProblem(q, doing);
        while (q.next()) {
            RiskOpsCase c;
            c.recordId = q.value(0).toString();
            c.ruleId = q.value(1).toString();
            c.severity = q.value(2).toString();
            c.targetType = q.value(3).toString();
            c.targetId = q.value(4).toString();
            c.reasonCategory = q.value(5).toString();
            c.status = q.value(6).toString();
            c.applyMs = q.value(7).toLongLong();
            c.validEndMs = q.value(8).toLongLong();
            byRecord.insert(c.recordId, h.m_cases.size());
            h.m_cases.append(std::move(c));
        }
        if (rowsFailed(q))
            return sqlProblem(q, doing);
    }
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(u"SELECT record_id, seq, actor_id, action, step, status_after, at FROM approval_log"
                  " WHERE tenant_id = ? ORDER BY seq"_s);
        q.addBindValue(request.tenant);
        if (!q.exec())
            return sqlProblem(q, doing);
        while (q.next()) {
            const auto it = byRecord.constFind(q.value(0).toString());
            if (it == byRecord.cend())
                continue;
            RiskOpsCase& c = h.m_cases[*it];
            RiskOpsLogEntry e{q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString(),
                              q.value(4).toInt(),      q.value(5).toString(), q.value(6).toLongLong()};
            if (c.final == RiskOpsFinal::None &&
                (e.statusAfter == u"approved" || e.statusAfter == u"rejected")) {
                c.final = e.statusAfter == u"approved" ? RiskOpsFinal::Approve
                          : e.action == u"auto_reject" ? RiskOpsFinal::AutoReject
                                                       : RiskOpsFinal::Reject;
                c.finalAtMs = e.atMs;
                c.finalSeq = e.seq;
                c.finalActor = e.actorId;
            }
            if (e.action == u"withdraw" && !c.withdrawnAtMs)
                c.withdrawnAtMs = e.atMs;
            c.log.append(std::move(e));
        }
        if (rowsFailed(q))
            return sqlProblem(q, doing);
    }
    if (!request.approver.isEmpty()) {
        // The approver filter keeps the exceptions this person acted on.
        QList<RiskOpsCase> kept;
        for (RiskOpsCase& c : h.m_cases) {
            const bool acted = std::any_of(c.log.cbegin(), c.log.cend(), [&](const RiskOpsLogEntry& e) {
                return e.actorId == request.approver;
            });
            if (acted)
                kept.append(std::move(c));
        }
        h.m_cases = std::move(kept);
    }
    return h;
}

} // namespace riskdesk
