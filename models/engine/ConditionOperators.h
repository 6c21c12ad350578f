#pragma once

#include "CompiledCondition.h"
#include "FactSlots.h"
#include "RuleEvaluator.h"
#include "domain/Result.h"

namespace riskdesk {

// The operators of compiled conditions, one function per operator (a pair that differs only in its answer,
// such as overlap and its negation, shares one). Each decides its condition c of rule ruleName on record r
// and, when explain is given, writes there the facts that decided it. The record comes as the fields the rule
// reads (FactSlots, by the slots the condition names). A field the condition needs but the
// record lacks is a Problem; facts that are there but empty or unreadable make the answer Unknown.
namespace conditionops {

Result<Truth> setRelation(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                          ConditionOutcome* explain);
Result<Truth> dateOutsideRange(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                               ConditionOutcome* explain);
Result<Truth> numericCompare(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                             ConditionOutcome* explain);
Result<Truth> duplicateValue(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                             ConditionOutcome* explain);
Result<Truth> containsKeyword(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                              ConditionOutcome* explain);
Result<Truth> fieldsPresent(const CompiledCondition& c, FactSlots r, ConditionOutcome* explain);
Result<Truth> routeCityConsistency(const CompiledCondition& c, FactSlots r, ConditionOutcome* explain);

// Runs the operator of c.
Result<Truth> evaluate(const QString& ruleName, const CompiledCondition& c, FactSlots r,
                       ConditionOutcome* explain);

} // namespace conditionops

} // namespace riskdesk
