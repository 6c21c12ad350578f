#include "RuleRecognizer.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

const QString RuleRecognizer::kSemanticType = u"travel_route_city_consistency"_s;

const QStringList& RuleRecognizer::attachmentCityFields() {
    static const QStringList f{u"attachment.route_cities"_s, u"attachment.hotel_city"_s};
    return f;
}
const QStringList& RuleRecognizer::referenceCityFields() {
    static const QStringList f{u"claim.location"_s, u"item.item_location"_s};
    return f;
}
const QStringList& RuleRecognizer::exceptionFields() {
    static const QStringList f{u"claim.reason"_s, u"item.item_reason"_s};
    return f;
}
// Matched in the reason text; longer phrases first so that the evidence names the most specific one.
const QStringList& RuleRecognizer::exceptionKeywords() {
    static const QStringList k{u"绕行"_s, u"跨城办事"_s, u"跨城"_s, u"临时改签"_s, u"改签"_s, u"变更"_s};
    return k;
}

Status RuleRecognizer::recognize(const QString& text) {
    auto any = [&](std::initializer_list<const char16_t*> terms) {
        return std::any_of(terms.begin(), terms.end(),
                           [&](const char16_t* t) { return text.contains(QStringView(t)); });
    };
    auto refuse = [](const QString& code, const QString& message) {
        return Status(Problem{code, message, {}});
    };
    // What is compared (the tickets' cities), against what (the declared place), and how (a relation or a
    // route anomaly): all three must be there.
    const bool citySubject =
        any({u"交通票", u"住宿票", u"住宿发票", u"票据", u"附件", u"行程城市", u"住宿城市"});
    const bool reference =
        any({u"申报目的地", u"申报地点", u"明细地点", u"发生地点", u"意图城市", u"目的地"});
    const bool relation =
        any({u"一致", u"不一致", u"形成一致关系", u"匹配", u"无法与", u"对应", u"无交集", u"不符"});
    const bool routeAnomaly = any({u"绕行", u"跨城", u"中转", u"周转", u"改签"});
    const bool subjectAndReference = citySubject && reference && (relation || routeAnomaly);
    // The common wording compares two travel places, each a place word (城市, 地点, 目的地) qualified by what
    // it belongs to (出差, 行程, 票据, 交通票, …): "出差城市与行程城市不一致", "交通票城市与出差地点不一致".
    // A place qualified by anything else (登录城市, 注册地) is not a travel place.
    static const QRegularExpression travelPlace(u"(出差|行程|票据|交通票|住宿票|住宿发票|住宿|酒店|机票|车票|"
                                                u"申报|明细|发生|差旅)[^与和及同跟对，,。；;、\\s]{0,4}?"
                                                "(城市|地点|目的地)"_s);
    static const QRegularExpression mismatch(u"不一致|无交集|不符|不相符|不匹配|对应不上|不对应"_s);
    QStringList places;
    for (auto it = travelPlace.globalMatch(text); it.hasNext();)
        places << it.next().captured();
    const bool twoPlaces = places.size() >= 2 && mismatch.match(text).hasMatch();
    if (!subjectAndReference && !twoPlaces)
        return refuse(u"not_city_rule"_s,
                      tr("This is not a city-consistency rule: it needs the tickets' cities, the declared "
                         "place, and a relation between them or a route anomaly."));

    // Recognised words are not yet a rule: each refusal below would otherwise become a rule that checks
    // something other than what was written.
    static const QRegularExpression question(u"[？?]|是不是|[吗呢][\\s。！!，,]*$"_s);
    if (question.match(text).hasMatch())
        return refuse(u"question"_s, tr("This is a question, not a rule: state when the risk is hit, e.g. "
                                        "\"出差城市与行程城市不一致\"."));
    // A negation in front of the comparison turns "do not agree" into "agree": the opposite rule.
    static const QRegularExpression negation(u"不是|并非|不算"_s);
    static const QRegularExpression comparison(
        u"不一致|一致|无交集|不符|不相符|匹配|对应|无关|绕行|跨城|中转|"
        u"周转|改签"_s);
    const QRegularExpressionMatch negated = negation.match(text);
    const QRegularExpressionMatch compared = comparison.match(text);
    if (negated.hasMatch() && (!compared.hasMatch() || negated.capturedStart() < compared.capturedStart()))
        return refuse(u"negated"_s, tr("The comparison is negated (\"%1\"): state when the risk is hit, e.g. "
                                       "\"出差城市与行程城市不一致\".")
                                        .arg(negated.captured()));
    const qsizetype placesFound = places.size();
    places.removeDuplicates();
    if (!subjectAndReference && placesFound >= 2 && places.size() == 1)
        return refuse(u"same_place"_s, tr("\"%1\" is compared with itself: name two different places, e.g. "
                                          "\"出差城市与行程城市不一致\".")
                                           .arg(places.first()));
    // The rule built here checks cities only: an amount, a count or a date would be silently dropped.
    static const QRegularExpression clauses(u"[，,。；;、！!\\s]+|并且|而且|同时|另外|以及|且"_s);
    static const QRegularExpression extra(
        u"[0-9０-９]|金额|数额|天数|次数|人数|日期|时间|时长|频率|费用|价格|"
        u"超过|大于|小于|高于|低于|不少于|不低于|不超过|至少|以上|以下|多于|"
        u"少于|达到"_s);
    for (const QString& clause : text.split(clauses, Qt::SkipEmptyParts))
        if (extra.match(clause).hasMatch())
            return refuse(
                u"extra_condition"_s,
                tr("\"%1\" is a condition this recogniser does not understand: only the cities would "
                   "be compared and it would be dropped. Leave it out, or write the rule's conditions "
                   "out in a rule file.")
                    .arg(clause));
    return success();
}

bool RuleRecognizer::isCityConsistencyRule(const QString& text) {
    return recognize(text).ok();
}

QString RuleRecognizer::riskLevelLabel(const QString& level) {
    if (level == u"low")
        return tr("low risk");
    if (level == u"medium")
        return tr("medium risk");
    if (level == u"high")
        return tr("high risk");
    if (level == u"critical")
        return tr("critical risk");
    return tr("risk");
}

QJsonObject RuleRecognizer::draft(const QString& riskLevel, const QStringList& availableFields) {
    QJsonArray fieldKeys;
    for (const QStringList* group : {&attachmentCityFields(), &referenceCityFields(), &exceptionFields()})
        for (const QString& key : *group)
            if (availableFields.isEmpty() || availableFields.contains(key))
                fieldKeys.append(key);
    const QString label = riskLevelLabel(riskLevel);
    return QJsonObject{
        {u"template_key"_s, u"field_compare_v1"_s},
        {u"field_keys"_s, fieldKeys},
        {u"semantic_type"_s, kSemanticType},
        {u"risk_level"_s, riskLevel},
        {u"risk_level_label"_s, label},
        {u"condition_summary"_s,
         tr("Formula: A = ticket route cities ∪ hotel invoice city, B = declared destination ∪ item "
            "locations; "
            "if A or B is empty, ask for the missing information; if A and B do not meet and nothing "
            "explains it, "
            "or the ticket route has an extra city that neither the tickets' start and end nor the declared "
            "destination explains, the destination mismatch / route anomaly risk is hit.")},
        {u"keywords"_s, QJsonArray{}},
        {u"exception_keywords"_s, QJsonArray::fromStringList(exceptionKeywords())},
        {u"flow"_s,
         QJsonObject{
             {u"start"_s,
              tr("Travel claim submitted, with transport tickets, hotel invoices or other attachments "
                 "that name cities")},
             {u"evidence"_s,
              tr("Read the declared destination, item locations, ticket route cities, hotel invoice "
                 "city and the claim reason")},
             {u"decision"_s,
              tr("Do the attachments' cities cover the declared trip, and does the ticket route pass "
                 "through a city that neither its start and end nor the declared destination "
                 "explains?")},
             {u"pass"_s,
              tr("The tickets' cities cover the declared trip and the route has no unexplained city")},
             {u"fail"_s,
              tr("The ticket route has a destination mismatch or an extra transit city: %1 hit; ask "
                 "for an explanation or send the claim back")
                  .arg(label)},
         }},
    };
}

QJsonObject RuleRecognizer::params(const QJsonObject& draft) {
    QJsonArray keywords = draft.value(u"exception_keywords"_s).toArray();
    if (keywords.isEmpty())
        keywords = QJsonArray::fromStringList(exceptionKeywords());
    const QJsonArray attachment = QJsonArray::fromStringList(attachmentCityFields());
    const QJsonArray reference = QJsonArray::fromStringList(referenceCityFields());
    const QJsonArray exceptions = QJsonArray::fromStringList(exceptionFields());
    return QJsonObject{
        {u"semantic_type"_s, kSemanticType},
        {u"attachment_city_fields"_s, attachment},
        {u"reference_city_fields"_s, reference},
        {u"home_city_fields"_s, QJsonArray{}},
        {u"exception_fields"_s, exceptions},
        {u"exception_keywords"_s, keywords},
        {u"keywords"_s, QJsonArray{}},
        {u"route_anomaly_policy"_s, u"flag_unexpected_intermediate_cities"_s},
        {u"exception_handling"_s, u"exception_text_is_evidence_not_auto_pass_for_route_anomaly"_s},
        {u"condition_summary"_s, draft.value(u"condition_summary"_s)},
        {u"formula"_s, u"A=UNION(attachment.route_cities, attachment.hotel_city); "
                       "B=UNION(claim.location, item.item_location); "
                       "HIT WHEN (A∩B=∅ AND NOT CONTAINS_ANY(exception_fields, exception_keywords)) "
                       "OR EXISTS(city IN route_cities WHERE city NOT EXPLAINED BY B OR ROUTE_ENDPOINTS)"_s},
        {u"conditions"_s, QJsonArray{QJsonObject{{u"id"_s, u"C1"_s},
                                                 {u"left_group"_s, attachment},
                                                 {u"operator"_s, u"route_city_consistency"_s},
                                                 {u"right_group"_s, reference},
                                                 {u"home_group"_s, QJsonArray{}},
                                                 {u"exception_fields"_s, exceptions},
                                                 {u"exception_keywords"_s, keywords}}}},
        {u"hit_logic"_s, u"C1"_s},
    };
}

} // namespace riskdesk
