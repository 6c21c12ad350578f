#include "TargetRiskReader.h"

#include "TargetHistoryStore.h"
#include "domain/Timestamps.h"

namespace riskdesk {

TargetRisk TargetRiskReader::read(QSqlDatabase db, const RiskException& e, const std::optional<Rule>& rule,
                                  qsizetype keepChanges) {
    TargetRisk out;
    TargetHistoryStore history(db, e.tenantId);
    if (e.targetType == TargetType::User) {
        if (auto latest = AssessmentStore(db, e.tenantId).latestForUser(e.targetId))
            out.current = latest.value();
    } else if (auto latest = history.latestAssessed(e.targetType, e.targetId); latest && latest.value()) {
        const TargetEvent& event = *latest.value();
        LoggedAssessment a;
        a.amountCents = event.amountCents;
        a.riskScore = event.assessment->riskScore;
        a.riskLevel = event.assessment->riskLevel;
        a.decision = event.assessment->decision;
        a.reasons = event.assessment->reasons;
        a.assessedAtMs = event.occurredAtMs;
        out.current = a;
    }

    if (!rule) {
        out.impactProblem =
            tr("The rule %1 is not in this workspace, so nothing can be replayed.").arg(e.riskRuleId);
        return out;
    }
    auto compiled = CompiledRule::compile(rule->payload);
    if (!compiled) {
        out.impactProblem = compiled.problem().message;
        return out;
    }
    auto replayed =
        history.replay(e.targetType, e.targetId, compiled.value(), timestamps::toMs(e.validStartTime),
                       timestamps::toMs(e.validEndTime), keepChanges);
    if (!replayed) {
        out.impactProblem = replayed.problem().message;
        return out;
    }
    if (const std::optional<TargetEvent>& latest = replayed.value().latest) {
        if (auto explained = compiled.value().explain(latest->facts)) {
            out.latestCase = explained.value();
            out.latestEventId = latest->eventId;
        }
    }
    out.impact = replayed.value().impact;
    return out;
}

} // namespace riskdesk
