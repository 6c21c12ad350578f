#include "BulkDecisionPlan.h"

#include "SqlProblem.h"
#include "domain/ExceptionColumns.h"

#include <QSqlQuery>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

bool run(QSqlQuery& q, const QString& sql, const QueueFilter& filter) {
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return false;
    for (const QVariant& value : QueueSql::filterBindings(filter, QueueSql::TextPlan::TrigramIndex))
        q.addBindValue(value);
    return q.exec();
}

} // namespace

Result<qint64> BulkDecisionPlan::count(QSqlDatabase db, const QueueFilter& filter) {
    QSqlQuery q(db);
    if (!run(q, QueueSql::countMatching(filter), filter) || !q.next())
        return sqlProblem(q, tr("Counting the matching exceptions"));
    return q.value(0).toLongLong();
}

qint64 BulkDecisionPlan::foreseenRefused() const {
    qint64 total = 0;
    for (const BulkRefusalCount& r : foreseenRefusals)
        total += r.count;
    return total;
}

Result<BulkDecisionPlan> BulkDecisionPlan::read(QSqlDatabase db, const QueueFilter& filter,
                                                const std::optional<BulkDecider>& decider) {
    BulkDecisionPlan plan;
    QSqlQuery ids(db);
    // For a foretelling, the whole exceptions: the rules read their state, applicant, assignee and chain.
    const QString rows =
        decider
            ? u"SELECT "_s + QString::fromLatin1(ExceptionColumns::names("e.")) + u" FROM exceptions e"_s +
                  QueueSql::filterWhere(filter, QueueSql::TextPlan::TrigramIndex) + u" ORDER BY e.rowid"_s
            : QueueSql::selectMatchingIds(filter);
    if (!run(ids, rows, filter))
        return sqlProblem(ids, tr("Reading the exceptions to decide"));
    QHash<RefusalCode, qint64> refused;
    const int recordIdColumn = decider ? ExceptionColumns::indexOf("record_id") : 0;
    while (ids.next()) {
        plan.recordIds << ids.value(recordIdColumn).toString();
        if (!decider)
            continue;
        DecisionRequest request;
        request.exception = ExceptionColumns::fromValues([&](int c) { return ids.value(c); });
        request.actor = decider->actor;
        request.action = decider->action;
        request.now = decider->now;
        // Any reason will do: the dialog refuses a blank or invalid one before anything is decided.
        if (decider->action == DecisionAction::Reject)
            request.comment = u"-"_s;
        const DecisionResult result = ExceptionDecision::decide(request);
        if (const auto* refusal = std::get_if<Refusal>(&result))
            ++refused[refusal->code];
    }
    if (rowsFailed(ids))
        return sqlProblem(ids, tr("Reading the exceptions to decide"));
    for (auto it = refused.cbegin(); it != refused.cend(); ++it)
        plan.foreseenRefusals.append(BulkRefusalCount{it.key(), it.value()});
    std::sort(plan.foreseenRefusals.begin(), plan.foreseenRefusals.end(),
              [](const BulkRefusalCount& a, const BulkRefusalCount& b) {
                  return a.count != b.count ? a.count > b.count : a.code < b.code;
              });

    // A rule missing from the workspace counts as two-step, as the decision treats it (high).
    const QString summary =
        u"SELECT e.risk_rule_id, COALESCE(r.name, e.risk_rule_id), count(*), "
        "sum(e.status = 'pending' AND COALESCE(r.severity, 'high') IN ('high', 'critical') AND NOT EXISTS "
        "(SELECT 1 FROM json_each(e.approval_chain_log) s WHERE json_extract(s.value, '$.action') = "
        "'approve')), "
        "sum(e.status <> 'pending') "
        "FROM exceptions e LEFT JOIN rules r ON r.tenant_id = e.tenant_id AND r.rule_id = e.risk_rule_id"_s +
        QueueSql::filterWhere(filter, QueueSql::TextPlan::TrigramIndex) +
        u" GROUP BY e.risk_rule_id ORDER BY count(*) DESC, e.risk_rule_id"_s;
    QSqlQuery q(db);
    if (!run(q, summary, filter))
        return sqlProblem(q, tr("Counting the exceptions to decide by rule"));
    while (q.next()) {
        plan.perRule.append(
            BulkRuleCount{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong()});
        plan.firstSteps += q.value(3).toLongLong();
        plan.notPending += q.value(4).toLongLong();
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Counting the exceptions to decide by rule"));
    return plan;
}

} // namespace riskdesk
