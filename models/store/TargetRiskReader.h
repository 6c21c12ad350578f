#pragma once

#include "AssessmentStore.h"
#include "domain/DirectoryTypes.h"
#include "domain/RiskException.h"
#include "engine/ImpactPreview.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <optional>

namespace riskdesk {

// What an approver sees about an exception's target: how risky it is now and what approving would let
// through.
struct TargetRisk {
    std::optional<LoggedAssessment> current; // the engine's latest assessment of the target, if it has one
    std::optional<ImpactSummary> impact;     // the replay of the target's history with and without the waiver
    QString impactProblem;                   // why there is no replay (the rule cannot be read, …)
    std::optional<RuleEvaluation> latestCase; // the rule explained on the target's latest event: its path
    QString latestEventId;
};

// Reads a target's current assessment and replays its recorded history for an exception, on the caller's
// (database) thread. A user's current risk is its latest entry in the assessment log; a merchant's or a
// transaction's is the latest transaction in its history that the engine assessed.
class TargetRiskReader {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::TargetRiskReader)

public:
    static TargetRisk read(QSqlDatabase db, const RiskException& exception, const std::optional<Rule>& rule,
                           qsizetype keepChanges = 100);
};

} // namespace riskdesk
