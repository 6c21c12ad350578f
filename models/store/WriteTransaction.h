#pragma once

#include "domain/Result.h"

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
    Status commit();

private:
    QSqlDatabase m_db;
    Status m_begun;
    bool m_open = false;
};

} // namespace riskdesk
