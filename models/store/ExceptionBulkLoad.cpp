#include "ExceptionBulkLoad.h"

#include "SqlProblem.h"

#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Status ExceptionBulkLoad::begin() {
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                "AND tbl_name = 'exceptions' AND sql IS NOT NULL ORDER BY type"_s))
        return sqlProblem(q, tr("Reading the workspace's indexes"));
    QStringList drops;
    while (q.next()) {
        drops << u"DROP %1 %2"_s.arg(q.value(0).toString().toUpper(), q.value(1).toString());
        m_creates << q.value(2).toString();
    }
    for (const QString& drop : drops)
        if (!q.exec(drop))
            return sqlProblem(q, tr("Preparing the bulk insert"));
    return success();
}

Status ExceptionBulkLoad::finish() {
    QSqlQuery q(m_db);
    if (!q.exec(
            u"INSERT INTO exceptions_search (rowid, body) SELECT exception_rowid, body FROM exceptions_search_body"_s) ||
        !q.exec(u"INSERT INTO exceptions_search (exceptions_search) VALUES ('optimize')"_s))
        return sqlProblem(q, tr("Building the search index"));
    for (const QString& create : std::as_const(m_creates))
        if (!q.exec(create))
            return sqlProblem(q, tr("Rebuilding the workspace's indexes"));
    m_creates.clear();
    return success();
}

} // namespace riskdesk
