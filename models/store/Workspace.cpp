#include "Workspace.h"

#include "NameCollation.h"
#include "SqlProblem.h"
#include "SqlScript.h"
#include "TargetHistoryStore.h"
#include "WorkspaceFileHeader.h"
#include "WorkspaceHealthRecord.h"
#include "WorkspaceIdentity.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUrl>
#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// Migration scripts in order; the schema version is the number of scripts applied (PRAGMA user_version).
// 012/013 (coach, customer indexes) go before 014 when they land; 014 only adds an index IF NOT EXISTS.
const QStringList& migrationFiles() {
    static const QStringList files{u":/riskdesk/sql/sqlite/001_initial.sql"_s,
                                   u":/riskdesk/sql/sqlite/002_search.sql"_s,
                                   u":/riskdesk/sql/sqlite/003_open_windows.sql"_s,
                                   u":/riskdesk/sql/sqlite/004_workspace_identity.sql"_s,
                                   u":/riskdesk/sql/sqlite/005_assessment.sql"_s,
                                   u":/riskdesk/sql/sqlite/006_target_history.sql"_s,
                                   u":/riskdesk/sql/sqlite/007_outbox_by_record.sql"_s,
                                   u":/riskdesk/sql/sqlite/008_cheaper_checks.sql"_s,
                                   u":/riskdesk/sql/sqlite/009_server_log.sql"_s,
                                   u":/riskdesk/sql/sqlite/010_boards.sql"_s,
                                   u":/riskdesk/sql/sqlite/011_board_sync.sql"_s,
                                   u":/riskdesk/sql/sqlite/012_coach_indexes.sql"_s,
                                   u":/riskdesk/sql/sqlite/013_customer_indexes.sql"_s,
                                   u":/riskdesk/sql/sqlite/014_finance_indexes.sql"_s,
                                   u":/riskdesk/sql/sqlite/015_service_log_summaries.sql"_s,
                                   u":/riskdesk/sql/sqlite/016_exception_progress.sql"_s,
                                   u":/riskdesk/sql/sqlite/017_board_queue_facts.sql"_s,
                                   u":/riskdesk/sql/sqlite/018_target_event_blocks.sql"_s,
                                   u":/riskdesk/sql/sqlite/019_board_day_totals.sql"_s,
                                   u":/riskdesk/sql/sqlite/020_attachment_cache.sql"_s,
                                   u":/riskdesk/sql/sqlite/021_customer_rankings.sql"_s,
                                   u":/riskdesk/sql/sqlite/022_board_period_summaries.sql"_s,
                                   u":/riskdesk/sql/sqlite/023_log_identity.sql"_s,
                                   u":/riskdesk/sql/sqlite/024_assignments.sql"_s,
                                   u":/riskdesk/sql/sqlite/025_assessment_day_totals.sql"_s,
                                   u":/riskdesk/sql/sqlite/026_comments.sql"_s,
                                   u":/riskdesk/sql/sqlite/027_request_attachments.sql"_s,
                                   u":/riskdesk/sql/sqlite/028_customer_kept_totals.sql"_s,
                                   u":/riskdesk/sql/sqlite/029_log_by_record_covering.sql"_s,
                                   u":/riskdesk/sql/sqlite/030_request_files_assignee_order.sql"_s,
                                   u":/riskdesk/sql/sqlite/031_visit_quarters.sql"_s,
                                   u":/riskdesk/sql/sqlite/032_comment_server_time.sql"_s,
                                   u":/riskdesk/sql/sqlite/033_board_facts_from_both_logs.sql"_s,
                                   u":/riskdesk/sql/sqlite/034_reason_categories.sql"_s};
    return files;
}

// What a migration needs beyond its SQL, run in its transaction right after its script.
Status codeStepAfter(const QString& file, const QSqlDatabase& db) {
    if (file.endsWith(u"018_target_event_blocks.sql"))
        return TargetHistoryStore::packStoredEvents(db); // the compact form is written by our codec
    return success();
}

// The workspace files this process has SQLite connections to. Opening and closing a file with another handle
// drops every POSIX lock this process holds on it, SQLite's included: another process would then take its
// journal for abandoned and delete it. So the header is read only before the first connection.
QMutex openFilesMutex;
QHash<QString, int> openFiles;

bool alreadyOpenHere(const QString& file) {
    QMutexLocker lock(&openFilesMutex);
    return openFiles.value(file) > 0;
}

void addOpenFile(const QString& file) {
    QMutexLocker lock(&openFilesMutex);
    ++openFiles[file];
}

// True when this was the process's last connection to the file.
bool removeOpenFile(const QString& file) {
    QMutexLocker lock(&openFilesMutex);
    if (--openFiles[file] > 0)
        return false;
    openFiles.remove(file);
    return true;
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
    return openFile(path, connectionName, true, WorkspaceAccess::ReadWrite);
}

Status Workspace::openExisting(const QString& path, const QString& connectionName, WorkspaceAccess access) {
    return openFile(path, connectionName, false, access);
}

Status Workspace::openFile(const QString& path, const QString& connectionName, bool create,
                           WorkspaceAccess access) {
    close();
    m_notices.clear();
    m_identityOverride.clear();
    m_damage.reset();
    m_verified = false;
    const QFileInfo info(path);
    if (info.exists() && !info.isFile())
        return Problem{u"workspace_not_file"_s, Workspace::tr("%1 is not a workspace file.").arg(path), {}};
    if (info.exists()) {
        // Before SQLite sees it: an empty file would silently become a new workspace, a cut-off one a
        // shorter answer.
        if (Status header =
                alreadyOpenHere(info.canonicalFilePath()) ? success() : WorkspaceFileHeader::check(path);
            !header)
            return header;
    } else if (!create) {
        return Problem{
            u"workspace_missing"_s,
            Workspace::tr(
                "There is no workspace at %1. Check the path, or create one there: riskdesk workspace "
                "create --workspace %1 (empty, to sync from a server), or riskdesk demo --workspace %1 "
                "(with demo data).")
                .arg(path),
            {}};
    } else if (!QDir().mkpath(info.absolutePath())) {
        return Problem{
            u"workspace_unwritable"_s,
            Workspace::tr("Cannot create the folder %1 for the workspace.").arg(info.absolutePath()),
            {}};
    }
    bool readOnly = access == WorkspaceAccess::ReadOnly;
    if (access == WorkspaceAccess::Automatic && info.exists())
        readOnly = !info.isWritable() || !QFileInfo(info.absolutePath()).isWritable();

    m_connectionName = connectionName;
    m_path = path;
    m_readOnly = readOnly;
    Status connected = connect(readOnly, false);
    // A read-only folder has no room for SQLite's shared-memory file; a file with no pending journal can then
    // be read as immutable.
    if (!connected && readOnly && QFileInfo(path + u"-wal"_s).size() == 0) {
        close();
        m_connectionName = connectionName;
        m_path = path;
        m_readOnly = true;
        connected = connect(true, true);
    }
    if (!connected) {
        close();
        return connected;
    }
    m_file = QFileInfo(path).canonicalFilePath();
    addOpenFile(m_file);
    Status migrated = migrate();
    if (!migrated) {
        close();
        return migrated;
    }
    const WorkspaceHealthRecord::Recalled health = WorkspaceHealthRecord::recall(*m_settings, path);
    if (health.verdict == WorkspaceHealthRecord::Verdict::Damaged) {
        m_damage = health.damage;
        QSqlQuery(u"PRAGMA query_only = ON"_s, db()); // nothing more goes into a damaged file
    }
    m_verified = health.verdict == WorkspaceHealthRecord::Verdict::Clean;
    // A copy takes an identity of its own, written into it: only into a file that is writable and whole.
    auto claim = WorkspaceIdentity::claim(*m_settings, db(), path, create && !info.exists(),
                                          [this] { return !m_readOnly && ensureVerified().ok(); });
    if (!claim) {
        close();
        return claim.problem();
    }
    m_identityOverride = claim.value().id;
    if (!claim.value().notice.isEmpty())
        m_notices << claim.value().notice;
    return success();
}

Status Workspace::connect(bool readOnly, bool immutable) {
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    QString options = u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(kBusyTimeoutSeconds * 1000);
    if (readOnly)
        options += u";QSQLITE_OPEN_READONLY"_s;
    if (immutable) {
        options += u";QSQLITE_OPEN_URI"_s;
        db.setDatabaseName(
            QUrl::fromLocalFile(QFileInfo(m_path).absoluteFilePath()).toString(QUrl::FullyEncoded) +
            u"?immutable=1"_s);
    } else {
        db.setDatabaseName(m_path);
    }
    db.setConnectOptions(options);
    if (!db.open())
        return Problem{u"workspace_open_failed"_s,
                       Workspace::tr("Cannot open the workspace %1: %2").arg(m_path, db.lastError().text()),
                       {}};
    // WAL lets readers run beside the one writer; FULL sync because the outbox holds decisions that exist
    // nowhere else until they reach the server. A read-only connection only reads the schema to prove it can.
    const QStringList pragmas =
        readOnly ? QStringList{u"SELECT count(*) FROM sqlite_master"_s, u"PRAGMA cache_size = -65536"_s}
                 : QStringList{u"PRAGMA journal_mode = WAL"_s, u"PRAGMA synchronous = FULL"_s,
                               u"PRAGMA foreign_keys = ON"_s, u"PRAGMA cache_size = -65536"_s,
                               u"PRAGMA temp_store = MEMORY"_s};
    if (Status s = NameCollation::install(db); !s)
        return s.problem();
    for (const QString& pragma : pragmas) {
        QSqlQuery q(db);
        if (!q.exec(pragma) || (q.isSelect() && !q.next() && rowsFailed(q))) {
            if (isDamageCode(q.lastError().nativeErrorCode()))
                return sqlProblem(q, Workspace::tr("Opening the workspace"));
            return Problem{
                u"workspace_open_failed"_s,
                Workspace::tr("%1 is not a usable workspace (%2).").arg(m_path, q.lastError().text()),
                {}};
        }
    }
    return success();
}

std::optional<Problem> Workspace::writeRefusal() const {
    if (m_damage)
        return m_damage;
    if (m_readOnly)
        return Problem{
            u"workspace_read_only"_s,
            Workspace::tr("The workspace %1 is open read-only (this user may not write the file or "
                          "its folder): it can be read and verified, but nothing can be changed or recorded "
                          "in it.")
                .arg(m_path),
            {}};
    return std::nullopt;
}

void Workspace::markDamaged(const Problem& damage, const QString& finding) {
    if (m_damage)
        return;
    m_damage = damage;
    m_verified = false;
    WorkspaceHealthRecord::recordDamage(*m_settings, m_path,
                                        finding.isEmpty() ? Workspace::tr("a damaged page") : finding);
    QSqlQuery(u"PRAGMA query_only = ON"_s, db()); // nothing more goes into a damaged file
}

Status Workspace::ensureVerified() {
    if (m_damage)
        return *m_damage;
    if (m_verified)
        return success();
    return check(IntegrityDepth::Quick);
}

Status Workspace::check(IntegrityDepth depth) {
    QSqlQuery q(db());
    q.setForwardOnly(true);
    // Up to 20 findings: enough to say what is wrong without reading the whole list of a wrecked file.
    const bool ran =
        q.exec(depth == IntegrityDepth::Full ? u"PRAGMA integrity_check(20)"_s : u"PRAGMA quick_check(20)"_s);
    QStringList findings;
    while (ran && q.next())
        findings << q.value(0).toString();
    if (!ran || rowsFailed(q)) { // so damaged that the check itself cannot read it
        Problem p = sqlProblem(q, Workspace::tr("Checking the workspace"));
        if (p.code == u"workspace_damaged")
            markDamaged(p, q.lastError().databaseText());
        return p;
    }
    if (findings == QStringList{u"ok"_s}) {
        if (m_damage && depth == IntegrityDepth::Full) { // restored or repaired in place
            m_damage.reset();
            QSqlQuery(u"PRAGMA query_only = OFF"_s, db());
        }
        if (!m_damage) {
            m_verified = true;
            WorkspaceHealthRecord::recordClean(*m_settings, m_path);
        }
        return success();
    }
    const QString finding =
        findings.size() > 1 ? Workspace::tr("%1, and %n more finding(s)", nullptr, int(findings.size() - 1))
                                  .arg(findings.first())
                            : findings.first();
    const Problem damage{
        u"workspace_damaged"_s,
        Workspace::tr("The workspace %1 is damaged (SQLite's check: %2). Nothing more will be "
                      "written to it. Restore the file from a backup, or create a new workspace "
                      "and sync it from the server.")
            .arg(m_path, finding),
        {}};
    markDamaged(damage, finding);
    return damage;
}

void Workspace::close() {
    if (m_connectionName.isEmpty())
        return;
    const bool recordClean = !m_readOnly && !m_damage && m_verified;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen()) {
            if (!m_readOnly && !m_damage) {
                // Refreshes planner statistics the session showed stale. Sampled, as the demo's ANALYZE is:
                // a full one read a million-exception workspace's indexes whole and held up every close
                // (about a second; the quit of the window waits on it).
                QSqlQuery(u"PRAGMA analysis_limit = 1000"_s, db);
                QSqlQuery(u"PRAGMA optimize"_s, db);
            }
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
    m_readOnly = false;
    if (!m_file.isEmpty()) {
        // Whole when this process verified it, changed since only by SQLite here: still whole (the next
        // opening need not read it again). Not while another connection of this process may still write.
        if (removeOpenFile(m_file) && recordClean)
            WorkspaceHealthRecord::recordClean(*m_settings, m_file);
        m_file.clear();
    }
}

bool Workspace::isOpen() const {
    return !m_connectionName.isEmpty() && db().isOpen();
}

QSqlDatabase Workspace::db() const {
    return QSqlDatabase::database(m_connectionName, false);
}

QString Workspace::workspaceId() const {
    return m_identityOverride.isEmpty() ? storedWorkspaceId() : m_identityOverride;
}

QString Workspace::storedWorkspaceId() const {
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

Result<qint64> Workspace::dataVersion() const {
    QSqlQuery q(db());
    if (!q.exec(u"PRAGMA data_version"_s))
        return sqlProblem(q, Workspace::tr("Asking whether %1 changed").arg(m_path));
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, Workspace::tr("Asking whether %1 changed").arg(m_path));
        return Problem{u"workspace_unreadable"_s, Workspace::tr("%1 gave no data version.").arg(m_path), {}};
    }
    return q.value(0).toLongLong();
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
    if (current == 0) { // schema 0 is a new file; one that already holds tables is somebody else's database
        QSqlQuery q(db());
        if (!q.exec(u"SELECT count(*) FROM sqlite_master"_s) || !q.next())
            return sqlProblem(q, Workspace::tr("Reading the workspace"));
        if (q.value(0).toLongLong() > 0)
            return Problem{
                u"workspace_unreadable"_s, Workspace::tr("%1 is not a Riskdesk workspace.").arg(m_path), {}};
    }
    if (m_readOnly && current < latestSchemaVersion())
        return Problem{
            u"workspace_read_only"_s,
            Workspace::tr("%1 was written by an older Riskdesk and must be upgraded, which a read-only "
                          "workspace cannot be. Open a writable copy of it.")
                .arg(m_path),
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
        if (Status step = codeStepAfter(file, database); !step) {
            q.exec(u"ROLLBACK"_s);
            return Problem{u"migration_failed"_s,
                           Workspace::tr("Upgrading the workspace to schema %1 failed: %2")
                               .arg(version + 1)
                               .arg(step.problem().message),
                           {}};
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
