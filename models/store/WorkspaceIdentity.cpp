#include "WorkspaceIdentity.h"

#include "SqlProblem.h"
#include "settings/AppSettings.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSqlQuery>
#include <QUuid>
#include <sqlite3.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// The file's canonical path, also for a file not made yet (its folder's canonical path and its name).
QString canonicalOf(const QString& path) {
    const QFileInfo info(path);
    if (const QString canonical = info.canonicalFilePath(); !canonical.isEmpty())
        return canonical;
    const QString folder = QDir(info.absolutePath()).canonicalPath();
    return folder.isEmpty() ? info.absoluteFilePath() : folder + u'/' + info.fileName();
}

// The settings key of a file: a path is no key (its slashes are the settings' groups).
QString keyOf(const QString& file) {
    return QString::fromLatin1(
        QCryptographicHash::hash(file.toUtf8(), QCryptographicHash::Sha256).toHex().left(24));
}

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

// Another file, there now and holding the identity: the one this file was copied from.
bool holdsElsewhere(const QString& candidate, const QString& file, const QString& id) {
    return !candidate.isEmpty() && candidate != file && QFileInfo::exists(candidate) &&
           storedIdentityOf(candidate) == id;
}

QString pathOfRecord(const QSqlDatabase& db) {
    QSqlQuery q(db);
    if (q.exec(u"SELECT value FROM workspace_meta WHERE key = 'path_of_record'"_s) && q.next())
        return q.value(0).toString();
    return {};
}

Status writeMeta(const QSqlDatabase& db, const QString& key, const QString& value) {
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO workspace_meta (key, value) VALUES (?, ?) "
              "ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s);
    q.addBindValue(key);
    q.addBindValue(value);
    if (!q.exec())
        return sqlProblem(q, WorkspaceIdentity::tr("Recording the workspace's identity"));
    return success();
}

// The first entry's hash of each tenant's approval log in the file.
Result<QHash<QString, QByteArray>> logRoots(const QSqlDatabase& db) {
    QSqlQuery q(db);
    q.setForwardOnly(true);
    QHash<QString, QByteArray> roots;
    if (!q.exec(u"SELECT tenant_id, hash FROM approval_log WHERE seq = 1"_s))
        return sqlProblem(q, WorkspaceIdentity::tr("Reading the workspace's approval logs"));
    while (q.next())
        roots.insert(q.value(0).toString(), q.value(1).toByteArray());
    if (rowsFailed(q))
        return sqlProblem(q, WorkspaceIdentity::tr("Reading the workspace's approval logs"));
    return roots;
}

} // namespace

Result<WorkspaceIdentity::Claim> WorkspaceIdentity::claim(AppSettings& settings, const QSqlDatabase& db,
                                                          const QString& path, const QString& storedId,
                                                          bool created,
                                                          const std::function<bool()>& mayWrite) {
    const QString file = canonicalOf(path);
    const QString fileKey = keyOf(file);
    const QString previous = created ? QString() : settings.workspaceAt(fileKey);
    const QString holder = settings.workspaceFile(storedId);
    const QString recorded = pathOfRecord(db);
    auto adopt = [&](const QString& id) {
        settings.setWorkspaceFile(id, file);
        settings.setWorkspaceAt(fileKey, id);
    };
    if (holder == file && previous == storedId && recorded == file)
        return Claim{storedId, {}}; // as it was: the common case

    Claim claim{storedId, {}};
    const QString original = holdsElsewhere(holder, file, storedId)     ? holder
                             : holdsElsewhere(recorded, file, storedId) ? recorded
                                                                        : QString();
    if (original.isEmpty()) {
        // Made here, first seen here, or moved: this file holds the identity from now on, and records where.
        adopt(storedId);
        if (recorded != file && mayWrite())
            if (Status written = writeMeta(db, u"path_of_record"_s, file); !written)
                return written.problem();
    } else {
        if (holder != original) { // known only from the file's path of record: this desktop learns it
            settings.setWorkspaceFile(storedId, original);
            settings.setWorkspaceAt(keyOf(original), storedId);
        }
        if (!mayWrite()) {
            claim.id = storedId + u'@' + keyOf(file).left(16);
            settings.setWorkspaceAt(fileKey, claim.id);
            claim.notice = tr("%1 is a copy of %2; its approval log is verified on its own, not against the "
                              "original's.")
                               .arg(path, original);
        } else {
            claim.id = QUuid::createUuid().toString(QUuid::Id128);
            for (const auto& [key, value] :
                 {std::pair{u"workspace_id"_s, claim.id}, {u"path_of_record"_s, file}})
                if (Status written = writeMeta(db, key, value); !written)
                    return written.problem();
            adopt(claim.id);
            claim.notice =
                tr("%1 is a copy of %2: it now has an identity of its own, and its approval log is "
                   "verified on its own from here on.")
                    .arg(path, original);
        }
    }
    if (previous.isEmpty() || previous == claim.id)
        return claim;

    // The file held another identity when this desktop last opened it. Each tenant's log that still starts
    // with the entry verified then is held to the head verified then: cutting entries and changing the
    // identity must not make a log look new.
    auto roots = logRoots(db);
    if (!roots)
        return roots.problem();
    QStringList held;
    QStringList anew;
    for (const QString& tenant : settings.chainHeadTenants(previous)) {
        const auto before = settings.chainHead(previous, tenant);
        if (!before)
            continue;
        const auto root = roots.value().constFind(tenant);
        if (!before->root.isEmpty() && root != roots.value().cend() && *root != before->root) {
            anew << tenant; // another log altogether
            continue;
        }
        if (const auto own = settings.chainHead(claim.id, tenant); own && own->seq >= before->seq)
            continue;
        settings.setChainHead(claim.id, tenant, *before);
        held << tenant;
    }
    QString notice;
    if (!held.isEmpty())
        notice = tr("%1 held workspace %2 when this desktop last opened it, and now says it is workspace %3. "
                    "The approval log of %4 is checked against what this desktop verified in it then, so "
                    "entries removed since still show.")
                     .arg(path, previous, claim.id, held.join(u", "_s));
    else if (!anew.isEmpty())
        notice = tr("%1 now holds another workspace (%3) than the one this desktop verified there (%2): its "
                    "approval log is verified afresh.")
                     .arg(path, previous, claim.id);
    if (!notice.isEmpty())
        claim.notice = claim.notice.isEmpty() ? notice : claim.notice + u'\n' + notice;
    return claim;
}

void WorkspaceIdentity::forgetFile(AppSettings& settings, const QString& path) {
    settings.setWorkspaceAt(keyOf(canonicalOf(path)), QString());
}

} // namespace riskdesk
