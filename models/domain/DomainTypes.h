#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace riskdesk {

enum class ExceptionStatus { Pending, Approved, Rejected, Expired, Withdrawn };
enum class TargetType { Claim, ClaimItem, Transaction, Merchant, User };
enum class Severity { Low, Medium, High, Critical };
enum class UserRole { Applicant, Approver, Auditor, Finance };
enum class DecisionAction { Approve, Reject, Withdraw };

// Wire names: the reference's lower-case strings, used in JSON, SQL and on the command line.
QString toWire(ExceptionStatus status);
QString toWire(TargetType type);
QString toWire(Severity severity);
QString toWire(UserRole role);
QString toWire(DecisionAction action);

std::optional<ExceptionStatus> statusFromWire(QStringView text);
std::optional<TargetType> targetTypeFromWire(QStringView text);
std::optional<Severity> severityFromWire(QStringView text);
std::optional<UserRole> roleFromWire(QStringView text);
std::optional<DecisionAction> actionFromWire(QStringView text);

QStringList allStatusWires();
QStringList allTargetTypeWires();
QStringList allSeverityWires();
QStringList allRoleWires();

// Translated names for people.
QString displayName(ExceptionStatus status);
QString displayName(TargetType type);
QString displayName(Severity severity);
QString displayName(UserRole role);

// A decision can still be made only while pending. Approved is closed to decisions but lapses to expired
// when its validity window ends; rejected, expired and withdrawn never change again.
bool acceptsDecisions(ExceptionStatus status);

// High and critical rules need two approvals by two different approvers; the others need one.
int requiredApprovalSteps(Severity severity);

} // namespace riskdesk
