#include "RiskAssessor.h"

#include "AssessmentText.h"
#include "domain/Timestamps.h"

#include <QJsonArray>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

void add(CheckResult& check, const ScoredSignal& signal) {
    check.score += signal.score;
    if (!signal.reason.isEmpty())
        check.reasons << signal.reason;
    if (!signal.recommendation.isEmpty())
        check.recommendations << signal.recommendation;
}

void appendUnique(QStringList& out, const QStringList& items) {
    for (const QString& item : items)
        if (!out.contains(item))
            out << item;
}

} // namespace

Assessment RiskAssessor::assess(const AssessmentRequest& r, const VelocityCounters& before, bool blacklisted,
                                const AssessmentPolicy& p) {
    Assessment a;
    auto& [amount, velocity, blacklist, device, location] = a.checks;
    amount.type = u"amount_risk"_s;
    for (const AmountBand& band : p.amountBands) {
        if (r.amountCents > band.aboveCents) {
            add(amount, band.signal);
            break;
        }
    }

    velocity.type = u"velocity_risk"_s;
    if (before.dailyCount >= p.dailyCountAtLeast)
        add(velocity, p.dailyCount);
    if (before.dailyAmountCents >= p.dailyAmountAtLeastCents)
        add(velocity, p.dailyAmount);
    if (before.hourlyCount >= p.hourlyCountAtLeast)
        add(velocity, p.hourlyCount);
    velocity.score = std::min(velocity.score, p.velocityCap);

    blacklist.type = u"blacklist_risk"_s;
    if (blacklisted)
        add(blacklist, p.blacklisted);

    device.type = u"device_risk"_s;
    if (!r.hasDeviceId)
        add(device, p.missingDeviceId);
    if (r.isEmulator)
        add(device, p.emulator);
    if (r.isRooted)
        add(device, p.rooted);

    location.type = u"location_risk"_s;
    if (!r.hasLocation) {
        add(location, p.missingLocation);
    } else {
        if (!r.country.isEmpty() && p.highRiskCountries.contains(r.country))
            add(location, p.highRiskLocation);
    }

    int total = 0;
    for (const CheckResult& c : a.checks) {
        total += c.score;
        appendUnique(a.reasons, c.reasons);
        appendUnique(a.recommendations, c.recommendations);
    }
    a.riskScore = std::min(total * p.multiplier, p.maxScore);
    a.riskLevel = p.otherwise.level;
    a.decision = p.otherwise.decision;
    for (const RiskLevelRule& level : p.levels) {
        if (a.riskScore >= level.atLeast) {
            a.riskLevel = level.level;
            a.decision = level.decision;
            break;
        }
    }
    return a;
}

QJsonObject RiskAssessor::responseJson(const Assessment& a, const QString& requestId, const QString& userId,
                                       double processingMs, const QDateTime& timestamp) {
    QJsonArray reasons, recommendations;
    for (const QString& code : a.reasons)
        reasons.append(AssessmentText::reason(code));
    for (const QString& code : a.recommendations)
        recommendations.append(AssessmentText::recommendation(code));
    return QJsonObject{{u"request_id"_s, requestId},
                       {u"user_id"_s, userId},
                       {u"risk_score"_s, a.riskScore},
                       {u"risk_level"_s, a.riskLevel},
                       {u"decision"_s, a.decision},
                       {u"reasons"_s, reasons},
                       {u"recommendations"_s, recommendations},
                       {u"processing_time_ms"_s, processingMs},
                       {u"timestamp"_s, timestamps::toIso(timestamp)}};
}

} // namespace riskdesk
