#include "BulkBenchmark.h"

#include "CommandParser.h"
#include "Console.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "settings/AppSettings.h"
#include "store/ApprovalLogRepository.h"
#include "store/BulkDecisionPlan.h"
#include "store/BulkDecisionReport.h"
#include "store/DecisionService.h"
#include "store/Outbox.h"
#include "store/SqlProblem.h"
#include "store/Workspace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimeZone>
#include <algorithm>
#include <ctime>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QString kTenant = u"acme"_s;
const QString kActor = u"li.wei"_s;
const QString kReason = u"Look-alike requests without the evidence the rule asks for"_s;

QDateTime anchor() {
    return QDateTime(QDate(2026, 11, 1), QTime(9, 0), QTimeZone::utc());
}

Result<QStringList> column(QSqlDatabase db, const QString& sql, int limit) {
    QSqlQuery q(db);
    q.prepare(sql);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlProblem(q, u"Choosing the decisions"_s);
    QStringList values;
    while (q.next())
        values << q.value(0).toString();
    if (rowsFailed(q))
        return sqlProblem(q, u"Choosing the decisions"_s);
    return values;
}

// The batch: mostly pending exceptions (every severity, some assigned to another approver, some with the
// actor's first step already), one in seven already decided (refused as not pending), interleaved. The
// first 70% are approved, the rest rejected with one reason.
struct Decisions {
    QStringList approve;
    QStringList reject;
};

Result<Decisions> chooseDecisions(QSqlDatabase db, int count) {
    auto pending = column(db,
                          u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' "
                          "ORDER BY record_id LIMIT ?"_s,
                          count - count / 7);
    if (!pending)
        return pending.problem();
    // As many decided ones as the pending ones leave room for (a small workspace has fewer pending).
    auto decided =
        column(db,
               u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status <> 'pending' "
               "ORDER BY record_id LIMIT ?"_s,
               count - int(pending.value().size()));
    if (!decided)
        return decided.problem();
    if (pending.value().size() + decided.value().size() < count)
        return Problem{
            u"too_small"_s,
            u"The workspace has too few exceptions for %1 decisions; give more --exceptions."_s.arg(count),
            {}};
    // Interleaved, so that refusals sit between applied decisions in both halves.
    QStringList all;
    const qsizetype every =
        std::max<qsizetype>(1, pending.value().size() / std::max<qsizetype>(1, decided.value().size()));
    qsizetype d = 0;
    for (qsizetype i = 0; i < pending.value().size(); ++i) {
        all << pending.value().at(i);
        if (i % every == every - 1 && d < decided.value().size())
            all << decided.value().at(d++);
    }
    while (d < decided.value().size())
        all << decided.value().at(d++);
    const qsizetype approvals = all.size() * 7 / 10;
    return Decisions{all.mid(0, approvals), all.mid(approvals)};
}

// This process's CPU time: on a busy machine the wall clock also counts other programs' turns.
qint64 cpuNow() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// What both sides must agree on.
struct Answers {
    qint64 applied = 0;
    QHash<QString, QString> refusals; // record id → refusal code
    qint64 logHead = 0;
    qint64 outbox = 0;
    QHash<QString, QString> states; // record id → status, version, current approver
    friend bool operator==(const Answers&, const Answers&) = default;
};

Result<Answers> readAnswers(QSqlDatabase db, Answers answers) {
    auto head = ApprovalLogRepository(db).head(kTenant);
    if (!head)
        return head.problem();
    answers.logHead = head.value().seq;
    auto outbox = Outbox(db).waitingCount();
    if (!outbox)
        return outbox.problem();
    answers.outbox = outbox.value();
    QSqlQuery q(db);
    if (!q.exec(u"SELECT record_id, status || ' v' || version || ' ' || current_approver_id FROM exceptions "
                "WHERE tenant_id = 'acme'"_s))
        return sqlProblem(q, u"Reading the final states"_s);
    while (q.next())
        answers.states.insert(q.value(0).toString(), q.value(1).toString());
    if (rowsFailed(q))
        return sqlProblem(q, u"Reading the final states"_s);
    return answers;
}

Result<Answers> decideOneByOne(QSqlDatabase db, const Decisions& decisions, qint64& ns, qint64& cpu) {
    DecisionService service(db);
    Answers answers;
    QElapsedTimer timer;
    timer.start();
    cpu = cpuNow();
    for (const bool approve : {true, false})
        for (const QString& id : approve ? decisions.approve : decisions.reject) {
            auto r = service.decide(kTenant, id, kActor,
                                    approve ? DecisionAction::Approve : DecisionAction::Reject,
                                    approve ? QString() : kReason, anchor());
            if (r)
                ++answers.applied;
            else if (r.problem().code == u"database_error" || r.problem().code == u"workspace_damaged")
                return r.problem();
            else
                answers.refusals.insert(id, r.problem().code);
        }
    ns = timer.nsecsElapsed();
    cpu = cpuNow() - cpu;
    return readAnswers(db, answers);
}

Result<Answers> decideInBulk(QSqlDatabase db, const Decisions& decisions, qint64& ns, qint64& cpu) {
    DecisionService service(db);
    QElapsedTimer timer;
    timer.start();
    cpu = cpuNow();
    auto approved =
        service.decideMany(kTenant, decisions.approve, kActor, DecisionAction::Approve, {}, anchor());
    if (!approved)
        return approved.problem();
    auto rejected =
        service.decideMany(kTenant, decisions.reject, kActor, DecisionAction::Reject, kReason, anchor());
    if (!rejected)
        return rejected.problem();
    ns = timer.nsecsElapsed();
    cpu = cpuNow() - cpu;
    Answers answers;
    for (const BulkDecisionReport* report : {&approved.value(), &rejected.value()}) {
        answers.applied += report->applied.size();
        for (const BulkRefusal& r : report->refused)
            answers.refusals.insert(r.recordId, r.code);
    }
    return readAnswers(db, answers);
}

qint64 median(QList<qint64> values) {
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

// The baseline: what the confirmation read before it foretold anything, the ids and one grouping query for
// the counts by rule (of everything matched, refused or not).
Result<QStringList> idsAndRuleCounts(QSqlDatabase db, const QueueFilter& filter) {
    QStringList recordIds;
    QSqlQuery ids(db);
    if (!QueueSql::execFiltered(ids, QueueSql::selectMatchingIds(filter), filter))
        return sqlProblem(ids, u"Reading the ids"_s);
    while (ids.next())
        recordIds << ids.value(0).toString();
    if (rowsFailed(ids))
        return sqlProblem(ids, u"Reading the ids"_s);
    QSqlQuery q(db);
    if (!QueueSql::execFiltered(
            q,
            u"SELECT e.risk_rule_id, COALESCE(r.name, e.risk_rule_id), count(*), "
            "sum(e.status = 'pending' AND COALESCE(r.severity, 'high') IN ('high', 'critical') AND NOT "
            "EXISTS (SELECT 1 FROM json_each(e.approval_chain_log) s WHERE json_extract(s.value, "
            "'$.action') = 'approve')), sum(e.status <> 'pending') FROM exceptions e LEFT JOIN rules r ON "
            "r.tenant_id = e.tenant_id AND r.rule_id = e.risk_rule_id"_s +
                QueueSql::filterWhere(filter, QueueSql::TextPlan::TrigramIndex) +
                u" GROUP BY e.risk_rule_id ORDER BY count(*) DESC, e.risk_rule_id"_s,
            filter))
        return sqlProblem(q, u"Counting by rule"_s);
    qint64 counted = 0;
    while (q.next())
        counted += q.value(2).toLongLong();
    if (rowsFailed(q))
        return sqlProblem(q, u"Counting by rule"_s);
    if (counted != recordIds.size())
        return Problem{u"bench_mismatch"_s, u"The rule counts do not add up to the ids."_s, {}};
    return recordIds;
}

// The confirmation's read of "all matching" (every pending exception of the tenant): the ids alone, as it
// was, and with each exception run through the decision's rules to foretell the refusals. Median of repeat
// reads of each, alternated; both must list the same exceptions.
Status timeConfirmationRead(QSqlDatabase db, int repeat, QTextStream& out) {
    QueueFilter pending;
    pending.tenantId = kTenant;
    pending.status = ExceptionStatus::Pending;
    const BulkDecider decider{Actor{kActor, UserRole::Approver}, DecisionAction::Approve, anchor()};
    QList<qint64> idsOnly, foretold;
    qint64 rows = 0, refusals = 0;
    for (int round = 0; round < repeat; ++round) {
        QElapsedTimer timer;
        timer.start();
        auto plain = idsAndRuleCounts(db, pending);
        idsOnly << timer.nsecsElapsed();
        timer.restart();
        auto forecast = BulkDecisionPlan::read(db, pending, decider);
        foretold << timer.nsecsElapsed();
        if (!plain)
            return plain.problem();
        if (!forecast)
            return forecast.problem();
        if (plain.value() != forecast.value().recordIds)
            return Problem{u"bench_mismatch"_s, u"The two reads list different exceptions."_s, {}};
        rows = plain.value().size();
        refusals = forecast.value().foreseenRefused();
    }
    out << u"  the confirmation's read of all %1 pending (%2 foretold refusals): ids only %3 ms, with the "
           "forecast %4 ms"_s.arg(rows)
               .arg(refusals)
               .arg(median(idsOnly) / 1e6, 0, 'f', 1)
               .arg(median(foretold) / 1e6, 0, 'f', 1)
        << Qt::endl;
    return success();
}

} // namespace

int BulkBenchmark::run(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(u"bulk"_s, {});
    parser.addOption(
        {u"exceptions"_s, u"Exceptions in the demo workspace (default 8000)."_s, u"N"_s, u"8000"_s});
    parser.addOption({u"decisions"_s, u"Decisions in the batch (default 1000)."_s, u"N"_s, u"1000"_s});
    parser.addOption({u"repeat"_s,
                      u"Runs of each side, each on a fresh copy; the median is reported (default 3)."_s,
                      u"N"_s, u"3"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    bool ok1 = false, ok2 = false, ok3 = false;
    const qint64 exceptions = parser.value(u"exceptions"_s).toLongLong(&ok1);
    const int decisions = parser.value(u"decisions"_s).toInt(&ok2);
    const int repeat = parser.value(u"repeat"_s).toInt(&ok3);
    if (!ok1 || !ok2 || !ok3 || exceptions <= 0 || decisions <= 0 || repeat <= 0)
        return Console::fail(u"--exceptions, --decisions and --repeat must be whole numbers above 0."_s, 2);

    QTextStream& out = Console::out();
    QTemporaryDir dir;
    const QString demo = dir.filePath(u"demo.riskdesk"_s);
    DemoOptions options;
    options.exceptions = exceptions;
    options.anchor = anchor();
    if (auto built = DemoWorkspaceBuilder::buildFile(settings, demo, options); !built)
        return Console::fail(built.problem().message, 1);

    QList<qint64> single, bulk, singleCpu, bulkCpu;
    std::optional<Answers> agreed;
    qint64 batchSize = 0;
    for (int round = 0; round < repeat; ++round) {
        Answers sides[2];
        for (int side = 0; side < 2; ++side) {
            const QString path = dir.filePath(u"run-%1-%2.riskdesk"_s.arg(round).arg(side));
            if (!QFile::copy(demo, path))
                return Console::fail(u"Could not copy the demo workspace to %1."_s.arg(path), 1);
            Workspace w(settings);
            if (Status s = w.openExisting(path, u"bench-bulk-%1-%2"_s.arg(round).arg(side)); !s)
                return Console::fail(s.problem().message, 1);
            auto chosen = chooseDecisions(w.db(), decisions);
            if (!chosen)
                return Console::fail(chosen.problem().message, 1);
            batchSize = chosen.value().approve.size() + chosen.value().reject.size();
            qint64 ns = 0, cpu = 0;
            auto answers = side == 0 ? decideOneByOne(w.db(), chosen.value(), ns, cpu)
                                     : decideInBulk(w.db(), chosen.value(), ns, cpu);
            if (!answers)
                return Console::fail(answers.problem().message, 1);
            (side == 0 ? single : bulk) << ns;
            (side == 0 ? singleCpu : bulkCpu) << cpu;
            sides[side] = answers.value();
        }
        if (!(sides[0] == sides[1]))
            return Console::fail(
                u"The bulk decisions and the single ones disagree (applied %1 vs %2, refused %3 vs "
                "%4, log head %5 vs %6, outbox %7 vs %8)."_s.arg(sides[1].applied)
                    .arg(sides[0].applied)
                    .arg(sides[1].refusals.size())
                    .arg(sides[0].refusals.size())
                    .arg(sides[1].logHead)
                    .arg(sides[0].logHead)
                    .arg(sides[1].outbox)
                    .arg(sides[0].outbox),
                1);
        agreed = sides[0];
    }
    const qint64 singleNs = median(single), bulkNs = median(bulk);
    out << u"Bulk decisions: %1 mixed decisions by %2 on a %3-exception workspace (%4 applied, %5 "
           "refused), median of %6 runs, each on a fresh copy of the same file."_s.arg(batchSize)
               .arg(kActor)
               .arg(exceptions)
               .arg(agreed->applied)
               .arg(agreed->refusals.size())
               .arg(repeat)
        << Qt::endl;
    out << u"  one call per decision, each its own transaction: %1 ms (CPU %2 ms)"_s
               .arg(singleNs / 1e6, 0, 'f', 1)
               .arg(median(singleCpu) / 1e6, 0, 'f', 1)
        << Qt::endl;
    out << u"  decideMany, one transaction per action:          %1 ms (CPU %2 ms)"_s
               .arg(bulkNs / 1e6, 0, 'f', 1)
               .arg(median(bulkCpu) / 1e6, 0, 'f', 1)
        << Qt::endl;
    out << u"  ratio: %1× faster; both sides end with the same states, log entries and outbox."_s.arg(
               bulkNs > 0 ? double(singleNs) / double(bulkNs) : 0.0, 0, 'f', 1)
        << Qt::endl;
    Workspace w(settings);
    if (Status s = w.openExisting(demo, u"bench-bulk-read"_s); !s)
        return Console::fail(s.problem().message, 1);
    if (Status s = timeConfirmationRead(w.db(), repeat, out); !s)
        return Console::fail(s.problem().message, 1);
    return 0;
}

} // namespace riskdesk
