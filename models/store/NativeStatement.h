#pragma once

#include "domain/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QStringEncoder>

struct sqlite3;
struct sqlite3_stmt;

namespace riskdesk {

// A prepared statement on a QSQLITE connection's own sqlite3 handle, for bulk writes and bulk reads: binding
// and reading through QSqlQuery cost a QVariant per value, several times the cost of the statement itself.
// Use it on the connection's thread (writes inside the caller's transaction).
class NativeStatement {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::NativeStatement)

public:
    NativeStatement(const QSqlDatabase& db, const char* sql);
    ~NativeStatement();
    NativeStatement(const NativeStatement&) = delete;
    NativeStatement& operator=(const NativeStatement&) = delete;

    const Status& prepared() const { return m_prepared; }
    // Parameters are numbered from 1, as in SQLite.
    void bind(int index, qint64 value);
    void bind(int index, double value);
    void bindNull(int index);
    // Read in place: the bytes must stay alive and unchanged until step() returns.
    void bind(int index, QByteArrayView utf8);
    // Encoded into a buffer this statement keeps per parameter and reuses row after row, so binding text
    // allocates nothing once the buffers have grown; SQLite reads it in place during step().
    void bind(int index, QStringView text);
    // Bytes as a BLOB, read in place like bind(QByteArrayView).
    void bindBlob(int index, QByteArrayView bytes);
    // Runs the statement and resets it for the next row.
    Status step();

    // Reading: steps to the next result row (true) or past the last one (false, and resets the statement for
    // new bindings). A failure, an interrupt included, is a Problem, never a shorter answer.
    Result<bool> next();
    // The current row's columns, numbered from 0. Text is UTF-8, valid until the next call to next().
    bool isNull(int column) const;
    qint64 int64(int column) const;
    double real(int column) const;
    QByteArrayView text(int column) const;
    // A BLOB's bytes as stored (no conversion), valid until the next call to next(); NULL reads as empty.
    QByteArrayView blob(int column) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_statement = nullptr;
    Status m_prepared;
    QList<QByteArray> m_buffers; // one per parameter
    QStringEncoder m_utf8{QStringEncoder::Utf8};
};

} // namespace riskdesk
