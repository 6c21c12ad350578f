#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

namespace riskdesk {

// One open SQLite workspace file on one connection. A connection belongs to the thread that opened it:
// the GUI uses it only through DatabaseThread; the command line uses it on its main thread.
class Workspace {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::Workspace)

public:
    Workspace() = default;
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    // Opens (creating if needed) and migrates to the current schema. The connection name must be unique.
    Status open(const QString& path, const QString& connectionName);
    void close();

    bool isOpen() const;
    QSqlDatabase db() const;
    QString path() const { return m_path; }
    int schemaVersion() const;
    // Made once when the file is created; a new file at the same path has a new one.
    QString workspaceId() const;

    static int latestSchemaVersion();
    // Process-wide SQLite settings; call before the first connection opens. Turns off SQLite's memory
    // statistics, which nothing here reads and which take a global lock on every allocation: a tenth of a
    // bulk load's time.
    static void configureSqlite();
    static QString defaultPath();

private:
    Status migrate();

    QString m_path;
    QString m_connectionName;
};

} // namespace riskdesk
