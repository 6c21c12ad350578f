// libFuzzer target: JSON → AssessmentRequest → assessment and response, and JSON → AssessmentPolicy.
#include "engine/AssessmentSession.h"

#include <QJsonDocument>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static riskdesk::AssessmentSession session; // the ledger carries across inputs, as in a real run
    const QJsonObject json =
        QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size))).object();
    const auto request = riskdesk::AssessmentRequest::fromJson(json);
    if (request) {
        const auto made = session.assess(request.value(), QDateTime::currentDateTimeUtc());
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
    return 0;
}
