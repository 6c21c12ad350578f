#pragma once

#include "FactRecord.h"
#include "RuleEvaluator.h"
#include "domain/Result.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <memory>

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

    struct Compiled; // the resolved rule, shared by copies

private:
    explicit CompiledRule(std::shared_ptr<const Compiled> compiled) : m_compiled(std::move(compiled)) {}

    std::shared_ptr<const Compiled> m_compiled;
};

} // namespace riskdesk
