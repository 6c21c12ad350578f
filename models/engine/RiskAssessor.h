#pragma once

#include "AssessmentPolicy.h"
#include "AssessmentRequest.h"
#include "VelocityLedger.h"

#include <QJsonObject>
#include <QStringList>
#include <array>

namespace riskdesk {

// One check's contribution, kept so that an assessment can explain itself.
struct CheckResult {
    QString type; // amount_risk | velocity_risk | blacklist_risk | device_risk | location_risk
    int score = 0;
    QStringList reasons;
    QStringList recommendations;
};

struct Assessment {
    double riskScore = 0;
    QString riskLevel;
    QString decision;
    QStringList reasons;         // codes, without duplicates, in first-seen order
    QStringList recommendations; // codes, likewise
    std::array<CheckResult, 5>
        checks; // amount, velocity, blacklist, device, location: no heap per assessment
};

// The reference's five checks, score, level and decision, as one pure function: the velocity counters and the
// blacklist verdict are inputs, so nothing here reads a clock, a ledger or a database.
class RiskAssessor {
public:
    static Assessment assess(const AssessmentRequest& request, const VelocityCounters& before,
                             bool blacklisted, const AssessmentPolicy& policy);

    // The reference's response: request_id, user_id, risk_score, risk_level, decision, reasons and
    // recommendations as text in the current language, processing_time_ms, timestamp.
    static QJsonObject responseJson(const Assessment& assessment, const QString& requestId,
                                    const QString& userId, double processingMs, const QDateTime& timestamp);
};

} // namespace riskdesk
