#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QStringList>

namespace riskdesk {

// Loading many exceptions at once, inside the caller's write transaction: the table's indexes and triggers
// are dropped for the load and made again after, and the search index is built once at the end. Building an
// index from sorted data is several times faster than maintaining it row by row, and the search trigger would
// flush the full-text index once per row. Used by the demo and by a desktop's first pull.
class ExceptionBulkLoad {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ExceptionBulkLoad)

public:
    explicit ExceptionBulkLoad(QSqlDatabase db) : m_db(std::move(db)) {}

    Status begin();
    Status finish();

private:
    QSqlDatabase m_db;
    QStringList m_creates;
};

} // namespace riskdesk
