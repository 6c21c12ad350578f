#pragma once

#include "domain/DomainTypes.h"

#include <QDateTime>
#include <QList>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <optional>

namespace riskdesk {

enum class QueueColumn {
    RecordId,
    CurrentStatus, // not "Status": gcc's -Wshadow takes a scoped enumerator for a shadow of riskdesk::Status
    Rule,
    Target,
    Applicant,
    AppliedAt,
    ExpiresIn,
    CurrentApprover,
    Count
};

// Whose exceptions: anyone's, those assigned to one user ("assigned to me"), or those assigned to nobody.
enum class AssignmentFilter { Anyone, AssignedTo, Unassigned };

// What the approver asked to see. Filtering and sorting happen in SQL, never in a proxy model.
struct QueueFilter {
    QString tenantId;
    std::optional<ExceptionStatus> status;
    QString ruleId;
    std::optional<TargetType> targetType;
    QString applicantId;
    QString text; // substring of record id, target, applicant, category, justification or a comment
    // Only these exceptions (the rows behind a board's figure, e.g. BOARD-4's "pending past SLA"); nothing:
    // no such filter. An empty list shows no exception.
    std::optional<QStringList> recordIds;
    AssignmentFilter assignment = AssignmentFilter::Anyone;
    QString assigneeId; // for AssignedTo
};

struct QueueQuery {
    QueueFilter filter;
    QueueColumn sortColumn = QueueColumn::AppliedAt;
    bool descending = false;
};

// Where a page ends: the sort key values of its last row plus the row id that breaks ties.
struct QueueKey {
    QVariantList values;
    qint64 rowid = 0;
};

struct QueueRow {
    qint64 rowid = 0;
    QString recordId;
    ExceptionStatus status = ExceptionStatus::Pending;
    QString ruleId;
    QString ruleName;
    Severity severity = Severity::Medium;
    TargetType targetType = TargetType::Claim;
    QString targetId;
    QString applicantId;
    QString currentApproverId;
    QDateTime applyTime;
    QDateTime validEndTime;
    int approvals = 0;
    qint64 version = 0;
    QString assigneeId; // exception_assignments; empty: nobody
    bool escalated = false;
    qint64 slaMinutes = 0; // the tenant's sla_policy for the rule's severity; 0: none (the default applies)
    QueueKey key;          // for the next page
};

struct QueueRowsPage {
    QList<QueueRow> rows;
    bool hasMore = false;
};

// SQL text for a queue query; the pieces are fixed strings chosen by column, values are always bound.
class QueueSql {
public:
    // SQL column names (or indexed expressions), in order. Descending matters only for CurrentApprover: who
    // works on it, the assignee, the unassigned last in either direction (SQLite migration 030), so its first
    // key is "unassigned" ascending and "assigned" descending.
    static QStringList sortKeys(QueueColumn column, bool descending = false);
    // How text is matched: through the trigram index, or by reading at most probeRows candidates in sort
    // order and checking their text (fast when matches are dense, where the index is slowest).
    enum class TextPlan { TrigramIndex, Probe };
    static constexpr int kProbeRows = 8000;

    static QString selectPage(const QueueQuery& query, bool afterKey, TextPlan plan = TextPlan::TrigramIndex);
    // Bound values for selectPage, in positional order.
    static QVariantList bindings(const QueueQuery& query, const std::optional<QueueKey>& after, int limit,
                                 TextPlan plan = TextPlan::TrigramIndex);
    // The filter alone, for a set of rows rather than a page (a bulk decision's "all matching"): every
    // matching record id, and how many there are. Bound values: filterBindings.
    static QString selectMatchingIds(const QueueFilter& filter);
    static QString countMatching(const QueueFilter& filter);
    // The WHERE clause of a filter over `exceptions e`, and its bound values in positional order.
    static QString filterWhere(const QueueFilter& filter, TextPlan plan);
    static QVariantList filterBindings(const QueueFilter& filter, TextPlan plan);
    // Prepares `sql` (forward only), binds the filter's values (trigram plan) and runs it; false on failure,
    // with the error in `q`.
    static bool execFiltered(QSqlQuery& q, const QString& sql, const QueueFilter& filter);
    // FTS5 MATCH expression for a search text: an AND of its trigrams (empty when shorter than three).
    static QString trigramMatch(const QString& text);
};

} // namespace riskdesk
