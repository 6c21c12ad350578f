// Rule-flow diagrams: the spec builders and their wording in both languages, layout geometry with long
// Chinese and Latin text, palettes, golden images, and SVG export.
#include "GoldenImage.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "engine/RuleEvaluator.h"
#include "flow/FlowExport.h"
#include "flow/FlowSpecBuilder.h"
#include "flow/FlowWording.h"

#include <QDir>
#include <QFile>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSvgRenderer>
#include <QTest>
#include <QTranslator>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::GoldenImage;

namespace {

QJsonObject obj(const char* json) {
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QJsonObject demoRule(const QString& id) {
    for (const QJsonValue& v : DemoWorkspaceBuilder::rulePayloads())
        if (v.toObject().value(u"rule_id"_s).toString() == id)
            return v.toObject();
    return {};
}

const QHash<QString, QString> kLabels{{u"a"_s, u"交通票行程城市"_s},
                                      {u"b"_s, u"住宿发票城市"_s},
                                      {u"c"_s, u"申报目的地"_s},
                                      {u"d"_s, u"明细发生地点"_s},
                                      {u"x"_s, u"Amount"_s}};

// Installs the Chinese translation for the scope of one test.
class Chinese {
public:
    Chinese() {
        QVERIFY2(m_translator.load(QStringLiteral(RISKDESK_QM_DIR) + u"/riskdesk_zh_CN.qm"_s),
                 "riskdesk_zh_CN.qm");
        QCoreApplication::installTranslator(&m_translator);
    }
    ~Chinese() { QCoreApplication::removeTranslator(&m_translator); }

private:
    QTranslator m_translator;
};

} // namespace

class FlowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void conditionWording_data();
    void conditionWording();
    void hitLogicWording_data();
    void hitLogicWording();
    void defaultsInBothLanguages();
    void paramsPath();
    void flowModelPathWinsWhenItHasDecisions();
    void flowModelSummarisesMoreThanFourDecisions();
    void flowModelWithoutDecisionsFallsBackToParams();
    void specJsonUsesTheReferenceNames();
    void palettes();
    void layoutKeepsTextInsideItsBoxes_data();
    void layoutKeepsTextInsideItsBoxes();
    void longTextGrowsTheCanvasThenShortens();
    void linesBreakWhereTheyMay_data();
    void linesBreakWhereTheyMay();
    void noLineEndsWithALoneCharacter();
    void highlightFollowsTheEvaluation();
    void svgCarriesTitleAndLoads();
    void goldenImages_data();
    void goldenImages();
    void aChangedWordFailsTheGoldenComparison();
};

// English is the source language, but its plurals come from riskdesk_en.qm, as in the application.
void FlowTest::initTestCase() {
    static QTranslator english;
    QVERIFY(english.load(QStringLiteral(RISKDESK_QM_DIR) + u"/riskdesk_en.qm"_s));
    QCoreApplication::installTranslator(&english);
}

void FlowTest::conditionWording_data() {
    QTest::addColumn<QJsonObject>("condition");
    QTest::addColumn<QString>("english");
    QTest::addColumn<QString>("chinese");
    QTest::newRow("not_overlap")
        << obj(R"({"id":"C1","operator":"not_overlap","left_fields":["a","b"],"right_fields":["c","d"]})")
        << u"C1: 交通票行程城市, 住宿发票城市 ∩ 申报目的地, 明细发生地点 = ∅"_s
        << u"C1: 交通票行程城市、住宿发票城市 ∩ 申报目的地、明细发生地点 = ∅"_s;
    QTest::newRow("not_in_set")
        << obj(R"({"operator":"not_in_set","left_fields":["a"],"right_fields":["c"]})")
        << u"C3: 交通票行程城市 ∩ 申报目的地 = ∅"_s << u"C3: 交通票行程城市 ∩ 申报目的地 = ∅"_s;
    QTest::newRow("in_scope")
        << obj(R"({"id":"K","operator":"in_scope","left_fields":["a"],"right_fields":["c"]})")
        << u"K: 交通票行程城市 ∩ 申报目的地 ≠ ∅"_s << u"K: 交通票行程城市 ∩ 申报目的地 ≠ ∅"_s;
    QTest::newRow("date_outside_range")
        << obj(R"({"id":"C1","operator":"date_outside_range","date_fields":["x"],"range_start_fields":["c"],"range_end_fields":["d"]})")
        << u"C1: Amount not in [申报目的地, 明细发生地点]"_s
        << u"C1: Amount 不在 [申报目的地, 明细发生地点]"_s;
    QTest::newRow("numeric, threshold")
        << obj(R"({"id":"C1","operator":"numeric_compare","fields":["x"],"compare":"gte","threshold":50000})")
        << u"C1: Amount ≥ 50000"_s << u"C1: Amount ≥ 50000"_s;
    QTest::newRow("numeric, fields")
        << obj(R"({"id":"C1","operator":"numeric_compare","left_fields":["x"],"right_fields":["c"]})")
        << u"C1: Amount > 申报目的地"_s << u"C1: Amount > 申报目的地"_s;
    // A comparison the engine refuses keeps its token (the engine neither trims nor guesses).
    QTest::newRow("numeric, unknown comparison")
        << obj(R"({"id":"C1","operator":"numeric_compare","fields":["x"],"compare":" gte","threshold":1})")
        << u"C1: Amount  GTE 1"_s << u"C1: Amount  GTE 1"_s;
    QTest::newRow("numeric, nothing to compare with")
        << obj(R"({"id":"C1","operator":"numeric_compare","fields":["x"]})") << u"C1: Amount > threshold"_s
        << u"C1: Amount > 阈值"_s;
    QTest::newRow("duplicate_value") << obj(R"({"id":"C1","operator":"duplicate_value","fields":["x"]})")
                                     << u"C1: Amount has a repeated value"_s << u"C1: Amount 出现重复值"_s;
    QTest::newRow("contains_any")
        << obj(R"({"id":"C1","operator":"contains_any","fields":["a"],"keywords":["礼品卡","购物卡","现金","代购","其他"]})")
        << u"C1: 交通票行程城市 contains 礼品卡, 购物卡, 现金, 代购"_s
        << u"C1: 交通票行程城市 包含 礼品卡、购物卡、现金、代购"_s;
    QTest::newRow("not_contains_any, no keywords")
        << obj(R"({"id":"C2","operator":"not_contains_any","fields":["a"]})")
        << u"C2: 交通票行程城市 does not contain keywords"_s << u"C2: 交通票行程城市 不含 关键词"_s;
    QTest::newRow("exists_any") << obj(R"({"id":"C1","operator":"exists_any","fields":["a","b"]})")
                                << u"C1: any of 交通票行程城市, 住宿发票城市 has a value"_s
                                << u"C1: 交通票行程城市、住宿发票城市 任一有值"_s;
    QTest::newRow("exists_all") << obj(R"({"id":"C1","operator":"exists_all","fields":["a"]})")
                                << u"C1: all of 交通票行程城市 have values"_s
                                << u"C1: 交通票行程城市 全部有值"_s;
    QTest::newRow("all_present, no fields")
        << obj(R"({"id":"C1","operator":"all_present"})") << u"C1: all of field set have values"_s
        << u"C1: 字段集合 全部有值"_s;
    QTest::newRow("generic left operator right")
        << obj(R"({"id":"C9","operator":"resembles","left":"a","right":"zz"})")
        << u"C9: 交通票行程城市 resembles zz"_s << u"C9: 交通票行程城市 resembles zz"_s;
    QTest::newRow("route_city_consistency")
        << obj(R"({"id":"C1","operator":"route_city_consistency","left_group":["a","b"],"right_group":["c","d"],"exception_fields":["x"]})")
        << u"C1: 交通票行程城市, 住宿发票城市 ∩ 申报目的地, 明细发生地点 = ∅ with no explanation, or a route "
           u"city "
           "nothing explains"_s
        << u"C1: 交通票行程城市、住宿发票城市 ∩ 申报目的地、明细发生地点 = ∅ 且无合理说明，或行程途经无法解释的城市"_s;
    QTest::newRow("route_city_consistency, generic keys")
        << obj(R"({"operator":"route_city_consistency","left_fields":["a"],"right_fields":["c"]})")
        << u"C3: 交通票行程城市 ∩ 申报目的地 = ∅ with no explanation, or a route city nothing explains"_s
        << u"C3: 交通票行程城市 ∩ 申报目的地 = ∅ 且无合理说明，或行程途经无法解释的城市"_s;
    QTest::newRow("nothing at all") << obj(R"({"id":"C9"})") << u"C9: rule condition"_s << u"C9: 规则条件"_s;
    QTest::newRow("more than three fields")
        << obj(R"({"id":"C1","operator":"duplicate_value","fields":["a","b","c","d"]})")
        << u"C1: 交通票行程城市, 住宿发票城市, 申报目的地 has a repeated value"_s
        << u"C1: 交通票行程城市、住宿发票城市、申报目的地 出现重复值"_s;
}

void FlowTest::conditionWording() {
    QFETCH(QJsonObject, condition);
    QFETCH(QString, english);
    QFETCH(QString, chinese);
    QCOMPARE(FlowWording::condition(condition, kLabels, 3), english);
    Chinese zh;
    QCOMPARE(FlowWording::condition(condition, kLabels, 3), chinese);
}

void FlowTest::hitLogicWording_data() {
    QTest::addColumn<QJsonValue>("logic");
    QTest::addColumn<QString>("text");
    QTest::newRow("text as written") << QJsonValue(u"  C1 AND C2 "_s) << u"C1 AND C2"_s;
    QTest::newRow("list") << QJsonValue(QJsonArray{u"C1"_s, u""_s, u"C2"_s}) << u"C1 AND C2"_s;
    QTest::newRow("all") << QJsonValue(obj(R"({"all":["C1","C2"]})")) << u"C1 AND C2"_s;
    QTest::newRow("any") << QJsonValue(obj(R"({"any":["C1","C2"]})")) << u"C1 OR C2"_s;
    QTest::newRow("not") << QJsonValue(obj(R"({"not":"C1"})")) << u"NOT C1"_s;
    QTest::newRow("nested") << QJsonValue(obj(R"({"all":["C1",{"any":["C2",{"not":"C3"}]}]})"))
                            << u"C1 AND (C2 OR (NOT C3))"_s;
    QTest::newRow("not of a group") << QJsonValue(obj(R"({"not":{"any":["C1","C2"]}})"))
                                    << u"NOT (C1 OR C2)"_s;
    QTest::newRow("unknown shape") << QJsonValue(obj(R"({"most":["C1"]})")) << QString();
    QTest::newRow("number") << QJsonValue(3) << QString();
}

void FlowTest::hitLogicWording() {
    QFETCH(QJsonValue, logic);
    QFETCH(QString, text);
    QCOMPARE(FlowWording::hitLogic(logic), text);
}

void FlowTest::defaultsInBothLanguages() {
    const QJsonObject empty = obj(R"({"severity":"odd"})");
    FlowSpec en = FlowSpecBuilder::build(empty);
    QCOMPARE(en.title, u"Risk rule decision flow"_s);
    QCOMPARE(en.start, u"Business document submitted"_s);
    QCOMPARE(en.evidence, u"Read the rule's fields"_s);
    QCOMPARE(en.decision, u"Decide whether the risk is hit"_s);
    QCOMPARE(en.basis, u"Decide by the rule's fields"_s);
    QCOMPARE(en.passText, u"No risk hit, continue"_s);
    QCOMPARE(en.failText, u"medium risk hit, to manual review"_s); // unknown severity reads as medium
    Chinese zh;
    const FlowSpec spec = FlowSpecBuilder::build(empty);
    QCOMPARE(spec.title, u"风险规则判断流程"_s);
    QCOMPARE(spec.start, u"业务单据提交"_s);
    QCOMPARE(spec.evidence, u"读取规则字段"_s);
    QCOMPARE(spec.decision, u"判断是否命中风险"_s);
    QCOMPARE(spec.basis, u"根据规则字段判断"_s);
    QCOMPARE(spec.passText, u"未命中风险，继续流转"_s);
    QCOMPARE(spec.failText, u"命中中风险，进入人工复核"_s);
    QVERIFY(spec.factLines.isEmpty() && spec.conditionLines.isEmpty() && spec.hitLogic.isEmpty());
    for (const auto& [severity, label] : {std::pair{u"low"_s, u"低风险"_s}, std::pair{u"high"_s, u"高风险"_s},
                                          std::pair{u"critical"_s, u"极高风险"_s}})
        QCOMPARE(FlowSpecBuilder::severityLabel(severity), label);
    // The diagram's own words.
    const FlowLayout layout = FlowLayout::compute(spec);
    QStringList shown;
    for (const FlowText& t : layout.texts)
        shown << t.full;
    for (const QString& word : {u"业务输入"_s, u"字段事实"_s, u"判断条件"_s, u"命中逻辑"_s, u"继续流转"_s,
                                u"进入复核"_s, u"是"_s, u"否"_s, u"读取规则字段并归一化为判断事实"_s})
        QVERIFY2(shown.contains(word), qPrintable(word));
    QCOMPARE(FlowExport::title(layout), u"风险规则判断流程流程说明"_s);
    QCOMPARE(FlowExport::description(),
             u"风险规则只读流程图，展示字段事实、集合交集、日期范围、特例说明和命中路径。"_s);
}

void FlowTest::paramsPath() {
    Chinese zh;
    const FlowSpec spec = FlowSpecBuilder::build(demoRule(u"R-TRV-001"_s));
    QCOMPARE(spec.title, u"差旅票据城市与申报目的地一致性校验"_s);
    QCOMPARE(spec.domainLabel, u"差旅"_s);
    QCOMPARE(spec.severityLabel, u"高风险"_s);
    QCOMPARE(spec.start, u"差旅报销单提交"_s);
    QCOMPARE(spec.passText, u"城市一致，继续流转"_s);
    QCOMPARE(spec.basis, u"票据城市与申报目的地无交集且无合理说明"_s);
    QCOMPARE(spec.factLines, (QStringList{u"A=票据城市集合: 交通票行程城市、住宿发票城市"_s,
                                          u"B=申报地点集合: 申报目的地、明细发生地点"_s,
                                          u"R=说明文本: 报销事由、明细事由"_s}));
    QCOMPARE(spec.conditionLines,
             (QStringList{u"C1: 交通票行程城市、住宿发票城市 ∩ 申报目的地、明细发生地点 = ∅"_s,
                          u"C2: 报销事由、明细事由 不含 绕行、跨城办事、临时改签、变更"_s}));
    QCOMPARE(spec.conditionIds, (QStringList{u"C1"_s, u"C2"_s}));
    QCOMPARE(spec.hitLogic, u"C1 AND C2"_s);
    // Without rule_ir facts the fields are lettered; without conditions the formula stands in.
    QJsonObject bare = demoRule(u"R-TRV-001"_s);
    QJsonObject params = bare.value(u"params"_s).toObject();
    params.remove(u"rule_ir"_s);
    params.remove(u"conditions"_s);
    params.remove(u"hit_logic"_s);
    bare.insert(u"params"_s, params);
    const FlowSpec fallback = FlowSpecBuilder::build(bare);
    QCOMPARE(fallback.factLines.first(), u"A=交通票行程城市[attachment.route_cities]"_s);
    QCOMPARE(fallback.factLines.size(), 4);
    QCOMPARE(fallback.conditionLines, QStringList{u"票据城市与申报目的地无交集且无合理说明"_s});
    QVERIFY(fallback.hitLogic.startsWith(u"A=交通票行程城市∪住宿发票城市"_s));
}

void FlowTest::flowModelPathWinsWhenItHasDecisions() {
    Chinese zh;
    const FlowSpec spec = FlowSpecBuilder::build(demoRule(u"R-PAY-007"_s));
    QCOMPARE(spec.start, u"支付请求进入风控"_s);
    QCOMPARE(spec.evidence, u"读取金额与历史均值"_s);
    QCOMPARE(spec.passText, u"金额正常，放行交易"_s);
    QCOMPARE(spec.failText, u"金额异常，转人工复核"_s);
    QCOMPARE(spec.conditionLines,
             (QStringList{u"金额阈值: 交易金额 > 50000"_s, u"偏离均值: 交易金额高于近30日均值"_s}));
    QCOMPARE(spec.basis, u"金额阈值: 交易金额 > 50000"_s);
    QCOMPARE(spec.decision, u"交易金额 > 50000"_s);
    QCOMPARE(spec.hitLogic, u"金额阈值 OR 偏离均值"_s);
    QCOMPARE(spec.factLines,
             (QStringList{u"A=交易金额[txn.amount]"_s, u"B=近30日平均金额[user.avg_amount_30d]"_s}));
}

void FlowTest::flowModelSummarisesMoreThanFourDecisions() {
    QJsonArray nodes;
    for (int i = 1; i <= 6; ++i)
        nodes.append(QJsonObject{{u"id"_s, u"d%1"_s.arg(i)},
                                 {u"type"_s, u"decision"_s},
                                 {u"title"_s, u"T%1"_s.arg(i)},
                                 {u"description"_s, u"D%1"_s.arg(i)}});
    nodes.append(obj(R"({"type":"decision","description":"untitled"})"));
    const QJsonObject payload{{u"name"_s, u"r"_s}, {u"flow_model"_s, QJsonObject{{u"nodes"_s, nodes}}}};
    FlowSpec spec = FlowSpecBuilder::build(payload);
    QCOMPARE(spec.conditionLines.size(), 4);
    QCOMPARE(spec.conditionLines.last(), u"T4: D4; 3 more decision nodes summarised by the hit logic"_s);
    QCOMPARE(spec.hitLogic, u"T1 AND T2 AND T3 AND T4"_s); // no hit logic in the metadata: the titles, ANDed
    QCOMPARE(spec.start, u"Business document submitted"_s);
    Chinese zh;
    spec = FlowSpecBuilder::build(payload);
    QCOMPARE(spec.conditionLines.last(), u"T4: D4；另有 3 个判断节点按命中逻辑汇总"_s);
    QCOMPARE(spec.failText, u"命中中风险，进入人工复核"_s);
}

void FlowTest::flowModelWithoutDecisionsFallsBackToParams() {
    QJsonObject payload = demoRule(u"R-TRV-001"_s);
    payload.insert(u"flow_model"_s, obj(R"({"nodes":[{"type":"start","title":"never used"}]})"));
    const FlowSpec spec = FlowSpecBuilder::build(payload);
    QVERIFY(spec.start != u"never used"_s);
    QCOMPARE(spec.conditionIds, (QStringList{u"C1"_s, u"C2"_s}));
}

void FlowTest::specJsonUsesTheReferenceNames() {
    const QJsonObject json = FlowSpecBuilder::build(demoRule(u"R-TRV-001"_s)).toJson();
    for (const char* key :
         {"title", "domain_label", "severity", "severity_label", "fields", "start", "evidence", "decision",
          "basis", "pass_text", "fail_text", "fact_lines", "condition_lines", "hit_logic"})
        QVERIFY2(json.contains(QLatin1StringView(key)), key);
    QCOMPARE(json.value(u"fields"_s).toArray().first().toObject().value(u"key"_s).toString(),
             u"attachment.route_cities"_s);
}

void FlowTest::palettes() {
    QCOMPARE(FlowPalette::forSeverity(u"low"_s).accent, QColor(u"#2563eb"_s));
    QCOMPARE(FlowPalette::forSeverity(u"MEDIUM"_s).surface, QColor(u"#fff7ed"_s));
    QCOMPARE(FlowPalette::forSeverity(u"high"_s).accentDark, QColor(u"#b91c1c"_s));
    QCOMPARE(FlowPalette::forSeverity(u"critical"_s).border, QColor(u"#fca5a5"_s));
    QCOMPARE(FlowPalette::forSeverity(u"unheard-of"_s).accent, QColor(u"#f97316"_s));
    // Dark: light text on dark surfaces, with enough contrast.
    const FlowPalette dark = FlowPalette::forSeverity(u"high"_s, true);
    QVERIFY(dark.background.lightness() < 60);
    QVERIFY(dark.text.lightness() - dark.neutralSurface.lightness() > 150);
    QVERIFY(dark.muted.lightness() - dark.neutralSurface.lightness() > 80);
}

void FlowTest::layoutKeepsTextInsideItsBoxes_data() {
    QTest::addColumn<QJsonObject>("payload");
    const QString longCjk =
        u"超长的中文条件说明文字用于检查自动加宽与省略号是否按照真实字体宽度计算而不是按字符个数截断"_s
            .repeated(2);
    const QString longLatin =
        u"An unusually long English condition that keeps going well past any sensible width "_s.repeated(2);
    auto with = [](const QString& text) {
        QJsonObject rule{{u"name"_s, text},
                         {u"severity"_s, u"high"_s},
                         {u"fields"_s, QJsonArray{QJsonObject{{u"key"_s, u"k"_s}, {u"label"_s, text}}}},
                         {u"metadata"_s, QJsonObject{{u"flow"_s, QJsonObject{{u"start"_s, text},
                                                                             {u"pass"_s, text},
                                                                             {u"fail"_s, text}}}}}};
        QJsonArray conditions;
        for (int i = 0; i < 4; ++i)
            conditions.append(QJsonObject{{u"operator"_s, u"contains_any"_s},
                                          {u"fields"_s, QJsonArray{u"k"_s}},
                                          {u"keywords"_s, QJsonArray{text}}});
        rule.insert(u"params"_s, QJsonObject{{u"conditions"_s, conditions}, {u"hit_logic"_s, text}});
        return rule;
    };
    QTest::newRow("demo rule") << demoRule(u"R-TRV-001"_s);
    QTest::newRow("flow model") << demoRule(u"R-PAY-007"_s);
    QTest::newRow("long Chinese") << with(longCjk);
    QTest::newRow("long Latin") << with(longLatin);
    QTest::newRow("empty") << QJsonObject();
}

void FlowTest::layoutKeepsTextInsideItsBoxes() {
    QFETCH(QJsonObject, payload);
    const FlowLayout layout = FlowLayout::compute(FlowSpecBuilder::build(payload));
    const QRectF canvas(QPointF(0, 0), layout.size);
    QVERIFY(layout.size.width() >= 860 && layout.size.height() >= 360);
    QVERIFY(layout.size.width() <= 1240 && layout.size.height() <= 760);
    for (qsizetype i = 0; i < layout.boxes.size(); ++i) {
        QVERIFY(layout.frame.contains(layout.boxes.at(i).rect));
        for (qsizetype j = i + 1; j < layout.boxes.size(); ++j)
            QVERIFY2(!layout.boxes.at(i).rect.intersects(layout.boxes.at(j).rect),
                     qPrintable(layout.boxes.at(i).id + u" overlaps "_s + layout.boxes.at(j).id));
    }
    for (const FlowText& t : layout.texts) {
        QVERIFY(canvas.contains(t.rect));
        // What is drawn fits its line, measured with the font it is drawn in.
        const qreal width = QFontMetricsF(FlowLayout::font(t.role)).horizontalAdvance(t.shown);
        QVERIFY2(width <= t.rect.width() + 0.5, qPrintable(t.shown));
        // A text that belongs to a box stays inside it.
        for (const FlowBox& b : layout.boxes)
            if (b.rect.intersects(t.rect))
                QVERIFY2(b.rect.contains(t.rect), qPrintable(b.id + u": "_s + t.shown));
        if (t.shortened())
            QVERIFY(t.shown.endsWith(QChar(0x2026)));
    }
}

void FlowTest::longTextGrowsTheCanvasThenShortens() {
    Chinese zh;
    const FlowLayout typical = FlowLayout::compute(FlowSpecBuilder::build(demoRule(u"R-CLM-013"_s)));
    QCOMPARE(typical.size, QSizeF(860, 360)); // the reference's canvas for a rule with short lines
    // Longer condition lines widen the canvas rather than being cut …
    QJsonObject rule = demoRule(u"R-TRV-001"_s);
    const FlowLayout wider = FlowLayout::compute(FlowSpecBuilder::build(rule));
    QVERIFY(wider.size.width() > 860);
    for (const FlowText& t : wider.texts)
        QVERIFY2(!t.shortened(), qPrintable(t.full));
    // … up to a limit, past which they end in an ellipsis, with the whole text kept for the tooltip.
    QJsonObject params = rule.value(u"params"_s).toObject();
    QJsonArray conditions = params.value(u"conditions"_s).toArray();
    QJsonObject c = conditions.at(1).toObject();
    c.insert(u"keywords"_s, QJsonArray{u"绕行"_s, u"跨城办事"_s, u"临时改签"_s,
                                       u"航班取消后的临时变更与说明"_s.repeated(6)});
    conditions.replace(1, c);
    params.insert(u"conditions"_s, conditions);
    rule.insert(u"params"_s, params);
    const FlowLayout widest = FlowLayout::compute(FlowSpecBuilder::build(rule));
    QVERIFY(widest.size.width() > wider.size.width() && widest.size.width() <= 1240);
    const auto cut = std::find_if(widest.texts.begin(), widest.texts.end(),
                                  [](const FlowText& t) { return t.shortened(); });
    QVERIFY(cut != widest.texts.end());
    QVERIFY(cut->shown.endsWith(QChar(0x2026)));
    QVERIFY(cut->full.endsWith(u"说明"_s));
    QCOMPARE(cut->conditionIndex, 1);
}

void FlowTest::linesBreakWhereTheyMay_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("room"); // the line is exactly as wide as this text
    QTest::addColumn<QStringList>("lines");
    // At these widths a greedy wrap filled the first line and stranded the rest ("继续流" / "转").
    QTest::newRow("pass node") << u"未命中风险，继续流转"_s << u"未命中风险，继续流"_s
                               << QStringList{u"未命中风险，"_s, u"继续流转"_s};
    QTest::newRow("review node") << u"命中高风险，进入人工复核"_s << u"命中高风险，进入人"_s
                                 << QStringList{u"命中高风险，"_s, u"进入人工复核"_s};
    QTest::newRow("no clause: no lone last character")
        << u"进入人工复核"_s << u"进入人工复"_s << QStringList{u"进入人工"_s, u"复核"_s};
    QTest::newRow("short clause is not preferred")
        << u"是，交通票行程城市与申报目的地无交集"_s << u"是，交通票行程城市与申报"_s
        << QStringList{u"是，交通票行程城市与申报"_s, u"目的地无交集"_s};
    QTest::newRow("latin fills lines at spaces")
        << u"No risk hit, continue the flow"_s << u"No risk hit, continue t"_s
        << QStringList{u"No risk hit, continue"_s, u"the flow"_s};
    QTest::newRow("never before a closing mark") << u"城市一致，继续流转。"_s << u"城市一致，继续流转"_s
                                                 << QStringList{u"城市一致，"_s, u"继续流转。"_s};
}

void FlowTest::linesBreakWhereTheyMay() {
    QFETCH(QString, text);
    QFETCH(QString, room);
    QFETCH(QStringList, lines);
    const QFont body = FlowLayout::font(FlowText::Role::Body);
    const qreal width = QFontMetricsF(body).horizontalAdvance(room);
    bool cut = true;
    QCOMPARE(FlowLayout::wrap(text, body, width, 3, &cut), lines);
    QVERIFY(!cut);
}

// Every text of every demo diagram, in both languages, at many widths: lines fit, nothing is lost, and the
// last line never holds a single character when the text had room to avoid it.
void FlowTest::noLineEndsWithALoneCharacter() {
    const QFont body = FlowLayout::font(FlowText::Role::Body);
    const QFontMetricsF fm(body);
    QStringList texts{u"未命中风险，继续流转"_s, u"命中极高风险，进入人工复核"_s,
                      u"读取规则字段并归一化为判断事实"_s};
    {
        Chinese zh;
        for (const QJsonValue& v : DemoWorkspaceBuilder::rulePayloads()) {
            const FlowSpec spec = FlowSpecBuilder::build(v.toObject());
            texts << spec.start << spec.evidence << spec.passText << spec.failText << spec.basis;
        }
    }
    int checked = 0;
    for (const QString& text : texts) {
        for (qreal width = fm.horizontalAdvance(u"三个字"_s); width < fm.horizontalAdvance(text);
             width += 7) {
            bool cut = false;
            const QStringList lines = FlowLayout::wrap(text, body, width, 50, &cut);
            QVERIFY2(!cut, qPrintable(text));
            QCOMPARE(lines.join(QString()).remove(u' '), QString(text).remove(u' '));
            for (const QString& line : lines)
                QVERIFY2(fm.horizontalAdvance(line) <= width || line.size() == 1, qPrintable(line));
            if (lines.size() >= 2) {
                qsizetype letters = 0;
                for (QChar c : lines.last())
                    letters += c.isLetterOrNumber();
                QVERIFY2(letters >= 2, qPrintable(lines.join(u" / "_s)));
                ++checked;
            }
        }
    }
    QVERIFY(checked > 100);
}

void FlowTest::highlightFollowsTheEvaluation() {
    const QJsonObject rule = demoRule(u"R-TRV-001"_s);
    const FlowSpec spec = FlowSpecBuilder::build(rule);
    const auto evaluation = RuleEvaluator::evaluate(
        rule,
        obj(R"({"attachment.route_cities":["上海","南京"],"attachment.hotel_city":"南京","claim.location":"杭州","item.item_location":[],"claim.reason":"拜访客户","item.item_reason":""})"));
    QVERIFY(evaluation);
    const FlowHighlight h = FlowHighlight::fromEvaluation(spec, evaluation.value());
    QCOMPARE(h.outcome, RuleEvaluation::Outcome::Hit);
    QCOMPARE(h.conditionValues.size(), 2);
    QCOMPARE(*h.conditionValues.at(0), Truth::True);
    QCOMPARE(*h.conditionValues.at(1), Truth::True);
    QCOMPARE(h.deciding, (QSet<int>{0, 1}));
    // A flow model's own nodes name no evaluated condition: nothing is marked.
    const FlowSpec model = FlowSpecBuilder::build(demoRule(u"R-PAY-007"_s));
    const FlowHighlight none = FlowHighlight::fromEvaluation(model, evaluation.value());
    QVERIFY(!none.conditionValues.at(0).has_value());
    // The drawing differs where the path is marked.
    const FlowLayout layout = FlowLayout::compute(spec);
    const FlowPalette palette = FlowPalette::forSeverity(spec.severity);
    QVERIFY(FlowExport::image(layout, palette, 1) != FlowExport::image(layout, palette, 1, &h));
}

void FlowTest::svgCarriesTitleAndLoads() {
    const FlowLayout layout = FlowLayout::compute(FlowSpecBuilder::build(demoRule(u"R-EXP-004"_s)));
    const QByteArray svg = FlowExport::svg(layout, FlowPalette::forSeverity(layout.severity));
    QVERIFY(svg.contains("<title>" + FlowExport::title(layout).toHtmlEscaped().toUtf8() + "</title>"));
    QVERIFY(svg.contains("<desc>"));
    QVERIFY(svg.contains(QString(u"同一发票号重复报销"_s).toUtf8()));
    QSvgRenderer renderer(svg);
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.viewBoxF().size(), layout.size);
}

void FlowTest::goldenImages_data() {
    QTest::addColumn<QString>("ruleId");
    QTest::addColumn<bool>("chinese");
    QTest::addColumn<bool>("dark");
    QTest::newRow("route city, zh") << u"R-TRV-001"_s << true << false;
    QTest::newRow("missing attachments, en") << u"R-EXP-006"_s << false << false;
    QTest::newRow("flow model, zh, dark") << u"R-PAY-007"_s << true << true;
}

// Rendered at a fixed size and device pixel ratio (scale 1) and compared as GoldenImage does. Updating the
// goldens is deliberate: RISKDESK_UPDATE_GOLDENS=1 tst_flow goldenImages (or the update_goldens target).
void FlowTest::goldenImages() {
    QFETCH(QString, ruleId);
    QFETCH(bool, chinese);
    QFETCH(bool, dark);
    std::optional<Chinese> zh;
    if (chinese)
        zh.emplace();
    const FlowLayout layout = FlowLayout::compute(FlowSpecBuilder::build(demoRule(ruleId)));
    const QImage image = FlowExport::image(layout, FlowPalette::forSeverity(layout.severity, dark), 1);
    const QString golden = QStringLiteral(RISKDESK_GOLDEN_DIR) + u"/"_s + ruleId +
                           (chinese ? u"_zh"_s : u"_en"_s) + (dark ? u"_dark"_s : QString()) + u".png"_s;
    if (qEnvironmentVariableIntValue("RISKDESK_UPDATE_GOLDENS") == 1) {
        QDir().mkpath(QStringLiteral(RISKDESK_GOLDEN_DIR));
        QVERIFY(image.save(golden));
        qInfo("updated %s", qPrintable(golden));
        return;
    }
    const QImage expected(golden);
    QVERIFY2(!expected.isNull(), qPrintable(u"missing golden "_s + golden));
    QCOMPARE(image.size(), expected.size());
    const qint64 differing = GoldenImage::differingPixels(image, expected);
    if (differing > GoldenImage::kTolerance)
        image.save(QDir::temp().filePath(QFileInfo(golden).fileName()));
    QVERIFY2(differing <= GoldenImage::kTolerance,
             qPrintable(u"%1 pixels differ from %2 (actual saved in %3)"_s.arg(differing).arg(
                 golden, QDir::tempPath())));
}

// The comparison is tight enough that one changed word of a label fails it (the old one, 0.4% of the pixels
// off by more than 48, let such a change pass).
void FlowTest::aChangedWordFailsTheGoldenComparison() {
    Chinese zh;
    const FlowSpec spec = FlowSpecBuilder::build(demoRule(u"R-TRV-001"_s));
    const FlowPalette palette = FlowPalette::forSeverity(FlowLayout::compute(spec).severity, false);
    const auto draw = [&](const FlowSpec& s) {
        return FlowExport::image(FlowLayout::compute(s), palette, 1);
    };
    const QImage reference = draw(spec);
    QVERIFY(GoldenImage::matches(reference, draw(spec))); // the same drawing matches itself

    FlowSpec changedPass = spec; // 继续流转 → 继续审核: one word of the pass branch
    QVERIFY(changedPass.passText.contains(u"流转"_s));
    changedPass.passText.replace(u"流转"_s, u"审核"_s);
    const QImage passImage = draw(changedPass);
    QCOMPARE(passImage.size(), reference.size());
    QVERIFY2(!GoldenImage::matches(reference, passImage),
             qPrintable(QString::number(GoldenImage::differingPixels(reference, passImage))));

    FlowSpec changedStart = spec; // 差旅报销单提交 → 差旅报销单退回
    changedStart.start.replace(u"提交"_s, u"退回"_s);
    const QImage startImage = draw(changedStart);
    QCOMPARE(startImage.size(), reference.size());
    QVERIFY(!GoldenImage::matches(reference, startImage));
}

QTEST_MAIN(FlowTest)
#include "tst_flow.moc"
