#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <map>
#include <memory>

namespace riskdesk {

// The statements a unit of work runs many times, each prepared once. SQLite compiles a statement, with every
// trigger it fires, when it is prepared: a bulk decision that prepared its four statements anew for each
// exception spent most of its time compiling the approval log's triggers again. A repository given an
// instance takes its statements from it; without one it prepares each statement when it runs it.
// Belongs to one connection and one thread, like the connection (closing it finalizes the statements).
class PreparedStatements {
public:
    explicit PreparedStatements(QSqlDatabase db) : m_db(std::move(db)) {}
    PreparedStatements(const PreparedStatements&) = delete;
    PreparedStatements& operator=(const PreparedStatements&) = delete;

    // The statement to run `sql` with: the kept one when `kept` is given (prepared on its first use), else
    // `local`, prepared now. Bind and exec it as usual. A kept SELECT stays open until finish() or its next
    // exec, so a caller that stops reading early calls finish().
    static QSqlQuery& pick(PreparedStatements* kept, QSqlQuery& local, const QString& sql);

private:
    QSqlQuery& statement(const QString& sql);

    QSqlDatabase m_db;
    std::map<QString, std::unique_ptr<QSqlQuery>> m_statements;
    std::unique_ptr<QSqlQuery> m_failed; // the last that failed to prepare, for its caller to read
};

} // namespace riskdesk
