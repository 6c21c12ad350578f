// Rule conditions against case records: every operator, hit-logic nesting, route-city consistency, errors.
#include "engine/RuleEvaluator.h"
#include "engine/RuleRecognizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

Q_DECLARE_METATYPE(riskdesk::RuleEvaluation::Outcome)

namespace {

QJsonObject obj(const char* json) {
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QJsonObject ruleWith(const QJsonObject& condition, const QJsonValue& hitLogic = QJsonValue()) {
    QJsonObject c = condition;
    if (!c.contains(u"id"_s))
        c.insert(u"id"_s, u"C1"_s);
    QJsonObject params{{u"conditions"_s, QJsonArray{c}}};
    if (!hitLogic.isNull())
        params.insert(u"hit_logic"_s, hitLogic);
    return QJsonObject{{u"name"_s, u"测试规则"_s}, {u"params"_s, params}};
}

using Outcome = RuleEvaluation::Outcome;

} // namespace

class RulesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void operators_data();
    void operators();
    void missingFieldIsAnErrorNamingRuleAndCondition();
    void malformedRules_data();
    void malformedRules();
    void hitLogic_data();
    void hitLogic();
    void routeCity_data();
    void routeCity();
    void explanationNamesTheFacts();
    void nestedCaseRecordsWork();
    void recognition_data();
    void recognition();
    void recognizedParamsAreEvaluable();
    void riskLevelLabels();
};

void RulesTest::operators_data() {
    QTest::addColumn<QJsonObject>("condition");
    QTest::addColumn<QJsonObject>("record");
    QTest::addColumn<Outcome>("outcome");
    const auto hit = Outcome::Hit, pass = Outcome::Pass, unknown = Outcome::NeedsSupplement;
    const QJsonObject notOverlap = obj(
        R"({"operator":"not_overlap","left_fields":["attachment.hotel_city"],"right_fields":["claim.location"]})");
    QTest::newRow("not_overlap true")
        << notOverlap << obj(R"({"attachment.hotel_city":"南京","claim.location":"杭州"})") << hit;
    QTest::newRow("not_overlap false")
        << notOverlap << obj(R"({"attachment.hotel_city":"杭州市","claim.location":["杭州","上海"]})")
        << pass;
    QJsonObject notInSet = notOverlap;
    notInSet[u"operator"_s] = u"not_in_set"_s;
    QTest::newRow("not_in_set true") << notInSet
                                     << obj(R"({"attachment.hotel_city":"南京","claim.location":"杭州"})")
                                     << hit;
    QJsonObject inScope = notOverlap;
    inScope[u"operator"_s] = u"in_scope"_s;
    QTest::newRow("in_scope true") << inScope
                                   << obj(R"({"attachment.hotel_city":"XX","claim.location":["XX","YY"]})")
                                   << hit;
    QTest::newRow("in_scope false") << inScope
                                    << obj(R"({"attachment.hotel_city":"CN","claim.location":["XX","YY"]})")
                                    << pass;
    const QJsonObject dates = obj(
        R"({"operator":"date_outside_range","date_fields":["item.occur_date"],"range_start_fields":["trip.start_date"],"range_end_fields":["trip.end_date"]})");
    QTest::newRow("date outside")
        << dates
        << obj(R"({"item.occur_date":"2026-11-30","trip.start_date":"2026-11-01","trip.end_date":"2026-11-20"})")
        << hit;
    QTest::newRow("date inside")
        << dates
        << obj(R"({"item.occur_date":"2026-11-05","trip.start_date":"2026-11-01","trip.end_date":"2026-11-20"})")
        << pass;
    QTest::newRow("date on the end day")
        << dates
        << obj(R"({"item.occur_date":"2026-11-20","trip.start_date":"2026-11-01","trip.end_date":"2026-11-20"})")
        << pass;
    QTest::newRow("date empty")
        << dates
        << obj(R"({"item.occur_date":"","trip.start_date":"2026-11-01","trip.end_date":"2026-11-20"})")
        << unknown;
    const QJsonObject gtThreshold =
        obj(R"({"operator":"numeric_compare","fields":["claim.amount"],"compare":"gte","threshold":50000})");
    QTest::newRow("gte threshold, equal") << gtThreshold << obj(R"({"claim.amount":50000})") << hit;
    QTest::newRow("gte threshold, below") << gtThreshold << obj(R"({"claim.amount":49999.99})") << pass;
    QTest::newRow("amount as text") << gtThreshold << obj(R"({"claim.amount":"60000"})") << hit;
    QTest::newRow("amount not a number") << gtThreshold << obj(R"({"claim.amount":"a lot"})") << unknown;
    const QJsonObject gtField = obj(
        R"({"operator":"numeric_compare","left_fields":["claim.amount"],"right_fields":["policy.sum_insured"],"compare":"gt"})");
    QTest::newRow("gt field") << gtField << obj(R"({"claim.amount":120,"policy.sum_insured":100})") << hit;
    QTest::newRow("gt field, equal") << gtField << obj(R"({"claim.amount":100,"policy.sum_insured":100})")
                                     << pass;
    for (const auto& [cmp, l, r, expected] :
         {std::tuple{"lt", 1, 2, true}, std::tuple{"lte", 2, 2, true}, std::tuple{"eq", 2, 2, true},
          std::tuple{"ne", 2, 2, false}, std::tuple{"lt", 3, 2, false}}) {
        QJsonObject c = gtField;
        c[u"compare"_s] = QString::fromLatin1(cmp);
        QTest::addRow("%s %d %d", cmp, l, r)
            << c << QJsonObject{{u"claim.amount"_s, l}, {u"policy.sum_insured"_s, r}}
            << (expected ? hit : pass);
    }
    const QJsonObject dup = obj(R"({"operator":"duplicate_value","fields":["invoice.number"]})");
    QTest::newRow("duplicate") << dup << obj(R"({"invoice.number":["F001","F002","F001"]})") << hit;
    QTest::newRow("no duplicate") << dup << obj(R"({"invoice.number":["F001","F002"]})") << pass;
    const QJsonObject contains = obj(
        R"({"operator":"contains_any","fields":["claim.reason","item.item_reason"],"keywords":["礼品卡","购物卡"]})");
    QTest::newRow("contains") << contains
                              << obj(R"({"claim.reason":"购买礼品卡用于招待","item.item_reason":""})") << hit;
    QTest::newRow("does not contain")
        << contains << obj(R"({"claim.reason":"客户午餐","item.item_reason":"餐费"})") << pass;
    QJsonObject notContains = contains;
    notContains[u"operator"_s] = u"not_contains_any"_s;
    QTest::newRow("not_contains true")
        << notContains << obj(R"({"claim.reason":"客户午餐","item.item_reason":"餐费"})") << hit;
    QTest::newRow("not_contains false")
        << notContains << obj(R"({"claim.reason":"购物卡","item.item_reason":""})") << pass;
    const QJsonObject any =
        obj(R"({"operator":"exists_any","fields":["attachment.approval_form","attachment.contract"]})");
    QTest::newRow("exists_any true")
        << any << obj(R"({"attachment.approval_form":"","attachment.contract":"c.pdf"})") << hit;
    QTest::newRow("exists_any false") << any << obj(R"({"attachment.approval_form":null})") << pass;
    const QJsonObject all =
        obj(R"({"operator":"exists_all","fields":["merchant.license","merchant.legal_id"]})");
    QTest::newRow("exists_all true") << all << obj(R"({"merchant.license":"L","merchant.legal_id":"I"})")
                                     << hit;
    QTest::newRow("exists_all false")
        << all << obj(R"({"merchant.license":"L","merchant.legal_id":""})") << pass;
    QJsonObject allPresent = all;
    allPresent[u"operator"_s] = u"all_present"_s;
    QTest::newRow("all_present false") << allPresent << obj(R"({"merchant.license":"L"})") << pass;
}

void RulesTest::operators() {
    QFETCH(QJsonObject, condition);
    QFETCH(QJsonObject, record);
    QFETCH(Outcome, outcome);
    const auto result = RuleEvaluator::evaluate(ruleWith(condition), record);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.problem().message));
    QCOMPARE(result.value().outcome, outcome);
    QVERIFY(!result.value().conditions.first().facts.isEmpty());
}

void RulesTest::missingFieldIsAnErrorNamingRuleAndCondition() {
    const auto result = RuleEvaluator::evaluate(
        ruleWith(obj(
            R"({"id":"C7","operator":"not_overlap","left_fields":["attachment.hotel_city"],"right_fields":["claim.location"]})")),
        obj(R"({"attachment.hotel_city":"南京"})"));
    QVERIFY(!result.ok());
    QVERIFY(result.problem().message.contains(u"测试规则"_s));
    QVERIFY(result.problem().message.contains(u"C7"_s));
    QVERIFY(result.problem().message.contains(u"claim.location"_s));
}

void RulesTest::malformedRules_data() {
    QTest::addColumn<QJsonObject>("rule");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no conditions") << obj(R"({"name":"r","params":{}})") << u"params.conditions"_s;
    QTest::newRow("unknown operator")
        << obj(R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"resembles","fields":["a"]}]}})")
        << u"resembles"_s;
    QTest::newRow("no operator") << obj(R"({"name":"r","params":{"conditions":[{"id":"C1"}]}})")
                                 << u"operator"_s;
    QTest::newRow("condition not an object")
        << obj(R"({"name":"r","params":{"conditions":[42]}})") << u"C1"_s;
    QTest::newRow("no fields")
        << obj(R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"exists_any"}]}})")
        << u"fields"_s;
    QTest::newRow("unknown comparison")
        << obj(R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"numeric_compare","fields":["a"],"compare":"about","threshold":1}]}})")
        << u"about"_s;
    QTest::newRow("numeric without right side")
        << obj(R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"numeric_compare","fields":["a"]}]}})")
        << u"threshold"_s;
    QTest::newRow("logic names an unknown condition")
        << obj(R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"exists_any","fields":["a"]}],"hit_logic":"C1 AND C9"}})")
        << u"C9"_s;
    QTest::newRow("logic unbalanced")
        << obj(R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"exists_any","fields":["a"]}],"hit_logic":"(C1 AND C1"}})")
        << u"parenthesis"_s;
    QTest::newRow("logic of the wrong shape")
        << obj(R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"exists_any","fields":["a"]}],"hit_logic":{"most":["C1"]}}})")
        << u"all|any|not"_s;
    QTest::newRow("duplicate ids")
        << obj(R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"exists_any","fields":["a"]},{"id":"C1","operator":"exists_any","fields":["a"]}]}})")
        << u"C1"_s;
    // Hit logic that is there must say something: null and "" were read as "all conditions".
    const char* oneCondition = R"({"id":"C1","operator":"exists_any","fields":["a"]})";
    auto withLogic = [&](const char* logic) {
        return obj((QByteArray(R"({"name":"r","params":{"conditions":[)") + oneCondition +
                    R"(],"hit_logic":)" + logic + "}}")
                       .constData());
    };
    QTest::newRow("logic empty") << withLogic(R"("")") << u"hit_logic is empty"_s;
    QTest::newRow("logic blank") << withLogic(R"(" \u3000")") << u"hit_logic is empty"_s;
    QTest::newRow("logic null") << withLogic("null") << u"hit_logic is empty"_s;
    // NOT of a list was read as NOT (all of it).
    QTest::newRow("not of a list") << withLogic(R"({"not":["C1","C1"]})") << u"not a list"_s;
    QTest::newRow("not of a one-item list") << withLogic(R"({"not":["C1"]})") << u"not a list"_s;
    QTest::newRow("two operators in one object")
        << withLogic(R"({"all":["C1"],"any":["C1"]})") << u"exactly one of all, any or not"_s;
    QTest::newRow("not beside all") << withLogic(R"({"all":["C1"],"not":"C1"})") << u"2 keys"_s;
}

void RulesTest::malformedRules() {
    QFETCH(QJsonObject, rule);
    QFETCH(QString, mentions);
    const auto result = RuleEvaluator::evaluate(rule, obj(R"({"a":"x"})"));
    QVERIFY(!result.ok());
    QVERIFY2(result.problem().message.contains(mentions), qPrintable(result.problem().message));
    QVERIFY(result.problem().message.contains(u"\"r\""_s));
}

void RulesTest::hitLogic_data() {
    QTest::addColumn<QJsonValue>("logic");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<QStringList>("deciding");
    // T is true, F is false, U is unknown (an empty date).
    QTest::newRow("id") << QJsonValue(u"T"_s) << Outcome::Hit << QStringList{u"T"_s};
    QTest::newRow("list is all") << QJsonValue(QJsonArray{u"T"_s, u"F"_s}) << Outcome::Pass
                                 << QStringList{u"F"_s};
    QTest::newRow("any") << QJsonValue(obj(R"({"any":["F","T"]})")) << Outcome::Hit << QStringList{u"T"_s};
    QTest::newRow("not") << QJsonValue(obj(R"({"not":"F"})")) << Outcome::Hit << QStringList{u"F"_s};
    QTest::newRow("nested") << QJsonValue(obj(R"({"all":["T",{"any":["F",{"not":"F"}]}]})")) << Outcome::Hit
                            << QStringList{u"T"_s, u"F"_s};
    QTest::newRow("unknown in all") << QJsonValue(QJsonArray{u"T"_s, u"U"_s}) << Outcome::NeedsSupplement
                                    << QStringList{u"U"_s};
    QTest::newRow("false beats unknown in all")
        << QJsonValue(QJsonArray{u"U"_s, u"F"_s}) << Outcome::Pass << QStringList{u"F"_s};
    QTest::newRow("true beats unknown in any")
        << QJsonValue(obj(R"({"any":["U","T"]})")) << Outcome::Hit << QStringList{u"T"_s};
    QTest::newRow("infix") << QJsonValue(u"T AND (F OR NOT F)"_s) << Outcome::Hit
                           << QStringList{u"T"_s, u"F"_s};
    QTest::newRow("infix or") << QJsonValue(u"F OR F"_s) << Outcome::Pass << QStringList{u"F"_s};
    QTest::newRow("none means all") << QJsonValue() << Outcome::Pass << QStringList{u"F"_s}; // F settles it
}

void RulesTest::hitLogic() {
    QFETCH(QJsonValue, logic);
    QFETCH(Outcome, outcome);
    QFETCH(QStringList, deciding);
    QJsonObject params{
        {u"conditions"_s,
         QJsonArray{
             obj(R"({"id":"T","operator":"exists_any","fields":["a"]})"),
             obj(R"({"id":"F","operator":"exists_any","fields":["b"]})"),
             obj(R"({"id":"U","operator":"date_outside_range","date_fields":["b"],"range_start_fields":["a"],"range_end_fields":["a"]})")}}};
    if (!logic.isNull())
        params.insert(u"hit_logic"_s, logic);
    const auto result = RuleEvaluator::evaluate(QJsonObject{{u"name"_s, u"logic"_s}, {u"params"_s, params}},
                                                obj(R"({"a":"2026-11-01","b":""})"));
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.problem().message));
    QCOMPARE(result.value().outcome, outcome);
    QCOMPARE(result.value().decidingConditions, deciding);
}

void RulesTest::routeCity_data() {
    QTest::addColumn<QJsonObject>("record");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<QString>("factsMention");
    QTest::newRow("consistent")
        << obj(R"({"attachment.route_cities":["上海","杭州"],"attachment.hotel_city":"杭州","claim.location":"杭州","item.item_location":[],"claim.reason":"","item.item_reason":""})")
        << Outcome::Pass << u"≠"_s;
    QTest::newRow("disjoint, no explanation")
        << obj(R"({"attachment.route_cities":["上海","南京"],"attachment.hotel_city":"南京","claim.location":"杭州","item.item_location":[],"claim.reason":"拜访客户","item.item_reason":""})")
        << Outcome::Hit << u"="_s;
    QTest::newRow("disjoint, explained by a detour")
        << obj(R"({"attachment.route_cities":["上海","南京"],"attachment.hotel_city":"南京","claim.location":"杭州","item.item_location":[],"claim.reason":"航班取消，临时改签经南京","item.item_reason":""})")
        << Outcome::Pass << u"改签"_s;
    QTest::newRow("unexplained intermediate city")
        << obj(R"({"attachment.route_cities":["上海","合肥","杭州"],"attachment.hotel_city":"杭州","claim.location":"杭州","item.item_location":[],"claim.reason":"","item.item_reason":""})")
        << Outcome::Hit << u"合肥"_s;
    QTest::newRow("intermediate city, exception wording is only evidence")
        << obj(R"({"attachment.route_cities":["上海","合肥","杭州"],"attachment.hotel_city":"杭州","claim.location":"杭州","item.item_location":[],"claim.reason":"绕行合肥","item.item_reason":""})")
        << Outcome::Hit << u"evidence"_s;
    QTest::newRow("intermediate city that was declared")
        << obj(R"({"attachment.route_cities":["上海","合肥","杭州"],"attachment.hotel_city":"杭州","claim.location":"杭州","item.item_location":["合肥"],"claim.reason":"","item.item_reason":""})")
        << Outcome::Pass << u"≠"_s;
    QTest::newRow("no ticket cities")
        << obj(R"({"attachment.route_cities":[],"attachment.hotel_city":"","claim.location":"杭州","item.item_location":[],"claim.reason":"","item.item_reason":""})")
        << Outcome::NeedsSupplement << u"A"_s;
    QTest::newRow("no declared place") << obj(R"({"attachment.route_cities":["上海"],"claim.location":""})")
                                       << Outcome::NeedsSupplement << u"B"_s;
}

void RulesTest::routeCity() {
    QFETCH(QJsonObject, record);
    QFETCH(Outcome, outcome);
    QFETCH(QString, factsMention);
    const QJsonObject rule = obj(
        R"({"name":"差旅票据城市与申报目的地一致性校验","params":{"conditions":[{"id":"C1","operator":"route_city_consistency",
        "left_group":["attachment.route_cities","attachment.hotel_city"],"right_group":["claim.location","item.item_location"],
        "exception_fields":["claim.reason","item.item_reason"],"exception_keywords":["绕行","跨城办事","跨城","临时改签","改签","变更"]}]}})");
    const auto result = RuleEvaluator::evaluate(rule, record);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.problem().message));
    QCOMPARE(result.value().outcome, outcome);
    QVERIFY2(result.value().conditions.first().facts.contains(factsMention),
             qPrintable(result.value().conditions.first().facts));
}

void RulesTest::explanationNamesTheFacts() {
    const auto result = RuleEvaluator::evaluate(
        obj(R"({"name":"大额报销缺少审批附件","params":{"conditions":[{"id":"C1","operator":"numeric_compare","fields":["claim.amount"],"compare":"gte","threshold":50000},{"id":"C2","operator":"exists_any","fields":["attachment.approval_form","attachment.contract"]}],"hit_logic":{"all":["C1",{"not":"C2"}]}}})"),
        obj(R"({"claim.amount":80000,"attachment.approval_form":"","attachment.contract":""})"));
    QVERIFY(result.ok());
    const QJsonObject json = result.value().toJson();
    QCOMPARE(json.value(u"outcome"_s).toString(), u"hit"_s);
    QCOMPARE(json.value(u"hit_logic"_s).toString(), u"C1 AND (NOT C2)"_s);
    QCOMPARE(json.value(u"conditions"_s).toArray().at(0).toObject().value(u"facts"_s).toString(),
             u"80000 GTE 50000"_s);
    QCOMPARE(json.value(u"deciding_conditions"_s).toArray(), (QJsonArray{u"C1"_s, u"C2"_s}));
}

void RulesTest::nestedCaseRecordsWork() {
    const auto result = RuleEvaluator::evaluate(
        ruleWith(obj(
            R"({"operator":"not_overlap","left_fields":["attachment.hotel_city"],"right_fields":["claim.location"]})")),
        obj(R"({"attachment":{"hotel_city":"南京"},"claim":{"location":"杭州"}})"));
    QVERIFY(result.ok());
    QCOMPARE(result.value().outcome, Outcome::Hit);
}

void RulesTest::recognition_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("city");
    QTest::addColumn<QString>("refusal"); // the code of the reason, for texts refused
    QTest::newRow("hotel invoice vs destination, mismatch")
        << u"住宿发票城市与申报目的地不一致的需要复核"_s << true << QString();
    QTest::newRow("ticket vs destination, match")
        << u"交通票的行程城市应与申报地点匹配"_s << true << QString();
    QTest::newRow("route anomaly") << u"票据路线中出现中转城市且与目的地无关"_s << true << QString();
    QTest::newRow("detour via attachment") << u"附件显示绕行，与明细地点对应不上"_s << true << QString();
    QTest::newRow("no city subject") << u"申报目的地与出差审批不一致"_s << false << u"not_city_rule"_s;
    QTest::newRow("no reference place") << u"交通票金额与发票金额不一致"_s << false << u"not_city_rule"_s;
    QTest::newRow("no relation or anomaly") << u"上传交通票并填写目的地"_s << false << u"not_city_rule"_s;
    QTest::newRow("unrelated") << u"大额报销需要附审批单"_s << false << u"not_city_rule"_s;
    QTest::newRow("empty") << u""_s << false << u"not_city_rule"_s;
    // The common family: two travel places (城市 / 地点 / 目的地 of 出差 / 行程 / 票据 / 交通票) that do not
    // agree.
    QTest::newRow("trip city vs route city") << u"出差城市与行程城市不一致"_s << true << QString();
    QTest::newRow("ticket city vs trip place") << u"交通票城市与出差地点不一致"_s << true << QString();
    QTest::newRow("the demo rule's own summary")
        << u"票据城市与申报目的地无交集且无合理说明"_s << true << QString();
    QTest::newRow("route city vs trip destination, 不符")
        << u"行程城市与出差目的地不符"_s << true << QString();
    QTest::newRow("ticket city and trip city, 无交集")
        << u"交通票城市和出差城市无交集"_s << true << QString();
    QTest::newRow("document place vs route destination")
        << u"票据地点与行程目的地不一致的报销单"_s << true << QString();
    QTest::newRow("merchant address") << u"商户经营地址与注册地不符"_s << false << u"not_city_rule"_s;
    QTest::newRow("login city") << u"登录城市与常用城市不一致"_s << false << u"not_city_rule"_s;
    QTest::newRow("days, not places") << u"出差天数与行程天数不符"_s << false << u"not_city_rule"_s;
    QTest::newRow("one place only") << u"出差城市不一致"_s << false << u"not_city_rule"_s;
    QTest::newRow("two places, no mismatch")
        << u"出差城市与行程城市需要填写"_s << false << u"not_city_rule"_s;
    QTest::newRow("amounts, not places") << u"出差金额与票据金额不一致"_s << false << u"not_city_rule"_s;
    QTest::newRow("English") << u"trip city differs from ticket city"_s << false << u"not_city_rule"_s;
    // Recognised words that are not the rule the draft would be: each is refused with its reason.
    QTest::newRow("an amount would be dropped")
        << u"出差城市与行程城市不一致，金额超过5000"_s << false << u"extra_condition"_s;
    QTest::newRow("an amount joined by 且")
        << u"票据城市与申报目的地无交集且金额大于一万"_s << false << u"extra_condition"_s;
    QTest::newRow("a count") << u"交通票城市与出差地点不一致3次以上"_s << false << u"extra_condition"_s;
    QTest::newRow("negated") << u"不是出差城市与行程城市不一致"_s << false << u"negated"_s;
    QTest::newRow("negated with 并非") << u"并非交通票城市与出差地点不符"_s << false << u"negated"_s;
    QTest::newRow("same place on both sides") << u"出差城市与出差城市不一致"_s << false << u"same_place"_s;
    QTest::newRow("same destination on both sides")
        << u"申报目的地与申报目的地不一致"_s << false << u"same_place"_s;
    QTest::newRow("question") << u"出差城市与行程城市不一致吗？"_s << false << u"question"_s;
    QTest::newRow("question without a mark") << u"出差城市与行程城市不一致吗"_s << false << u"question"_s;
    QTest::newRow("question, ASCII mark") << u"行程城市与出差目的地不符?"_s << false << u"question"_s;
    // What stays accepted: an explanation clause, the reference's own qualifier, a trailing instruction.
    QTest::newRow("with no explanation") << u"出差城市与行程城市不一致且无合理说明"_s << true << QString();
    QTest::newRow("negation after the comparison")
        << u"出差城市与行程城市不一致，并非改签所致的需要复核"_s << true << QString();
}

void RulesTest::recognition() {
    QFETCH(QString, text);
    QFETCH(bool, city);
    QFETCH(QString, refusal);
    QCOMPARE(RuleRecognizer::isCityConsistencyRule(text), city);
    const Status recognized = RuleRecognizer::recognize(text);
    QCOMPARE(recognized.ok() ? QString() : recognized.problem().code, refusal);
    if (!recognized.ok() && refusal == u"extra_condition")
        QVERIFY2(recognized.problem().message.contains(u"金额"_s) ||
                     recognized.problem().message.contains(u"3次以上"_s),
                 qPrintable(recognized.problem().message)); // the dropped condition is quoted
}

void RulesTest::recognizedParamsAreEvaluable() {
    const QJsonObject draft = RuleRecognizer::draft(u"high"_s);
    QCOMPARE(draft.value(u"template_key"_s).toString(), u"field_compare_v1"_s);
    QCOMPARE(draft.value(u"field_keys"_s).toArray().size(), 6);
    QCOMPARE(RuleRecognizer::draft(u"low"_s, {u"claim.location"_s, u"attachment.hotel_city"_s})
                 .value(u"field_keys"_s)
                 .toArray(),
             (QJsonArray{u"attachment.hotel_city"_s, u"claim.location"_s}));
    const QJsonObject rule{{u"name"_s, u"recognised"_s}, {u"params"_s, RuleRecognizer::params(draft)}};
    const auto hit = RuleEvaluator::evaluate(
        rule,
        obj(R"({"attachment.route_cities":["上海","合肥","杭州"],"attachment.hotel_city":"杭州","claim.location":"杭州","item.item_location":[],"claim.reason":"","item.item_reason":""})"));
    QVERIFY2(hit.ok(), hit.ok() ? "" : qPrintable(hit.problem().message));
    QCOMPARE(hit.value().outcome, Outcome::Hit);
    const auto pass = RuleEvaluator::evaluate(
        rule,
        obj(R"({"attachment.route_cities":["上海","杭州"],"attachment.hotel_city":"杭州","claim.location":"杭州","item.item_location":[],"claim.reason":"","item.item_reason":""})"));
    QCOMPARE(pass.value().outcome, Outcome::Pass);
}

void RulesTest::riskLevelLabels() {
    QCOMPARE(RuleRecognizer::riskLevelLabel(u"critical"_s), u"critical risk"_s);
    QCOMPARE(RuleRecognizer::riskLevelLabel(u"odd"_s), u"risk"_s);
}

QTEST_GUILESS_MAIN(RulesTest)
#include "tst_rules.moc"
