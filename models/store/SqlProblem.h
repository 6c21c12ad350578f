#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace riskdesk {

// A database failure as a Problem: what we were doing, then what SQLite said.
inline Problem sqlProblem(const QSqlQuery& query, const QString& doing) {
    return Problem{QStringLiteral("database_error"),
                   QCoreApplication::translate("riskdesk::Workspace", "%1 failed: %2")
                       .arg(doing, query.lastError().text()),
                   {}};
}

} // namespace riskdesk
