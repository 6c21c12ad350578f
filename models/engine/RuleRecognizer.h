#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>

namespace riskdesk {

// Recognises a travel-route city-consistency rule from its natural-language text (as the reference's rule
// generation does) and builds its draft and its evaluable params.
class RuleRecognizer {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RuleRecognizer)

public:
    static const QString kSemanticType; // travel_route_city_consistency

    // Success when the text is a city-consistency rule whose every condition this recogniser builds; else
    // why not, in words the writer can act on: not such a rule, a question, a negated comparison, a place
    // compared with itself, or a further condition (an amount, a count, a date) that would be dropped.
    static Status recognize(const QString& text);
    static bool isCityConsistencyRule(const QString& text);
    // The draft: template, field keys (those of the city fields the caller has), condition summary, exception
    // keywords, flow texts. Field keys default to every city field.
    static QJsonObject draft(const QString& riskLevel, const QStringList& availableFields = {});
    // The params RuleEvaluator runs: one route_city_consistency condition, formula, policies.
    static QJsonObject params(const QJsonObject& draft);
    // low/medium/high/critical as the reference labels them (低风险 … 极高风险 in Chinese).
    static QString riskLevelLabel(const QString& riskLevel);

    static const QStringList& attachmentCityFields();
    static const QStringList& referenceCityFields();
    static const QStringList& exceptionFields();
    static const QStringList& exceptionKeywords();
};

} // namespace riskdesk
