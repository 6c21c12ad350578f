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
    auto events = history.load(e.targetType, e.targetId);
    if (!events) {
        out.impactProblem = events.problem().message;
        return out;
    }
    if (!events.value().empty()) {
        const TargetEvent& latest = events.value().back();
        if (auto explained = compiled.value().explain(latest.facts)) {
            out.latestCase = explained.value();
            out.latestEventId = latest.eventId;
        }
    }
    out.impact = ImpactPreview::replay(compiled.value(), timestamps::toMs(e.validStartTime),
                                       timestamps::toMs(e.validEndTime), events.value(), keepChanges);
    return out;
}

} // namespace riskdesk
