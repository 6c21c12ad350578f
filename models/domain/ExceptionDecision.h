#pragma once

#include "DomainTypes.h"
#include "RiskException.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>
#include <optional>
#include <variant>

namespace riskdesk {

struct Actor {
    QString userId;
    UserRole role = UserRole::Approver;
};

struct DecisionRequest {
    RiskException exception;
    Severity severity = Severity::Medium; // of the exception's rule
    Actor actor;
    DecisionAction action = DecisionAction::Approve;
    QString comment;
    QDateTime now;
    // Approvers of the tenant, in hand-off order: after a first approval of a two-step rule the exception
    // goes to the first one who is neither the applicant nor has acted already.
    QStringList approverPool;
    // Who the exception is assigned to (exception_assignments; empty: nobody). An assignee who has not acted
    // yet is the only one who may approve or reject it, unless a first step named the approver of the second;
    // anyone else claims it first, which the assignment log records.
    QString assigneeId;
};

enum class RefusalCode {
    NotPending,         // the exception is in a state that takes no decision
    WindowEnded,        // the validity window ended before a decision; the caller should apply expireIfDue
    ReasonRequired,     // reject with a blank reason
    OwnRequest,         // the applicant tried to approve or reject their own request
    AlreadyActed,       // this user already acted on the exception
    NotCurrentApprover, // a two-step approval handed the exception to another approver
    AssignedToAnother,  // another approver holds the exception's assignment (claim it to decide it)
    NotAnApprover,      // the actor's role cannot approve or reject
    NotApplicant,       // only the applicant may withdraw
    InvalidText,        // the comment holds a character that cannot be stored (U+0000)
    CommentTooLong,     // the comment has more than TextRules::kMaxCommentCharacters characters
};

struct Refusal {
    RefusalCode code;
    QString message; // translated, names the exception and what to do
};

struct DecisionOutcome {
    RiskException updated;      // version incremented, chain log appended
    ApprovalStep step;          // the entry appended to the chain log (and to the tenant's audit log)
    bool finalDecision = false; // false when a first approval handed the exception to the next approver
};

using DecisionResult = std::variant<DecisionOutcome, Refusal>;

// Pure decision logic: no clock, no database. Every rule of the state machine lives here.
class ExceptionDecision {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ExceptionDecision)

public:
    static DecisionResult decide(const DecisionRequest& request);
    // Why this actor can approve or reject nothing at all (not an approver), whatever the exception: decide()
    // says it only after the exception's own state, which the server checks in the same order.
    static std::optional<Refusal> roleRefusal(const Actor& actor);

    // Time-driven transitions: a pending exception whose window has ended is rejected automatically
    // (auto_rejected, with a stated reason); an approved waiver whose window has ended expires.
    static std::optional<DecisionOutcome> expireIfDue(const RiskException& exception, const QDateTime& now);

    // Who alone decides a pending exception next: the approver a first step of two named, else the one it is
    // assigned to. Empty when any eligible approver may, or when it is no longer pending. decide() refuses
    // everyone else; the queue and the detail panel show it as "Decides next".
    static QString nextDecider(ExceptionStatus status, const QString& currentApproverId,
                               const QString& assigneeId);
    // The same for a whole exception, where an assignee who has already acted no longer binds: a hold left
    // from before a first step released it (older desktops, or a claim synced after the step) must not stop
    // everyone, its holder included. The queue's column reads the short form (its rows carry no chain).
    static QString nextDecider(const RiskException& exception, const QString& assigneeId);

    static QString refusalCodeName(RefusalCode code);
    // A step made by time (auto_reject, expire), not by a person.
    static bool isTimeDriven(const ApprovalStep& step);
};

} // namespace riskdesk
