#pragma once

#include "domain/Result.h"

#include <QDateTime>
#include <QSqlDatabase>

namespace riskdesk {

// BEGIN IMMEDIATE … COMMIT, rolled back if not committed. IMMEDIATE takes the write lock up front: in WAL
// mode a deferred transaction that later tries to write fails with SQLITE_BUSY instead of waiting.
class WriteTransaction {
public:
    explicit WriteTransaction(QSqlDatabase db);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    const Status& begun() const { return m_begun; }
    // now, moved on by the time BEGIN waited for another writer's lock (up to the busy timeout): what is
    // written carries the time it was written, so an entry never reads seconds older than one stored before
    // it. A wait too short to notice leaves now as given (tests pass a fixed time).
    QDateTime afterWait(const QDateTime& now) const;
    Status commit();

private:
    QSqlDatabase m_db;
    Status m_begun;
    bool m_open = false;
    qint64 m_waitedMs = 0;
};

} // namespace riskdesk
