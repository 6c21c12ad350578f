#pragma once

#include "domain/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QSqlDatabase>
#include <optional>

namespace riskdesk {

// What a cached board result is keyed by (spec §2.9): who asked, where, which board and section, the resolved
// parameters (dates already resolved: "this month" yesterday and today are two keys), and the data watermark.
struct BoardCacheKey {
    QString userId; // empty: the workspace's owner
    QString tenantId;
    QString siteId;
    QString board;
    QString section;
    QJsonObject parameters;
    QString watermark;
};

// Board results kept in the workspace (board_cache). A result is returned only for exactly its key: another
// user, other resolved parameters or another watermark is a miss, so switching user never shows someone
// else's result and a new load never shows an old one. Plain statements: call inside the caller's
// transaction when there is one.
class BoardCache {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardCache)

public:
    // The parameters as canonical JSON (compact, keys sorted) and its SHA-256 in lowercase hex.
    static QByteArray canonicalJson(const QJsonObject& parameters);
    static QString parametersHash(const QJsonObject& parameters);
    // The site's data watermark for cache keys: the latest business day loaded, and the newest load that
    // wrote any of the site's data in this workspace (by sync or by a file load), e.g. "2026-05-20/v7".
    static Result<QString> watermarkOf(QSqlDatabase db, const QString& tenantId, const QString& siteId);

    static Status put(QSqlDatabase db, const BoardCacheKey& key, const QByteArray& result);
    // The result stored under exactly this key, or nothing. An entry of the same board, section and
    // parameters under another watermark is stale and is removed.
    static Result<std::optional<QByteArray>> get(QSqlDatabase db, const BoardCacheKey& key);
    // Drops every kept result of the tenant (its tenant-wide data changed: members, levels, skills).
    static Result<int> dropTenant(QSqlDatabase db, const QString& tenantId);
    // Forgets every cached result of a site (its data changed); the number of entries dropped.
    static Result<int> dropSite(QSqlDatabase db, const QString& tenantId, const QString& siteId);
};

} // namespace riskdesk
