#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QSqlDatabase>
#include <QStringList>

namespace riskdesk {

// Loading many exceptions at once, inside the caller's write transaction: the table's indexes and triggers
// are dropped for the load and made again after (with the log's derivation triggers), and the search index is
// built in one pass. Building an
// index from sorted data is several times faster than maintaining it row by row, and the search trigger would
// flush the full-text index once per row.
//
// finish() builds everything before the caller commits (the demo). finishLater() restores only the triggers
// and leaves the indexes and the search index of the loaded rows to DeferredIndexBuild, recorded in the same
// transaction: a desktop's first pull commits its rows in seconds and the queue opens while they are built.
class ExceptionBulkLoad {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ExceptionBulkLoad)

public:
    explicit ExceptionBulkLoad(QSqlDatabase db) : m_db(std::move(db)) {}

    Status begin();
    Status finish();
    Status finishLater();

private:
    Status suspendLogTriggers();
    Result<QHash<QString, qint64>> logEnds() const;
    Status deriveFromNewLogEntries();
    Status restoreTriggers();

    QSqlDatabase m_db;
    QStringList m_indexes;  // CREATE INDEX statements
    QStringList m_triggers; // CREATE TRIGGER statements
    qint64 m_firstRowid = 1;
    QHash<QString, qint64> m_logEnds; // each tenant's last log seq when the load began
};

} // namespace riskdesk
