#include "BoardExportLog.h"

#include "store/WriteTransaction.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Status BoardExportLog::record(QSqlDatabase db, const BoardExportEntry& entry) {
    WriteTransaction tx(db);
    if (!tx.begun())
        return tx.begun();
    QSqlQuery q(db);
    q.prepare(
        u"INSERT INTO board_exports (user_id, tenant_id, site_id, board, section, params_hash, format, path, "
        "row_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    // Empty, never NULL: the columns are NOT NULL and an owner's user id is empty.
    const auto text = [](const QString& s) { return s.isNull() ? u""_s : s; };
    for (const QString& s : {entry.userId, entry.tenant, entry.site, entry.board, entry.section,
                             entry.parametersHash, entry.format, entry.path})
        q.addBindValue(text(s));
    q.addBindValue(entry.rowCount);
    q.addBindValue(entry.createdAtMs);
    if (!q.exec())
        return Problem{u"database_error"_s, q.lastError().text(), {}};
    return tx.commit();
}

} // namespace riskdesk
