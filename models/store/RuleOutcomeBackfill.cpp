#include "RuleOutcomeBackfill.h"

#include "BatchedInsert.h"
#include "RowBlock.h"
#include "SqlProblem.h"
#include "engine/CompiledRule.h"

#include <QHash>
#include <QJsonDocument>
#include <QSqlQuery>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kColumns = 10;
constexpr int kBlockRows = 4096;

struct KnownRule {
    qint64 version = 1;
    std::optional<CompiledRule> compiled; // none: the payload does not compile, so nothing can be read
};

QByteArrayView outcomeCode(RuleEvaluation::Outcome outcome) {
    switch (outcome) {
    case RuleEvaluation::Outcome::Hit:
        return "hit";
    case RuleEvaluation::Outcome::NeedsSupplement:
        return "needs_supplement";
    case RuleEvaluation::Outcome::Pass:
        return "pass";
    }
    return "pass";
}

} // namespace

Result<RuleOutcomeCounts> RuleOutcomeBackfill::run(QSqlDatabase db, const QString& tenantId) {
    const QString doing = tr("Backfilling the rule outcomes of tenant %1").arg(tenantId);
    QHash<QString, KnownRule> rules;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(u"SELECT rule_id, version, payload FROM rules WHERE tenant_id = ?"_s);
        q.addBindValue(tenantId);
        if (!q.exec())
            return sqlProblem(q, doing);
        while (q.next()) {
            KnownRule rule;
            rule.version = q.value(1).toLongLong();
            if (auto compiled =
                    CompiledRule::compile(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object()))
                rule.compiled = compiled.value();
            rules.insert(q.value(0).toString(), rule);
        }
        if (rowsFailed(q))
            return sqlProblem(q, doing);
    }
    QSqlQuery clear(db);
    clear.prepare(u"DELETE FROM rule_outcomes WHERE tenant_id = ?"_s);
    clear.addBindValue(tenantId);
    if (!clear.exec())
        return sqlProblem(clear, doing);

    // Each (target, rule) pair named by an exception, joined with the target's history; the waiver test uses
    // the exceptions-by-target index.
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT x.risk_rule_id, t.target_type, t.target_id, t.event_id, t.occurred_at, t.amount_cents,"
        "       t.facts,"
        "       EXISTS (SELECT 1 FROM exceptions w WHERE w.tenant_id = t.tenant_id"
        "                  AND w.target_type = t.target_type AND w.target_id = t.target_id"
        "                  AND w.risk_rule_id = x.risk_rule_id"
        "                  AND (w.status = 'approved' OR w.status = 'expired')"
        "                  AND t.occurred_at >= w.valid_start_time AND t.occurred_at <= w.valid_end_time)"
        "  FROM (SELECT DISTINCT tenant_id, target_type, target_id, risk_rule_id FROM exceptions"
        "         WHERE tenant_id = ?) x"
        "  JOIN target_events t ON t.tenant_id = x.tenant_id AND t.target_type = x.target_type"
        "                      AND t.target_id = x.target_id"
        " ORDER BY x.risk_rule_id, t.target_type, t.target_id, t.occurred_at, t.event_id"_s);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, doing);

    BatchedInsert insert(
        db,
        "INSERT INTO rule_outcomes (tenant_id, rule_id, rule_version, target_type, target_id, "
        "event_id, occurred_at, outcome, waived, amount_cents)",
        kColumns);
    if (!insert.prepared())
        return insert.prepared().problem();
    const QByteArray tenant = tenantId.toUtf8();
    RuleOutcomeCounts counts;
    RowBlock block;
    QString lastRule;
    const KnownRule* rule = nullptr;
    while (q.next()) {
        const QString ruleId = q.value(0).toString();
        if (ruleId != lastRule || !rule) {
            lastRule = ruleId;
            const auto it = rules.constFind(ruleId);
            rule = it == rules.cend() ? nullptr : &it.value();
        }
        if (!rule)
            continue; // an exception naming a rule the workspace does not have: nothing to evaluate with
        QByteArrayView outcome = "unreadable";
        if (rule->compiled) {
            const FactRecord facts =
                FactRecord::fromJson(QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object());
            if (const auto evaluated = rule->compiled->outcome(facts))
                outcome = outcomeCode(evaluated.value());
        }
        const bool waived = q.value(7).toInt() == 1;
        block.addText(tenant);
        block.addText(ruleId.toUtf8());
        block.addInteger(rule->version);
        block.addText(q.value(1).toString().toUtf8());
        block.addText(q.value(2).toString().toUtf8());
        block.addText(q.value(3).toString().toUtf8());
        block.addInteger(q.value(4).toLongLong());
        block.addText(outcome);
        block.addInteger(waived ? 1 : 0);
        block.addInteger(q.value(5).toLongLong());
        block.endRow();
        ++counts.rows;
        counts.waived += waived;
        if (outcome == "hit")
            ++counts.hits;
        else if (outcome == "pass")
            ++counts.passes;
        else if (outcome == "needs_supplement")
            ++counts.supplements;
        else
            ++counts.unreadable;
        if (block.rows() == kBlockRows) {
            if (Status s = insert.insert(block); !s)
                return s.problem();
            block.clear();
        }
    }
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    if (block.rows() > 0)
        if (Status s = insert.insert(block); !s)
            return s.problem();
    return counts;
}

} // namespace riskdesk
