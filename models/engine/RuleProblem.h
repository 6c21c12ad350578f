#pragma once

#include "domain/Result.h"

#include <QString>

namespace riskdesk {

// The Problem of a malformed rule or of a record the rule cannot read: it names the rule and, when there is
// one, the condition (also its field), as every step of compiling and evaluating a rule reports.
Problem ruleProblem(const QString& ruleName, const QString& conditionId, const QString& what);

} // namespace riskdesk
