#pragma once

#include "BoardRequest.h"
#include "TextInterner.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <array>
#include <limits>
#include <optional>
#include <vector>

namespace riskdesk {

// One entry of an exception's history, as BOARD-4 reads it.
struct RiskOpsLogEntry {
    qint64 seq = 0; // its place in the history (RiskOpsHistory::entryNumber gives its own log's number)
    QString actorId;
    QString action; // approve | reject | withdraw | auto_reject | expire
    int step = 0;
    QString statusAfter;
    qint64 atMs = 0;
};

// How an exception was finally decided (spec §9.3): its first log entry that left it approved or rejected.
enum class RiskOpsFinal : quint8 { None, Approve, Reject, AutoReject };

// A rule's severity (medium when the rule is unknown); the rules table allows no other.
enum class RiskOpsSeverity : quint8 { Low, Medium, High, Critical };

// What only the listings read of an exception: kept apart from the case, which the figures read hundreds of
// thousands of times over.
struct RiskOpsCaseDetail {
    QString recordId;
    QString targetId;
    QString status;
    QList<RiskOpsLogEntry> log; // in chain order; empty when read for the board's figures only
};

// One exception, and what BOARD-4's definitions derive from its log. Its texts are indices into the
// history's text table (RiskOpsHistory::text()): a request builds a case for every exception of two periods,
// and a case of strings was 264 bytes and four reference counts, this one 64 bytes and none.
struct RiskOpsCase {
    static constexpr qint64 kNever = std::numeric_limits<qint64>::max();
    qint64 applyMs = 0;
    qint64 validEndMs = 0;
    qint64 finalAtMs = 0;
    // kNever when it did not happen: an instant after every other, so it is never within a period and never
    // at or before an instant (an optional was 16 bytes each, and a request holds hundreds of thousands of
    // cases).
    qint64 withdrawnAtMs = kNever;
    qint64 firstActionMs = kNever; // the first approval or rejection (a person acting on it)
    qint32 detail = -1;            // index of its RiskOpsCaseDetail, or -1 when none was read
    quint32 rule = 0;              // text indices
    quint32 targetType = 0;
    quint32 reason = 0;
    RiskOpsSeverity severity = RiskOpsSeverity::Medium;
    RiskOpsFinal final = RiskOpsFinal::None;
    bool fourEyes = false; // two distinct people approved up to the final approval

    // Pending at instant t: applied by t, and neither finally decided nor withdrawn at or before t.
    bool pendingAt(qint64 t) const;
    // High and critical rules need two approval steps (as ExceptionDecision enforces).
    bool twoStep() const { return severity >= RiskOpsSeverity::High; }
};

// One person's approval or rejection of an exception (the approver workload's unit).
struct RiskOpsStep {
    quint32 actor = 0; // text index
    qint64 atMs = 0;
    qint64 sinceMs = 0; // the entry before it, or the application: what the step waited since
    bool final = false; // it was the exception's final decision
};

// One approval or rejection by an approver, as the workload's drill-down lists it.
struct RiskOpsApproverEntry {
    qint64 seq = 0; // as RiskOpsLogEntry's
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
    // The instants whose approvals and rejections steps() has, both included: the board counts the workload
    // of its period alone, about half of what the whole span holds.
    qint64 stepsFrom = 0;
    qint64 stepsTo = 0;
};

// The exceptions of a tenant that BOARD-4's filters keep, with their histories. Read once per request: the
// board's percentiles need the individual times. An exception's history (migration 033) is the server's log
// as sync copied it, then the entries made on this desktop that the server does not have yet; on a desktop
// that never synced, this desktop's log.
class RiskOpsHistory {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RiskOpsHistory)

public:
    // A server entry's place in the history is its seq minus this, so that it comes before every entry made
    // here (whose place is its own seq).
    static constexpr qint64 kServerEntry = qint64(1) << 62;
    // The number an entry has in its own log (the server's or this desktop's).
    static qint64 entryNumber(qint64 place) { return place < 0 ? place + kServerEntry : place; }

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
    // A case's texts, and its detail (empty when it was not read: the board reads it only for the cases it
    // names, and for every case when it lists them).
    const QString& text(quint32 index) const { return m_texts.text(index); }
    const QString& ruleId(const RiskOpsCase& c) const { return text(c.rule); }
    const QString& targetType(const RiskOpsCase& c) const { return text(c.targetType); }
    const QString& reasonCategory(const RiskOpsCase& c) const { return text(c.reason); }
    const RiskOpsCaseDetail& detail(const RiskOpsCase& c) const;
    const QString& recordId(const RiskOpsCase& c) const { return detail(c).recordId; }
    // The index of a text, when any case or step has it.
    std::optional<quint32> textIndex(const QString& text) const;
    static QString severityName(RiskOpsSeverity severity);
    static std::optional<RiskOpsSeverity> severityOf(QStringView name);
    // The approvals and rejections of the kept exceptions (within the span's steps' instants when one was
    // given; every one otherwise).
    const QList<RiskOpsStep>& steps() const { return m_steps; }
    // SLA target of a severity in milliseconds: the tenant's sla_policy, else the defaults of spec §9.2.
    qint64 slaMs(RiskOpsSeverity severity) const { return m_slaMs[size_t(severity)]; }
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
    // A two-step approval whose history shows fewer than two approvers is a violation only if the exception's
    // own approval chain agrees: the history has the other desktops' steps only once sync has copied the
    // server's log, while the exception's row (and its chain) may have come first (helper-74 saw a false
    // integrity alarm).
    Status clearByChains(QSqlDatabase db, const QString& tenant);
    void deriveFromLogs();

    quint32 intern(QByteArrayView utf8);
    RiskOpsSeverity ruleSeverity(quint32 rule);
    void setSlaTargets();

    QList<RiskOpsCase> m_cases;
    QList<RiskOpsCaseDetail> m_details;
    QList<RiskOpsStep> m_steps;
    TextInterner m_texts;
    std::array<qint64, 4> m_slaMs{};
    std::vector<qint8> m_ruleSeverityCache; // by text index; -1 when not looked up yet
    QHash<QString, qint64> m_slaMinutes;
    QHash<QString, QString> m_ruleSeverity;
    bool m_slaConfigured = false;
};

} // namespace riskdesk

// Moved as bytes when a list grows: a board reads hundreds of thousands of cases, and moving each one member
// by member took a third of a request's time.
Q_DECLARE_TYPEINFO(riskdesk::RiskOpsLogEntry, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(riskdesk::RiskOpsCase, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(riskdesk::RiskOpsCaseDetail, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(riskdesk::RiskOpsStep, Q_RELOCATABLE_TYPE);
