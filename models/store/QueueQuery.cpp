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

QString placeholders(qsizetype n) {
    QStringList marks;
    for (qsizetype i = 0; i < n; ++i)
        marks << u"?"_s;
    return tuple(marks);
}

} // namespace

QStringList QueueSql::sortKeys(QueueColumn column) {
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
        return {u"e.current_approver_id"_s};
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
    if (f.assignment == AssignmentFilter::AssignedTo)
        where += u" AND e.record_id IN (SELECT fa.record_id FROM exception_assignments fa "
                 "WHERE fa.tenant_id = ? AND fa.assignee_id = ?)"_s;
    else if (f.assignment == AssignmentFilter::Unassigned)
        where += u" AND e.record_id NOT IN (SELECT fa.record_id FROM exception_assignments fa "
                 "WHERE fa.tenant_id = ? AND fa.assignee_id <> '')"_s;
    if (text && !probe && !trigramMatch(f.text).isEmpty())
        // The rows a bulk load left out of the search index for now are candidates too; the text check
        // decides.
        where += u" AND e.rowid IN (SELECT rowid FROM exceptions_search WHERE exceptions_search MATCH ? "
                 "UNION ALL "_s +
                 DeferredIndexBuild::rowidsNotYetSearchable() + u')';
    if (text && !probe)
        where += u" AND instr("_s + kSearchText + u", lower(?)) > 0"_s;
    return where;
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
        values << f.tenantId << f.assigneeId;
    else if (f.assignment == AssignmentFilter::Unassigned)
        values << f.tenantId;
    if (text && !probe) {
        const QString match = trigramMatch(f.text);
        if (!match.isEmpty())
            values << match;
        values << f.text.trimmed();
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
    const QStringList keys = sortKeys(query.sortColumn);
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
           u" WHERE instr("_s + kSearchText + u", lower(?)) > 0"_s + outerOrder + u" LIMIT ?"_s;
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
    if (probe)
        values << kProbeRows << f.text.trimmed();
    values << limit;
    return values;
}

} // namespace riskdesk
