#include "RuleProblem.h"

#include "RuleEvaluator.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Problem ruleProblem(const QString& ruleName, const QString& conditionId, const QString& what) {
    return Problem{u"rule_error"_s,
                   conditionId.isEmpty()
                       ? RuleEvaluator::tr("Rule \"%1\": %2").arg(ruleName, what)
                       : RuleEvaluator::tr("Rule \"%1\", condition %2: %3").arg(ruleName, conditionId, what),
                   conditionId};
}

} // namespace riskdesk
