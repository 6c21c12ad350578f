// libFuzzer target, differential: the compiled rule's fast path (outcome) against the explaining evaluator
// (RuleEvaluator::evaluate, which also gives every condition's facts) on the same rule and record.
// Input: a rule's JSON, a NUL byte, a case record's JSON. Aborts when the two disagree on whether the record
// can be judged, on the outcome, or on the problem's message; and when the record's flat form
// (FactRecord::toJson, which the workspace stores) judges differently from the record it came from.
#include "engine/CompiledRule.h"
#include "engine/RuleEvaluator.h"

#include <QJsonDocument>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void disagree(const char* what) {
    std::fprintf(stderr, "fuzz_rule_diff: %s\n", what);
    std::abort();
}

bool sameAnswer(const riskdesk::Result<riskdesk::RuleEvaluation::Outcome>& a,
                const riskdesk::Result<riskdesk::RuleEvaluation::Outcome>& b) {
    if (a.ok() != b.ok())
        return false;
    return a ? a.value() == b.value() : a.problem().message == b.problem().message;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const qsizetype split = input.indexOf('\0');
    const QByteArray ruleText = split < 0 ? input : input.left(split);
    const QByteArray caseText = split < 0 ? QByteArray("{}") : input.mid(split + 1);
    const QJsonObject rule = QJsonDocument::fromJson(ruleText).object();
    const QJsonObject caseJson = QJsonDocument::fromJson(caseText).object();

    const auto compiled = riskdesk::CompiledRule::compile(rule);
    const auto explained = riskdesk::RuleEvaluator::evaluate(rule, caseJson);
    if (!compiled) {
        if (explained || explained.problem().message != compiled.problem().message)
            disagree("a rule that does not compile was evaluated, or refused for another reason");
        return 0;
    }
    const riskdesk::FactRecord record = riskdesk::FactRecord::fromJson(caseJson);
    const auto fast = compiled.value().outcome(record);
    if (fast.ok() != explained.ok())
        disagree("one side judged the record, the other refused it");
    if (!fast) {
        if (fast.problem().message != explained.problem().message)
            disagree("the two sides refused the record for different reasons");
    } else {
        const riskdesk::RuleEvaluation& e = explained.value();
        if (fast.value() != e.outcome)
            disagree("the compiled rule and the explaining evaluator reached different outcomes");
        if (e.conditions.isEmpty() || e.decidingConditions.isEmpty())
            disagree("an explanation without conditions or without a deciding branch");
        for (const QString& id : e.decidingConditions)
            if (std::none_of(e.conditions.cbegin(), e.conditions.cend(),
                             [&](const riskdesk::ConditionOutcome& c) { return c.id == id; }))
                disagree("a deciding condition that is not a condition of the rule");
        (void)e.toJson();
    }
    // The stored (flat) form of the record is judged like the record itself.
    const auto again = compiled.value().outcome(riskdesk::FactRecord::fromJson(record.toJson()));
    if (!sameAnswer(fast, again))
        disagree("the record's flat form is judged differently from the record");
    return 0;
}
