#pragma once

#include "domain/Result.h"

#include <QSqlDatabase>

namespace riskdesk {

// One read of the workspace across several statements: BEGIN … COMMIT with no write. In WAL mode the first
// statement fixes the snapshot every later one sees, so a check and the export it vouches for read the same
// rows although another connection writes in between.
class ReadSnapshot {
public:
    explicit ReadSnapshot(QSqlDatabase db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

    const Status& begun() const { return m_begun; }

private:
    QSqlDatabase m_db;
    Status m_begun;
    bool m_open = false;
};

} // namespace riskdesk
