#include "ScoreBenchmark.h"

#include "BenchmarkStats.h"
#include "CommandParser.h"
#include "Console.h"
#include "ReplayBenchmark.h"
#include "engine/AssessmentSession.h"
#include "settings/AppSettings.h"
#include "store/AssessmentStore.h"
#include "store/SqlProblem.h"
#include "store/Workspace.h"
#include "store/WriteTransaction.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimeZone>
#include <algorithm>
#include <functional>
#include <random>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// Realistic traffic: users and merchants drawn at random, mostly small amounts, a few emulators, rooted
// devices and high-risk countries, timestamps 50 ms apart on average (so day and hour boundaries occur).
QList<QJsonObject> makeRequests(qint64 count, int users) {
    std::mt19937_64 rng(2026);
    QList<QJsonObject> requests;
    requests.reserve(count);
    qint64 ms = QDateTime(QDate(2026, 11, 23), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
    const QStringList countries{u"CN"_s, u"US"_s, u"DE"_s, u"SG"_s, u"JP"_s};
    for (qint64 i = 0; i < count; ++i) {
        ms += qint64(rng() % 100);
        const int roll = int(rng() % 1000);
        QJsonObject device{{u"device_id"_s, roll < 50 ? u""_s : u"d-%1"_s.arg(rng() % 50000)}};
        if (roll % 97 == 0)
            device.insert(u"is_emulator"_s, true);
        if (roll % 53 == 0)
            device.insert(u"is_rooted"_s, true);
        QJsonObject request{
            {u"user_id"_s, u"u%1"_s.arg(rng() % quint64(users), 5, 10, QLatin1Char('0'))},
            {u"transaction_amount"_s, double(1 + rng() % (roll < 20 ? 8000000 : 300000)) / 100.0},
            {u"merchant_id"_s, u"m%1"_s.arg(rng() % 2000, 4, 10, QLatin1Char('0'))},
            {u"payment_method"_s, u"card"_s},
            {u"device_info"_s, device},
            {u"timestamp"_s,
             QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs)}};
        if (roll >= 30)
            request.insert(u"location_info"_s,
                           QJsonObject{{u"country"_s, roll < 40 ? u"XX"_s : countries.at(int(rng() % 5))}});
        requests.append(request);
    }
    return requests;
}

// The engine's decision for each request, from a fresh session: what the baseline must answer too.
QStringList engineDecisions(const QList<AssessmentRequest>& requests, qint64 count, const QDateTime& now) {
    AssessmentSession session;
    QStringList decisions;
    decisions.reserve(count);
    for (qint64 i = 0; i < count; ++i)
        decisions.append(session.assess(requests.at(i), now).assessment.decision);
    return decisions;
}

// The reference's algorithm run naively: per request a query for each velocity counter and one for the
// blacklist, then the log row and the three counter updates (one transaction per 20,000 requests, which is
// kinder to it than the reference's round trips). Returns each request's decision.
Result<QStringList> runBaseline(AppSettings& settings, const QString& path,
                                const QList<AssessmentRequest>& requests, qint64 count) {
    Workspace workspace(settings);
    if (Status s = workspace.open(path, u"bench-baseline"_s); !s)
        return s.problem();
    QSqlDatabase db = workspace.db();
    QSqlQuery create(db);
    if (!create.exec(u"CREATE TABLE kv (k TEXT PRIMARY KEY, v REAL NOT NULL) WITHOUT ROWID"_s))
        return sqlProblem(create, u"Creating the baseline's counters"_s);
    QSqlQuery get(db), bl(db), log(db), put(db);
    const bool prepared =
        get.prepare(u"SELECT v FROM kv WHERE k = ?"_s) &&
        bl.prepare(u"SELECT 1 FROM blacklist WHERE tenant_id = 'bench' AND ((kind = 'user' AND id = ?) OR "
                   "(kind = 'merchant' AND id = ?))"_s) &&
        log.prepare(
            u"INSERT INTO risk_assessments (tenant_id, request_id, user_id, merchant_id, amount_cents, "
            "risk_score, risk_level, decision, reasons, policy, assessed_at) VALUES ('bench', ?, ?, ?, "
            "?, ?, ?, ?, '[]', 'reference@1', ?)"_s) &&
        put.prepare(
            u"INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = v + excluded.v"_s);
    if (!prepared)
        return Problem{u"database_error"_s, u"The baseline's statements did not prepare."_s, {}};
    bool failed = false;
    auto run = [&](QSqlQuery& q) { failed = !q.exec() || failed; };
    auto read = [&](const QString& key) {
        get.bindValue(0, key);
        run(get);
        return get.next() ? get.value(0).toDouble() : 0.0;
    };
    auto bump = [&](const QString& key, double by) {
        put.bindValue(0, key);
        put.bindValue(1, by);
        run(put);
    };
    QStringList decisions;
    decisions.reserve(count);
    std::unique_ptr<WriteTransaction> tx;
    for (qint64 i = 0; i < count && !failed; ++i) {
        if (i % 20000 == 0) {
            if (tx && !tx->commit())
                return Problem{u"database_error"_s, u"The baseline's commit failed."_s, {}};
            tx = std::make_unique<WriteTransaction>(db);
        }
        const AssessmentRequest& r = requests.at(i);
        const QString day = r.timestamp.toString(u"yyyy-MM-dd"_s),
                      hour = r.timestamp.toString(u"yyyy-MM-dd:HH"_s);
        const QString dailyKey = u"user_daily:%1:%2"_s.arg(r.userId, day);
        const QString hourlyKey = u"user_hourly:%1:%2"_s.arg(r.userId, hour);
        VelocityCounters before;
        before.dailyCount = qint64(read(dailyKey + u":count"_s));
        // The amount is kept in currency units as the reference does; rounding (not truncating) back to
        // cents keeps 0.29 + 0.01 from reading as 29 cents.
        before.dailyAmountCents = qRound64(read(dailyKey + u":amount"_s) * 100);
        before.hourlyCount = qint64(read(hourlyKey + u":count"_s));
        bl.bindValue(0, r.userId);
        bl.bindValue(1, r.merchantId);
        run(bl);
        const bool listed = bl.next();
        const Assessment a = RiskAssessor::assess(r, before, listed, AssessmentPolicy::reference());
        const QVariantList values{
            u"req_%1"_s.arg(i), r.userId,    r.merchantId, r.amountCents,
            a.riskScore,        a.riskLevel, a.decision,   r.timestamp.toMSecsSinceEpoch()};
        for (int v = 0; v < values.size(); ++v)
            log.bindValue(v, values.at(v));
        run(log);
        bump(dailyKey + u":count"_s, 1);
        bump(dailyKey + u":amount"_s, r.amount);
        bump(hourlyKey + u":count"_s, 1);
        decisions.append(a.decision);
    }
    if (failed || (tx && !tx->commit()))
        return Problem{u"database_error"_s, u"A statement of the baseline failed."_s, {}};
    return decisions;
}

} // namespace

int ScoreBenchmark::run(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(u"score"_s, {});
    parser.addOption({u"requests"_s, u"Requests to assess (default 1000000)."_s, u"N"_s, u"1000000"_s});
    parser.addOption({u"users"_s, u"Distinct users (default 10000)."_s, u"N"_s, u"10000"_s});
    parser.addOption(
        {u"baseline"_s, u"Requests through the naive baseline (default: as many as --requests)."_s, u"N"_s});
    parser.addOption({u"repeat"_s,
                      u"Runs of each measurement after a warm-up; the median is reported (default 3)."_s,
                      u"N"_s, u"3"_s});
    parser.addOption({u"events"_s, u"Events for the replay part (default 1000000)."_s, u"N"_s, u"1000000"_s});
    parser.addOption({u"only"_s,
                      u"Run one measurement, for profiling: memory, persisted, json, baseline or replay."_s,
                      u"NAME"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const qint64 count = parser.value(u"requests"_s).toLongLong();
    const int users = parser.value(u"users"_s).toInt();
    const qint64 baselineCount =
        parser.isSet(u"baseline"_s) ? std::min(count, parser.value(u"baseline"_s).toLongLong()) : count;
    const int repeat = parser.value(u"repeat"_s).toInt();
    const QStringList replayArguments{arguments.value(0), u"--events"_s, parser.value(u"events"_s),
                                      u"--repeat"_s, QString::number(repeat)};
    if (count <= 0 || users <= 0 || baselineCount <= 0 || repeat <= 0)
        return Console::fail(u"--requests, --users, --baseline and --repeat must be positive."_s, 2);
    if (parser.value(u"only"_s) == u"replay")
        return ReplayBenchmark::run(replayArguments, settings);
    const QList<QJsonObject> json = makeRequests(count, users);
    QList<AssessmentRequest> requests;
    requests.reserve(count);
    for (const QJsonObject& o : json)
        requests.append(AssessmentRequest::fromJson(o).value());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString only = parser.value(u"only"_s);
    auto wanted = [&](const QString& name) { return only.isEmpty() || only == name; };
    QTemporaryDir dir;
    // Each measurement runs once as a warm-up, then `repeat` times; the median counts.
    auto measure = [&](const QString& name,
                       const std::function<Result<qint64>(int run)>& once) -> Result<qint64> {
        if (!wanted(name))
            return qint64(0);
        QList<qint64> ns;
        for (int run = 0; run <= repeat; ++run) {
            auto r = once(run);
            if (!r)
                return r.problem();
            if (run > 0)
                ns << r.value();
        }
        return BenchmarkStats::median(ns);
    };

    // 1. In memory: the engine and its ledger, one core.
    qint64 rejects = 0;
    auto inMemory = measure(u"memory"_s, [&](int) -> Result<qint64> {
        AssessmentSession session;
        rejects = 0;
        QElapsedTimer t;
        t.start();
        for (const AssessmentRequest& r : requests)
            rejects += session.assess(r, now).assessment.decision == u"REJECT";
        return t.nsecsElapsed();
    });

    // 2. Persisted: the same, with the ledger and every assessment written to a new workspace each run,
    // 100,000 per transaction (synchronous = FULL, as the workspace always runs).
    auto persisted = measure(u"persisted"_s, [&](int run) -> Result<qint64> {
        const QString path = dir.filePath(u"persisted-%1.riskdesk"_s.arg(run));
        Workspace workspace(settings);
        if (Status s = workspace.open(path, u"bench-score"_s); !s)
            return s.problem();
        AssessmentSession session;
        AssessmentStore store(workspace.db(), u"bench"_s);
        constexpr qsizetype kBatch = 100000; // assessments per transaction
        QList<LoggedAssessment> batch;
        batch.reserve(kBatch);
        QElapsedTimer t;
        t.start();
        for (const AssessmentRequest& r : requests) {
            batch.append(LoggedAssessment::of(r, session.assess(r, now)));
            if (batch.size() == kBatch) {
                if (Status s = store.save(session, batch); !s)
                    return s.problem();
                batch.clear();
            }
        }
        if (Status s = store.save(session, batch); !s)
            return s.problem();
        const qint64 ns = t.nsecsElapsed();
        workspace.close();
        QFile::remove(path);
        return ns;
    });

    // 3. End to end through JSON: parse a line, assess, write the response line.
    const qint64 jsonCount = std::min<qint64>(count, 200000);
    QList<QByteArray> lines;
    if (wanted(u"json"_s)) {
        lines.reserve(jsonCount);
        for (qint64 i = 0; i < jsonCount; ++i)
            lines.append(QJsonDocument(json.at(i)).toJson(QJsonDocument::Compact));
    }
    auto endToEnd = measure(u"json"_s, [&](int) -> Result<qint64> {
        AssessmentSession session;
        QByteArray sink;
        QElapsedTimer t;
        t.start();
        for (const QByteArray& line : lines) {
            const AssessmentRequest r =
                AssessmentRequest::fromJson(QJsonDocument::fromJson(line).object()).value();
            const SessionAssessment made = session.assess(r, now);
            sink += QJsonDocument(RiskAssessor::responseJson(made.assessment, made.requestId(), r.userId, 0,
                                                             made.timestamp))
                        .toJson(QJsonDocument::Compact);
            if (sink.size() > (1 << 22))
                sink.clear();
        }
        return t.nsecsElapsed();
    });

    // 4. Baseline, on a new workspace each run; its decisions must be the engine's, request by request.
    const QStringList expected =
        wanted(u"baseline"_s) ? engineDecisions(requests, baselineCount, now) : QStringList();
    auto baseline = measure(u"baseline"_s, [&](int run) -> Result<qint64> {
        const QString path = dir.filePath(u"baseline-%1.riskdesk"_s.arg(run));
        QElapsedTimer t;
        t.start();
        auto decisions = runBaseline(settings, path, requests, baselineCount);
        const qint64 ns = t.nsecsElapsed();
        QFile::remove(path);
        if (!decisions)
            return decisions.problem();
        for (qint64 i = 0; i < baselineCount; ++i)
            if (decisions.value().at(i) != expected.at(i))
                return Problem{
                    u"benchmark_disagrees"_s,
                    u"The baseline and the engine disagree on request %1: %2 against %3."_s.arg(i).arg(
                        decisions.value().at(i), expected.at(i)),
                    {}};
        return ns;
    });

    for (const auto* r : {&inMemory, &persisted, &endToEnd, &baseline})
        if (!*r)
            return Console::fail(r->problem().message);
    const qint64 baselineNs = baseline.value();
    const double baselineRate = BenchmarkStats::perSecond(baselineCount, baselineNs);
    auto row = [&](const QString& name, qint64 n, qint64 ns) {
        const double rate = BenchmarkStats::perSecond(n, ns);
        Console::out() << u"| %1 | %2 | %3 | %4× |"_s.arg(name)
                              .arg(n)
                              .arg(qint64(rate))
                              .arg(baselineRate > 0 ? rate / baselineRate : 0, 0, 'f', 1)
                       << Qt::endl;
    };
    Console::out()
        << u"Score benchmark: %1 requests over %2 users, one core (%3 rejected); median of %4 runs after a "
           "warm-up. The baseline's %5 decisions are the engine's, request by request."_s.arg(count)
               .arg(users)
               .arg(rejects)
               .arg(repeat)
               .arg(baselineCount)
        << Qt::endl;
    Console::out() << "| measurement | requests | assessments/s | vs baseline |" << Qt::endl
                   << "|---|---|---|---|" << Qt::endl;
    if (wanted(u"memory"_s))
        row(u"in memory (engine + ledger)"_s, count, inMemory.value());
    if (wanted(u"persisted"_s))
        row(u"persisted (ledger + log in the workspace)"_s, count, persisted.value());
    if (wanted(u"json"_s))
        row(u"end to end through JSON (parse, assess, write)"_s, jsonCount, endToEnd.value());
    if (wanted(u"baseline"_s))
        Console::out() << u"| baseline: a query per counter per request | %1 | %2 | 1× |"_s.arg(baselineCount)
                              .arg(qint64(baselineRate))
                       << Qt::endl;
    if (!wanted(u"replay"_s))
        return 0;
    Console::out() << Qt::endl;
    return ReplayBenchmark::run(replayArguments,
                                settings); // replaying a target's history is the engine's other load
}

} // namespace riskdesk
