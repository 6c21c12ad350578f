#include "SyncBenchmark.h"

#include "CommandParser.h"
#include "Console.h"
#include "settings/AppSettings.h"
#include "store/BulkDecisionReport.h"
#include "store/DecisionService.h"
#include "store/DeferredIndexBuild.h"
#include "store/SqlProblem.h"
#include "store/Workspace.h"
#include "sync/ChangeChannels.h"
#include "sync/ServerAdmin.h"
#include "sync/SyncEngine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>
#include <algorithm>
#include <ctime>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QString withDatabase(const QString& url, const QString& database, const QString& user = {}) {
    QUrl u(url);
    u.setPath(u"/"_s + database);
    if (!user.isEmpty()) {
        u.setUserName(user);
        u.setPassword(u"bench-"_s + user);
    }
    return u.toString();
}

// CPU milliseconds the connection's server process has used so far (it runs on this machine), -1 if unknown.
qint64 backendCpuMs(PgConnection& c) {
    auto pid = c.exec(u"SELECT pg_backend_pid()"_s);
    if (!pid || pid.value().rows() == 0)
        return -1;
    QFile stat(u"/proc/%1/stat"_s.arg(pid.value().text(0, 0)));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // After the command name in parentheses: state is field 3, utime 14 and stime 15.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    return (fields.at(11).toLongLong() + fields.at(12).toLongLong()) * 1000 / sysconf(_SC_CLK_TCK);
}

} // namespace

int SyncBenchmark::run(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(u"sync"_s, {});
    parser.addOption({u"url"_s, u"The server as its owner (migration) role."_s, u"URL"_s,
                      qEnvironmentVariable("RISKDESK_URL")});
    parser.addOption(
        {u"exceptions"_s, u"Exceptions on the server (default 1000000)."_s, u"N"_s, u"1000000"_s});
    parser.addOption({u"decisions"_s, u"Decisions to push in sets (default 100000)."_s, u"N"_s, u"100000"_s});
    parser.addOption(
        {u"one-by-one"_s,
         u"Decisions also pushed one per server call and commit (set size 1), for comparison (default: a "
         "50th of the decisions, at most 2000)."_s,
         u"N"_s});
    parser.addOption({u"set-size"_s, u"Decisions per server call of the push (1 to 5000, default 5000)."_s,
                      u"N"_s, u"5000"_s});
    parser.addOption(
        {u"latency-samples"_s, u"Decisions timed from commit to visible (default 200)."_s, u"N"_s, u"200"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    if (parser.value(u"url"_s).isEmpty())
        return Console::fail(u"Use: riskdesk-bench sync --url OWNER_URL [--exceptions N] [--decisions N]"_s,
                             2);
    const qint64 exceptions = parser.value(u"exceptions"_s).toLongLong();
    const qint64 decisions = std::min(parser.value(u"decisions"_s).toLongLong(), exceptions);
    const qint64 singles =
        std::clamp(parser.isSet(u"one-by-one"_s) ? parser.value(u"one-by-one"_s).toLongLong()
                                                 : std::min<qint64>(2000, decisions / 50),
                   qint64(0), exceptions - decisions);
    const int samples = parser.value(u"latency-samples"_s).toInt();
    bool setSizeRead = false;
    const qint64 setSize = parser.value(u"set-size"_s).toLongLong(&setSizeRead);
    if (!setSizeRead || setSize < 1 || setSize > 5000)
        return Console::fail(
            u"--set-size takes a whole number of decisions from 1 to 5000, not \"%1\"."_s.arg(
                parser.value(u"set-size"_s)),
            2);
    QTextStream& out = Console::out();
    auto fail = [](const Problem& p) { return Console::fail(p.message); };

    // A scratch database, migrated, with one tenant, two approvers and an applicant.
    const QString database = u"riskdesk_bench_%1"_s.arg(QCoreApplication::applicationPid());
    auto admin = PgConnection::open(parser.value(u"url"_s));
    if (!admin)
        return fail(admin.problem());
    if (auto r = admin.value()->exec(u"CREATE DATABASE %1"_s.arg(database)); !r)
        return fail(r.problem());
    struct DropDatabase {
        PgConnection& admin;
        QString name;
        // FORCE may not end an autovacuum worker (another role's session); a plain DROP stops those itself.
        ~DropDatabase() {
            if (!admin.exec(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(name)))
                (void)admin.exec(u"DROP DATABASE IF EXISTS %1"_s.arg(name));
        }
    } dropLater{*admin.value(), database};
    auto owner = PgConnection::open(withDatabase(parser.value(u"url"_s), database));
    if (!owner)
        return fail(owner.problem());
    if (auto m = ServerAdmin::migrate(*owner.value()); !m)
        return fail(m.problem());
    const QString prefix = u"bench%1_"_s.arg(QCoreApplication::applicationPid());
    const QString one = prefix + u"one"_s, two = prefix + u"two"_s, applicant = prefix + u"applicant"_s;
    for (const auto& [name, role] : {std::pair{one, UserRole::Approver}, std::pair{two, UserRole::Approver},
                                     std::pair{applicant, UserRole::Applicant}})
        if (Status s =
                ServerAdmin::addUser(*owner.value(), name, u"bench-"_s + name, role, u"t"_s, name, name);
            !s)
            return fail(s.problem());
    struct DropRoles {
        PgConnection& admin;
        QStringList names;
        ~DropRoles() {
            for (const QString& n : names)
                admin.exec(u"DROP ROLE IF EXISTS %1"_s.arg(PgConnection::quoteIdentifier(n)));
        }
    } dropRolesLater{*admin.value(), {one, two, applicant}};
    QElapsedTimer t;
    t.start();
    if (auto r = owner.value()->exec(u"INSERT INTO riskdesk.rules (tenant_id, rule_id, name, severity) "
                                     u"VALUES ('t', 'LOW', 'low', 'low');"
                                     ""_s);
        !r)
        return fail(r.problem());
    if (Status s = owner.value()->execScript(
            u"INSERT INTO riskdesk.exceptions (tenant_id, record_id, applicant_id, apply_time, target_type, "
            "target_id, risk_rule_id, status, valid_start_time, valid_end_time, reason_category, "
            "justification, "
            "attachment_url, approval_chain_log, last_status_at) "
            "SELECT 't', 'exc-' || lpad(g::text, 9, '0'), '%1', now() - (g || ' seconds')::interval, "
            "'claim', "
            "'CLM-' || g, 'LOW', 'pending', now() - interval '1 day', now() + interval '30 days', '差旅', "
            "'Customer visit in Hangzhou; 行程有变更，详见附件 ' || g, 'https://files.example.com/' || g || "
            "'.pdf', "
            "'[]', now() FROM generate_series(1, %2) g;"
            "INSERT INTO riskdesk.changes (tenant_id, record_id) SELECT tenant_id, record_id FROM "
            "riskdesk.exceptions"_s.arg(applicant)
                .arg(exceptions));
        !s)
        return fail(s.problem());
    // Settled tables (statistics, visibility, no autovacuum racing the timings) for COPY and pull alike.
    if (Status s = owner.value()->execScript(u"VACUUM (ANALYZE) riskdesk.exceptions, riskdesk.changes"_s); !s)
        return fail(s.problem());
    out << u"Sync benchmark: %1 exceptions on the server (made in %2 s), server and desktop sharing this machine's %3 cores."_s
               .arg(exceptions)
               .arg(double(t.elapsed()) / 1000, 0, 'f', 1)
               .arg(QThread::idealThreadCount())
        << Qt::endl;

    // 1. First pull, against a plain COPY of the same rows.
    auto desktop = PgConnection::open(withDatabase(parser.value(u"url"_s), database, one));
    if (!desktop)
        return fail(desktop.problem());
    qint64 copied = 0;
    t.restart();
    auto copy = desktop.value()->copyOut(u"COPY (SELECT e.* FROM riskdesk.exceptions e) TO STDOUT"_s,
                                         [&](QByteArrayView row) { copied += row.size(); });
    const qint64 copyMs = t.elapsed();
    if (!copy)
        return fail(copy.problem());
    QTemporaryDir dir;
    Workspace workspace(settings);
    if (Status s = workspace.open(dir.filePath(u"desk.riskdesk"_s), u"bench-sync"_s); !s)
        return fail(s.problem());
    SyncEngine engine(workspace.db(), *desktop.value());
    t.restart();
    auto pulled = engine.pull();
    const qint64 pullMs = t.elapsed();
    if (!pulled)
        return fail(pulled.problem());
    // What the pull left for after its commit: the queue is open meanwhile (the window builds these on the
    // sync thread, a step at a time).
    t.restart();
    if (Status s = DeferredIndexBuild::run(workspace.db()); !s)
        return fail(s.problem());
    const qint64 indexMs = t.elapsed();

    // 2. Push: decisions made on the desktop, then pushed in sets (riskdesk.decide_set); against a COPY of as
    // many rows. Then the next few, pushed with a set size of 1: one decision per call and per commit on
    // both sides (before sets, a push committed 200 calls at a time).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    DecisionService service(workspace.db());
    QSqlQuery ids(workspace.db());
    ids.exec(u"SELECT record_id FROM exceptions ORDER BY record_id LIMIT %1"_s.arg(decisions + singles));
    QStringList records;
    while (ids.next())
        records << ids.value(0).toString();
    if (rowsFailed(ids))
        return fail(sqlProblem(ids, u"Reading the decisions to push"_s));
    const QStringList oneByOne = records.mid(decisions);
    records = records.mid(0, decisions);
    // Making the decisions is the setup, not what is timed: one at a time, each its own commit, 100,000 took
    // over an hour on a busy machine. decideMany takes each through the same state machine, with its own log
    // and outbox entry, 5,000 to a transaction.
    t.restart();
    for (qsizetype from = 0; from < records.size(); from += 5000) {
        auto d = service.decideMany(u"t"_s, records.mid(from, 5000), one, DecisionAction::Approve, {}, now);
        if (!d)
            return fail(d.problem());
        if (!d.value().refused.isEmpty())
            return Console::fail(
                u"The desktop refused %1 of the decisions to push."_s.arg(d.value().refused.size()));
    }
    const qint64 decideMs = t.elapsed();
    engine.setPushSetSize(setSize);
    const qint64 serverCpu0 = backendCpuMs(*desktop.value());
    const std::clock_t desktopCpu0 = std::clock();
    t.restart();
    auto pushed = engine.push();
    const qint64 pushMs = t.elapsed();
    const double desktopCpuMs = double(std::clock() - desktopCpu0) * 1000 / CLOCKS_PER_SEC;
    const qint64 serverCpuMs = backendCpuMs(*desktop.value()) - serverCpu0;
    if (!pushed)
        return fail(pushed.problem());
    for (const QString& id : oneByOne)
        if (auto d = service.decide(u"t"_s, id, one, DecisionAction::Approve, {}, now); !d)
            return fail(d.problem());
    engine.setPushSetSize(1);
    t.restart();
    auto pushedAlone = engine.push();
    const qint64 aloneMs = t.elapsed();
    if (!pushedAlone)
        return fail(pushedAlone.problem());
    QByteArray rows;
    for (const QString& id : records)
        rows += "t\t" + id.toUtf8() + "\tapprove\t\t1\t" + QByteArray::number(qHash(id)) + '\n';
    owner.value()->execScript(
        u"CREATE TEMP TABLE pushed (tenant_id text, record_id text, action text, comment text, "
        "expected_version bigint, idempotency_key text)"_s);
    t.restart();
    if (Status s = owner.value()->copyIn(u"COPY pushed FROM STDIN"_s, rows); !s)
        return fail(s.problem());
    const qint64 copyInMs = t.elapsed();

    // 3. Latency: a decision by the second approver, until the first desktop has the row.
    auto second = PgConnection::open(withDatabase(parser.value(u"url"_s), database, two));
    if (!second)
        return fail(second.problem());
    if (auto s = ChangeChannels::listen(*desktop.value()); !s)
        return fail(s.problem());
    if (auto p = engine.pull(); !p) // the push's own changes come back first; not part of the timing
        return fail(p.problem());
    QList<double> latencies;
    QSqlQuery check(workspace.db());
    for (int i = 0; i < samples && decisions + singles + i < exceptions; ++i) {
        const QString id = u"exc-%1"_s.arg(exceptions - i, 9, 10, QLatin1Char('0'));
        QElapsedTimer l;
        l.start();
        if (auto r = second.value()->exec(u"SELECT riskdesk.decide('t', $1, 'reject', 'bench', 1, $2)"_s,
                                          {id, u"lat-"_s + id});
            !r)
            return fail(r.problem());
        // The desktop sleeps until the server says something changed, then pulls.
        while (desktop.value()->waitForNotifications(1000).isEmpty()) {
        }
        if (auto p = engine.pull(); !p)
            return fail(p.problem());
        check.prepare(u"SELECT status FROM exceptions WHERE record_id = ?"_s);
        check.addBindValue(id);
        if (!check.exec() || !check.next() || check.value(0).toString() != u"rejected")
            return Console::fail(u"the decision on %1 did not arrive"_s.arg(id));
        latencies << double(l.nsecsElapsed()) / 1e6;
        if (qEnvironmentVariableIsSet("RISKDESK_BENCH_TRACE"))
            Console::err() << i << ' ' << latencies.last() << Qt::endl;
    }
    std::sort(latencies.begin(), latencies.end());
    auto percentile = [&](double p) {
        return latencies.isEmpty()
                   ? 0.0
                   : latencies.at(std::min<qsizetype>(latencies.size() - 1, qsizetype(p * latencies.size())));
    };

    // Both sides moved the same rows, or the comparison means nothing.
    if (pulled.value() != copy.value())
        return Console::fail(
            u"The first pull brought %1 exceptions, the COPY %2."_s.arg(pulled.value()).arg(copy.value()));
    if (pushed.value().pushed != records.size())
        return Console::fail(u"The push sent %1 decisions, the COPY %2 rows."_s.arg(pushed.value().pushed)
                                 .arg(records.size()));
    if (pushedAlone.value().pushed != oneByOne.size())
        return Console::fail(
            u"The push one by one applied %1 of %2 decisions."_s.arg(pushedAlone.value().pushed)
                .arg(oneByOne.size()));

    auto rate = [](qint64 n, qint64 ms) { return ms > 0 ? double(n) * 1000 / double(ms) : 0; };
    out << "| measurement | rows | time | rows/s | vs COPY |" << Qt::endl
        << "|---|---|---|---|---|" << Qt::endl;
    out << u"| libpq COPY of the exceptions (baseline) | %1 | %2 s | %3 | 1× |"_s.arg(copy.value())
               .arg(double(copyMs) / 1000, 0, 'f', 2)
               .arg(qint64(rate(copy.value(), copyMs)))
        << Qt::endl;
    out << u"| first pull into an empty workspace | %1 | %2 s | %3 | %4 |"_s.arg(pulled.value())
               .arg(double(pullMs) / 1000, 0, 'f', 2)
               .arg(qint64(rate(pulled.value(), pullMs)))
               .arg(rate(pulled.value(), pullMs) / rate(copy.value(), copyMs), 0, 'f', 2)
        << Qt::endl;
    out << u"| then its indexes and search index, after the commit | %1 | %2 s | %3 | |"_s.arg(pulled.value())
               .arg(double(indexMs) / 1000, 0, 'f', 2)
               .arg(qint64(rate(pulled.value(), indexMs)))
        << Qt::endl;
    out << u"| first pull and indexes together | %1 | %2 s | %3 | %4 |"_s.arg(pulled.value())
               .arg(double(pullMs + indexMs) / 1000, 0, 'f', 2)
               .arg(qint64(rate(pulled.value(), pullMs + indexMs)))
               .arg(rate(pulled.value(), pullMs + indexMs) / rate(copy.value(), copyMs), 0, 'f', 2)
        << Qt::endl;
    out << u"| libpq COPY of %1 decision rows (baseline) | %1 | %2 s | %3 | 1× |"_s.arg(records.size())
               .arg(double(copyInMs) / 1000, 0, 'f', 2)
               .arg(qint64(rate(records.size(), copyInMs)))
        << Qt::endl;
    out << u"| push of the decisions in sets of %5 (the server decides and logs each) | %1 | %2 s | %3 | %4 |"_s
               .arg(pushed.value().pushed)
               .arg(double(pushMs) / 1000, 0, 'f', 2)
               .arg(qint64(rate(pushed.value().pushed, pushMs)))
               .arg(rate(pushed.value().pushed, pushMs) / rate(records.size(), copyInMs), 0, 'f', 4)
               .arg(setSize)
        << Qt::endl;
    if (serverCpu0 >= 0 && pushed.value().pushed > 0)
        out << u"| (the push's CPU: the server's process %1 s, %2 µs a decision; this process %3 s, %4 µs a decision) | | | | |"_s
                   .arg(double(serverCpuMs) / 1000, 0, 'f', 2)
                   .arg(double(serverCpuMs) * 1000 / double(pushed.value().pushed), 0, 'f', 1)
                   .arg(desktopCpuMs / 1000, 0, 'f', 2)
                   .arg(desktopCpuMs * 1000 / double(pushed.value().pushed), 0, 'f', 1)
            << Qt::endl;
    if (!oneByOne.isEmpty())
        out << u"| push one decision per call and commit (set size 1) | %1 | %2 s | %3 | %4 |"_s
                   .arg(pushedAlone.value().pushed)
                   .arg(double(aloneMs) / 1000, 0, 'f', 2)
                   .arg(qint64(rate(pushedAlone.value().pushed, aloneMs)))
                   .arg(rate(pushedAlone.value().pushed, aloneMs) / rate(records.size(), copyInMs), 0, 'f', 4)
            << Qt::endl;
    out << u"| (deciding them on the desktop first, 5,000 to a transaction: setup) | %1 | %2 s | %3 | |"_s
               .arg(records.size())
               .arg(double(decideMs) / 1000, 0, 'f', 2)
               .arg(qint64(rate(records.size(), decideMs)))
        << Qt::endl;
    out << u"NOTIFY to visible in the other desktop's workspace, %1 decisions: median %2 ms, p99 %3 ms, max %4 ms."_s
               .arg(latencies.size())
               .arg(percentile(0.5), 0, 'f', 1)
               .arg(percentile(0.99), 0, 'f', 1)
               .arg(latencies.isEmpty() ? 0.0 : latencies.last(), 0, 'f', 1)
        << Qt::endl;
    return 0;
}

} // namespace riskdesk
