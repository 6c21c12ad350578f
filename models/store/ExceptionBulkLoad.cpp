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
    return suspendLogTriggers();
}

// The log's derivation triggers derive each new entry's exception again, once per entry; a load that writes
// log entries too (the demo: three per exception) drops them with the rest, and what they would have derived
// is derived in one set-based pass at the end, from where each tenant's log stood when the load began. The
// log's guards against updates and deletes (BEFORE triggers) stay.
Status ExceptionBulkLoad::suspendLogTriggers() {
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'approval_log' "
                "AND sql LIKE '%AFTER INSERT ON approval_log%' ORDER BY name"_s))
        return sqlProblem(q, tr("Reading the workspace's indexes"));
    QStringList drops;
    while (q.next()) {
        drops << u"DROP TRIGGER %1"_s.arg(q.value(0).toString());
        m_triggers << q.value(1).toString();
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the workspace's indexes"));
    for (const QString& drop : drops)
        if (!q.exec(drop))
            return sqlProblem(q, tr("Preparing the bulk insert"));
    auto marks = logEnds();
    if (!marks)
        return marks.problem();
    m_logEnds = marks.value();
    return success();
}

// Where each tenant's log ends: one index seek per tenant (the tenants are found by skipping through the
// primary key, since a log may hold tenants the directory does not).
Result<QHash<QString, qint64>> ExceptionBulkLoad::logEnds() const {
    QSqlQuery q(m_db);
    if (!q.exec(u"WITH RECURSIVE t (id) AS (SELECT min(tenant_id) FROM approval_log UNION ALL "
                "SELECT (SELECT min(tenant_id) FROM approval_log WHERE tenant_id > t.id) FROM t WHERE t.id "
                "IS NOT NULL) "
                "SELECT t.id, (SELECT max(seq) FROM approval_log WHERE tenant_id = t.id) FROM t "
                "WHERE t.id IS NOT NULL"_s))
        return sqlProblem(q, tr("Reading the approval log"));
    QHash<QString, qint64> ends;
    while (q.next())
        ends.insert(q.value(0).toString(), q.value(1).toLongLong());
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the approval log"));
    return ends;
}

// What the suspended log triggers would have derived from the entries written during the load.
Status ExceptionBulkLoad::deriveFromNewLogEntries() {
    auto ends = logEnds();
    if (!ends)
        return ends.problem();
    QSqlQuery progress(m_db);
    QSqlQuery steps(m_db);
    // The exceptions loaded before the load that its entries settle (those loaded in it are derived whole).
    progress.prepare(
        u"INSERT OR REPLACE INTO exception_progress (tenant_id, record_id, apply_time, valid_end, "
        "rule_id, target_type, reason_category, final_at, final_kind, four_eyes, withdrawn_at, "
        "first_action_at) SELECT tenant_id, record_id, apply_time, valid_end, rule_id, target_type, "
        "reason_category, final_at, final_kind, four_eyes, withdrawn_at, first_action_at"
        " FROM exception_progress_derived WHERE exception_rowid < :first AND tenant_id = :tenant "
        "AND record_id IN (SELECT record_id FROM approval_log WHERE tenant_id = :tenant AND seq > :from)"_s);
    steps.prepare(
        u"INSERT OR REPLACE INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, "
        "final) SELECT tenant_id, seq, record_id, actor_id, at, waited_since, final"
        " FROM approval_steps_derived WHERE tenant_id = :tenant AND seq > :from"_s);
    for (auto it = ends.value().cbegin(); it != ends.value().cend(); ++it) {
        const qint64 from = m_logEnds.value(it.key(), 0);
        if (it.value() <= from)
            continue;
        progress.bindValue(u":first"_s, m_firstRowid);
        progress.bindValue(u":tenant"_s, it.key());
        progress.bindValue(u":from"_s, from);
        steps.bindValue(u":tenant"_s, it.key());
        steps.bindValue(u":from"_s, from);
        if (!progress.exec())
            return sqlProblem(progress, tr("Rebuilding the workspace's indexes"));
        if (!steps.exec())
            return sqlProblem(steps, tr("Rebuilding the workspace's indexes"));
    }
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
    // The server's steps of the loaded exceptions, when sync copied the server's log before them (migration
    // 033: the exceptions' insert trigger derives them, and it was suspended).
    if (!q.exec(
            u"INSERT OR REPLACE INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, "
            "final) SELECT d.tenant_id, d.seq, d.record_id, d.actor_id, d.at, d.waited_since, d.final "
            "FROM exceptions e CROSS JOIN approval_steps_server_derived d ON d.tenant_id = e.tenant_id "
            "AND d.record_id = e.record_id WHERE e.rowid >= %1"_s.arg(m_firstRowid)))
        return sqlProblem(q, tr("Rebuilding the workspace's indexes"));
    if (Status s = deriveFromNewLogEntries(); !s)
        return s;
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
