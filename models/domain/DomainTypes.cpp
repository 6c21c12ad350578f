#include "DomainTypes.h"

#include <QCoreApplication>
#include <array>
#include <utility>

namespace riskdesk {

namespace {

template <typename Enum, std::size_t N> using WireTable = std::array<std::pair<Enum, const char16_t*>, N>;

constexpr WireTable<ExceptionStatus, 5> kStatuses{{{ExceptionStatus::Pending, u"pending"},
                                                   {ExceptionStatus::Approved, u"approved"},
                                                   {ExceptionStatus::Rejected, u"rejected"},
                                                   {ExceptionStatus::Expired, u"expired"},
                                                   {ExceptionStatus::Withdrawn, u"withdrawn"}}};
constexpr WireTable<TargetType, 5> kTargetTypes{{{TargetType::Claim, u"claim"},
                                                 {TargetType::ClaimItem, u"claim_item"},
                                                 {TargetType::Transaction, u"transaction"},
                                                 {TargetType::Merchant, u"merchant"},
                                                 {TargetType::User, u"user"}}};
constexpr WireTable<Severity, 4> kSeverities{{{Severity::Low, u"low"},
                                              {Severity::Medium, u"medium"},
                                              {Severity::High, u"high"},
                                              {Severity::Critical, u"critical"}}};
constexpr WireTable<UserRole, 4> kRoles{{{UserRole::Applicant, u"applicant"},
                                         {UserRole::Approver, u"approver"},
                                         {UserRole::Auditor, u"auditor"},
                                         {UserRole::Finance, u"finance"}}};
constexpr WireTable<DecisionAction, 3> kActions{{{DecisionAction::Approve, u"approve"},
                                                 {DecisionAction::Reject, u"reject"},
                                                 {DecisionAction::Withdraw, u"withdraw"}}};

template <typename Enum, std::size_t N> QString wireOf(const WireTable<Enum, N>& table, Enum value) {
    for (const auto& [e, text] : table)
        if (e == value)
            return QString::fromUtf16(text);
    return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> fromWire(const WireTable<Enum, N>& table, QStringView text) {
    for (const auto& [e, wire] : table)
        if (text == QStringView(wire))
            return e;
    return std::nullopt;
}

template <typename Enum, std::size_t N> QStringList allWires(const WireTable<Enum, N>& table) {
    QStringList out;
    for (const auto& entry : table)
        out << QString::fromUtf16(entry.second);
    return out;
}

} // namespace

QString toWire(ExceptionStatus v) {
    return wireOf(kStatuses, v);
}
QString toWire(TargetType v) {
    return wireOf(kTargetTypes, v);
}
QString toWire(Severity v) {
    return wireOf(kSeverities, v);
}
QString toWire(UserRole v) {
    return wireOf(kRoles, v);
}
QString toWire(DecisionAction v) {
    return wireOf(kActions, v);
}

std::optional<ExceptionStatus> statusFromWire(QStringView t) {
    return fromWire(kStatuses, t);
}
std::optional<TargetType> targetTypeFromWire(QStringView t) {
    return fromWire(kTargetTypes, t);
}
std::optional<Severity> severityFromWire(QStringView t) {
    return fromWire(kSeverities, t);
}
std::optional<UserRole> roleFromWire(QStringView t) {
    return fromWire(kRoles, t);
}
std::optional<DecisionAction> actionFromWire(QStringView t) {
    return fromWire(kActions, t);
}

QStringList allStatusWires() {
    return allWires(kStatuses);
}
QStringList allTargetTypeWires() {
    return allWires(kTargetTypes);
}
QStringList allSeverityWires() {
    return allWires(kSeverities);
}
QStringList allRoleWires() {
    return allWires(kRoles);
}

QString displayName(ExceptionStatus status) {
    switch (status) {
    case ExceptionStatus::Pending:
        return QCoreApplication::translate("riskdesk::Domain", "Pending");
    case ExceptionStatus::Approved:
        return QCoreApplication::translate("riskdesk::Domain", "Approved");
    case ExceptionStatus::Rejected:
        return QCoreApplication::translate("riskdesk::Domain", "Rejected");
    case ExceptionStatus::Expired:
        return QCoreApplication::translate("riskdesk::Domain", "Expired");
    case ExceptionStatus::Withdrawn:
        return QCoreApplication::translate("riskdesk::Domain", "Withdrawn");
    }
    return {};
}

QString displayName(TargetType type) {
    switch (type) {
    case TargetType::Claim:
        return QCoreApplication::translate("riskdesk::Domain", "Claim");
    case TargetType::ClaimItem:
        return QCoreApplication::translate("riskdesk::Domain", "Claim item");
    case TargetType::Transaction:
        return QCoreApplication::translate("riskdesk::Domain", "Transaction");
    case TargetType::Merchant:
        return QCoreApplication::translate("riskdesk::Domain", "Merchant");
    case TargetType::User:
        return QCoreApplication::translate("riskdesk::Domain", "User");
    }
    return {};
}

QString displayName(Severity severity) {
    switch (severity) {
    case Severity::Low:
        return QCoreApplication::translate("riskdesk::Domain", "Low risk");
    case Severity::Medium:
        return QCoreApplication::translate("riskdesk::Domain", "Medium risk");
    case Severity::High:
        return QCoreApplication::translate("riskdesk::Domain", "High risk");
    case Severity::Critical:
        return QCoreApplication::translate("riskdesk::Domain", "Critical risk");
    }
    return {};
}

QString displayName(UserRole role) {
    switch (role) {
    case UserRole::Applicant:
        return QCoreApplication::translate("riskdesk::Domain", "Applicant");
    case UserRole::Approver:
        return QCoreApplication::translate("riskdesk::Domain", "Approver");
    case UserRole::Auditor:
        return QCoreApplication::translate("riskdesk::Domain", "Auditor");
    case UserRole::Finance:
        return QCoreApplication::translate("riskdesk::Domain", "Finance");
    }
    return {};
}

bool acceptsDecisions(ExceptionStatus status) {
    return status == ExceptionStatus::Pending;
}

int requiredApprovalSteps(Severity severity) {
    return (severity == Severity::High || severity == Severity::Critical) ? 2 : 1;
}

} // namespace riskdesk
