#pragma once

#include <QSqlDatabase>
#include <functional>

struct sqlite3;

namespace riskdesk {

// Interrupts whatever statement runs on a SQLite connection once a deadline has passed, for as long as the
// object lives (a board enrichment's 2 s, spec §2.5). SQLite calls the progress handler every few thousand
// virtual-machine steps; when `passed` says so the statement stops with SQLITE_INTERRUPT, which the caller
// sees as a failed query. Only one per connection at a time; the connection's own thread only. A connection
// that is not SQLite is left alone.
class SqliteDeadline {
public:
    SqliteDeadline(const QSqlDatabase& db, std::function<bool()> passed);
    ~SqliteDeadline();
    SqliteDeadline(const SqliteDeadline&) = delete;
    SqliteDeadline& operator=(const SqliteDeadline&) = delete;

    bool installed() const { return m_db != nullptr; }
    // True once the handler has stopped a statement.
    bool interrupted() const { return m_interrupted; }

private:
    static int onProgress(void* self);

    sqlite3* m_db = nullptr;
    std::function<bool()> m_passed;
    bool m_interrupted = false;
};

} // namespace riskdesk
