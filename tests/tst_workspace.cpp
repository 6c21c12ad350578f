// The SQLite workspace on real files: migrations, tenant isolation, the hash chain, atomic decisions,
// and keyset paging that returns exactly what a plain ORDER BY would.
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "attach/AttachmentCache.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "domain/TextRules.h"
#include "domain/Timestamps.h"
#include "store/ApprovalLogCsv.h"
#include "store/ApprovalLogRepository.h"
#include "store/AssessmentStore.h"
#include "store/ChainHeadMemory.h"
#include "store/DecisionService.h"
#include "store/DeferredIndexBuild.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionBulkLoad.h"
#include "store/ExceptionRepository.h"
#include "store/Outbox.h"
#include "store/ReadSnapshot.h"
#include "store/SqlProblem.h"
#include "store/SqlScript.h"
#include "store/WriteTransaction.h"

#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <algorithm>
#include <future>
#include <map>
#include <random>
#include <sqlite3.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

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

QString firstText(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("query failed: %s", qPrintable(sql));
    return q.value(0).toString();
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

// Rows of exception_progress and approval_steps that differ from what their views derive, both ways.
qint64 derivedFactsOff(QSqlDatabase db) {
    const QString progress =
        u"tenant_id, record_id, apply_time, valid_end, rule_id, target_type, reason_category, "
        "final_at, final_kind, four_eyes, withdrawn_at, first_action_at"_s;
    const QString steps = u"tenant_id, seq, record_id, actor_id, at, waited_since, final"_s;
    const QString differ = u"SELECT count(*) FROM (SELECT %1 FROM %2 EXCEPT SELECT %1 FROM %3)"_s;
    return scalar(db, differ.arg(progress, u"exception_progress"_s, u"exception_progress_derived"_s)) +
           scalar(db, differ.arg(progress, u"exception_progress_derived"_s, u"exception_progress"_s)) +
           scalar(db, differ.arg(steps, u"approval_steps"_s, u"approval_steps_derived"_s)) +
           scalar(db, differ.arg(steps, u"approval_steps_derived"_s, u"approval_steps"_s));
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
    void aGapNamesEveryMissingEntry();
    void chainDetectsReorderedEntries();
    void chainDetectsEntriesCutFromTheEnd();
    void exceptionsAreCheckedAgainstTheirLastEntries();
    void aRewrittenChainIsNamedAsSuchNotAsOneAlteredEntry();
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
    void sparseMatchesPastTheProbeComeFromTheTrigramIndex();
    void exportCsvHasEveryEntry();
    void aCheckAndItsExportReadOneSnapshot();
    void anotherWritersLockIsNamedInWords();
    void theNextWindowEndIsTheSoonestOpenOne();
    void migrationKeepsTheRulesOfTheChecks();
    void deferredBuildKeepsSearchRightAtEveryStep();
    void secondBulkLoadDuringABuildIsFinishedAtOnce();
    void bulkLoadDerivesTheLogWrittenDuringIt();
    void logDerivationsUseTheByRecordIndexWithoutStatistics();
    void initTestCase();
    void damagedPageIsAnErrorForEveryReader_data();
    void damagedPageIsAnErrorForEveryReader();
    void damageIsRememberedAndRefusesWrites();
    void cutOffFileIsRefusedAtOpening();
    void openExistingCreatesNothing();
    void readOnlyOpeningReadsButNeverWrites();
    void copiedWorkspaceTakesItsOwnIdentity();
    void copyOpenedBeforeItsOriginalIsTheCopy();
    void editedIdentityKeepsTheHeadsVerifiedInTheFile();
    void anotherWorkspaceInPlaceIsVerifiedAfresh();
    void aLinkToTheFileIsTheFile();
    void aMovedFileWithAnEditedIdentityIsHeldByItsLogs();
    void oneTenantsNewFirstEntryDoesNotFreeItsLog();
    void aMissingIdentityIsReplacedAndHeld();
    void aFifoAsPathOfRecordNeverBlocks();
    void demoFileIsBuiltWholeOrNotAtAll();
    void csvEscapesWhatASpreadsheetWouldRun_data();
    void csvEscapesWhatASpreadsheetWouldRun();
    void csvExportVerifiesOnItsOwn();

private:
    // A workspace of n exceptions built once for the rows of a data-driven test. Held by the test object, so
    // it is closed (and its closing noted in the settings) while the application still runs, not among the
    // static destructors at exit, where the settings' last write found Qt gone and crashed.
    TestWorkspace& sharedWorkspace(int exceptions);
    std::map<int, std::unique_ptr<TestWorkspace>> m_shared;
};

TestWorkspace& WorkspaceTest::sharedWorkspace(int exceptions) {
    auto& made = m_shared[exceptions];
    if (!made)
        made = std::make_unique<TestWorkspace>(exceptions);
    return *made;
}

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
    Workspace again(riskdesk::test::settings());
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
    Workspace w(riskdesk::test::settings());
    const Status s = w.open(path, u"garbage"_s);
    QVERIFY(!s.ok());
    QVERIFY2(s.problem().message.contains(path), qPrintable(s.problem().message));
    QVERIFY(!w.isOpen());
}

void WorkspaceTest::refusesANewerSchema() {
    TestWorkspace ws;
    exec(ws.db(), u"PRAGMA user_version = 99"_s);
    Workspace w(riskdesk::test::settings());
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
    // A request's file is in the workspace, listed with its request and never evicted, so a new user opens it
    // offline: no address points outside.
    const qint64 withFile =
        scalar(a.db(), u"SELECT count(*) FROM exceptions WHERE attachment_url IS NOT NULL"_s);
    QVERIFY(withFile > 200 && withFile < 800);
    QCOMPARE(scalar(a.db(),
                    u"SELECT count(*) FROM exceptions e JOIN exception_attachments f ON f.tenant_id = "
                    "e.tenant_id AND f.record_id = e.record_id AND f.position = 1 AND f.filed_here = 1 "
                    "AND e.attachment_url = 'riskdesk-attachment:' || f.sha256"_s),
             withFile);
    QCOMPARE(scalar(a.db(), u"SELECT count(*) FROM exception_attachments"_s), withFile);
    AttachmentCache cache(a.db());
    QVERIFY(cache.evictBeyond(0).ok());
    QSqlQuery files(u"SELECT DISTINCT attachment_url FROM exceptions WHERE attachment_url IS NOT NULL"_s,
                    a.db());
    int distinct = 0;
    while (files.next()) {
        const auto read = cache.read(files.value(0).toString(), 0);
        QVERIFY(read.ok() && read.value().has_value());
        QVERIFY(!read.value()->bytes.isEmpty());
        ++distinct;
    }
    QVERIFY(!files.lastError().isValid());
    QVERIFY(distinct >= 2);
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

// A gap names every entry missing, and a gap at the start no entry 0 (helper-92: "Entry 400 is missing: the
// log jumps from entry 399 to entry 403", "the log jumps from entry 0 to entry 4").
void WorkspaceTest::aGapNamesEveryMissingEntry() {
    TestWorkspace ws(300);
    exec(ws.db(), u"DROP TRIGGER approval_log_no_delete"_s);
    exec(ws.db(), u"DELETE FROM approval_log WHERE tenant_id = 'acme' AND seq BETWEEN 40 AND 42"_s);
    auto v = ApprovalLogRepository(ws.db()).verify(u"acme"_s).value();
    QCOMPARE(v.firstBrokenSeq, 40);
    QCOMPARE(v.message, u"Entries 40 to 42 are missing: the log jumps from entry 39 to entry 43."_s);
    exec(ws.db(), u"DELETE FROM approval_log WHERE tenant_id = 'acme' AND seq <= 3"_s);
    v = ApprovalLogRepository(ws.db()).verify(u"acme"_s).value();
    QCOMPARE(v.firstBrokenSeq, 1);
    QCOMPARE(v.message, u"Entries 1 to 3 are missing: the log starts at entry 4."_s);
    exec(ws.db(), u"DELETE FROM approval_log WHERE tenant_id = 'globex' AND seq = 1"_s);
    v = ApprovalLogRepository(ws.db()).verify(u"globex"_s).value();
    QCOMPARE(v.message, u"Entry 1 is missing: the log starts at entry 2."_s);
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
    // On its own the shortened chain links, but the exceptions those entries decided are no longer what
    // their last entries say…
    const auto alone = log.verify(u"acme"_s).value();
    QVERIFY(!alone.intact);
    QVERIFY2(alone.message.contains(u"exceptions were altered, or entries removed"_s) ||
                 alone.message.contains(u"entries were removed from the log"_s),
             qPrintable(alone.message));
    // …and not against the head this desktop verified before, which is named first.
    const auto v = log.verify(u"acme"_s, remembered).value();
    QVERIFY(!v.intact);
    QVERIFY(v.message.contains(QString::number(remembered.seq)));
}

// A log emptied, or an exception's decision changed in its own row, left a chain that links: it passed as
// intact (helper-92: "All 0 entries are intact" beside 4,000 decided exceptions).
void WorkspaceTest::exceptionsAreCheckedAgainstTheirLastEntries() {
    {
        TestWorkspace ws(300);
        exec(ws.db(), u"DROP TRIGGER approval_log_no_delete"_s);
        exec(ws.db(), u"DELETE FROM approval_log WHERE tenant_id = 'acme'"_s);
        const auto v = ApprovalLogRepository(ws.db()).verify(u"acme"_s);
        QVERIFY(v);
        QVERIFY(!v.value().intact);
        QCOMPARE(v.value().entriesChecked, 0);
        QCOMPARE(v.value().firstBrokenSeq, 1);
        QVERIFY2(v.value().message.contains(u"show a decision the log has no entry for (the first: exc-"_s),
                 qPrintable(v.value().message));
        QVERIFY(ApprovalLogRepository(ws.db()).verify(u"globex"_s).value().intact);
    }
    TestWorkspace ws(300);
    const QString rejected =
        firstText(ws.db(), u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = "
                           "'rejected' ORDER BY record_id LIMIT 1"_s);
    QVERIFY(!rejected.isEmpty());
    QVERIFY(ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().intact);
    exec(ws.db(),
         u"UPDATE exceptions SET status = 'approved', rejection_reason = NULL WHERE tenant_id = 'acme' AND "
         "record_id = '%1'"_s.arg(rejected));
    const auto v = ApprovalLogRepository(ws.db()).verify(u"acme"_s).value();
    QVERIFY(!v.intact);
    // No translator here: the source's plural form.
    QVERIFY2(v.message.startsWith(
                 u"1 exception(s) do not have the status their last entry in the log gives "
                 "them (the first: %1 is Approved, its last entry says Rejected)"_s.arg(rejected)),
             qPrintable(v.message));
    // Named at the entry that disagrees, not past the head.
    QCOMPARE(v.firstBrokenSeq,
             firstText(ws.db(), u"SELECT max(seq) FROM approval_log WHERE tenant_id = 'acme' AND record_id = "
                                "'%1'"_s.arg(rejected))
                 .toLongLong());
    // A workspace that ever had a server's answer is not checked this way: a push's answers set exceptions to
    // the server's state before any copy of its log arrives (a conflict is no tampering), and the server's
    // chain is the record there (helper-93).
    exec(ws.db(),
         u"INSERT INTO outbox (tenant_id, idempotency_key, kind, record_id, payload, created_at, state) "
         "VALUES ('acme', 'k-sent', 'decision', '%1', '{}', 0, 'sent')"_s.arg(rejected));
    QVERIFY(ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().intact);
    exec(ws.db(), u"DELETE FROM outbox WHERE idempotency_key = 'k-sent'"_s);
    QVERIFY(!ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().intact);
    exec(ws.db(), u"INSERT INTO workspace_meta (key, value) VALUES ('sync_cursor', 'server/1:1')"_s);
    QVERIFY(ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().intact);
}

void WorkspaceTest::aRewrittenChainIsNamedAsSuchNotAsOneAlteredEntry() {
    // A chain rewritten from some entry on, hashes and all, is consistent; only the head this desktop
    // remembers tells. Which entry was changed cannot be told, and the message must not name the head as the
    // one altered (helper-77: "entry 4855 differs" when entry 4833 had been changed).
    TestWorkspace ws(100);
    ApprovalLogRepository log(ws.db());
    ChainHead remembered = log.verify(u"acme"_s).value().head;
    remembered.hash = QByteArray(64, '0'); // what this desktop verified differs from what is there now
    const auto v = log.verify(u"acme"_s, remembered).value();
    QVERIFY(!v.intact);
    QVERIFY2(v.message.startsWith(u"The log was rewritten at or before entry %1:"_s.arg(remembered.seq)),
             qPrintable(v.message));
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
    TestWorkspace& ws = sharedWorkspace(2500);
    QueueQuery query;
    query.filter.tenantId = u"acme"_s;
    if (!status.isEmpty())
        query.filter.status = statusFromWire(status);
    query.sortColumn = QueueColumn(column);
    query.descending = descending;
    const QStringList paged = allIds(ExceptionRepository(ws.db()), query, 61);

    // The reference, written apart from the production sort keys: every row's raw columns read once, then
    // ordered in C++ by what each column means to a person (ties by insertion order, i.e. rowid).
    struct Raw {
        qint64 rowid;
        QString recordId, status, ruleId, targetType, targetId, applicantId, approverId;
        qint64 appliedAt, validEnd;
    };
    QSqlQuery q(ws.db());
    QVERIFY(
        q.exec(u"SELECT rowid, record_id, status, risk_rule_id, target_type, target_id, applicant_id, "
               "current_approver_id, apply_time, valid_end_time FROM exceptions WHERE tenant_id = 'acme'"_s));
    QList<Raw> rows;
    while (q.next())
        rows << Raw{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                    q.value(3).toString(),   q.value(4).toString(), q.value(5).toString(),
                    q.value(6).toString(),   q.value(7).toString(), q.value(8).toLongLong(),
                    q.value(9).toLongLong()};
    QVERIFY(!q.lastError().isValid());
    if (!status.isEmpty())
        rows.removeIf([&](const Raw& r) { return r.status != status; });
    QVERIFY(rows.size() > 100);
    // -1, 0 or 1 for a before b in ascending order of the column, ties by rowid.
    const auto ascending = [column](const Raw& a, const Raw& b) {
        int c = 0;
        switch (QueueColumn(column)) {
        case QueueColumn::RecordId:
            c = a.recordId.compare(b.recordId);
            break;
        case QueueColumn::CurrentStatus:
            c = a.status.compare(b.status);
            if (c == 0)
                c = a.appliedAt < b.appliedAt ? -1 : a.appliedAt > b.appliedAt;
            break;
        case QueueColumn::Rule:
            c = a.ruleId.compare(b.ruleId);
            break;
        case QueueColumn::Target:
            c = a.targetType.compare(b.targetType);
            if (c == 0)
                c = a.targetId.compare(b.targetId);
            break;
        case QueueColumn::Applicant:
            c = a.applicantId.compare(b.applicantId);
            break;
        case QueueColumn::AppliedAt:
            c = a.appliedAt < b.appliedAt ? -1 : a.appliedAt > b.appliedAt;
            break;
        case QueueColumn::ExpiresIn:
            c = a.validEnd < b.validEnd ? -1 : a.validEnd > b.validEnd;
            break;
        case QueueColumn::CurrentApprover:
            c = a.approverId.compare(b.approverId);
            break;
        case QueueColumn::Count:
            break;
        }
        if (c == 0)
            c = a.rowid < b.rowid ? -1 : a.rowid > b.rowid;
        return c;
    };
    std::sort(rows.begin(), rows.end(), [&](const Raw& a, const Raw& b) {
        const int c = ascending(a, b);
        return descending ? c > 0 : c < 0;
    });
    QStringList plain;
    for (const Raw& r : rows)
        plain << r.recordId;
    QCOMPARE(paged, plain);
}

void WorkspaceTest::queuePagesWalkAnIndexInsteadOfSorting_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("pendingOnly");
    QTest::addColumn<bool>("descending");
    for (int c = 0; c < int(QueueColumn::Count); ++c) {
        QTest::addRow("column %d", c) << c << false << false;
        if (c == int(QueueColumn::AppliedAt) || c == int(QueueColumn::ExpiresIn) ||
            c == int(QueueColumn::CurrentStatus))
            QTest::addRow("column %d, pending", c) << c << true << false; // the approver's views
    }
    // The assignee's keys differ by direction (the unassigned last both ways): each walks its own index.
    QTest::addRow("column %d, descending", int(QueueColumn::CurrentApprover))
        << int(QueueColumn::CurrentApprover) << false << true;
}

void WorkspaceTest::queuePagesWalkAnIndexInsteadOfSorting() {
    // A page must cost the same on a million rows as on a thousand: the plan reads an index in order and
    // stops at the limit, never sorting the whole tenant in a temporary b-tree.
    QFETCH(int, column);
    QFETCH(bool, pendingOnly);
    QFETCH(bool, descending);
    TestWorkspace& ws = sharedWorkspace(3000);
    QueueQuery query;
    query.filter.tenantId = u"acme"_s;
    if (pendingOnly)
        query.filter.status = ExceptionStatus::Pending;
    query.sortColumn = QueueColumn(column);
    query.descending = descending;
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
    TestWorkspace& ws = sharedWorkspace(2000);
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

// The search reads at most kProbeRows rows in sort order before it turns to the trigram index. Here a tenant
// has more rows than that and the word is in one early row and three rows past the probe: only the index
// can find those three, so the answer shows that the index path ran and that it finds the right rows.
void WorkspaceTest::sparseMatchesPastTheProbeComeFromTheTrigramIndex() {
    TestWorkspace ws(2000);
    const QString columns =
        u"tenant_id, record_id, applicant_id, apply_time, target_type, target_id, risk_rule_id, status, "
        "valid_start_time, valid_end_time, reason_category, justification, attachment_url, "
        "current_approver_id, "
        "approval_chain_log, auto_rejected, rejection_reason, last_status_at, version"_s;
    // The tenant's rows again under new ids, until it has more than the probe reads. Plain inserts: the
    // search trigger indexes each row.
    for (int copy = 1; scalar(ws.db(), u"SELECT count(*) FROM exceptions WHERE tenant_id = 'globex'"_s) <=
                       QueueSql::kProbeRows + 500;
         ++copy) {
        QVERIFY(copy < 40);
        exec(ws.db(),
             u"INSERT INTO exceptions (%1) SELECT %2 FROM exceptions WHERE tenant_id = 'globex' AND "
             "record_id NOT LIKE 'copy%' ORDER BY rowid"_s.arg(
                 columns, QString(columns).replace(u"record_id"_s, u"'copy%1-' || record_id"_s.arg(copy))));
    }
    // One copy of a row with the word, written at a chosen apply time.
    const auto addWithWord = [&](const QString& recordId, const QString& applyTime) {
        QString from = columns;
        from.replace(u"record_id"_s, u"'%1'"_s.arg(recordId))
            .replace(u"apply_time"_s, applyTime)
            .replace(u"justification"_s, u"justification || ' quokka sighting'"_s);
        exec(ws.db(), u"INSERT INTO exceptions (%1) SELECT %2 FROM exceptions WHERE tenant_id = 'globex' "
                      "ORDER BY rowid LIMIT 1"_s.arg(columns, from));
    };
    const QString minTime = u"(SELECT min(apply_time) FROM exceptions)"_s;
    const QString maxTime = u"(SELECT max(apply_time) FROM exceptions)"_s;
    addWithWord(u"exc-quokka-early"_s, minTime + u" - 1000"_s);
    addWithWord(u"exc-quokka-late1"_s, maxTime + u" + 1000"_s);
    addWithWord(u"exc-quokka-late2"_s, maxTime + u" + 1000"_s);
    addWithWord(u"exc-quokka-late3"_s, maxTime + u" + 1000"_s);
    // The three late rows are past the rows the probe reads in apply-time order.
    const qint64 before = scalar(ws.db(), u"SELECT count(*) FROM exceptions WHERE tenant_id = 'globex' AND "
                                          "apply_time < (SELECT apply_time FROM exceptions WHERE record_id = "
                                          "'exc-quokka-late1')"_s);
    QVERIFY2(before >= QueueSql::kProbeRows, qPrintable(QString::number(before)));

    QueueQuery query;
    query.filter.tenantId = u"globex"_s;
    query.filter.text = u"quokka"_s;
    const QStringList expected{u"exc-quokka-early"_s, u"exc-quokka-late1"_s, u"exc-quokka-late2"_s,
                               u"exc-quokka-late3"_s};
    const auto first = ExceptionRepository(ws.db()).page(query, std::nullopt, 50);
    QVERIFY(first.ok());
    QStringList ids;
    for (const QueueRow& r : first.value().rows)
        ids << r.recordId;
    QCOMPARE(ids, expected);
    QVERIFY(!first.value().hasMore);
    // Small pages walk the same rows through the index.
    QCOMPARE(allIds(ExceptionRepository(ws.db()), query, 2), expected);
    query.descending = true;
    QCOMPARE(allIds(ExceptionRepository(ws.db()), query, 3),
             (QStringList{u"exc-quokka-late3"_s, u"exc-quokka-late2"_s, u"exc-quokka-late1"_s,
                          u"exc-quokka-early"_s}));
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
    const qint64 triggers = scalar(
        ws.db(), u"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'exceptions'"_s);
    copyEveryExceptionInBulk(ws.db(), u"copy-"_s);

    // The rows are committed with no secondary index and out of the search index; the plan says so.
    QCOMPARE(column(ws.db(), kIndexesOfExceptions), QStringList());
    QCOMPARE(
        scalar(ws.db(),
               u"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'exceptions'"_s),
        triggers);
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
    Workspace restarted(riskdesk::test::settings());
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

// A load that writes log entries too (the demo does) suspends the log's triggers with the exceptions' own,
// and derives in one pass what they would have: for the exceptions it loads, and for those already there.
void WorkspaceTest::bulkLoadDerivesTheLogWrittenDuringIt() {
    TestWorkspace ws(300); // the demo itself writes its whole log inside a bulk load
    QSqlDatabase db = ws.db();
    QCOMPARE(derivedFactsOff(db), 0);
    const QString logTriggers =
        u"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'approval_log' ORDER BY name"_s;
    const QStringList triggersBefore = column(db, logTriggers);
    QVERIFY(triggersBefore.contains(u"approval_steps_logged"_s));
    const QString existing = pendingLowRiskRecord(db, u"acme"_s);
    QVERIFY(!existing.isEmpty());
    const qint64 seq = scalar(db, u"SELECT max(seq) FROM approval_log WHERE tenant_id = 'acme'"_s);
    {
        WriteTransaction tx(db);
        ExceptionBulkLoad bulk(db);
        QVERIFY(tx.begun() && bulk.begin());
        QVERIFY(!column(db, logTriggers).contains(u"approval_steps_logged"_s));
        exec(db, u"INSERT INTO exceptions (tenant_id, record_id, applicant_id, apply_time, target_type, "
                 "target_id, risk_rule_id, status, valid_start_time, valid_end_time, reason_category, "
                 "justification, last_status_at) SELECT tenant_id, 'bulk-new', applicant_id, apply_time, "
                 "target_type, target_id, risk_rule_id, 'approved', valid_start_time, valid_end_time, "
                 "reason_category, justification, last_status_at FROM exceptions WHERE tenant_id = 'acme' "
                 "AND record_id = '%1'"_s.arg(existing));
        const QString entry = u"INSERT INTO approval_log (tenant_id, seq, record_id, actor_id, action, step, "
                              "status_after, at, prev_hash, hash) VALUES ('acme', %1, '%2', '%3', '%4', 1, "
                              "'%5', %6, 'x', 'y')"_s;
        const qint64 at = scalar(db, u"SELECT max(at) FROM approval_log"_s) + 1000;
        // The exception already there is approved by two people; the loaded one rejected after an approval.
        exec(db, entry.arg(seq + 1).arg(existing, u"wang.fang"_s, u"approve"_s, u"approved"_s).arg(at));
        exec(db,
             entry.arg(seq + 2).arg(u"bulk-new"_s, u"wang.fang"_s, u"approve"_s, u"pending"_s).arg(at + 1));
        exec(db, entry.arg(seq + 3).arg(u"bulk-new"_s, u"li.wei"_s, u"reject"_s, u"rejected"_s).arg(at + 2));
        QVERIFY(bulk.finish());
        QVERIFY(tx.commit());
    }
    QCOMPARE(column(db, logTriggers), triggersBefore);
    QCOMPARE(derivedFactsOff(db), 0);
    QCOMPARE(
        scalar(db, u"SELECT count(*) FROM approval_steps WHERE tenant_id = 'acme' AND seq > %1"_s.arg(seq)),
        3);
    QCOMPARE(
        scalar(db,
               u"SELECT final_at FROM exception_progress WHERE tenant_id = 'acme' AND record_id = '%1'"_s.arg(
                   existing)),
        scalar(db, u"SELECT at FROM approval_log WHERE tenant_id = 'acme' AND seq = %1"_s.arg(seq + 1)));
    // And the restored triggers derive the next entry as before.
    exec(
        db,
        u"INSERT INTO approval_log (tenant_id, seq, record_id, actor_id, action, step, status_after, at, "
        "prev_hash, hash) VALUES ('acme', %1, 'bulk-new', 'li.wei', 'approve', 1, 'approved', %2, 'x', 'y')"_s
            .arg(seq + 4)
            .arg(scalar(db, u"SELECT max(at) FROM approval_log"_s) + 1));
    QCOMPARE(derivedFactsOff(db), 0);
    QCOMPARE(
        scalar(db, u"SELECT count(*) FROM approval_steps WHERE tenant_id = 'acme' AND seq > %1"_s.arg(seq)),
        4);
}

// Without planner statistics (a new or freshly pulled workspace) every lookup of an exception's log entries
// still goes through the by-record index (migration 029), never a walk of the tenant's whole log.
void WorkspaceTest::logDerivationsUseTheByRecordIndexWithoutStatistics() {
    TestWorkspace ws(50);
    QSqlDatabase db = ws.db();
    exec(db, u"DROP TABLE IF EXISTS sqlite_stat1"_s);
    exec(db, u"ANALYZE sqlite_schema"_s); // the planner forgets what it had loaded
    QVERIFY(scalar(db, u"SELECT count(*) FROM sqlite_stat1"_s) == 0);
    for (const QString& sql :
         {u"SELECT * FROM exception_progress_derived WHERE exception_rowid >= 1"_s,
          u"SELECT * FROM exception_progress_derived WHERE tenant_id = 'acme' AND record_id = 'x'"_s,
          u"SELECT * FROM approval_steps_derived WHERE tenant_id = 'acme' AND seq > 0"_s}) {
        QStringList plan;
        QSqlQuery explain(db);
        QVERIFY(explain.exec(u"EXPLAIN QUERY PLAN "_s + sql));
        while (explain.next())
            plan << explain.value(3).toString(); // id, parent, notused, detail
        QVERIFY(!explain.lastError().isValid());
        QVERIFY(!plan.isEmpty());
        int byRecord = 0;
        for (const QString& step : plan) {
            // The outer query may read the log by its key (the steps of a range of seq); a lookup never does.
            if (step.contains(u"USING PRIMARY KEY (tenant_id=?)"_s) ||
                step.contains(u"USING PRIMARY KEY (tenant_id=? AND seq<?)"_s))
                QFAIL(qPrintable(sql + u": "_s + plan.join(u" | "_s)));
            byRecord += step.contains(u"approval_log_by_record"_s);
        }
        QVERIFY2(byRecord >= 2, qPrintable(plan.join(u" | "_s)));
    }
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
    QCOMPARE(lines.size() - 3, entries); // header, the whole-log line, trailing newline
    QVERIFY(lines.first().contains("seq,at,tenant_id,record_id"));
    QCOMPARE(lines.at(lines.size() - 2),
             "#whole-log,acme,%1\r"_ba.replace("%1", QByteArray::number(entries)));
}

void WorkspaceTest::aCheckAndItsExportReadOneSnapshot() {
    TestWorkspace ws(400);
    // Another desktop's connection to the same file decides an exception between the check and the export.
    Workspace other(riskdesk::test::settings());
    QVERIFY(other.open(ws.path(), u"other"_s).ok());
    const QString id = pendingLowRiskRecord(other.db(), u"acme"_s);
    QVERIFY(!id.isEmpty());
    LogFilter filter;
    filter.tenantId = u"acme"_s;
    QBuffer file;
    file.open(QIODevice::WriteOnly);
    qint64 checkedHead = 0;
    {
        ReadSnapshot snapshot(ws.db());
        QVERIFY(snapshot.begun().ok());
        auto verified = ApprovalLogRepository(ws.db()).verify(u"acme"_s);
        QVERIFY(verified && verified.value().intact);
        checkedHead = verified.value().head.seq;
        auto applied = DecisionService(other.db())
                           .decide(u"acme"_s, id, u"li.wei"_s, DecisionAction::Reject,
                                   u"Decided during the export"_s, TestWorkspace::fixedAnchor().addSecs(60));
        QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(applied.problem().message));
        QVERIFY(ApprovalLogRepository(ws.db()).exportCsv(filter, &file, true).ok());
    }
    // The file holds exactly the entries that were checked, and says so.
    const QList<QByteArray> lines = file.data().split('\n');
    QCOMPARE(lines.size() - 3, checkedHead);
    QCOMPARE(lines.at(lines.size() - 2),
             "#whole-log,acme,%1\r"_ba.replace("%1", QByteArray::number(checkedHead)));
    // The snapshot ended: the decision is seen now.
    QCOMPARE(ApprovalLogRepository(ws.db()).head(u"acme"_s).value().seq, checkedHead + 1);
}

// A second window or command that keeps the write lock past the busy timeout: the decision is refused in
// words that say who and what to do, not SQLite's "database is locked", and nothing of it is written.
void WorkspaceTest::anotherWritersLockIsNamedInWords() {
    TestWorkspace ws(400);
    Workspace other(riskdesk::test::settings());
    QVERIFY(other.open(ws.path(), u"other"_s).ok());
    const QString id = pendingLowRiskRecord(ws.db(), u"acme"_s);
    QVERIFY(!id.isEmpty());
    const qint64 head = ApprovalLogRepository(ws.db()).head(u"acme"_s).value().seq;
    QSqlQuery lock(other.db());
    QVERIFY(lock.exec(u"BEGIN IMMEDIATE"_s));
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"PRAGMA busy_timeout = 50"_s)); // the test need not wait the desktop's 5 s
    auto refused = DecisionService(ws.db()).decide(u"acme"_s, id, u"li.wei"_s, DecisionAction::Approve, {},
                                                   TestWorkspace::fixedAnchor().addSecs(60));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.problem().code, u"workspace_busy"_s);
    QVERIFY2(refused.problem().message.contains(u"another Riskdesk window or command"_s),
             qPrintable(refused.problem().message));
    QVERIFY2(!refused.problem().message.contains(u"locked"_s), qPrintable(refused.problem().message));
    QVERIFY(lock.exec(u"ROLLBACK"_s));
    QVERIFY(q.exec(u"PRAGMA busy_timeout = %1"_s.arg(kBusyTimeoutSeconds * 1000)));
    QCOMPARE(ApprovalLogRepository(ws.db()).head(u"acme"_s).value().seq, head);
    // A lock let go while the decision waits for it: the decision goes through, and its entry carries the
    // time it was written, not the time it was asked for (helper-95: 4 s earlier than a commit made
    // meanwhile).
    std::promise<void> locked;
    std::thread holder([path = ws.path().toStdString(), &locked] {
        sqlite3* holderDb = nullptr;
        sqlite3_open(path.c_str(), &holderDb);
        sqlite3_exec(holderDb, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        locked.set_value();
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        sqlite3_exec(holderDb, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(holderDb);
    });
    locked.get_future().wait();
    const QDateTime asked = TestWorkspace::fixedAnchor().addSecs(60);
    auto applied =
        DecisionService(ws.db()).decide(u"acme"_s, id, u"li.wei"_s, DecisionAction::Approve, {}, asked);
    holder.join();
    QVERIFY2(applied.ok(), applied.ok() ? "" : qPrintable(applied.problem().message));
    const qint64 later = asked.msecsTo(applied.value().logEntry.at);
    QVERIFY2(later >= 300 && later < kBusyTimeoutSeconds * 1000, qPrintable(QString::number(later)));
}

// The queue sweeps again when the next open window ends: the soonest end after now of a pending or approved
// exception, never a closed one's nor one already past; nothing once no window is open.
void WorkspaceTest::theNextWindowEndIsTheSoonestOpenOne() {
    TestWorkspace ws(400);
    const QDateTime now = TestWorkspace::fixedAnchor();
    const qint64 nowMs = timestamps::toMs(now);
    const auto expected = [&] {
        return scalar(ws.db(), u"SELECT min(valid_end_time) FROM exceptions WHERE tenant_id = 'acme' AND "
                               "status IN ('pending', 'approved') AND valid_end_time > %1"_s.arg(nowMs));
    };
    ExceptionRepository repository(ws.db());
    auto next = repository.nextWindowEnd(u"acme"_s, now);
    QVERIFY(next && next.value());
    QCOMPARE(timestamps::toMs(*next.value()), expected());
    // A rejected one ending sooner does not count; an approved one does.
    QSqlQuery q(ws.db());
    QVERIFY(
        q.exec(u"UPDATE exceptions SET valid_end_time = %1 WHERE record_id = (SELECT record_id FROM "
               "exceptions WHERE tenant_id = 'acme' AND status = 'rejected' LIMIT 1)"_s.arg(nowMs + 1000)));
    QCOMPARE(timestamps::toMs(*repository.nextWindowEnd(u"acme"_s, now).value()), expected());
    QVERIFY(
        q.exec(u"UPDATE exceptions SET valid_end_time = %1 WHERE record_id = (SELECT record_id FROM "
               "exceptions WHERE tenant_id = 'acme' AND status = 'approved' LIMIT 1)"_s.arg(nowMs + 500)));
    QCOMPARE(timestamps::toMs(*repository.nextWindowEnd(u"acme"_s, now).value()), nowMs + 500);
    // Past every end: nothing to wait for.
    next = repository.nextWindowEnd(u"acme"_s, now.addYears(50));
    QVERIFY(next && !next.value());
}

void WorkspaceTest::initTestCase() {
    // What a desktop remembers (chain heads, file identities, damage) goes to this test's own settings file.
    QVERIFY(riskdesk::test::settings().fileName().startsWith(riskdesk::test::TemporaryConfig::configHome() +
                                                             u'/'));
}

namespace {

// A closed copy of a small demo workspace (the journal folded into the file), for tests that damage files.
QString demoCopy(const QTemporaryDir& dir, const QString& name) {
    static QTemporaryDir templateDir;
    static QString templatePath;
    if (templatePath.isEmpty()) {
        templatePath = templateDir.filePath(u"template.riskdesk"_s);
        DemoOptions options;
        options.exceptions = 400;
        options.seed = 11;
        options.anchor = TestWorkspace::fixedAnchor();
        if (auto built = DemoWorkspaceBuilder::buildFile(riskdesk::test::settings(), templatePath, options);
            !built)
            qFatal("%s", qPrintable(built.problem().message));
    }
    const QString path = dir.filePath(name);
    if (!QFile::copy(templatePath, path))
        qFatal("cannot copy the demo");
    QFile(path).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    return path;
}

// Overwrites the middle leaf page of a table (or its only page) with random bytes, as a disk fault would.
void damageOnePageOf(const QString& path, const QString& table) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    const QByteArray sql = "SELECT pageno FROM dbstat WHERE name = ?1 AND pagetype = 'leaf' ORDER BY pageno";
    sqlite3_prepare_v2(db, sql.constData(), -1, &st, nullptr);
    const QByteArray name = table.toUtf8();
    sqlite3_bind_text(st, 1, name.constData(), -1, SQLITE_STATIC);
    QList<qint64> pages;
    while (sqlite3_step(st) == SQLITE_ROW)
        pages << sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_stmt* size = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &size, nullptr);
    sqlite3_step(size);
    const qint64 pageSize = sqlite3_column_int64(size, 0);
    sqlite3_finalize(size);
    sqlite3_close(db);
    if (pages.isEmpty())
        qFatal("no leaf page of %s", qPrintable(table));
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        qFatal("cannot open %s", qPrintable(path));
    std::mt19937 rng(17);
    QByteArray noise(pageSize, Qt::Uninitialized);
    for (char& c : noise)
        c = char(rng());
    file.seek((pages.at(pages.size() / 2) - 1) * pageSize);
    file.write(noise);
}

} // namespace

void WorkspaceTest::damagedPageIsAnErrorForEveryReader_data() {
    QTest::addColumn<QString>("table");
    for (const char* table : {"exceptions", "approval_log", "users", "rules", "tenants", "velocity_ledger"})
        QTest::newRow(table) << QString::fromLatin1(table);
}

void WorkspaceTest::damagedPageIsAnErrorForEveryReader() {
    QFETCH(QString, table);
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"damaged.riskdesk"_s);
    damageOnePageOf(path, table);
    Workspace w(riskdesk::test::settings());
    QVERIFY(w.openExisting(path, u"damaged"_s).ok()); // the header is fine: the damage is inside
    const QStringList tenants{u"acme"_s, u"globex"_s};
    // Every reader of the damaged table answers with an error, never with fewer rows.
    QList<Problem> problems;
    auto collect = [&](const auto& result) {
        if (!result)
            problems << result.problem();
    };
    if (table == u"exceptions") {
        for (const QString& t : tenants)
            collect(ExceptionRepository(w.db()).forEach(t, std::nullopt,
                                                        [](const RiskException&) { return true; }));
    } else if (table == u"approval_log") {
        for (const QString& t : tenants) {
            collect(ApprovalLogRepository(w.db()).verify(t, std::nullopt));
            QBuffer sink;
            sink.open(QIODevice::WriteOnly);
            LogFilter filter;
            filter.tenantId = t;
            collect(ApprovalLogRepository(w.db()).exportCsv(filter, &sink));
        }
    } else if (table == u"users") {
        collect(DirectoryRepository(w.db()).allMemberships());
    } else if (table == u"rules") {
        for (const QString& t : tenants)
            collect(DirectoryRepository(w.db()).rules(t));
    } else if (table == u"tenants") {
        collect(DirectoryRepository(w.db()).tenants());
    } else if (table == u"velocity_ledger") {
        for (const QString& t : tenants) {
            AssessmentSession session(AssessmentPolicy::reference());
            collect(AssessmentStore(w.db(), t).load(session));
        }
    }
    QVERIFY2(!problems.isEmpty(), "a reader of the damaged table answered as if nothing were wrong");
    for (const Problem& p : problems) {
        QCOMPARE(p.code, u"workspace_damaged"_s);
        QVERIFY2(p.message.contains(u"damaged"_s) && p.message.contains(u"backup"_s), qPrintable(p.message));
    }
    // And the check that reads the whole file finds it too.
    const Status checked = w.check(IntegrityDepth::Quick);
    QVERIFY(!checked.ok());
    QCOMPARE(checked.problem().code, u"workspace_damaged"_s);
}

void WorkspaceTest::damageIsRememberedAndRefusesWrites() {
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"remembered.riskdesk"_s);
    damageOnePageOf(path, u"target_events"_s);
    {
        Workspace w(riskdesk::test::settings());
        QVERIFY(w.openExisting(path, u"first"_s).ok());
        // A file this desktop has not seen whole since it changed is read whole before it is used (here at
        // once: as a copy it takes an identity of its own, which is written only into a sound file).
        QVERIFY(!w.ensureVerified().ok());
        QVERIFY(w.writeRefusal());
        QSqlQuery write(w.db());
        QVERIFY(!write.exec(u"INSERT INTO tenants (tenant_id, name) VALUES ('x', 'x')"_s));
    }
    {
        Workspace again(riskdesk::test::settings()); // a later opening, in another process as far as it knows
        QVERIFY(again.openExisting(path, u"second"_s).ok());
        const auto refusal = again.writeRefusal();
        QVERIFY(refusal);
        QCOMPARE(refusal->code, u"workspace_damaged"_s);
        QVERIFY2(refusal->message.contains(u"found damaged on"_s), qPrintable(refusal->message));
        QSqlQuery write(again.db());
        QVERIFY(!write.exec(u"INSERT INTO tenants (tenant_id, name) VALUES ('x', 'x')"_s));
    }
    // A file put back from a backup is a different file: the record no longer holds.
    QFile::remove(path);
    const QString restored = demoCopy(dir, u"remembered.riskdesk"_s);
    Workspace fresh(riskdesk::test::settings());
    QVERIFY(fresh.openExisting(restored, u"restored"_s).ok());
    QVERIFY(!fresh.writeRefusal());
    QVERIFY(fresh.check(IntegrityDepth::Full).ok());
    // Once found sound, an unchanged file is not read again; a changed one is.
    fresh.close();
    Workspace unchanged(riskdesk::test::settings());
    QVERIFY(unchanged.openExisting(restored, u"unchanged"_s).ok());
    QVERIFY(unchanged.ensureVerified().ok());
    unchanged.close();
    damageOnePageOf(restored, u"risk_assessments"_s);
    Workspace changed(riskdesk::test::settings());
    QVERIFY(changed.openExisting(restored, u"changed"_s).ok());
    QVERIFY(!changed.ensureVerified().ok());
}

void WorkspaceTest::cutOffFileIsRefusedAtOpening() {
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"cut.riskdesk"_s);
    QVERIFY(QFile::resize(path, QFileInfo(path).size() / 2));
    Workspace w(riskdesk::test::settings());
    const Status s = w.openExisting(path, u"cut"_s);
    QVERIFY(!s.ok());
    QCOMPARE(s.problem().code, u"workspace_damaged"_s);
    QVERIFY2(s.problem().message.contains(u"cut off"_s), qPrintable(s.problem().message));
}

void WorkspaceTest::openExistingCreatesNothing() {
    QTemporaryDir dir;
    const QString missing = dir.filePath(u"typo/workspace.riskdesk"_s);
    Workspace w(riskdesk::test::settings());
    Status s = w.openExisting(missing, u"missing"_s);
    QVERIFY(!s.ok());
    QCOMPARE(s.problem().code, u"workspace_missing"_s);
    QVERIFY(!QFileInfo::exists(missing));
    QVERIFY(!QFileInfo::exists(dir.filePath(u"typo"_s)));
    // An empty file is not a new workspace, whichever way it is opened.
    const QString empty = dir.filePath(u"empty.riskdesk"_s);
    QFile(empty).open(QIODevice::WriteOnly);
    s = w.openExisting(empty, u"empty"_s);
    QCOMPARE(s.problem().code, u"workspace_empty"_s);
    s = w.open(empty, u"empty2"_s);
    QCOMPARE(s.problem().code, u"workspace_empty"_s);
    QCOMPARE(QFileInfo(empty).size(), 0);
    // Another program's SQLite database is not taken over by the migrations.
    const QString foreign = dir.filePath(u"other.db"_s);
    {
        sqlite3* db = nullptr;
        sqlite3_open(foreign.toUtf8().constData(), &db);
        sqlite3_exec(db, "CREATE TABLE notes (body TEXT)", nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    s = w.openExisting(foreign, u"foreign"_s);
    QVERIFY(!s.ok());
    QVERIFY2(s.problem().message.contains(u"not a Riskdesk workspace"_s), qPrintable(s.problem().message));
}

void WorkspaceTest::readOnlyOpeningReadsButNeverWrites() {
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"evidence.riskdesk"_s);
    const QByteArray before = [&] {
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }();
    {
        Workspace w(riskdesk::test::settings());
        QVERIFY(w.openExisting(path, u"evidence"_s, WorkspaceAccess::ReadOnly).ok());
        QVERIFY(w.isReadOnly());
        QVERIFY(w.writeRefusal());
        QCOMPARE(w.writeRefusal()->code, u"workspace_read_only"_s);
        auto verified = ApprovalLogRepository(w.db()).verify(u"acme"_s, std::nullopt);
        QVERIFY(verified.ok());
        QVERIFY(verified.value().intact);
        QVERIFY(w.check(IntegrityDepth::Quick).ok());
        QSqlQuery write(w.db());
        QVERIFY(!write.exec(u"INSERT INTO tenants (tenant_id, name) VALUES ('x', 'x')"_s));
    }
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    QVERIFY2(f.readAll() == before, "a read-only opening changed the file");
}

void WorkspaceTest::copiedWorkspaceTakesItsOwnIdentity() {
    QTemporaryDir dir;
    const QString original = dir.filePath(u"a.riskdesk"_s);
    DemoOptions options;
    options.exceptions = 60;
    options.anchor = TestWorkspace::fixedAnchor();
    QVERIFY(DemoWorkspaceBuilder::buildFile(riskdesk::test::settings(), original, options).ok());
    const QString copy = dir.filePath(u"b.riskdesk"_s);
    QVERIFY(QFile::copy(original, copy));
    QString originalId;
    {
        Workspace a(riskdesk::test::settings());
        QVERIFY(a.openExisting(original, u"a"_s).ok());
        QVERIFY(a.notices().isEmpty());
        originalId = a.workspaceId();
        // The original moves on and its head is remembered, as `log verify` does.
        const QString record = pendingLowRiskRecord(a.db(), u"acme"_s);
        auto decided = DecisionService(a.db()).decide(u"acme"_s, record, u"li.wei"_s, DecisionAction::Approve,
                                                      {}, TestWorkspace::fixedAnchor().addSecs(60));
        QVERIFY2(decided.ok(), decided.ok() ? "" : qPrintable(decided.problem().message));
        auto verified = ApprovalLogRepository(a.db()).verify(u"acme"_s);
        QVERIFY(verified.ok() && verified.value().intact);
        ChainHeadMemory::remember(riskdesk::test::settings(), originalId, u"acme"_s, verified.value());
    }
    Workspace b(riskdesk::test::settings());
    QVERIFY(b.openExisting(copy, u"b"_s).ok());
    QVERIFY(b.workspaceId() != originalId);
    QCOMPARE(b.notices().size(), 1);
    QVERIFY2(b.notices().first().contains(u"copy"_s), qPrintable(b.notices().first()));
    // The copy's chain is its own: not held against the original's newer head, so intact.
    auto verified = ApprovalLogRepository(b.db()).verify(
        u"acme"_s, ChainHeadMemory::recall(riskdesk::test::settings(), b.workspaceId(), u"acme"_s));
    QVERIFY(verified.ok());
    QVERIFY2(verified.value().intact, qPrintable(verified.value().message));
    const QString copyId = b.workspaceId();
    b.close();
    // Both keep their identities from now on, quietly.
    Workspace again(riskdesk::test::settings());
    QVERIFY(again.openExisting(copy, u"b2"_s).ok());
    QCOMPARE(again.workspaceId(), copyId);
    QVERIFY(again.notices().isEmpty());
    again.close();
    QVERIFY(again.openExisting(original, u"a2"_s).ok());
    QCOMPARE(again.workspaceId(), originalId);
    QVERIFY(again.notices().isEmpty());
    // (A log cut short in the original's own file still fails against its remembered head:
    // chainDetectsEntriesCutFromTheEnd.)
}

namespace {

// Runs SQL on a closed workspace file as another program would, triggers and all.
void editFile(const QString& path, const char* sql) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    const QString message = QString::fromUtf8(error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, qPrintable(message));
}

// Verifies a tenant's log against the head remembered for the workspace's identity, and remembers the new
// head when it holds, as `log verify` does.
ChainVerification verifyAsTheDesktopDoes(AppSettings& settings, Workspace& w, const QString& tenant) {
    auto verified = ApprovalLogRepository(w.db()).verify(
        tenant, ChainHeadMemory::recall(settings, w.workspaceId(), tenant));
    if (!verified)
        qFatal("%s", qPrintable(verified.problem().message));
    if (verified.value().intact)
        ChainHeadMemory::remember(settings, w.workspaceId(), tenant, verified.value());
    return verified.value();
}

// Opens the file and verifies acme's log as the desktop does (what a later edit must not undo); its identity.
QString openAndVerifyAcme(AppSettings& desktop, const QString& path) {
    Workspace w(desktop);
    if (!w.openExisting(path, u"first"_s).ok() || !verifyAsTheDesktopDoes(desktop, w, u"acme"_s).intact)
        qFatal("%s could not be opened and verified", qPrintable(path));
    return w.workspaceId();
}

} // namespace

void WorkspaceTest::copyOpenedBeforeItsOriginalIsTheCopy() {
    // Both files arrive on a desktop that knows neither (its own settings): the copy is opened first.
    QTemporaryDir dir;
    const QString original = dir.filePath(u"a.riskdesk"_s);
    DemoOptions options;
    options.exceptions = 60;
    options.anchor = TestWorkspace::fixedAnchor();
    QVERIFY(DemoWorkspaceBuilder::buildFile(riskdesk::test::settings(), original, options).ok());
    const QString copy = dir.filePath(u"b.riskdesk"_s);
    QVERIFY(QFile::copy(original, copy));
    AppSettings desktop(dir.filePath(u"other-desktop.ini"_s));
    QString originalId;
    {
        Workspace b(desktop);
        QVERIFY(b.openExisting(copy, u"b"_s).ok());
        QCOMPARE(b.notices().size(), 1);
        // The copy is the file named as one, and the original is named as its source.
        QVERIFY2(b.notices().first().startsWith(copy + u" is a copy of "_s +
                                                QFileInfo(original).canonicalFilePath()),
                 qPrintable(b.notices().first()));
    }
    Workspace a(desktop);
    QVERIFY(a.openExisting(original, u"a"_s).ok());
    QVERIFY2(a.notices().isEmpty(), qPrintable(a.notices().join(u'\n')));
    QSqlQuery q(a.db());
    QVERIFY(q.exec(u"SELECT value FROM workspace_meta WHERE key = 'workspace_id'"_s) && q.next());
    QCOMPARE(a.workspaceId(), q.value(0).toString()); // the original kept its identity
}

void WorkspaceTest::editedIdentityKeepsTheHeadsVerifiedInTheFile() {
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"edited.riskdesk"_s);
    AppSettings desktop(dir.filePath(u"desktop.ini"_s));
    ChainHead verifiedHead;
    QString verifiedId;
    {
        Workspace w(desktop);
        QVERIFY(w.openExisting(path, u"first"_s).ok());
        const ChainVerification v = verifyAsTheDesktopDoes(desktop, w, u"acme"_s);
        QVERIFY(v.intact);
        verifiedHead = v.head;
        verifiedId = w.workspaceId();
    }
    // Only the identity edited: the log is the one verified, and still holds.
    editFile(path, "UPDATE workspace_meta SET value = '0000000000000000000000000000000a' WHERE key = "
                   "'workspace_id'");
    {
        Workspace w(desktop);
        QVERIFY(w.openExisting(path, u"renamed"_s).ok());
        QCOMPARE(w.workspaceId(), u"0000000000000000000000000000000a"_s);
        QCOMPARE(w.notices().size(), 1);
        QVERIFY2(
            w.notices().first().contains(u"held workspace %1"_s.arg(verifiedId)) &&
                w.notices().first().contains(u"now says it is workspace 0000000000000000000000000000000a"_s),
            qPrintable(w.notices().first()));
        QVERIFY(verifyAsTheDesktopDoes(desktop, w, u"acme"_s).intact);
    }
    // Entries cut from the end and the identity edited again: still caught against the head verified then.
    editFile(path, "DROP TRIGGER approval_log_no_delete;"
                   "DELETE FROM approval_log WHERE tenant_id = 'acme' AND seq > (SELECT max(seq) - 3 FROM "
                   "approval_log WHERE tenant_id = 'acme');"
                   "UPDATE workspace_meta SET value = '0000000000000000000000000000000b' WHERE key = "
                   "'workspace_id'");
    Workspace w(desktop);
    QVERIFY(w.openExisting(path, u"forged"_s).ok());
    QCOMPARE(w.notices().size(), 1);
    QVERIFY2(w.notices().first().contains(u"approval log of acme"_s), qPrintable(w.notices().first()));
    const ChainVerification cut = verifyAsTheDesktopDoes(desktop, w, u"acme"_s);
    QVERIFY(!cut.intact);
    QCOMPARE(cut.firstBrokenSeq, verifiedHead.seq - 2);
    QVERIFY2(cut.message.contains(u"removed from the end"_s), qPrintable(cut.message));
}

void WorkspaceTest::anotherWorkspaceInPlaceIsVerifiedAfresh() {
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"place.riskdesk"_s);
    AppSettings desktop(dir.filePath(u"desktop.ini"_s));
    openAndVerifyAcme(desktop, path);
    // Another demo (another seed: another log from its first entry) copied over it.
    const QString other = dir.filePath(u"other.riskdesk"_s);
    DemoOptions options;
    options.exceptions = 40;
    options.seed = 99;
    options.anchor = TestWorkspace::fixedAnchor();
    QVERIFY(DemoWorkspaceBuilder::buildFile(desktop, other, options).ok());
    QVERIFY(QFile::remove(path));
    QVERIFY(QFile::copy(other, path));
    QVERIFY(QFile::remove(other));
    Workspace w(desktop);
    QVERIFY(w.openExisting(path, u"replaced"_s).ok());
    QCOMPARE(w.notices().size(), 1);
    QVERIFY2(w.notices().first().contains(u"now holds another workspace"_s), qPrintable(w.notices().first()));
    const ChainVerification v = verifyAsTheDesktopDoes(desktop, w, u"acme"_s);
    QVERIFY2(v.intact, qPrintable(v.message));
}

namespace {

// Cuts the last three entries of acme's log, as someone with the file and the sqlite3 tool can.
void cutAcme(const QString& path, const char* andThen = "") {
    editFile(path,
             (QByteArray("DROP TRIGGER approval_log_no_delete;"
                         "DELETE FROM approval_log WHERE tenant_id = 'acme' AND seq > (SELECT max(seq) - 3 "
                         "FROM approval_log WHERE tenant_id = 'acme');") +
              andThen)
                 .constData());
}

} // namespace

// A symbolic or a hard link to the file is the file: opened by its other name after a cut, it is neither "a
// copy of itself" nor given an identity that would drop what was verified in it.
void WorkspaceTest::aLinkToTheFileIsTheFile() {
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"linked.riskdesk"_s);
    AppSettings desktop(dir.filePath(u"desktop.ini"_s));
    const QString id = openAndVerifyAcme(desktop, path);
    const QString hardLink = dir.filePath(u"other-name.riskdesk"_s);
    QCOMPARE(::link(QFile::encodeName(path).constData(), QFile::encodeName(hardLink).constData()), 0);
    {
        Workspace w(desktop);
        QVERIFY(w.openExisting(hardLink, u"hard"_s).ok());
        QVERIFY2(w.notices().isEmpty(), qPrintable(w.notices().join(u'\n')));
        QCOMPARE(w.workspaceId(), id);
    }
    QVERIFY(QFile::remove(hardLink));
    cutAcme(path);
    QVERIFY(QDir(dir.path()).mkdir(u"hidden"_s));
    const QString moved = dir.filePath(u"hidden/linked.riskdesk"_s);
    QVERIFY(QFile::rename(path, moved));
    QVERIFY(QFile::link(moved, path));
    Workspace w(desktop);
    QVERIFY(w.openExisting(path, u"symbolic"_s).ok());
    for (const QString& notice : w.notices())
        QVERIFY2(!notice.contains(u"is a copy of"_s), qPrintable(notice));
    QCOMPARE(w.workspaceId(), id);
    const ChainVerification v = verifyAsTheDesktopDoes(desktop, w, u"acme"_s);
    QVERIFY(!v.intact);
    QVERIFY2(v.message.contains(u"removed from the end"_s), qPrintable(v.message));
}

// Cut, given another identity and moved where this desktop never saw it: its logs start as those of the
// workspace verified here whose file is gone, so it is that workspace, held to what was verified.
void WorkspaceTest::aMovedFileWithAnEditedIdentityIsHeldByItsLogs() {
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"moving.riskdesk"_s);
    AppSettings desktop(dir.filePath(u"desktop.ini"_s));
    openAndVerifyAcme(desktop, path);
    // A copy taken while the original is in place is a copy: verified on its own, and intact.
    const QString copy = dir.filePath(u"copy.riskdesk"_s);
    QVERIFY(QFile::copy(path, copy));
    {
        Workspace w(desktop);
        QVERIFY(w.openExisting(copy, u"copy"_s).ok());
        QVERIFY2(w.notices().join(u' ').contains(u"is a copy of"_s), qPrintable(w.notices().join(u' ')));
        QVERIFY(verifyAsTheDesktopDoes(desktop, w, u"acme"_s).intact);
    }
    QVERIFY(QFile::remove(copy));
    cutAcme(path, "UPDATE workspace_meta SET value = '0000000000000000000000000000000c' WHERE key = "
                  "'workspace_id';");
    const QString moved = dir.filePath(u"elsewhere.riskdesk"_s);
    QVERIFY(QFile::rename(path, moved));
    Workspace w(desktop);
    QVERIFY(w.openExisting(moved, u"moved"_s).ok());
    QVERIFY2(w.notices().join(u' ').contains(u"is new to this desktop, but its approval log of acme"_s),
             qPrintable(w.notices().join(u' ')));
    const ChainVerification v = verifyAsTheDesktopDoes(desktop, w, u"acme"_s);
    QVERIFY(!v.intact);
    QVERIFY2(v.message.contains(u"removed from the end"_s), qPrintable(v.message));
}

// One tenant's log still starting with the entry verified proves the file the same workspace: a tenant
// whose first entry changed along with the identity is held to its old head too, not verified afresh.
void WorkspaceTest::oneTenantsNewFirstEntryDoesNotFreeItsLog() {
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"rooted.riskdesk"_s);
    AppSettings desktop(dir.filePath(u"desktop.ini"_s));
    QString id;
    {
        Workspace w(desktop);
        QVERIFY(w.openExisting(path, u"first"_s).ok());
        QVERIFY(verifyAsTheDesktopDoes(desktop, w, u"acme"_s).intact);
        QVERIFY(verifyAsTheDesktopDoes(desktop, w, u"globex"_s).intact);
        id = w.workspaceId();
    }
    // As if acme's log had been rewritten from its first entry: its root no longer matches.
    auto acme = desktop.chainHead(id, u"acme"_s);
    QVERIFY(acme && !acme->root.isEmpty());
    acme->root = QByteArray(64, 'f');
    desktop.setChainHead(id, u"acme"_s, *acme);
    editFile(path, "UPDATE workspace_meta SET value = '0000000000000000000000000000000d' WHERE key = "
                   "'workspace_id'");
    Workspace w(desktop);
    QVERIFY(w.openExisting(path, u"renamed"_s).ok());
    QVERIFY2(w.notices().join(u' ').contains(u"The approval log of acme, globex is checked"_s),
             qPrintable(w.notices().join(u' ')));
    const auto held = desktop.chainHead(u"0000000000000000000000000000000d"_s, u"acme"_s);
    QVERIFY(held);
    QCOMPARE(held->seq, acme->seq);
}

// An identity removed from the file (or edited into something Riskdesk never writes) is replaced by a new
// one, and what was verified in the file still holds it: no two such files share one empty identity.
void WorkspaceTest::aMissingIdentityIsReplacedAndHeld() {
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"nameless.riskdesk"_s);
    AppSettings desktop(dir.filePath(u"desktop.ini"_s));
    openAndVerifyAcme(desktop, path);
    editFile(path, "DELETE FROM workspace_meta WHERE key = 'workspace_id'");
    QString replaced;
    {
        Workspace w(desktop);
        QVERIFY(w.openExisting(path, u"nameless"_s).ok());
        replaced = w.workspaceId();
        QCOMPARE(replaced.size(), 32);
        QVERIFY2(w.notices().join(u' ').contains(u"holds no valid workspace identity"_s),
                 qPrintable(w.notices().join(u' ')));
        QSqlQuery stored(w.db());
        QVERIFY(stored.exec(u"SELECT value FROM workspace_meta WHERE key = 'workspace_id'"_s) &&
                stored.next());
        QCOMPARE(stored.value(0).toString(), replaced);
        QVERIFY(verifyAsTheDesktopDoes(desktop, w, u"acme"_s).intact);
    }
    cutAcme(path, "UPDATE workspace_meta SET value = 'x' WHERE key = 'workspace_id';");
    Workspace w(desktop);
    QVERIFY(w.openExisting(path, u"edited"_s).ok());
    QVERIFY(w.workspaceId() != replaced && w.workspaceId() != u"x"_s);
    const ChainVerification v = verifyAsTheDesktopDoes(desktop, w, u"acme"_s);
    QVERIFY(!v.intact);
    QVERIFY2(v.message.contains(u"removed from the end"_s), qPrintable(v.message));
}

// The path of record is the file's own word: a FIFO named there is never opened (it would block for good).
void WorkspaceTest::aFifoAsPathOfRecordNeverBlocks() {
    QTemporaryDir dir;
    const QString path = demoCopy(dir, u"piped.riskdesk"_s);
    const QString fifo = dir.filePath(u"fifo"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    editFile(path, QByteArray("UPDATE workspace_meta SET value = '" + fifo.toUtf8() +
                              "' WHERE key = 'path_of_record'")
                       .constData());
    AppSettings desktop(dir.filePath(u"desktop.ini"_s));
    QElapsedTimer timer;
    timer.start();
    Workspace w(desktop);
    QVERIFY(w.openExisting(path, u"piped"_s).ok());
    QVERIFY(timer.elapsed() < 30000);
    for (const QString& notice : w.notices())
        QVERIFY2(!notice.contains(u"is a copy of"_s), qPrintable(notice));
}

void WorkspaceTest::demoFileIsBuiltWholeOrNotAtAll() {
    QTemporaryDir dir;
    const QString path = dir.filePath(u"demo.riskdesk"_s);
    DemoOptions options;
    options.exceptions = 50;
    options.anchor = TestWorkspace::fixedAnchor();
    bool sawPartial = false;
    options.progress = [&](qint64, qint64) {
        // While it is being built, nothing is at the target's name.
        sawPartial =
            !QFileInfo::exists(path) &&
            QFileInfo::exists(path + u".partial-"_s + QString::number(QCoreApplication::applicationPid()));
    };
    auto built = DemoWorkspaceBuilder::buildFile(riskdesk::test::settings(), path, options);
    QVERIFY2(built.ok(), built.ok() ? "" : qPrintable(built.problem().message));
    QVERIFY(sawPartial);
    QVERIFY(QFileInfo::exists(path));
    QVERIFY(QDir(dir.path()).entryList({u"*.partial-*"_s}).isEmpty());
    // A second demo over a workspace holding data is refused and leaves it as it was.
    const qint64 size = QFileInfo(path).size();
    auto again = DemoWorkspaceBuilder::buildFile(riskdesk::test::settings(), path, options);
    QVERIFY(!again.ok());
    QCOMPARE(again.problem().code, u"workspace_not_empty"_s);
    QCOMPARE(QFileInfo(path).size(), size);
    // What a killed build left behind is cleared by the next one.
    const QString other = dir.filePath(u"other.riskdesk"_s);
    QFile leftover(other + u".partial-999999999"_s); // a build whose process is gone
    QVERIFY(leftover.open(QIODevice::WriteOnly));
    leftover.write("half a workspace");
    leftover.close();
    QVERIFY(DemoWorkspaceBuilder::buildFile(riskdesk::test::settings(), other, options).ok());
    QVERIFY(!QFileInfo::exists(other + u".partial-999999999"_s));
    Workspace w(riskdesk::test::settings());
    QVERIFY(w.openExisting(other, u"other"_s).ok());
    QVERIFY(w.check(IntegrityDepth::Full).ok());
}

void WorkspaceTest::csvEscapesWhatASpreadsheetWouldRun_data() {
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QString>("written");
    QTest::newRow("plain") << u"Looks fine"_s << u"Looks fine"_s;
    QTest::newRow("chinese") << u"同意，已核实"_s << u"同意，已核实"_s;
    QTest::newRow("formula =") << u"=HYPERLINK(\"x\")"_s << u"'=HYPERLINK(\"x\")"_s;
    QTest::newRow("formula +") << u"+1"_s << u"'+1"_s;
    QTest::newRow("formula -") << u"-2+3"_s << u"'-2+3"_s;
    QTest::newRow("formula @") << u"@SUM(A1)"_s << u"'@SUM(A1)"_s;
    QTest::newRow("leading quote") << u"'quoted"_s << u"''quoted"_s;
    QTest::newRow("escape") << u"a\x1b[31mred"_s << u"a\\u{001B}[31mred"_s;
    QTest::newRow("bidi override") << u"abc\u202Eevil"_s << u"abc\\u{202E}evil"_s;
    QTest::newRow("tab first") << u"\t=1"_s << u"\\u{0009}=1"_s;
    QTest::newRow("carriage return") << u"a\rb"_s << u"a\\u{000D}b"_s;
    QTest::newRow("backslash") << u"C:\\temp\\u{0041}"_s << u"C:\\\\temp\\\\u{0041}"_s;
    QTest::newRow("line feed kept") << u"two\nlines"_s << u"two\nlines"_s;
}

void WorkspaceTest::csvEscapesWhatASpreadsheetWouldRun() {
    QFETCH(QString, stored);
    QFETCH(QString, written);
    QCOMPARE(ApprovalLogCsv::escapeText(stored), written);
    QCOMPARE(ApprovalLogCsv::unescapeText(written), std::optional<QString>(stored));
}

void WorkspaceTest::csvExportVerifiesOnItsOwn() {
    TestWorkspace ws(60);
    // Hostile comments, stored exactly, through the ordinary decision path.
    const QStringList hostile{u"=cmd|' /C calc'!A0"_s, u"\x1b]0;owned\x07"_s, u"ok\u202Etxt.exe"_s,
                              u"a,b \"c\"\nd"_s, u"\\u{001B} is not an escape here"_s};
    QSqlQuery q(ws.db());
    const QDateTime now = TestWorkspace::fixedAnchor().addSecs(60);
    QVERIFY(q.exec(
        u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' AND "
        "applicant_id <> 'li.wei' AND current_approver_id IN ('', 'li.wei') AND "
        "approval_chain_log NOT LIKE '%li.wei%' AND valid_end_time > %1 ORDER BY record_id LIMIT 5"_s.arg(
            timestamps::toMs(now))));
    QStringList records;
    while (q.next())
        records << q.value(0).toString();
    QCOMPARE(records.size(), hostile.size());
    for (int i = 0; i < hostile.size(); ++i) {
        auto d = DecisionService(ws.db()).decide(u"acme"_s, records.at(i), u"li.wei"_s,
                                                 DecisionAction::Reject, hostile.at(i), now);
        if (!TextRules::firstControl(hostile.at(i))) {
            QVERIFY2(d.ok(), d.ok() ? "" : qPrintable(d.problem().message));
            continue;
        }
        // Typed now, a control character is refused; a log written by an earlier version may hold one.
        QVERIFY(!d.ok());
        WriteTransaction tx(ws.db());
        QVERIFY(tx.begun().ok());
        ApprovalLogEntry entry;
        entry.tenantId = u"acme"_s;
        entry.recordId = records.at(i);
        entry.actorId = u"li.wei"_s;
        entry.action = u"reject"_s;
        entry.comment = hostile.at(i);
        entry.statusAfter = u"rejected"_s;
        entry.at = now;
        QVERIFY(ApprovalLogRepository(ws.db()).append(entry).ok());
        QVERIFY(tx.commit().ok());
    }
    QBuffer file;
    file.open(QIODevice::WriteOnly);
    LogFilter filter;
    filter.tenantId = u"acme"_s;
    QVERIFY(ApprovalLogRepository(ws.db()).exportCsv(filter, &file).ok());
    const QByteArray bytes = file.data();
    QVERIFY(!bytes.contains('\x1b'));
    QVERIFY(!bytes.contains('\x07'));
    QVERIFY(!bytes.contains(QByteArray("\u202E")));
    QVERIFY(bytes.contains(",'=cmd|"));

    QBuffer in;
    in.setData(bytes);
    in.open(QIODevice::ReadOnly);
    auto verified = ApprovalLogCsv::verify(&in);
    QVERIFY2(verified.ok(), verified.ok() ? "" : qPrintable(verified.problem().message));
    QVERIFY2(verified.value().intact, qPrintable(verified.value().message));
    QVERIFY(verified.value().startsAtGenesis);
    QVERIFY(verified.value().complete);
    QCOMPARE(verified.value().gaps, 0);
    QCOMPARE(verified.value().entries,
             scalar(ws.db(), u"SELECT count(*) FROM approval_log WHERE tenant_id = 'acme'"_s));

    // One character changed in one comment: the file says where.
    QByteArray tampered = bytes;
    const qsizetype at = tampered.indexOf("calc");
    tampered[at] = 'k';
    QBuffer bad;
    bad.setData(tampered);
    bad.open(QIODevice::ReadOnly);
    auto caught = ApprovalLogCsv::verify(&bad);
    QVERIFY(caught.ok());
    QVERIFY(!caught.value().intact);
    QVERIFY(caught.value().firstBrokenLine > 1);
    QVERIFY2(caught.value().message.contains(u"does not match its hash"_s),
             qPrintable(caught.value().message));

    // A filtered export is intact but says it is a selection.
    QBuffer some;
    some.open(QIODevice::WriteOnly);
    filter.action = u"reject"_s;
    QVERIFY(ApprovalLogRepository(ws.db()).exportCsv(filter, &some).ok());
    QBuffer someIn;
    someIn.setData(some.data());
    someIn.open(QIODevice::ReadOnly);
    auto partial = ApprovalLogCsv::verify(&someIn);
    QVERIFY(partial.ok());
    QVERIFY(partial.value().intact);
    QVERIFY(!partial.value().complete);
    QVERIFY(partial.value().gaps > 0 || !partial.value().startsAtGenesis);

    // Not this format at all: a problem naming the line.
    QBuffer junk;
    junk.setData("name,amount\r\nx,1\r\n");
    junk.open(QIODevice::ReadOnly);
    auto refused = ApprovalLogCsv::verify(&junk);
    QVERIFY(!refused.ok());
    QVERIFY(refused.problem().message.startsWith(u"Line 1"_s));
}

QTEST_GUILESS_MAIN(WorkspaceTest)
#include "tst_workspace.moc"
