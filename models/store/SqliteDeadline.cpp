#include "SqliteDeadline.h"

#include <QSqlDriver>
#include <QVariant>
#include <sqlite3.h>

namespace riskdesk {

namespace {
// Virtual-machine steps between two looks at the clock: a few microseconds of work, so a deadline is kept to
// well under a millisecond while the clock costs nothing measurable.
constexpr int kStepsPerCheck = 4000;
} // namespace

SqliteDeadline::SqliteDeadline(const QSqlDatabase& db, std::function<bool()> passed)
    : m_passed(std::move(passed)) {
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
        m_db = *static_cast<sqlite3* const*>(handle.data());
    if (m_db && m_passed)
        sqlite3_progress_handler(m_db, kStepsPerCheck, &SqliteDeadline::onProgress, this);
    else
        m_db = nullptr;
}

SqliteDeadline::~SqliteDeadline() {
    if (m_db)
        sqlite3_progress_handler(m_db, 0, nullptr, nullptr);
}

int SqliteDeadline::onProgress(void* self) {
    auto* deadline = static_cast<SqliteDeadline*>(self);
    if (!deadline->m_passed())
        return 0;
    deadline->m_interrupted = true;
    return 1; // non-zero: SQLite stops the statement with SQLITE_INTERRUPT
}

} // namespace riskdesk
