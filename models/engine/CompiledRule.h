#pragma once

#include "ConditionMemo.h"
#include "FactRecord.h"
#include "FactSlots.h"
#include "RuleEvaluator.h"
#include "domain/Result.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <memory>
#include <span>

namespace riskdesk {

// A rule payload checked and resolved once: operators, field lists, keywords, thresholds and the hit logic
// become plain data, so evaluating a record does no JSON look-ups and no parsing. Replaying a target's whole
// history runs outcome() per record; explain() gives the same answer with every condition's facts and the
// branch of the hit logic that decided it. A malformed rule fails compile() with a Problem naming the rule
// and the condition; a record lacking a field the rule needs is a Problem at evaluation, never a silent pass.
class CompiledRule {
public:
    static Result<CompiledRule> compile(const QJsonObject& rule);

    const QString& name() const;
    // Every field key the rule reads, in first-use order.
    const QStringList& fieldKeys() const;

    Result<RuleEvaluation::Outcome> outcome(const FactRecord& record) const;
    Result<RuleEvaluation> explain(const FactRecord& record) const;
    // The same answer for a record given as the fields the rule reads (one per fieldKeys() entry, nullptr
    // where it lacks one) from a stored block, with listIds[i] the block's index of the value list in slot i.
    // Conditions that do text work remember their answer per combination of lists in `memo`, which the caller
    // clears before each block (the indices mean other lists there).
    Result<RuleEvaluation::Outcome> outcome(FactSlots fields, std::span<const quint32> listIds,
                                            ConditionMemo& memo) const;

    struct Compiled; // the resolved rule, shared by copies

private:
    explicit CompiledRule(std::shared_ptr<const Compiled> compiled) : m_compiled(std::move(compiled)) {}

    std::shared_ptr<const Compiled> m_compiled;
};

} // namespace riskdesk
