#pragma once

#include "FactRecord.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace riskdesk {

// The engine's answer for a transaction as it was logged (the reference's response fields).
struct EventAssessment {
    double riskScore = 0;
    QString riskLevel; // HIGH, MEDIUM, LOW, MINIMAL
    QString decision;  // REJECT, REVIEW, APPROVE_WITH_MONITORING, APPROVE
    QStringList reasons;
};

// One entry of a target's history: a case filed for a claim, or a transaction of a user or merchant.
struct TargetEvent {
    enum class Kind { Case, Transaction };

    QString eventId;
    qint64 occurredAtMs = 0;
    Kind kind = Kind::Case;
    qint64 amountCents = 0;
    FactRecord facts;
    std::optional<EventAssessment> assessment; // transactions only
};

} // namespace riskdesk
