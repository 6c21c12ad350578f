#include "ServerAdmin.h"

#include "BoardServerSeed.h"
#include "domain/ExceptionColumns.h"
#include "domain/Timestamps.h"
#include "store/SqlProblem.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QStringList kMigrations{u":/riskdesk/sql/postgres/001_schema.sql"_s,
                              u":/riskdesk/sql/postgres/002_functions.sql"_s,
                              u":/riskdesk/sql/postgres/003_hardening.sql"_s,
                              u":/riskdesk/sql/postgres/004_boards.sql"_s,
                              u":/riskdesk/sql/postgres/005_board_partitions.sql"_s,
                              u":/riskdesk/sql/postgres/006_decide_sets.sql"_s,
                              u":/riskdesk/sql/postgres/007_assignments.sql"_s,
                              u":/riskdesk/sql/postgres/008_comments.sql"_s,
                              u":/riskdesk/sql/postgres/009_request_rules.sql"_s,
                              u":/riskdesk/sql/postgres/010_set_based_push.sql"_s,
                              u":/riskdesk/sql/postgres/011_attachment_blobs.sql"_s,
                              u":/riskdesk/sql/postgres/012_request_files.sql"_s,
                              u":/riskdesk/sql/postgres/013_sla_on_server.sql"_s,
                              u":/riskdesk/sql/postgres/014_push_custom_plans.sql"_s,
                              u":/riskdesk/sql/postgres/015_pull_horizon.sql"_s,
                              u":/riskdesk/sql/postgres/016_stalled_lock_holders.sql"_s,
                              u":/riskdesk/sql/postgres/017_printable_texts.sql"_s,
                              u":/riskdesk/sql/postgres/018_attachment_quota.sql"_s,
                              u":/riskdesk/sql/postgres/019_rule_target_type.sql"_s,
                              u":/riskdesk/sql/postgres/020_lighter_push.sql"_s};

// One field of COPY's text format.
void appendField(QByteArray& row, const QVariant& value, bool first = false) {
    if (!first)
        row += '\t';
    if (value.isNull()) {
        row += "\\N";
        return;
    }
    const QByteArray bytes = value.toString().toUtf8();
    for (char c : bytes) {
        switch (c) {
        case '\\':
            row += "\\\\";
            break;
        case '\t':
            row += "\\t";
            break;
        case '\n':
            row += "\\n";
            break;
        case '\r':
            row += "\\r";
            break;
        default:
            row += c;
        }
    }
}

QString literal(const QString& text) {
    QString quoted = text;
    quoted.replace(u'\'', u"''"_s);
    return u"'"_s + quoted + u"'"_s; // standard_conforming_strings is on since PostgreSQL 9.1
}

// How long a migration waits for a lock on a table in use.
constexpr int kLockWaitSeconds = 5;

// Who holds locks on this database's riskdesk tables now, other than this session: "login (pid 123, idle in
// transaction)", or a note when nobody does any more.
QString lockHolders(PgConnection& server) {
    auto holders = server.exec(
        u"SELECT a.usename, a.pid, coalesce(a.state, '') FROM pg_catalog.pg_stat_activity a "
        "WHERE a.pid <> pg_catalog.pg_backend_pid() AND a.pid IN (SELECT l.pid FROM pg_catalog.pg_locks l "
        "JOIN pg_catalog.pg_class c ON c.oid = l.relation JOIN pg_catalog.pg_namespace n ON n.oid = "
        "c.relnamespace WHERE l.granted AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE "
        "d.datname = pg_catalog.current_database()) AND n.nspname = 'riskdesk') ORDER BY a.usename, a.pid"_s);
    if (!holders)
        return ServerAdmin::tr("unknown (%1)").arg(holders.problem().message);
    QStringList names;
    for (int row = 0; row < holders.value().rows(); ++row)
        names << ServerAdmin::tr("%1 (pid %2, %3)")
                     .arg(holders.value().text(row, 0), holders.value().text(row, 1),
                          holders.value().text(row, 2));
    return names.isEmpty() ? ServerAdmin::tr("none any more (they have finished since)")
                           : names.join(u", "_s);
}

} // namespace

int ServerAdmin::latestVersion() {
    return int(kMigrations.size());
}

Result<int> ServerAdmin::migrate(PgConnection& server) {
    if (Status s = server.execScript(
            u"CREATE TABLE IF NOT EXISTS public.riskdesk_migrations ("
            "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"_s);
        !s)
        return s.problem();
    int applied = 0;
    for (int version = 1; version <= kMigrations.size(); ++version) {
        QFile file(kMigrations.at(version - 1));
        if (!file.open(QIODevice::ReadOnly))
            return Problem{u"migration_missing"_s,
                           tr("The server migration %1 is missing from this build.").arg(version),
                           {}};
        // One transaction per migration, and one migrator at a time: a lock on the migrations' own table,
        // which no app role may touch (an advisory lock's key any login could take first). Once it is
        // held, the migration waits at most kLockWait for a table a desktop is using: waiting longer would
        // queue every app session behind it until they time out too.
        if (Status s = server.execScript(
                u"BEGIN; LOCK TABLE public.riskdesk_migrations IN SHARE ROW EXCLUSIVE MODE; "
                "SET LOCAL lock_timeout = '%1s'"_s.arg(kLockWaitSeconds));
            !s)
            return s.problem();
        auto done = server.exec(u"SELECT 1 FROM public.riskdesk_migrations WHERE version = $1"_s,
                                {QString::number(version)});
        if (!done) {
            server.execScript(u"ROLLBACK"_s);
            return done.problem();
        }
        if (done.value().rows() > 0) {
            server.execScript(u"ROLLBACK"_s);
            continue;
        }
        Status s = server.execScript(QString::fromUtf8(file.readAll()));
        if (s)
            if (auto r = server.exec(u"INSERT INTO public.riskdesk_migrations (version) VALUES ($1)"_s,
                                     {QString::number(version)});
                !r)
                s = r.problem();
        if (!s) {
            const bool lockWait = server.sqlState() == u"55P03";
            server.execScript(u"ROLLBACK"_s);
            if (lockWait)
                return Problem{
                    u"migration_blocked"_s,
                    tr("Server migration %1 waited %2 s for tables in use and was rolled back; "
                       "nothing changed. Sessions holding them: %3. Ask these users to close "
                       "Riskdesk (or end the sessions with pg_terminate_backend) and migrate again.")
                        .arg(version)
                        .arg(kLockWaitSeconds)
                        .arg(lockHolders(server)),
                    {}};
            return Problem{
                s.problem().code, tr("Server migration %1: %2").arg(version).arg(s.problem().message), {}};
        }
        if (Status c = server.execScript(u"COMMIT"_s); !c)
            return c.problem();
        ++applied;
    }
    return applied;
}

Status ServerAdmin::addUser(PgConnection& server, const QString& loginRole, const QString& password,
                            UserRole role, const QString& tenantId, const QString& userId,
                            const QString& displayName, const QStringList& sites) {
    const QString name = PgConnection::quoteIdentifier(loginRole);
    auto exists = server.exec(u"SELECT 1 FROM pg_roles WHERE rolname = $1"_s, {loginRole});
    if (!exists)
        return exists.problem();
    QString script = u"BEGIN;"_s;
    // An app login: no superuser, no BYPASSRLS, cannot create roles or databases, owns nothing.
    if (exists.value().rows() == 0)
        script +=
            u"CREATE ROLE %1 LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT PASSWORD %2;"_s
                .arg(name, literal(password));
    else if (!password.isEmpty())
        script += u"ALTER ROLE %1 PASSWORD %2;"_s.arg(name, literal(password));
    script += u"GRANT riskdesk_%1 TO %2;"_s.arg(toWire(role), name);
    // A session left idle inside a transaction would hold its tenant's log lock: the server ends it.
    script += u"ALTER ROLE %1 SET idle_in_transaction_session_timeout = '60s';"_s.arg(name);
    // One login cannot take every connection, hold a statement or wait on a lock for long, or stay idle
    // forever (the same limits migration 003 gives logins made before it).
    script += u"ALTER ROLE %1 CONNECTION LIMIT 16;"_s.arg(name);
    script += u"ALTER ROLE %1 SET statement_timeout = '60s';"_s.arg(name);
    script += u"ALTER ROLE %1 SET lock_timeout = '10s';"_s.arg(name);
    script += u"ALTER ROLE %1 SET idle_session_timeout = '15min';"_s.arg(name);
    script += u"INSERT INTO riskdesk.tenants (tenant_id, name) VALUES (%1, %1) ON CONFLICT DO NOTHING;"_s.arg(
        literal(tenantId));
    script += u"INSERT INTO riskdesk.memberships (login_role, tenant_id, user_id, display_name, role) "
              "VALUES (%1, %2, %3, %4, %5) ON CONFLICT (login_role, tenant_id) DO UPDATE SET user_id = "
              "excluded.user_id, "
              "display_name = excluded.display_name, role = excluded.role;"_s.arg(
                  literal(loginRole), literal(tenantId), literal(userId), literal(displayName),
                  literal(toWire(role)));
    for (const QString& site : sites)
        script +=
            u"INSERT INTO riskdesk.site_memberships (login_role, tenant_id, site_id) VALUES (%1, %2, %3) "
            "ON CONFLICT DO NOTHING;"_s.arg(literal(loginRole), literal(tenantId), literal(site));
    script += u"COMMIT;"_s;
    if (Status s = server.execScript(script); !s) {
        server.execScript(u"ROLLBACK"_s);
        return s;
    }
    return success();
}

namespace {

// The requests' files go with their exceptions (a demo's included), so a desktop that pulls them opens them:
// each stored file once per tenant that names it, then the lists. A file whose bytes this workspace no longer
// keeps (one pulled earlier and evicted since) cannot be stored and is left out of its list.
Status seedRequestFiles(PgConnection& server, QSqlDatabase workspace) {
    QSqlQuery q(workspace);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT a.tenant_id, a.sha256, b.mime_type, b.size_bytes, MIN(a.file_name), hex(b.content), "
                "MIN(e.applicant_id) FROM exception_attachments a "
                "JOIN attachment_blobs b ON b.sha256 = a.sha256 "
                "JOIN exceptions e ON e.tenant_id = a.tenant_id AND e.record_id = a.record_id "
                "GROUP BY a.tenant_id, a.sha256"_s))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's request files"));
    while (q.next()) {
        auto stored = server.exec(
            u"INSERT INTO riskdesk.attachment_blobs (tenant_id, sha256, mime_type, size_bytes, file_name, "
            u"content, "
            "uploaded_by) VALUES ($1, $2, $3, $4::bigint, $5, pg_catalog.decode($6, 'hex'), $7) "
            "ON CONFLICT (tenant_id, sha256) DO NOTHING"_s,
            {q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
             q.value(4).toString(), q.value(5).toString(), q.value(6).toString()});
        if (!stored)
            return stored.problem();
    }
    if (rowsFailed(q))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's request files"));
    if (!q.exec(
            u"SELECT a.tenant_id, a.record_id, a.position, a.sha256, a.file_name, a.mime_type, a.size_bytes "
            "FROM exception_attachments a WHERE EXISTS (SELECT 1 FROM attachment_blobs b "
            "WHERE b.sha256 = a.sha256)"_s))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's request files"));
    QByteArray lists;
    while (q.next()) {
        for (int c = 0; c < 7; ++c)
            appendField(lists, q.value(c), c == 0);
        lists += '\n';
    }
    if (rowsFailed(q))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's request files"));
    // Through a temporary table, as the exceptions are: COPY cannot write into a table under row-level
    // security.
    Status s = server.execScript(u"CREATE TEMP TABLE seed_exception_attachments "
                                 "(LIKE riskdesk.exception_attachments) ON COMMIT DROP"_s);
    if (s)
        s = server.copyIn(
            u"COPY seed_exception_attachments (tenant_id, record_id, position, sha256, file_name, "
            "mime_type, size_bytes) FROM STDIN"_s,
            lists);
    if (s)
        s = server.execScript(
            u"INSERT INTO riskdesk.exception_attachments SELECT * FROM seed_exception_attachments"_s);
    return s;
}

// The SLA policy and the leads go with the exceptions: the server judges escalations by them (013). A lead
// must be an approver of the tenant on the server for an escalation to reach them; change_assignment checks
// that.
Status seedSlaAndLeads(PgConnection& server, QSqlDatabase workspace) {
    QSqlQuery q(workspace);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT tenant_id, severity, sla_minutes FROM sla_policy"_s))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's SLA policy"));
    while (q.next()) {
        auto stored = server.exec(
            u"INSERT INTO riskdesk.sla_policy (tenant_id, severity, sla_minutes) VALUES ($1, $2, $3::bigint) "
            "ON CONFLICT (tenant_id, severity) DO UPDATE SET sla_minutes = excluded.sla_minutes"_s,
            {q.value(0).toString(), q.value(1).toString(), q.value(2).toString()});
        if (!stored)
            return stored.problem();
    }
    if (rowsFailed(q))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's SLA policy"));
    if (!q.exec(u"SELECT tenant_id, user_id FROM approval_leads"_s))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's leads"));
    while (q.next()) {
        auto stored = server.exec(u"INSERT INTO riskdesk.approval_leads (tenant_id, user_id) VALUES ($1, $2) "
                                  "ON CONFLICT DO NOTHING"_s,
                                  {q.value(0).toString(), q.value(1).toString()});
        if (!stored)
            return stored.problem();
    }
    if (rowsFailed(q))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's leads"));
    return success();
}

} // namespace

Result<qint64> ServerAdmin::seed(PgConnection& server, QSqlDatabase workspace) {
    auto iso = [](const QVariant& ms) { return timestamps::toIso(timestamps::fromMs(ms.toLongLong())); };
    QByteArray tenants, rules, exceptions;
    QSqlQuery q(workspace);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT tenant_id, name FROM tenants"_s))
        return Problem{u"workspace_error"_s, q.lastError().text(), {}};
    while (q.next()) {
        appendField(tenants, q.value(0), true);
        appendField(tenants, q.value(1));
        tenants += '\n';
    }
    if (rowsFailed(q))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's tenants"));
    if (!q.exec(u"SELECT tenant_id, rule_id, name, domain, severity, payload, version FROM rules"_s))
        return Problem{u"workspace_error"_s, q.lastError().text(), {}};
    while (q.next()) {
        for (int c = 0; c < 7; ++c)
            appendField(rules, q.value(c), c == 0);
        rules += '\n';
    }
    if (rowsFailed(q))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's rules"));
    if (!q.exec(u"SELECT %1 FROM exceptions"_s.arg(QString::fromLatin1(ExceptionColumns::names()))))
        return Problem{u"workspace_error"_s, q.lastError().text(), {}};
    qint64 count = 0;
    while (q.next()) {
        for (int c = 0; c < ExceptionColumns::kCount; ++c) {
            QVariant v = q.value(c);
            if (ExceptionColumns::kAll.at(size_t(c)).kind == ExceptionColumnKind::Time)
                v = iso(v);
            else if (ExceptionColumns::kAll.at(size_t(c)).kind == ExceptionColumnKind::Flag)
                v = v.toInt() ? u"t"_s : u"f"_s;
            appendField(exceptions, v, c == 0);
        }
        exceptions += '\n';
        ++count;
    }
    if (rowsFailed(q))
        return sqlProblem(q, ServerAdmin::tr("Reading the workspace's exceptions"));
    if (Status s = server.execScript(u"BEGIN"_s); !s)
        return s.problem();
    // COPY cannot write into a table under row-level security: the rows go through temporary tables.
    Status s = server.execScript(
        u"CREATE TEMP TABLE seed_tenants (LIKE riskdesk.tenants INCLUDING DEFAULTS) ON COMMIT DROP;"
        "CREATE TEMP TABLE seed_rules (LIKE riskdesk.rules INCLUDING DEFAULTS) ON COMMIT DROP;"
        "CREATE TEMP TABLE seed_exceptions (LIKE riskdesk.exceptions INCLUDING DEFAULTS) ON COMMIT DROP"_s);
    if (s)
        s = server.copyIn(u"COPY seed_tenants (tenant_id, name) FROM STDIN"_s, tenants);
    if (s)
        s = server.copyIn(
            u"COPY seed_rules (tenant_id, rule_id, name, domain, severity, payload, version) FROM STDIN"_s,
            rules);
    if (s)
        s = server.copyIn(
            u"COPY seed_exceptions (%1) FROM STDIN"_s.arg(QString::fromLatin1(ExceptionColumns::names())),
            exceptions);
    if (s)
        s = server.execScript(
            u"INSERT INTO riskdesk.tenants SELECT * FROM seed_tenants ON CONFLICT (tenant_id) DO NOTHING;"
            "INSERT INTO riskdesk.rules SELECT * FROM seed_rules;"
            "INSERT INTO riskdesk.exceptions SELECT * FROM seed_exceptions"_s);
    if (s)
        s = seedRequestFiles(server, workspace);
    if (s)
        s = seedSlaAndLeads(server, workspace);
    if (s) {
        // The boards' data go along (a workspace without any copies nothing).
        auto boards = BoardServerSeed::copy(server, workspace);
        if (!boards)
            s = boards.problem();
    }
    if (s)
        s = server.execScript(
            u"INSERT INTO riskdesk.changes (tenant_id, record_id) SELECT tenant_id, record_id FROM riskdesk.exceptions"_s);
    if (!s) {
        server.execScript(u"ROLLBACK"_s);
        return s.problem();
    }
    if (Status c = server.execScript(u"COMMIT; SELECT pg_notify(notify_channel, '') FROM riskdesk.tenants"_s);
        !c)
        return c.problem();
    return count;
}

} // namespace riskdesk
