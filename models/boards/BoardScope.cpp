#include "BoardScope.h"

#include "domain/DomainTypes.h"
#include "store/SqlProblem.h"

#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<BoardScope> BoardScope::open(QSqlDatabase db, const QString& tenant, const QString& userId) {
    BoardScope scope;
    scope.m_db = db;
    scope.m_tenant = tenant;
    scope.m_userId = userId;
    QSqlQuery q(db);
    q.prepare(u"SELECT 1 FROM tenants WHERE tenant_id = ?"_s);
    q.addBindValue(tenant);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the tenant"));
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, tr("Reading the tenant"));
        return Problem{u"unknown_tenant"_s, tr("There is no tenant \"%1\" in this workspace.").arg(tenant),
                       u"tenant"_s};
    }
    if (!userId.isEmpty()) {
        q.prepare(u"SELECT role FROM users WHERE tenant_id = ? AND user_id = ?"_s);
        q.addBindValue(tenant);
        q.addBindValue(userId);
        if (!q.exec())
            return sqlProblem(q, tr("Reading the user"));
        if (!q.next()) {
            if (rowsFailed(q))
                return sqlProblem(q, tr("Reading the user"));
            return Problem{u"unknown_user"_s,
                           tr("There is no user \"%1\" in tenant \"%2\".").arg(userId, tenant), u"as"_s};
        }
        scope.m_role = q.value(0).toString();
        // Only sites that exist in the workspace and that the user is granted.
        q.prepare(u"SELECT u.site_id FROM bd_user_sites u JOIN bd_site_settings s"
                  "  ON s.tenant_id = u.tenant_id AND s.site_id = u.site_id"
                  " WHERE u.user_id = ? AND u.tenant_id = ? ORDER BY u.site_id"_s);
        q.addBindValue(userId);
        q.addBindValue(tenant);
    } else {
        q.prepare(u"SELECT site_id FROM bd_site_settings WHERE tenant_id = ? ORDER BY site_id"_s);
        q.addBindValue(tenant);
    }
    if (!q.exec())
        return sqlProblem(q, tr("Reading the sites"));
    while (q.next())
        scope.m_sites << q.value(0).toString();
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the sites"));
    return scope;
}

bool BoardScope::mayOpen(BoardKind board) const {
    if (isOwner() || m_role == u"finance"_s)
        return true;
    if (board == BoardKind::RiskOps)
        return m_role == u"approver"_s || m_role == u"auditor"_s;
    return false;
}

QString BoardScope::boardName(BoardKind board) {
    switch (board) {
    case BoardKind::Skills:
        return tr("skill types");
    case BoardKind::Coach:
        return tr("coach board");
    case BoardKind::Customer:
        return tr("customer board");
    case BoardKind::Finance:
        return tr("finance board");
    case BoardKind::RiskOps:
        return tr("risk-operations board");
    }
    return {};
}

Status BoardScope::checkBoard(BoardKind board) const {
    if (mayOpen(board))
        return success();
    return Problem{u"board_not_allowed"_s,
                   tr("User \"%1\" (%2) may not open the %3.")
                       .arg(m_userId, roleFromWire(m_role) ? displayName(*roleFromWire(m_role)) : m_role,
                            boardName(board)),
                   u"as"_s};
}

Status BoardScope::checkSite(const QString& site) const {
    if (m_sites.contains(site))
        return success();
    if (m_sites.isEmpty())
        return Problem{
            u"no_sites"_s,
            isOwner()
                ? tr("Tenant \"%1\" has no board data yet: load some with riskdesk board load.").arg(m_tenant)
                : tr("User \"%1\" is not granted any site of tenant \"%2\".").arg(m_userId, m_tenant),
            u"site"_s};
    return Problem{
        u"site_not_allowed"_s,
        tr("Site \"%1\" is not one you may open; choose one of: %2.").arg(site, m_sites.join(u", "_s)),
        u"site"_s};
}

Result<SiteClock> BoardScope::clockOf(const QString& site) const {
    QSqlQuery q(m_db);
    q.prepare(
        u"SELECT tz, business_day_cutoff_minutes FROM bd_site_settings WHERE tenant_id = ? AND site_id = ?"_s);
    q.addBindValue(m_tenant);
    q.addBindValue(site);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the site's settings"));
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, tr("Reading the site's settings"));
        return Problem{u"unknown_site"_s, tr("Site \"%1\" has no settings in this workspace.").arg(site),
                       u"site"_s};
    }
    const QVariant cutoff = q.value(1);
    return SiteClock::make(q.value(0).toString(),
                           cutoff.isNull() ? std::optional<int>() : std::optional<int>(cutoff.toInt()));
}

Result<QDate> BoardScope::watermarkOf(const QString& site) const {
    QSqlQuery q(m_db);
    q.prepare(
        u"SELECT MAX(loaded_through_biz_date) FROM bd_etl_watermark WHERE tenant_id = ? AND site_id = ?"_s);
    q.addBindValue(m_tenant);
    q.addBindValue(site);
    if (!q.exec() || !q.next())
        return sqlProblem(q, tr("Reading the data's watermark"));
    return QDate::fromString(q.value(0).toString(), Qt::ISODate);
}

} // namespace riskdesk
