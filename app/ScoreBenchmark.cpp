#include "ScoreBenchmark.h"

#include "CommandParser.h"
#include "Console.h"
#include "ReplayBenchmark.h"
#include "engine/AssessmentSession.h"
#include "store/AssessmentStore.h"
#include "store/Workspace.h"
#include "store/WriteTransaction.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimeZone>
#include <random>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QTextStream& out() {
    return Console::out();
}

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

double perSecond(qint64 n, qint64 ns) {
    return ns > 0 ? double(n) * 1e9 / double(ns) : 0;
}

} // namespace

int ScoreBenchmark::run(const QStringList& arguments) {
    CommandParser parser(u"bench score"_s, {});
    parser.addOption({u"requests"_s, u"Requests to assess (default 1000000)."_s, u"N"_s, u"1000000"_s});
    parser.addOption({u"users"_s, u"Distinct users (default 10000)."_s, u"N"_s, u"10000"_s});
    parser.addOption(
        {u"baseline"_s, u"Requests through the naive baseline (default 50000)."_s, u"N"_s, u"50000"_s});
    parser.addOption({u"only"_s,
                      u"Run one measurement, for profiling: memory, persisted, json, baseline or replay."_s,
                      u"NAME"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const qint64 count = parser.value(u"requests"_s).toLongLong();
    const int users = parser.value(u"users"_s).toInt();
    const qint64 baselineCount = std::min(count, parser.value(u"baseline"_s).toLongLong());
    if (count <= 0 || users <= 0 || baselineCount <= 0) {
        QTextStream(stderr) << "riskdesk: --requests, --users and --baseline must be positive." << Qt::endl;
        return 2;
    }
    if (parser.value(u"only"_s) == u"replay")
        return ReplayBenchmark::run({arguments.value(0)});
    const QList<QJsonObject> json = makeRequests(count, users);
    QList<AssessmentRequest> requests;
    requests.reserve(count);
    for (const QJsonObject& o : json)
        requests.append(AssessmentRequest::fromJson(o).value());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString only = parser.value(u"only"_s);
    auto wanted = [&](const QString& name) { return only.isEmpty() || only == name; };

    // 1. In memory: the engine and its ledger, one core.
    qint64 inMemoryNs = 0, rejects = 0;
    if (wanted(u"memory"_s)) {
        AssessmentSession session;
        QElapsedTimer t;
        t.start();
        for (const AssessmentRequest& r : requests)
            rejects += session.assess(r, now).assessment.decision == u"REJECT";
        inMemoryNs = t.nsecsElapsed();
    }

    // 2. Persisted: the same, with the ledger and every assessment written to a workspace, 100,000 per
    // transaction (synchronous = FULL, as the workspace always runs).
    QTemporaryDir dir;
    qint64 persistedNs = 0;
    if (wanted(u"persisted"_s)) {
        Workspace workspace;
        if (Status s = workspace.open(dir.filePath(u"bench.riskdesk"_s), u"bench-score"_s); !s) {
            out() << s.problem().message << Qt::endl;
            return 1;
        }
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
                if (Status s = store.save(session, batch); !s) {
                    out() << s.problem().message << Qt::endl;
                    return 1;
                }
                batch.clear();
            }
        }
        store.save(session, batch);
        persistedNs = t.nsecsElapsed();
    }

    // 3. End to end through JSON: parse a line, assess, write the response line.
    const qint64 jsonCount = std::min<qint64>(count, 200000);
    qint64 jsonNs = 0;
    if (wanted(u"json"_s)) {
        QList<QByteArray> lines;
        lines.reserve(jsonCount);
        for (qint64 i = 0; i < jsonCount; ++i)
            lines.append(QJsonDocument(json.at(i)).toJson(QJsonDocument::Compact));
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
        jsonNs = t.nsecsElapsed();
    }

    // 4. Baseline: the reference's algorithm run naively on the same machine: per request a query for each
    // velocity counter and one for the blacklist, then the log row and the three counter updates (all inside
    // one transaction per 20,000 requests, which is kinder to it than the reference's round trips).
    qint64 baselineNs = 0;
    if (wanted(u"baseline"_s)) {
        Workspace workspace;
        workspace.open(dir.filePath(u"baseline.riskdesk"_s), u"bench-baseline"_s);
        QSqlDatabase db = workspace.db();
        QSqlQuery(u"CREATE TABLE kv (k TEXT PRIMARY KEY, v REAL NOT NULL) WITHOUT ROWID"_s, db);
        QSqlQuery get(db), bl(db), log(db), put(db);
        get.prepare(u"SELECT v FROM kv WHERE k = ?"_s);
        bl.prepare(u"SELECT 1 FROM blacklist WHERE tenant_id = 'bench' AND ((kind = 'user' AND id = ?) OR "
                   "(kind = 'merchant' AND id = ?))"_s);
        log.prepare(
            u"INSERT INTO risk_assessments (tenant_id, request_id, user_id, merchant_id, amount_cents, "
            u"risk_score, "
            "risk_level, decision, reasons, policy, assessed_at) VALUES ('bench', ?, ?, ?, ?, ?, ?, ?, '[]', "
            "'reference@1', ?)"_s);
        put.prepare(
            u"INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = v + excluded.v"_s);
        auto read = [&](const QString& key) {
            get.bindValue(0, key);
            get.exec();
            return get.next() ? get.value(0).toDouble() : 0.0;
        };
        auto bump = [&](const QString& key, double by) {
            put.bindValue(0, key);
            put.bindValue(1, by);
            put.exec();
        };
        QElapsedTimer t;
        t.start();
        std::unique_ptr<WriteTransaction> tx;
        for (qint64 i = 0; i < baselineCount; ++i) {
            if (i % 20000 == 0) {
                if (tx)
                    tx->commit();
                tx = std::make_unique<WriteTransaction>(db);
            }
            const AssessmentRequest& r = requests.at(i);
            const QString day = r.timestamp.toString(u"yyyy-MM-dd"_s),
                          hour = r.timestamp.toString(u"yyyy-MM-dd:HH"_s);
            const QString dailyKey = u"user_daily:%1:%2"_s.arg(r.userId, day);
            const QString hourlyKey = u"user_hourly:%1:%2"_s.arg(r.userId, hour);
            VelocityCounters before;
            before.dailyCount = qint64(read(dailyKey + u":count"_s));
            before.dailyAmountCents = qint64(read(dailyKey + u":amount"_s) * 100);
            before.hourlyCount = qint64(read(hourlyKey + u":count"_s));
            bl.bindValue(0, r.userId);
            bl.bindValue(1, r.merchantId);
            bl.exec();
            const bool listed = bl.next();
            const Assessment a = RiskAssessor::assess(r, before, listed, AssessmentPolicy::reference());
            const QVariantList values{
                u"req_%1"_s.arg(i), r.userId,    r.merchantId, r.amountCents,
                a.riskScore,        a.riskLevel, a.decision,   r.timestamp.toMSecsSinceEpoch()};
            for (int v = 0; v < values.size(); ++v)
                log.bindValue(v, values.at(v));
            log.exec();
            bump(dailyKey + u":count"_s, 1);
            bump(dailyKey + u":amount"_s, r.amount);
            bump(hourlyKey + u":count"_s, 1);
        }
        tx->commit();
        baselineNs = t.nsecsElapsed();
    }

    const double baselineRate = perSecond(baselineCount, baselineNs);
    auto row = [&](const QString& name, qint64 n, qint64 ns) {
        const double rate = perSecond(n, ns);
        out() << u"| %1 | %2 | %3 | %4× |"_s.arg(name)
                     .arg(n)
                     .arg(qint64(rate))
                     .arg(rate / baselineRate, 0, 'f', 0)
              << Qt::endl;
    };
    out()
        << u"Score benchmark: %1 requests over %2 users, one core (%3 rejected)."_s.arg(count).arg(users).arg(
               rejects)
        << Qt::endl;
    out() << "| measurement | requests | assessments/s | vs baseline |" << Qt::endl
          << "|---|---|---|---|" << Qt::endl;
    row(u"in memory (engine + ledger)"_s, count, inMemoryNs);
    row(u"persisted (ledger + log in the workspace)"_s, count, persistedNs);
    row(u"end to end through JSON (parse, assess, write)"_s, jsonCount, jsonNs);
    out() << u"| baseline: a query per counter per request | %1 | %2 | 1× |"_s.arg(baselineCount)
                 .arg(qint64(baselineRate))
          << Qt::endl;
    if (!wanted(u"replay"_s))
        return 0;
    out() << Qt::endl;
    return ReplayBenchmark::run(
        {arguments.value(0)}); // replaying a target's history is the engine's other load
}

} // namespace riskdesk
