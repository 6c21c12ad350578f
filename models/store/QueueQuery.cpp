#include "QueueQuery.h"

#include "DeferredIndexBuild.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QString kSearchText =
    u"lower(e.record_id || ' ' || e.target_id || ' ' || e.applicant_id || ' ' || e.reason_category || ' ' || "
    "e.justification)"_s;

QString tuple(const QStringList& items) {
    return u"("_s + items.join(u", "_s) + u')';
}

// The exceptions whose comments contain the text (exception_comments, 026): through the comments' trigram
// index when the text has a trigram, else by reading the tenant's comments once. Not correlated with the row:
// SQLite answers it once per statement, and asks it only of rows whose own text did not match.
QString commentHits(bool trigrams) {
    return u"e.record_id IN (SELECT fc.record_id FROM exception_comments fc WHERE fc.tenant_id = ?"_s +
           (trigrams
                ? u" AND fc.comment_seq IN (SELECT rowid FROM comments_search WHERE comments_search MATCH ?)"_s
                : QString()) +
           u" AND instr(lower(fc.body), lower(?)) > 0)"_s;
}

void bindCommentHits(QVariantList& values, const QueueFilter& f) {
    values << f.tenantId;
    const QString match = QueueSql::trigramMatch(f.text);
    if (!match.isEmpty())
        values << match;
    values << f.text.trimmed();
}

// A row matches the text by its own fields or by one of its comments.
QString textMatches(bool trigrams) {
    return u" AND (instr("_s + kSearchText + u", lower(?)) > 0 OR "_s + commentHits(trigrams) + u')';
}

QString placeholders(qsizetype n) {
    QStringList marks;
    for (qsizetype i = 0; i < n; ++i)
        marks << u"?"_s;
    return tuple(marks);
}

} // namespace

QStringList QueueSql::sortKeys(QueueColumn column, bool descending) {
    switch (column) {
    case QueueColumn::RecordId:
        return {u"e.record_id"_s};
    case QueueColumn::CurrentStatus:
        return {u"e.status"_s, u"e.apply_time"_s};
    case QueueColumn::Rule:
        return {u"e.risk_rule_id"_s};
    case QueueColumn::Target:
        return {u"e.target_type"_s, u"e.target_id"_s};
    case QueueColumn::Applicant:
        return {u"e.applicant_id"_s};
    case QueueColumn::AppliedAt:
        return {u"e.apply_time"_s};
    case QueueColumn::ExpiresIn:
        return {u"e.valid_end_time"_s};
    case QueueColumn::CurrentApprover:
        // As the index of each direction is written (exceptions_by_assignee_asc / _desc).
        return {descending ? u"e.assigned_to <> ''"_s : u"e.assigned_to = ''"_s, u"e.assigned_to"_s,
                u"e.current_approver_id"_s};
    case QueueColumn::Count:
        break;
    }
    return {u"e.apply_time"_s};
}

QString QueueSql::trigramMatch(const QString& text) {
    const QString needle = text.trimmed();
    if (needle.size() < 3)
        return {};
    QStringList grams;
    // Every trigram would be exact but slow for long text; a trigram every other character is as selective.
    for (qsizetype i = 0; i + 3 <= needle.size() && grams.size() < 12; i += 2)
        grams << u'"' + needle.mid(i, 3).replace(u'"', u"\"\""_s) + u'"';
    if ((needle.size() - 3) % 2 != 0 && grams.size() < 12)
        grams << u'"' + needle.right(3).replace(u'"', u"\"\""_s) + u'"';
    return grams.join(u" AND "_s);
}

QString QueueSql::filterWhere(const QueueFilter& f, TextPlan plan) {
    const bool text = !f.text.trimmed().isEmpty();
    const bool probe = text && plan == TextPlan::Probe;
    QString where = u" WHERE e.tenant_id = ?"_s;
    if (f.status)
        where += u" AND e.status = ?"_s;
    if (!f.ruleId.isEmpty())
        where += u" AND e.risk_rule_id = ?"_s;
    if (f.targetType)
        where += u" AND e.target_type = ?"_s;
    if (!f.applicantId.isEmpty())
        where += u" AND e.applicant_id = ?"_s;
    if (f.recordIds)
        where += u" AND e.record_id IN (SELECT value FROM json_each(?))"_s; // one value, however many ids
    // Who decides next, as the "Decides next" column says it: the approver the second step is routed to, else
    // the assignee. The assignment alone left a second step routed to the approver out of "assigned to me",
    // and put one routed to someone else under "unassigned" (helper-90). (assigned_to mirrors the assignment,
    // migration 030; a decided exception keeps the approver its last step was routed to, who decides nothing
    // more.)
    // One key for both filters, so that every exception is either someone's or nobody's.
    static const QString decidesNext = u"(CASE WHEN e.status = 'pending' AND e.current_approver_id <> '' "
                                       "THEN e.current_approver_id ELSE e.assigned_to END)"_s;
    if (f.assignment == AssignmentFilter::AssignedTo)
        where += u" AND "_s + decidesNext + u" = ?"_s;
    else if (f.assignment == AssignmentFilter::Unassigned)
        where += u" AND "_s + decidesNext + u" = ''"_s;
    const bool trigrams = !trigramMatch(f.text).isEmpty();
    if (text && !probe && trigrams)
        // The rows a bulk load left out of the search index for now are candidates too, and so are the
        // exceptions with a matching comment; the text check decides.
        where +=
            u" AND e.rowid IN (SELECT rowid FROM exceptions_search WHERE exceptions_search MATCH ? "
            "UNION ALL "_s +
            DeferredIndexBuild::rowidsNotYetSearchable() +
            u" UNION ALL SELECT ce.rowid FROM exception_comments cc JOIN exceptions ce ON ce.tenant_id = "
            "cc.tenant_id AND ce.record_id = cc.record_id WHERE cc.tenant_id = ? AND cc.comment_seq IN "
            "(SELECT rowid FROM comments_search WHERE comments_search MATCH ?))"_s;
    if (text && !probe)
        where += textMatches(trigrams);
    return where;
}

bool QueueSql::execFiltered(QSqlQuery& q, const QString& sql, const QueueFilter& filter) {
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return false;
    for (const QVariant& value : filterBindings(filter, TextPlan::TrigramIndex))
        q.addBindValue(value);
    return q.exec();
}

QVariantList QueueSql::filterBindings(const QueueFilter& f, TextPlan plan) {
    const bool text = !f.text.trimmed().isEmpty();
    const bool probe = text && plan == TextPlan::Probe;
    QVariantList values{f.tenantId};
    if (f.status)
        values << toWire(*f.status);
    if (!f.ruleId.isEmpty())
        values << f.ruleId;
    if (f.targetType)
        values << toWire(*f.targetType);
    if (!f.applicantId.isEmpty())
        values << f.applicantId;
    if (f.recordIds)
        values << QString::fromUtf8(
            QJsonDocument(QJsonArray::fromStringList(*f.recordIds)).toJson(QJsonDocument::Compact));
    if (f.assignment == AssignmentFilter::AssignedTo)
        values << f.assigneeId;
    if (text && !probe) {
        const QString match = trigramMatch(f.text);
        if (!match.isEmpty())
            values << match << f.tenantId << match;
        values << f.text.trimmed();
        bindCommentHits(values, f);
    }
    return values;
}

QString QueueSql::selectMatchingIds(const QueueFilter& filter) {
    return u"SELECT e.record_id FROM exceptions e"_s + filterWhere(filter, TextPlan::TrigramIndex) +
           u" ORDER BY e.rowid"_s;
}

QString QueueSql::countMatching(const QueueFilter& filter) {
    return u"SELECT count(*) FROM exceptions e"_s + filterWhere(filter, TextPlan::TrigramIndex);
}

QString QueueSql::selectPage(const QueueQuery& query, bool afterKey, TextPlan plan) {
    const QueueFilter& f = query.filter;
    const QStringList keys = sortKeys(query.sortColumn, query.descending);
    const bool text = !f.text.trimmed().isEmpty();
    const bool probe = text && plan == TextPlan::Probe;
    QString where = filterWhere(f, plan);
    if (afterKey) {
        // The first comparison is an index range; the second drops the rows already shown at the boundary.
        const QString cmp = query.descending ? u"<"_s : u">"_s;
        QStringList withRowid = keys;
        withRowid << u"e.rowid"_s;
        where += u" AND "_s + tuple(keys) + u' ' + cmp + u"= "_s + placeholders(keys.size()) + u" AND "_s +
                 tuple(withRowid) + u' ' + cmp + u' ' + placeholders(withRowid.size());
    }
    QStringList order;
    const QString dir = query.descending ? u" DESC"_s : QString();
    for (const QString& k : keys)
        order << k + dir;
    order << u"e.rowid"_s + dir;
    const QString orderBy = u" ORDER BY "_s + order.join(u", "_s);

    const QString columns =
        u"e.rowid, e.record_id, e.status, e.risk_rule_id, COALESCE(r.name, e.risk_rule_id), "
        "COALESCE(r.severity, 'medium'), e.target_type, e.target_id, e.applicant_id, e.current_approver_id, "
        "e.apply_time, e.valid_end_time, json_array_length(e.approval_chain_log), e.version, "
        "coalesce(a.assignee_id, ''), coalesce(a.escalated, 0), coalesce(s.sla_minutes, 0), "_s +
        keys.join(u", "_s);
    // The assignment and the SLA target: one primary-key lookup each for the rows of the page.
    const QString join =
        u" LEFT JOIN rules r ON r.tenant_id = e.tenant_id AND r.rule_id = e.risk_rule_id"
        " LEFT JOIN exception_assignments a ON a.tenant_id = e.tenant_id AND a.record_id = e.record_id"
        " LEFT JOIN sla_policy s ON s.tenant_id = e.tenant_id AND s.severity = coalesce(r.severity, 'medium')"_s;
    if (!probe)
        return u"SELECT "_s + columns + u" FROM exceptions e"_s + join + where + orderBy + u" LIMIT ?"_s;

    // Probe: the first kProbeRows candidates in sort order, then the text check on those alone. The last
    // column says how many candidates there were, so the caller knows whether the probe saw everything.
    QString inner = u"SELECT e.rowid AS rid FROM exceptions e"_s + where + orderBy + u" LIMIT ?"_s;
    QString outerOrder = orderBy;
    return u"WITH candidates AS ("_s + inner +
           u"), seen AS (SELECT count(*) AS n FROM candidates) SELECT "_s + columns +
           u", (SELECT n FROM seen) FROM candidates c JOIN exceptions e ON e.rowid = c.rid"_s + join +
           u" WHERE 1"_s + textMatches(!trigramMatch(f.text).isEmpty()) + outerOrder + u" LIMIT ?"_s;
}

QVariantList QueueSql::bindings(const QueueQuery& query, const std::optional<QueueKey>& after, int limit,
                                TextPlan plan) {
    const QueueFilter& f = query.filter;
    const bool text = !f.text.trimmed().isEmpty();
    const bool probe = text && plan == TextPlan::Probe;
    QVariantList values = filterBindings(f, plan);
    if (after) {
        values << after->values;
        values << after->values << after->rowid;
    }
    if (probe) {
        values << kProbeRows << f.text.trimmed();
        bindCommentHits(values, f);
    }
    values << limit;
    return values;
}

} // namespace riskdesk
