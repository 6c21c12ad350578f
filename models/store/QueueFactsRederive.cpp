#include "QueueFactsRederive.h"

#include "SqlProblem.h"

#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Status QueueFactsRederive::begin() {
    QSqlQuery q(m_db);
    if (!q.exec(u"CREATE TEMP TABLE IF NOT EXISTS queue_facts_again (tenant_id TEXT NOT NULL, "
                "record_id TEXT NOT NULL, PRIMARY KEY (tenant_id, record_id)) WITHOUT ROWID"_s) ||
        !q.exec(u"DELETE FROM temp.queue_facts_again"_s))
        return sqlProblem(q, tr("Preparing the risk-operations facts"));
    return success();
}

Status QueueFactsRederive::addEveryCopiedException() {
    QSqlQuery q(m_db);
    if (!q.exec(u"INSERT OR IGNORE INTO temp.queue_facts_again SELECT DISTINCT tenant_id, record_id "
                "FROM server_log"_s))
        return sqlProblem(q, tr("Preparing the risk-operations facts"));
    return success();
}

Status QueueFactsRederive::addCopiedAfter(const QHash<QString, qint64>& lastSeqBefore) {
    QSqlQuery q(m_db);
    q.prepare(u"INSERT OR IGNORE INTO temp.queue_facts_again SELECT tenant_id, record_id FROM server_log "
              "WHERE tenant_id = ? AND seq > ?"_s);
    for (auto it = lastSeqBefore.cbegin(); it != lastSeqBefore.cend(); ++it) {
        q.addBindValue(it.key());
        q.addBindValue(it.value());
        if (!q.exec())
            return sqlProblem(q, tr("Preparing the risk-operations facts"));
    }
    return success();
}

Status QueueFactsRederive::run() {
    // Joined from the set, not `IN (set)`: with a row-value IN, SQLite walked the set once per row of the
    // steps' view (a batch of 5,000 exceptions took minutes).
    const QString in =
        u"(tenant_id, record_id) IN (SELECT tenant_id, record_id FROM temp.queue_facts_again)"_s;
    const QString joined = u" d ON d.tenant_id = t.tenant_id AND d.record_id = t.record_id"_s;
    const QString steps =
        u"INSERT INTO approval_steps (tenant_id, seq, record_id, actor_id, at, waited_since, "
        "final) SELECT d.tenant_id, d.seq, d.record_id, d.actor_id, d.at, d.waited_since, "
        "d.final FROM temp.queue_facts_again t CROSS JOIN "_s;
    const QStringList statements{
        u"DELETE FROM exception_progress WHERE "_s + in,
        u"INSERT INTO exception_progress (tenant_id, record_id, apply_time, valid_end, rule_id, target_type, "
        "reason_category, final_at, final_kind, four_eyes, withdrawn_at, first_action_at) "
        "SELECT d.tenant_id, d.record_id, d.apply_time, d.valid_end, d.rule_id, d.target_type, "
        "d.reason_category, d.final_at, d.final_kind, d.four_eyes, d.withdrawn_at, d.first_action_at "
        "FROM temp.queue_facts_again t CROSS JOIN exception_progress_derived"_s +
            joined,
        u"DELETE FROM approval_steps WHERE "_s + in,
        steps + u"approval_steps_server_derived"_s + joined,
        steps + u"approval_steps_derived"_s + joined,
        u"DELETE FROM temp.queue_facts_again"_s};
    QSqlQuery q(m_db);
    for (const QString& statement : statements)
        if (!q.exec(statement))
            return sqlProblem(q, tr("Deriving the risk-operations facts from the server's log"));
    return success();
}

} // namespace riskdesk
