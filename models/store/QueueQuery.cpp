#include "QueueQuery.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QString kSearchText =
    u"lower(e.record_id || ' ' || e.target_id || ' ' || e.applicant_id || ' ' || e.reason_category || ' ' || "
    "e.justification)"_s;

QString tuple(const QStringList& items) { return u"("_s + items.join(u", "_s) + u')'; }

QString placeholders(qsizetype n) {
    QStringList marks;
    for (qsizetype i = 0; i < n; ++i)
        marks << u"?"_s;
    return tuple(marks);
}

} // namespace

QStringList QueueSql::sortKeys(QueueColumn column) {
    switch (column) {
    case QueueColumn::RecordId: return {u"e.record_id"_s};
    case QueueColumn::Status: return {u"e.status"_s, u"e.apply_time"_s};
    case QueueColumn::Rule: return {u"e.risk_rule_id"_s};
    case QueueColumn::Target: return {u"e.target_type"_s, u"e.target_id"_s};
    case QueueColumn::Applicant: return {u"e.applicant_id"_s};
    case QueueColumn::AppliedAt: return {u"e.apply_time"_s};
    case QueueColumn::ExpiresIn: return {u"e.valid_end_time"_s};
    case QueueColumn::CurrentApprover: return {u"e.current_approver_id"_s};
    case QueueColumn::Count: break;
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

QString QueueSql::selectPage(const QueueQuery& query, bool afterKey) {
    const QueueFilter& f = query.filter;
    const QStringList keys = sortKeys(query.sortColumn);
    QString sql = u"SELECT e.rowid, e.record_id, e.status, e.risk_rule_id, COALESCE(r.name, e.risk_rule_id), "
                  "COALESCE(r.severity, 'medium'), e.target_type, e.target_id, e.applicant_id, "
                  "e.current_approver_id, e.apply_time, e.valid_end_time, json_array_length(e.approval_chain_log), "
                  "e.version, "_s +
                  keys.join(u", "_s) +
                  u" FROM exceptions e LEFT JOIN rules r ON r.tenant_id = e.tenant_id AND r.rule_id = e.risk_rule_id"
                  " WHERE e.tenant_id = ?"_s;
    if (f.status)
        sql += u" AND e.status = ?"_s;
    if (!f.ruleId.isEmpty())
        sql += u" AND e.risk_rule_id = ?"_s;
    if (f.targetType)
        sql += u" AND e.target_type = ?"_s;
    if (!f.applicantId.isEmpty())
        sql += u" AND e.applicant_id = ?"_s;
    if (!f.text.trimmed().isEmpty()) {
        if (!trigramMatch(f.text).isEmpty())
            sql += u" AND e.rowid IN (SELECT rowid FROM exceptions_search WHERE exceptions_search MATCH ?)"_s;
        sql += u" AND instr("_s + kSearchText + u", lower(?)) > 0"_s;
    }
    if (afterKey) {
        // The first comparison is an index range; the second drops the rows already shown at the boundary.
        const QString cmp = query.descending ? u"<"_s : u">"_s;
        QStringList withRowid = keys;
        withRowid << u"e.rowid"_s;
        sql += u" AND "_s + tuple(keys) + u' ' + cmp + u"= "_s + placeholders(keys.size()) + u" AND "_s +
               tuple(withRowid) + u' ' + cmp + u' ' + placeholders(withRowid.size());
    }
    QStringList order;
    const QString dir = query.descending ? u" DESC"_s : QString();
    for (const QString& k : keys)
        order << k + dir;
    order << u"e.rowid"_s + dir;
    sql += u" ORDER BY "_s + order.join(u", "_s) + u" LIMIT ?"_s;
    return sql;
}

QVariantList QueueSql::bindings(const QueueQuery& query, const std::optional<QueueKey>& after, int limit) {
    const QueueFilter& f = query.filter;
    QVariantList values{f.tenantId};
    if (f.status)
        values << toWire(*f.status);
    if (!f.ruleId.isEmpty())
        values << f.ruleId;
    if (f.targetType)
        values << toWire(*f.targetType);
    if (!f.applicantId.isEmpty())
        values << f.applicantId;
    if (!f.text.trimmed().isEmpty()) {
        const QString match = trigramMatch(f.text);
        if (!match.isEmpty())
            values << match;
        values << f.text.trimmed();
    }
    if (after) {
        values << after->values;
        values << after->values << after->rowid;
    }
    values << limit;
    return values;
}

} // namespace riskdesk
