#pragma once

#include "CompiledCondition.h"
#include "domain/Result.h"

#include <QJsonObject>

namespace riskdesk {

// Reads one condition of a rule payload (the index-th, 1-based, which names it when it has no id) into a
// CompiledCondition: its operator, its field lists by role, keywords and threshold. A condition that lacks
// what its operator needs is a Problem naming the rule and the condition.
Result<CompiledCondition> compileCondition(const QString& ruleName, const QJsonObject& condition, int index);

} // namespace riskdesk
