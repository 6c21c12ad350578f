#include "ExceptionRepository.h"

#include "SqlProblem.h"
#include "domain/ExceptionColumns.h"
#include "domain/RiskExceptionCodec.h"
#include "domain/Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QSqlRecord>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QString kColumns = QString::fromLatin1(ExceptionColumns::names());

void bindAll(QSqlQuery& q, const RiskException& e) {
    for (const QVariant& v : ExceptionColumns::values(e))
        q.addBindValue(v);
}

RiskException readException(const QSqlQuery& q) {
    return ExceptionColumns::fromValues([&](int c) { return q.value(c); });
}

} // namespace

Result<RiskException> ExceptionRepository::get(const QString& tenantId, const QString& recordId) const {
    QSqlQuery local(m_db);
    QSqlQuery& q = PreparedStatements::pick(
        m_kept, local, u"SELECT "_s + kColumns + u" FROM exceptions WHERE tenant_id = ? AND record_id = ?"_s);
    q.addBindValue(tenantId);
    q.addBindValue(recordId);
    if (!q.exec())
        return sqlProblem(q, ExceptionRepository::tr("Reading exception %1").arg(recordId));
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, ExceptionRepository::tr("Reading exception %1").arg(recordId));
        return Problem{
            u"not_found"_s,
            ExceptionRepository::tr("There is no exception %1 in tenant %2.").arg(recordId, tenantId),
            u"record_id"_s};
    }
    RiskException e = readException(q);
    q.finish(); // a kept statement would otherwise hold its read open
    return e;
}

Result<QList<RiskException>>
ExceptionRepository::changedFrom(const QString& tenantId, const QHash<QString, qint64>& heldVersions) const {
    QList<RiskException> changed;
    if (heldVersions.isEmpty())
        return changed;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    // One bound value however many ids: the ids a queue has loaded (a few pages of them).
    q.prepare(u"SELECT "_s + kColumns +
              u" FROM exceptions WHERE tenant_id = ? AND record_id IN (SELECT value FROM json_each(?))"_s);
    q.addBindValue(tenantId);
    q.addBindValue(QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(QStringList(heldVersions.keyBegin(), heldVersions.keyEnd())))
            .toJson(QJsonDocument::Compact)));
    const QString what = ExceptionRepository::tr("Reading the exceptions shown");
    if (!q.exec())
        return sqlProblem(q, what);
    while (q.next()) {
        RiskException e = readException(q);
        if (heldVersions.value(e.recordId, e.version) != e.version)
            changed << std::move(e);
    }
    if (rowsFailed(q))
        return sqlProblem(q, what);
    return changed;
}

Status ExceptionRepository::insert(const RiskException& e) {
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO exceptions ("_s + kColumns + u") VALUES ("_s +
              QString::fromLatin1(ExceptionColumns::placeholders()) + u")"_s);
    bindAll(q, e);
    if (!q.exec())
        return sqlProblem(q, ExceptionRepository::tr("Saving exception %1").arg(e.recordId));
    return success();
}

Status ExceptionRepository::update(const RiskException& e, qint64 expectedVersion) {
    QSqlQuery q(m_db);
    q.prepare(u"UPDATE exceptions SET ("_s + kColumns + u") = ("_s +
              QString::fromLatin1(ExceptionColumns::placeholders()) +
              u") WHERE tenant_id = ? AND record_id = ? AND version = ?"_s);
    bindAll(q, e);
    q.addBindValue(e.tenantId);
    q.addBindValue(e.recordId);
    q.addBindValue(expectedVersion);
    if (!q.exec())
        return sqlProblem(q, ExceptionRepository::tr("Saving exception %1").arg(e.recordId));
    if (q.numRowsAffected() != 1)
        return Problem{u"version_conflict"_s,
                       ExceptionRepository::tr(
                           "%1 was changed by someone else while you looked at it; reload and decide again.")
                           .arg(e.recordId),
                       {}};
    return success();
}

Status ExceptionRepository::updateDecision(const RiskException& e, qint64 expectedVersion) {
    // The columns a decision changes, stored as the whole exception's are.
    QSqlQuery local(m_db);
    QSqlQuery& q = PreparedStatements::pick(m_kept, local,
                                            u"UPDATE exceptions SET "_s +
                                                QString::fromLatin1(ExceptionColumns::decidedAssignments()) +
                                                u" WHERE tenant_id = ? AND record_id = ? AND version = ?"_s);
    const QVariantList values = ExceptionColumns::values(e);
    for (std::string_view name : ExceptionColumns::kDecided)
        q.addBindValue(values.at(ExceptionColumns::indexOf(name)));
    q.addBindValue(e.tenantId);
    q.addBindValue(e.recordId);
    q.addBindValue(expectedVersion);
    if (!q.exec())
        return sqlProblem(q, ExceptionRepository::tr("Saving exception %1").arg(e.recordId));
    if (q.numRowsAffected() != 1)
        return Problem{u"version_conflict"_s,
                       ExceptionRepository::tr(
                           "%1 was changed by someone else while you looked at it; reload and decide again.")
                           .arg(e.recordId),
                       {}};
    return success();
}

Result<QueueRowsPage> ExceptionRepository::page(const QueueQuery& query, const std::optional<QueueKey>& after,
                                                int limit) const {
    if (!query.filter.text.trimmed().isEmpty()) {
        // Dense matches: a short walk in sort order fills the page. Sparse ones: the trigram index finds
        // them. The probe's answer is exact when it fills the page, or when it read every remaining candidate
        // (fewer than kProbeRows). An empty answer says nothing about how many it read, so the index decides.
        qint64 candidates = 0;
        auto probed = pageWith(query, after, limit, QueueSql::TextPlan::Probe, &candidates);
        if (!probed)
            return probed;
        const bool sawAll = !probed.value().rows.isEmpty() && candidates < QueueSql::kProbeRows;
        if (probed.value().hasMore || sawAll)
            return probed;
    }
    return pageWith(query, after, limit, QueueSql::TextPlan::TrigramIndex, nullptr);
}

Result<QueueRowsPage> ExceptionRepository::pageWith(const QueueQuery& query,
                                                    const std::optional<QueueKey>& after, int limit,
                                                    QueueSql::TextPlan plan, qint64* candidates) const {
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(QueueSql::selectPage(query, after.has_value(), plan)))
        return sqlProblem(q, ExceptionRepository::tr("Preparing the queue query"));
    for (const QVariant& v : QueueSql::bindings(query, after, limit + 1, plan))
        q.addBindValue(v);
    if (!q.exec())
        return sqlProblem(q, ExceptionRepository::tr("Reading the queue"));
    using namespace timestamps;
    const int keyCount = int(QueueSql::sortKeys(query.sortColumn).size());
    constexpr int kFirstKey = 17; // after the row's columns (QueueSql::selectPage)
    QueueRowsPage page;
    page.rows.reserve(limit);
    if (candidates)
        *candidates = 0;
    while (q.next()) {
        if (candidates)
            *candidates = q.value(kFirstKey + keyCount).toLongLong();
        if (page.rows.size() == limit) {
            page.hasMore = true;
            break;
        }
        QueueRow row;
        row.rowid = q.value(0).toLongLong();
        row.recordId = q.value(1).toString();
        row.status = statusFromWire(q.value(2).toString()).value_or(ExceptionStatus::Pending);
        row.ruleId = q.value(3).toString();
        row.ruleName = q.value(4).toString();
        row.severity = severityFromWire(q.value(5).toString()).value_or(Severity::Medium);
        row.targetType = targetTypeFromWire(q.value(6).toString()).value_or(TargetType::Claim);
        row.targetId = q.value(7).toString();
        row.applicantId = q.value(8).toString();
        row.currentApproverId = q.value(9).toString();
        row.applyTime = fromMs(q.value(10).toLongLong());
        row.validEndTime = fromMs(q.value(11).toLongLong());
        row.approvals = q.value(12).toInt();
        row.version = q.value(13).toLongLong();
        row.assigneeId = q.value(14).toString();
        row.escalated = q.value(15).toInt() != 0;
        row.slaMinutes = q.value(16).toLongLong();
        for (int k = 0; k < keyCount; ++k)
            row.key.values << q.value(kFirstKey + k);
        row.key.rowid = row.rowid;
        page.rows.append(std::move(row));
    }
    if (rowsFailed(q))
        return sqlProblem(q, ExceptionRepository::tr("Reading the queue"));
    return page;
}

Result<qint64> ExceptionRepository::countByStatus(const QString& tenantId, ExceptionStatus status) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT count(*) FROM exceptions WHERE tenant_id = ? AND status = ?"_s);
    q.addBindValue(tenantId);
    q.addBindValue(toWire(status));
    if (!q.exec() || !q.next())
        return sqlProblem(q, ExceptionRepository::tr("Counting exceptions"));
    return q.value(0).toLongLong();
}

Result<QStringList> ExceptionRepository::dueForExpiry(const QString& tenantId, const QDateTime& now,
                                                      int limit) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT record_id FROM exceptions WHERE tenant_id = ? AND status IN ('pending', 'approved') "
              "AND valid_end_time <= ? LIMIT ?"_s); // any due rows will do: every batch closes what it reads
    q.addBindValue(tenantId);
    q.addBindValue(timestamps::toMs(now));
    q.addBindValue(limit);
    if (!q.exec())
        return sqlProblem(q, ExceptionRepository::tr("Looking for ended validity windows"));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    if (rowsFailed(q))
        return sqlProblem(q, ExceptionRepository::tr("Looking for ended validity windows"));
    return ids;
}

Result<std::optional<QDateTime>> ExceptionRepository::nextWindowEnd(const QString& tenantId,
                                                                    const QDateTime& now) const {
    // One step into the (tenant, status, end) index for each open status.
    QSqlQuery q(m_db);
    q.prepare(
        u"SELECT min(e) FROM (SELECT min(valid_end_time) AS e FROM exceptions WHERE tenant_id = ? AND "
        "status = 'pending' AND valid_end_time > ? UNION ALL SELECT min(valid_end_time) FROM exceptions "
        "WHERE tenant_id = ? AND status = 'approved' AND valid_end_time > ?)"_s);
    const qint64 nowMs = timestamps::toMs(now);
    q.addBindValue(tenantId);
    q.addBindValue(nowMs);
    q.addBindValue(tenantId);
    q.addBindValue(nowMs);
    if (!q.exec() || !q.next())
        return sqlProblem(q, ExceptionRepository::tr("Looking for the next validity window to end"));
    if (q.value(0).isNull())
        return std::optional<QDateTime>();
    return std::optional(timestamps::fromMs(q.value(0).toLongLong()));
}

Result<QStringList> ExceptionRepository::recentReasonCategories(const QString& tenantId, int recent,
                                                                int limit) const {
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    // The latest requests by the (tenant, apply_time) index: bounded work however long the history.
    q.prepare(u"SELECT reason_category FROM (SELECT reason_category FROM exceptions WHERE tenant_id = ? "
              "ORDER BY apply_time DESC LIMIT ?) WHERE reason_category <> '' "
              "GROUP BY reason_category ORDER BY count(*) DESC, reason_category LIMIT ?"_s);
    q.addBindValue(tenantId);
    q.addBindValue(recent);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlProblem(q, ExceptionRepository::tr("Reading the reason categories in use"));
    QStringList categories;
    while (q.next())
        categories << q.value(0).toString();
    if (rowsFailed(q))
        return sqlProblem(q, ExceptionRepository::tr("Reading the reason categories in use"));
    return categories;
}

Status ExceptionRepository::forEach(const QString& tenantId, std::optional<ExceptionStatus> status,
                                    const std::function<bool(const RiskException&)>& callback) const {
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + kColumns + u" FROM exceptions WHERE tenant_id = ?"_s +
              (status ? u" AND status = ?"_s : QString()) + u" ORDER BY apply_time, rowid"_s);
    q.addBindValue(tenantId);
    if (status)
        q.addBindValue(toWire(*status));
    if (!q.exec())
        return sqlProblem(q, ExceptionRepository::tr("Listing exceptions"));
    while (q.next())
        if (!callback(readException(q)))
            return success();
    if (rowsFailed(q))
        return sqlProblem(q, ExceptionRepository::tr("Listing exceptions"));
    return success();
}

} // namespace riskdesk
