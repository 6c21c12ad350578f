#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace riskdesk {

// Three-valued: a condition that lacks the facts to decide is neither true nor false.
enum class Truth { False, True, Unknown };

struct ConditionOutcome {
    QString id;
    QString op;
    Truth value = Truth::Unknown;
    QString facts; // what decided it, e.g. "A = {上海, 南京}; B = {杭州}; A ∩ B = ∅"
};

struct RuleEvaluation {
    enum class Outcome { Pass, Hit, NeedsSupplement };
    QString ruleName;
    Outcome outcome = Outcome::Pass;
    QList<ConditionOutcome> conditions;
    QStringList decidingConditions; // the branch of the hit logic that settled the outcome
    QString hitLogic;               // the logic as evaluated, in text

    static QString outcomeName(Outcome outcome);
    QJsonObject toJson() const;
};

// Evaluates a rule payload (params.conditions and params.hit_logic, as in the reference) against one case
// record whose fields use the reference keys ("claim.location", "attachment.route_cities", …; flat or
// nested). A malformed rule, an unknown operator or a field the case lacks is a Problem naming the rule and
// the condition: never a crash, never a silent pass.
class RuleEvaluator {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RuleEvaluator)

public:
    static Result<RuleEvaluation> evaluate(const QJsonObject& rule, const QJsonObject& caseRecord);
};

} // namespace riskdesk
