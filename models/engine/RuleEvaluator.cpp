#include "RuleEvaluator.h"

#include "CompiledRule.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QString truthName(Truth t) {
    return t == Truth::True ? u"true"_s : t == Truth::False ? u"false"_s : u"unknown"_s;
}

} // namespace

QString RuleEvaluation::outcomeName(Outcome outcome) {
    switch (outcome) {
    case Outcome::Pass:
        return u"pass"_s;
    case Outcome::Hit:
        return u"hit"_s;
    case Outcome::NeedsSupplement:
        return u"needs_supplement"_s;
    }
    return {};
}

QJsonObject RuleEvaluation::toJson() const {
    QJsonArray conditionsJson;
    for (const ConditionOutcome& c : conditions)
        conditionsJson.append(QJsonObject{
            {u"id"_s, c.id}, {u"operator"_s, c.op}, {u"value"_s, truthName(c.value)}, {u"facts"_s, c.facts}});
    return QJsonObject{{u"rule"_s, ruleName},
                       {u"outcome"_s, outcomeName(outcome)},
                       {u"hit_logic"_s, hitLogic},
                       {u"deciding_conditions"_s, QJsonArray::fromStringList(decidingConditions)},
                       {u"conditions"_s, conditionsJson}};
}

Result<RuleEvaluation> RuleEvaluator::evaluate(const QJsonObject& rule, const QJsonObject& record) {
    auto compiled = CompiledRule::compile(rule);
    if (!compiled)
        return compiled.problem();
    return compiled.value().explain(FactRecord::fromJson(record));
}

} // namespace riskdesk
