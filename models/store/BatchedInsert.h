#pragma once

#include "RowBlock.h"
#include "domain/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QSqlDatabase>
#include <memory>

namespace riskdesk {

class NativeStatement;

// Blocks of rows into one table, several rows per statement. SQLite's cost per statement run (opening
// cursors, setting up its virtual machine) is about as large as the cost of a narrow row itself, so a
// multi-row VALUES halves the time of a bulk load. Use on the connection's thread, inside the caller's
// transaction.
class BatchedInsert {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BatchedInsert)

public:
    // `head` is "INSERT INTO t (a, b, c)"; the VALUES list is added here.
    BatchedInsert(QSqlDatabase db, QByteArray head, int columns, int rowsPerStatement = 32);
    ~BatchedInsert();
    BatchedInsert(const BatchedInsert&) = delete;
    BatchedInsert& operator=(const BatchedInsert&) = delete;

    const Status& prepared() const { return m_prepared; }
    // Every row of the block; each must have `columns` values.
    Status insert(const RowBlock& block);

private:
    Status run(NativeStatement& statement, const RowBlock& block, int firstRow, int rows);
    std::unique_ptr<NativeStatement> prepare(int rows);

    QSqlDatabase m_db;
    QByteArray m_head;
    int m_columns;
    int m_rowsPerStatement;
    std::unique_ptr<NativeStatement> m_full;
    Status m_prepared;
};

} // namespace riskdesk
