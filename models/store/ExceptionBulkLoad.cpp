#include "ExceptionBulkLoad.h"

#include "DeferredIndexBuild.h"
#include "SqlProblem.h"

#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Status ExceptionBulkLoad::begin() {
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                "AND tbl_name = 'exceptions' AND sql IS NOT NULL ORDER BY type, name"_s))
        return sqlProblem(q, tr("Reading the workspace's indexes"));
    QStringList drops;
    while (q.next()) {
        const QString type = q.value(0).toString();
        drops << u"DROP %1 %2"_s.arg(type.toUpper(), q.value(1).toString());
        (type == u"index" ? m_indexes : m_triggers) << q.value(2).toString();
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the workspace's indexes"));
    for (const QString& drop : drops)
        if (!q.exec(drop))
            return sqlProblem(q, tr("Preparing the bulk insert"));
    if (!q.exec(u"SELECT coalesce(max(rowid), 0) + 1 FROM exceptions"_s) || !q.next())
        return sqlProblem(q, tr("Preparing the bulk insert"));
    m_firstRowid = q.value(0).toLongLong();
    return success();
}

Status ExceptionBulkLoad::restoreTriggers() {
    QSqlQuery q(m_db);
    // The loaded rows went in without the progress triggers: derive their progress from the log in one pass.
    if (!q.exec(
            u"INSERT OR REPLACE INTO exception_progress (tenant_id, record_id, apply_time, valid_end, "
            u"rule_id,"
            " target_type, reason_category, final_at, final_kind, four_eyes, withdrawn_at, first_action_at)"
            " SELECT tenant_id, record_id, apply_time, valid_end, rule_id, target_type, reason_category,"
            " final_at, final_kind, four_eyes, withdrawn_at, first_action_at"
            " FROM exception_progress_derived WHERE exception_rowid >= %1"_s.arg(m_firstRowid)))
        return sqlProblem(q, tr("Rebuilding the workspace's indexes"));
    // Steps logged before their exception arrived learn what they waited since.
    if (!q.exec(
            u"INSERT OR REPLACE INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, "
            u"final)"
            " SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final FROM approval_steps_derived"
            " WHERE (tenant_id, seq) IN (SELECT tenant_id, seq FROM approval_steps WHERE waited_since IS NULL)"_s))
        return sqlProblem(q, tr("Rebuilding the workspace's indexes"));
    for (const QString& create : std::as_const(m_triggers))
        if (!q.exec(create))
            return sqlProblem(q, tr("Rebuilding the workspace's indexes"));
    m_triggers.clear();
    return success();
}

Status ExceptionBulkLoad::finish() {
    QSqlQuery q(m_db);
    if (!q.exec(u"INSERT INTO exceptions_search (rowid, body) SELECT exception_rowid, body FROM "
                "exceptions_search_body WHERE exception_rowid >= %1"_s.arg(m_firstRowid)) ||
        !q.exec(u"INSERT INTO exceptions_search (exceptions_search) VALUES ('optimize')"_s))
        return sqlProblem(q, tr("Building the search index"));
    for (const QString& create : std::as_const(m_indexes))
        if (!q.exec(create))
            return sqlProblem(q, tr("Rebuilding the workspace's indexes"));
    m_indexes.clear();
    return restoreTriggers();
}

Status ExceptionBulkLoad::finishLater() {
    // One plan at a time: while an earlier one is still pending, this load is finished here and now.
    auto earlier = DeferredIndexBuild::progress(m_db);
    if (!earlier)
        return earlier.problem();
    if (!earlier.value().done())
        return finish();
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT coalesce(max(rowid), 0) FROM exceptions"_s) || !q.next())
        return sqlProblem(q, tr("Rebuilding the workspace's indexes"));
    const qint64 lastRowid = q.value(0).toLongLong();
    if (Status s = DeferredIndexBuild::plan(m_db, m_indexes, m_firstRowid, lastRowid); !s)
        return s;
    m_indexes.clear();
    return restoreTriggers();
}

} // namespace riskdesk
