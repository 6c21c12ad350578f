#pragma once

#include "BoardRequest.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace riskdesk {

// One approval-log entry of an exception, as BOARD-4 reads it.
struct RiskOpsLogEntry {
    qint64 seq = 0;
    QString actorId;
    QString action; // approve | reject | withdraw | auto_reject | expire
    int step = 0;
    QString statusAfter;
    qint64 atMs = 0;
};

// How an exception was finally decided (spec §9.3): its first log entry that left it approved or rejected.
enum class RiskOpsFinal { None, Approve, Reject, AutoReject };

// One exception with its log, and what BOARD-4's definitions derive from them.
struct RiskOpsCase {
    QString recordId;
    QString ruleId;
    QString severity; // the rule's (medium when the rule is unknown)
    QString targetType;
    QString targetId;
    QString reasonCategory;
    QString status;
    qint64 applyMs = 0;
    qint64 validEndMs = 0;
    QList<RiskOpsLogEntry> log; // in chain order; empty when read for the board's figures only

    RiskOpsFinal final = RiskOpsFinal::None;
    qint64 finalAtMs = 0;
    std::optional<qint64> withdrawnAtMs;
    std::optional<qint64> firstActionMs; // the first approval or rejection (a person acting on it)
    bool fourEyes = false;               // two distinct people approved up to the final approval

    // Pending at instant t: applied by t, and neither finally decided nor withdrawn at or before t.
    bool pendingAt(qint64 t) const;
    // High and critical rules need two approval steps (as ExceptionDecision enforces).
    bool twoStep() const { return severity == u"high" || severity == u"critical"; }
};

// One person's approval or rejection of an exception (the approver workload's unit).
struct RiskOpsStep {
    QString actorId;
    qint64 atMs = 0;
    qint64 sinceMs = 0; // the entry before it, or the application: what the step waited since
    bool final = false; // it was the exception's final decision
};

// One approval or rejection by an approver, as the workload's drill-down lists it.
struct RiskOpsApproverEntry {
    qint64 seq = 0;
    QString recordId;
    QString action;
    int step = 0;
    QString statusAfter;
    qint64 atMs = 0;
    qint64 sinceMs = 0; // the entry before it, or the application
};

// How much a request needs: the figures of the board (read from exception_progress and approval_steps alone),
// or each exception's whole log as well (drill-downs list entries, and the approver filter asks who acted).
enum class RiskOpsDetail { Figures, Logs };

// Instants in UTC milliseconds, both included: every instant a request looks at (its periods and its as-of
// instants).
struct RiskOpsSpan {
    qint64 from = 0;
    qint64 to = 0;
};

// The exceptions of a tenant that BOARD-4's filters keep, with their approval logs. Read once per request:
// the board's percentiles need the individual times.
class RiskOpsHistory {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RiskOpsHistory)

public:
    // With a span, only the exceptions that can count within it: applied by its end, and open or settled
    // (finally decided, else withdrawn) at or after its start, found through exception_progress (migration
    // 016); the others are never pending, applied for, decided or acted on within it. Without one, every
    // exception of the tenant and its whole log (the plain replay the benchmark and the tests compare with).
    // Refused, naming the option, when a filter names a rule, severity, target type or approver that does not
    // exist for the tenant.
    // With Figures (which needs a span), the cases carry no log, and an id only when they broke the four-eyes
    // rule (the board names those); steps() has the steps within the span.
    static Result<RiskOpsHistory> load(QSqlDatabase db, const BoardRequest& request,
                                       std::optional<RiskOpsSpan> span, RiskOpsDetail detail);

    // In the order the board lists them (application time, then id) when read with their logs.
    const QList<RiskOpsCase>& cases() const { return m_cases; }
    // The approvals and rejections of the kept exceptions (within the span when one was given).
    const QList<RiskOpsStep>& steps() const { return m_steps; }
    // SLA target of a severity in milliseconds: the tenant's sla_policy, else the defaults of spec §9.2.
    qint64 slaMs(const QString& severity) const;
    qint64 slaMinutes(const QString& severity) const;
    bool slaConfigured() const { return m_slaConfigured; }
    // The tenant's rule severities (for filtering rule_outcomes the same way).
    const QHash<QString, QString>& ruleSeverities() const { return m_ruleSeverity; }

    static qint64 defaultSlaMinutes(const QString& severity);

    // The approvals and rejections `actor` made in [fromMs, toMs) on exceptions the request's filters keep
    // (the approver filter too), in log order, from approval_steps: every one, also a stray step on an
    // exception settled before the span (the workload counts those too).
    Result<QList<RiskOpsApproverEntry>> entriesOf(QSqlDatabase db, const BoardRequest& request,
                                                  const QString& actor, qint64 fromMs, qint64 toMs) const;

private:
    // The two ways of reading, and what both derive from what they read.
    Status loadWithLogs(QSqlDatabase db, const BoardRequest& request, std::optional<RiskOpsSpan> span);
    Status loadFigures(QSqlDatabase db, const BoardRequest& request, const RiskOpsSpan& span);
    Status loadSteps(QSqlDatabase db, const BoardRequest& request, const RiskOpsSpan& span);
    Status loadViolationLogs(QSqlDatabase db, const QString& tenant);
    void deriveFromLogs();

    QList<RiskOpsCase> m_cases;
    QList<RiskOpsStep> m_steps;
    QHash<QString, qint64> m_slaMinutes;
    QHash<QString, QString> m_ruleSeverity;
    bool m_slaConfigured = false;
};

} // namespace riskdesk

// Moved as bytes when a list grows: a board reads hundreds of thousands of cases, and moving each one member
// by member took a third of a request's time.
Q_DECLARE_TYPEINFO(riskdesk::RiskOpsLogEntry, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(riskdesk::RiskOpsCase, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(riskdesk::RiskOpsStep, Q_RELOCATABLE_TYPE);
