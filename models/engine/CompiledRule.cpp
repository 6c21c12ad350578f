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
    Result<RuleEvaluation::Outcome> run(FactSlots fields, RuleEvaluation* explain,
                                        std::span<const quint32> listIds, ConditionMemo* memo) const;
    // The rule's fields of a record, looked up once each.
    QVarLengthArray<const FactRecord::Field*, 16> slotsOf(const FactRecord& record) const {
        QVarLengthArray<const FactRecord::Field*, 16> out;
        for (const QString& key : keys)
            out.append(record.field(key));
        return out;
    }
};

namespace {

// The keys' positions in the rule's field list.
QList<int> slotIndices(const QStringList& keys, const QStringList& all) {
    QList<int> out;
    for (const QString& key : keys)
        out << int(all.indexOf(key));
    return out;
}

// Text work worth remembering per combination of value lists, when the lists are few enough to make a key.
void chooseMemoSlots(CompiledCondition& c) {
    using Op = CompiledCondition::Operator;
    if (c.kind == Op::Numeric || c.kind == Op::ExistsAny || c.kind == Op::ExistsAll)
        return; // reads numbers read once per list, or presence: cheaper than a look-up
    QList<int> slots;
    for (const QList<int>* list : {&c.leftSlots, &c.rightSlots, &c.extraSlots})
        for (const int slot : *list)
            if (!slots.contains(slot))
                slots << slot;
    if (slots.size() <= 2)
        c.memoSlots = slots;
}

} // namespace

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
    for (CompiledCondition& c : compiled->conditions) {
        c.leftSlots = slotIndices(c.left, compiled->keys);
        c.rightSlots = slotIndices(c.right, compiled->keys);
        c.extraSlots = slotIndices(c.extra, compiled->keys);
        c.routeSlots = slotIndices(c.routeKeys, compiled->keys);
        chooseMemoSlots(c);
    }
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

Result<RuleEvaluation::Outcome> CompiledRule::Compiled::run(FactSlots fields, RuleEvaluation* explain,
                                                            std::span<const quint32> listIds,
                                                            ConditionMemo* memo) const {
    QVarLengthArray<Truth, 8> truths;
    for (qsizetype i = 0; i < conditions.size(); ++i) {
        const CompiledCondition& c = conditions.at(i);
        ConditionOutcome* outcome = nullptr;
        if (explain) {
            explain->conditions.append(ConditionOutcome{c.id, c.op, Truth::Unknown, {}});
            outcome = &explain->conditions.last();
        }
        // Remembered answers: the key is the lists read, a lacking field (never a list index) included.
        QHash<quint64, Truth>* answers = nullptr;
        quint64 key = 0;
        if (memo && !c.memoSlots.isEmpty()) {
            for (qsizetype k = 0; k < c.memoSlots.size(); ++k) {
                const auto slot = size_t(c.memoSlots.at(k));
                key |= quint64(fields[slot] ? listIds[slot] : 0xFFFFFFFFu) << (32 * k);
            }
            answers = &memo->answers(i);
            if (const auto known = answers->constFind(key); known != answers->cend()) {
                truths.append(known.value());
                continue;
            }
        }
        auto v = conditionops::evaluate(name, c, fields, outcome);
        if (!v)
            return v.problem();
        truths.append(v.value());
        if (answers)
            answers->insert(key, v.value());
        if (outcome)
            outcome->value = v.value();
    }
    const Truth t = logicValue(logic, truths, explain ? &explain->decidingConditions : nullptr);
    return t == Truth::True    ? RuleEvaluation::Outcome::Hit
           : t == Truth::False ? RuleEvaluation::Outcome::Pass
                               : RuleEvaluation::Outcome::NeedsSupplement;
}

Result<RuleEvaluation::Outcome> CompiledRule::outcome(const FactRecord& record) const {
    const auto fields = m_compiled->slotsOf(record);
    return m_compiled->run(fields, nullptr, {}, nullptr);
}

Result<RuleEvaluation::Outcome> CompiledRule::outcome(FactSlots fields, std::span<const quint32> listIds,
                                                      ConditionMemo& memo) const {
    return m_compiled->run(fields, nullptr, listIds, &memo);
}

Result<RuleEvaluation> CompiledRule::explain(const FactRecord& record) const {
    RuleEvaluation out;
    out.ruleName = m_compiled->name;
    out.hitLogic = m_compiled->logicText;
    const auto fields = m_compiled->slotsOf(record);
    auto outcome = m_compiled->run(fields, &out, {}, nullptr);
    if (!outcome)
        return outcome.problem();
    out.outcome = outcome.value();
    out.decidingConditions.removeDuplicates();
    return out;
}

} // namespace riskdesk
