#include "ReplayBenchmark.h"

#include "CommandParser.h"
#include "Console.h"
#include "engine/ImpactPreview.h"
#include "engine/RuleEvaluator.h"
#include "store/DemoFactSynthesizer.h"
#include "store/DemoWorkspaceBuilder.h"
#include "store/TargetHistoryStore.h"
#include "store/Workspace.h"
#include "store/WriteTransaction.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTextStream>
#include <random>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QJsonObject demoRule(const QString& ruleId) {
    for (const QJsonValue& v : DemoWorkspaceBuilder::rulePayloads())
        if (v.toObject().value(u"rule_id"_s).toString() == ruleId)
            return v.toObject();
    return {};
}

double perSecond(qint64 n, qint64 ns) {
    return ns > 0 ? double(n) * 1e9 / double(ns) : 0;
}

} // namespace

int ReplayBenchmark::run(const QStringList& arguments) {
    CommandParser parser(u"bench replay"_s, {});
    parser.addOption(
        {u"events"_s, u"Events in the target's history (default 1000000)."_s, u"N"_s, u"1000000"_s});
    parser.addOption(
        {u"baseline"_s, u"Events through the explaining evaluator (default 100000)."_s, u"N"_s, u"100000"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const qint64 count = parser.value(u"events"_s).toLongLong();
    const qint64 baselineCount = std::min(count, parser.value(u"baseline"_s).toLongLong());
    if (count <= 0 || baselineCount <= 0) {
        QTextStream(stderr) << "riskdesk: --events and --baseline must be positive." << Qt::endl;
        return 2;
    }
    QTextStream& out = Console::out();
    out << u"Replay benchmark: %1 events of one target, one core."_s.arg(count) << Qt::endl
        << "| rule | replay in memory | events/s | from the workspace (read + replay) | explaining evaluator "
           "on "
           "JSON | ratio |"
        << Qt::endl
        << "|---|---|---|---|---|---|" << Qt::endl;

    // The route-city rule (sets, keywords) and the large-payment rule (numbers): the two kinds of work.
    for (const QString& ruleId : {u"R-TRV-001"_s, u"R-PAY-007"_s}) {
        const QJsonObject payload = demoRule(ruleId);
        auto rule = CompiledRule::compile(payload);
        if (!rule) {
            out << rule.problem().message << Qt::endl;
            return 1;
        }
        std::mt19937_64 rng(7);
        DemoFactSynthesizer synthesizer(rng);
        std::vector<TargetEvent> events;
        QList<QJsonObject> records;
        events.reserve(size_t(count));
        const qint64 start = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        for (qint64 i = 0; i < count; ++i) {
            const QJsonObject record = synthesizer.record(rule.value().fieldKeys());
            if (i < baselineCount)
                records.append(record);
            TargetEvent e;
            e.eventId = u"EV-%1"_s.arg(i);
            e.occurredAtMs = start + i * 1000;
            e.amountCents = DemoFactSynthesizer::amountCents(record);
            e.facts = FactRecord::fromJson(record);
            events.push_back(std::move(e));
        }
        const qint64 windowStart = start + count * 250, windowEnd = start + count * 750; // the middle half

        QElapsedTimer t;
        t.start();
        const ImpactSummary inMemory = ImpactPreview::replay(rule.value(), windowStart, windowEnd, events);
        const qint64 replayNs = t.nsecsElapsed();

        // From a workspace: the history written for one target, then read back and replayed.
        QTemporaryDir dir;
        Workspace workspace;
        if (Status s = workspace.open(dir.filePath(u"replay.riskdesk"_s), u"bench-replay"_s); !s) {
            out << s.problem().message << Qt::endl;
            return 1;
        }
        TargetHistoryStore history(workspace.db(), u"bench"_s);
        {
            WriteTransaction tx(workspace.db());
            if (Status s = history.append(TargetType::User, u"U0000001"_s, events); !s || !tx.commit()) {
                out << (s ? u"commit failed"_s : s.problem().message) << Qt::endl;
                return 1;
            }
        }
        events.clear();
        t.restart();
        auto loaded = history.load(TargetType::User, u"U0000001"_s);
        const qint64 loadNs = t.nsecsElapsed();
        if (!loaded) {
            out << loaded.problem().message << Qt::endl;
            return 1;
        }
        t.restart();
        const ImpactSummary fromDisk =
            ImpactPreview::replay(rule.value(), windowStart, windowEnd, loaded.value());
        const qint64 diskReplayNs = t.nsecsElapsed();
        if (fromDisk.hits != inMemory.hits || fromDisk.hitsWaived != inMemory.hitsWaived) {
            out << "The replay from the workspace disagrees with the replay in memory." << Qt::endl;
            return 1;
        }

        // Baseline: the explaining evaluator on each event's JSON, as a direct port would run.
        qint64 baselineHits = 0;
        t.restart();
        for (const QJsonObject& record : records)
            if (auto r = RuleEvaluator::evaluate(payload, record);
                r && r.value().outcome == RuleEvaluation::Outcome::Hit)
                ++baselineHits;
        const qint64 baselineNs = t.nsecsElapsed();

        const double rate = perSecond(count, replayNs), baselineRate = perSecond(baselineCount, baselineNs);
        out << u"| %1 (%2 hits, %3 waived) | %4 ms | %5 | %6 ms (%7 + %8) | %9 events/s | %10× |"_s
                   .arg(ruleId)
                   .arg(inMemory.hits)
                   .arg(inMemory.hitsWaived)
                   .arg(double(replayNs) / 1e6, 0, 'f', 0)
                   .arg(qint64(rate))
                   .arg(double(loadNs + diskReplayNs) / 1e6, 0, 'f', 0)
                   .arg(double(loadNs) / 1e6, 0, 'f', 0)
                   .arg(double(diskReplayNs) / 1e6, 0, 'f', 0)
                   .arg(qint64(baselineRate))
                   .arg(rate / baselineRate, 0, 'f', 0)
            << Qt::endl;
    }
    return 0;
}

} // namespace riskdesk
