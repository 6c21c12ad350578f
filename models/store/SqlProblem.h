#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace riskdesk {

// SQLite's primary result codes that mean the file itself is bad, not the statement.
inline bool isDamageCode(const QString& nativeCode) {
    const int code = nativeCode.toInt() & 0xff; // an extended code carries the primary one in its low byte
    return code == 11 /* SQLITE_CORRUPT */ || code == 26 /* SQLITE_NOTADB */;
}

// How long a connection waits for another one's write lock before it gives up (Workspace's connections).
inline constexpr int kBusyTimeoutSeconds = 5;

// SQLITE_BUSY (and its recovery form): another connection (a second window, a command, a sync) held the
// write lock for longer than the busy timeout. Not SQLITE_BUSY_SNAPSHOT (517), which comes at once and
// cannot succeed by waiting, nor SQLITE_LOCKED, which is this connection's own conflict (helper-94).
inline bool isBusyCode(const QString& nativeCode) {
    const int code = nativeCode.toInt();
    return (code & 0xff) == 5 /* SQLITE_BUSY */ && code != 517 /* SQLITE_BUSY_SNAPSHOT */;
}

// Another writer held the lock past the busy timeout while we were `doing` something; also for a caller that
// names what the user asked for ("Approving exc-…") rather than the step that waited ("Starting a change").
inline Problem busyProblem(const QString& doing) {
    return Problem{QStringLiteral("workspace_busy"),
                   QCoreApplication::translate(
                       "riskdesk::Workspace",
                       "%1 failed: another Riskdesk window or command was writing to the workspace and did "
                       "not finish within %2 seconds. Nothing was changed; try again when it is done.")
                       .arg(doing)
                       .arg(kBusyTimeoutSeconds),
                   {}};
}

// A database failure as a Problem: what we were doing, then what SQLite said. A damaged file is named as
// such, with what the user can do, and carries the code "workspace_damaged" so callers can stop writing.
inline Problem sqlProblem(const QSqlError& error, const QString& doing) {
    if (isDamageCode(error.nativeErrorCode()))
        return Problem{QStringLiteral("workspace_damaged"),
                       QCoreApplication::translate(
                           "riskdesk::Workspace",
                           "The workspace file is damaged (%1 failed: %2). Nothing was changed. Restore the "
                           "file from a backup, or create a new workspace and sync it from the server.")
                           .arg(doing, error.databaseText()),
                       {}};
    // SQLite's own words ("database is locked Unable to fetch row") tell the user neither who nor what to do.
    if (isBusyCode(error.nativeErrorCode()))
        return busyProblem(doing);
    return Problem{
        QStringLiteral("database_error"),
        QCoreApplication::translate("riskdesk::Workspace", "%1 failed: %2").arg(doing, error.text()),
        {}};
}

inline Problem sqlProblem(const QSqlQuery& query, const QString& doing) {
    return sqlProblem(query.lastError(), doing);
}

// `while (q.next())` stops at the last row and also at an error (a damaged page): after every row loop, ask
// this, so that a damaged file becomes an error and never a shorter answer.
inline bool rowsFailed(const QSqlQuery& query) {
    return query.lastError().isValid();
}

} // namespace riskdesk
