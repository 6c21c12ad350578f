#include "CompiledRule.h"

#include "CompiledCondition.h"
#include "ConditionCompiler.h"
#include "ConditionOperators.h"
#include "HitLogicCompiler.h"
#include "HitLogicNode.h"
#include "RuleProblem.h"
#include "domain/TextRules.h"

#include <QHash>
#include <QJsonArray>
#include <QVarLengthArray>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

using Node = HitLogicNode;

struct CompiledRule::Compiled {
    QString name;
    QList<CompiledCondition> conditions;
    HitLogicNode logic;
    QString logicText;
    QStringList keys;

    Problem problem(const QString& condition, const QString& what) const {
        return ruleProblem(name, condition, what);
    }

    Truth logicValue(const HitLogicNode& node, const QVarLengthArray<Truth, 8>& truths,
                     QStringList* deciding) const;
    Result<RuleEvaluation::Outcome> run(const FactRecord& record, RuleEvaluation* explain) const;
};

Result<CompiledRule> CompiledRule::compile(const QJsonObject& rule) {
    auto compiled = std::make_shared<Compiled>();
    compiled->name = rule.value(u"name"_s).toString(rule.value(u"rule_id"_s).toString(u"(unnamed rule)"_s));
    const QJsonObject params = rule.value(u"params"_s).toObject();
    const QJsonValue conditions = params.value(u"conditions"_s);
    if (!conditions.isArray() || conditions.toArray().isEmpty())
        return compiled->problem({}, RuleEvaluator::tr("params.conditions must be a non-empty list."));
    QHash<QString, int> byId;
    int index = 0;
    for (const QJsonValue& c : conditions.toArray()) {
        ++index;
        if (!c.isObject())
            return compiled->problem(u"C%1"_s.arg(index),
                                     RuleEvaluator::tr("the condition is not an object."));
        auto condition = compileCondition(compiled->name, c.toObject(), index);
        if (!condition)
            return condition.problem();
        if (byId.contains(condition.value().id))
            return compiled->problem(condition.value().id, RuleEvaluator::tr("two conditions have this id."));
        byId.insert(condition.value().id, int(compiled->conditions.size()));
        for (const QStringList* keys :
             {&condition.value().left, &condition.value().right, &condition.value().extra})
            for (const QString& key : *keys)
                if (!compiled->keys.contains(key))
                    compiled->keys << key;
        compiled->conditions << std::move(condition).value();
    }
    // Without hit logic every condition must hold, as the reference's AND of decision titles. Hit logic that
    // is there but says nothing (null, "") is a mistake, not a request for that default.
    QJsonValue logic = params.value(u"hit_logic"_s);
    if (logic.isNull() || (logic.isString() && TextRules::isBlank(logic.toString())))
        return compiled->problem({}, RuleEvaluator::tr("hit_logic is empty: combine the conditions (e.g. "
                                                       "\"C1 AND C2\"), or leave hit_logic out to require "
                                                       "all of them."));
    if (logic.isUndefined()) {
        QJsonArray ids;
        for (const CompiledCondition& c : compiled->conditions)
            ids.append(c.id);
        logic = ids;
    }
    auto tree = compileHitLogic(compiled->name, logic, byId, &compiled->logicText);
    if (!tree)
        return tree.problem();
    compiled->logic = std::move(tree).value();
    return CompiledRule(std::move(compiled));
}

const QString& CompiledRule::name() const {
    return m_compiled->name;
}

const QStringList& CompiledRule::fieldKeys() const {
    return m_compiled->keys;
}

// Three-valued: in an AND a false part decides, in an OR a true part; otherwise an unknown part leaves the
// whole unknown. The deciding branch is the part that settled it, or every part when all agreed.
Truth CompiledRule::Compiled::logicValue(const Node& node, const QVarLengthArray<Truth, 8>& truths,
                                         QStringList* deciding) const {
    switch (node.kind) {
    case Node::Leaf:
        if (deciding)
            *deciding << conditions.at(node.condition).id;
        return truths.at(node.condition);
    case Node::Not: {
        const Truth v = logicValue(node.children.front(), truths, deciding);
        return v == Truth::Unknown ? Truth::Unknown : (v == Truth::False ? Truth::True : Truth::False);
    }
    case Node::All:
    case Node::Any: {
        const Truth decisive = node.kind == Node::All ? Truth::False : Truth::True;
        QList<QStringList> paths(qsizetype(node.children.size()));
        QVarLengthArray<Truth, 8> values;
        for (size_t i = 0; i < node.children.size(); ++i)
            values.append(logicValue(node.children[i], truths, deciding ? &paths[qsizetype(i)] : nullptr));
        for (const Truth settle : {decisive, Truth::Unknown})
            for (qsizetype i = 0; i < values.size(); ++i)
                if (values.at(i) == settle) {
                    if (deciding)
                        *deciding << paths.at(i);
                    return settle;
                }
        if (deciding)
            for (const QStringList& p : paths)
                *deciding << p;
        return node.kind == Node::All ? Truth::True : Truth::False;
    }
    }
    return Truth::Unknown;
}

Result<RuleEvaluation::Outcome> CompiledRule::Compiled::run(const FactRecord& record,
                                                            RuleEvaluation* explain) const {
    QVarLengthArray<Truth, 8> truths;
    for (const CompiledCondition& c : conditions) {
        ConditionOutcome* outcome = nullptr;
        if (explain) {
            explain->conditions.append(ConditionOutcome{c.id, c.op, Truth::Unknown, {}});
            outcome = &explain->conditions.last();
        }
        auto v = conditionops::evaluate(name, c, record, outcome);
        if (!v)
            return v.problem();
        truths.append(v.value());
        if (outcome)
            outcome->value = v.value();
    }
    const Truth t = logicValue(logic, truths, explain ? &explain->decidingConditions : nullptr);
    return t == Truth::True    ? RuleEvaluation::Outcome::Hit
           : t == Truth::False ? RuleEvaluation::Outcome::Pass
                               : RuleEvaluation::Outcome::NeedsSupplement;
}

Result<RuleEvaluation::Outcome> CompiledRule::outcome(const FactRecord& record) const {
    return m_compiled->run(record, nullptr);
}

Result<RuleEvaluation> CompiledRule::explain(const FactRecord& record) const {
    RuleEvaluation out;
    out.ruleName = m_compiled->name;
    out.hitLogic = m_compiled->logicText;
    auto outcome = m_compiled->run(record, &out);
    if (!outcome)
        return outcome.problem();
    out.outcome = outcome.value();
    out.decidingConditions.removeDuplicates();
    return out;
}

} // namespace riskdesk
