#include "BoardCache.h"

#include "store/SqlProblem.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QByteArray BoardCache::canonicalJson(const QJsonObject& parameters) {
    // QJsonObject keeps its keys sorted, at every level: the compact form is canonical.
    return QJsonDocument(parameters).toJson(QJsonDocument::Compact);
}

QString BoardCache::parametersHash(const QJsonObject& parameters) {
    return QString::fromLatin1(
        QCryptographicHash::hash(canonicalJson(parameters), QCryptographicHash::Sha256).toHex());
}

Result<QString> BoardCache::watermarkOf(QSqlDatabase db, const QString& tenantId, const QString& siteId) {
    QSqlQuery q(db);
    q.prepare(
        u"SELECT (SELECT MAX(loaded_through_biz_date) FROM bd_etl_watermark WHERE tenant_id = ? AND "
        "site_id = ?), (SELECT MAX(etl_version) FROM bd_partitions WHERE tenant_id = ? AND site_id = ?), "
        "(SELECT MAX(etl_version) FROM bd_loads WHERE tenant_id = ?)"_s);
    for (const QString& v : {tenantId, siteId, tenantId, siteId, tenantId})
        q.addBindValue(v);
    if (!q.exec() || !q.next())
        return sqlProblem(q, tr("Reading the data's watermark"));
    const QString through = q.value(0).isNull() ? u"-"_s : q.value(0).toString();
    return u"%1/s%2/l%3"_s.arg(through).arg(q.value(1).toLongLong()).arg(q.value(2).toLongLong());
}

Status BoardCache::put(QSqlDatabase db, const BoardCacheKey& key, const QByteArray& result) {
    QSqlQuery q(db);
    q.prepare(
        u"INSERT OR REPLACE INTO board_cache (user_id, tenant_id, site_id, board, section, params_hash, "
        "watermark, created_at, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(key.userId.isNull() ? u""_s : key.userId);
    q.addBindValue(key.tenantId);
    q.addBindValue(key.siteId);
    q.addBindValue(key.board);
    q.addBindValue(key.section.isNull() ? u""_s : key.section);
    q.addBindValue(parametersHash(key.parameters));
    q.addBindValue(key.watermark);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(result);
    if (!q.exec())
        return sqlProblem(q, tr("Keeping a board result"));
    return success();
}

Result<std::optional<QByteArray>> BoardCache::get(QSqlDatabase db, const BoardCacheKey& key) {
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT watermark, result FROM board_cache WHERE user_id = ? AND tenant_id = ? AND site_id = ? "
        "AND board = ? AND section = ? AND params_hash = ?"_s);
    const QString hash = parametersHash(key.parameters);
    const QVariantList keyValues{
        key.userId.isNull() ? u""_s : key.userId,   key.tenantId, key.siteId, key.board,
        key.section.isNull() ? u""_s : key.section, hash};
    for (const QVariant& v : keyValues)
        q.addBindValue(v);
    if (!q.exec())
        return sqlProblem(q, tr("Reading a kept board result"));
    std::optional<QByteArray> found;
    bool stale = false;
    if (q.next()) {
        if (q.value(0).toString() == key.watermark)
            found = q.value(1).toByteArray();
        else
            stale = true;
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading a kept board result"));
    q.finish();
    if (stale) {
        QSqlQuery del(db);
        del.prepare(
            u"DELETE FROM board_cache WHERE user_id = ? AND tenant_id = ? AND site_id = ? AND board = ? "
            "AND section = ? AND params_hash = ?"_s);
        for (const QVariant& v : keyValues)
            del.addBindValue(v);
        if (!del.exec())
            return sqlProblem(del, tr("Dropping a stale board result"));
    }
    return found;
}

Result<int> BoardCache::dropTenant(QSqlDatabase db, const QString& tenantId) {
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM board_cache WHERE tenant_id = ?"_s);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, tr("Dropping a tenant's kept board results"));
    return q.numRowsAffected();
}

Result<int> BoardCache::dropSite(QSqlDatabase db, const QString& tenantId, const QString& siteId) {
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM board_cache WHERE tenant_id = ? AND site_id = ?"_s);
    q.addBindValue(tenantId);
    q.addBindValue(siteId);
    if (!q.exec())
        return sqlProblem(q, tr("Dropping a site's kept board results"));
    return q.numRowsAffected();
}

} // namespace riskdesk
