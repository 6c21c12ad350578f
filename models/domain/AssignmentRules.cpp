#include "AssignmentRules.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

Problem refuse(const char* code, QString message) {
    return Problem{QString::fromLatin1(code), std::move(message), {}};
}

} // namespace

QString toWire(AssignmentAction action) {
    switch (action) {
    case AssignmentAction::Assign:
        return u"assign"_s;
    case AssignmentAction::Claim:
        return u"claim"_s;
    case AssignmentAction::Release:
        return u"release"_s;
    case AssignmentAction::Escalate:
        return u"escalate"_s;
    }
    return {};
}

std::optional<AssignmentAction> assignmentActionFromWire(const QString& wire) {
    for (auto a : {AssignmentAction::Assign, AssignmentAction::Claim, AssignmentAction::Release,
                   AssignmentAction::Escalate})
        if (toWire(a) == wire)
            return a;
    return std::nullopt;
}

QString AssignmentRules::actionName(AssignmentAction action) {
    switch (action) {
    case AssignmentAction::Assign:
        return tr("assigned");
    case AssignmentAction::Claim:
        return tr("claimed");
    case AssignmentAction::Release:
        return tr("released");
    case AssignmentAction::Escalate:
        return tr("escalated");
    }
    return {};
}

Result<Assignment> AssignmentRules::apply(const AssignmentRequest& r) {
    const RiskException& e = r.exception;
    if (r.actor.role != UserRole::Approver)
        return refuse("not_an_approver", tr("%1 takes part here as %2; only approvers assign exceptions.")
                                             .arg(r.actor.userId, displayName(r.actor.role).toLower()));
    if (e.status != ExceptionStatus::Pending)
        return refuse("not_pending", tr("%1 is already %2; only pending exceptions are assigned.")
                                         .arg(e.recordId, displayName(e.status).toLower()));
    const bool isLead = r.leads.contains(r.actor.userId);
    QString to;
    switch (r.action) {
    case AssignmentAction::Claim:
        to = r.actor.userId;
        break;
    case AssignmentAction::Release:
        if (r.current.assigneeId.isEmpty())
            return refuse("not_assigned", tr("%1 is not assigned to anyone.").arg(e.recordId));
        if (r.current.assigneeId != r.actor.userId && !isLead)
            return refuse("not_yours", tr("%1 is assigned to %2; only they or a lead can release it.")
                                           .arg(e.recordId, r.current.assigneeId));
        break;
    case AssignmentAction::Assign:
    case AssignmentAction::Escalate:
        to = r.assigneeId.trimmed();
        if (to.isEmpty())
            return refuse("assignee_required", tr("Say who %1 goes to.").arg(e.recordId));
        break;
    }
    const bool escalate = r.action == AssignmentAction::Escalate;
    if (r.action != AssignmentAction::Release) {
        if (!r.approvers.contains(to))
            return refuse("not_an_approver", tr("%1 is not an approver of this tenant.").arg(to));
        if (escalate && !r.leads.contains(to))
            return refuse("not_a_lead", tr("%1 is not a lead of this tenant.").arg(to));
        if (escalate && !r.pastSla)
            return refuse(
                "within_sla",
                tr("%1 is still within its SLA; only overdue exceptions are escalated.").arg(e.recordId));
        if (to == e.applicantId)
            return refuse("own_request",
                          tr("%1 applied for %2; another approver must decide it.").arg(to, e.recordId));
        if (e.hasActed(to))
            return refuse(
                "already_acted",
                tr("%1 already acted on %2; the next step needs another approver.").arg(to, e.recordId));
        if (!e.currentApproverId.isEmpty() && e.currentApproverId != to)
            return refuse(
                "not_current_approver",
                tr("%2 is routed to %1, who alone can decide it now, so it cannot go to anyone else.")
                    .arg(e.currentApproverId, e.recordId));
    }
    const bool escalated = escalate || (r.action != AssignmentAction::Release && r.current.escalated &&
                                        to == r.current.assigneeId);
    if (to == r.current.assigneeId && escalated == r.current.escalated)
        return refuse("unchanged", to.isEmpty() ? tr("%1 is not assigned to anyone.").arg(e.recordId)
                                                : tr("%1 is already assigned to %2.").arg(e.recordId, to));
    Assignment next = r.current;
    next.tenantId = e.tenantId;
    next.recordId = e.recordId;
    next.assigneeId = to;
    next.escalated = escalated;
    next.version = r.current.version + 1;
    next.changedBy = r.actor.userId;
    next.changedAt = r.now;
    return next;
}

} // namespace riskdesk
