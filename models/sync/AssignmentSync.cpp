#include "AssignmentSync.h"

#include "PullHorizon.h"
#include "SyncLogin.h"
#include "store/SqlProblem.h"
#include "store/WriteTransaction.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kAssignmentBatch = 5000;

// SQLSTATEs of a server from before migration 007: no such table, no such function.
// SQLite takes a null QString as NULL; the columns hold '' for "nobody".
QString text(const QString& value) {
    return value.isNull() ? u""_s : value;
}

bool beforeAssignments(const QString& state) {
    return state == u"42P01" || state == u"42883";
}

} // namespace

Result<AssignmentSyncReport> AssignmentSync::syncOnce() {
    AssignmentSyncReport report;
    // Asked first: a login that approves nowhere (finance) would otherwise meet the missing tables only in
    // the pull, after its push.
    auto present = m_server.exec(u"SELECT to_regclass('riskdesk.assignment_log') IS NOT NULL"_s);
    if (!present)
        return present.problem();
    if (present.value().rows() != 1 || present.value().text(0, 0) != u"t") {
        report.serverHasThem = false;
        return report;
    }
    if (Status s = pullLeads(); !s) {
        if (beforeAssignments(m_server.sqlState())) {
            report.serverHasThem = false;
            return report;
        }
        return s.problem();
    }
    if (Status s = pullSlaPolicy(); !s)
        return s.problem();
    if (Status s = push(report); !s)
        return s.problem();
    if (Status s = pull(report); !s)
        return s.problem();
    return report;
}

QString AssignmentSync::serverId() {
    auto id = m_server.exec(u"SELECT server_id::text FROM riskdesk.server_identity"_s);
    return id && id.value().rows() > 0 ? id.value().text(0, 0) : QString();
}

Status AssignmentSync::pullLeads() {
    // In the tenants where this login approves, the approvers it may assign to and the leads among them.
    auto mine = m_server.exec(u"SELECT tenant_id FROM riskdesk.memberships WHERE login_role = session_user "
                              "AND role = 'approver' ORDER BY tenant_id"_s);
    if (!mine)
        return mine.problem();
    struct Approver {
        QString tenant, user, name;
        bool lead = false;
    };
    QList<Approver> approvers;
    for (int t = 0; t < mine.value().rows(); ++t) {
        const QString tenant = mine.value().text(t, 0);
        auto listed = m_server.exec(
            u"SELECT o_user_id, o_display_name, o_is_lead::int FROM riskdesk.assignable_approvers($1)"_s,
            {tenant});
        if (!listed)
            return listed.problem();
        for (int row = 0; row < listed.value().rows(); ++row)
            approvers.append({tenant, listed.value().text(row, 0), text(listed.value().text(row, 1)),
                              listed.value().integer(row, 2) != 0});
    }
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();
    // The server is the source of both for the tenants this login sees.
    QSqlQuery q(m_db);
    for (const QString& table : {u"approval_leads"_s, u"server_approvers"_s})
        if (!q.exec(u"DELETE FROM %1 WHERE tenant_id IN (SELECT tenant_id FROM tenants)"_s.arg(table)))
            return sqlProblem(q, tr("Storing the leads"));
    QSqlQuery lead(m_db), approver(m_db);
    lead.prepare(u"INSERT OR IGNORE INTO approval_leads (tenant_id, user_id) VALUES (?, ?)"_s);
    approver.prepare(
        u"INSERT OR IGNORE INTO server_approvers (tenant_id, user_id, display_name) VALUES (?, ?, ?)"_s);
    for (const Approver& a : std::as_const(approvers)) {
        approver.addBindValue(a.tenant);
        approver.addBindValue(a.user);
        approver.addBindValue(a.name);
        if (!approver.exec())
            return sqlProblem(approver, tr("Storing the leads"));
        if (!a.lead)
            continue;
        lead.addBindValue(a.tenant);
        lead.addBindValue(a.user);
        if (!lead.exec())
            return sqlProblem(lead, tr("Storing the leads"));
    }
    return tx.commit();
}

Status AssignmentSync::pullSlaPolicy() {
    auto present = m_server.exec(u"SELECT to_regclass('riskdesk.sla_policy') IS NOT NULL"_s);
    if (!present)
        return present.problem();
    if (present.value().rows() != 1 || present.value().text(0, 0) != u"t")
        return success();
    // Row-level security shows the policy of the tenants this login belongs to, and its own memberships.
    auto mine = m_server.exec(
        u"SELECT tenant_id FROM riskdesk.memberships WHERE login_role = session_user ORDER BY tenant_id"_s);
    if (!mine)
        return mine.problem();
    auto policy = m_server.exec(
        u"SELECT tenant_id, severity, sla_minutes FROM riskdesk.sla_policy ORDER BY tenant_id, severity"_s);
    if (!policy)
        return policy.problem();
    // Most syncs find the policy as it was: then nothing is written (no write lock, no WAL growth).
    QStringList tenants, server, local;
    for (int t = 0; t < mine.value().rows(); ++t)
        tenants << mine.value().text(t, 0);
    for (int row = 0; row < policy.value().rows(); ++row)
        server << u"%1|%2|%3"_s.arg(policy.value().text(row, 0), policy.value().text(row, 1))
                      .arg(policy.value().integer(row, 2));
    QSqlQuery read(m_db);
    read.setForwardOnly(true);
    if (!read.exec(u"SELECT tenant_id, severity, sla_minutes FROM sla_policy ORDER BY tenant_id, severity"_s))
        return sqlProblem(read, tr("Reading the SLA policy"));
    while (read.next())
        if (tenants.contains(read.value(0).toString()))
            local << u"%1|%2|%3"_s.arg(read.value(0).toString(), read.value(1).toString())
                         .arg(read.value(2).toLongLong());
    if (rowsFailed(read))
        return sqlProblem(read, tr("Reading the SLA policy"));
    read.finish();
    local.sort(); // the server's collation may order tenants differently
    server.sort();
    if (local == server)
        return success();
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();
    QSqlQuery drop(m_db), add(m_db);
    drop.prepare(u"DELETE FROM sla_policy WHERE tenant_id = ?"_s);
    for (const QString& tenant : std::as_const(tenants)) {
        drop.addBindValue(tenant);
        if (!drop.exec())
            return sqlProblem(drop, tr("Storing the SLA policy"));
    }
    add.prepare(u"INSERT OR REPLACE INTO sla_policy (tenant_id, severity, sla_minutes) VALUES (?, ?, ?)"_s);
    for (int row = 0; row < policy.value().rows(); ++row) {
        add.addBindValue(policy.value().text(row, 0));
        add.addBindValue(policy.value().text(row, 1));
        add.addBindValue(policy.value().integer(row, 2));
        if (!add.exec())
            return sqlProblem(add, tr("Storing the SLA policy"));
    }
    return tx.commit();
}

Status AssignmentSync::takeServerState(const QString& tenant, const QString& record, const QJsonObject& a) {
    if (a.isEmpty())
        return success();
    QSqlQuery q(m_db);
    q.prepare(
        u"INSERT INTO exception_assignments (tenant_id, record_id, assignee_id, escalated, version, "
        "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, record_id) DO UPDATE "
        "SET assignee_id = excluded.assignee_id, escalated = excluded.escalated, version = excluded.version, "
        "changed_by = excluded.changed_by, changed_at = excluded.changed_at "
        "WHERE NOT EXISTS (SELECT 1 FROM assignment_log l WHERE l.tenant_id = excluded.tenant_id "
        "AND l.record_id = excluded.record_id AND l.sync_state = 'waiting')"_s);
    for (const QVariant& v :
         QVariantList{tenant, record, text(a.value(u"assignee_id"_s).toString()),
                      a.value(u"escalated"_s).toBool() ? 1 : 0, a.value(u"version"_s).toInteger(),
                      text(a.value(u"changed_by"_s).toString()), a.value(u"changed_at"_s).toInteger()})
        q.addBindValue(v);
    if (!q.exec())
        return sqlProblem(q, tr("Taking the server's assignment"));
    return success();
}

Status AssignmentSync::push(AssignmentSyncReport& report) {
    QSqlQuery waiting(m_db);
    if (!waiting.exec(
            u"SELECT tenant_id, event_id, record_id, action, to_id, version, actor_id FROM assignment_log "
            "WHERE sync_state = 'waiting' ORDER BY at, version"_s))
        return sqlProblem(waiting, tr("Reading the assignments to send"));
    struct Waiting {
        QString tenant, event, record, action, to;
        qint64 version = 0;
        QString actor;
    };
    QList<Waiting> events;
    while (waiting.next())
        events.append({waiting.value(0).toString(), waiting.value(1).toString(), waiting.value(2).toString(),
                       waiting.value(3).toString(), waiting.value(4).toString(),
                       waiting.value(5).toLongLong(), waiting.value(6).toString()});
    if (rowsFailed(waiting))
        return sqlProblem(waiting, tr("Reading the assignments to send"));
    waiting.finish();
    if (events.isEmpty())
        return success();
    // The server names the login as the one who changed the assignment: another person's change waits.
    std::optional<SyncLogin> own;
    auto loginOf = SyncLogin::sharedOrRead(m_login, own, m_server);
    if (!loginOf)
        return loginOf.problem();
    SyncLogin& login = *loginOf.value();
    for (const Waiting& w : std::as_const(events)) {
        if (QString why = login.whyWaiting(w.tenant, w.record, w.actor); !why.isEmpty()) {
            QSqlQuery note(m_db);
            note.prepare(u"UPDATE assignment_log SET sync_error = ? WHERE tenant_id = ? AND event_id = ?"_s);
            note.addBindValue(why);
            note.addBindValue(w.tenant);
            note.addBindValue(w.event);
            if (!note.exec())
                return sqlProblem(note, tr("Recording the server's answer"));
            ++report.waiting;
            report.messages << why;
            continue;
        }
        const bool takesAssignee = w.action == u"assign" || w.action == u"escalate";
        auto answer = m_server.exec(u"SELECT riskdesk.change_assignment($1, $2, $3, $4, $5, $6)::text"_s,
                                    {w.tenant, w.record, w.action, takesAssignee ? w.to : QString(),
                                     QString::number(w.version - 1), w.event});
        QString state = u"sent"_s, error;
        QJsonObject outcome;
        if (!answer) {
            if (answer.problem().code == u"server_unreachable")
                return answer.problem(); // stays waiting; retried with the same event id
            state = u"refused"_s;
            error = answer.problem().message;
        } else {
            outcome = QJsonDocument::fromJson(answer.value().text(0, 0).toUtf8()).object();
            const QString kind = outcome.value(u"outcome"_s).toString();
            if (kind != u"applied") {
                state = u"refused"_s;
                error = outcome.value(u"message"_s).toString();
            }
        }
        WriteTransaction tx(m_db);
        if (!tx.begun())
            return tx.begun().problem();
        QSqlQuery mark(m_db);
        mark.prepare(
            u"UPDATE assignment_log SET sync_state = ?, sync_error = ? WHERE tenant_id = ? AND event_id = ?"_s);
        mark.addBindValue(state);
        mark.addBindValue(error.isEmpty() ? QVariant() : QVariant(error));
        mark.addBindValue(w.tenant);
        mark.addBindValue(w.event);
        if (!mark.exec())
            return sqlProblem(mark, tr("Recording the server's answer"));
        if (Status s = takeServerState(w.tenant, w.record, outcome.value(u"assignment"_s).toObject()); !s)
            return s;
        if (Status c = tx.commit(); !c)
            return c;
        if (state == u"sent") {
            ++report.pushed;
        } else {
            ++report.refused;
            report.messages << tr("%1: the server did not take the assignment: %2").arg(w.record, error);
        }
    }
    return success();
}

Status AssignmentSync::pull(AssignmentSyncReport& report) {
    const QString server = serverId();
    QString xid = u"0"_s, logId = u"0"_s;
    {
        QSqlQuery q(m_db);
        if (q.exec(u"SELECT value FROM workspace_meta WHERE key = 'assignment_cursor'"_s) && q.next()) {
            const QString value = q.value(0).toString(); // "server-id/xid:log-id"
            if (value.section(u'/', 0, 0) == server) {
                xid = value.section(u'/', 1).section(u':', 0, 0);
                logId = value.section(u'/', 1).section(u':', 1, 1);
            }
        } else if (rowsFailed(q)) {
            return sqlProblem(q, tr("Reading the assignment cursor"));
        }
    }
    const auto horizon = PullHorizon::expression(m_server);
    if (!horizon)
        return horizon.problem();
    for (;;) {
        auto batch = m_server.exec(
            u"SELECT l.change_xid::text, l.log_id, l.tenant_id, l.event_id::text, l.record_id, l.actor_id, "
            "l.action, l.from_id, l.to_id, l.escalated::int, l.version, "
            "(pg_catalog.date_part('epoch', l.at) * 1000)::bigint FROM riskdesk.assignment_log l "
            "WHERE (l.change_xid, l.log_id) > ($1::xid8, $2::bigint) "
            "AND l.change_xid < %2 "
            "ORDER BY l.change_xid, l.log_id LIMIT %1"_s.arg(kAssignmentBatch)
                .arg(horizon.value()),
            {xid, logId});
        if (!batch)
            return batch.problem();
        const PgResult& rows = batch.value();
        if (rows.rows() == 0)
            return success();
        WriteTransaction tx(m_db);
        if (!tx.begun())
            return tx.begun().problem();
        QSqlQuery log(m_db);
        log.prepare(
            u"INSERT INTO assignment_log (tenant_id, event_id, record_id, actor_id, action, from_id, to_id, "
            "at, version, sync_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'server') "
            "ON CONFLICT (tenant_id, event_id) DO UPDATE SET sync_state = 'sent', sync_error = NULL "
            "WHERE assignment_log.sync_state = 'waiting'"_s);
        QSqlQuery current(m_db);
        current.prepare(
            u"INSERT INTO exception_assignments (tenant_id, record_id, assignee_id, escalated, version, "
            "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, record_id) "
            "DO UPDATE SET assignee_id = excluded.assignee_id, escalated = excluded.escalated, "
            "version = excluded.version, changed_by = excluded.changed_by, "
            "changed_at = excluded.changed_at WHERE excluded.version > exception_assignments.version "
            "AND NOT EXISTS (SELECT 1 FROM assignment_log l WHERE l.tenant_id = excluded.tenant_id "
            "AND l.record_id = excluded.record_id AND l.sync_state = 'waiting')"_s);
        for (int row = 0; row < rows.rows(); ++row) {
            const QString tenant = rows.text(row, 2), record = rows.text(row, 4);
            for (const QVariant& v :
                 QVariantList{tenant, rows.text(row, 3), record, rows.text(row, 5), rows.text(row, 6),
                              text(rows.text(row, 7)), text(rows.text(row, 8)), rows.integer(row, 11),
                              rows.integer(row, 10)})
                log.addBindValue(v);
            if (!log.exec())
                return sqlProblem(log, tr("Copying the server's assignments"));
            for (const QVariant& v :
                 QVariantList{tenant, record, text(rows.text(row, 8)), rows.integer(row, 9),
                              rows.integer(row, 10), rows.text(row, 5), rows.integer(row, 11)})
                current.addBindValue(v);
            if (!current.exec())
                return sqlProblem(current, tr("Copying the server's assignments"));
        }
        xid = rows.text(rows.rows() - 1, 0);
        logId = rows.text(rows.rows() - 1, 1);
        QSqlQuery meta(m_db);
        meta.prepare(u"INSERT INTO workspace_meta (key, value) VALUES ('assignment_cursor', ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s);
        meta.addBindValue(server + u'/' + xid + u':' + logId);
        if (!meta.exec())
            return sqlProblem(meta, tr("Keeping the assignment cursor"));
        if (Status c = tx.commit(); !c)
            return c;
        report.pulled += rows.rows();
        if (rows.rows() < kAssignmentBatch)
            return success();
    }
}

} // namespace riskdesk
