// The impact preview: fact records, the compiled rule against its explaining path, the replay with and
// without a waiver, target histories in a real workspace, and the demo's histories.
#include "TestWorkspace.h"
#include "domain/Money.h"
#include "domain/Timestamps.h"
#include "engine/CompiledRule.h"
#include "engine/ImpactPreview.h"
#include "store/DemoFactSynthesizer.h"
#include "store/DemoWorkspaceBuilder.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionRepository.h"
#include "store/TargetHistoryStore.h"
#include "store/TargetRiskReader.h"
#include "store/WriteTransaction.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <random>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

QJsonObject obj(const char* json) {
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

// A rule that hits when the claim amount is over 1000.
CompiledRule overThousand() {
    return CompiledRule::compile(
               obj(R"({"name":"大额","params":{"conditions":[{"id":"C1","operator":"numeric_compare","fields":["claim.amount"],"compare":"gt","threshold":1000}]}})"))
        .value();
}

TargetEvent makeEvent(const QString& id, qint64 at, double amount, const QString& engineDecision = {}) {
    TargetEvent e;
    e.eventId = id;
    e.occurredAtMs = at;
    e.amountCents = qint64(amount * 100);
    e.facts.insert(u"claim.amount"_s, {QString::number(amount)});
    if (!engineDecision.isEmpty()) {
        e.kind = TargetEvent::Kind::Transaction;
        e.assessment = EventAssessment{50, u"MEDIUM"_s, engineDecision, {u"high_amount"_s}};
    }
    return e;
}

} // namespace

class ImpactTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void factRecordFlattensAndRoundTrips();
    void fastPathAgreesWithTheExplanationOnEveryDemoRule();
    void replayCountsOnlyHitsInsideTheWindow();
    void replayCombinesTheEngineDecision();
    void replayAmountNeverWrapsAround();
    void replayWaivesSupplementsAndNeverPassesUnreadableEvents();
    void replayKeepsTheChangesAskedFor();
    void historyRoundTripsThroughTheWorkspace();
    void duplicateEventsAreRefused();
    void demoTargetsHaveHistoriesAndCurrentRisk();
    void demoJustificationsSpeakOfTheirRule();
};

void ImpactTest::factRecordFlattensAndRoundTrips() {
    const FactRecord r = FactRecord::fromJson(obj(
        R"({"claim":{"location":" 杭州 ","amount":12.5},"claim.location":"上海","tags":["a","", "b"],"flag":false,"ok":true})"));
    QCOMPARE(*r.find(u"claim.location"), QStringList{u"上海"_s}); // the flat key wins
    QCOMPARE(*r.find(u"claim.amount"), QStringList{u"12.5"_s});
    QCOMPARE(*r.find(u"tags"), (QStringList{u"a"_s, u"b"_s}));
    QVERIFY(r.find(u"flag")->isEmpty()); // present, but false says nothing
    QCOMPARE(*r.find(u"ok"), QStringList{u"true"_s});
    QVERIFY(r.find(u"claim")); // an object is present with no value
    QVERIFY(!r.find(u"claim.reason"));
    QCOMPARE(r.field(u"claim.amount")->sum, 12.5);
    QVERIFY(!r.field(u"tags")->allNumbers);
    const FactRecord again = FactRecord::fromJson(r.toJson());
    QCOMPARE(again.size(), r.size());
    QCOMPARE(*again.find(u"tags"), *r.find(u"tags"));
}

void ImpactTest::fastPathAgreesWithTheExplanationOnEveryDemoRule() {
    std::mt19937_64 rng(11);
    DemoFactSynthesizer synthesizer(rng);
    for (const QJsonValue& v : DemoWorkspaceBuilder::rulePayloads()) {
        auto rule = CompiledRule::compile(v.toObject());
        QVERIFY2(rule, rule ? "" : qPrintable(rule.problem().message));
        int hits = 0, passes = 0;
        for (int i = 0; i < 500; ++i) {
            const FactRecord record = FactRecord::fromJson(synthesizer.record(rule.value().fieldKeys()));
            const auto fast = rule.value().outcome(record);
            const auto explained = rule.value().explain(record);
            QCOMPARE(fast.ok(), explained.ok());
            if (!fast)
                continue;
            QCOMPARE(fast.value(), explained.value().outcome);
            hits += fast.value() == RuleEvaluation::Outcome::Hit;
            passes += fast.value() == RuleEvaluation::Outcome::Pass;
        }
        // The demo histories exercise both sides of every rule.
        QVERIFY2(hits > 0 && passes > 0,
                 qPrintable(u"%1: %2 hits, %3 passes"_s.arg(rule.value().name()).arg(hits).arg(passes)));
    }
}

void ImpactTest::replayCountsOnlyHitsInsideTheWindow() {
    const std::vector<TargetEvent> events{makeEvent(u"E1"_s, 100, 5000), makeEvent(u"E2"_s, 200, 500),
                                          makeEvent(u"E3"_s, 300, 2000), makeEvent(u"E4"_s, 400, 9000),
                                          makeEvent(u"E5"_s, 401, 7000)};
    const ImpactSummary s = ImpactPreview::replay(overThousand(), 200, 400, events);
    QCOMPARE(s.events, 5);
    QCOMPARE(s.inWindow, 3);   // both ends belong to the window
    QCOMPARE(s.hits, 4);       // E1, E3, E4, E5
    QCOMPARE(s.hitsWaived, 2); // E3 and E4
    QCOMPARE(s.amountWaivedCents, 1100000);
    QCOMPARE(s.largestWaivedCents, 900000);
    QCOMPARE(s.decisionsChanged, 2);
    QCOMPARE(s.changes.size(), 2);
    QCOMPARE(s.changes.at(0).eventId, u"E3"_s);
    QCOMPARE(s.changes.at(0).before, EventVerdict::Review);
    QCOMPARE(s.changes.at(0).after, EventVerdict::Approve);
    const QJsonObject json = s.toJson();
    QCOMPARE(json.value(u"hits_waived"_s).toInt(), 2);
    QCOMPARE(json.value(u"amount_waived"_s).toDouble(), 11000.0);
    QCOMPARE(json.value(u"changes"_s).toArray().at(1).toObject().value(u"event_id"_s).toString(), u"E4"_s);
}

// Waived amounts add up without wrapping around to a small or negative total.
void ImpactTest::replayAmountNeverWrapsAround() {
    std::vector<TargetEvent> events;
    for (int i = 0; i < 10000; ++i) {
        TargetEvent e = makeEvent(u"H%1"_s.arg(i), 100 + i, 5000);
        e.amountCents = *Money::centsOf(Money::kMaxAmount);
        events.push_back(e);
    }
    const ImpactSummary s = ImpactPreview::replay(overThousand(), 0, 1000000, events);
    QCOMPARE(s.hitsWaived, 10000);
    QCOMPARE(s.amountWaivedCents, std::numeric_limits<qint64>::max());
    QVERIFY(s.toJson().value(u"amount_waived"_s).toDouble() > 9e16);
}

void ImpactTest::replayCombinesTheEngineDecision() {
    // A hit the engine would send to review anyway is waived, but its decision does not change; one the
    // engine approved with monitoring goes back to that.
    const std::vector<TargetEvent> events{
        makeEvent(u"T1"_s, 10, 5000, u"REVIEW"_s), makeEvent(u"T2"_s, 11, 5000, u"APPROVE_WITH_MONITORING"_s),
        makeEvent(u"T3"_s, 12, 5000, u"REJECT"_s), makeEvent(u"T4"_s, 13, 10, u"APPROVE"_s)};
    const ImpactSummary s = ImpactPreview::replay(overThousand(), 0, 100, events);
    QCOMPARE(s.hitsWaived, 3);
    QCOMPARE(s.decisionsChanged, 1);
    QCOMPARE(s.changes.size(), 1);
    QCOMPARE(s.changes.first().eventId, u"T2"_s);
    QCOMPARE(s.changes.first().after, EventVerdict::ApproveWithMonitoring);
}

void ImpactTest::replayWaivesSupplementsAndNeverPassesUnreadableEvents() {
    const CompiledRule route =
        CompiledRule::compile(
            obj(R"({"name":"城市","params":{"conditions":[{"id":"C1","operator":"route_city_consistency","left_group":["attachment.route_cities"],"right_group":["claim.location"]}]}})"))
            .value();
    std::vector<TargetEvent> events(3);
    events[0].eventId = u"no-cities"_s;
    events[0].facts = FactRecord::fromJson(obj(R"({"attachment.route_cities":[],"claim.location":"杭州"})"));
    events[1].eventId = u"hit"_s;
    events[1].facts =
        FactRecord::fromJson(obj(R"({"attachment.route_cities":["上海","南京"],"claim.location":"杭州"})"));
    events[2].eventId = u"unreadable"_s; // the numeric rule below cannot read a route record
    events[2].facts = FactRecord::fromJson(obj(R"({"attachment.route_cities":["上海"]})"));
    ImpactSummary s = ImpactPreview::replay(route, 0, 10, events);
    QCOMPARE(s.hitsWaived, 1);
    QCOMPARE(s.supplementsWaived, 2); // no cities, and no declared place
    QCOMPARE(s.decisionsChanged, 3);
    s = ImpactPreview::replay(overThousand(), 0, 10, events);
    QCOMPARE(s.unreadable, 3);
    QCOMPARE(s.hits + s.hitsWaived + s.decisionsChanged, 0);
    QVERIFY2(s.firstProblem.contains(u"claim.amount"_s), qPrintable(s.firstProblem));
}

void ImpactTest::replayKeepsTheChangesAskedFor() {
    std::vector<TargetEvent> events;
    for (int i = 0; i < 50; ++i)
        events.push_back(makeEvent(u"E%1"_s.arg(i), i, 5000));
    const ImpactSummary s = ImpactPreview::replay(overThousand(), 0, 100, events, 5);
    QCOMPARE(s.decisionsChanged, 50);
    QCOMPARE(s.changes.size(), 5);
}

void ImpactTest::historyRoundTripsThroughTheWorkspace() {
    test::TestWorkspace ws;
    TargetHistoryStore store(ws.db(), u"acme"_s);
    std::vector<TargetEvent> events{makeEvent(u"B"_s, 2000, 3000, u"REVIEW"_s), makeEvent(u"A"_s, 1000, 20)};
    QVERIFY(store.append(TargetType::Merchant, u"MCH-1"_s, events));
    QVERIFY(TargetHistoryStore(ws.db(), u"other"_s).append(TargetType::Merchant, u"MCH-1"_s, events));
    auto loaded = store.load(TargetType::Merchant, u"MCH-1"_s);
    QVERIFY(loaded);
    QCOMPARE(loaded.value().size(), size_t(2));
    QCOMPARE(loaded.value().at(0).eventId, u"A"_s); // oldest first
    QVERIFY(!loaded.value().at(0).assessment);
    const TargetEvent& b = loaded.value().at(1);
    QCOMPARE(b.amountCents, 300000);
    QCOMPARE(b.kind, TargetEvent::Kind::Transaction);
    QCOMPARE(b.assessment->decision, u"REVIEW"_s);
    QCOMPARE(b.assessment->reasons, QStringList{u"high_amount"_s});
    QCOMPARE(*b.facts.find(u"claim.amount"), QStringList{u"3000"_s});
    QCOMPARE(store.load(TargetType::User, u"MCH-1"_s).value().size(), size_t(0)); // another target type
    auto latest = store.latestAssessed(TargetType::Merchant, u"MCH-1"_s);
    QVERIFY(latest && latest.value());
    QCOMPARE(latest.value()->eventId, u"B"_s);
}

void ImpactTest::duplicateEventsAreRefused() {
    test::TestWorkspace ws;
    TargetHistoryStore store(ws.db(), u"acme"_s);
    const std::vector<TargetEvent> events{makeEvent(u"A"_s, 1000, 20)};
    QVERIFY(store.append(TargetType::Claim, u"CLM-1"_s, events));
    const Status again = store.append(TargetType::Claim, u"CLM-1"_s, events);
    QVERIFY(!again);
    QCOMPARE(store.load(TargetType::Claim, u"CLM-1"_s).value().size(), size_t(1));
}

void ImpactTest::demoTargetsHaveHistoriesAndCurrentRisk() {
    test::TestWorkspace ws(3000);
    QSqlQuery q(ws.db());
    // Every pending exception's target has a history; so does every user target.
    QVERIFY(
        q.exec(u"SELECT count(*) FROM exceptions e WHERE (e.status = 'pending' OR e.target_type = 'user') "
               "AND NOT EXISTS (SELECT 1 FROM target_events t WHERE t.tenant_id = e.tenant_id "
               "AND t.target_type = e.target_type AND t.target_id = e.target_id)"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    int merchantsWithRisk = 0, previewsWithHits = 0, previews = 0;
    QVERIFY(q.exec(u"SELECT tenant_id, record_id FROM exceptions WHERE status = 'pending' LIMIT 150"_s));
    QList<std::pair<QString, QString>> ids;
    while (q.next())
        ids.append({q.value(0).toString(), q.value(1).toString()});
    for (const auto& [tenant, id] : ids) {
        const RiskException e = ExceptionRepository(ws.db()).get(tenant, id).value();
        const auto rule = DirectoryRepository(ws.db()).rule(tenant, e.riskRuleId);
        QVERIFY(rule);
        const TargetRisk risk = TargetRiskReader::read(ws.db(), e, rule.value());
        QVERIFY2(risk.impact, qPrintable(risk.impactProblem));
        QCOMPARE(risk.impact->unreadable, 0); // the synthesised records carry every field their rule reads
        QVERIFY(risk.impact->events > 0);
        ++previews;
        previewsWithHits += risk.impact->hitsWaived > 0;
        if (e.targetType == TargetType::Merchant || e.targetType == TargetType::Transaction ||
            e.targetType == TargetType::User) {
            QVERIFY2(risk.current, qPrintable(e.targetId));
            merchantsWithRisk += e.targetType == TargetType::Merchant;
        }
    }
    QVERIFY(merchantsWithRisk > 0);
    QVERIFY2(previewsWithHits > previews / 10, qPrintable(u"%1 of %2"_s.arg(previewsWithHits).arg(previews)));
    // A rule missing from the workspace is named, not a silent empty preview.
    RiskException orphan = ExceptionRepository(ws.db()).get(ids.first().first, ids.first().second).value();
    const TargetRisk none = TargetRiskReader::read(ws.db(), orphan, std::nullopt);
    QVERIFY(!none.impact);
    QVERIFY(none.impactProblem.contains(orphan.riskRuleId));
}

// A waiver's justification is about what its rule checks: a hotel-rate waiver never explains a rooted phone.
void ImpactTest::demoJustificationsSpeakOfTheirRule() {
    const QHash<QString, QStringList> words{
        {u"R-TRV-001"_s, {u"经停"_s, u"route"_s}},       {u"R-TRV-002"_s, {u"审批期间"_s, u"extended"_s}},
        {u"R-TRV-003"_s, {u"酒店"_s, u"hotel"_s}},       {u"R-EXP-004"_s, {u"发票"_s, u"invoice"_s}},
        {u"R-EXP-005"_s, {u"招待"_s, u"dinner"_s}},      {u"R-EXP-006"_s, {u"审批单"_s, u"approval form"_s}},
        {u"R-PAY-007"_s, {u"金额"_s, u"amount"_s}},      {u"R-PAY-008"_s, {u"小额"_s, u"small"_s}},
        {u"R-MER-009"_s, {u"地址"_s, u"shop"_s}},        {u"R-MER-010"_s, {u"证明"_s, u"documents"_s}},
        {u"R-ACC-011"_s, {u"模拟器"_s, u"rooted"_s}},    {u"R-ACC-012"_s, {u"出境"_s, u"country"_s}},
        {u"R-CLM-013"_s, {u"保额"_s, u"sum insured"_s}}, {u"R-CLM-014"_s, {u"生效"_s, u"start date"_s}},
    };
    test::TestWorkspace ws(1500);
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"SELECT risk_rule_id, justification FROM exceptions"_s));
    QSet<QString> rulesSeen;
    while (q.next()) {
        const QString rule = q.value(0).toString(), text = q.value(1).toString();
        QVERIFY2(words.contains(rule), qPrintable(rule));
        const QStringList& expected = words[rule];
        QVERIFY2(std::any_of(expected.begin(), expected.end(),
                             [&](const QString& w) { return text.contains(w, Qt::CaseInsensitive); }),
                 qPrintable(rule + u": "_s + text));
        rulesSeen.insert(rule);
    }
    QVERIFY(!q.lastError().isValid());
    QCOMPARE(rulesSeen.size(), words.size());
}

QTEST_GUILESS_MAIN(ImpactTest)
#include "tst_impact.moc"
