#include "BulkDecisionPlan.h"

#include "SqlProblem.h"

#include <QSqlQuery>

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

Result<BulkDecisionPlan> BulkDecisionPlan::read(QSqlDatabase db, const QueueFilter& filter) {
    BulkDecisionPlan plan;
    QSqlQuery ids(db);
    if (!run(ids, QueueSql::selectMatchingIds(filter), filter))
        return sqlProblem(ids, tr("Reading the exceptions to decide"));
    while (ids.next())
        plan.recordIds << ids.value(0).toString();
    if (rowsFailed(ids))
        return sqlProblem(ids, tr("Reading the exceptions to decide"));

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
