#include "ReplayBenchmark.h"

#include "BenchmarkStats.h"
#include "CommandParser.h"
#include "Console.h"
#include "demo/DemoFactSynthesizer.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "engine/ImpactPreview.h"
#include "engine/RuleEvaluator.h"
#include "settings/AppSettings.h"
#include "store/SqlProblem.h"
#include "store/TargetHistoryStore.h"
#include "store/Workspace.h"
#include "store/WriteTransaction.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <algorithm>
#include <ctime>
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

// The calling thread's CPU time: on a shared machine, what the side itself cost, whatever else ran.
qint64 threadCpuNs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// What both sides must agree on: the rule's hits over the whole history, and the events it could not read.
struct HitCount {
    qint64 hits = 0;
    qint64 unreadable = 0;
    friend bool operator==(const HitCount&, const HitCount&) = default;
};

void countExplained(const CompiledRule& rule, const FactRecord& facts, HitCount& count) {
    const auto r = rule.explain(facts);
    if (!r)
        ++count.unreadable;
    else if (r.value().outcome == RuleEvaluation::Outcome::Hit)
        ++count.hits;
}

// The baseline in memory: the explaining evaluator, compiled once, on records already decoded.
HitCount explainEach(const CompiledRule& rule, const std::vector<TargetEvent>& events) {
    HitCount count;
    for (const TargetEvent& e : events)
        countExplained(rule, e.facts, count);
    return count;
}

// The baseline from the workspace: what a direct port does with the stored events, each one's JSON
// decoded and explained.
Result<HitCount> explainStored(const CompiledRule& rule, const QSqlDatabase& db, const QString& tenant,
                               const QString& targetId) {
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT facts FROM target_events WHERE tenant_id = ? AND target_type = 'user' AND "
              "target_id = ? ORDER BY occurred_at, event_id"_s);
    q.addBindValue(tenant);
    q.addBindValue(targetId);
    if (!q.exec())
        return sqlProblem(q, u"Reading the stored events"_s);
    HitCount count;
    while (q.next())
        countExplained(rule,
                       FactRecord::fromJson(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object()),
                       count);
    if (rowsFailed(q))
        return sqlProblem(q, u"Reading the stored events"_s);
    return count;
}

QString describe(const HitCount& c) {
    return u"%1 hits, %2 unreadable"_s.arg(c.hits).arg(c.unreadable);
}

} // namespace

int ReplayBenchmark::run(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(u"replay"_s, {});
    parser.addOption({u"events"_s, u"Events in the target's history, on both sides (default 1000000)."_s,
                      u"N"_s, u"1000000"_s});
    parser.addOption({u"repeat"_s,
                      u"Runs of each measurement after a warm-up; the median is reported (default 3)."_s,
                      u"N"_s, u"3"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const qint64 count = parser.value(u"events"_s).toLongLong();
    const int repeat = parser.value(u"repeat"_s).toInt();
    if (count <= 0 || repeat <= 0)
        return Console::fail(u"--events and --repeat must be positive."_s, 2);
    QTextStream& out = Console::out();
    out << u"Replay benchmark: %1 events of one target, one core, median of %2 runs after a warm-up. Every "
           "side uses the rule compiled once and counts the hits over the whole history; in memory the "
           "events "
           "are decoded before either timer, from the workspace every timer runs from the stored rows to the "
           "hit count: the compact form (target_event_blocks) with the compiled rule, each event's JSON row "
           "with the compiled rule (the path before the compact form), and each event's JSON decoded and "
           "explained (the baseline). The compact form is timed two ways: its replay as the impact preview "
           "runs it (TargetHistoryStore::replay: block after block, the rule on the block's shared value "
           "lists) and as it ran before (load every event into memory, then replay)."_s.arg(count)
               .arg(repeat)
        << Qt::endl
        << "| rule | hits | in memory: compiled rule | in memory: explaining evaluator | ratio | workspace "
           "to answer: compact form, replay | compact form, load + replay (before) | JSON rows + compiled "
           "rule | JSON + explaining evaluator | compact vs JSON rows | compact vs baseline |"
        << Qt::endl
        << "|---|---|---|---|---|---|---|---|---|---|---|" << Qt::endl;

    // The route-city rule (sets, keywords) and the large-payment rule (numbers): the two kinds of work.
    for (const QString& ruleId : {u"R-TRV-001"_s, u"R-PAY-007"_s}) {
        const QJsonObject payload = demoRule(ruleId);
        auto rule = CompiledRule::compile(payload);
        if (!rule)
            return Console::fail(rule.problem().message);
        std::mt19937_64 rng(7);
        DemoFactSynthesizer synthesizer(rng);
        std::vector<TargetEvent> events;
        events.reserve(size_t(count));
        const qint64 start = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        for (qint64 i = 0; i < count; ++i) {
            const QJsonObject record = synthesizer.record(rule.value().fieldKeys());
            TargetEvent e;
            e.eventId = u"EV-%1"_s.arg(i);
            e.occurredAtMs = start + i * 1000;
            e.amountCents = DemoFactSynthesizer::amountCents(record);
            e.facts = FactRecord::fromJson(record);
            events.push_back(std::move(e));
        }
        const qint64 windowStart = start + count * 250, windowEnd = start + count * 750; // the middle half

        // The workspace both sides read: the history written for one target.
        QTemporaryDir dir;
        Workspace workspace(settings);
        if (Status s = workspace.open(dir.filePath(u"replay.riskdesk"_s), u"bench-replay"_s); !s)
            return Console::fail(s.problem().message);
        const QString tenant = u"bench"_s, target = u"U0000001"_s;
        TargetHistoryStore history(workspace.db(), tenant);
        {
            WriteTransaction tx(workspace.db());
            if (Status s = history.append(TargetType::User, target, events); !s || !tx.commit())
                return Console::fail(s ? u"Storing the events: the commit failed."_s : s.problem().message);
        }

        QList<qint64> oursNs, theirsNs, compactNs, loadNs, jsonNs, theirsDiskNs, compactCpuNs, loadCpuNs;
        qint64 cpuNs = 0; // of the last workspace side run
        HitCount ours, theirs, compact, loadedCompact, json, theirsDisk;
        QElapsedTimer t;
        // The workspace to answer, as the impact preview replays the compact form.
        auto replayStored = [&](HitCount& answer) -> Result<qint64> {
            const qint64 cpu = threadCpuNs();
            t.restart();
            const auto replayed =
                history.replay(TargetType::User, target, rule.value(), windowStart, windowEnd);
            const qint64 ns = t.nsecsElapsed();
            cpuNs = threadCpuNs() - cpu;
            if (!replayed)
                return replayed.problem();
            answer = {replayed.value().impact.hits, replayed.value().impact.unreadable};
            return ns;
        };
        // The workspace to answer on a path: load the target's history, then replay it.
        auto fromWorkspace = [&](bool compactForm, HitCount& answer) -> Result<qint64> {
            const qint64 cpu = threadCpuNs();
            t.restart();
            auto loaded = compactForm ? history.load(TargetType::User, target)
                                      : history.loadFromJson(TargetType::User, target);
            if (!loaded)
                return loaded.problem();
            const ImpactSummary s =
                ImpactPreview::replay(rule.value(), windowStart, windowEnd, loaded.value());
            const qint64 ns = t.nsecsElapsed();
            cpuNs = threadCpuNs() - cpu;
            answer = {s.hits, s.unreadable};
            loaded = std::vector<TargetEvent>(); // freed outside the timer
            return ns;
        };
        for (int run = 0; run <= repeat; ++run) { // run 0 is the warm-up
            t.start();
            const ImpactSummary inMemory =
                ImpactPreview::replay(rule.value(), windowStart, windowEnd, events);
            const qint64 a = t.nsecsElapsed();
            t.restart();
            theirs = explainEach(rule.value(), events);
            const qint64 b = t.nsecsElapsed();
            const auto c = replayStored(compact);
            if (!c)
                return Console::fail(c.problem().message);
            const qint64 cCpu = cpuNs;
            const auto l = fromWorkspace(true, loadedCompact);
            if (!l)
                return Console::fail(l.problem().message);
            const qint64 lCpu = cpuNs;
            const auto d = fromWorkspace(false, json);
            if (!d)
                return Console::fail(d.problem().message);
            t.restart();
            auto stored = explainStored(rule.value(), workspace.db(), tenant, target);
            const qint64 e = t.nsecsElapsed();
            if (!stored)
                return Console::fail(stored.problem().message);
            ours = {inMemory.hits, inMemory.unreadable};
            theirsDisk = stored.value();
            if (!(ours == theirs && ours == compact && ours == loadedCompact && ours == json &&
                  ours == theirsDisk))
                return Console::fail(
                    u"%1: the sides disagree. In memory: compiled rule %2, explaining evaluator %3. From the "
                    "workspace: compact form replayed %4, loaded and replayed %5, JSON rows %6, explaining "
                    "evaluator %7."_s.arg(ruleId, describe(ours), describe(theirs), describe(compact),
                                          describe(loadedCompact), describe(json), describe(theirsDisk)));
            if (run == 0)
                continue;
            oursNs << a;
            theirsNs << b;
            compactNs << c.value();
            loadNs << l.value();
            compactCpuNs << cCpu;
            loadCpuNs << lCpu;
            jsonNs << d.value();
            theirsDiskNs << e;
        }
        const qint64 m1 = BenchmarkStats::median(oursNs), m2 = BenchmarkStats::median(theirsNs),
                     m3 = BenchmarkStats::median(compactNs), m4 = BenchmarkStats::median(jsonNs),
                     m5 = BenchmarkStats::median(theirsDiskNs), m6 = BenchmarkStats::median(loadNs);
        auto ms = [](qint64 ns) { return u"%1 ms"_s.arg(double(ns) / 1e6, 0, 'f', 0); };
        auto withCpu = [&](qint64 ns, const QList<qint64>& cpu) {
            return u"%1 (CPU %2)"_s.arg(ms(ns), ms(BenchmarkStats::median(cpu)));
        };
        auto ratio = [](qint64 slow, qint64 fast) {
            return u"%1×"_s.arg(double(slow) / double(std::max<qint64>(fast, 1)), 0, 'f', 1);
        };
        out << u"| %1 | %2 (%3 unreadable) | %4 (%5 events/s) | %6 | %7 | %8 | %9 | %10 | %11 | %12 | %13 |"_s
                   .arg(ruleId)
                   .arg(ours.hits)
                   .arg(ours.unreadable)
                   .arg(ms(m1))
                   .arg(qint64(BenchmarkStats::perSecond(count, m1)))
                   .arg(ms(m2), ratio(m2, m1), withCpu(m3, compactCpuNs), withCpu(m6, loadCpuNs), ms(m4),
                        ms(m5), ratio(m4, m3), ratio(m5, m3))
            << Qt::endl;
    }
    return 0;
}

} // namespace riskdesk
