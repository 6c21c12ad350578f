#include "Workspace.h"

#include "SqlScript.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// Migration scripts in order; the schema version is the number of scripts applied (PRAGMA user_version).
const QStringList& migrationFiles() {
    static const QStringList files{u":/riskdesk/sql/sqlite/001_initial.sql"_s,
                                   u":/riskdesk/sql/sqlite/002_search.sql"_s,
                                   u":/riskdesk/sql/sqlite/003_open_windows.sql"_s,
                                   u":/riskdesk/sql/sqlite/004_workspace_identity.sql"_s,
                                   u":/riskdesk/sql/sqlite/005_assessment.sql"_s,
                                   u":/riskdesk/sql/sqlite/006_target_history.sql"_s,
                                   u":/riskdesk/sql/sqlite/007_outbox_by_record.sql"_s,
                                   u":/riskdesk/sql/sqlite/008_cheaper_checks.sql"_s,
                                   u":/riskdesk/sql/sqlite/009_server_log.sql"_s};
    return files;
}

} // namespace

Workspace::~Workspace() {
    close();
}

void Workspace::configureSqlite() {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); // refused (harmlessly) once SQLite is initialised
}

int Workspace::latestSchemaVersion() {
    return int(migrationFiles().size());
}

QString Workspace::defaultPath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/workspace.riskdesk"_s;
}

Status Workspace::open(const QString& path, const QString& connectionName) {
    close();
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return Problem{
            u"workspace_unwritable"_s,
            Workspace::tr("Cannot create the folder %1 for the workspace.").arg(info.absolutePath()),
            {}};
    if (info.exists() && !info.isFile())
        return Problem{u"workspace_not_file"_s, Workspace::tr("%1 is not a workspace file.").arg(path), {}};

    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    m_connectionName = connectionName;
    m_path = path;
    if (!db.open()) {
        const QString why = db.lastError().text();
        close();
        return Problem{
            u"workspace_open_failed"_s, Workspace::tr("Cannot open the workspace %1: %2").arg(path, why), {}};
    }
    // WAL lets readers run beside the one writer; FULL sync because the outbox holds decisions that exist
    // nowhere else until they reach the server.
    for (const QString& pragma :
         {u"PRAGMA journal_mode = WAL"_s, u"PRAGMA synchronous = FULL"_s, u"PRAGMA foreign_keys = ON"_s,
          u"PRAGMA cache_size = -65536"_s, u"PRAGMA temp_store = MEMORY"_s}) {
        QSqlQuery q(db);
        if (!q.exec(pragma)) {
            const QString why = q.lastError().text();
            close();
            return Problem{u"workspace_open_failed"_s,
                           Workspace::tr("%1 is not a usable workspace (%2).").arg(path, why),
                           {}};
        }
    }
    Status migrated = migrate();
    if (!migrated)
        close();
    return migrated;
}

void Workspace::close() {
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen()) {
            QSqlQuery(u"PRAGMA optimize"_s, db); // refreshes planner statistics that the session showed stale
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool Workspace::isOpen() const {
    return !m_connectionName.isEmpty() && db().isOpen();
}

QSqlDatabase Workspace::db() const {
    return QSqlDatabase::database(m_connectionName, false);
}

QString Workspace::workspaceId() const {
    QSqlQuery q(db());
    if (q.exec(u"SELECT value FROM workspace_meta WHERE key = 'workspace_id'"_s) && q.next())
        return q.value(0).toString();
    return {};
}

int Workspace::schemaVersion() const {
    QSqlQuery q(db());
    if (q.exec(u"PRAGMA user_version"_s) && q.next())
        return q.value(0).toInt();
    return -1;
}

Status Workspace::migrate() {
    const int current = schemaVersion();
    if (current < 0)
        return Problem{
            u"workspace_unreadable"_s, Workspace::tr("%1 is not a Riskdesk workspace.").arg(m_path), {}};
    if (current > latestSchemaVersion())
        return Problem{
            u"workspace_too_new"_s,
            Workspace::tr("%1 was written by a newer Riskdesk (schema %2; this version knows up to %3).")
                .arg(m_path)
                .arg(current)
                .arg(latestSchemaVersion()),
            {}};
    QSqlDatabase database = db();
    for (int version = current; version < latestSchemaVersion(); ++version) {
        const QString file = migrationFiles().at(version);
        auto statements = SqlScript::load(file);
        if (!statements)
            return statements.problem();
        QSqlQuery q(database);
        if (!q.exec(u"BEGIN IMMEDIATE"_s))
            return Problem{
                u"migration_failed"_s,
                Workspace::tr("Cannot lock %1 to upgrade it: %2").arg(m_path, q.lastError().text()),
                {}};
        for (const QString& statement : statements.value()) {
            if (!q.exec(statement)) {
                const QString why = q.lastError().text();
                q.exec(u"ROLLBACK"_s);
                return Problem{u"migration_failed"_s,
                               Workspace::tr("Upgrading the workspace to schema %1 failed: %2")
                                   .arg(version + 1)
                                   .arg(why),
                               {}};
            }
        }
        q.exec(u"PRAGMA user_version = %1"_s.arg(version + 1));
        if (!q.exec(u"COMMIT"_s))
            return Problem{u"migration_failed"_s,
                           Workspace::tr("Cannot commit the schema upgrade: %1").arg(q.lastError().text()),
                           {}};
    }
    return success();
}

} // namespace riskdesk
