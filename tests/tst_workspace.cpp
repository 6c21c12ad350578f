// The SQLite workspace on real files: migrations, tenant isolation, the hash chain, atomic decisions,
// and keyset paging that returns exactly what a plain ORDER BY would.
#include "TestWorkspace.h"
#include "domain/Timestamps.h"
#include "store/ApprovalLogRepository.h"
#include "store/DecisionService.h"
#include "store/DeferredIndexBuild.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionBulkLoad.h"
#include "store/ExceptionRepository.h"
#include "store/Outbox.h"
#include "store/SqlScript.h"
#include "store/WriteTransaction.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::TestWorkspace;

namespace {

qint64 scalar(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("query failed: %s", qPrintable(sql));
    return q.value(0).toLongLong();
}

void exec(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("%s failed", qPrintable(sql));
}

QString pendingLowRiskRecord(QSqlDatabase db, const QString& tenant) {
    QSqlQuery q(db);
    q.prepare(
        u"SELECT e.record_id FROM exceptions e JOIN rules r ON r.tenant_id = e.tenant_id AND "
        "r.rule_id = e.risk_rule_id WHERE e.tenant_id = ? AND e.status = 'pending' AND r.severity = 'low' "
        "AND e.current_approver_id = '' ORDER BY e.record_id LIMIT 1"_s);
    q.addBindValue(tenant);
    q.exec();
    q.next();
    return q.value(0).toString();
}

QStringList column(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("query failed: %s", qPrintable(sql));
    QStringList values;
    while (q.next())
        values << q.value(0).toString();
    return values;
}

// The queue's search through the trigram index (never the probe), every match in order.
QStringList indexSearch(QSqlDatabase db, const QString& tenant, const QString& text) {
    QueueQuery query;
    query.filter.tenantId = tenant;
    query.filter.text = text;
    QSqlQuery q(db);
    if (!q.prepare(QueueSql::selectPage(query, false, QueueSql::TextPlan::TrigramIndex)))
        qFatal("%s", qPrintable(q.lastError().text()));
    for (const QVariant& v :
         QueueSql::bindings(query, std::nullopt, 100000, QueueSql::TextPlan::TrigramIndex))
        q.addBindValue(v);
    if (!q.exec())
        qFatal("%s", qPrintable(q.lastError().text()));
    QStringList ids;
    while (q.next())
        ids << q.value(1).toString();
    return ids;
}

// The same search without any index: instr over every row of the tenant.
QStringList scanSearch(QSqlDatabase db, const QString& tenant, const QString& text) {
    QSqlQuery q(db);
    q.prepare(
        u"SELECT record_id FROM exceptions WHERE tenant_id = ? AND instr(lower(record_id || ' ' || "
        "target_id || ' ' || applicant_id || ' ' || reason_category || ' ' || justification), lower(?)) > 0 "
        "ORDER BY apply_time, rowid"_s);
    q.addBindValue(tenant);
    q.addBindValue(text);
    if (!q.exec())
        qFatal("%s", qPrintable(q.lastError().text()));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    return ids;
}

// A bulk load that leaves its indexes for later, as a first pull does: a copy of every exception.
void copyEveryExceptionInBulk(QSqlDatabase db, const QString& prefix) {
    WriteTransaction tx(db);
    ExceptionBulkLoad bulk(db);
    if (!tx.begun() || !bulk.begin())
        qFatal("bulk load did not start");
    exec(db,
         u"INSERT INTO exceptions (tenant_id, record_id, applicant_id, apply_time, target_type, target_id, "
         "risk_rule_id, status, valid_start_time, valid_end_time, reason_category, justification, "
         "attachment_url, current_approver_id, approval_chain_log, auto_rejected, rejection_reason, "
         "last_status_at, version) SELECT tenant_id, '%1' || record_id, applicant_id, apply_time, "
         "target_type, target_id, risk_rule_id, status, valid_start_time, valid_end_time, reason_category, "
         "justification, attachment_url, current_approver_id, approval_chain_log, auto_rejected, "
         "rejection_reason, last_status_at, version FROM exceptions ORDER BY rowid"_s.arg(prefix));
    if (!bulk.finishLater() || !tx.commit())
        qFatal("bulk load did not finish");
}

const QString kIndexesOfExceptions =
    u"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'exceptions' AND sql IS NOT NULL "
    "ORDER BY name"_s;

QStringList allIds(const ExceptionRepository& repo, QueueQuery query, int pageSize) {
    QStringList ids;
    std::optional<QueueKey> after;
    for (;;) {
        auto page = repo.page(query, after, pageSize);
        if (!page)
            qFatal("%s", qPrintable(page.problem().message));
        for (const QueueRow& r : page.value().rows)
            ids << r.recordId;
        if (!page.value().hasMore)
            break;
        after = page.value().rows.last().key;
    }
    return ids;
}

} // namespace

class WorkspaceTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void migratesFromEmpty();
    void refusesWhatIsNotAWorkspace();
    void refusesANewerSchema();
    void sqlScriptSplitsTriggers();
    void demoIsDeterministicAndComplete();
    void tenantsNeverSeeEachOther();
    void chainIsIntactAfterDemo();
    void chainDetectsAnEditedEntry();
    void chainDetectsADeletedEntry();
    void chainDetectsReorderedEntries();
    void chainDetectsEntriesCutFromTheEnd();
    void logRefusesUpdateAndDelete();
    void decisionWritesExceptionLogAndOutboxTogether();
    void approvalNeedsNoComment();
    void refusedDecisionWritesNothing();
    void staleVersionIsAConflict();
    void endedWindowIsRejectedAutomatically();
    void expireDueSweepsEndedWindows();
    void keysetPagesMatchPlainOrdering_data();
    void keysetPagesMatchPlainOrdering();
    void queuePagesWalkAnIndexInsteadOfSorting_data();
    void queuePagesWalkAnIndexInsteadOfSorting();
    void textSearchMatchesSubstrings_data();
    void textSearchMatchesSubstrings();
    void exportCsvHasEveryEntry();
    void migrationKeepsTheRulesOfTheChecks();
    void deferredBuildKeepsSearchRightAtEveryStep();
    void secondBulkLoadDuringABuildIsFinishedAtOnce();
};

void WorkspaceTest::migratesFromEmpty() {
    TestWorkspace ws;
    QCOMPARE(ws.workspace().schemaVersion(), Workspace::latestSchemaVersion());
    for (const QString& table :
         {u"tenants"_s, u"users"_s, u"rules"_s, u"exceptions"_s, u"approval_log"_s, u"outbox"_s})
        QCOMPARE(
            scalar(ws.db(),
                   u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%1'"_s.arg(table)),
            1);
    QCOMPARE(QSqlQuery(u"PRAGMA journal_mode"_s, ws.db()).next(), true);
    QSqlQuery mode(u"PRAGMA journal_mode"_s, ws.db());
    mode.next();
    QCOMPARE(mode.value(0).toString(), u"wal"_s);
    // Opening again finds the schema current and changes nothing.
    Workspace again;
    QVERIFY(again.open(ws.path(), u"again"_s).ok());
    QCOMPARE(again.schemaVersion(), Workspace::latestSchemaVersion());
}

void WorkspaceTest::refusesWhatIsNotAWorkspace() {
    QTemporaryDir dir;
    const QString path = dir.filePath(u"notes.txt"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("These are meeting notes, not a database.\n");
    f.close();
    Workspace w;
    const Status s = w.open(path, u"garbage"_s);
    QVERIFY(!s.ok());
    QVERIFY2(s.problem().message.contains(path), qPrintable(s.problem().message));
    QVERIFY(!w.isOpen());
}

void WorkspaceTest::refusesANewerSchema() {
    TestWorkspace ws;
    exec(ws.db(), u"PRAGMA user_version = 99"_s);
    Workspace w;
    const Status s = w.open(ws.path(), u"newer"_s);
    QVERIFY(!s.ok());
    QCOMPARE(s.problem().code, u"workspace_too_new"_s);
}

void WorkspaceTest::sqlScriptSplitsTriggers() {
    const QStringList statements =
        SqlScript::split(u"-- comment\nCREATE TABLE a (x INTEGER);\nCREATE TRIGGER t BEFORE DELETE ON "
                         u"a\nBEGIN\n    SELECT 1;\n    "
                         "SELECT 2;\nEND;\nCREATE INDEX i ON a (x);\n"_s);
    QCOMPARE(statements.size(), 3);
    QVERIFY(statements.at(1).startsWith(u"CREATE TRIGGER"_s));
    QVERIFY(statements.at(1).endsWith(u"END;"_s));
}

void WorkspaceTest::demoIsDeterministicAndComplete() {
    TestWorkspace a(800, 11), b(800, 11);
    const QString fingerprint = u"SELECT group_concat(record_id || status || version, ',') FROM "
                                "(SELECT * FROM exceptions ORDER BY record_id)"_s;
    QSqlQuery qa(fingerprint, a.db()), qb(fingerprint, b.db());
    QVERIFY(qa.next() && qb.next());
    QCOMPARE(qa.value(0).toString(), qb.value(0).toString());
    QCOMPARE(scalar(a.db(), u"SELECT count(*) FROM exceptions"_s), 800);
    QVERIFY(scalar(a.db(), u"SELECT count(*) FROM tenants"_s) >= 2);
    QVERIFY(scalar(a.db(), u"SELECT count(*) FROM rules WHERE tenant_id = 'acme'"_s) >= 12);
    for (const QString& status : allStatusWires())
        QVERIFY2(scalar(a.db(), u"SELECT count(*) FROM exceptions WHERE status = '%1'"_s.arg(status)) > 0,
                 qPrintable(status));
    for (const QString& severity : allSeverityWires())
        QVERIFY(scalar(a.db(), u"SELECT count(*) FROM rules WHERE severity = '%1'"_s.arg(severity)) > 0);
    for (const QString& role : allRoleWires())
        QVERIFY(scalar(a.db(), u"SELECT count(*) FROM users WHERE role = '%1'"_s.arg(role)) > 0);
    QVERIFY(scalar(a.db(), u"SELECT count(*) FROM exceptions WHERE auto_rejected = 1"_s) > 0);
    // Pending rows keep an open window, so opening the demo does not reject them all at once.
    QCOMPARE(
        scalar(a.db(),
               u"SELECT count(*) FROM exceptions WHERE status = 'pending' AND valid_end_time <= %1"_s.arg(
                   timestamps::toMs(TestWorkspace::fixedAnchor()))),
        0);
    // Every chain step is in the audit log, and only those.
    QCOMPARE(scalar(a.db(), u"SELECT sum(json_array_length(approval_chain_log)) FROM exceptions"_s),
             scalar(a.db(), u"SELECT count(*) FROM approval_log"_s));
}

void WorkspaceTest::tenantsNeverSeeEachOther() {
    TestWorkspace ws(600);
    ExceptionRepository repo(ws.db());
    const QString globexId = [&] {
        QSqlQuery q(u"SELECT record_id FROM exceptions WHERE tenant_id = 'globex' LIMIT 1"_s, ws.db());
        q.next();
        return q.value(0).toString();
    }();
    QVERIFY(!globexId.isEmpty());
    QVERIFY(!repo.get(u"acme"_s, globexId).ok());
    QCOMPARE(repo.get(u"acme"_s, globexId).problem().code, u"not_found"_s);
    QVERIFY(repo.get(u"globex"_s, globexId).ok());

    // Every queue ordering and filter of acme returns acme's rows only, and all of them.
    const qint64 acmeCount = scalar(ws.db(), u"SELECT count(*) FROM exceptions WHERE tenant_id = 'acme'"_s);
    for (int c = 0; c < int(QueueColumn::Count); ++c) {
        QueueQuery query;
        query.filter.tenantId = u"acme"_s;
        query.sortColumn = QueueColumn(c);
        const QStringList ids = allIds(repo, query, 97);
        QCOMPARE(ids.size(), acmeCount);
        for (const QString& id : ids)
            QVERIFY(repo.get(u"acme"_s, id).ok());
    }
    qint64 listed = 0;
    QVERIFY(repo.forEach(u"acme"_s, std::nullopt,
                         [&](const RiskException& e) {
                             if (e.tenantId != u"acme")
                                 qFatal("leak");
                             ++listed;
                             return true;
                         })
                .ok());
    QCOMPARE(listed, acmeCount);

    DirectoryRepository directory(ws.db());
    const QList<Rule> rules = directory.rules(u"acme"_s).value();
    QVERIFY(!rules.isEmpty());
    for (const Rule& r : rules)
        QCOMPARE(r.tenantId, u"acme"_s);
    const QList<User> users = directory.users(u"acme"_s).value();
    QVERIFY(!users.isEmpty());
    for (const User& u : users)
        QCOMPARE(u.tenantId, u"acme"_s);
    QVERIFY(!directory.user(u"acme"_s, u"huang.tao"_s).ok()); // a globex approver is not an acme member

    ApprovalLogRepository log(ws.db());
    LogFilter filter;
    filter.tenantId = u"acme"_s;
    const LogPage page = log.page(filter, std::nullopt, 10000).value();
    QVERIFY(!page.rows.isEmpty());
    for (const ApprovalLogEntry& e : page.rows)
        QCOMPARE(e.tenantId, u"acme"_s);

    // A globex approver cannot decide an acme exception, even knowing its id.
    DecisionService service(ws.db());
    const QString acmeId = pendingLowRiskRecord(ws.db(), u"acme"_s);
    const auto refused = service.decide(u"globex"_s, acmeId, u"huang.tao"_s, DecisionAction::Approve, {},
                                        TestWorkspace::fixedAnchor());
    QVERIFY(!refused.ok());
    QCOMPARE(refused.problem().code, u"not_found"_s);
}

void WorkspaceTest::chainIsIntactAfterDemo() {
    TestWorkspace ws(500);
    ApprovalLogRepository log(ws.db());
    for (const QString& tenant : {u"acme"_s, u"globex"_s}) {
        const auto v = log.verify(tenant);
        QVERIFY(v.ok());
        QVERIFY2(v.value().intact, qPrintable(v.value().message));
        QVERIFY(v.value().entriesChecked > 0);
        QCOMPARE(v.value().head.seq, v.value().entriesChecked);
    }
}

void WorkspaceTest::chainDetectsAnEditedEntry() {
    TestWorkspace ws(300);
    exec(ws.db(), u"DROP TRIGGER approval_log_no_update"_s); // what someone with the file could do
    exec(ws.db(), u"UPDATE approval_log SET comment = 'looks fine' WHERE tenant_id = 'acme' AND seq = 17"_s);
    const auto v = ApprovalLogRepository(ws.db()).verify(u"acme"_s);
    QVERIFY(!v.value().intact);
    QCOMPARE(v.value().firstBrokenSeq, 17);
    QVERIFY(v.value().message.contains(u"17"_s));
    // Re-hashing the edited entry does not help: the next entry no longer links to it.
    exec(
        ws.db(),
        u"UPDATE approval_log SET action = 'approve', actor_id = 'mallory' WHERE tenant_id = 'acme' AND seq = 5"_s);
    QCOMPARE(ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().firstBrokenSeq, 5);
    QVERIFY(ApprovalLogRepository(ws.db()).verify(u"globex"_s).value().intact);
}

void WorkspaceTest::chainDetectsADeletedEntry() {
    TestWorkspace ws(300);
    exec(ws.db(), u"DROP TRIGGER approval_log_no_delete"_s);
    exec(ws.db(), u"DELETE FROM approval_log WHERE tenant_id = 'acme' AND seq = 20"_s);
    auto v = ApprovalLogRepository(ws.db()).verify(u"acme"_s).value();
    QVERIFY(!v.intact);
    QCOMPARE(v.firstBrokenSeq, 20);
    // Renumbering to hide the gap breaks the links instead.
    exec(ws.db(), u"DROP TRIGGER approval_log_no_update"_s);
    exec(ws.db(), u"UPDATE approval_log SET seq = -seq WHERE tenant_id = 'acme' AND seq > 20"_s);
    exec(ws.db(), u"UPDATE approval_log SET seq = -seq - 1 WHERE tenant_id = 'acme' AND seq < 0"_s);
    v = ApprovalLogRepository(ws.db()).verify(u"acme"_s).value();
    QVERIFY(!v.intact);
    QCOMPARE(v.firstBrokenSeq, 20);
}

void WorkspaceTest::chainDetectsReorderedEntries() {
    TestWorkspace ws(300);
    exec(ws.db(), u"DROP TRIGGER approval_log_no_update"_s);
    exec(ws.db(), u"UPDATE approval_log SET seq = -1 WHERE tenant_id = 'acme' AND seq = 30"_s);
    exec(ws.db(), u"UPDATE approval_log SET seq = 30 WHERE tenant_id = 'acme' AND seq = 31"_s);
    exec(ws.db(), u"UPDATE approval_log SET seq = 31 WHERE tenant_id = 'acme' AND seq = -1"_s);
    const auto v = ApprovalLogRepository(ws.db()).verify(u"acme"_s).value();
    QVERIFY(!v.intact);
    QCOMPARE(v.firstBrokenSeq, 30);
}

void WorkspaceTest::chainDetectsEntriesCutFromTheEnd() {
    TestWorkspace ws(300);
    ApprovalLogRepository log(ws.db());
    const ChainHead remembered = log.verify(u"acme"_s).value().head;
    exec(ws.db(), u"DROP TRIGGER approval_log_no_delete"_s);
    exec(ws.db(),
         u"DELETE FROM approval_log WHERE tenant_id = 'acme' AND seq >= %1"_s.arg(remembered.seq - 2));
    // On its own the shortened chain is consistent…
    QVERIFY(log.verify(u"acme"_s).value().intact);
    // …but not against the head this desktop verified before.
    const auto v = log.verify(u"acme"_s, remembered).value();
    QVERIFY(!v.intact);
    QVERIFY(v.message.contains(QString::number(remembered.seq)));
}

void WorkspaceTest::logRefusesUpdateAndDelete() {
    TestWorkspace ws(100);
    QSqlQuery q(ws.db());
    QVERIFY(!q.exec(u"UPDATE approval_log SET comment = 'x'"_s));
    QVERIFY(q.lastError().text().contains(u"append-only"_s));
    QVERIFY(!q.exec(u"DELETE FROM approval_log"_s));
    QVERIFY(ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().intact);
}

void WorkspaceTest::decisionWritesExceptionLogAndOutboxTogether() {
    TestWorkspace ws(400);
    const QString id = pendingLowRiskRecord(ws.db(), u"acme"_s);
    QVERIFY(!id.isEmpty());
    ApprovalLogRepository log(ws.db());
    const ChainHead before = log.head(u"acme"_s).value();
    const qint64 outboxBefore = Outbox(ws.db()).waitingCount().value();
    const QDateTime now = TestWorkspace::fixedAnchor().addSecs(60);
    auto applied = DecisionService(ws.db()).decide(u"acme"_s, id, u"li.wei"_s, DecisionAction::Reject,
                                                   u"Attachment does not explain the route"_s, now);
    QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(applied.problem().message));
    const RiskException stored = ExceptionRepository(ws.db()).get(u"acme"_s, id).value();
    QCOMPARE(stored.status, ExceptionStatus::Rejected);
    QCOMPARE(stored.rejectionReason, u"Attachment does not explain the route"_s);
    QCOMPARE(stored, applied.value().exception);
    const ChainHead after = log.head(u"acme"_s).value();
    QCOMPARE(after.seq, before.seq + 1);
    QCOMPARE(applied.value().logEntry.prevHash, before.hash);
    QCOMPARE(applied.value().logEntry.recordId, id);
    QVERIFY(log.verify(u"acme"_s).value().intact);
    QCOMPARE(Outbox(ws.db()).waitingCount().value(), outboxBefore + 1);
    QSqlQuery q(u"SELECT payload FROM outbox ORDER BY outbox_id DESC LIMIT 1"_s, ws.db());
    QVERIFY(q.next());
    QVERIFY(q.value(0).toString().contains(id));
    QVERIFY(q.value(0).toString().contains(u"idempotency_key"_s));
}

void WorkspaceTest::approvalNeedsNoComment() {
    TestWorkspace ws(300);
    const QString id = pendingLowRiskRecord(ws.db(), u"acme"_s);
    auto applied = DecisionService(ws.db()).decide(u"acme"_s, id, u"li.wei"_s, DecisionAction::Approve,
                                                   QString(), TestWorkspace::fixedAnchor());
    QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(applied.problem().message));
    QCOMPARE(applied.value().exception.status, ExceptionStatus::Approved);
    QVERIFY(ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().intact);
}

void WorkspaceTest::refusedDecisionWritesNothing() {
    TestWorkspace ws(400);
    const QString id = pendingLowRiskRecord(ws.db(), u"acme"_s);
    const RiskException before = ExceptionRepository(ws.db()).get(u"acme"_s, id).value();
    const ChainHead head = ApprovalLogRepository(ws.db()).head(u"acme"_s).value();
    const qint64 outbox = Outbox(ws.db()).waitingCount().value();
    DecisionService service(ws.db());
    const QDateTime now = TestWorkspace::fixedAnchor();
    auto blank = service.decide(u"acme"_s, id, u"li.wei"_s, DecisionAction::Reject, u"   "_s, now);
    QCOMPARE(blank.problem().code, u"reason_required"_s);
    auto own = service.decide(u"acme"_s, id, before.applicantId, DecisionAction::Approve, {}, now);
    QVERIFY(!own.ok());
    auto auditor = service.decide(u"acme"_s, id, u"sun.yue"_s, DecisionAction::Approve, {}, now);
    QCOMPARE(auditor.problem().code, u"not_an_approver"_s);
    auto stranger = service.decide(u"acme"_s, id, u"nobody"_s, DecisionAction::Approve, {}, now);
    QCOMPARE(stranger.problem().code, u"unknown_user"_s);
    QCOMPARE(ExceptionRepository(ws.db()).get(u"acme"_s, id).value(), before);
    QCOMPARE(ApprovalLogRepository(ws.db()).head(u"acme"_s).value().seq, head.seq);
    QCOMPARE(Outbox(ws.db()).waitingCount().value(), outbox);
}

void WorkspaceTest::staleVersionIsAConflict() {
    TestWorkspace ws(200);
    const QString id = pendingLowRiskRecord(ws.db(), u"acme"_s);
    ExceptionRepository repo(ws.db());
    RiskException e = repo.get(u"acme"_s, id).value();
    e.justification = u"changed"_s;
    const Status s = repo.update(e, e.version - 1);
    QVERIFY(!s.ok());
    QCOMPARE(s.problem().code, u"version_conflict"_s);
    QVERIFY(repo.update(e, e.version).ok());
}

void WorkspaceTest::endedWindowIsRejectedAutomatically() {
    TestWorkspace ws(400);
    const QString id = pendingLowRiskRecord(ws.db(), u"acme"_s);
    const RiskException before = ExceptionRepository(ws.db()).get(u"acme"_s, id).value();
    const auto refused = DecisionService(ws.db()).decide(u"acme"_s, id, u"li.wei"_s, DecisionAction::Approve,
                                                         {}, before.validEndTime.addSecs(1));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.problem().code, u"window_ended"_s);
    const RiskException after = ExceptionRepository(ws.db()).get(u"acme"_s, id).value();
    QCOMPARE(after.status, ExceptionStatus::Rejected);
    QVERIFY(after.autoRejected);
    QVERIFY(!after.rejectionReason.isEmpty());
    QCOMPARE(after.approvalChainLog.last().action, u"auto_reject"_s);
    QVERIFY(ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().intact);
}

void WorkspaceTest::expireDueSweepsEndedWindows() {
    TestWorkspace ws(400);
    const QDateTime later = TestWorkspace::fixedAnchor().addDays(400); // every window has ended by then
    const qint64 due =
        scalar(ws.db(), u"SELECT count(*) FROM exceptions WHERE tenant_id = 'acme' AND status IN "
                        "('pending', 'approved')"_s);
    QVERIFY(due > 0);
    const qint64 outboxBefore = Outbox(ws.db()).waitingCount().value();
    qint64 swept = 0;
    for (;;) { // in batches, as the GUI runs it
        const auto batch = DecisionService(ws.db()).expireDue(u"acme"_s, later, 100);
        QVERIFY(batch.ok());
        for (const RiskException& e : batch.value())
            QVERIFY(e.status == ExceptionStatus::Rejected || e.status == ExceptionStatus::Expired);
        swept += batch.value().size();
        if (batch.value().size() < 100)
            break;
    }
    QCOMPARE(swept, due);
    QCOMPARE(
        scalar(
            ws.db(),
            u"SELECT count(*) FROM exceptions WHERE tenant_id = 'acme' AND status IN ('pending', 'approved')"_s),
        0);
    QVERIFY(ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().intact);
    QVERIFY(DecisionService(ws.db()).expireDue(u"acme"_s, later).value().isEmpty());
    // Shown here, never pushed: with a backend the server applies the end of a window itself.
    QCOMPARE(Outbox(ws.db()).waitingCount().value(), outboxBefore);
}

void WorkspaceTest::keysetPagesMatchPlainOrdering_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QString>("status");
    for (int c = 0; c < int(QueueColumn::Count); ++c)
        for (bool desc : {false, true}) {
            QTest::addRow("column %d %s", c, desc ? "desc" : "asc") << c << desc << QString();
            QTest::addRow("column %d %s pending", c, desc ? "desc" : "asc") << c << desc << u"pending"_s;
        }
}

void WorkspaceTest::keysetPagesMatchPlainOrdering() {
    QFETCH(int, column);
    QFETCH(bool, descending);
    QFETCH(QString, status);
    static TestWorkspace ws(2500);
    QueueQuery query;
    query.filter.tenantId = u"acme"_s;
    if (!status.isEmpty())
        query.filter.status = statusFromWire(status);
    query.sortColumn = QueueColumn(column);
    query.descending = descending;
    const QStringList paged = allIds(ExceptionRepository(ws.db()), query, 61);

    // The reference: one plain query, same order, no paging.
    const QString dir = descending ? u" DESC"_s : QString();
    QStringList order;
    for (const QString& k : QueueSql::sortKeys(query.sortColumn))
        order << k + dir;
    order << u"e.rowid"_s + dir;
    QSqlQuery q(ws.db());
    q.exec(u"SELECT e.record_id FROM exceptions e WHERE e.tenant_id = 'acme'"_s +
           (status.isEmpty() ? QString() : u" AND e.status = '%1'"_s.arg(status)) + u" ORDER BY "_s +
           order.join(u", "_s));
    QStringList plain;
    while (q.next())
        plain << q.value(0).toString();
    QVERIFY(!plain.isEmpty());
    QCOMPARE(paged, plain);
}

void WorkspaceTest::queuePagesWalkAnIndexInsteadOfSorting_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("pendingOnly");
    for (int c = 0; c < int(QueueColumn::Count); ++c) {
        QTest::addRow("column %d", c) << c << false;
        if (c == int(QueueColumn::AppliedAt) || c == int(QueueColumn::ExpiresIn) ||
            c == int(QueueColumn::Status))
            QTest::addRow("column %d, pending", c) << c << true; // the approver's views
    }
}

void WorkspaceTest::queuePagesWalkAnIndexInsteadOfSorting() {
    // A page must cost the same on a million rows as on a thousand: the plan reads an index in order and
    // stops at the limit, never sorting the whole tenant in a temporary b-tree.
    QFETCH(int, column);
    QFETCH(bool, pendingOnly);
    static TestWorkspace ws(3000);
    QueueQuery query;
    query.filter.tenantId = u"acme"_s;
    if (pendingOnly)
        query.filter.status = ExceptionStatus::Pending;
    query.sortColumn = QueueColumn(column);
    for (bool after : {false, true}) {
        QSqlQuery plan(ws.db());
        QVERIFY(plan.prepare(u"EXPLAIN QUERY PLAN "_s + QueueSql::selectPage(query, after)));
        std::optional<QueueKey> key;
        if (after)
            key = QueueKey{QVariantList(QueueSql::sortKeys(query.sortColumn).size(), QVariant(u"m"_s)), 1};
        for (const QVariant& v : QueueSql::bindings(query, key, 201))
            plan.addBindValue(v);
        QVERIFY(plan.exec());
        QString steps;
        while (plan.next())
            steps += plan.value(3).toString() + u'\n';
        QVERIFY2(!steps.contains(u"TEMP B-TREE"_s), qPrintable(steps));
        QVERIFY2(steps.contains(u"USING INDEX"_s), qPrintable(steps));
        // With a status filter the index must narrow to that status, not walk past every closed row.
        if (pendingOnly)
            QVERIFY2(steps.contains(u"status=?"_s), qPrintable(steps));
    }
}

void WorkspaceTest::textSearchMatchesSubstrings_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("target id prefix") << u"CLM-2026-1"_s;
    QTest::newRow("lower-case id") << u"clm-2026-1"_s;
    QTest::newRow("applicant") << u"emily"_s;
    QTest::newRow("two characters (no trigram)") << u"xu"_s;
    QTest::newRow("chinese phrase") << u"临时改签"_s;
    QTest::newRow("two chinese characters") << u"改签"_s;
    QTest::newRow("english words") << u"site visit"_s;
    QTest::newRow("quote and percent") << u"50% \"off"_s;
    QTest::newRow("no match") << u"zzzz-nothing"_s;
}

void WorkspaceTest::textSearchMatchesSubstrings() {
    QFETCH(QString, text);
    static TestWorkspace ws(2000);
    QueueQuery query;
    query.filter.tenantId = u"globex"_s;
    query.filter.text = text;
    QStringList found = allIds(ExceptionRepository(ws.db()), query, 50);
    // The reference: instr over the same text, no index.
    QSqlQuery q(ws.db());
    q.prepare(
        u"SELECT record_id FROM exceptions WHERE tenant_id = 'globex' AND instr(lower(record_id || ' ' || "
        "target_id || ' ' || applicant_id || ' ' || reason_category || ' ' || justification), lower(?)) > 0 "
        "ORDER BY apply_time, rowid"_s);
    q.addBindValue(text);
    QVERIFY(q.exec());
    QStringList expected;
    while (q.next())
        expected << q.value(0).toString();
    QCOMPARE(found, expected);
}

void WorkspaceTest::migrationKeepsTheRulesOfTheChecks() {
    // Migration 008 rewrote the CHECKs on status and target_type from IN lists to ORs of equalities (the
    // same values, a fraction of the cost) and dropped the index that repeated the primary key.
    TestWorkspace ws(20);
    const QString table =
        column(ws.db(), u"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'exceptions'"_s)
            .value(0);
    QVERIFY2(!table.contains(u" IN ("_s), qPrintable(table));
    QVERIFY2(table.contains(u"status = 'withdrawn'"_s) && table.contains(u"target_type = 'claim_item'"_s),
             qPrintable(table));
    QVERIFY(!column(ws.db(), kIndexesOfExceptions).contains(u"exceptions_by_record"_s));
    QCOMPARE(column(ws.db(), u"PRAGMA integrity_check"_s), QStringList{u"ok"_s});
    // Every value the old lists allowed is still allowed, and nothing else is.
    const QString insert =
        u"INSERT INTO exceptions (tenant_id, record_id, applicant_id, apply_time, target_type, target_id, "
        "risk_rule_id, status, valid_start_time, valid_end_time, reason_category, justification, "
        "last_status_at) VALUES ('acme', '%1', 'a', 1, '%2', 't', 'r', '%3', 1, 2, 'c', 'j', 1)"_s;
    int n = 0;
    for (const QString& type : {u"claim"_s, u"claim_item"_s, u"transaction"_s, u"merchant"_s, u"user"_s})
        for (const QString& status :
             {u"pending"_s, u"approved"_s, u"rejected"_s, u"expired"_s, u"withdrawn"_s})
            QVERIFY(QSqlQuery(ws.db()).exec(insert.arg(u"ok-%1"_s.arg(++n), type, status)));
    QSqlQuery refused(ws.db());
    for (const auto& [type, status] : {std::pair{u"claims"_s, u"pending"_s},
                                       {u"Claim"_s, u"pending"_s},
                                       {u"claim"_s, u"Pending"_s},
                                       {u"claim"_s, u""_s},
                                       {u"claim"_s, u"pending "_s}}) {
        QVERIFY2(!refused.exec(insert.arg(u"bad-%1"_s.arg(++n), type, status)), qPrintable(type + status));
        QVERIFY2(refused.lastError().text().contains(u"CHECK"_s), qPrintable(refused.lastError().text()));
    }
}

void WorkspaceTest::deferredBuildKeepsSearchRightAtEveryStep() {
    TestWorkspace ws(1200);
    const qint64 loaded = scalar(ws.db(), u"SELECT count(*) FROM exceptions"_s);
    const QStringList indexes = column(ws.db(), kIndexesOfExceptions);
    QVERIFY(indexes.size() >= 8);
    copyEveryExceptionInBulk(ws.db(), u"copy-"_s);

    // The rows are committed with no secondary index and out of the search index; the plan says so.
    QCOMPARE(column(ws.db(), kIndexesOfExceptions), QStringList());
    QCOMPARE(
        scalar(ws.db(),
               u"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'exceptions'"_s),
        1);
    auto plan = DeferredIndexBuild::progress(ws.db());
    QVERIFY(plan);
    QCOMPARE(plan.value().indexesLeft, int(indexes.size()));
    QCOMPARE(plan.value().searchRowsLeft, loaded);
    QCOMPARE(plan.value().searchPercent(), 0);
    // The search index alone would miss every copy: this is what the queue's search has to make up for.
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM exceptions_search WHERE exceptions_search MATCH "
                             "'\"opy\" AND \"py-\"'"_s),
             0);

    // A row written meanwhile goes through the restored trigger.
    exec(ws.db(),
         u"INSERT INTO exceptions (tenant_id, record_id, applicant_id, apply_time, target_type, "
         "target_id, risk_rule_id, status, valid_start_time, valid_end_time, reason_category, "
         "justification, last_status_at) VALUES ('globex', 'late-1', 'emily', 1, 'claim', 'CLM-LATE', "
         "'r', 'pending', 1, 2, 'travel', 'zebra crossing near the copy desk', 1)"_s);

    const QStringList texts{u"copy-"_s, u"zebra cross"_s, u"临时改签"_s, u"CLM-2026-1"_s, u"emily"_s};
    auto searchesAgree = [&](const QSqlDatabase& db) {
        for (const QString& text : texts) {
            const QStringList expected = scanSearch(db, u"globex"_s, text);
            if (indexSearch(db, u"globex"_s, text) != expected || expected.isEmpty())
                return false;
        }
        return true;
    };
    QVERIFY(searchesAgree(ws.db()));
    QCOMPARE(
        scanSearch(ws.db(), u"globex"_s, u"copy-"_s).size(),
        scalar(ws.db(),
               u"SELECT count(*) FROM exceptions WHERE tenant_id = 'globex' AND record_id LIKE 'copy-%'"_s));

    // Step by step (small search slices, so several), a second connection taking over half-way as after a
    // restart: after every step the search gives exactly what a scan gives.
    Workspace restarted;
    QVERIFY(restarted.open(ws.path(), u"restarted"_s).ok());
    const qint64 slice = 500;
    int steps = 0;
    for (;;) {
        QSqlDatabase db = steps < 5 ? ws.db() : restarted.db();
        auto left = DeferredIndexBuild::step(db, slice);
        QVERIFY2(left, qPrintable(left ? QString() : left.problem().message));
        ++steps;
        QVERIFY2(searchesAgree(db), qPrintable(u"after step %1"_s.arg(steps)));
        if (left.value().done())
            break;
        QVERIFY(steps < 100);
    }
    QCOMPARE(steps, int(indexes.size() + (loaded + slice - 1) / slice));
    QCOMPARE(column(ws.db(), kIndexesOfExceptions), indexes);
    QVERIFY(scalar(ws.db(), u"SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'exceptions'"_s) > 0);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM workspace_meta WHERE key = 'deferred_build'"_s), 0);
    QVERIFY(scalar(ws.db(), u"SELECT count(*) FROM exceptions_search WHERE exceptions_search MATCH "
                            "'\"opy\" AND \"py-\"'"_s) >= loaded);
    // Done is done: a further step changes nothing.
    auto again = DeferredIndexBuild::step(ws.db());
    QVERIFY(again && again.value().done());
    // A plan edited into garbage reads as no plan: searching still works, and a step does no harm.
    exec(ws.db(), u"INSERT INTO workspace_meta (key, value) VALUES ('deferred_build', 'not json {')"_s);
    QVERIFY(searchesAgree(ws.db()));
    auto garbled = DeferredIndexBuild::step(ws.db());
    QVERIFY(garbled && garbled.value().done());
}

void WorkspaceTest::secondBulkLoadDuringABuildIsFinishedAtOnce() {
    // One plan at a time: a bulk load while a build is pending finishes its own rows before its commit, and
    // the pending plan stays as it was.
    TestWorkspace ws(300);
    const qint64 loaded = scalar(ws.db(), u"SELECT count(*) FROM exceptions"_s);
    copyEveryExceptionInBulk(ws.db(), u"first-"_s);
    auto before = DeferredIndexBuild::progress(ws.db());
    QVERIFY(before);
    copyEveryExceptionInBulk(ws.db(), u"second-"_s);
    auto after = DeferredIndexBuild::progress(ws.db());
    QVERIFY(after);
    QCOMPARE(after.value().indexesLeft, before.value().indexesLeft);
    QCOMPARE(after.value().searchRowsLeft, loaded);
    QCOMPARE(indexSearch(ws.db(), u"acme"_s, u"second-"_s), scanSearch(ws.db(), u"acme"_s, u"second-"_s));
    QVERIFY(DeferredIndexBuild::run(ws.db()).ok());
    QCOMPARE(indexSearch(ws.db(), u"acme"_s, u"first-"_s), scanSearch(ws.db(), u"acme"_s, u"first-"_s));
    QCOMPARE(column(ws.db(), kIndexesOfExceptions).size(), before.value().indexesLeft);
}

void WorkspaceTest::exportCsvHasEveryEntry() {
    TestWorkspace ws(200);
    QTemporaryDir dir;
    QFile file(dir.filePath(u"log.csv"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    LogFilter filter;
    filter.tenantId = u"acme"_s;
    QVERIFY(ApprovalLogRepository(ws.db()).exportCsv(filter, &file).ok());
    file.close();
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    const qint64 entries = scalar(ws.db(), u"SELECT count(*) FROM approval_log WHERE tenant_id = 'acme'"_s);
    QCOMPARE(lines.size() - 2, entries); // header + trailing newline
    QVERIFY(lines.first().contains("seq,at,tenant_id,record_id"));
}

QTEST_GUILESS_MAIN(WorkspaceTest)
#include "tst_workspace.moc"
