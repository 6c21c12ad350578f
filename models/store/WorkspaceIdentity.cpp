#include "WorkspaceIdentity.h"

#include "SqlProblem.h"
#include "settings/AppSettings.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QUuid>
#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// The identity stored in another workspace file, read without Qt's connection registry; empty if unreadable.
QString storedIdentityOf(const QString& path) {
    sqlite3* db = nullptr;
    QString id;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT value FROM workspace_meta WHERE key = 'workspace_id'", -1,
                               &statement, nullptr) == SQLITE_OK &&
            sqlite3_step(statement) == SQLITE_ROW)
            id = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return id;
}

} // namespace

Result<WorkspaceIdentity::Claim> WorkspaceIdentity::claim(AppSettings& settings, const QSqlDatabase& db,
                                                          const QString& path, const QString& storedId,
                                                          const std::function<bool()>& mayWrite) {
    const QString file = QFileInfo(path).canonicalFilePath();
    const QString holder = settings.workspaceFile(storedId);
    if (holder == file)
        return Claim{storedId, {}};
    if (holder.isEmpty() || !QFileInfo::exists(holder) || storedIdentityOf(holder) != storedId) {
        // First seen here, or moved: this file is the identity's holder from now on.
        settings.setWorkspaceFile(storedId, file);
        return Claim{storedId, {}};
    }
    if (!mayWrite()) {
        const QString derived =
            storedId + u'@' +
            QString::fromLatin1(
                QCryptographicHash::hash(file.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
        return Claim{derived,
                     tr("%1 is a copy of %2; its approval log is verified on its own, not against the "
                        "original's.")
                         .arg(path, holder)};
    }
    const QString fresh = QUuid::createUuid().toString(QUuid::Id128);
    QSqlQuery q(db);
    q.prepare(u"UPDATE workspace_meta SET value = ? WHERE key = 'workspace_id'"_s);
    q.addBindValue(fresh);
    if (!q.exec())
        return sqlProblem(q, tr("Giving the copied workspace an identity of its own"));
    settings.setWorkspaceFile(fresh, file);
    return Claim{fresh, tr("%1 is a copy of %2: it now has an identity of its own, and its approval log is "
                           "verified on its own from here on.")
                            .arg(path, holder)};
}

} // namespace riskdesk
