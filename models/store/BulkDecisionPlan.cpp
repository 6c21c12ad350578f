#include "BulkDecisionPlan.h"

#include "SqlProblem.h"
#include "domain/ExceptionColumns.h"

#include <QSqlQuery>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<qint64> BulkDecisionPlan::count(QSqlDatabase db, const QueueFilter& filter) {
    QSqlQuery q(db);
    if (!QueueSql::execFiltered(q, QueueSql::countMatching(filter), filter) || !q.next())
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
                                                const BulkDecider& decider) {
    // The whole exceptions (the rules read their state, applicant, named approver and chain), their assignee,
    // and their rule's name and severity: a rule missing from the workspace is two-step, as the decision
    // treats it (high).
    const QString sql = u"SELECT "_s + QString::fromLatin1(ExceptionColumns::names("e.")) +
                        u", COALESCE(r.name, e.risk_rule_id), COALESCE(r.severity, 'high'), "
                        "COALESCE(ea.assignee_id, '') FROM exceptions e "
                        "LEFT JOIN rules r ON r.tenant_id = e.tenant_id AND r.rule_id = e.risk_rule_id "
                        "LEFT JOIN exception_assignments ea ON ea.tenant_id = e.tenant_id "
                        "AND ea.record_id = e.record_id"_s +
                        QueueSql::filterWhere(filter, QueueSql::TextPlan::TrigramIndex) +
                        u" ORDER BY e.rowid"_s;
    QSqlQuery rows(db);
    if (!QueueSql::execFiltered(rows, sql, filter))
        return sqlProblem(rows, tr("Reading the exceptions to decide"));
    const int nameColumn = ExceptionColumns::kCount, severityColumn = nameColumn + 1,
              assigneeColumn = nameColumn + 2;
    BulkDecisionPlan plan;
    QHash<RefusalCode, qint64> refused;
    QHash<QString, qsizetype> ruleIndex; // rule id → its place in perRule
    while (rows.next()) {
        DecisionRequest request;
        request.exception = ExceptionColumns::fromValues([&](int c) { return rows.value(c); });
        request.severity = severityFromWire(rows.value(severityColumn).toString()).value_or(Severity::High);
        request.assigneeId = rows.value(assigneeColumn).toString();
        request.actor = decider.actor;
        request.action = decider.action;
        request.now = decider.now;
        // Any reason will do: the dialog refuses a blank or invalid one before anything is decided.
        if (decider.action == DecisionAction::Reject)
            request.comment = u"-"_s;
        plan.recordIds << request.exception.recordId;
        if (request.exception.status != ExceptionStatus::Pending)
            ++plan.notPending;
        const DecisionResult result = ExceptionDecision::decide(request);
        if (const auto* refusal = std::get_if<Refusal>(&result)) {
            ++refused[refusal->code];
            continue;
        }
        // What the counts describe is what will be decided: the refused are listed on their own.
        if (!std::get<DecisionOutcome>(result).finalDecision)
            ++plan.firstSteps;
        const QString& ruleId = request.exception.riskRuleId;
        auto at = ruleIndex.constFind(ruleId);
        if (at == ruleIndex.cend()) {
            at = ruleIndex.insert(ruleId, plan.perRule.size());
            plan.perRule.append(BulkRuleCount{ruleId, rows.value(nameColumn).toString(), 0});
        }
        ++plan.perRule[*at].count;
    }
    if (rowsFailed(rows))
        return sqlProblem(rows, tr("Reading the exceptions to decide"));
    for (auto it = refused.cbegin(); it != refused.cend(); ++it)
        plan.foreseenRefusals.append(BulkRefusalCount{it.key(), it.value()});
    std::sort(plan.foreseenRefusals.begin(), plan.foreseenRefusals.end(),
              [](const BulkRefusalCount& a, const BulkRefusalCount& b) {
                  return a.count != b.count ? a.count > b.count : a.code < b.code;
              });
    std::sort(plan.perRule.begin(), plan.perRule.end(), [](const BulkRuleCount& a, const BulkRuleCount& b) {
        return a.count != b.count ? a.count > b.count : a.ruleId < b.ruleId;
    });
    return plan;
}

} // namespace riskdesk
