#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <optional>

namespace riskdesk {

class AppSettings;

// How an existing workspace is opened. Automatic: read-write when this process may write the file and its
// folder (SQLite writes its journal beside the file), read-only otherwise, e.g. evidence handed to an
// auditor.
enum class WorkspaceAccess { Automatic, ReadWrite, ReadOnly };

// How much of the file a check reads. Quick: every page and row, not the indexes' agreement with their
// tables (SQLite's quick_check); Full: everything (integrity_check).
enum class IntegrityDepth { Quick, Full };

// One open SQLite workspace file on one connection. A connection belongs to the thread that opened it:
// the GUI uses it only through DatabaseThread; the command line uses it on its main thread.
class Workspace {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::Workspace)

public:
    // settings: where this desktop remembers what it found in workspace files (their health, which file holds
    // which identity); it must outlive the workspace.
    explicit Workspace(AppSettings& settings) : m_settings(&settings) {}
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    // Opens the workspace at path, creating it when there is no file there (demo, a first sync, tests), and
    // migrates it to the current schema. The connection name must be unique.
    Status open(const QString& path, const QString& connectionName);
    // Opens a workspace that must already exist: nothing is created for a mistyped path or an empty file.
    Status openExisting(const QString& path, const QString& connectionName,
                        WorkspaceAccess access = WorkspaceAccess::Automatic);
    void close();

    bool isOpen() const;
    bool isReadOnly() const { return m_readOnly; }
    QSqlDatabase db() const;
    QString path() const { return m_path; }
    int schemaVersion() const;
    // Made once when the file is created; a new file at the same path has a new one, and so does a copy
    // (see WorkspaceIdentity). A read-only copy that cannot take one of its own answers an identity of its
    // file, so that nothing remembered about the original is held against it.
    QString workspaceId() const;
    // What the user should be told about this opening (e.g. "this is a copy; it has its own identity now").
    QStringList notices() const { return m_notices; }
    AppSettings& settings() const { return *m_settings; }

    // Why this workspace must not be written to (read-only, or found damaged), if it must not.
    std::optional<Problem> writeRefusal() const;
    // Reads the whole file for damage. On damage, returns it and refuses every later write through this
    // connection (PRAGMA query_only).
    Status check(IntegrityDepth depth);
    // Marks the workspace damaged (a read or a check found a damaged page): later writes are refused, here
    // and in later openings (WorkspaceHealthRecord). finding: what was found, for the record.
    void markDamaged(const Problem& damage, const QString& finding = {});
    // Before using a file this desktop has not seen whole since it last changed: reads it whole once (the
    // quick check). A file unchanged since a check (or since this desktop's own writes after one) costs
    // nothing.
    Status ensureVerified();

    // SQLite's count of commits to the file by other connections (another process, this desktop's other
    // threads); it stays the same across this connection's own writes. A reader compares it with the one it
    // saw to know whether what it holds may have changed elsewhere.
    Result<qint64> dataVersion() const;

    static int latestSchemaVersion();
    // Process-wide SQLite settings; call before the first connection opens. Turns off SQLite's memory
    // statistics, which nothing here reads and which take a global lock on every allocation: a tenth of a
    // bulk load's time.
    static void configureSqlite();
    static QString defaultPath();

private:
    Status openFile(const QString& path, const QString& connectionName, bool create, WorkspaceAccess access);
    Status connect(bool readOnly, bool immutable);
    Status migrate();
    QString storedWorkspaceId() const;

    AppSettings* m_settings;
    QString m_path;
    QString m_connectionName;
    QString m_identityOverride;
    QStringList m_notices;
    bool m_readOnly = false;
    bool m_verified = false; // read whole and found sound, or unchanged since (WorkspaceHealthRecord)
    QString m_file;          // the canonical path, while open
    std::optional<Problem> m_damage;
};

} // namespace riskdesk
