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
