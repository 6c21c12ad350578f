#include "RuleOutcomeBackfill.h"

#include "BatchedInsert.h"
#include "RowBlock.h"
#include "SqlProblem.h"
#include "engine/CompiledRule.h"

#include <QHash>
#include <QJsonDocument>
#include <QSqlQuery>
#include <algorithm>
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

    // The rules filed for each target, with the windows of the approved (or since expired) ones. Read into
    // memory first and then one pass over target_events in key order: both reads are plain index walks, so
    // the time stays linear whatever the planner's statistics (the demo backfills before ANALYZE).
    struct Filed {
        QString ruleId;
        QList<std::pair<qint64, qint64>> waivers; // [start, end] of approved exceptions
    };
    QHash<QString, QList<Filed>> filedByTarget; // "type\x1Ftarget"
    {
        QSqlQuery x(db);
        x.setForwardOnly(true);
        x.prepare(u"SELECT target_type, target_id, risk_rule_id, status, valid_start_time, valid_end_time"
                  "  FROM exceptions WHERE tenant_id = ?"_s);
        x.addBindValue(tenantId);
        if (!x.exec())
            return sqlProblem(x, doing);
        while (x.next()) {
            QList<Filed>& filed = filedByTarget[x.value(0).toString() + QChar(0x1F) + x.value(1).toString()];
            const QString ruleId = x.value(2).toString();
            auto it =
                std::find_if(filed.begin(), filed.end(), [&](const Filed& f) { return f.ruleId == ruleId; });
            if (it == filed.end())
                it = filed.insert(filed.end(), Filed{ruleId, {}});
            const QString status = x.value(3).toString();
            if (status == u"approved" || status == u"expired")
                it->waivers.append({x.value(4).toLongLong(), x.value(5).toLongLong()});
        }
        if (rowsFailed(x))
            return sqlProblem(x, doing);
    }

    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT target_type, target_id, event_id, occurred_at, amount_cents, facts FROM target_events"
              " WHERE tenant_id = ? ORDER BY tenant_id, target_type, target_id, occurred_at, event_id"_s);
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
    while (q.next()) {
        const QString type = q.value(0).toString(), target = q.value(1).toString();
        const auto filed = filedByTarget.constFind(type + QChar(0x1F) + target);
        if (filed == filedByTarget.cend())
            continue; // no exception names this target
        const qint64 occurredAt = q.value(3).toLongLong();
        const FactRecord facts =
            FactRecord::fromJson(QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object());
        for (const Filed& f : *filed) {
            const auto known = rules.constFind(f.ruleId);
            if (known == rules.cend())
                continue; // an exception naming a rule the workspace does not have: nothing to evaluate with
            QByteArrayView outcome = "unreadable";
            if (known->compiled)
                if (const auto evaluated = known->compiled->outcome(facts))
                    outcome = outcomeCode(evaluated.value());
            const bool waived = std::any_of(f.waivers.cbegin(), f.waivers.cend(), [&](const auto& w) {
                return occurredAt >= w.first && occurredAt <= w.second;
            });
            block.addText(tenant);
            block.addText(f.ruleId.toUtf8());
            block.addInteger(known->version);
            block.addText(type.toUtf8());
            block.addText(target.toUtf8());
            block.addText(q.value(2).toString().toUtf8());
            block.addInteger(occurredAt);
            block.addText(outcome);
            block.addInteger(waived ? 1 : 0);
            block.addInteger(q.value(4).toLongLong());
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
            if (block.rows() >= kBlockRows) {
                if (Status s = insert.insert(block); !s)
                    return s.problem();
                block.clear();
            }
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
