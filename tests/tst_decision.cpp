// The exception state machine, table-driven: every transition allowed and refused, with the refusal's
// message.
#include "BlankTextCases.h"
#include "domain/ExceptionDecision.h"
#include "domain/ExceptionValidator.h"
#include "domain/Sentences.h"
#include "domain/TextRules.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

Q_DECLARE_METATYPE(riskdesk::ExceptionStatus)
Q_DECLARE_METATYPE(riskdesk::Severity)
Q_DECLARE_METATYPE(riskdesk::UserRole)
Q_DECLARE_METATYPE(riskdesk::DecisionAction)

namespace {

const QDateTime kStart(QDate(2026, 11, 1), QTime(9, 0), QTimeZone::utc());
const QDateTime kEnd = kStart.addDays(10);
const QDateTime kDuring = kStart.addDays(1);

RiskException pendingException() {
    RiskException e;
    e.recordId = u"exc-0123456789ab"_s;
    e.tenantId = u"acme"_s;
    e.applicantId = u"ann"_s;
    e.applyTime = kStart.addDays(-1);
    e.targetType = TargetType::Claim;
    e.targetId = u"CLM-1"_s;
    e.riskRuleId = u"R-1"_s;
    e.status = ExceptionStatus::Pending;
    e.validStartTime = kStart;
    e.validEndTime = kEnd;
    e.reasonCategory = u"Business necessity"_s;
    e.justification = u"Needed for quarter end"_s;
    e.lastStatusAt = e.applyTime;
    e.version = 1;
    return e;
}

ApprovalStep approvedBy(const QString& who, int step) {
    return ApprovalStep{who, u"approve"_s, u"ok"_s, kStart.addSecs(60 * step), step};
}

} // namespace

class DecisionTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void transitions_data();
    void transitions();
    void firstStepHandsOffToNextApprover();
    void secondStepWithNoOneLeftIsOpenToAnyApprover();
    void rejectKeepsTheReasonAndClearsTheAssignment();
    void anAssignmentBindsUntilItsAssigneeActs();
    void nextDeciderIsTheNamedApproverElseTheAssignee();
    void everyOutcomeBumpsTheVersionAndAppendsOneStep();
    void expiry_data();
    void expiry();
    void sentencesFollowTheirLanguage();
    void blankReasons_data();
    void blankReasons();
    void aControlCharacterInACommentIsRefused();
    void aNulInACommentIsRefused();
    void everyInvisibleCharacterOfUnicodeIsBlank();
    void longCommentsAreRefused();
    void timesAndLabelsAreBounded();
    void identifiersAndLengthsAreChecked();
};

void DecisionTest::transitions_data() {
    QTest::addColumn<ExceptionStatus>("status");
    QTest::addColumn<Severity>("severity");
    QTest::addColumn<QStringList>("approvedBefore"); // approvers of earlier steps
    QTest::addColumn<QString>("assignedTo");
    QTest::addColumn<QString>("actor");
    QTest::addColumn<UserRole>("role");
    QTest::addColumn<DecisionAction>("action");
    QTest::addColumn<QString>("comment");
    QTest::addColumn<QDateTime>("now");
    // Expected: a refusal code name, or "" and the resulting status.
    QTest::addColumn<QString>("refusal");
    QTest::addColumn<ExceptionStatus>("after");
    QTest::addColumn<bool>("final");

    const auto P = ExceptionStatus::Pending, A = ExceptionStatus::Approved, R = ExceptionStatus::Rejected,
               X = ExceptionStatus::Expired, W = ExceptionStatus::Withdrawn;
    const auto approver = UserRole::Approver;
    const auto approve = DecisionAction::Approve, reject = DecisionAction::Reject,
               withdraw = DecisionAction::Withdraw;
    const QStringList none;

    QTest::newRow("low: one approval is final") << P << Severity::Low << none << u""_s << u"bob"_s << approver
                                                << approve << u""_s << kDuring << u""_s << A << true;
    QTest::newRow("medium: one approval is final")
        << P << Severity::Medium << none << u""_s << u"bob"_s << approver << approve << u""_s << kDuring
        << u""_s << A << true;
    QTest::newRow("high: first approval is a step")
        << P << Severity::High << none << u""_s << u"bob"_s << approver << approve << u""_s << kDuring
        << u""_s << P << false;
    QTest::newRow("critical: first approval is a step")
        << P << Severity::Critical << none << u""_s << u"bob"_s << approver << approve << u""_s << kDuring
        << u""_s << P << false;
    QTest::newRow("high: second approver finishes")
        << P << Severity::High << QStringList{u"bob"_s} << u"carl"_s << u"carl"_s << approver << approve
        << u""_s << kDuring << u""_s << A << true;
    QTest::newRow("critical: second step by the same approver")
        << P << Severity::Critical << QStringList{u"bob"_s} << u""_s << u"bob"_s << approver << approve
        << u""_s << kDuring << u"already_acted"_s << P << false;
    QTest::newRow("high: second step by someone not assigned")
        << P << Severity::High << QStringList{u"bob"_s} << u"carl"_s << u"dave"_s << approver << approve
        << u""_s << kDuring << u"not_current_approver"_s << P << false;
    QTest::newRow("high: reject at the second step")
        << P << Severity::High << QStringList{u"bob"_s} << u"carl"_s << u"carl"_s << approver << reject
        << u"no"_s << kDuring << u""_s << R << true;
    QTest::newRow("assigned to someone else")
        << P << Severity::Low << none << u"carl"_s << u"bob"_s << approver << approve << u""_s << kDuring
        << u"not_current_approver"_s << P << false;
    QTest::newRow("assigned approver decides")
        << P << Severity::Low << none << u"bob"_s << u"bob"_s << approver << approve << u""_s << kDuring
        << u""_s << A << true;
    QTest::newRow("reject with a reason")
        << P << Severity::Medium << none << u""_s << u"bob"_s << approver << reject << u"Attachment missing"_s
        << kDuring << u""_s << R << true;
    QTest::newRow("reject with no reason")
        << P << Severity::Medium << none << u""_s << u"bob"_s << approver << reject << u""_s << kDuring
        << u"reason_required"_s << P << false;
    QTest::newRow("reject with a blank reason")
        << P << Severity::Medium << none << u""_s << u"bob"_s << approver << reject << u"  \n\t "_s << kDuring
        << u"reason_required"_s << P << false;
    QTest::newRow("applicant approves own request")
        << P << Severity::Low << none << u""_s << u"ann"_s << approver << approve << u""_s << kDuring
        << u"own_request"_s << P << false;
    QTest::newRow("applicant rejects own request")
        << P << Severity::Low << none << u""_s << u"ann"_s << approver << reject << u"x"_s << kDuring
        << u"own_request"_s << P << false;
    QTest::newRow("auditor approves") << P << Severity::Low << none << u""_s << u"sue"_s << UserRole::Auditor
                                      << approve << u""_s << kDuring << u"not_an_approver"_s << P << false;
    QTest::newRow("finance rejects") << P << Severity::Low << none << u""_s << u"fin"_s << UserRole::Finance
                                     << reject << u"x"_s << kDuring << u"not_an_approver"_s << P << false;
    QTest::newRow("applicant role approves")
        << P << Severity::Low << none << u""_s << u"zed"_s << UserRole::Applicant << approve << u""_s
        << kDuring << u"not_an_approver"_s << P << false;
    QTest::newRow("applicant withdraws")
        << P << Severity::High << none << u""_s << u"ann"_s << UserRole::Applicant << withdraw << u""_s
        << kDuring << u""_s << W << true;
    QTest::newRow("applicant withdraws after a first step")
        << P << Severity::High << QStringList{u"bob"_s} << u"carl"_s << u"ann"_s << UserRole::Applicant
        << withdraw << u""_s << kDuring << u""_s << W << true;
    QTest::newRow("someone else withdraws")
        << P << Severity::Low << none << u""_s << u"bob"_s << approver << withdraw << u""_s << kDuring
        << u"not_applicant"_s << P << false;
    QTest::newRow("decided after the window ended")
        << P << Severity::Low << none << u""_s << u"bob"_s << approver << approve << u""_s << kEnd
        << u"window_ended"_s << P << false;
    QTest::newRow("withdrawn after the window ended")
        << P << Severity::Low << none << u""_s << u"ann"_s << UserRole::Applicant << withdraw << u""_s
        << kEnd.addDays(1) << u"window_ended"_s << P << false;
    QTest::newRow("decided before the window starts")
        << P << Severity::Low << none << u""_s << u"bob"_s << approver << approve << u""_s
        << kStart.addDays(-1) << u""_s << A << true;

    // Nothing leaves a final state, whatever the action and whoever acts.
    const QList<std::pair<const char*, ExceptionStatus>> finals{
        {"approved", A}, {"rejected", R}, {"expired", X}, {"withdrawn", W}};
    const QList<std::tuple<const char*, DecisionAction, QString, UserRole>> actions{
        {"approve", approve, u"bob"_s, approver},
        {"reject", reject, u"bob"_s, approver},
        {"withdraw", withdraw, u"ann"_s, UserRole::Applicant}};
    for (const auto& [name, status] : finals)
        for (const auto& [actionName, action, actor, role] : actions)
            QTest::addRow("%s stays %s on %s", name, name, actionName)
                << status << Severity::Low << none << u""_s << actor << role << action << u"reason"_s
                << kDuring << u"not_pending"_s << status << false;
}

void DecisionTest::transitions() {
    QFETCH(ExceptionStatus, status);
    QFETCH(Severity, severity);
    QFETCH(QStringList, approvedBefore);
    QFETCH(QString, assignedTo);
    QFETCH(QString, actor);
    QFETCH(UserRole, role);
    QFETCH(DecisionAction, action);
    QFETCH(QString, comment);
    QFETCH(QDateTime, now);
    QFETCH(QString, refusal);
    QFETCH(ExceptionStatus, after);
    QFETCH(bool, final);

    DecisionRequest r;
    r.exception = pendingException();
    r.exception.status = status;
    if (status == ExceptionStatus::Rejected)
        r.exception.rejectionReason = u"earlier"_s;
    for (int i = 0; i < approvedBefore.size(); ++i)
        r.exception.approvalChainLog << approvedBy(approvedBefore.at(i), i + 1);
    r.exception.currentApproverId = assignedTo;
    r.severity = severity;
    r.actor = Actor{actor, role};
    r.action = action;
    r.comment = comment;
    r.now = now;
    r.approverPool = {u"ann"_s, u"bob"_s, u"carl"_s, u"dave"_s};

    const DecisionResult result = ExceptionDecision::decide(r);
    if (!refusal.isEmpty()) {
        const auto* refused = std::get_if<Refusal>(&result);
        QVERIFY2(refused, "expected a refusal");
        QCOMPARE(ExceptionDecision::refusalCodeName(refused->code), refusal);
        // A person can act on the message: it says which exception it is about, or who may act.
        QVERIFY2(refused->message.contains(r.exception.recordId) || refused->message.contains(actor),
                 qPrintable(refused->message));
        return;
    }
    const auto* outcome = std::get_if<DecisionOutcome>(&result);
    QVERIFY2(outcome, outcome ? "" : qPrintable(std::get<Refusal>(result).message));
    QCOMPARE(outcome->updated.status, after);
    QCOMPARE(outcome->finalDecision, final);
    QCOMPARE(outcome->step.approverId, actor);
    QCOMPARE(outcome->step.action, toWire(action));
    QCOMPARE(outcome->step.timestamp, now);
    if (final)
        QVERIFY(outcome->updated.currentApproverId.isEmpty());
    if (after != ExceptionStatus::Pending)
        QCOMPARE(outcome->updated.lastStatusAt, now);
}

void DecisionTest::firstStepHandsOffToNextApprover() {
    DecisionRequest r;
    r.exception = pendingException();
    r.severity = Severity::High;
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    r.now = kDuring;
    r.approverPool = {u"ann"_s, u"bob"_s, u"carl"_s};
    const auto outcome = std::get<DecisionOutcome>(ExceptionDecision::decide(r));
    QCOMPARE(outcome.step.step, 1);
    QCOMPARE(outcome.updated.currentApproverId, u"carl"_s); // not the applicant, not the first approver
    QCOMPARE(outcome.updated.approvalsRecorded(), 1);

    // carl takes step two and the exception is approved.
    r.exception = outcome.updated;
    r.actor = Actor{u"carl"_s, UserRole::Approver};
    const auto second = std::get<DecisionOutcome>(ExceptionDecision::decide(r));
    QCOMPARE(second.step.step, 2);
    QCOMPARE(second.updated.status, ExceptionStatus::Approved);
    QCOMPARE(second.updated.approvalChainLog.size(), 2);
}

void DecisionTest::secondStepWithNoOneLeftIsOpenToAnyApprover() {
    DecisionRequest r;
    r.exception = pendingException();
    r.severity = Severity::Critical;
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    r.now = kDuring;
    r.approverPool = {u"ann"_s, u"bob"_s};
    const auto outcome = std::get<DecisionOutcome>(ExceptionDecision::decide(r));
    QVERIFY(outcome.updated.currentApproverId.isEmpty());
    QCOMPARE(outcome.updated.status, ExceptionStatus::Pending);
}

void DecisionTest::nextDeciderIsTheNamedApproverElseTheAssignee() {
    const auto next = [](ExceptionStatus status, const QString& named, const QString& assignee) {
        return ExceptionDecision::nextDecider(status, named, assignee);
    };
    QCOMPARE(next(ExceptionStatus::Pending, {}, {}), QString()); // any eligible approver
    QCOMPARE(next(ExceptionStatus::Pending, {}, u"carl"_s), u"carl"_s);
    QCOMPARE(next(ExceptionStatus::Pending, u"bob"_s, u"carl"_s), u"bob"_s); // a named second step outranks
    QCOMPARE(next(ExceptionStatus::Pending, u"bob"_s, {}), u"bob"_s);
    for (ExceptionStatus decided : {ExceptionStatus::Approved, ExceptionStatus::Rejected,
                                    ExceptionStatus::Withdrawn, ExceptionStatus::Expired})
        QCOMPARE(next(decided, {}, u"carl"_s), QString()); // nobody, whatever assignment is left
}

void DecisionTest::anAssignmentBindsUntilItsAssigneeActs() {
    DecisionRequest r;
    r.exception = pendingException();
    r.severity = Severity::High;
    r.now = kDuring;
    r.approverPool = {u"ann"_s, u"bob"_s, u"carl"_s, u"dina"_s};
    r.assigneeId = u"carl"_s;
    // Anyone but the assignee is refused, approving or rejecting; the applicant may still withdraw.
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    for (DecisionAction action : {DecisionAction::Approve, DecisionAction::Reject}) {
        r.action = action;
        r.comment = u"reason"_s;
        const DecisionResult result = ExceptionDecision::decide(r);
        const auto* refusal = std::get_if<Refusal>(&result);
        QVERIFY(refusal);
        QCOMPARE(refusal->code, RefusalCode::AssignedToAnother);
        QVERIFY2(refusal->message.contains(u"carl"_s), qPrintable(refusal->message));
    }
    r.actor = Actor{u"ann"_s, UserRole::Approver};
    r.action = DecisionAction::Withdraw;
    QVERIFY(std::holds_alternative<DecisionOutcome>(ExceptionDecision::decide(r)));

    // The assignee takes the first step of two; the second goes to the approver it names (bob, the first in
    // the pool who is neither the applicant nor carl), and the assignment no longer binds it.
    r.action = DecisionAction::Approve;
    r.comment.clear();
    r.actor = Actor{u"carl"_s, UserRole::Approver};
    const auto first = std::get<DecisionOutcome>(ExceptionDecision::decide(r));
    QCOMPARE(first.updated.currentApproverId, u"bob"_s);
    r.exception = first.updated;
    r.actor = Actor{u"dina"_s, UserRole::Approver};
    QCOMPARE(std::get<Refusal>(ExceptionDecision::decide(r)).code, RefusalCode::NotCurrentApprover);
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    QCOMPARE(std::get<DecisionOutcome>(ExceptionDecision::decide(r)).updated.status,
             ExceptionStatus::Approved);

    // An assignment older than the first step someone else took (it came from another desktop) never leaves
    // the second step to nobody: the approver that step named decides it, not the stale assignee.
    r.exception = pendingException();
    r.exception.approvalChainLog = {approvedBy(u"dina"_s, 1)};
    r.exception.currentApproverId = u"bob"_s;
    r.assigneeId = u"carl"_s;
    r.actor = Actor{u"carl"_s, UserRole::Approver};
    QCOMPARE(std::get<Refusal>(ExceptionDecision::decide(r)).code, RefusalCode::NotCurrentApprover);
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    QCOMPARE(std::get<DecisionOutcome>(ExceptionDecision::decide(r)).updated.status,
             ExceptionStatus::Approved);
    // The refusal of anyone else names the approver the first step routed it to.
    r.exception.approvalChainLog = {approvedBy(u"ann"_s, 1)};
    r.actor = Actor{u"dina"_s, UserRole::Approver};
    const QString routed = std::get<Refusal>(ExceptionDecision::decide(r)).message;
    QVERIFY2(routed.contains(u"routed to bob for its second step"_s), qPrintable(routed));
    // One routed when it was filed, with no step taken, has no second step to speak of (helper-68).
    r.exception.approvalChainLog.clear();
    const QString filed = std::get<Refusal>(ExceptionDecision::decide(r)).message;
    QVERIFY2(filed.contains(u"routed to bob;"_s) && !filed.contains(u"step"_s), qPrintable(filed));

    // A hold whose holder has already acted (left by a desktop that did not release it with the first step,
    // with nobody named for the second) binds nobody: neither the holder, who may not act twice, nor, through
    // them, everyone else.
    r.exception = pendingException();
    r.exception.approvalChainLog = {approvedBy(u"carl"_s, 1)};
    r.exception.currentApproverId.clear();
    r.assigneeId = u"carl"_s;
    QCOMPARE(ExceptionDecision::nextDecider(r.exception, r.assigneeId), QString());
    QCOMPARE(ExceptionDecision::nextDecider(r.exception.status, {}, r.assigneeId), u"carl"_s);
    r.actor = Actor{u"carl"_s, UserRole::Approver};
    QCOMPARE(std::get<Refusal>(ExceptionDecision::decide(r)).code, RefusalCode::AlreadyActed);
    r.actor = Actor{u"dina"_s, UserRole::Approver};
    QCOMPARE(std::get<DecisionOutcome>(ExceptionDecision::decide(r)).updated.status,
             ExceptionStatus::Approved);
}

void DecisionTest::rejectKeepsTheReasonAndClearsTheAssignment() {
    DecisionRequest r;
    r.exception = pendingException();
    r.exception.currentApproverId = u"bob"_s;
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    r.action = DecisionAction::Reject;
    r.comment = u"  Route through Nanjing not explained  "_s;
    r.now = kDuring;
    const auto outcome = std::get<DecisionOutcome>(ExceptionDecision::decide(r));
    QCOMPARE(outcome.updated.rejectionReason, u"Route through Nanjing not explained"_s);
    QCOMPARE(outcome.step.comment, u"Route through Nanjing not explained"_s);
    QVERIFY(!outcome.updated.autoRejected);
    QVERIFY(outcome.updated.currentApproverId.isEmpty());
}

void DecisionTest::everyOutcomeBumpsTheVersionAndAppendsOneStep() {
    DecisionRequest r;
    r.exception = pendingException();
    r.exception.version = 7;
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    r.now = kDuring;
    const auto outcome = std::get<DecisionOutcome>(ExceptionDecision::decide(r));
    QCOMPARE(outcome.updated.version, 8);
    QCOMPARE(outcome.updated.approvalChainLog.size(), 1);
    QCOMPARE(outcome.updated.approvalChainLog.last(), outcome.step);
    // The input is untouched: the function is pure.
    QCOMPARE(r.exception.version, 7);
    QVERIFY(r.exception.approvalChainLog.isEmpty());
}

void DecisionTest::expiry_data() {
    QTest::addColumn<ExceptionStatus>("status");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<bool>("changes");
    QTest::addColumn<ExceptionStatus>("after");
    QTest::addColumn<bool>("autoRejected");
    QTest::addColumn<QString>("action");
    QTest::newRow("pending, window open") << ExceptionStatus::Pending << kEnd.addMSecs(-1) << false
                                          << ExceptionStatus::Pending << false << u""_s;
    QTest::newRow("pending, window just ended")
        << ExceptionStatus::Pending << kEnd << true << ExceptionStatus::Rejected << true << u"auto_reject"_s;
    QTest::newRow("approved, window open")
        << ExceptionStatus::Approved << kDuring << false << ExceptionStatus::Approved << false << u""_s;
    QTest::newRow("approved, window ended") << ExceptionStatus::Approved << kEnd.addDays(3) << true
                                            << ExceptionStatus::Expired << false << u"expire"_s;
    QTest::newRow("rejected stays rejected") << ExceptionStatus::Rejected << kEnd.addDays(3) << false
                                             << ExceptionStatus::Rejected << false << u""_s;
    QTest::newRow("withdrawn stays withdrawn") << ExceptionStatus::Withdrawn << kEnd.addDays(3) << false
                                               << ExceptionStatus::Withdrawn << false << u""_s;
    QTest::newRow("expired stays expired")
        << ExceptionStatus::Expired << kEnd.addDays(3) << false << ExceptionStatus::Expired << false << u""_s;
}

void DecisionTest::expiry() {
    QFETCH(ExceptionStatus, status);
    QFETCH(QDateTime, now);
    QFETCH(bool, changes);
    QFETCH(ExceptionStatus, after);
    QFETCH(bool, autoRejected);
    QFETCH(QString, action);
    RiskException e = pendingException();
    e.status = status;
    const auto outcome = ExceptionDecision::expireIfDue(e, now);
    QCOMPARE(outcome.has_value(), changes);
    if (!outcome)
        return;
    QCOMPARE(outcome->updated.status, after);
    QCOMPARE(outcome->updated.autoRejected, autoRejected);
    QCOMPARE(outcome->step.action, action);
    QCOMPARE(outcome->step.approverId, u"system"_s);
    if (autoRejected)
        QVERIFY(!outcome->updated.rejectionReason.isEmpty()); // a stated reason
}

// English sentences are set apart by a space; a Chinese one ends in a full-width mark and the next follows it
// directly (helper-82: "高风险。 有效期最长 366 天。").
void DecisionTest::sentencesFollowTheirLanguage() {
    QCOMPARE(Sentences::join({u"Severity: high."_s, u"A window of at most 366 days."_s}),
             u"Severity: high. A window of at most 366 days."_s);
    QCOMPARE(Sentences::join({u"严重程度：高风险。"_s, u"有效期最长 366 天。"_s, u"适用于报销单类目标。"_s}),
             u"严重程度：高风险。有效期最长 366 天。适用于报销单类目标。"_s);
    QCOMPARE(Sentences::join({u"检查于 10:00:00。"_s, u"Checked."_s}), u"检查于 10:00:00。Checked."_s);
    QCOMPARE(Sentences::join({QString(), u"One."_s, QString(), u"Two."_s}), u"One. Two."_s);
    QCOMPARE(Sentences::append(u"完好："_s, u"第 3 条"_s), u"完好：第 3 条"_s);
    QCOMPARE(Sentences::join({u"已核验（第 12 条）"_s, u"核验于 10:00:00。"_s}),
             u"已核验（第 12 条）核验于 10:00:00。"_s);
    QCOMPARE(Sentences::join({u"Checked (entry 12)"_s, u"Done."_s}), u"Checked (entry 12) Done."_s);
    QCOMPARE(Sentences::append(QString(), QString()), QString());
}

void DecisionTest::blankReasons_data() {
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("blank");
    QTest::addColumn<QString>("trimmed");
    for (const test::ReasonCase& c : test::reasonCases())
        QTest::newRow(c.name) << c.reason << c.blank << c.trimmed;
}

void DecisionTest::blankReasons() {
    // The same table as tst_server's: the desktop's rule, the state machine that uses it, the validator.
    QFETCH(QString, reason);
    QFETCH(bool, blank);
    QFETCH(QString, trimmed);
    QCOMPARE(TextRules::isBlank(reason), blank);
    DecisionRequest r;
    r.exception = pendingException();
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    r.action = DecisionAction::Reject;
    r.comment = reason;
    r.now = kDuring;
    const DecisionResult result = ExceptionDecision::decide(r);
    if (blank) {
        const auto* refused = std::get_if<Refusal>(&result);
        QVERIFY2(refused, "a blank reason was accepted");
        QCOMPARE(refused->code, RefusalCode::ReasonRequired);
        RiskException e = pendingException();
        e.justification = reason;
        bool flagged = false;
        for (const Problem& p : ExceptionValidator::validate(e))
            flagged = flagged || (p.field == u"justification" && p.code == u"blank");
        QVERIFY(flagged);
        return;
    }
    const auto* outcome = std::get_if<DecisionOutcome>(&result);
    QVERIFY2(outcome, "a reason was refused");
    QCOMPARE(outcome->updated.rejectionReason, trimmed);
    QCOMPARE(TextRules::trimmed(reason), trimmed);
}

void DecisionTest::aControlCharacterInACommentIsRefused() {
    DecisionRequest r;
    r.exception = pendingException();
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    r.action = DecisionAction::Reject;
    r.comment = u"ok\u0007 then"_s;
    r.now = kDuring;
    DecisionResult result = ExceptionDecision::decide(r);
    const auto* refused = std::get_if<Refusal>(&result);
    QVERIFY(refused);
    QCOMPARE(ExceptionDecision::refusalCodeName(refused->code), u"invalid_text"_s);
    QVERIFY2(refused->message.contains(u"U+0007 at character 3"_s), qPrintable(refused->message));
    // So is a bidirectional override, which would make the log read otherwise than it is stored ("abc" then
    // "evil" reversed), or an isolate; the marks that right-to-left text needs are kept.
    for (const auto& [comment, where] : {std::pair{u"abc\u202Eevil"_s, u"U+202E at character 4"_s},
                                         {u"a\u2067b"_s, u"U+2067 at character 2"_s},
                                         {u"x\u202Ay"_s, u"U+202A at character 2"_s}}) {
        r.comment = comment;
        result = ExceptionDecision::decide(r);
        refused = std::get_if<Refusal>(&result);
        QVERIFY2(refused && refused->message.contains(where), qPrintable(comment));
    }
    r.comment = u"שלום \u200Fok\u200E"_s;
    result = ExceptionDecision::decide(r);
    QVERIFY(!std::holds_alternative<Refusal>(result));
    r.comment = u"Two lines:\n\tthe second indented."_s; // a person's tab and line break are kept
    result = ExceptionDecision::decide(r);
    QVERIFY(!std::holds_alternative<Refusal>(result));
    // An exception that arrives from the server is taken with whatever its justification holds.
    RiskException e = pendingException();
    e.justification = u"from psql \u001b[2J"_s;
    QVERIFY(ExceptionValidator::validate(e).isEmpty());
}

void DecisionTest::aNulInACommentIsRefused() {
    // libpq would cut "a\0b" to "a" on its way to the server: refused here, with a message that says why.
    DecisionRequest r;
    r.exception = pendingException();
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    r.action = DecisionAction::Reject;
    r.comment = u"a"_s + QChar(u'\0') + u"b"_s;
    r.now = kDuring;
    const DecisionResult result = ExceptionDecision::decide(r);
    const auto* refused = std::get_if<Refusal>(&result);
    QVERIFY(refused);
    QCOMPARE(ExceptionDecision::refusalCodeName(refused->code), u"invalid_text"_s);
    QVERIFY2(refused->message.contains(u"U+0000"_s), qPrintable(refused->message));
    RiskException e = pendingException();
    e.justification = r.comment;
    const QList<Problem> problems = ExceptionValidator::validate(e);
    QVERIFY(std::any_of(problems.begin(), problems.end(), [](const Problem& p) {
        return p.field == u"justification" && p.code == u"nul_character";
    }));
}

void DecisionTest::everyInvisibleCharacterOfUnicodeIsBlank() {
    // Default_Ignorable_Code_Point, Cf and White_Space as the UCD lists them (the Egyptian hieroglyph and
    // shorthand format controls were missing), and every format character and space Qt itself knows.
    QStringList missing;
    for (const auto& [first, last] : test::blankByUnicode())
        for (char32_t c = first; c <= last; ++c)
            if (!TextRules::isBlankCharacter(c))
                missing << u"U+%1"_s.arg(uint(c), 4, 16, QChar(u'0')).toUpper();
    for (char32_t c = 1; c <= 0x10FFFF; ++c)
        if ((QChar::category(c) == QChar::Other_Format || QChar::isSpace(c)) &&
            !TextRules::isBlankCharacter(c))
            missing << u"U+%1 (Qt)"_s.arg(uint(c), 4, 16, QChar(u'0')).toUpper();
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u' ')));
    QVERIFY(TextRules::isBlank(u"\U00013430\U0001343F\U0001BCA0"_s));
    QVERIFY(!TextRules::isBlank(u"\U00013000"_s)); // a hieroglyph prints
}

void DecisionTest::longCommentsAreRefused() {
    // The server refuses comments over 2000 characters (tst_server aLongCommentIsRefused); so does the
    // desktop.
    DecisionRequest r;
    r.exception = pendingException();
    r.actor = Actor{u"bob"_s, UserRole::Approver};
    r.action = DecisionAction::Reject;
    r.now = kDuring;
    r.comment = QString(2001, u'c');
    const DecisionResult tooLong = ExceptionDecision::decide(r);
    const auto* refused = std::get_if<Refusal>(&tooLong);
    QVERIFY(refused);
    QCOMPARE(ExceptionDecision::refusalCodeName(refused->code), u"comment_too_long"_s);
    QVERIFY2(refused->message.contains(u"2000"_s), qPrintable(refused->message));
    r.comment = QString(2000, u'c') + u"  \n"_s; // spaces around do not count
    QVERIFY(std::holds_alternative<DecisionOutcome>(ExceptionDecision::decide(r)));
    r.comment = u"😀"_s.repeated(2000); // characters, not UTF-16 units
    QCOMPARE(TextRules::characterCount(r.comment), 2000);
    QVERIFY(std::holds_alternative<DecisionOutcome>(ExceptionDecision::decide(r)));
}

void DecisionTest::timesAndLabelsAreBounded() {
    // create_exception's rules for times and the category, checked on the desktop first.
    auto problemsWith = [](auto&& change) {
        RiskException e = pendingException();
        change(e);
        QStringList codes;
        for (const Problem& p : ExceptionValidator::validate(e))
            codes << p.field + u':' + p.code;
        return codes;
    };
    QCOMPARE(problemsWith([](RiskException& e) { e.validEndTime = e.validStartTime.addDays(366); }),
             QStringList());
    QCOMPARE(problemsWith([](RiskException& e) { e.validEndTime = e.validStartTime.addDays(367); }),
             QStringList{u"valid_end_time:window_too_long"_s});
    QCOMPARE(problemsWith([](RiskException& e) {
                 e.validEndTime = QDateTime(QDate(2200, 1, 1), QTime(0, 0), QTimeZone::utc());
                 e.validStartTime = e.validEndTime.addDays(-1);
             }),
             QStringList{u"valid_end_time:out_of_range"_s});
    QCOMPARE(problemsWith([](RiskException& e) {
                 e.validStartTime = QDateTime(QDate(1999, 12, 31), QTime(23, 0), QTimeZone::utc());
                 e.validEndTime = e.validStartTime.addDays(1);
             }),
             QStringList{u"valid_start_time:out_of_range"_s});
    for (const QString& bad : {u"Business\u001b[31m"_s, u"Business\u202e"_s, u"Business\tnecessity"_s})
        QCOMPARE(problemsWith([&](RiskException& e) { e.reasonCategory = bad; }),
                 QStringList{u"reason_category:malformed_label"_s});
    QCOMPARE(problemsWith([](RiskException& e) { e.reasonCategory = u"Business necessity 业务"_s; }),
             QStringList());
}

void DecisionTest::identifiersAndLengthsAreChecked() {
    // The server's create_exception checks the same (tst_server createExceptionValidatesLikeTheDesktop).
    auto problemsWith = [](auto&& change) {
        RiskException e = pendingException();
        change(e);
        QStringList codes;
        for (const Problem& p : ExceptionValidator::validate(e))
            codes << p.field + u':' + p.code;
        return codes;
    };
    QCOMPARE(problemsWith([](RiskException&) {}), QStringList());
    for (const QString& bad :
         {u"CLM\t1"_s, u"CLM\n1"_s, u"CLM\u202e1"_s, u"CLM 1"_s, u"CLM\u200b1"_s, QString(129, u'x')})
        QCOMPARE(problemsWith([&](RiskException& e) { e.targetId = bad; }),
                 QStringList{u"target_id:malformed_id"_s});
    QCOMPARE(problemsWith([](RiskException& e) { e.justification = QString(10001, u'j'); }),
             QStringList{u"justification:too_long"_s});
    QCOMPARE(problemsWith([](RiskException& e) { e.reasonCategory = QString(65, u'c'); }),
             QStringList{u"reason_category:too_long"_s});
    QCOMPARE(problemsWith([](RiskException& e) { e.recordId = u"exc-0123456789a\t"_s; }),
             QStringList{u"record_id:malformed_id"_s});
    QVERIFY(TextRules::isPlainId(QString(128, u'x')));
    QVERIFY(TextRules::isPlainId(u"客户-😀"_s));
}

QTEST_GUILESS_MAIN(DecisionTest)
#include "tst_decision.moc"
