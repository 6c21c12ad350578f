#pragma once

#include "DomainTypes.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace riskdesk {

// One entry of an exception's own approval chain (the reference's approval_chain_log item).
struct ApprovalStep {
    QString approverId;
    QString action; // approve | reject | withdraw | auto_reject | expire
    QString comment;
    QDateTime timestamp;
    int step = 0; // 1-based approval step for approvals; 0 for other actions

    bool operator==(const ApprovalStep&) const = default;
};

// A request to waive one risk rule for one target during a validity window.
struct RiskException {
    QString recordId; // exc- + 12 lower-case hex digits
    QString tenantId;
    QString applicantId;
    QDateTime applyTime;
    TargetType targetType = TargetType::Claim;
    QString targetId;
    QString riskRuleId;
    ExceptionStatus status = ExceptionStatus::Pending;
    QDateTime validStartTime;
    QDateTime validEndTime;
    QString reasonCategory;
    QString justification;
    QString attachmentUrl;
    QString currentApproverId;
    QList<ApprovalStep> approvalChainLog;
    bool autoRejected = false;
    QString rejectionReason;
    QDateTime lastStatusAt;
    qint64 version = 1;

    // Approval steps already recorded (for the two-step rule).
    int approvalsRecorded() const;
    // Whether this user already approved, rejected or otherwise acted on the exception.
    bool hasActed(const QString& userId) const;

    bool operator==(const RiskException&) const = default;
};

} // namespace riskdesk
