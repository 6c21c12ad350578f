// Assignment and escalation (issue 13) against real SQLite workspaces and real widgets (offscreen): the pure
// rules beside the state machine's, the SLA mark at its boundary, the log of every change, the queue's
// filters, the context menu and shortcuts, and the command line. The server side is in tst_server.
#include "ExceptionDetailPanel.h"
#include "QueuePage.h"
#include "TemporaryConfig.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "domain/AssignmentRules.h"
#include "domain/SlaTarget.h"
#include "domain/Timestamps.h"
#include "item/ExceptionQueueModel.h"
#include "store/ApprovalLogRepository.h"
#include "store/AssignmentService.h"
#include "store/DatabaseThread.h"
#include "store/DecisionService.h"
#include "store/ExceptionRepository.h"
#include "store/Workspace.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>
#include <QTimeZone>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::TestWorkspace;

namespace {

const QString kTenant = u"acme"_s;

qint64 scalar(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0).toLongLong();
}

QString text(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0).toString();
}

// Pending exceptions of acme nobody acted on, no step-2 approver named, not applied for by our approvers.
QStringList untouchedPending(QSqlDatabase db, int n) {
    QSqlQuery q(db);
    q.prepare(u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' AND "
              "current_approver_id = '' AND approval_chain_log = '[]' ORDER BY record_id LIMIT ?"_s);
    q.addBindValue(n);
    if (!q.exec())
        qFatal("untouchedPending: %s", qPrintable(q.lastError().text()));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    if (q.lastError().isValid())
        qFatal("untouchedPending: %s", qPrintable(q.lastError().text()));
    return ids;
}

// The exception applied for `seconds` ago: its SLA is judged from then.
bool setAppliedAgo(QSqlDatabase db, const QString& id, qint64 seconds) {
    QSqlQuery q(db);
    return q.exec(u"UPDATE exceptions SET apply_time = %1 WHERE record_id = '%2'"_s
                      .arg(timestamps::toMs(QDateTime::currentDateTimeUtc().addSecs(-seconds)))
                      .arg(id));
}

bool opensOn(DatabaseThread& thread, const TestWorkspace& ws) {
    auto opened = thread.open(ws.path());
    opened.waitForFinished();
    return opened.result().ok();
}

// li.wei, an approver of acme, signed in to the workspace.
Session approverLiWei(const TestWorkspace& ws) {
    return Session{ws.path(), kTenant, u"Acme"_s, u"li.wei"_s, u"李伟"_s, UserRole::Approver, {}, {}};
}

// The page on screen and active (its shortcuts fire only in the active window), li.wei signed in, and the
// record shown in its row and in the panel.
void showOnActivePage(QueuePage& page, const TestWorkspace& ws, const QString& id) {
    page.resize(1300, 800);
    page.setSession(approverLiWei(ws));
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&page));
    page.showRecord(id);
    QTRY_VERIFY(page.model()->rowOf(id) >= 0);
    QTRY_COMPARE(page.detail()->recordId(), id);
}

RiskException pendingException() {
    RiskException e;
    e.recordId = u"exc-000000000001"_s;
    e.tenantId = kTenant;
    e.applicantId = u"wang.fang"_s;
    e.status = ExceptionStatus::Pending;
    e.applyTime = QDateTime(QDate(2026, 3, 1), QTime(8, 0), QTimeZone::utc());
    return e;
}

AssignmentRequest request(AssignmentAction action, const QString& assignee = {}) {
    AssignmentRequest r;
    r.exception = pendingException();
    r.action = action;
    r.actor = Actor{u"li.wei"_s, UserRole::Approver};
    r.assigneeId = assignee;
    r.approvers = {u"li.wei"_s, u"zhang.min"_s, u"sarah.chen"_s};
    r.leads = {u"sarah.chen"_s};
    r.now = r.exception.applyTime.addSecs(3600);
    return r;
}

QString refusal(const AssignmentRequest& r) {
    auto result = AssignmentRules::apply(r);
    return result ? QString() : result.problem().code;
}

} // namespace

class AssignmentTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rulesFollowTheStateMachine();
    void theSlaMarkStartsAfterTheTarget();
    void changesAreLoggedAndBindTheDecision();
    void anAssigneesFirstStepEndsTheirHold();
    void theQueueFiltersByAssignee();
    void theQueueSortsByAssigneeUnassignedLast();
    void escalationNeedsALeadAndAnOverdueException();
    void queueActionsOnRealWidgets();
    void keysThatWouldOpenAnEmptyMenuSayWhy();
    void aRoutedExceptionIsOfferedToItsApproverOnly();
    void aLeadMayReleaseTheRowShownAtSignIn();
    void aRecordAskedForAtSignInStaysShown();
    void theCommandLineAssignsClaimsAndReleases();
};

void AssignmentTest::initTestCase() {
    QCoreApplication::setOrganizationName(u"RiskdeskTest"_s);
    QCoreApplication::setApplicationName(u"tst_assignment"_s);
    QVERIFY(riskdesk::test::settings().fileName().startsWith(riskdesk::test::TemporaryConfig::configHome() +
                                                             u'/'));
}

void AssignmentTest::rulesFollowTheStateMachine() {
    auto claimed = AssignmentRules::apply(request(AssignmentAction::Claim));
    QVERIFY(claimed);
    QCOMPARE(claimed.value().assigneeId, u"li.wei"_s);
    QCOMPARE(claimed.value().version, 1);
    QVERIFY(!claimed.value().escalated);

    AssignmentRequest r = request(AssignmentAction::Assign, u"zhang.min"_s);
    QVERIFY(AssignmentRules::apply(r));
    r.actor.role = UserRole::Auditor; // only approvers assign
    QCOMPARE(refusal(r), u"not_an_approver"_s);
    r = request(AssignmentAction::Assign, u"wang.fang"_s); // the applicant is no approver
    QCOMPARE(refusal(r), u"not_an_approver"_s);
    r = request(AssignmentAction::Assign, u"zhang.min"_s);
    r.exception.applicantId = u"zhang.min"_s; // an approver who applied for it
    QCOMPARE(refusal(r), u"own_request"_s);
    r = request(AssignmentAction::Assign, u"zhang.min"_s);
    r.exception.approvalChainLog.append(ApprovalStep{u"zhang.min"_s, u"approve"_s, {}, r.now, 1});
    QCOMPARE(refusal(r), u"already_acted"_s);
    r = request(AssignmentAction::Assign, u"zhang.min"_s);
    r.exception.currentApproverId = u"sarah.chen"_s; // "only the current approver" decides step 2
    QCOMPARE(refusal(r), u"not_current_approver"_s);
    r.assigneeId = u"sarah.chen"_s;
    QVERIFY(AssignmentRules::apply(r));
    r = request(AssignmentAction::Assign, u"zhang.min"_s);
    r.exception.status = ExceptionStatus::Approved;
    QCOMPARE(refusal(r), u"not_pending"_s);
    r = request(AssignmentAction::Assign, u"   "_s);
    QCOMPARE(refusal(r), u"assignee_required"_s);

    // Release: only when assigned, by the assignee or a lead.
    r = request(AssignmentAction::Release);
    QCOMPARE(refusal(r), u"not_assigned"_s);
    r.current.assigneeId = u"zhang.min"_s;
    r.current.version = 3;
    QCOMPARE(refusal(r), u"not_yours"_s);
    r.actor.userId = u"sarah.chen"_s; // a lead
    auto released = AssignmentRules::apply(r);
    QVERIFY(released);
    QVERIFY(released.value().assigneeId.isEmpty());
    QCOMPARE(released.value().version, 4);
    r = request(AssignmentAction::Claim);
    r.current.assigneeId = u"li.wei"_s;
    QCOMPARE(refusal(r), u"unchanged"_s);

    // Escalation: to a lead, and only past the SLA.
    r = request(AssignmentAction::Escalate, u"zhang.min"_s);
    r.pastSla = true;
    QCOMPARE(refusal(r), u"not_a_lead"_s);
    r.assigneeId = u"sarah.chen"_s;
    r.pastSla = false;
    QCOMPARE(refusal(r), u"within_sla"_s);
    r.pastSla = true;
    auto escalated = AssignmentRules::apply(r);
    QVERIFY(escalated);
    QVERIFY(escalated.value().escalated);
    QCOMPARE(escalated.value().assigneeId, u"sarah.chen"_s);
}

void AssignmentTest::theSlaMarkStartsAfterTheTarget() {
    const QDateTime applied(QDate(2026, 3, 1), QTime(8, 0), QTimeZone::utc());
    QCOMPARE(SlaTarget::defaultMinutes(Severity::High), 480);
    QCOMPARE(SlaTarget::defaultMinutes(Severity::Critical), 240);
    QVERIFY(!SlaTarget::isPast(applied, 480, applied.addSecs(480 * 60)));        // exactly at the target
    QVERIFY(SlaTarget::isPast(applied, 480, applied.addMSecs(480 * 60000 + 1))); // one millisecond past
    QCOMPARE(SlaTarget::minutesOr(0, Severity::Low), 4320);
    QCOMPARE(SlaTarget::minutesOr(90, Severity::Low), 90);

    // In the queue: a mark and words in the age column, beside the colour.
    TestWorkspace ws(300, 7, QDateTime::currentDateTimeUtc());
    const QString id = untouchedPending(ws.db(), 1).value(0);
    QVERIFY(!id.isEmpty());
    const QString severity =
        text(ws.db(), u"SELECT r.severity FROM exceptions e JOIN rules r ON r.tenant_id = "
                      "e.tenant_id AND r.rule_id = e.risk_rule_id WHERE e.record_id = '%1'"_s.arg(id));
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"INSERT OR REPLACE INTO sla_policy VALUES ('acme', '%1', 90)"_s.arg(severity)));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 appliedMs = timestamps::toMs(now) - 90 * 60000; // exactly at the tenant's 90-minute target
    QVERIFY(q.exec(u"UPDATE exceptions SET apply_time = %1 WHERE record_id = '%2'"_s.arg(appliedMs).arg(id)));
    DatabaseThread thread(riskdesk::test::settings());
    auto opened = thread.open(ws.path());
    opened.waitForFinished();
    QVERIFY(opened.result().ok());
    ExceptionQueueModel model(&thread);
    QueueQuery query;
    query.filter.tenantId = kTenant;
    query.filter.recordIds = QStringList{id};
    model.setNow(timestamps::fromMs(appliedMs + 90 * 60000));
    model.setQuery(query);
    QTRY_COMPARE(model.rowCount(), 1);
    const QModelIndex age = model.index(0, int(QueueColumn::AppliedAt));
    QVERIFY(!model.data(age, ExceptionQueueModel::PastSlaRole).toBool());
    QVERIFY(!model.data(age).toString().contains(u"SLA"_s));
    model.setNow(timestamps::fromMs(appliedMs + 90 * 60000 + 60000));
    QVERIFY(model.data(age, ExceptionQueueModel::PastSlaRole).toBool());
    // The mark in the cell, the words for a screen reader and in the tooltip.
    QVERIFY2(model.data(age, Qt::AccessibleTextRole).toString().contains(u"past SLA (90 min)"_s),
             qPrintable(model.data(age, Qt::AccessibleTextRole).toString()));
    QVERIFY(model.data(age).toString().startsWith(QChar(0x23F0)));
    QVERIFY(!model.data(model.index(0, int(QueueColumn::Rule)), Qt::AccessibleTextRole).toString().isEmpty());
    QVERIFY(model.data(age, Qt::ToolTipRole).toString().contains(u"past it"_s));
}

void AssignmentTest::changesAreLoggedAndBindTheDecision() {
    TestWorkspace ws(300);
    const QString id = untouchedPending(ws.db(), 1).value(0);
    const QString row = u"SELECT status || ' v' || version || ' ' || current_approver_id || ' ' || "
                        "approval_chain_log FROM exceptions WHERE record_id = '%1'"_s.arg(id);
    const QString before = text(ws.db(), row);
    const qint64 logBefore = scalar(ws.db(), u"SELECT count(*) FROM approval_log"_s);
    const QString headBefore = text(ws.db(), u"SELECT hash FROM approval_log ORDER BY seq DESC LIMIT 1"_s);
    const qint64 outboxBefore = scalar(ws.db(), u"SELECT count(*) FROM outbox"_s);
    const QDateTime now = TestWorkspace::fixedAnchor();
    AssignmentService service(ws.db());

    auto claimed = service.change(kTenant, id, u"li.wei"_s, AssignmentAction::Claim, {}, now);
    QVERIFY2(claimed, claimed ? "" : qPrintable(claimed.problem().message));
    auto assigned =
        service.change(kTenant, id, u"li.wei"_s, AssignmentAction::Assign, u"zhang.min"_s, now.addSecs(60));
    QVERIFY(assigned);
    auto notYours = service.change(kTenant, id, u"li.wei"_s, AssignmentAction::Release, {}, now.addSecs(90));
    QVERIFY(!notYours);
    QCOMPARE(notYours.problem().code, u"not_yours"_s);
    auto released =
        service.change(kTenant, id, u"zhang.min"_s, AssignmentAction::Release, {}, now.addSecs(120));
    QVERIFY(released);
    auto stranger = service.change(kTenant, id, u"sun.yue"_s, AssignmentAction::Claim, {}, now); // an auditor
    QVERIFY(!stranger);
    QCOMPARE(stranger.problem().code, u"not_an_approver"_s);
    auto nobody = service.change(kTenant, id, u"no.such.user"_s, AssignmentAction::Claim, {}, now);
    QVERIFY(!nobody);

    // Who, when, from whom to whom: three changes, waiting to be pushed.
    auto history = service.history(kTenant, id);
    QVERIFY(history);
    QCOMPARE(history.value().size(), 3);
    const AssignmentEvent& first = history.value().at(0);
    QCOMPARE(first.actorId, u"li.wei"_s);
    QCOMPARE(first.action, AssignmentAction::Claim);
    QCOMPARE(first.fromId, QString());
    QCOMPARE(first.toId, u"li.wei"_s);
    QCOMPARE(first.at, now);
    QCOMPARE(history.value().at(1).fromId, u"li.wei"_s);
    QCOMPARE(history.value().at(1).toId, u"zhang.min"_s);
    QCOMPARE(history.value().at(2).actorId, u"zhang.min"_s);
    QCOMPARE(history.value().at(2).toId, QString());
    QCOMPARE(history.value().at(2).version, 3);
    for (const AssignmentEvent& e : history.value())
        QCOMPARE(e.syncState, u"waiting"_s);

    // The exception, the approval log and its chain, and the decisions' outbox are as they were.
    QCOMPARE(text(ws.db(), row), before);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM approval_log"_s), logBefore);
    QCOMPARE(text(ws.db(), u"SELECT hash FROM approval_log ORDER BY seq DESC LIMIT 1"_s), headBefore);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM outbox"_s), outboxBefore);
    QVERIFY(ApprovalLogRepository(ws.db()).verify(kTenant).value().intact);
    // The history keeps every change.
    QSqlQuery q(ws.db());
    QVERIFY(!q.exec(u"DELETE FROM assignment_log"_s));
    QVERIFY(!q.exec(u"UPDATE assignment_log SET to_id = 'someone'"_s));
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM assignment_log"_s), 3);

    // An assignment binds the decision: only its assignee decides, and anyone else is refused with nothing
    // stored until they claim it (a change the log keeps). A decided exception takes no assignment.
    QVERIFY(service.change(kTenant, id, u"li.wei"_s, AssignmentAction::Assign, u"sarah.chen"_s, now));
    auto refused = DecisionService(ws.db()).decide(kTenant, id, u"zhang.min"_s, DecisionAction::Reject,
                                                   u"not covered"_s, now);
    QVERIFY(!refused);
    QCOMPARE(refused.problem().code, u"assigned_to_another"_s);
    QVERIFY2(refused.problem().message.contains(u"sarah.chen"_s), qPrintable(refused.problem().message));
    QCOMPARE(text(ws.db(), row), before);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM approval_log"_s), logBefore);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM outbox"_s), outboxBefore);
    QVERIFY(service.change(kTenant, id, u"zhang.min"_s, AssignmentAction::Claim, {}, now));
    auto decided = DecisionService(ws.db()).decide(kTenant, id, u"zhang.min"_s, DecisionAction::Reject,
                                                   u"not covered"_s, now);
    QVERIFY2(decided, decided ? "" : qPrintable(decided.problem().message));
    QCOMPARE(decided.value().exception.status, ExceptionStatus::Rejected);
    auto late = service.change(kTenant, id, u"li.wei"_s, AssignmentAction::Claim, {}, now);
    QVERIFY(!late);
    QCOMPARE(late.problem().code, u"not_pending"_s);
}

void AssignmentTest::anAssigneesFirstStepEndsTheirHold() {
    TestWorkspace ws(300);
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(
        u"SELECT e.record_id FROM exceptions e JOIN rules r ON r.tenant_id = e.tenant_id AND "
        "r.rule_id = e.risk_rule_id WHERE e.tenant_id = 'acme' AND e.status = 'pending' AND "
        "e.current_approver_id = '' AND e.approval_chain_log = '[]' AND r.severity IN ('high', "
        "'critical') AND e.applicant_id NOT IN ('li.wei', 'zhang.min') ORDER BY e.record_id LIMIT 1"_s));
    QVERIFY(q.next());
    const QString id = q.value(0).toString();
    q.finish();
    const QDateTime now = TestWorkspace::fixedAnchor();
    AssignmentService service(ws.db());
    QVERIFY(service.change(kTenant, id, u"li.wei"_s, AssignmentAction::Claim, {}, now));
    auto first = DecisionService(ws.db()).decide(kTenant, id, u"li.wei"_s, DecisionAction::Approve, {}, now);
    QVERIFY2(first, first ? "" : qPrintable(first.problem().message));
    QVERIFY(!first.value().finalDecision);
    const QString next = first.value().exception.currentApproverId;
    QVERIFY(!next.isEmpty() && next != u"li.wei"_s);
    // Released by li.wei in the same transaction, logged and waiting to be pushed like any release.
    QCOMPARE(service.current(kTenant, id).value().assigneeId, QString());
    const QList<AssignmentEvent> history = service.history(kTenant, id).value();
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.last().action, AssignmentAction::Release);
    QCOMPARE(history.last().actorId, u"li.wei"_s);
    QCOMPARE(history.last().fromId, u"li.wei"_s);
    QCOMPARE(history.last().syncState, u"waiting"_s);
    QCOMPARE(text(ws.db(), u"SELECT assigned_to FROM exceptions WHERE record_id = '%1'"_s.arg(id)),
             QString());
    // The approver that step named decides the second.
    auto second = DecisionService(ws.db()).decide(kTenant, id, next, DecisionAction::Approve, {}, now);
    QVERIFY2(second, second ? "" : qPrintable(second.problem().message));
    QCOMPARE(second.value().exception.status, ExceptionStatus::Approved);
    QCOMPARE(service.history(kTenant, id).value().size(), 2); // a final decision releases nothing
}

void AssignmentTest::theQueueFiltersByAssignee() {
    TestWorkspace ws(300);
    const QStringList ids = untouchedPending(ws.db(), 3);
    QCOMPARE(ids.size(), 3);
    const QDateTime now = TestWorkspace::fixedAnchor();
    AssignmentService service(ws.db());
    QVERIFY(service.change(kTenant, ids.at(0), u"li.wei"_s, AssignmentAction::Claim, {}, now));
    QVERIFY(service.change(kTenant, ids.at(1), u"li.wei"_s, AssignmentAction::Assign, u"zhang.min"_s, now));
    QVERIFY(service.change(kTenant, ids.at(2), u"li.wei"_s, AssignmentAction::Claim, {}, now));
    QVERIFY(service.change(kTenant, ids.at(2), u"li.wei"_s, AssignmentAction::Release, {}, now)); // released

    auto allIds = [&](AssignmentFilter filter, const QString& who) {
        QueueQuery query;
        query.filter.tenantId = kTenant;
        query.filter.status = ExceptionStatus::Pending;
        query.filter.assignment = filter;
        query.filter.assigneeId = who;
        QStringList found;
        std::optional<QueueKey> after;
        for (;;) {
            auto page = ExceptionRepository(ws.db()).page(query, after, 50);
            if (!page)
                qFatal("%s", qPrintable(page.problem().message));
            for (const QueueRow& r : page.value().rows)
                found << r.recordId;
            if (!page.value().hasMore)
                return found;
            after = page.value().rows.last().key;
        }
    };
    // Whom a second step is routed to decides it next, assigned or not: it is theirs, and nobody's to take
    // (helper-90: "assigned to me" left them out, "unassigned" listed them).
    const auto routedTo = [&](const QString& approver) {
        QStringList routed;
        QSqlQuery q(ws.db());
        q.prepare(u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' AND "
                  "current_approver_id = ?"_s);
        q.addBindValue(approver);
        if (!q.exec())
            qFatal("routed: %s", qPrintable(q.lastError().text()));
        while (q.next())
            routed << q.value(0).toString();
        if (q.lastError().isValid())
            qFatal("routed: %s", qPrintable(q.lastError().text()));
        return routed;
    };
    const QStringList toLiWei = routedTo(u"li.wei"_s), toZhangMin = routedTo(u"zhang.min"_s);
    QVERIFY(!toLiWei.isEmpty() || !toZhangMin.isEmpty()); // the demo has second steps waiting
    const auto sorted = [](QStringList l) {
        l.sort();
        return l;
    };
    QCOMPARE(sorted(allIds(AssignmentFilter::AssignedTo, u"li.wei"_s)),
             sorted(QStringList{ids.at(0)} + toLiWei));
    QCOMPARE(sorted(allIds(AssignmentFilter::AssignedTo, u"zhang.min"_s)),
             sorted(QStringList{ids.at(1)} + toZhangMin));
    const qint64 pending = scalar(ws.db(), u"SELECT count(*) FROM exceptions WHERE tenant_id = 'acme' AND "
                                           "status = 'pending'"_s);
    const qint64 routed = scalar(ws.db(), u"SELECT count(*) FROM exceptions WHERE tenant_id = 'acme' AND "
                                          "status = 'pending' AND current_approver_id <> ''"_s);
    const QStringList unassigned = allIds(AssignmentFilter::Unassigned, {});
    QCOMPARE(unassigned.size(), pending - 2 - routed);
    QVERIFY(unassigned.contains(ids.at(2)));
    QVERIFY(!unassigned.contains(ids.at(0)));
    for (const QString& id : toLiWei + toZhangMin)
        QVERIFY2(!unassigned.contains(id), qPrintable(id));
    // The rows carry their assignee; the count for "select all matching" agrees with the pages.
    QueueQuery mine;
    mine.filter.tenantId = kTenant;
    mine.filter.assignment = AssignmentFilter::AssignedTo;
    mine.filter.assigneeId = u"zhang.min"_s;
    auto page = ExceptionRepository(ws.db()).page(mine, std::nullopt, 100);
    QVERIFY(page);
    QCOMPARE(page.value().rows.size(), 1 + toZhangMin.size());
    const auto assigned = std::find_if(page.value().rows.cbegin(), page.value().rows.cend(),
                                       [&](const QueueRow& r) { return r.recordId == ids.at(1); });
    QVERIFY(assigned != page.value().rows.cend());
    QCOMPARE(assigned->assigneeId, u"zhang.min"_s);
    QSqlQuery count(ws.db());
    QVERIFY(count.prepare(QueueSql::countMatching(mine.filter)));
    for (const QVariant& v : QueueSql::filterBindings(mine.filter, QueueSql::TextPlan::TrigramIndex))
        count.addBindValue(v);
    QVERIFY(count.exec() && count.next());
    QCOMPARE(count.value(0).toInt(), 1 + toZhangMin.size());
}

void AssignmentTest::theQueueSortsByAssigneeUnassignedLast() {
    // "Decides next" sorts by who works on the exception: the assignee, the unassigned last in either
    // direction, then the approver a two-step approval named; in SQL over the whole set, paged by key.
    TestWorkspace ws(400);
    const QStringList ids = untouchedPending(ws.db(), 6);
    QCOMPARE(ids.size(), 6);
    const QDateTime now = TestWorkspace::fixedAnchor();
    AssignmentService service(ws.db());
    QVERIFY(service.change(kTenant, ids.at(0), u"li.wei"_s, AssignmentAction::Assign, u"zhang.min"_s, now));
    QVERIFY(service.change(kTenant, ids.at(1), u"li.wei"_s, AssignmentAction::Claim, {}, now));
    QVERIFY(service.change(kTenant, ids.at(2), u"li.wei"_s, AssignmentAction::Assign, u"sarah.chen"_s, now));
    QVERIFY(service.change(kTenant, ids.at(3), u"li.wei"_s, AssignmentAction::Claim, {}, now));
    QVERIFY(service.change(kTenant, ids.at(4), u"li.wei"_s, AssignmentAction::Assign, u"zhang.min"_s, now));
    // Reassigned, then released: sorted with the unassigned.
    QVERIFY(service.change(kTenant, ids.at(5), u"li.wei"_s, AssignmentAction::Claim, {}, now));
    QVERIFY(service.change(kTenant, ids.at(5), u"li.wei"_s, AssignmentAction::Assign, u"zhang.min"_s, now));
    QVERIFY(service.change(kTenant, ids.at(5), u"zhang.min"_s, AssignmentAction::Release, {}, now));

    // The reference, from the assignments table itself (not the column the sort reads): every row of the
    // tenant with its assignee, its next approver and its rowid, ordered in C++.
    struct Raw {
        qint64 rowid;
        QString recordId, assignee, approver;
    };
    QList<Raw> rows;
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"SELECT e.rowid, e.record_id, coalesce(a.assignee_id, ''), e.current_approver_id "
                   "FROM exceptions e LEFT JOIN exception_assignments a ON a.tenant_id = e.tenant_id AND "
                   "a.record_id = e.record_id WHERE e.tenant_id = 'acme'"_s));
    while (q.next())
        rows << Raw{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                    q.value(3).toString()};
    QVERIFY(!q.lastError().isValid());
    QCOMPARE(std::count_if(rows.begin(), rows.end(), [](const Raw& r) { return !r.assignee.isEmpty(); }), 5);
    QVERIFY(std::any_of(rows.begin(), rows.end(), [](const Raw& r) { return !r.approver.isEmpty(); }));

    for (bool descending : {false, true}) {
        QueueQuery query;
        query.filter.tenantId = kTenant;
        query.sortColumn = QueueColumn::CurrentApprover;
        query.descending = descending;
        QStringList paged;
        std::optional<QueueKey> after;
        for (;;) { // pages of 7: the five assigned rows straddle a page boundary
            auto page = ExceptionRepository(ws.db()).page(query, after, 7);
            QVERIFY2(page, page ? "" : qPrintable(page.problem().message));
            for (const QueueRow& r : page.value().rows)
                paged << r.recordId;
            if (!page.value().hasMore)
                break;
            after = page.value().rows.last().key;
        }
        QList<Raw> expected = rows;
        std::sort(expected.begin(), expected.end(), [descending](const Raw& a, const Raw& b) {
            if (a.assignee.isEmpty() != b.assignee.isEmpty())
                return b.assignee.isEmpty(); // the unassigned last, whatever the direction
            int c = a.assignee.compare(b.assignee);
            if (c == 0)
                c = a.approver.compare(b.approver);
            if (c == 0)
                c = a.rowid < b.rowid ? -1 : a.rowid > b.rowid;
            return descending ? c > 0 : c < 0;
        });
        QStringList plain;
        for (const Raw& r : expected)
            plain << r.recordId;
        QCOMPARE(paged.size(), plain.size());
        QCOMPARE(paged, plain);
        // The assigned first, by assignee, each way; then the released one among the unassigned.
        QHash<QString, QString> assigneeOf;
        for (const Raw& r : rows)
            assigneeOf.insert(r.recordId, r.assignee);
        QStringList firstFive;
        for (const QString& id : paged.mid(0, 5))
            firstFive << assigneeOf.value(id);
        const QStringList ascendingNames{u"li.wei"_s, u"li.wei"_s, u"sarah.chen"_s, u"zhang.min"_s,
                                         u"zhang.min"_s};
        QStringList descendingNames = ascendingNames;
        std::reverse(descendingNames.begin(), descendingNames.end());
        QCOMPARE(firstFive, descending ? descendingNames : ascendingNames);
        QVERIFY(paged.indexOf(ids.at(5)) >= 5);
    }
}

void AssignmentTest::escalationNeedsALeadAndAnOverdueException() {
    TestWorkspace ws(300);
    const QString id = untouchedPending(ws.db(), 1).value(0);
    AssignmentService service(ws.db());
    auto applied = ExceptionRepository(ws.db()).get(kTenant, id).value().applyTime;
    const QDateTime within = applied.addSecs(60);
    const QDateTime overdue = applied.addDays(4); // past every default target (low: 3 days)
    QVERIFY(service.change(kTenant, id, u"li.wei"_s, AssignmentAction::Claim, {}, within));
    // The demo names one lead per tenant (acme: sarah.chen); another approver is no lead.
    QCOMPARE(service.leads(kTenant).value(), QStringList{u"sarah.chen"_s});
    auto noLead =
        service.change(kTenant, id, u"li.wei"_s, AssignmentAction::Escalate, u"omar.haddad"_s, overdue);
    QCOMPARE(noLead.problem().code, u"not_a_lead"_s);
    auto early =
        service.change(kTenant, id, u"li.wei"_s, AssignmentAction::Escalate, u"sarah.chen"_s, within);
    QCOMPARE(early.problem().code, u"within_sla"_s);
    auto escalated =
        service.change(kTenant, id, u"li.wei"_s, AssignmentAction::Escalate, u"sarah.chen"_s, overdue);
    QVERIFY2(escalated, escalated ? "" : qPrintable(escalated.problem().message));
    QVERIFY(escalated.value().assignment.escalated);
    QCOMPARE(escalated.value().event.fromId, u"li.wei"_s);
    QCOMPARE(service.current(kTenant, id).value().assigneeId, u"sarah.chen"_s);
    // The lead may hand it back; it is then no longer marked escalated.
    auto back = service.change(kTenant, id, u"sarah.chen"_s, AssignmentAction::Assign, u"li.wei"_s, overdue);
    QVERIFY(back);
    QVERIFY(!back.value().assignment.escalated);
}

void AssignmentTest::queueActionsOnRealWidgets() {
    TestWorkspace ws(300, 7, QDateTime::currentDateTimeUtc());
    const QString id = untouchedPending(ws.db(), 1).value(0);
    // Overdue: applied four days ago (every default target is shorter). The demo's lead of acme is
    // sarah.chen.
    QVERIFY(setAppliedAgo(ws.db(), id, 4 * 24 * 3600));
    DatabaseThread thread(riskdesk::test::settings());
    QVERIFY(opensOn(thread, ws));
    QueuePage page(&thread);
    showOnActivePage(page, ws, id);
    if (QTest::currentTestFailed())
        return;
    ExceptionQueueModel* model = page.model();
    const int row = model->rowOf(id);
    const QModelIndex assignedTo = model->index(row, int(QueueColumn::CurrentApprover));
    QVERIFY(model->data(model->index(row, int(QueueColumn::AppliedAt)), Qt::AccessibleTextRole)
                .toString()
                .contains(u"past SLA"_s));
    QVERIFY(model->data(model->index(row, int(QueueColumn::AppliedAt))).toString().startsWith(QChar(0x23F0)));
    auto* detailAssignment = page.detail()->findChild<QLabel*>(u"detailAssignment"_s);
    QVERIFY(detailAssignment);
    QTRY_VERIFY2(detailAssignment->text().contains(u"past SLA"_s), qPrintable(detailAssignment->text()));

    // Claim with the keyboard.
    page.table()->setFocus();
    QTest::keyClick(page.table(), Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE(model->data(assignedTo, ExceptionQueueModel::AssigneeRole).toString(), u"li.wei"_s);
    QCOMPARE(model->data(assignedTo).toString(), u"li.wei"_s);
    QTRY_VERIFY2(detailAssignment->text().contains(u"claimed"_s), qPrintable(detailAssignment->text()));
    // No backend is set: the change is not said to wait for a server that does not exist.
    QVERIFY2(!detailAssignment->text().contains(u"not synced"_s), qPrintable(detailAssignment->text()));
    auto* approve = page.detail()->findChild<QPushButton*>(u"approveButton"_s);
    auto* hint = page.detail()->findChild<QLabel*>(u"detailHint"_s);
    auto* decidesNext = page.detail()->findChild<QLabel*>(u"detailApprover"_s);
    QVERIFY(approve && hint && decidesNext);
    QTRY_VERIFY(approve->isEnabled()); // li.wei holds it: theirs to decide
    QCOMPARE(decidesNext->text(), u"li.wei"_s);
    page.setBackendSet(true); // from here on, as a desktop with a backend

    // Assign through the context menu's "Assign to" submenu.
    Q_EMIT page.table()->customContextMenuRequested(page.table()->visualRect(assignedTo).center());
    QMenu* assign = page.assignMenu();
    QAction* toZhang = nullptr;
    for (QAction* a : assign->actions())
        if (a->data().toString() == u"zhang.min")
            toZhang = a;
    QVERIFY(toZhang);
    QVERIFY(toZhang->isEnabled());
    for (QAction* a : assign->actions()) // the applicant is never offered
        QVERIFY(!a->isEnabled() ||
                a->data().toString() != text(ws.db(), u"SELECT applicant_id FROM exceptions "
                                                      "WHERE record_id = '%1'"_s.arg(id)));
    if (QWidget* open = QApplication::activePopupWidget())
        open->close();
    toZhang->trigger();
    QTRY_COMPARE(model->data(assignedTo, ExceptionQueueModel::AssigneeRole).toString(), u"zhang.min"_s);
    QTRY_VERIFY2(detailAssignment->text().contains(u"not synced yet"_s),
                 qPrintable(detailAssignment->text()));
    // Held by zhang.min, it is theirs alone: li.wei's buttons go off, and the panel says who holds it and how
    // to take it over.
    QTRY_VERIFY(!approve->isEnabled());
    QVERIFY(!page.detail()->findChild<QPushButton*>(u"rejectButton"_s)->isEnabled());
    QVERIFY2(hint->text().contains(u"zhang.min"_s) && hint->text().contains(u"claim"_s),
             qPrintable(hint->text()));
    QCOMPARE(decidesNext->text(), u"zhang.min"_s);
    // Its key can take it back at once: the action follows the row, not the last menu opened (which was on a
    // row li.wei held, with Claim off).
    QTRY_VERIFY(page.findChild<QAction*>(u"claimAction"_s)->isEnabled());

    // Escalate to the lead (past the SLA, so offered), with the shortcut opening the menu.
    page.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&page));
    page.table()->setFocus();
    QTest::keyClick(page.table(), Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(page.escalateMenu()->isVisible());
    QVERIFY(page.escalateMenu()->isEnabled());
    QAction* toLead = page.escalateMenu()->actions().value(0);
    QVERIFY(toLead && toLead->isEnabled());
    QCOMPARE(toLead->data().toString(), u"sarah.chen"_s);
    page.escalateMenu()->close();
    toLead->trigger();
    QTRY_COMPARE(model->data(assignedTo, ExceptionQueueModel::AssigneeRole).toString(), u"sarah.chen"_s);
    QVERIFY(model->data(assignedTo).toString().contains(u"escalated"_s));

    // "Assigned to me" shows none now, "Unassigned" does not show it either.
    auto* filter = page.findChild<QComboBox*>(u"assignmentFilter"_s);
    QVERIFY(filter);
    page.showRecord(id); // the record's search, then the filter on top
    QTRY_VERIFY(model->rowOf(id) >= 0);
    filter->setCurrentIndex(1);
    Q_EMIT filter->activated(1);
    QTRY_COMPARE(model->query().filter.assignment, AssignmentFilter::AssignedTo);
    QTRY_VERIFY(!model->isLoading());
    QCOMPARE(model->rowOf(id), -1);
    filter->setCurrentIndex(2);
    Q_EMIT filter->activated(2);
    QTRY_COMPARE(model->query().filter.assignment, AssignmentFilter::Unassigned);
    QTRY_VERIFY(!model->isLoading());
    QCOMPARE(model->rowOf(id), -1);
    filter->setCurrentIndex(0);
    Q_EMIT filter->activated(0);
    QTRY_VERIFY(model->rowOf(id) >= 0);
    page.table()->setCurrentIndex(model->index(model->rowOf(id), 0));

    // Release is the assignee's or a lead's: li.wei is neither now, so it is not offered (the menu had it on
    // and then refused it), and its key changes nothing.
    QTRY_COMPARE(page.detail()->recordId(), id);
    QVERIFY(!page.findChild<QAction*>(u"releaseAction"_s)->isEnabled());
    // The escalation's menu was the active window: the page's shortcuts work only once the page is again.
    page.activateWindow();
    QTRY_COMPARE(QApplication::activeWindow(), &page);
    page.table()->setFocus();
    QTRY_VERIFY(page.table()->hasFocus());
    auto* feedback = page.findChild<QLabel*>(u"queueFeedback"_s);
    QVERIFY(feedback);
    QCOMPARE(AssignmentService(ws.db()).current(kTenant, id).value().assigneeId, u"sarah.chen"_s);
    QCOMPARE(AssignmentService(ws.db()).history(kTenant, id).value().size(), 3);

    // Claiming it back is how li.wei takes it over: the claim is logged, and the buttons come back.
    QVERIFY(!approve->isEnabled());
    QTest::keyClick(page.table(), Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY2(AssignmentService(ws.db()).current(kTenant, id).value().assigneeId == u"li.wei"_s,
                 qPrintable(feedback->text()));
    QTRY_VERIFY(approve->isEnabled());
    QVERIFY(hint->text().isEmpty());
}

void AssignmentTest::keysThatWouldOpenAnEmptyMenuSayWhy() {
    TestWorkspace ws(300, 7, QDateTime::currentDateTimeUtc());
    const QString id = untouchedPending(ws.db(), 1).value(0);
    QVERIFY(setAppliedAgo(ws.db(), id, 60)); // well within every SLA
    DatabaseThread thread(riskdesk::test::settings());
    QVERIFY(opensOn(thread, ws));
    QueuePage page(&thread);
    showOnActivePage(page, ws, id);
    if (QTest::currentTestFailed())
        return;
    page.table()->setCurrentIndex(page.model()->index(page.model()->rowOf(id), 0));
    page.table()->setFocus();
    QTest::keyClick(page.table(), Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
    auto* feedback = page.findChild<QLabel*>(u"queueFeedback"_s);
    QTRY_VERIFY2(feedback->text().contains(u"SLA"_s), qPrintable(feedback->text()));
    QVERIFY(!page.escalateMenu()->isVisible()); // no menu of greyed names

    // Decided, it cannot be assigned: Ctrl+Shift+A says so instead of a menu of greyed names.
    feedback->clear();
    auto rejected =
        DecisionService(ws.db()).decide(kTenant, id, u"zhang.min"_s, DecisionAction::Reject,
                                        u"Not covered by the policy"_s, QDateTime::currentDateTimeUtc());
    QVERIFY2(rejected, rejected ? "" : qPrintable(rejected.problem().message));
    page.showRecord(id);
    QTRY_COMPARE(page.model()
                     ->data(page.model()->index(page.model()->rowOf(id), int(QueueColumn::CurrentStatus)),
                            ExceptionQueueModel::StatusRole)
                     .toString(),
                 u"rejected"_s);
    page.table()->setCurrentIndex(page.model()->index(page.model()->rowOf(id), 0));
    page.activateWindow();
    QTRY_COMPARE(QApplication::activeWindow(), &page);
    page.table()->setFocus();
    QTest::keyClick(page.table(), Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY2(feedback->text().contains(u"pending"_s), qPrintable(feedback->text()));
    QVERIFY(!page.assignMenu()->isVisible());
}

void AssignmentTest::aRoutedExceptionIsOfferedToItsApproverOnly() {
    // Helper-68: "Assign to" offered everyone on a routed exception, and the rules then refused all but one.
    TestWorkspace ws(300, 7, QDateTime::currentDateTimeUtc());
    const QString id = untouchedPending(ws.db(), 1).value(0);
    const QString routed =
        text(ws.db(), u"SELECT applicant_id FROM exceptions WHERE record_id = '%1'"_s.arg(id)) ==
                u"zhang.min"_s
            ? u"sarah.chen"_s
            : u"zhang.min"_s;
    {
        QSqlQuery q(ws.db());
        QVERIFY(q.exec(
            u"UPDATE exceptions SET current_approver_id = '%1' WHERE record_id = '%2'"_s.arg(routed, id)));
    }
    DatabaseThread thread(riskdesk::test::settings());
    QVERIFY(opensOn(thread, ws));
    QueuePage page(&thread);
    showOnActivePage(page, ws, id);
    if (QTest::currentTestFailed())
        return;
    const QModelIndex row = page.model()->index(page.model()->rowOf(id), 0);
    page.table()->setCurrentIndex(row);
    QStringList offered, named;
    const auto openMenu = [&] {
        Q_EMIT page.table()->customContextMenuRequested(page.table()->visualRect(row).center());
        offered.clear();
        named.clear();
        for (QAction* a : page.assignMenu()->actions()) {
            if (a->data().toString().isEmpty())
                named << a->text();
            else if (a->isEnabled())
                offered << a->data().toString();
        }
        if (QWidget* open = QApplication::activePopupWidget())
            open->close();
        return page.assignMenu()->actions().size() > 1; // the tenant's approvers have arrived
    };
    QTRY_VERIFY(openMenu());
    QCOMPARE(offered, QStringList{routed});
    QVERIFY2(named.join(u'|').contains(routed), qPrintable(named.join(u'|')));
    // The panel names who decides it rather than "nobody" (helper-80 saw that beside buttons that were off).
    auto* detailAssignment = page.detail()->findChild<QLabel*>(u"detailAssignment"_s);
    QVERIFY(detailAssignment);
    QTRY_VERIFY2(
        detailAssignment->text().startsWith(u"nobody holds it; its next step is routed to %1"_s.arg(routed)),
        qPrintable(detailAssignment->text()));
    QCOMPARE(page.detail()->findChild<QLabel*>(u"detailApprover"_s)->text(), routed);
    // Nor may li.wei claim it: the rules would refuse that too.
    QVERIFY(!page.findChild<QAction*>(u"claimAction"_s)->isEnabled());
}

void AssignmentTest::aLeadMayReleaseTheRowShownAtSignIn() {
    // The leads arrive with the tenant's directory, after the first page has selected its first row: a lead's
    // Release on that row must not stay off until another row is chosen.
    TestWorkspace ws(300, 7, QDateTime::currentDateTimeUtc());
    DatabaseThread thread(riskdesk::test::settings());
    QVERIFY(opensOn(thread, ws));
    const Session lead{ws.path(),          kTenant, u"Acme"_s, u"sarah.chen"_s, u"Sarah Chen"_s,
                       UserRole::Approver, {},      {}};
    QString first;
    {
        QueuePage look(&thread);
        look.setSession(lead);
        QTRY_VERIFY(look.model()->rowCount() > 0 && !look.model()->isLoading());
        QTRY_VERIFY(look.table()->currentIndex().isValid());
        first = look.model()->rowAt(look.table()->currentIndex().row())->recordId;
    }
    auto claimed = AssignmentService(ws.db()).change(kTenant, first, u"li.wei"_s, AssignmentAction::Claim, {},
                                                     QDateTime::currentDateTimeUtc());
    QVERIFY2(claimed, claimed ? "" : qPrintable(claimed.problem().message));

    QueuePage page(&thread);
    page.setSession(lead);
    auto* rules = page.findChild<QComboBox*>(u"ruleFilter"_s);
    QVERIFY(rules);
    QTRY_VERIFY(rules->count() > 1); // the directory has arrived
    QTRY_VERIFY(page.table()->currentIndex().isValid());
    QCOMPARE(page.model()->rowAt(page.table()->currentIndex().row())->recordId, first);
    QVERIFY(page.findChild<QAction*>(u"releaseAction"_s)->isEnabled());
    QVERIFY(!page.findChild<QAction*>(u"claimAction"_s)->isEnabled() ||
            page.model()->rowAt(page.table()->currentIndex().row())->assigneeId != u"sarah.chen"_s);
}

void AssignmentTest::aRecordAskedForAtSignInStaysShown() {
    // An approver's queue opens on pending requests, but a record asked for by id (a board's drill-down, a
    // link) is shown whatever its status, even when asked for before the filter lists have loaded: the
    // directory arriving later must neither re-query nor put the pending filter back.
    TestWorkspace ws(300, 7, QDateTime::currentDateTimeUtc());
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'approved' "
                   "ORDER BY record_id LIMIT 1"_s));
    QVERIFY(q.next());
    const QString decided = q.value(0).toString();
    QSemaphore gate; // declared before the thread, so that it outlives a thread still waiting on it
    DatabaseThread thread(riskdesk::test::settings());
    QVERIFY(opensOn(thread, ws));
    QueuePage page(&thread);
    page.resize(1300, 800);
    // The database thread is held until the record has been asked for, so that the directory is still on
    // its way then: on a loaded machine it could otherwise be answered before setSession returns.
    const auto open = qScopeGuard([&gate] { gate.release(); });
    thread.run([&gate](Workspace&) {
        gate.acquire();
        return 0;
    });
    page.setSession(approverLiWei(ws));
    page.showRecord(decided);
    auto* rules = page.findChild<QComboBox*>(u"ruleFilter"_s);
    auto* status = page.findChild<QComboBox*>(u"statusFilter"_s);
    QVERIFY(rules && status);
    QCOMPARE(rules->count(), 1); // "All rules" only, until the directory arrives
    gate.release();
    QTRY_VERIFY(rules->count() > 1);
    QTRY_VERIFY(!page.model()->isLoading());
    QCOMPARE(status->currentIndex(), 0);
    QCOMPARE(page.model()->rowCount(), 1);
    QCOMPARE(page.model()->rowOf(decided), 0);
    QTRY_COMPARE(page.detail()->recordId(), decided);
    QCOMPARE(rules->currentIndex(), 0);
    const int ruleItems = rules->count();

    // Signing in again (another tenant or the same) starts from the role's defaults, not the asked-for
    // record.
    page.setSession(approverLiWei(ws));
    QCOMPARE(status->currentIndex(), 1);
    QTRY_VERIFY(!page.model()->isLoading());
    QTRY_VERIFY(page.model()->rowCount() > 0);
    for (int row = 0; row < page.model()->rowCount(); ++row)
        QCOMPARE(page.model()->rowAt(row)->status, ExceptionStatus::Pending);
    // Two sign-ins in a row (the second before the first's directory arrived) fill the lists once.
    page.setSession(approverLiWei(ws));
    page.setSession(approverLiWei(ws));
    // A task queued after both directories runs after both, so their answers are posted by the time its own
    // is seen. Its own may be taken at once, without a posted event (it was done when awaited), while theirs
    // still wait in the queue: deliver what is posted, and then each has been taken or dropped.
    bool bothAnswered = false;
    QCoro::connect(thread.task([](Workspace&) { return 0; }), &page, [&](int) { bothAnswered = true; });
    QTRY_VERIFY(bothAnswered);
    for (int round = 0; round < 3; ++round)
        QCoreApplication::sendPostedEvents();
    QCOMPARE(rules->count(), ruleItems);
}

void AssignmentTest::theCommandLineAssignsClaimsAndReleases() {
    TestWorkspace ws(300);
    const QString id = untouchedPending(ws.db(), 1).value(0);
    const QString path = ws.path();
    auto run = [&](const QStringList& arguments, QString* out = nullptr, QString* err = nullptr) {
        QProcess p;
        p.setProgram(QStringLiteral(RISKDESK_BINARY));
        p.setArguments(arguments);
        p.start();
        if (!p.waitForFinished(60000))
            qFatal("riskdesk did not finish");
        if (out)
            *out = QString::fromUtf8(p.readAllStandardOutput());
        if (err)
            *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitCode();
    };
    QString out, err;
    QCOMPARE(
        run({u"exceptions"_s, u"claim"_s, u"--workspace"_s, path, u"--as"_s, u"li.wei"_s, id}, &out, &err),
        0);
    QCOMPARE(QJsonDocument::fromJson(out.toUtf8()).object().value(u"assignee_id"_s).toString(), u"li.wei"_s);
    QVERIFY2(err.contains(u"assigned to li.wei"_s), qPrintable(err));
    QCOMPARE(run({u"exceptions"_s, u"assign"_s, u"--workspace"_s, path, u"--as"_s, u"li.wei"_s, id, u"--to"_s,
                  u"zhang.min"_s},
                 &out),
             0);
    QCOMPARE(QJsonDocument::fromJson(out.toUtf8()).object().value(u"from_id"_s).toString(), u"li.wei"_s);
    // Bad input: a missing --to is bad usage (2); an assignee who is no approver is refused (1), by name.
    QCOMPARE(run({u"exceptions"_s, u"assign"_s, u"--workspace"_s, path, u"--as"_s, u"li.wei"_s, id}, nullptr,
                 &err),
             2);
    QVERIFY(err.contains(u"--to"_s));
    QCOMPARE(run({u"exceptions"_s, u"assign"_s, u"--workspace"_s, path, u"--as"_s, u"li.wei"_s, id, u"--to"_s,
                  u"wang.fang"_s},
                 nullptr, &err),
             1);
    QVERIFY2(err.contains(u"wang.fang"_s), qPrintable(err));
    QCOMPARE(
        run({u"exceptions"_s, u"release"_s, u"--workspace"_s, path, u"--as"_s, u"zhang.min"_s, id}, &out), 0);
    QCOMPARE(QJsonDocument::fromJson(out.toUtf8()).object().value(u"assignee_id"_s).toString(), QString());
    QCOMPARE(run({u"exceptions"_s, u"escalate"_s, u"--workspace"_s, path, u"--as"_s, u"li.wei"_s, id,
                  u"--to"_s, u"omar.haddad"_s},
                 nullptr, &err),
             1);
    QVERIFY2(err.contains(u"not a lead"_s), qPrintable(err));
    QCOMPARE(AssignmentService(ws.db()).history(kTenant, id).value().size(), 3);
    // To the demo's lead it goes (the demo's exceptions were filed long before today: past every SLA).
    QCOMPARE(run({u"exceptions"_s, u"escalate"_s, u"--workspace"_s, path, u"--as"_s, u"li.wei"_s, id,
                  u"--to"_s, u"sarah.chen"_s},
                 &out, &err),
             0);
    QVERIFY(QJsonDocument::fromJson(out.toUtf8()).object().value(u"escalated"_s).toBool());
    QCOMPARE(AssignmentService(ws.db()).history(kTenant, id).value().size(), 4);
}

QTEST_MAIN(AssignmentTest)
#include "tst_assignment.moc"
