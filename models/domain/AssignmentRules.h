#pragma once

#include "DomainTypes.h"
#include "ExceptionDecision.h"
#include "Result.h"
#include "RiskException.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <optional>

namespace riskdesk {

enum class AssignmentAction { Assign, Claim, Release, Escalate };

QString toWire(AssignmentAction action);
std::optional<AssignmentAction> assignmentActionFromWire(const QString& wire);

// Who works on a pending exception now. Kept apart from the exception: an assignment never changes a
// decision, the exception's version or the approval log.
struct Assignment {
    QString tenantId;
    QString recordId;
    QString assigneeId; // empty: nobody
    bool escalated = false;
    qint64 version = 0; // 0: never assigned
    QString changedBy;
    QDateTime changedAt;
};

// One change of an assignment: who, when, from whom to whom.
struct AssignmentEvent {
    QString eventId;
    QString recordId;
    QString actorId;
    AssignmentAction action = AssignmentAction::Assign;
    QString fromId;
    QString toId;
    QDateTime at;
    qint64 version = 0;
    QString syncState; // waiting | sent | refused | server
    QString syncError;
};

struct AssignmentRequest {
    RiskException exception;
    Assignment current;
    AssignmentAction action = AssignmentAction::Assign;
    Actor actor;
    QString assigneeId;    // assign and escalate; claim: the actor; release: ignored
    QStringList approvers; // of the tenant
    QStringList leads;     // of the tenant
    bool pastSla = false;  // escalation is for exceptions past their SLA
    QDateTime now;
};

// The rules of assignment, pure. An assignee must be someone the state machine would let decide the
// exception (ExceptionDecision::decide): an approver, not its applicant, not one who already acted, and
// "only the current approver" when a two-step approval named one. The server's change_assignment checks the
// same (all but the SLA, which lives in the workspace).
class AssignmentRules {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::AssignmentRules)

public:
    // The assignment after the request, or why it is refused (the problem's code is the server's).
    static Result<Assignment> apply(const AssignmentRequest& request);
    static QString actionName(AssignmentAction action); // translated, for the log's readers
};

} // namespace riskdesk
