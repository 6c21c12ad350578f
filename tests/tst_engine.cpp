// The embedded assessment engine against the reference's rules, at every boundary.
#include "TestWorkspace.h"
#include "domain/Money.h"
#include "engine/AssessmentSession.h"
#include "engine/RiskAssessor.h"
#include "store/AssessmentStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>
#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::TestWorkspace;

namespace {

const QDateTime kNoon(QDate(2026, 11, 23), QTime(12, 0), QTimeZone::utc());

AssessmentRequest request(double amount, QJsonObject device = {{u"device_id"_s, u"d-1"_s}},
                          QJsonObject location = {{u"country"_s, u"CN"_s}}) {
    QJsonObject json{{u"user_id"_s, u"u-1"_s},     {u"transaction_amount"_s, amount},
                     {u"merchant_id"_s, u"m-1"_s}, {u"payment_method"_s, u"card"_s},
                     {u"device_info"_s, device},   {u"location_info"_s, location}};
    auto parsed = AssessmentRequest::fromJson(json);
    if (!parsed)
        qFatal("%s", qPrintable(parsed.problem().message));
    return parsed.value();
}

Assessment assess(const AssessmentRequest& r, VelocityCounters before = {}, bool blacklisted = false) {
    return RiskAssessor::assess(r, before, blacklisted, AssessmentPolicy::reference());
}

int checkScore(const Assessment& a, const QString& type) {
    for (const CheckResult& c : a.checks)
        if (c.type == type)
            return c.score;
    return -1;
}

} // namespace

class EngineTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void amountBands_data();
    void amountBands();
    void velocity_data();
    void velocity();
    void blacklistAloneRejects();
    void device_data();
    void device();
    void location_data();
    void location();
    void levelsAndDecisions_data();
    void levelsAndDecisions();
    void reasonsAreUniqueInFirstSeenOrder();
    void ledgerCountsEarlierTransactionsOnly();
    void ledgerAcrossDayAndHourBoundaries();
    void amountsBecomeCents_data();
    void amountsBecomeCents();
    void ledgerSumsAmountsExactly();
    void ledgerSumNeverWrapsAround();
    void lateTransactionsChangeNothing();
    void ledgerSurvivesARestart();
    void policyOverride();
    void badPolicyNamesTheKey();
    void policyAmountsOutOfRangeAreRefused();
    void policyNumbersBeyondTheirTypesAreRefused_data();
    void policyNumbersBeyondTheirTypesAreRefused();
    void badRequests_data();
    void badRequests();
    void requestProblemsSayWhatIsWrong();
    void limitsAreAcceptedAndWordedExactly();
    void responseHasTheReferenceFields();
};

void EngineTest::amountBands_data() {
    QTest::addColumn<double>("amount");
    QTest::addColumn<int>("score");
    QTest::addColumn<QString>("reason");
    QTest::newRow("0.01") << 0.01 << 0 << u""_s;
    QTest::newRow("1000 exactly") << 1000.0 << 0 << u""_s;
    QTest::newRow("1000.01") << 1000.01 << 5 << u""_s; // the reference's low band says nothing
    QTest::newRow("10000 exactly") << 10000.0 << 5 << u""_s;
    QTest::newRow("10000.01") << 10000.01 << 15 << u"amount_high"_s;
    QTest::newRow("50000 exactly") << 50000.0 << 15 << u"amount_high"_s;
    QTest::newRow("50000.01") << 50000.01 << 30 << u"amount_very_high"_s;
    QTest::newRow("1e9") << 1e9 << 30 << u"amount_very_high"_s;
}

void EngineTest::amountBands() {
    QFETCH(double, amount);
    QFETCH(int, score);
    QFETCH(QString, reason);
    const Assessment a = assess(request(amount));
    QCOMPARE(checkScore(a, u"amount_risk"_s), score);
    QCOMPARE(a.reasons, reason.isEmpty() ? QStringList() : QStringList{reason});
    QCOMPARE(a.riskScore, score * 0.8);
}

void EngineTest::velocity_data() {
    // The day's amount is given in cents, written out by hand: the test never rounds an amount itself.
    QTest::addColumn<qint64>("dailyCount");
    QTest::addColumn<qint64>("dailyAmountCents");
    QTest::addColumn<qint64>("hourlyCount");
    QTest::addColumn<int>("score");
    QTest::addColumn<QStringList>("reasons");
    QTest::newRow("quiet") << qint64(0) << qint64(0) << qint64(0) << 0 << QStringList{};
    QTest::newRow("hourly 4") << qint64(4) << qint64(1000) << qint64(4) << 0 << QStringList{};
    QTest::newRow("hourly 5") << qint64(5) << qint64(1000) << qint64(5) << 15
                              << QStringList{u"hourly_rate_high"_s};
    QTest::newRow("daily 9") << qint64(9) << qint64(1000) << qint64(0) << 0 << QStringList{};
    QTest::newRow("daily 10") << qint64(10) << qint64(1000) << qint64(0) << 20
                              << QStringList{u"daily_count_exceeded"_s};
    QTest::newRow("amount 99999.99") << qint64(1) << qint64(9999999) << qint64(0) << 0 << QStringList{};
    QTest::newRow("amount 100000") << qint64(1) << qint64(10000000) << qint64(0) << 25
                                   << QStringList{u"daily_amount_exceeded"_s};
    QTest::newRow("all three, capped at 50")
        << qint64(12) << qint64(15000000) << qint64(6) << 50
        << QStringList{u"daily_count_exceeded"_s, u"daily_amount_exceeded"_s, u"hourly_rate_high"_s};
    QTest::newRow("two, under the cap") << qint64(10) << qint64(100) << qint64(5) << 35
                                        << QStringList{u"daily_count_exceeded"_s, u"hourly_rate_high"_s};
}

void EngineTest::velocity() {
    QFETCH(qint64, dailyCount);
    QFETCH(qint64, dailyAmountCents);
    QFETCH(qint64, hourlyCount);
    QFETCH(int, score);
    QFETCH(QStringList, reasons);
    const VelocityCounters before{dailyCount, dailyAmountCents, hourlyCount};
    const Assessment a = assess(request(10), before);
    QCOMPARE(checkScore(a, u"velocity_risk"_s), score);
    QCOMPARE(a.reasons, reasons);
}

void EngineTest::blacklistAloneRejects() {
    const Assessment a = assess(request(10), {}, true);
    QCOMPARE(checkScore(a, u"blacklist_risk"_s), 100);
    QCOMPARE(a.riskScore, 80.0);
    QCOMPARE(a.riskLevel, u"HIGH"_s);
    QCOMPARE(a.decision, u"REJECT"_s);
    QCOMPARE(a.recommendations, QStringList{u"reject_transaction"_s});
}

void EngineTest::device_data() {
    QTest::addColumn<QJsonObject>("device");
    QTest::addColumn<int>("score");
    QTest::newRow("identified") << QJsonObject{{u"device_id"_s, u"d"_s}} << 0;
    QTest::newRow("no id") << QJsonObject{} << 10;
    QTest::newRow("empty id") << QJsonObject{{u"device_id"_s, u""_s}} << 10;
    QTest::newRow("null id") << QJsonObject{{u"device_id"_s, QJsonValue()}} << 10;
    QTest::newRow("emulator") << QJsonObject{{u"device_id"_s, u"d"_s}, {u"is_emulator"_s, true}} << 20;
    QTest::newRow("emulator false") << QJsonObject{{u"device_id"_s, u"d"_s}, {u"is_emulator"_s, false}} << 0;
    QTest::newRow("rooted") << QJsonObject{{u"device_id"_s, u"d"_s}, {u"is_rooted"_s, 1}} << 15;
    QTest::newRow("everything") << QJsonObject{{u"is_emulator"_s, true}, {u"is_rooted"_s, true}} << 45;
}

void EngineTest::device() {
    QFETCH(QJsonObject, device);
    QFETCH(int, score);
    QCOMPARE(checkScore(assess(request(10, device)), u"device_risk"_s), score);
}

void EngineTest::location_data() {
    QTest::addColumn<QJsonValue>("location");
    QTest::addColumn<int>("score");
    QTest::newRow("ordinary country") << QJsonValue(QJsonObject{{u"country"_s, u"CN"_s}}) << 0;
    QTest::newRow("high-risk XX") << QJsonValue(QJsonObject{{u"country"_s, u"XX"_s}}) << 25;
    QTest::newRow("high-risk YY") << QJsonValue(QJsonObject{{u"country"_s, u"YY"_s}}) << 25;
    QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined) << 5;
    QTest::newRow("null") << QJsonValue() << 5;
    QTest::newRow("empty") << QJsonValue(QJsonObject{}) << 5;
    QTest::newRow("no country") << QJsonValue(QJsonObject{{u"city"_s, u"Shanghai"_s}}) << 0;
}

void EngineTest::location() {
    QFETCH(QJsonValue, location);
    QFETCH(int, score);
    QJsonObject json{{u"user_id"_s, u"u"_s},
                     {u"transaction_amount"_s, 10},
                     {u"merchant_id"_s, u"m"_s},
                     {u"payment_method"_s, u"card"_s},
                     {u"device_info"_s, QJsonObject{{u"device_id"_s, u"d"_s}}}};
    if (!location.isUndefined())
        json.insert(u"location_info"_s, location);
    const Assessment a = assess(AssessmentRequest::fromJson(json).value());
    QCOMPARE(checkScore(a, u"location_risk"_s), score);
}

void EngineTest::levelsAndDecisions_data() {
    QTest::addColumn<double>("amount");
    QTest::addColumn<QJsonObject>("device");
    QTest::addColumn<bool>("blacklisted");
    QTest::addColumn<double>("score");
    QTest::addColumn<QString>("level");
    QTest::addColumn<QString>("decision");
    const QJsonObject ok{{u"device_id"_s, u"d"_s}};
    QTest::newRow("nothing: MINIMAL") << 10.0 << ok << false << 0.0 << u"MINIMAL"_s << u"APPROVE"_s;
    QTest::newRow("amount 15 + rooted 15 -> 24 LOW")
        << 10000.01 << QJsonObject{{u"device_id"_s, u"d"_s}, {u"is_rooted"_s, true}} << false << 24.0
        << u"LOW"_s << u"APPROVE_WITH_MONITORING"_s;
    QTest::newRow("amount 5 + no device 10 -> 12 MINIMAL")
        << 2000.0 << QJsonObject{} << false << 12.0 << u"MINIMAL"_s << u"APPROVE"_s;
    QTest::newRow("amount 15 + no device 10 -> exactly 20 LOW")
        << 20000.0 << QJsonObject{} << false << 20.0 << u"LOW"_s << u"APPROVE_WITH_MONITORING"_s;
    QTest::newRow("amount 30 -> 24 LOW")
        << 60000.0 << ok << false << 24.0 << u"LOW"_s << u"APPROVE_WITH_MONITORING"_s;
    QTest::newRow("rooted emulator 35 -> 28 LOW")
        << 10.0 << QJsonObject{{u"device_id"_s, u"d"_s}, {u"is_emulator"_s, true}, {u"is_rooted"_s, true}}
        << false << 28.0 << u"LOW"_s << u"APPROVE_WITH_MONITORING"_s;
    QTest::newRow("50 -> 40 MEDIUM") << 60000.0
                                     << QJsonObject{{u"device_id"_s, u"d"_s}, {u"is_emulator"_s, true}}
                                     << false << 40.0 << u"MEDIUM"_s << u"REVIEW"_s;
    QTest::newRow("blacklist 100 -> 80 HIGH") << 10.0 << ok << true << 80.0 << u"HIGH"_s << u"REJECT"_s;
    QTest::newRow("everything, capped at 100")
        << 60000.0 << QJsonObject{{u"is_emulator"_s, true}, {u"is_rooted"_s, true}} << true << 100.0
        << u"HIGH"_s << u"REJECT"_s;
}

void EngineTest::levelsAndDecisions() {
    QFETCH(double, amount);
    QFETCH(QJsonObject, device);
    QFETCH(bool, blacklisted);
    QFETCH(double, score);
    QFETCH(QString, level);
    QFETCH(QString, decision);
    const Assessment a = assess(request(amount, device), {}, blacklisted);
    QCOMPARE(a.riskScore, score);
    QCOMPARE(a.riskLevel, level);
    QCOMPARE(a.decision, decision);
}

void EngineTest::reasonsAreUniqueInFirstSeenOrder() {
    // Blacklist and emulator both recommend rejecting the transaction: it appears once, where first seen.
    const Assessment a = assess(request(60000, {{u"is_emulator"_s, true}}, {}), {}, true);
    QCOMPARE(a.reasons, (QStringList{u"amount_very_high"_s, u"blacklisted"_s, u"device_id_missing"_s,
                                     u"emulator_detected"_s, u"location_missing"_s}));
    QCOMPARE(a.recommendations, (QStringList{u"suggest_manual_review"_s, u"reject_transaction"_s,
                                             u"require_device_authentication"_s, u"collect_location"_s}));
}

void EngineTest::ledgerCountsEarlierTransactionsOnly() {
    AssessmentSession session;
    AssessmentRequest r = request(10);
    for (int i = 0; i < 5; ++i) {
        r.timestamp = kNoon.addSecs(i * 60);
        const Assessment a = session.assess(r, kNoon).assessment;
        // The i-th transaction sees i before it: the fifth of the hour (4 before) is not yet "too frequent".
        QCOMPARE(checkScore(a, u"velocity_risk"_s), 0);
    }
    r.timestamp = kNoon.addSecs(300);
    QCOMPARE(checkScore(session.assess(r, kNoon).assessment, u"velocity_risk"_s), 15); // 5 before it
}

void EngineTest::ledgerAcrossDayAndHourBoundaries() {
    VelocityLedger ledger;
    const QDateTime lateEvening(QDate(2026, 11, 23), QTime(23, 59, 59), QTimeZone::utc());
    for (int i = 0; i < 10; ++i)
        ledger.record(u"u"_s, lateEvening, 100);
    QCOMPARE(ledger.before(u"u"_s, lateEvening).dailyCount, 10);
    QCOMPARE(ledger.before(u"u"_s, lateEvening).hourlyCount, 10);
    const QDateTime midnight = lateEvening.addSecs(1);
    QCOMPARE(ledger.before(u"u"_s, midnight).dailyCount, 0); // a new calendar day
    QCOMPARE(ledger.before(u"u"_s, midnight).hourlyCount, 0);
    const QDateTime sameDayNextHour(QDate(2026, 11, 23), QTime(13, 0), QTimeZone::utc());
    VelocityLedger hours;
    hours.record(u"u"_s, sameDayNextHour.addSecs(-1), 100);
    QCOMPARE(hours.before(u"u"_s, sameDayNextHour).hourlyCount, 0);
    QCOMPARE(hours.before(u"u"_s, sameDayNextHour).dailyCount, 1);
    QCOMPARE(hours.before(u"other"_s, sameDayNextHour).dailyCount, 0); // per user
}

// Amounts become cents in the production code (the request parser); the expected cents are worked out by
// hand. 0.29 × 100 is 28.999999999999996 and 10000.1 × 100 is 1000009.9999999999 in doubles, so a
// conversion that truncates, or sums the amounts as doubles, is caught.
void EngineTest::amountsBecomeCents_data() {
    QTest::addColumn<double>("amount");
    QTest::addColumn<qint64>("cents");
    QTest::newRow("one cent") << 0.01 << qint64(1);
    QTest::newRow("0.29") << 0.29 << qint64(29);
    QTest::newRow("19.99") << 19.99 << qint64(1999);
    QTest::newRow("10000.1") << 10000.1 << qint64(1000010);
    QTest::newRow("99999.99") << 99999.99 << qint64(9999999);
    QTest::newRow("the largest amount") << 1e13 << qint64(1000000000000000);
}

void EngineTest::amountsBecomeCents() {
    QFETCH(double, amount);
    QFETCH(qint64, cents);
    QCOMPARE(request(amount).amountCents, cents);
    QCOMPARE(Money::centsOf(amount), std::optional<qint64>(cents));
}

void EngineTest::ledgerSumsAmountsExactly() {
    // Ten requests of 10000.1 through the session: the ledger holds 10 × 1000010 cents = 100001.00.
    AssessmentSession session;
    AssessmentRequest r = request(10000.1);
    for (int i = 0; i < 10; ++i) {
        r.timestamp = kNoon.addSecs(i);
        session.assess(r, kNoon);
    }
    QCOMPARE(session.ledger().before(u"u-1"_s, kNoon.addSecs(10)).dailyAmountCents, qint64(10000100));
}

// A wrapped sum would turn a huge day's total negative and score it as safe: it stays at the largest count.
void EngineTest::ledgerSumNeverWrapsAround() {
    VelocityLedger ledger;
    const qint64 most = *Money::centsOf(Money::kMaxAmount);
    for (int i = 0; i < 10000; ++i) // 10,000 transactions of ten trillion: 10^19 cents, past qint64's range
        ledger.record(u"u"_s, kNoon, most);
    QCOMPARE(ledger.before(u"u"_s, kNoon).dailyAmountCents, std::numeric_limits<qint64>::max());
    const Assessment a =
        RiskAssessor::assess(request(1), ledger.before(u"u"_s, kNoon), false, AssessmentPolicy::reference());
    QVERIFY(a.riskScore > 0); // the daily amount check still fires
    QCOMPARE(Money::addCents(std::numeric_limits<qint64>::min(), -1), std::numeric_limits<qint64>::min());
    QCOMPARE(Money::addCents(40, 2), 42);
}

void EngineTest::lateTransactionsChangeNothing() {
    VelocityLedger ledger;
    ledger.record(u"u"_s, kNoon, 100);
    ledger.record(u"u"_s, kNoon.addDays(-1), 100); // a day late: its day's counters are gone
    QCOMPARE(ledger.before(u"u"_s, kNoon).dailyCount, 1);
    QCOMPARE(ledger.before(u"u"_s, kNoon.addDays(-1)).dailyCount, 0);
}

void EngineTest::ledgerSurvivesARestart() {
    TestWorkspace ws;
    QList<LoggedAssessment> made;
    {
        AssessmentSession session;
        session.blacklist().addMerchant(u"m-bad"_s);
        QVERIFY(AssessmentStore(ws.db(), u"acme"_s).addToBlacklist(session.blacklist()).ok());
        AssessmentRequest r = request(20000);
        for (int i = 0; i < 7; ++i) {
            r.timestamp = kNoon.addSecs(i);
            made.append(LoggedAssessment::of(r, session.assess(r, kNoon)));
        }
        QVERIFY(AssessmentStore(ws.db(), u"acme"_s).save(session, made).ok());
    }
    AssessmentSession resumed;
    QVERIFY(AssessmentStore(ws.db(), u"acme"_s).load(resumed).ok());
    const VelocityCounters c = resumed.ledger().before(u"u-1"_s, kNoon.addSecs(10));
    QCOMPARE(c.dailyCount, 7);
    QCOMPARE(c.dailyAmountCents, 7 * 2000000);
    QCOMPARE(c.hourlyCount, 7);
    QVERIFY(resumed.blacklist().contains(u"anyone"_s, u"m-bad"_s));
    // The user's latest assessment is found through the ledger, and the resumed run continues the sequence.
    const auto latest = AssessmentStore(ws.db(), u"acme"_s).latestForUser(u"u-1"_s);
    QVERIFY(latest.ok() && latest.value().has_value());
    QCOMPARE(latest.value()->sequence, made.last().sequence);
    QCOMPARE(latest.value()->assessedAtMs, made.last().assessedAtMs);
    QCOMPARE(latest.value()->requestId(), made.last().requestId());
    QVERIFY(!AssessmentStore(ws.db(), u"acme"_s).latestForUser(u"nobody"_s).value().has_value());
    QCOMPARE(resumed.assess(request(10), kNoon).sequence, made.last().sequence + 1);
    // Another tenant's state is its own.
    AssessmentSession other;
    QVERIFY(AssessmentStore(ws.db(), u"globex"_s).load(other).ok());
    QCOMPARE(other.ledger().size(), 0);
    QSqlQuery count(u"SELECT count(*) FROM risk_assessments WHERE tenant_id = 'acme'"_s, ws.db());
    QVERIFY(count.next());
    QCOMPARE(count.value(0).toInt(), 7);
}

void EngineTest::policyOverride() {
    QJsonObject json = [] {
        QFile f(u":/riskdesk/policy/default_policy.json"_s);
        f.open(QIODevice::ReadOnly);
        return QJsonDocument::fromJson(f.readAll()).object();
    }();
    json[u"multiplier"_s] = 1.0;
    QJsonObject location = json.value(u"location"_s).toObject();
    location[u"high_risk_countries"_s] = QJsonArray{u"CN"_s};
    json[u"location"_s] = location;
    const auto policy = AssessmentPolicy::fromJson(json);
    QVERIFY(policy.ok());
    const Assessment a = RiskAssessor::assess(request(10), {}, false, policy.value());
    QCOMPARE(a.riskScore, 25.0);
    QCOMPARE(a.riskLevel, u"LOW"_s);
    TestWorkspace ws;
    AssessmentStore store(ws.db(), u"acme"_s);
    QVERIFY(!store.tenantPolicy().value().has_value());
    QVERIFY(store.setTenantPolicy(json).ok());
    QCOMPARE(store.tenantPolicy().value()->multiplier, 1.0);
}

void EngineTest::badPolicyNamesTheKey() {
    QJsonObject json{{u"policy"_s, u"x"_s}, {u"version"_s, 1}, {u"amount_bands"_s, QJsonArray{}}};
    const auto policy = AssessmentPolicy::fromJson(json);
    QVERIFY(!policy.ok());
    QCOMPARE(policy.problem().field, u"velocity.daily_count.at_least"_s);
    QVERIFY(policy.problem().message.contains(u"velocity.daily_count.at_least"_s));
}

void EngineTest::policyAmountsOutOfRangeAreRefused() {
    QJsonObject json = [] {
        QFile f(u":/riskdesk/policy/default_policy.json"_s);
        f.open(QIODevice::ReadOnly);
        return QJsonDocument::fromJson(f.readAll()).object();
    }();
    QJsonObject velocity = json.value(u"velocity"_s).toObject();
    QJsonObject daily = velocity.value(u"daily_amount"_s).toObject();
    daily[u"at_least"_s] = 1e300;
    velocity[u"daily_amount"_s] = daily;
    json[u"velocity"_s] = velocity;
    const auto policy = AssessmentPolicy::fromJson(json);
    QVERIFY(!policy.ok());
    QCOMPARE(policy.problem().field, u"velocity.daily_amount.at_least"_s);
}

// Found by fuzz_requests once it ran under UBSan: these were converted to int or qint64 unchecked
// (undefined behaviour; on x86 1e300 became INT_MIN and the policy was accepted), and points near INT_MAX
// overflowed the score's sum.
void EngineTest::policyNumbersBeyondTheirTypesAreRefused_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("named"); // what the message must name
    QTest::newRow("version 1e300") << u"version"_s << 1e300 << u"version"_s;
    QTest::newRow("version 2^31") << u"version"_s << 2147483648.0 << u"version"_s;
    QTest::newRow("band points 3e9") << u"amount_bands.0.score"_s << 3e9 << u"amount_bands.0: score"_s;
    QTest::newRow("points 1001") << u"blacklist.score"_s << 1001.0 << u"blacklist.score"_s;
    QTest::newRow("cap 1e300") << u"velocity.cap"_s << 1e300 << u"velocity.cap"_s;
    QTest::newRow("daily count 1e300")
        << u"velocity.daily_count.at_least"_s << 1e300 << u"velocity.daily_count.at_least"_s;
    QTest::newRow("hourly count -1e300")
        << u"velocity.hourly_count.at_least"_s << -1e300 << u"velocity.hourly_count.at_least"_s;
    QTest::newRow("hourly count 1.5")
        << u"velocity.hourly_count.at_least"_s << 1.5 << u"velocity.hourly_count.at_least"_s;
}

void EngineTest::policyNumbersBeyondTheirTypesAreRefused() {
    QFETCH(QString, path);
    QFETCH(double, value);
    QFETCH(QString, named);
    QFile f(u":/riskdesk/policy/default_policy.json"_s);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject reference = QJsonDocument::fromJson(f.readAll()).object();
    QVERIFY(AssessmentPolicy::fromJson(reference).ok());
    // Sets the value at a dotted path ("amount_bands.0.score"), through objects and arrays.
    const std::function<QJsonValue(QJsonValue, QStringList)> set = [&](QJsonValue at, QStringList keys) {
        if (keys.isEmpty())
            return QJsonValue(value);
        const QString key = keys.takeFirst();
        if (at.isArray()) {
            QJsonArray a = at.toArray();
            a[key.toInt()] = set(a.at(key.toInt()), keys);
            return QJsonValue(a);
        }
        QJsonObject o = at.toObject();
        o[key] = set(o.value(key), keys);
        return QJsonValue(o);
    };
    const QJsonObject json = set(reference, path.split(u'.')).toObject();
    const auto policy = AssessmentPolicy::fromJson(json);
    QVERIFY2(!policy.ok(), qPrintable(path));
    QVERIFY2(policy.problem().message.contains(named), qPrintable(policy.problem().message));
}

void EngineTest::badRequests_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("code");
    QTest::newRow("no user") << u"user_id"_s << QJsonValue(QJsonValue::Undefined) << u"missing"_s;
    QTest::newRow("numeric user") << u"user_id"_s << QJsonValue(7) << u"wrong_type"_s;
    QTest::newRow("zero amount") << u"transaction_amount"_s << QJsonValue(0) << u"not_positive"_s;
    QTest::newRow("negative amount") << u"transaction_amount"_s << QJsonValue(-5) << u"not_positive"_s;
    // Their cents would overflow a 64-bit sum (9.2e16 still fitted; 9.3e16 wrapped and scored 0, APPROVE).
    QTest::newRow("9.3e16") << u"transaction_amount"_s << QJsonValue(9.3e16) << u"out_of_range"_s;
    QTest::newRow("1e17") << u"transaction_amount"_s << QJsonValue(1e17) << u"out_of_range"_s;
    QTest::newRow("1e308") << u"transaction_amount"_s << QJsonValue(1e308) << u"out_of_range"_s;
    QTest::newRow("just above the limit")
        << u"transaction_amount"_s << QJsonValue(Money::kMaxAmount + 1) << u"out_of_range"_s;
    QTest::newRow("infinite") << u"transaction_amount"_s << QJsonValue(qInf()) << u"out_of_range"_s;
    QTest::newRow("NaN") << u"transaction_amount"_s << QJsonValue(qQNaN()) << u"out_of_range"_s;
    QTest::newRow("tiny negative") << u"transaction_amount"_s << QJsonValue(-0.01) << u"not_positive"_s;
    QTest::newRow("amount as text") << u"transaction_amount"_s << QJsonValue(u"100"_s) << u"wrong_type"_s;
    QTest::newRow("no merchant") << u"merchant_id"_s << QJsonValue(QJsonValue::Undefined) << u"missing"_s;
    QTest::newRow("device not an object") << u"device_info"_s << QJsonValue(u"iphone"_s) << u"wrong_type"_s;
    QTest::newRow("bad timestamp") << u"timestamp"_s << QJsonValue(u"yesterday"_s) << u"bad_timestamp"_s;
    // Ids are stored and keyed on: NUL would cut them ("u\0x" was kept as "u"), blank ones name nobody.
    QTest::newRow("user with NUL") << u"user_id"_s << QJsonValue(u"u\u0000x"_s) << u"nul_character"_s;
    QTest::newRow("merchant with NUL") << u"merchant_id"_s << QJsonValue(u"m\u0000"_s) << u"nul_character"_s;
    QTest::newRow("empty user") << u"user_id"_s << QJsonValue(u""_s) << u"blank"_s;
    QTest::newRow("blank user") << u"user_id"_s << QJsonValue(u" \u200B\u3000"_s) << u"blank"_s;
    QTest::newRow("empty merchant") << u"merchant_id"_s << QJsonValue(u""_s) << u"blank"_s;
    QTest::newRow("user with a tab inside") << u"user_id"_s << QJsonValue(u"u\t1"_s) << u"malformed_id"_s;
    QTest::newRow("user of 129 characters")
        << u"user_id"_s << QJsonValue(QString(129, u'u')) << u"malformed_id"_s;
    // Below one cent an amount rounds to 0 cents and adds nothing to the daily sums.
    QTest::newRow("a tenth of a cent") << u"transaction_amount"_s << QJsonValue(0.001) << u"below_one_cent"_s;
    QTest::newRow("smallest double") << u"transaction_amount"_s << QJsonValue(4.9e-324)
                                     << u"below_one_cent"_s;
    QTest::newRow("just under a cent")
        << u"transaction_amount"_s << QJsonValue(0.0099) << u"below_one_cent"_s;
    QTest::newRow("1900") << u"timestamp"_s << QJsonValue(u"1900-01-01T00:00:00Z"_s) << u"out_of_range"_s;
    QTest::newRow("9999") << u"timestamp"_s << QJsonValue(u"9999-12-31T23:59:59Z"_s) << u"out_of_range"_s;
    QTest::newRow("1999, last second")
        << u"timestamp"_s << QJsonValue(u"1999-12-31T23:59:59.999Z"_s) << u"out_of_range"_s;
    QTest::newRow("2100") << u"timestamp"_s << QJsonValue(u"2100-01-01T00:00:00Z"_s) << u"out_of_range"_s;
    // helper-84: a null was "missing", a blank method was scored, a half cent was rounded away.
    QTest::newRow("null amount") << u"transaction_amount"_s << QJsonValue(QJsonValue::Null)
                                 << u"wrong_type"_s;
    QTest::newRow("null method") << u"payment_method"_s << QJsonValue(QJsonValue::Null) << u"wrong_type"_s;
    QTest::newRow("empty method") << u"payment_method"_s << QJsonValue(u""_s) << u"blank"_s;
    QTest::newRow("blank method") << u"payment_method"_s << QJsonValue(u" \u3000"_s) << u"blank"_s;
    QTest::newRow("half a cent") << u"transaction_amount"_s << QJsonValue(0.015) << u"fraction_of_a_cent"_s;
    QTest::newRow("three decimals") << u"transaction_amount"_s << QJsonValue(1234.567)
                                    << u"fraction_of_a_cent"_s;
    // helper-85: a tolerance let these through, rounded away.
    QTest::newRow("a billionth over")
        << u"transaction_amount"_s << QJsonValue(5.000000001) << u"fraction_of_a_cent"_s;
    QTest::newRow("just over a cent")
        << u"transaction_amount"_s << QJsonValue(0.010000001) << u"fraction_of_a_cent"_s;
    QTest::newRow("half a cent, large")
        << u"transaction_amount"_s << QJsonValue(5000000000000.005) << u"fraction_of_a_cent"_s;
    QTest::newRow("no such day") << u"timestamp"_s << QJsonValue(u"2026-02-30T00:00:00Z"_s)
                                 << u"bad_timestamp"_s;
}

void EngineTest::requestProblemsSayWhatIsWrong() {
    const QJsonObject base{{u"user_id"_s, u"u1"_s}};
    auto problem = AssessmentRequest::fromJson(base).problem();
    QCOMPARE(problem.message, u"transaction_amount, merchant_id and payment_method are missing."_s);
    QCOMPARE(problem.field, u"transaction_amount"_s);
    QJsonObject json{{u"user_id"_s, u"u"_s},
                     {u"transaction_amount"_s, QJsonValue::Null},
                     {u"merchant_id"_s, u"m"_s},
                     {u"payment_method"_s, u"card"_s}};
    QCOMPARE(AssessmentRequest::fromJson(json).problem().message,
             u"transaction_amount must be a number, not null."_s);
    json[u"transaction_amount"_s] = 0.015;
    QVERIFY(AssessmentRequest::fromJson(json).problem().message.contains(u"(0.015)"_s));
    json[u"transaction_amount"_s] = 19.99; // two decimals, inexact in binary, are cents
    QVERIFY(AssessmentRequest::fromJson(json).ok());
    json[u"transaction_amount"_s] = 98765432109.87;
    QVERIFY(AssessmentRequest::fromJson(json).ok());
    json[u"timestamp"_s] = u"2026-02-30T00:00:00Z"_s;
    QCOMPARE(AssessmentRequest::fromJson(json).problem().message,
             u"timestamp: 2026-02-30 is not a day of the calendar; 2026-02 has 28 days."_s);
}

void EngineTest::badRequests() {
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(QString, code);
    QJsonObject json{{u"user_id"_s, u"u"_s},
                     {u"transaction_amount"_s, 10},
                     {u"merchant_id"_s, u"m"_s},
                     {u"payment_method"_s, u"card"_s}};
    if (value.isUndefined())
        json.remove(field);
    else
        json[field] = value;
    const auto parsed = AssessmentRequest::fromJson(json);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.problem().code, code);
    QCOMPARE(parsed.problem().field, field);
}

void EngineTest::limitsAreAcceptedAndWordedExactly() {
    const QJsonObject base{{u"user_id"_s, u"客户-😀"_s},
                           {u"transaction_amount"_s, 10},
                           {u"merchant_id"_s, QString(128, u'm')},
                           {u"payment_method"_s, u"card"_s}};
    auto with = [&](const QString& field, const QJsonValue& value) {
        QJsonObject json = base;
        json[field] = value;
        return AssessmentRequest::fromJson(json);
    };
    QCOMPARE(with(u"transaction_amount"_s, 0.01).value().amountCents, 1);
    QCOMPARE(with(u"transaction_amount"_s, Money::kMaxAmount).value().amountCents, qint64(1e15));
    QVERIFY(with(u"timestamp"_s, u"2000-01-01T00:00:00Z"_s).ok());
    QVERIFY(with(u"timestamp"_s, u"2099-12-31T23:59:59.999Z"_s).ok());
    // Both numbers of a refusal print as what they are, so they never read alike ("at most 10000000000000,
    // not 1e+13").
    auto message = [&](double amount) { return with(u"transaction_amount"_s, amount).problem().message; };
    QCOMPARE(message(10000000000000.01),
             u"transaction_amount must be at most 10000000000000, not 10000000000000.01."_s);
    QCOMPARE(message(2e13), u"transaction_amount must be at most 10000000000000, not 20000000000000."_s);
    QCOMPARE(message(1e308), u"transaction_amount must be at most 10000000000000, not 1e+308."_s);
    QCOMPARE(message(0.001), u"transaction_amount must be at least 0.01 (one cent), not 0.001."_s);
    QCOMPARE(message(4.9e-324), u"transaction_amount must be at least 0.01 (one cent), not 5e-324."_s);
    QCOMPARE(with(u"timestamp"_s, u"1900-01-01T00:00:00Z"_s).problem().message,
             u"timestamp must be from 2000-01-01 to 2099-12-31 (UTC), not 1900-01-01T00:00:00Z."_s);
}

void EngineTest::responseHasTheReferenceFields() {
    AssessmentSession session;
    const SessionAssessment s = session.assess(request(60000), kNoon);
    const QJsonObject json =
        RiskAssessor::responseJson(s.assessment, s.requestId(), u"u-1"_s, 0.01, s.timestamp);
    QStringList keys = json.keys();
    QCOMPARE(keys,
             (QStringList{u"decision"_s, u"processing_time_ms"_s, u"reasons"_s, u"recommendations"_s,
                          u"request_id"_s, u"risk_level"_s, u"risk_score"_s, u"timestamp"_s, u"user_id"_s}));
    QVERIFY(json.value(u"request_id"_s).toString().startsWith(u"req_"_s));
    QCOMPARE(json.value(u"reasons"_s).toArray().first().toString(), u"Transaction amount too high"_s);
}

QTEST_GUILESS_MAIN(EngineTest)
#include "tst_engine.moc"
