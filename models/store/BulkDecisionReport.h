#pragma once

#include "DecisionService.h"

#include <QList>
#include <QString>

namespace riskdesk {

// One exception of a bulk decision that the state machine (or the workspace) refused, and why.
struct BulkRefusal {
    QString recordId;
    QString code;    // the refusal's code, as a single decision's Problem carries it
    QString message; // translated, names the exception
};

// What a bulk decision did: every decision applied, every refusal with its reason (together they are the
// whole request), and every exception stored (automatic rejections of ended windows included), for the view.
struct BulkDecisionReport {
    QList<AppliedDecision> applied;
    QList<BulkRefusal> refused;
    QList<RiskException> changed;
    int firstSteps = 0; // applied decisions that were the first step of two

    void append(const BulkDecisionReport& more) {
        applied += more.applied;
        refused += more.refused;
        changed += more.changed;
        firstSteps += more.firstSteps;
    }
};

} // namespace riskdesk
