#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace riskdesk {

// What one signal adds to the score, and the reason and recommendation codes it contributes (either may be
// empty: the reference's lowest amount band adds 5 points and says nothing).
struct ScoredSignal {
    int score = 0;
    QString reason;
    QString recommendation;
};

struct AmountBand {
    qint64 aboveCents = 0; // the band applies when the amount is strictly above this
    ScoredSignal signal;
};

struct RiskLevelRule {
    double atLeast = 0;
    QString level;
    QString decision;
};

// Every threshold, weight, cap, cut-off, list and the multiplier of the assessment, versioned. The default
// (resources/policy/default_policy.json) reproduces the reference service exactly. Money is in cents.
struct AssessmentPolicy {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::AssessmentPolicy)

public:
    QString name;
    int version = 0;
    QList<AmountBand> amountBands; // highest first; the first band the amount is above wins

    qint64 dailyCountAtLeast = 0;
    ScoredSignal dailyCount;
    qint64 dailyAmountAtLeastCents = 0;
    ScoredSignal dailyAmount;
    qint64 hourlyCountAtLeast = 0;
    ScoredSignal hourlyCount;
    int velocityCap = 0;

    ScoredSignal blacklisted;
    ScoredSignal missingDeviceId;
    ScoredSignal emulator;
    ScoredSignal rooted;
    ScoredSignal missingLocation;
    QStringList highRiskCountries; // a short list: scanning it is cheaper than hashing the country
    ScoredSignal highRiskLocation;

    double multiplier = 1.0;
    double maxScore = 100.0;
    QList<RiskLevelRule> levels; // highest first
    RiskLevelRule otherwise;

    // Reads a policy file's JSON; a problem names the key that is missing or wrong.
    static Result<AssessmentPolicy> fromJson(const QJsonObject& json);
    // The built-in reference policy.
    static const AssessmentPolicy& reference();
};

} // namespace riskdesk
