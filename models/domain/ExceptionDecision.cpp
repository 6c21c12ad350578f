#include "ExceptionDecision.h"

#include "SystemComment.h"
#include "TextRules.h"
#include "TimeText.h"

#include <QCoreApplication>
#include <QLocale>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

Refusal refuse(RefusalCode code, QString message) {
    return Refusal{code, std::move(message)};
}

DecisionOutcome record(RiskException e, ApprovalStep step, bool final) {
    e.approvalChainLog.append(step);
    e.version += 1;
    return DecisionOutcome{std::move(e), std::move(step), final};
}

QString nextApprover(const DecisionRequest& r) {
    for (const QString& candidate : r.approverPool) {
        if (candidate != r.exception.applicantId && candidate != r.actor.userId &&
            !r.exception.hasActed(candidate))
            return candidate;
    }
    return {}; // nobody left to assign: any eligible approver may take the second step
}

} // namespace

QString ExceptionDecision::nextDecider(ExceptionStatus status, const QString& currentApproverId,
                                       const QString& assigneeId) {
    if (!acceptsDecisions(status))
        return {};
    // A named second step outranks an assignment made before that step (AssignmentRules would refuse it now).
    return currentApproverId.isEmpty() ? assigneeId : currentApproverId;
}

QString ExceptionDecision::nextDecider(const RiskException& exception, const QString& assigneeId) {
    return nextDecider(exception.status, exception.currentApproverId,
                       exception.hasActed(assigneeId) ? QString() : assigneeId);
}

QString ExceptionDecision::refusalCodeName(RefusalCode code) {
    switch (code) {
    case RefusalCode::NotPending:
        return u"not_pending"_s;
    case RefusalCode::WindowEnded:
        return u"window_ended"_s;
    case RefusalCode::ReasonRequired:
        return u"reason_required"_s;
    case RefusalCode::OwnRequest:
        return u"own_request"_s;
    case RefusalCode::AlreadyActed:
        return u"already_acted"_s;
    case RefusalCode::NotCurrentApprover:
        return u"not_current_approver"_s;
    case RefusalCode::AssignedToAnother:
        return u"assigned_to_another"_s;
    case RefusalCode::NotAnApprover:
        return u"not_an_approver"_s;
    case RefusalCode::NotApplicant:
        return u"not_applicant"_s;
    case RefusalCode::InvalidText:
        return u"invalid_text"_s;
    case RefusalCode::CommentTooLong:
        return u"comment_too_long"_s;
    }
    return {};
}

std::optional<Refusal> ExceptionDecision::roleRefusal(const Actor& actor) {
    if (actor.role == UserRole::Approver)
        return std::nullopt;
    return refuse(RefusalCode::NotAnApprover,
                  ExceptionDecision::tr("%1 takes part here as %2; only approvers can approve or reject.")
                      .arg(actor.userId, displayName(actor.role).toLower()));
}

DecisionResult ExceptionDecision::decide(const DecisionRequest& r) {
    const RiskException& e = r.exception;

    if (!acceptsDecisions(e.status))
        return refuse(RefusalCode::NotPending,
                      ExceptionDecision::tr("%1 is already %2; only pending exceptions can be decided.")
                          .arg(e.recordId, displayName(e.status).toLower()));
    if (e.validEndTime.isValid() && r.now >= e.validEndTime)
        return refuse(
            RefusalCode::WindowEnded,
            ExceptionDecision::tr("The validity window of %1 ended on %2 before a decision was made; "
                                  "it is rejected automatically.")
                .arg(e.recordId, TimeText::minutes(e.validEndTime)));

    ApprovalStep step;
    step.approverId = r.actor.userId;
    step.action = toWire(r.action);
    if (TextRules::containsNul(r.comment))
        return refuse(
            RefusalCode::InvalidText,
            ExceptionDecision::tr("The comment on %1 contains a NUL character (U+0000), which cannot be "
                                  "stored; remove it and decide again.")
                .arg(e.recordId));
    if (const auto control =
            TextRules::isBlank(r.comment) ? std::nullopt : TextRules::firstControl(r.comment))
        return refuse(RefusalCode::InvalidText,
                      ExceptionDecision::tr("The comment on %1 contains a control character (%2); remove it "
                                            "and decide again.")
                          .arg(e.recordId, TextRules::describe(*control)));
    step.comment = TextRules::trimmed(r.comment);
    if (const qsizetype length = TextRules::characterCount(step.comment);
        length > TextRules::kMaxCommentCharacters)
        return refuse(RefusalCode::CommentTooLong,
                      ExceptionDecision::tr("The comment on %1 has %2 characters; at most %3 are allowed. "
                                            "Shorten it and decide again.")
                          .arg(e.recordId)
                          .arg(length)
                          .arg(TextRules::kMaxCommentCharacters));
    step.timestamp = r.now;

    if (r.action == DecisionAction::Withdraw) {
        if (r.actor.userId != e.applicantId)
            return refuse(RefusalCode::NotApplicant,
                          ExceptionDecision::tr("Only the applicant (%1) can withdraw %2.")
                              .arg(e.applicantId, e.recordId));
        RiskException updated = e;
        updated.status = ExceptionStatus::Withdrawn;
        updated.currentApproverId.clear();
        updated.lastStatusAt = r.now;
        return record(std::move(updated), std::move(step), true);
    }

    if (auto role = roleRefusal(r.actor))
        return *role;
    if (r.actor.userId == e.applicantId)
        return refuse(RefusalCode::OwnRequest,
                      ExceptionDecision::tr("You applied for %1 yourself; another approver must decide it.")
                          .arg(e.recordId));
    if (e.hasActed(r.actor.userId))
        return refuse(
            RefusalCode::AlreadyActed,
            ExceptionDecision::tr("You already acted on %1; a second step needs a different approver.")
                .arg(e.recordId));
    if (!e.currentApproverId.isEmpty() && e.currentApproverId != r.actor.userId)
        return refuse(
            RefusalCode::NotCurrentApprover,
            e.approvalsRecorded() > 0
                ? ExceptionDecision::tr("%1 is routed to %2 for its second step; only they can decide "
                                        "it now.")
                      .arg(e.recordId, e.currentApproverId)
                // Routed when it was filed: no step is taken yet.
                : ExceptionDecision::tr("%1 is routed to %2; only they can decide it now.")
                      .arg(e.recordId, e.currentApproverId));
    // An assignment binds while no second step is named (that approver decides: the check above). An assignee
    // who takes the first step of two releases it with that step (DecisionService).
    if (const QString next = nextDecider(e, r.assigneeId); !next.isEmpty() && next != r.actor.userId)
        return refuse(RefusalCode::AssignedToAnother,
                      ExceptionDecision::tr("%1 is assigned to %2, so only they decide it; claim it first "
                                            "if you are taking it over.")
                          .arg(e.recordId, next));

    RiskException updated = e;
    if (r.action == DecisionAction::Reject) {
        if (TextRules::isBlank(step.comment)) // spaces, U+3000, zero-width marks… say nothing
            return refuse(
                RefusalCode::ReasonRequired,
                ExceptionDecision::tr("A rejection needs a reason. Say why %1 is rejected.").arg(e.recordId));
        updated.status = ExceptionStatus::Rejected;
        updated.rejectionReason = step.comment;
        updated.currentApproverId.clear();
        updated.lastStatusAt = r.now;
        return record(std::move(updated), std::move(step), true);
    }

    // Approve: record this step; the last required step makes it final.
    step.step = e.approvalsRecorded() + 1;
    if (step.step < requiredApprovalSteps(r.severity)) {
        updated.currentApproverId = nextApprover(r);
        return record(std::move(updated), std::move(step), false);
    }
    updated.status = ExceptionStatus::Approved;
    updated.currentApproverId.clear();
    updated.lastStatusAt = r.now;
    return record(std::move(updated), std::move(step), true);
}

bool ExceptionDecision::isTimeDriven(const ApprovalStep& step) {
    return step.approverId == u"system" && (step.action == u"auto_reject" || step.action == u"expire");
}

std::optional<DecisionOutcome> ExceptionDecision::expireIfDue(const RiskException& e, const QDateTime& now) {
    if (!e.validEndTime.isValid() || now < e.validEndTime)
        return std::nullopt;
    ApprovalStep step;
    step.approverId = SystemComment::actorId();
    step.timestamp = now;
    RiskException updated = e;
    // Stored in the canonical wording, whatever the language of this desktop; readers see it in theirs.
    if (e.status == ExceptionStatus::Pending) {
        step.action = SystemComment::action(SystemComment::Code::WindowEndedUndecided);
        step.comment = SystemComment::canonical(SystemComment::Code::WindowEndedUndecided, e.validEndTime);
        updated.status = ExceptionStatus::Rejected;
        updated.autoRejected = true;
        updated.rejectionReason = step.comment;
    } else if (e.status == ExceptionStatus::Approved) {
        step.action = SystemComment::action(SystemComment::Code::WaiverEnded);
        step.comment = SystemComment::canonical(SystemComment::Code::WaiverEnded, e.validEndTime);
        updated.status = ExceptionStatus::Expired;
    } else {
        return std::nullopt;
    }
    updated.currentApproverId.clear();
    updated.lastStatusAt = now;
    return record(std::move(updated), std::move(step), true);
}

} // namespace riskdesk
