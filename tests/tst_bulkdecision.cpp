// Bulk decisions on a real workspace file: 1,000 mixed decisions (approvals of one and two steps,
// rejections, refusals of every kind), each through the state machine, all logged, none lost, the hash
// chain intact, the outbox holding each decision once; the same answers as one decision at a time.
#include "TemporaryConfig.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "store/ApprovalLogRepository.h"
#include "store/BulkDecisionPlan.h"
#include "store/BulkDecisionReport.h"
#include "store/DecisionService.h"
#include "store/ExceptionRepository.h"
#include "store/Outbox.h"
#include "store/PreparedStatements.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::TestWorkspace;

namespace {

const QString kTenant = u"acme"_s;
const QString kActor = u"li.wei"_s;
const QString kReason = u"Batch of look-alike requests without evidence"_s;

void exec(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
}

QStringList column(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    QStringList values;
    while (q.next())
        values << q.value(0).toString();
    if (q.lastError().isValid())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return values;
}

qint64 scalar(QSqlDatabase db, const QString& sql) {
    const QStringList values = column(db, sql);
    return values.isEmpty() ? -1 : values.first().toLongLong();
}

// The 1,000 exceptions of the mixed batch, with the refusals made certain: a few of li.wei's own requests,
// a few whose window has ended, a few assigned to another approver, and one id that is not in the workspace.
// The rest are what the demo holds: pending ones of every severity (some handed to another approver's second
// step, some with li.wei's first step) and decided ones.
QStringList prepareMixedBatch(QSqlDatabase db) {
    QStringList pending =
        column(db, u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = "
                   "'pending' ORDER BY record_id LIMIT 800"_s);
    const QStringList decided = column(db, u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND "
                                           "status <> 'pending' ORDER BY record_id LIMIT 199"_s);
    if (pending.size() < 800 || decided.size() < 199)
        qFatal("the demo has too few exceptions: %lld pending, %lld decided", qint64(pending.size()),
               qint64(decided.size()));
    for (int i = 0; i < 5; ++i)
        exec(db,
             u"UPDATE exceptions SET applicant_id = 'li.wei' WHERE tenant_id = 'acme' AND record_id = '%1'"_s
                 .arg(pending.at(10 + i)));
    for (int i = 0; i < 5; ++i)
        exec(db, u"UPDATE exceptions SET valid_end_time = %1 WHERE tenant_id = 'acme' AND record_id = '%2'"_s
                     .arg(TestWorkspace::fixedAnchor().addSecs(-60).toMSecsSinceEpoch())
                     .arg(pending.at(20 + i)));
    // Five held by another approver (refused to li.wei until claimed); one held by li.wei, of a two-step rule
    // and untouched, so that li.wei's approval is its first step and ends the hold.
    const QString heldByLiWei =
        column(db, u"SELECT e.record_id FROM exceptions e JOIN rules r ON r.tenant_id = e.tenant_id AND "
                   "r.rule_id = e.risk_rule_id WHERE e.record_id IN ('%1') AND r.severity IN ('high', "
                   "'critical') AND e.approval_chain_log = '[]' AND e.current_approver_id = '' AND "
                   "e.applicant_id <> 'li.wei' ORDER BY e.record_id LIMIT 1"_s.arg(
                       pending.mid(36, 600).join(u"', '"_s)))
            .value(0);
    if (heldByLiWei.isEmpty())
        qFatal("the demo has no untouched two-step exception among the approvals");
    for (int i = 0; i < 6; ++i)
        exec(db, u"INSERT INTO exception_assignments (tenant_id, record_id, assignee_id, escalated, version, "
                 "changed_by, changed_at) VALUES ('acme', '%1', '%2', 0, 1, 'sarah.chen', 0)"_s.arg(
                     i < 5 ? pending.at(30 + i) : heldByLiWei, i < 5 ? u"zhang.min"_s : u"li.wei"_s));
    QStringList batch;
    // Interleaved, so that refusals sit between applied decisions in both halves.
    for (int i = 0; i < 800; ++i) {
        batch << pending.at(i);
        if (i % 4 == 3 && i / 4 < decided.size())
            batch << decided.at(i / 4);
    }
    batch << u"exc-not-in-this-workspace"_s;
    return batch;
}

struct Batch {
    QStringList approve;
    QStringList reject;
};

// 700 approvals and 300 rejections with one reason.
Batch split(const QStringList& ids) {
    return Batch{ids.mid(0, 700), ids.mid(700)};
}

struct StateOf {
    QString status;
    qint64 version = 0;
    QString approver;
    QString reason;
    friend bool operator==(const StateOf&, const StateOf&) = default;
};

QHash<QString, StateOf> states(QSqlDatabase db) {
    QSqlQuery q(db);
    if (!q.exec(u"SELECT record_id, status, version, current_approver_id, rejection_reason FROM exceptions "
                "WHERE tenant_id = 'acme'"_s))
        qFatal("%s", qPrintable(q.lastError().text()));
    QHash<QString, StateOf> out;
    while (q.next())
        out.insert(q.value(0).toString(), StateOf{q.value(1).toString(), q.value(2).toLongLong(),
                                                  q.value(3).toString(), q.value(4).toString()});
    if (q.lastError().isValid())
        qFatal("%s", qPrintable(q.lastError().text()));
    return out;
}

} // namespace

class BulkDecisionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void thousandMixedDecisionsAreAllAccountedFor();
    void bulkGivesTheAnswersOfSingleDecisions();
    void aDatabaseFailureStoresNoneOfTheBatch();
    void aRejectionWithoutReasonIsRefusedForEach();
    void aDecisionWritesOnlyWhatItChanges();
    void planCountsRulesFirstStepsAndTheWholeFilteredSet();
    void keptStatementsArePreparedOnceAndHoldNoReadOpen();

private:
    // A fresh copy of the demo built once (its build is most of the time), opened as a workspace.
    std::unique_ptr<Workspace> freshWorkspace();

    QTemporaryDir m_dir;
    QString m_demo;
    int m_copies = 0;
};

void BulkDecisionTest::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_demo = m_dir.filePath(u"demo.riskdesk"_s);
    DemoOptions options;
    options.exceptions = 7000; // over 800 pending exceptions in acme
    options.seed = 7;
    options.anchor = TestWorkspace::fixedAnchor();
    const auto built = DemoWorkspaceBuilder::buildFile(riskdesk::test::settings(), m_demo, options);
    QVERIFY2(built.ok(), built.ok() ? "" : qPrintable(built.problem().message));
}

std::unique_ptr<Workspace> BulkDecisionTest::freshWorkspace() {
    const QString path = m_dir.filePath(u"copy-%1.riskdesk"_s.arg(++m_copies));
    if (!QFile::copy(m_demo, path))
        qFatal("cannot copy the demo to %s", qPrintable(path));
    auto workspace = std::make_unique<Workspace>(riskdesk::test::settings());
    if (Status s = workspace->openExisting(path, u"bulk-%1"_s.arg(m_copies)); !s)
        qFatal("%s", qPrintable(s.problem().message));
    return workspace;
}

void BulkDecisionTest::thousandMixedDecisionsAreAllAccountedFor() {
    auto ws = freshWorkspace();
    QSqlDatabase db = ws->db();
    const QStringList ids = prepareMixedBatch(db);
    QCOMPARE(ids.size(), 1000);
    const Batch batch = split(ids);
    const qint64 headBefore = ApprovalLogRepository(db).head(kTenant).value().seq;
    const qint64 outboxBefore = scalar(db, u"SELECT count(*) FROM outbox"_s);
    const QDateTime now = TestWorkspace::fixedAnchor();

    DecisionService service(db);
    QElapsedTimer timer;
    timer.start();
    auto approved = service.decideMany(kTenant, batch.approve, kActor, DecisionAction::Approve, {}, now);
    QVERIFY2(approved.ok(), approved.ok() ? "" : qPrintable(approved.problem().message));
    auto rejected = service.decideMany(kTenant, batch.reject, kActor, DecisionAction::Reject, kReason, now);
    QVERIFY2(rejected.ok(), rejected.ok() ? "" : qPrintable(rejected.problem().message));
    qInfo("1,000 mixed decisions in %lld ms", timer.elapsed());
    BulkDecisionReport report = approved.value();
    report.append(rejected.value());

    // None lost: every id is either applied or refused, exactly once.
    QCOMPARE(report.applied.size() + report.refused.size(), ids.size());
    QSet<QString> seen;
    for (const AppliedDecision& d : report.applied)
        seen.insert(d.exception.recordId);
    for (const BulkRefusal& r : report.refused) {
        QVERIFY2(!seen.contains(r.recordId), qPrintable(r.recordId));
        seen.insert(r.recordId);
        QVERIFY2(!r.message.isEmpty() && !r.code.isEmpty(), qPrintable(r.recordId));
    }
    QCOMPARE(seen, QSet<QString>(ids.cbegin(), ids.cend()));

    // The refusals name their reasons; every kind planted is there.
    QHash<QString, QString> codeOf;
    for (const BulkRefusal& r : report.refused)
        codeOf.insert(r.recordId, r.code);
    QCOMPARE(codeOf.value(u"exc-not-in-this-workspace"_s), u"not_found"_s);
    const QList<QString> codes = codeOf.values();
    QCOMPARE(codes.count(u"own_request"_s), 5);
    QCOMPARE(codes.count(u"window_ended"_s), 5);
    QVERIFY(codes.count(u"not_pending"_s) >= 199); // the decided ones, and none of them lost
    for (const BulkRefusal& r : report.refused)
        if (r.code == u"own_request")
            QVERIFY2(r.message.contains(u"yourself"_s) && r.message.contains(r.recordId),
                     qPrintable(r.message));
    QVERIFY(report.applied.size() > 500);
    QVERIFY(report.firstSteps > 0); // some approvals were the first of two steps
    int firstSteps = 0;
    for (const AppliedDecision& d : report.applied)
        firstSteps += d.finalDecision ? 0 : 1;
    QCOMPARE(report.firstSteps, firstSteps);

    // What was applied is what is stored.
    ExceptionRepository exceptions(db);
    for (const AppliedDecision& d : report.applied)
        QCOMPARE(exceptions.get(kTenant, d.exception.recordId).value(), d.exception);
    // Each applied decision and each automatic rejection of an ended window is one new log entry; the chain
    // verifies.
    ApprovalLogRepository log(db);
    const qint64 autoRejections = 5;
    QCOMPARE(log.head(kTenant).value().seq, headBefore + report.applied.size() + autoRejections);
    QCOMPARE(report.changed.size(), report.applied.size() + autoRejections);
    const auto verified = log.verify(kTenant);
    QVERIFY(verified.ok());
    QVERIFY2(verified.value().intact, qPrintable(verified.value().message));
    QSet<qint64> seqs;
    for (const AppliedDecision& d : report.applied) {
        QVERIFY(d.logEntry.seq > headBefore);
        seqs.insert(d.logEntry.seq);
    }
    QCOMPARE(seqs.size(), report.applied.size());

    // The outbox holds each decision once (never the automatic rejections: the server applies those itself),
    // with a key of its own and the log entry it carries.
    QCOMPARE(scalar(db, u"SELECT count(*) FROM outbox"_s), outboxBefore + report.applied.size());
    QCOMPARE(scalar(db, u"SELECT count(DISTINCT idempotency_key) FROM outbox"_s),
             outboxBefore + report.applied.size());
    QSqlQuery q(db);
    QVERIFY(
        q.exec(u"SELECT payload FROM outbox ORDER BY outbox_id DESC LIMIT %1"_s.arg(report.applied.size())));
    QSet<qint64> pushedSeqs;
    while (q.next()) {
        const QJsonObject payload = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
        pushedSeqs.insert(payload.value(u"local_log_seq"_s).toInteger());
        QCOMPARE(payload.value(u"actor_id"_s).toString(), kActor);
    }
    QVERIFY(!q.lastError().isValid());
    QCOMPARE(pushedSeqs, seqs);
}

void BulkDecisionTest::bulkGivesTheAnswersOfSingleDecisions() {
    // The same demo twice: in bulk on one, one decision per call (each its own transaction) on the other.
    auto bulkWs = freshWorkspace();
    auto singleWs = freshWorkspace();
    const QStringList ids = prepareMixedBatch(bulkWs->db());
    QCOMPARE(prepareMixedBatch(singleWs->db()), ids);
    const Batch batch = split(ids);
    const QDateTime now = TestWorkspace::fixedAnchor();

    // What the confirmation foretells, read before anything is decided, reason by reason.
    QMap<QString, qint64> foreseen;
    qint64 foreseenFirstSteps = 0, foreseenDecided = 0;
    for (const auto& [recordIds, action] : {std::pair{batch.approve, DecisionAction::Approve},
                                            std::pair{batch.reject, DecisionAction::Reject}}) {
        QueueFilter filter;
        filter.tenantId = kTenant;
        filter.recordIds = recordIds;
        const BulkDecisionPlan plan =
            BulkDecisionPlan::read(bulkWs->db(), filter,
                                   BulkDecider{Actor{kActor, UserRole::Approver}, action, now})
                .value();
        for (const BulkRefusalCount& r : plan.foreseenRefusals)
            foreseen[ExceptionDecision::refusalCodeName(r.code)] += r.count;
        // The rule counts and first steps are of what goes through, not of everything selected.
        qint64 byRule = 0;
        for (const BulkRuleCount& r : plan.perRule)
            byRule += r.count;
        QCOMPARE(byRule, plan.foreseenDecided());
        foreseenDecided += plan.foreseenDecided();
        foreseenFirstSteps += plan.firstSteps;
    }

    DecisionService bulk(bulkWs->db());
    BulkDecisionReport report =
        bulk.decideMany(kTenant, batch.approve, kActor, DecisionAction::Approve, {}, now).value();
    report.append(
        bulk.decideMany(kTenant, batch.reject, kActor, DecisionAction::Reject, kReason, now).value());

    DecisionService single(singleWs->db());
    QHash<QString, QString> singleRefusals;
    int singleApplied = 0;
    for (const QString& id : ids) {
        const bool approve = batch.approve.contains(id);
        auto r =
            single.decide(kTenant, id, kActor, approve ? DecisionAction::Approve : DecisionAction::Reject,
                          approve ? QString() : kReason, now);
        if (r)
            ++singleApplied;
        else
            singleRefusals.insert(id, r.problem().code);
    }
    QHash<QString, QString> bulkRefusals;
    for (const BulkRefusal& r : report.refused)
        bulkRefusals.insert(r.recordId, r.code);
    QCOMPARE(report.applied.size(), singleApplied);
    QCOMPARE(bulkRefusals, singleRefusals);
    // The forecast was right for every exception the workspace holds (a plan never lists one it lacks).
    QMap<QString, qint64> refusedByCode;
    for (const BulkRefusal& r : report.refused)
        if (r.code != u"not_found")
            ++refusedByCode[r.code];
    QVERIFY2(refusedByCode.size() >= 4, qPrintable(QStringList(refusedByCode.keys()).join(u", "_s)));
    QVERIFY(refusedByCode.value(u"assigned_to_another"_s) > 0);
    QCOMPARE(foreseen, refusedByCode);
    QCOMPARE(foreseenDecided, qint64(report.applied.size()));
    QVERIFY(report.firstSteps > 0);
    QCOMPARE(foreseenFirstSteps, qint64(report.firstSteps));
    QCOMPARE(ApprovalLogRepository(bulkWs->db()).head(kTenant).value().seq,
             ApprovalLogRepository(singleWs->db()).head(kTenant).value().seq);
    QCOMPARE(Outbox(bulkWs->db()).waitingCount().value(), Outbox(singleWs->db()).waitingCount().value());
    QVERIFY(states(bulkWs->db()) == states(singleWs->db()));
    // li.wei's first step on the exception they held ended the hold, as one call at a time does: the same
    // holds on both, one release by li.wei logged, and no pending exception held by someone who acted on it.
    const QString holds = u"SELECT record_id || ' ' || assignee_id FROM exception_assignments ORDER BY 1"_s;
    QCOMPARE(column(bulkWs->db(), holds), column(singleWs->db(), holds));
    QCOMPARE(column(bulkWs->db(),
                    u"SELECT count(*) FROM assignment_log WHERE actor_id = 'li.wei' AND action = "
                    "'release' AND from_id = 'li.wei'"_s),
             QStringList{u"1"_s});
    QCOMPARE(
        column(bulkWs->db(),
               u"SELECT a.record_id FROM exception_assignments a JOIN exceptions e ON e.tenant_id = "
               "a.tenant_id AND e.record_id = a.record_id WHERE e.status = 'pending' AND a.assignee_id <> "
               "'' AND e.approval_chain_log LIKE '%\"' || a.assignee_id || '\"%'"_s),
        QStringList());
}

void BulkDecisionTest::aDatabaseFailureStoresNoneOfTheBatch() {
    auto ws = freshWorkspace();
    QSqlDatabase db = ws->db();
    const QStringList ids =
        column(db, u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = "
                   "'pending' AND current_approver_id = '' ORDER BY record_id LIMIT 50"_s);
    QCOMPARE(ids.size(), 50);
    // A real failure in the middle of the batch: the workspace refuses to store the 30th exception.
    exec(db, u"CREATE TEMP TRIGGER refuse_one BEFORE UPDATE ON exceptions WHEN NEW.record_id = '%1' "
             "BEGIN SELECT RAISE(ABORT, 'disk said no'); END"_s.arg(ids.at(29)));
    const auto before = states(db);
    const qint64 head = ApprovalLogRepository(db).head(kTenant).value().seq;
    const qint64 outbox = scalar(db, u"SELECT count(*) FROM outbox"_s);
    auto result = DecisionService(db).decideMany(kTenant, ids, kActor, DecisionAction::Reject, kReason,
                                                 TestWorkspace::fixedAnchor());
    QVERIFY(!result.ok());
    QVERIFY2(result.problem().message.contains(u"disk said no"_s), qPrintable(result.problem().message));
    QVERIFY(states(db) == before);
    QCOMPARE(ApprovalLogRepository(db).head(kTenant).value().seq, head);
    QCOMPARE(scalar(db, u"SELECT count(*) FROM outbox"_s), outbox);
    // Once the workspace takes writes again, the same batch goes through whole.
    exec(db, u"DROP TRIGGER refuse_one"_s);
    result = DecisionService(db).decideMany(kTenant, ids, kActor, DecisionAction::Reject, kReason,
                                            TestWorkspace::fixedAnchor());
    QVERIFY(result.ok());
    QCOMPARE(result.value().applied.size(), 50);
    QVERIFY(ApprovalLogRepository(db).verify(kTenant).value().intact);
}

void BulkDecisionTest::aRejectionWithoutReasonIsRefusedForEach() {
    auto ws = freshWorkspace();
    QSqlDatabase db = ws->db();
    const QStringList ids =
        column(db, u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = "
                   "'pending' AND current_approver_id = '' ORDER BY record_id LIMIT 10"_s);
    const qint64 head = ApprovalLogRepository(db).head(kTenant).value().seq;
    auto result = DecisionService(db).decideMany(kTenant, ids, kActor, DecisionAction::Reject, u" \u3000"_s,
                                                 TestWorkspace::fixedAnchor());
    QVERIFY(result.ok());
    QVERIFY(result.value().applied.isEmpty());
    QCOMPARE(result.value().refused.size(), ids.size());
    for (const BulkRefusal& r : result.value().refused)
        QCOMPARE(r.code, u"reason_required"_s);
    QCOMPARE(ApprovalLogRepository(db).head(kTenant).value().seq, head);
    // An unknown actor fails the whole call, with the single decision's message.
    auto stranger = DecisionService(db).decideMany(kTenant, ids, u"nobody"_s, DecisionAction::Approve, {},
                                                   TestWorkspace::fixedAnchor());
    QCOMPARE(stranger.problem().code, u"unknown_user"_s);
}

void BulkDecisionTest::aDecisionWritesOnlyWhatItChanges() {
    auto ws = freshWorkspace();
    QSqlDatabase db = ws->db();
    const QStringList ids =
        column(db, u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = "
                   "'pending' AND current_approver_id = '' ORDER BY record_id LIMIT 50"_s);
    QCOMPARE(ids.size(), 50);
    // The board facts' trigger on the columns a decision never changes (migration 017) must not run: it
    // rebuilds the exception's facts from the log, which the log's own triggers already keep.
    exec(db, u"CREATE TEMP TABLE fired (n INTEGER)"_s);
    exec(db,
         u"CREATE TEMP TRIGGER count_fact_rebuilds AFTER UPDATE OF apply_time, valid_end_time, risk_rule_id, "
         "target_type, reason_category ON exceptions BEGIN INSERT INTO fired VALUES (1); END"_s);
    auto result = DecisionService(db).decideMany(kTenant, ids, kActor, DecisionAction::Approve, {},
                                                 TestWorkspace::fixedAnchor());
    QVERIFY(result.ok());
    QVERIFY(result.value().applied.size() > 25);
    auto single =
        DecisionService(db).decide(kTenant, result.value().applied.first().exception.recordId, u"zhang.min"_s,
                                   DecisionAction::Reject, u"Second look"_s, TestWorkspace::fixedAnchor());
    Q_UNUSED(single); // refused or not, it must not rebuild the facts either
    QCOMPARE(scalar(db, u"SELECT count(*) FROM fired"_s), 0);
    // The board facts still follow the log: what is stored for these exceptions is what the log derives.
    const QString in = u"('"_s + ids.join(u"', '"_s) + u"')"_s;
    QCOMPARE(
        scalar(db, u"SELECT count(*) FROM exception_progress p JOIN exception_progress_derived d USING "
                   "(tenant_id, record_id) WHERE p.tenant_id = 'acme' AND p.record_id IN %1 AND ("
                   "p.final_at IS NOT d.final_at OR p.final_kind IS NOT d.final_kind OR p.four_eyes IS NOT "
                   "d.four_eyes OR p.first_action_at IS NOT d.first_action_at)"_s.arg(in)),
        0);
    QVERIFY(
        scalar(db, u"SELECT count(*) FROM exception_progress WHERE tenant_id = 'acme' AND record_id IN %1 "
                   "AND first_action_at IS NOT NULL"_s.arg(in)) >= result.value().applied.size());
    QCOMPARE(
        scalar(db,
               u"SELECT count(*) FROM (SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final "
               "FROM approval_steps_derived WHERE tenant_id = 'acme' AND record_id IN %1 EXCEPT SELECT "
               "tenant_id, seq, record_id, actor_id, at, waited_since, final FROM approval_steps WHERE "
               "tenant_id = 'acme' AND record_id IN %1)"_s.arg(in)),
        0);
}

void BulkDecisionTest::planCountsRulesFirstStepsAndTheWholeFilteredSet() {
    auto ws = freshWorkspace();
    QSqlDatabase db = ws->db();
    const BulkDecider approve{Actor{kActor, UserRole::Approver}, DecisionAction::Approve,
                              TestWorkspace::fixedAnchor()};
    QueueFilter pending;
    pending.tenantId = kTenant;
    pending.status = ExceptionStatus::Pending;
    const qint64 expected =
        scalar(db, u"SELECT count(*) FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending'"_s);
    QVERIFY(expected > 2 * 200); // more than the view's first page: "all matching" is not "all loaded"
    QCOMPARE(BulkDecisionPlan::count(db, pending).value(), expected);
    const BulkDecisionPlan plan = BulkDecisionPlan::read(db, pending, approve).value();
    QCOMPARE(plan.size(), expected);
    QCOMPARE(plan.notPending, 0);
    QVERIFY(plan.foreseenRefused() > 0); // li.wei's own requests, second steps named for others, …

    // Rows nothing refuses to li.wei, told apart in SQL: pending, no second step named, not li.wei's and not
    // acted on by li.wei, window open, nobody assigned. There every count is of all of them.
    const QString clear =
        u"FROM exceptions e LEFT JOIN rules r ON r.tenant_id = e.tenant_id AND r.rule_id = e.risk_rule_id "
        "WHERE e.tenant_id = 'acme' AND e.status = 'pending' AND e.current_approver_id = '' AND "
        "e.applicant_id <> 'li.wei' AND e.approval_chain_log NOT LIKE '%\"li.wei\"%' AND e.valid_end_time > "
        "%1 AND NOT EXISTS (SELECT 1 FROM exception_assignments a WHERE a.tenant_id = e.tenant_id AND "
        "a.record_id = e.record_id AND a.assignee_id <> '')"_s.arg(
            TestWorkspace::fixedAnchor().toMSecsSinceEpoch());
    QueueFilter selected;
    selected.tenantId = kTenant;
    const QStringList clearIds = column(db, u"SELECT e.record_id "_s + clear);
    QVERIFY(clearIds.size() > 100);
    selected.recordIds = clearIds;
    const BulkDecisionPlan clearPlan = BulkDecisionPlan::read(db, selected, approve).value();
    QCOMPARE(clearPlan.size(), qint64(clearIds.size()));
    QCOMPARE(clearPlan.foreseenRefused(), 0);
    qint64 perRule = 0;
    for (const BulkRuleCount& r : clearPlan.perRule) {
        perRule += r.count;
        QCOMPARE(r.count,
                 scalar(db, u"SELECT count(*) "_s + clear + u" AND e.risk_rule_id = '%1'"_s.arg(r.ruleId)));
        QVERIFY(!r.ruleName.isEmpty());
    }
    QCOMPARE(perRule, clearPlan.size());
    // First steps: what approving them all would leave waiting for a second approver (a rule missing from
    // the workspace is two-step).
    const qint64 firstSteps = scalar(
        db,
        u"SELECT count(*) "_s + clear +
            u" AND COALESCE(r.severity, 'high') IN ('high', 'critical') AND e.approval_chain_log NOT LIKE "
            "'%\"approve\"%'"_s);
    QVERIFY(firstSteps > 0);
    QCOMPARE(clearPlan.firstSteps, firstSteps);

    // A text filter: the same rows as the queue's search.
    QueueFilter text = pending;
    text.text = u"exc-0"_s;
    const BulkDecisionPlan matched = BulkDecisionPlan::read(db, text, approve).value();
    QCOMPARE(matched.size(),
             scalar(db, u"SELECT count(*) FROM exceptions WHERE tenant_id = 'acme' AND status = "
                        "'pending' AND instr(lower(record_id || ' ' || target_id || ' ' || "
                        "applicant_id || ' ' || reason_category || ' ' || justification), "
                        "'exc-0') > 0"_s));

    // Selected rows: exactly those, with the decided ones counted as such and refused as no longer pending.
    const QStringList ids = column(db, u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' ORDER BY "
                                       "record_id LIMIT 40"_s);
    selected.recordIds = ids;
    const BulkDecisionPlan rows = BulkDecisionPlan::read(db, selected, approve).value();
    QCOMPARE(QSet<QString>(rows.recordIds.cbegin(), rows.recordIds.cend()),
             QSet<QString>(ids.cbegin(), ids.cend()));
    const qint64 decided =
        scalar(db, u"SELECT count(*) FROM (SELECT status FROM exceptions WHERE tenant_id = "
                   "'acme' ORDER BY record_id LIMIT 40) WHERE status <> 'pending'"_s);
    QVERIFY(decided > 0);
    QCOMPARE(rows.notPending, decided);
    qint64 refusedAsDecided = 0;
    for (const BulkRefusalCount& r : rows.foreseenRefusals)
        if (r.code == RefusalCode::NotPending)
            refusedAsDecided = r.count;
    QCOMPARE(refusedAsDecided, decided);
    // Another tenant's ids are not in the plan, whatever the selection says.
    selected.tenantId = u"globex"_s;
    QCOMPARE(BulkDecisionPlan::read(db, selected, approve).value().size(), 0);
}

void BulkDecisionTest::keptStatementsArePreparedOnceAndHoldNoReadOpen() {
    auto ws = freshWorkspace();
    QSqlDatabase db = ws->db();
    PreparedStatements kept(db);
    const QString sql = u"SELECT count(*) FROM exceptions WHERE tenant_id = ?"_s;
    QSqlQuery localA(db);
    QSqlQuery localB(db);
    QSqlQuery& first = PreparedStatements::pick(&kept, localA, sql);
    QCOMPARE(&PreparedStatements::pick(&kept, localB, sql), &first); // the same statement, not prepared again
    QCOMPARE(&PreparedStatements::pick(nullptr, localB, sql), &localB);
    // One that fails to prepare fails when run, and is not kept: once its table exists, it runs.
    QSqlQuery localC(db);
    const QString later = u"SELECT count(*) FROM temp.made_later"_s;
    QVERIFY(!PreparedStatements::pick(&kept, localC, later).exec());
    exec(db, u"CREATE TEMP TABLE made_later (x)"_s);
    QSqlQuery& made = PreparedStatements::pick(&kept, localC, later);
    QVERIFY2(made.exec() && made.next(), qPrintable(made.lastError().text()));
    QCOMPARE(made.value(0).toInt(), 0);
    made.finish();

    // Reading through kept statements (an exception, the log's head) leaves no read transaction open: another
    // connection can still checkpoint the whole write-ahead log.
    const QString id =
        column(db, u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' LIMIT 1"_s).at(0);
    QVERIFY(ExceptionRepository(db, &kept).get(kTenant, id).ok());
    QVERIFY(ApprovalLogRepository(db, LogSource::Workspace, &kept).head(kTenant).ok());
    {
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bulk-checkpoint"_s);
        other.setDatabaseName(db.databaseName());
        QVERIFY(other.open());
        QSqlQuery checkpoint(other);
        QVERIFY(checkpoint.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s));
        QVERIFY(checkpoint.next());
        QCOMPARE(checkpoint.value(0).toInt(), 0); // 1: blocked by a reader of the first connection
        checkpoint.finish();
        other.close();
    }
    QSqlDatabase::removeDatabase(u"bulk-checkpoint"_s);
}

QTEST_GUILESS_MAIN(BulkDecisionTest)
#include "tst_bulkdecision.moc"
