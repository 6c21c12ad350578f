#include "NativeStatement.h"

#include "SqlProblem.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QVariant>
#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

NativeStatement::NativeStatement(const QSqlDatabase& db, const char* sql) : m_prepared(success()) {
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
        m_db = *static_cast<sqlite3* const*>(handle.data());
    if (!m_db) {
        m_prepared = Problem{u"no_native_handle"_s, tr("The workspace connection is not SQLite."), {}};
        return;
    }
    if (sqlite3_prepare_v2(m_db, sql, -1, &m_statement, nullptr) != SQLITE_OK)
        m_prepared =
            Problem{u"prepare_failed"_s,
                    tr("Preparing a statement failed: %1").arg(QString::fromUtf8(sqlite3_errmsg(m_db))),
                    {}};
}

NativeStatement::~NativeStatement() {
    sqlite3_finalize(m_statement);
}

void NativeStatement::bind(int index, qint64 value) {
    sqlite3_bind_int64(m_statement, index, value);
}

void NativeStatement::bind(int index, double value) {
    sqlite3_bind_double(m_statement, index, value);
}

void NativeStatement::bindNull(int index) {
    sqlite3_bind_null(m_statement, index);
}

void NativeStatement::bind(int index, QByteArrayView utf8) {
    // A null view would bind NULL; an empty string must stay ''.
    sqlite3_bind_text(m_statement, index, utf8.isNull() ? "" : utf8.data(), int(utf8.size()), SQLITE_STATIC);
}

void NativeStatement::bind(int index, QStringView text) {
    if (m_buffers.size() < index)
        m_buffers.resize(index);
    QByteArray& buffer = m_buffers[index - 1];
    const qsizetype needed = m_utf8.requiredSpace(text.size());
    if (buffer.size() < needed)
        buffer.resize(needed);
    char* end = m_utf8.appendToBuffer(buffer.data(), text);
    sqlite3_bind_text(m_statement, index, buffer.constData(), int(end - buffer.constData()), SQLITE_STATIC);
}

void NativeStatement::bindBlob(int index, QByteArrayView bytes) {
    // A null view would bind NULL; an empty payload must stay an empty BLOB.
    sqlite3_bind_blob(m_statement, index, bytes.isNull() ? "" : bytes.data(), int(bytes.size()),
                      SQLITE_STATIC);
}

Status NativeStatement::step() {
    if (!m_prepared)
        return m_prepared;
    const int rc = sqlite3_step(m_statement);
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return Problem{u"database_error"_s,
                       tr("Writing to the workspace failed: %1").arg(QString::fromUtf8(sqlite3_errmsg(m_db))),
                       {}};
    return success();
}

Result<bool> NativeStatement::next() {
    if (!m_prepared)
        return m_prepared.problem();
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    // Read the message before the reset, which keeps the error code but may clear its text.
    const QString message = QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    if (rc == SQLITE_DONE)
        return false;
    // As QSqlQuery would report it, so a damaged file is named as such.
    return sqlProblem(QSqlError(QString(), message, QSqlError::StatementError, QString::number(rc)),
                      tr("Reading the workspace"));
}

bool NativeStatement::isNull(int column) const {
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

qint64 NativeStatement::int64(int column) const {
    return sqlite3_column_int64(m_statement, column);
}

double NativeStatement::real(int column) const {
    return sqlite3_column_double(m_statement, column);
}

QByteArrayView NativeStatement::text(int column) const {
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, column));
    return QByteArrayView(bytes, sqlite3_column_bytes(m_statement, column));
}

QByteArrayView NativeStatement::blob(int column) const {
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(m_statement, column));
    return QByteArrayView(bytes, bytes ? sqlite3_column_bytes(m_statement, column) : 0);
}

} // namespace riskdesk
