// libFuzzer target: rule payload + case record → RuleEvaluator, and any text → RuleRecognizer.
// Input: a rule's JSON, a NUL byte, a case record's JSON. Nothing may crash, hang or leak, whatever comes in.
#include "engine/RuleEvaluator.h"
#include "engine/RuleRecognizer.h"

#include <QJsonDocument>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const qsizetype split = input.indexOf('\0');
    const QByteArray ruleText = split < 0 ? input : input.left(split);
    const QByteArray caseText = split < 0 ? QByteArray("{}") : input.mid(split + 1);
    const QJsonObject rule = QJsonDocument::fromJson(ruleText).object();
    const QJsonObject record = QJsonDocument::fromJson(caseText).object();
    const auto result = riskdesk::RuleEvaluator::evaluate(rule, record);
    if (result)
        (void)result.value().toJson();
    else if (result.problem().message.isEmpty())
        __builtin_trap(); // every refusal must say why
    (void)riskdesk::RuleRecognizer::isCityConsistencyRule(QString::fromUtf8(input));
    return 0;
}
