// The impact preview: fact records, the compiled rule against its explaining path, the replay with and
// without a waiver, target histories in a real workspace, and the demo's histories.
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "demo/DemoFactSynthesizer.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "domain/Money.h"
#include "domain/Timestamps.h"
#include "engine/CompiledRule.h"
#include "engine/ImpactPreview.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionRepository.h"
#include "store/SqlScript.h"
#include "store/TargetEventBlockCodec.h"
#include "store/TargetHistoryStore.h"
#include "store/TargetRiskReader.h"
#include "store/WriteTransaction.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <limits>
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

// Two histories read two ways must be the same events, field for field, numbers included.
void compareHistories(const std::vector<TargetEvent>& got, const std::vector<TargetEvent>& want) {
    QCOMPARE(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
        const TargetEvent &a = got[i], &b = want[i];
        QCOMPARE(a.eventId, b.eventId);
        QCOMPARE(a.occurredAtMs, b.occurredAtMs);
        QCOMPARE(a.kind, b.kind);
        QCOMPARE(a.amountCents, b.amountCents);
        QCOMPARE(bool(a.assessment), bool(b.assessment));
        if (a.assessment) {
            QCOMPARE(a.assessment->riskScore, b.assessment->riskScore);
            QCOMPARE(a.assessment->riskLevel, b.assessment->riskLevel);
            QCOMPARE(a.assessment->decision, b.assessment->decision);
            QCOMPARE(a.assessment->reasons, b.assessment->reasons);
        }
        QCOMPARE(a.facts.size(), b.facts.size());
        for (size_t k = 0; k < a.facts.fields().size(); ++k) {
            const FactRecord::Field &f = a.facts.fields()[k], &g = b.facts.fields()[k];
            QCOMPARE(f.key, g.key);
            QCOMPARE(f.values, g.values);
            QCOMPARE(f.allNumbers, g.allNumbers);
            QCOMPARE(f.firstIsNumber, g.firstIsNumber);
            // Bit for bit: the stored form keeps the sums the JSON path computes.
            QCOMPARE(QByteArray::number(f.sum, 'g', 17), QByteArray::number(g.sum, 'g', 17));
            QCOMPARE(QByteArray::number(f.first, 'g', 17), QByteArray::number(g.first, 'g', 17));
        }
    }
}

// Records with what JSON can hold: missing fields, nulls, unicode beyond the BMP, large and odd numbers,
// booleans, empty lists, nested objects and flat dotted keys.
std::vector<TargetEvent> awkwardEvents() {
    const char* records[] = {
        R"({"claim":{"amount":1500,"location":"上海市"},"flag":true,"note":null})",
        R"({"claim":{"amount":9007199254740993,"location":"😀 杭州 𠀀"},"flag":false,"tags":[]})",
        R"({"claim.amount":"1e308","claim":{"amount":-0.0},"tags":["a"," ","b",null,true,2.5]})",
        R"({"claim":{"location":"Zürich"}})", // no amount: the rule cannot read it
        R"({"claim":{"amount":"  12.50  ","extra":{"deep":{"er":"x"}}},"":"empty key"})",
        R"({"claim":{"amount":[1000.5,"2",3]},"ok":true})",
        R"({})",
    };
    std::vector<TargetEvent> out;
    qint64 at = 1'000'000;
    int n = 0;
    for (const char* json : records) {
        TargetEvent e;
        e.eventId = u"EV-%1-é"_s.arg(n++);
        e.occurredAtMs = at += 1000;
        e.amountCents = n % 2 ? std::numeric_limits<qint64>::max() : -5;
        e.facts = FactRecord::fromJson(obj(json));
        if (n % 3 == 0) {
            e.kind = TargetEvent::Kind::Transaction;
            e.assessment = EventAssessment{n == 3 ? 0.1 + 0.2 : -1e-300, u"HIGH"_s, u"REVIEW"_s,
                                           n == 3 ? QStringList{} : QStringList{u"原因 😀"_s, u""_s}};
        }
        out.push_back(std::move(e));
    }
    // Same time, ids that UTF-16 and UTF-8 order differently: 😀 (a surrogate pair) after U+FF5E in UTF-8.
    TargetEvent tieA, tieB;
    tieA.eventId = u"T-～"_s;
    tieB.eventId = u"T-😀"_s;
    tieA.occurredAtMs = tieB.occurredAtMs = at + 1000;
    out.push_back(tieB);
    out.push_back(tieA);
    return out;
}

// The store's replay (block after block, the rule on the blocks' shared lists, text answers remembered per
// block) against the replay of the loaded history (each event's own record, nothing remembered): the same
// summary, and the same latest event.
void compareStoredReplay(const TargetHistoryStore& store, TargetType type, const QString& target,
                         const CompiledRule& rule, qint64 windowStart, qint64 windowEnd) {
    const auto loaded = store.load(type, target);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    const auto stored = store.replay(type, target, rule, windowStart, windowEnd);
    QVERIFY2(stored, stored ? "" : qPrintable(stored.problem().message));
    const ImpactSummary inMemory = ImpactPreview::replay(rule, windowStart, windowEnd, loaded.value());
    QCOMPARE(stored.value().impact.toJson(), inMemory.toJson());
    QCOMPARE(stored.value().impact.firstProblem, inMemory.firstProblem);
    QCOMPARE(bool(stored.value().latest), !loaded.value().empty());
    if (stored.value().latest)
        compareHistories({*stored.value().latest}, {loaded.value().back()});
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
    void compactFormReplaysAsTheJsonRows();
    void compactFormKeepsOrderAcrossBlocksAndLateEvents();
    void storedReplayRemembersTextAnswersOnlyWithinABlock();
    void damagedBlockIsAnErrorNotAShorterHistory_data();
    void damagedBlockIsAnErrorNotAShorterHistory();
    void lostBlockIsAnErrorNotAShorterHistory();
    void numberThatIsNotItsTextIsDamage();
    void upgradePacksTheStoredRowsExactly();
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

void ImpactTest::compactFormReplaysAsTheJsonRows() {
    // The demo's histories: every target, both forms, and every demo rule replayed on each.
    test::TestWorkspace ws(3000);
    QList<CompiledRule> rules;
    for (const QJsonValue& v : DemoWorkspaceBuilder::rulePayloads())
        rules << CompiledRule::compile(v.toObject()).value();
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"SELECT DISTINCT tenant_id, target_type, target_id FROM target_events"_s));
    QList<std::tuple<QString, TargetType, QString>> targets;
    while (q.next())
        targets.append({q.value(0).toString(), targetTypeFromWire(q.value(1).toString()).value(),
                        q.value(2).toString()});
    QVERIFY(!q.lastError().isValid());
    QVERIFY2(targets.size() > 100, qPrintable(QString::number(targets.size())));
    qint64 hits = 0, unreadable = 0;
    for (const auto& [tenant, type, target] : targets) {
        const TargetHistoryStore store(ws.db(), tenant);
        const auto compact = store.load(type, target);
        const auto json = store.loadFromJson(type, target);
        QVERIFY2(compact, compact ? "" : qPrintable(compact.problem().message));
        QVERIFY(json);
        compareHistories(compact.value(), json.value());
        for (const CompiledRule& rule : rules) {
            const ImpactSummary a = ImpactPreview::replay(rule, 0, 4'000'000'000'000, compact.value());
            const ImpactSummary b = ImpactPreview::replay(rule, 0, 4'000'000'000'000, json.value());
            QCOMPARE(a.toJson(), b.toJson());
            compareStoredReplay(store, type, target, rule, 0, 4'000'000'000'000);
            hits += a.hits;
            unreadable += a.unreadable;
        }
    }
    QVERIFY(hits > 0 && unreadable > 0); // both kinds of answer were compared

    // Awkward records, and a rule some of them cannot be read by.
    TargetHistoryStore store(ws.db(), u"acme"_s);
    const std::vector<TargetEvent> events = awkwardEvents();
    QVERIFY(store.append(TargetType::Claim, u"CLM-ODD"_s, events));
    const auto compact = store.load(TargetType::Claim, u"CLM-ODD"_s);
    const auto json = store.loadFromJson(TargetType::Claim, u"CLM-ODD"_s);
    QVERIFY2(compact, compact ? "" : qPrintable(compact.problem().message));
    compareHistories(compact.value(), json.value());
    QCOMPARE(compact.value().back().eventId, u"T-😀"_s); // SQLite's order of text: UTF-8 bytes
    QCOMPARE(*compact.value().at(1).facts.find(u"claim.location"), QStringList{u"😀 杭州 𠀀"_s});
    const ImpactSummary a = ImpactPreview::replay(overThousand(), 0, 2'000'000, compact.value());
    const ImpactSummary b = ImpactPreview::replay(overThousand(), 0, 2'000'000, json.value());
    QCOMPARE(a.toJson(), b.toJson());
    QVERIFY(a.hits >= 2 && a.unreadable >= 3);
    QVERIFY(!a.firstProblem.isEmpty());
    compareStoredReplay(store, TargetType::Claim, u"CLM-ODD"_s, overThousand(), 0, 2'000'000);
    for (const CompiledRule& rule : rules)
        compareStoredReplay(store, TargetType::Claim, u"CLM-ODD"_s, rule, 0, 2'000'000);
}

// A block names each distinct value list once; the stored replay remembers a text condition's answer per
// combination of lists, which must give what each event's own record gives: awkward texts (case, emoji,
// the 市 suffix, blanks, missing and empty fields), and two blocks whose list numbers mean other texts.
void ImpactTest::storedReplayRemembersTextAnswersOnlyWithinABlock() {
    const QList<QJsonValue> reasons{u"Detour via 合肥"_s,
                                    u"DETOUR"_s,
                                    u"临时改签 😀"_s,
                                    u"visit client"_s,
                                    u"ｄｅｔｏｕｒ"_s,
                                    u""_s,
                                    QJsonValue(),
                                    QJsonArray{},
                                    QJsonArray{u"a"_s, u"跨城办事"_s},
                                    u"𠀀 detouR 𠀀"_s,
                                    QJsonArray{u"x"_s, u"x"_s}};
    const QList<QJsonValue> cities{
        u"上海市"_s, u"上海"_s, u"杭州"_s, u"市"_s, u"😀市"_s, QJsonArray{}, QJsonArray{u"南京"_s, u"上海"_s},
        u"Zürich"_s};
    std::vector<TargetEvent> events;
    const qsizetype n = TargetEventBlockCodec::kEventsPerBlock * 2 + 500; // three blocks
    for (qsizetype i = 0; i < n; ++i) {
        // The second block takes the texts in the other order, so its list i is another text than the
        // first's.
        const qsizetype k = i / TargetEventBlockCodec::kEventsPerBlock == 1 ? n - i : i;
        QJsonObject record;
        if (k % 13 != 5) // sometimes no reason at all: the keyword rules cannot read the event
            record.insert(u"claim.reason"_s, reasons.at(k % reasons.size()));
        record.insert(u"item.item_reason"_s, reasons.at((k / 3) % reasons.size()));
        record.insert(u"claim.location"_s, cities.at(k % cities.size()));
        if (k % 7 != 3)
            record.insert(u"attachment.hotel_city"_s, cities.at((k / 2) % cities.size()));
        record.insert(u"invoice.number"_s, reasons.at((k / 5) % reasons.size()));
        TargetEvent e;
        e.eventId = u"EV-%1"_s.arg(i, 6, 10, QChar(u'0'));
        e.occurredAtMs = 1000 * i;
        e.amountCents = i;
        e.facts = FactRecord::fromJson(record);
        events.push_back(std::move(e));
    }
    test::TestWorkspace ws;
    TargetHistoryStore store(ws.db(), u"acme"_s);
    QVERIFY(store.append(TargetType::Claim, u"CLM-T"_s, events));
    const char* rules[] = {
        R"({"name":"kw","params":{"conditions":[{"id":"C1","operator":"contains_any","fields":["claim.reason","item.item_reason"],"keywords":["detour","😀","跨城"]}]}})",
        R"({"name":"nkw","params":{"conditions":[{"id":"C1","operator":"not_contains_any","fields":["claim.reason"],"keywords":["DeToUr"]}]}})",
        R"({"name":"sets","params":{"conditions":[{"id":"C1","operator":"not_overlap","left_fields":["attachment.hotel_city"],"right_fields":["claim.location"]},{"id":"C2","operator":"in_scope","left_fields":["claim.location"],"right_fields":["attachment.hotel_city"]}],"hit_logic":{"any":["C1",{"not":"C2"}]}}})",
        R"({"name":"dup","params":{"conditions":[{"id":"C1","operator":"duplicate_value","fields":["invoice.number","claim.reason"]}]}})",
        R"({"name":"route","params":{"conditions":[{"id":"C1","operator":"not_overlap","left_fields":["attachment.hotel_city"],"right_fields":["claim.location"]},{"id":"C2","operator":"not_contains_any","fields":["claim.reason","item.item_reason"],"keywords":["绕行","跨城办事","临时改签","变更"]}],"hit_logic":{"all":["C1","C2"]}}})",
    };
    qint64 hits = 0, passes = 0, unreadable = 0;
    for (const char* json : rules) {
        const auto rule = CompiledRule::compile(obj(json));
        QVERIFY2(rule, json);
        compareStoredReplay(store, TargetType::Claim, u"CLM-T"_s, rule.value(), 0, 1000 * n);
        if (QTest::currentTestFailed())
            QFAIL(json);
        const ImpactSummary s =
            store.replay(TargetType::Claim, u"CLM-T"_s, rule.value(), 0, 1000 * n).value().impact;
        hits += s.hits;
        passes += s.events - s.hits - s.unreadable;
        unreadable += s.unreadable;
    }
    QVERIFY(hits > 0 && passes > 0 && unreadable > 0); // every kind of answer was compared
}

void ImpactTest::compactFormKeepsOrderAcrossBlocksAndLateEvents() {
    test::TestWorkspace ws;
    TargetHistoryStore store(ws.db(), u"acme"_s);
    // More than a block's worth, given newest first, then a late batch that falls in between.
    std::vector<TargetEvent> events;
    for (int i = 9999; i >= 0; --i)
        events.push_back(
            makeEvent(u"E%1"_s.arg(i, 5, 10, QChar(u'0')), 10 * i, i % 2000, i % 7 ? u""_s : u"REVIEW"_s));
    QVERIFY(store.append(TargetType::User, u"U1"_s, events));
    std::vector<TargetEvent> late{makeEvent(u"L1"_s, 55, 1), makeEvent(u"L2"_s, 100'000, 2)};
    QVERIFY(store.append(TargetType::User, u"U1"_s, late));
    std::vector<TargetEvent> later{makeEvent(u"L3"_s, 200'000, 3)};
    QVERIFY(store.append(TargetType::User, u"U1"_s, later)); // after everything: a new block only
    const auto compact = store.load(TargetType::User, u"U1"_s);
    QVERIFY2(compact, compact ? "" : qPrintable(compact.problem().message));
    QCOMPARE(compact.value().size(), size_t(10003));
    compareHistories(compact.value(), store.loadFromJson(TargetType::User, u"U1"_s).value());
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"SELECT count(*), max(event_count) FROM target_event_blocks"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 4); // 10,002 events in three blocks, then the later one
    QCOMPARE(q.value(1).toInt(), int(TargetEventBlockCodec::kEventsPerBlock));

    // A batch with one new event and one already stored is refused whole: neither its row nor a block.
    std::vector<TargetEvent> mixed{makeEvent(u"NEW"_s, 300'000, 1), makeEvent(u"L3"_s, 200'000, 3)};
    QVERIFY(!store.append(TargetType::User, u"U1"_s, mixed));
    QCOMPARE(store.load(TargetType::User, u"U1"_s).value().size(), size_t(10003));
    QVERIFY(q.exec(u"SELECT count(*) FROM target_events"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 10003);
}

void ImpactTest::damagedBlockIsAnErrorNotAShorterHistory_data() {
    QTest::addColumn<QString>("damage");
    QTest::newRow("unknown version") << u"payload = CAST(X'02' || substr(payload, 2) AS BLOB)"_s;
    QTest::newRow("truncated") << u"payload = substr(payload, 1, length(payload) - 3)"_s;
    QTest::newRow("cut in the dictionary") << u"payload = substr(payload, 1, 6)"_s;
    QTest::newRow("trailing bytes") << u"payload = CAST(payload || X'00' AS BLOB)"_s;
    QTest::newRow("empty") << u"payload = X''"_s;
    QTest::newRow("count differs from its row") << u"event_count = event_count - 1"_s;
    QTest::newRow("huge event count") << u"payload = CAST(X'01FFFFFFFF0F' || substr(payload, 4) AS BLOB)"_s;
}

void ImpactTest::damagedBlockIsAnErrorNotAShorterHistory() {
    QFETCH(QString, damage);
    test::TestWorkspace ws;
    TargetHistoryStore store(ws.db(), u"acme"_s);
    std::vector<TargetEvent> events;
    for (int i = 0; i < 5000;
         ++i) // two blocks: the damaged second one must not leave the first as the answer
        events.push_back(makeEvent(u"E%1"_s.arg(i, 4, 10, QChar(u'0')), i, i));
    QVERIFY(store.append(TargetType::Claim, u"CLM-1"_s, events));
    QSqlQuery q(ws.db());
    QVERIFY2(q.exec(u"UPDATE target_event_blocks SET %1 WHERE block_no = 1"_s.arg(damage)),
             qPrintable(q.lastError().text()));
    QCOMPARE(q.numRowsAffected(), 1);
    const auto loaded = store.load(TargetType::Claim, u"CLM-1"_s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.problem().code, u"workspace_damaged"_s);
    QVERIFY2(loaded.problem().message.contains(u"damaged"_s) &&
                 loaded.problem().message.contains(u"backup"_s),
             qPrintable(loaded.problem().message));
    // The impact preview says so instead of replaying part of the history.
    RiskException e;
    e.tenantId = u"acme"_s;
    e.targetType = TargetType::Claim;
    e.targetId = u"CLM-1"_s;
    Rule rule;
    rule.payload = obj(
        R"({"name":"大额","params":{"conditions":[{"id":"C1","operator":"numeric_compare","fields":["claim.amount"],"compare":"gt","threshold":1000}]}})");
    const TargetRisk risk = TargetRiskReader::read(ws.db(), e, rule);
    QVERIFY(!risk.impact);
    QCOMPARE(risk.impactProblem, loaded.problem().message);
    const auto replayed = store.replay(TargetType::Claim, u"CLM-1"_s, overThousand(), 0, 10'000);
    QVERIFY(!replayed);
    QCOMPARE(replayed.problem().code, u"workspace_damaged"_s);
}

// A block keeps each text's number so decoding parses none; a stored number that differs from its text (a
// changed value, NaN) is damage, not a fact compared as the wrong number.
void ImpactTest::numberThatIsNotItsTextIsDamage() {
    const std::vector<TargetEvent> events = awkwardEvents();
    std::vector<const TargetEvent*> run;
    for (const TargetEvent& e : events)
        run.push_back(&e);
    const QByteArray block = TargetEventBlockCodec::encode(run);
    std::vector<TargetEvent> out;
    QVERIFY(TargetEventBlockCodec::decode(block, out));
    // The text 1500, its number flag, then its value as 8 little-endian bytes.
    const double fifteenHundred = 1500;
    QByteArray stored = "1500\x01";
    stored.append(reinterpret_cast<const char*>(&fifteenHundred),
                  sizeof fifteenHundred); // x86: little-endian
    const qsizetype at = block.indexOf(stored);
    QVERIFY(at >= 0);
    for (const double wrong : {1501.0, std::numeric_limits<double>::quiet_NaN(), 0.0}) {
        QByteArray damaged = block;
        damaged.replace(at + 5, sizeof wrong, reinterpret_cast<const char*>(&wrong), sizeof wrong);
        out.clear();
        const Status decoded = TargetEventBlockCodec::decode(damaged, out);
        QVERIFY2(!decoded, qPrintable(QString::number(wrong)));
        QCOMPARE(decoded.problem().code, u"workspace_damaged"_s);
    }
}

// A block row lost (the first, one in the middle, the last) leaves a history that decodes cleanly but short:
// the numbering and the target's last stored event catch it.
void ImpactTest::lostBlockIsAnErrorNotAShorterHistory() {
    for (int lost : {0, 1, 2}) {
        test::TestWorkspace ws;
        TargetHistoryStore store(ws.db(), u"acme"_s);
        std::vector<TargetEvent> events;
        for (int i = 0; i < 9000; ++i) // three blocks
            events.push_back(makeEvent(u"E%1"_s.arg(i, 4, 10, QChar(u'0')), i, i));
        QVERIFY(store.append(TargetType::Claim, u"CLM-1"_s, events));
        QVERIFY(store.load(TargetType::Claim, u"CLM-1"_s));
        QSqlQuery q(ws.db());
        QVERIFY(q.exec(u"DELETE FROM target_event_blocks WHERE block_no = %1"_s.arg(lost)));
        QCOMPARE(q.numRowsAffected(), 1);
        const auto loaded = store.load(TargetType::Claim, u"CLM-1"_s);
        QVERIFY2(!loaded, qPrintable(u"block %1 lost"_s.arg(lost)));
        QCOMPARE(loaded.problem().code, u"workspace_damaged"_s);
        const auto replayed = store.replay(TargetType::Claim, u"CLM-1"_s, overThousand(), 0, 10'000);
        QVERIFY2(!replayed, qPrintable(u"block %1 lost"_s.arg(lost)));
        QCOMPARE(replayed.problem().code, u"workspace_damaged"_s);
    }
}

void ImpactTest::upgradePacksTheStoredRowsExactly() {
    // A workspace of the schema before the compact form, its events written as that version wrote them.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"old.riskdesk"_s);
    const std::vector<TargetEvent> events = awkwardEvents();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"old"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        const QStringList files =
            QDir(u":/riskdesk/sql/sqlite"_s).entryList({u"*.sql"_s}, QDir::Files, QDir::Name);
        int version = 0;
        for (const QString& name : files) {
            if (name.startsWith(u"018_"))
                break;
            auto statements = SqlScript::load(u":/riskdesk/sql/sqlite/"_s + name);
            QVERIFY2(statements, qPrintable(name));
            for (const QString& st : statements.value())
                QVERIFY2(q.exec(st), qPrintable(st + q.lastError().text()));
            ++version;
        }
        QCOMPARE(version, 17); // the scripts before 018, which introduced the compact form
        QVERIFY(q.exec(u"PRAGMA user_version = %1"_s.arg(version)));
        QVERIFY(
            q.prepare(u"INSERT INTO target_events (tenant_id, target_type, target_id, occurred_at, event_id, "
                      "kind, amount_cents, facts, risk_score, risk_level, decision, reasons) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s));
        for (const QString& tenant : {u"acme"_s, u"globex"_s})
            for (const QString& target : {u"CLM-1"_s, u"CLM-2"_s})
                for (const TargetEvent& e : events) {
                    if (target == u"CLM-2" && e.occurredAtMs % 2000)
                        continue; // targets of different lengths
                    q.addBindValue(tenant);
                    q.addBindValue(u"claim"_s);
                    q.addBindValue(target);
                    q.addBindValue(e.occurredAtMs);
                    q.addBindValue(e.eventId);
                    q.addBindValue(e.kind == TargetEvent::Kind::Transaction ? u"transaction"_s : u"case"_s);
                    q.addBindValue(e.amountCents);
                    q.addBindValue(QString::fromUtf8(QJsonDocument(e.facts.toJson()).toJson()));
                    q.addBindValue(e.assessment ? QVariant(e.assessment->riskScore) : QVariant());
                    q.addBindValue(e.assessment ? QVariant(e.assessment->riskLevel) : QVariant());
                    q.addBindValue(e.assessment ? QVariant(e.assessment->decision) : QVariant());
                    q.addBindValue(
                        e.assessment
                            ? QVariant(QString::fromUtf8(
                                  QJsonDocument(QJsonArray::fromStringList(e.assessment->reasons)).toJson()))
                            : QVariant());
                    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
                }
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"old"_s);
    Workspace upgraded(riskdesk::test::settings());
    const Status opened = upgraded.openExisting(path, u"upgraded"_s);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.problem().message));
    QCOMPARE(upgraded.schemaVersion(), Workspace::latestSchemaVersion());
    int targets = 0;
    for (const QString& tenant : {u"acme"_s, u"globex"_s})
        for (const QString& target : {u"CLM-1"_s, u"CLM-2"_s}) {
            const TargetHistoryStore store(upgraded.db(), tenant);
            const auto compact = store.load(TargetType::Claim, target);
            QVERIFY2(compact, compact ? "" : qPrintable(compact.problem().message));
            const auto json = store.loadFromJson(TargetType::Claim, target);
            compareHistories(compact.value(), json.value());
            if (target == u"CLM-1") { // and the events are the ones written, not only both forms alike
                std::vector<TargetEvent> want = events;
                std::sort(want.begin(), want.end(), TargetEventBlockCodec::before);
                compareHistories(compact.value(), want);
            }
            targets += !compact.value().empty();
        }
    QCOMPARE(targets, 4);
    // Appending after the upgrade continues the packed history.
    const std::vector<TargetEvent> more{makeEvent(u"LATER"_s, 9'000'000, 5000)};
    QVERIFY(TargetHistoryStore(upgraded.db(), u"acme"_s).append(TargetType::Claim, u"CLM-1"_s, more));
    QCOMPARE(TargetHistoryStore(upgraded.db(), u"acme"_s).load(TargetType::Claim, u"CLM-1"_s).value().size(),
             events.size() + 1);
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
