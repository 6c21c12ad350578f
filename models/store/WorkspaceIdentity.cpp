#include "WorkspaceIdentity.h"

#include "SqlProblem.h"
#include "settings/AppSettings.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QUuid>
#include <filesystem>
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

// The same file under two names: a symbolic or hard link, or another spelling of its path.
bool sameFile(const QString& a, const QString& b) {
    std::error_code error;
    const bool same =
        std::filesystem::equivalent(std::filesystem::path(QFile::encodeName(a).toStdString()),
                                    std::filesystem::path(QFile::encodeName(b).toStdString()), error);
    return same && !error;
}

// Another file, there now and holding the identity: the one this file was copied from. Only a regular file
// is opened (a FIFO named in the file would block the opening for good), and never this file by another name.
bool holdsElsewhere(const QString& candidate, const QString& file, const QString& id) {
    return !candidate.isEmpty() && candidate != file && QFileInfo(candidate).isFile() &&
           !sameFile(candidate, file) && storedIdentityOf(candidate) == id;
}

Result<QString> metaValue(const QSqlDatabase& db, const QString& key) {
    QSqlQuery q(db);
    q.prepare(u"SELECT value FROM workspace_meta WHERE key = ?"_s);
    q.addBindValue(key);
    if (!q.exec())
        return sqlProblem(q, WorkspaceIdentity::tr("Reading the workspace's identity"));
    const QString value = q.next() ? q.value(0).toString() : QString();
    if (rowsFailed(q))
        return sqlProblem(q, WorkspaceIdentity::tr("Reading the workspace's identity"));
    return value;
}

// An identity as Riskdesk writes one (32 lower-case hex digits); anything else was edited in.
bool isIdentity(const QString& id) {
    static const QRegularExpression form(u"^[0-9a-f]{32}$"_s);
    return form.match(id).hasMatch();
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
                                                          const QString& path, bool created,
                                                          const std::function<bool()>& mayWrite) {
    const QString file = canonicalOf(path);
    const QString fileKey = keyOf(file);
    const QString previous = created ? QString() : settings.workspaceAt(fileKey);
    auto stored = metaValue(db, u"workspace_id"_s);
    if (!stored)
        return stored.problem();
    auto recordedPath = metaValue(db, u"path_of_record"_s);
    if (!recordedPath)
        return recordedPath.problem();
    const QString recorded = recordedPath.value();
    QStringList notices;
    QString storedId = stored.value();
    if (!isIdentity(storedId)) {
        // Removed or edited into something else: a new one, so that no two such files share what is
        // remembered under it; what this desktop verified in the file before still holds it (below).
        const QString written = storedId;
        storedId = mayWrite() ? QUuid::createUuid().toString(QUuid::Id128) : u"unnamed@"_s + fileKey.left(16);
        if (mayWrite())
            if (Status s = writeMeta(db, u"workspace_id"_s, storedId); !s)
                return s.problem();
        notices << tr("%1 holds no valid workspace identity (\"%2\"): it is known as %3 from now on.")
                       .arg(path, written.left(64), storedId);
    }
    const QString holder = settings.workspaceFile(storedId);
    auto adopt = [&](const QString& id) {
        settings.setWorkspaceFile(id, file);
        settings.setWorkspaceAt(fileKey, id);
    };
    if (holder == file && previous == storedId && recorded == file && notices.isEmpty())
        return Claim{storedId, {}}; // as it was: the common case

    Claim claim{storedId, {}};
    // The path of record, which the file itself says, counts only for a file this desktop knows nothing of:
    // it never overrides what this desktop saw.
    const QString original =
        holdsElsewhere(holder, file, storedId)                                               ? holder
        : holder.isEmpty() && previous.isEmpty() && holdsElsewhere(recorded, file, storedId) ? recorded
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
            notices << tr("%1 is a copy of %2; its approval log is verified on its own, not against the "
                          "original's.")
                           .arg(path, original);
        } else {
            claim.id = QUuid::createUuid().toString(QUuid::Id128);
            for (const auto& [key, value] :
                 {std::pair{u"workspace_id"_s, claim.id}, {u"path_of_record"_s, file}})
                if (Status written = writeMeta(db, key, value); !written)
                    return written.problem();
            adopt(claim.id);
            notices << tr("%1 is a copy of %2: it now has an identity of its own, and its approval log is "
                          "verified on its own from here on.")
                           .arg(path, original);
        }
    }

    auto roots = logRoots(db);
    if (!roots)
        return roots.problem();
    if (!previous.isEmpty() && previous != claim.id) {
        // The file held another identity when this desktop last opened it. If any tenant's log still starts
        // with the entry verified then, it is the same workspace: every tenant is held to the head verified
        // then (one whose first entry changed fails against it), since cutting entries and changing the
        // identity must not make a log look new. If none does, another workspace was put in its place.
        const QStringList tenants = settings.chainHeadTenants(previous);
        bool sameWorkspace = false;
        for (const QString& tenant : tenants) {
            const auto before = settings.chainHead(previous, tenant);
            const auto root = roots.value().constFind(tenant);
            if (before && (before->root.isEmpty() || root == roots.value().cend() || *root == before->root))
                sameWorkspace = true;
        }
        QStringList held;
        for (const QString& tenant : tenants) {
            const auto before = settings.chainHead(previous, tenant);
            if (!before || !sameWorkspace)
                continue;
            if (const auto own = settings.chainHead(claim.id, tenant); own && own->seq >= before->seq)
                continue;
            settings.setChainHead(claim.id, tenant, *before);
            held << tenant;
        }
        if (!held.isEmpty())
            notices
                << tr("%1 held workspace %2 when this desktop last opened it, and now says it is workspace "
                      "%3. The approval log of %4 is checked against what this desktop verified in it then, "
                      "so entries removed or changed since still show.")
                       .arg(path, previous, claim.id, held.join(u", "_s));
        else if (!tenants.isEmpty() && !sameWorkspace)
            notices
                << tr("%1 now holds another workspace (%3) than the one this desktop verified there (%2): "
                      "its approval log is verified afresh.")
                       .arg(path, previous, claim.id);
    } else if (previous.isEmpty() && !created && settings.chainHeadTenants(claim.id).isEmpty()) {
        // A file this desktop has never seen, under an identity it has verified nothing for: if its logs
        // start as those of a workspace verified here whose file is no longer where it was (moved, and
        // perhaps given another identity), it is that workspace, and is held to what was verified in it.
        QStringList held;
        QString from;
        for (const QString& other : settings.chainHeadWorkspaces()) {
            // A live workspace (this file is at most a copy of it, verified on its own), or a read-only
            // copy's name for itself (id@file: it was never a workspace of its own to move).
            if (other == claim.id || other.contains(u'@') ||
                holdsElsewhere(settings.workspaceFile(other), file, other))
                continue;
            for (const QString& tenant : settings.chainHeadTenants(other)) {
                const auto head = settings.chainHead(other, tenant);
                const auto root = roots.value().constFind(tenant);
                if (!head || head->root.isEmpty() || root == roots.value().cend() || *root != head->root)
                    continue;
                if (const auto own = settings.chainHead(claim.id, tenant); own && own->seq >= head->seq)
                    continue;
                settings.setChainHead(claim.id, tenant, *head);
                if (!held.contains(tenant))
                    held << tenant;
                from = other;
            }
        }
        if (!held.isEmpty())
            notices
                << tr("%1 is new to this desktop, but its approval log of %2 starts as that of workspace %3, "
                      "verified here in a file that is no longer where it was: it is checked against what "
                      "this desktop verified then.")
                       .arg(path, held.join(u", "_s), from);
    }
    claim.notice = notices.join(u'\n');
    return claim;
}

void WorkspaceIdentity::forgetFile(AppSettings& settings, const QString& path) {
    settings.forgetWorkspaceAt(keyOf(canonicalOf(path)));
}

} // namespace riskdesk
