#include "PreparedStatements.h"

namespace riskdesk {

QSqlQuery& PreparedStatements::pick(PreparedStatements* kept, QSqlQuery& local, const QString& sql) {
    if (kept)
        return kept->statement(sql);
    local.prepare(sql);
    return local;
}

QSqlQuery& PreparedStatements::statement(const QString& sql) {
    if (const auto found = m_statements.find(sql); found != m_statements.end())
        return *found->second;
    auto q = std::make_unique<QSqlQuery>(m_db);
    // One that failed to prepare is not kept: its exec fails, and the next use prepares it again.
    if (!q->prepare(sql)) {
        m_failed = std::move(q);
        return *m_failed;
    }
    return *m_statements.emplace(sql, std::move(q)).first->second;
}

} // namespace riskdesk
