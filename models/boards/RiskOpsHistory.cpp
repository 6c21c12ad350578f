#include "RiskOpsHistory.h"

#include "store/NativeStatement.h"
#include "store/SqlProblem.h"

#include <QSqlQuery>
#include <QStringList>
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QStringList kSeverities{u"low"_s, u"medium"_s, u"high"_s, u"critical"_s};
const QStringList kTargetTypes{u"claim"_s, u"claim_item"_s, u"transaction"_s, u"merchant"_s, u"user"_s};

// One QString per distinct text: rule ids, severities, actors and actions repeat on every row, and sharing
// them saves an allocation and a UTF-8 decoding per value.
class TextPool {
public:
    QString text(QByteArrayView utf8) {
        const std::string_view key(utf8.data() ? utf8.data() : "", size_t(utf8.size()));
        if (auto it = m_texts.find(key); it != m_texts.end())
            return it->second;
        return m_texts.emplace(std::string(key), QString::fromUtf8(utf8)).first->second;
    }

private:
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, QString, Hash, std::equal_to<>> m_texts;
};

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

Result<RiskOpsHistory> RiskOpsHistory::load(QSqlDatabase db, const BoardRequest& request,
                                            std::optional<RiskOpsSpan> span) {
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

    // The exceptions the filters keep (the approver filter needs the log, below). Read through the
    // connection's own handle: a QVariant per value would cost more than the rest of the board.
    QByteArray from = "FROM exceptions e";
    QByteArray where = "WHERE e.tenant_id = ?1";
    QByteArray logSql = "SELECT l.record_id, l.seq, l.actor_id, l.action, l.step, l.status_after, l.at"
                        " FROM approval_log l WHERE l.tenant_id = ?1";
    if (span) {
        // CROSS JOIN keeps exception_progress the outer loop: the planner has no statistics that say the span
        // is narrow, and would otherwise walk every exception of the tenant.
        const QByteArray within = " p.tenant_id = ?1 AND (p.relevant_until IS NULL OR p.relevant_until >= "
                                  "?2) AND p.apply_time <= ?3";
        from = "FROM exception_progress p CROSS JOIN exceptions e ON e.tenant_id = p.tenant_id"
               " AND e.record_id = p.record_id";
        where = "WHERE" + within;
        logSql = "SELECT l.record_id, l.seq, l.actor_id, l.action, l.step, l.status_after, l.at"
                 " FROM exception_progress p CROSS JOIN approval_log l ON l.tenant_id = p.tenant_id"
                 " AND l.record_id = p.record_id WHERE" +
                 within;
    }
    QStringList texts; // bound after the tenant (and the span), in order
    int next = span ? 4 : 2;
    auto mark = [&](const QString& value) {
        texts << value;
        return "?" + QByteArray::number(next++);
    };
    if (!request.rules.isEmpty()) {
        QByteArrayList marks;
        for (const QString& rule : request.rules)
            marks << mark(rule);
        where += " AND e.risk_rule_id IN (" + marks.join(", ") + ")";
    }
    if (!request.severity.isEmpty())
        where += " AND COALESCE(r.severity, 'medium') = " + mark(request.severity);
    if (!request.targetType.isEmpty())
        where += " AND e.target_type = " + mark(request.targetType);
    if (!request.reasonCategory.isEmpty())
        where += " AND e.reason_category = " + mark(request.reasonCategory);
    const QByteArray caseSql =
        "SELECT e.record_id, e.risk_rule_id, COALESCE(r.severity, 'medium'), e.target_type, e.target_id,"
        " e.reason_category, e.status, e.apply_time, e.valid_end_time " +
        from + " LEFT JOIN rules r ON r.tenant_id = e.tenant_id AND r.rule_id = e.risk_rule_id " + where;
    auto bindCommon = [&](NativeStatement& st) {
        st.bind(1, QStringView(request.tenant));
        if (span) {
            st.bind(2, span->from);
            st.bind(3, span->to);
        }
    };
    TextPool pool;
    QHash<QByteArray, qsizetype> byRecord;
    {
        NativeStatement q(db, caseSql.constData());
        if (!q.prepared())
            return q.prepared().problem();
        bindCommon(q);
        for (qsizetype i = 0; i < texts.size(); ++i)
            q.bind(int(i + (span ? 4 : 2)), QStringView(texts.at(i)));
        for (;;) {
            auto row = q.next();
            if (!row)
                return row.problem();
            if (!row.value())
                break;
            RiskOpsCase c;
            c.recordId = QString::fromUtf8(q.text(0));
            c.ruleId = pool.text(q.text(1));
            c.severity = pool.text(q.text(2));
            c.targetType = pool.text(q.text(3));
            c.targetId = QString::fromUtf8(q.text(4));
            c.reasonCategory = pool.text(q.text(5));
            c.status = pool.text(q.text(6));
            c.applyMs = q.int64(7);
            c.validEndMs = q.int64(8);
            byRecord.insert(q.text(0).toByteArray(), h.m_cases.size());
            h.m_cases.append(std::move(c));
        }
    }
    {
        NativeStatement q(db, logSql.constData());
        if (!q.prepared())
            return q.prepared().problem();
        bindCommon(q);
        for (;;) {
            auto row = q.next();
            if (!row)
                return row.problem();
            if (!row.value())
                break;
            const QByteArrayView record = q.text(0);
            const auto it = byRecord.constFind(QByteArray::fromRawData(record.data(), record.size()));
            if (it == byRecord.cend())
                continue; // an exception the filters leave out
            h.m_cases[*it].log.append(RiskOpsLogEntry{q.int64(1), pool.text(q.text(2)), pool.text(q.text(3)),
                                                      int(q.int64(4)), pool.text(q.text(5)), q.int64(6)});
        }
    }
    // The order the board lists exceptions in, and each log in chain order; then what the log decides.
    std::sort(h.m_cases.begin(), h.m_cases.end(), [](const RiskOpsCase& a, const RiskOpsCase& b) {
        return a.applyMs != b.applyMs ? a.applyMs < b.applyMs : a.recordId < b.recordId;
    });
    for (RiskOpsCase& c : h.m_cases) {
        std::sort(c.log.begin(), c.log.end(),
                  [](const RiskOpsLogEntry& a, const RiskOpsLogEntry& b) { return a.seq < b.seq; });
        for (const RiskOpsLogEntry& e : c.log) {
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
        }
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
