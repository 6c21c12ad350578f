// libFuzzer target: JSON → AssessmentRequest → assessment and response, and JSON → AssessmentPolicy.
// Input: one request object, or an array of them assessed in order by one session (so the velocity ledger
// carries from one to the next, as in a real run). Deterministic: each input gets a fresh session and a
// fixed clock (a minute per request), so a crash reproduces from its input alone.
#include "engine/AssessmentSession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>
#include <cstddef>
#include <cstdint>

namespace {

void assessOne(riskdesk::AssessmentSession& session, const QJsonObject& json, const QDateTime& now) {
    const auto request = riskdesk::AssessmentRequest::fromJson(json);
    if (request) {
        const auto made = session.assess(request.value(), now);
        const double score = made.assessment.riskScore;
        if (!(score >= 0 && score <= 100))
            __builtin_trap(); // the score stays within the policy's bounds
        (void)riskdesk::RiskAssessor::responseJson(made.assessment, made.requestId(), request.value().userId,
                                                   0, made.timestamp);
    } else if (request.problem().field.isEmpty() || request.problem().message.isEmpty()) {
        __builtin_trap(); // a refused request names its field and says why
    }
    const auto policy = riskdesk::AssessmentPolicy::fromJson(json);
    if (!policy && policy.problem().message.isEmpty())
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)));
    riskdesk::AssessmentSession session; // nothing carried over from an earlier input
    const QDateTime start(QDate(2026, 11, 23), QTime(10, 0), QTimeZone::utc());
    if (document.isArray()) {
        const QJsonArray requests = document.array();
        for (qsizetype i = 0; i < requests.size() && i < 64; ++i)
            assessOne(session, requests.at(i).toObject(), start.addSecs(60 * i));
    } else {
        assessOne(session, document.object(), start);
    }
    return 0;
}
