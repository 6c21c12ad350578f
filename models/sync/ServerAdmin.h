#pragma once

#include "PgConnection.h"
#include "domain/DomainTypes.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace riskdesk {

// Administration of the shared backend, run as the migration (owner) role: the versioned schema, login
// roles with their memberships, and seeding the server from a workspace.
class ServerAdmin {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ServerAdmin)

public:
    // Applies the migrations in resources/sql/postgres not yet applied; returns how many ran.
    static Result<int> migrate(PgConnection& server);
    static int latestVersion();

    // Creates (or reuses) a login role that is an app role only, grants it the role's group, and records
    // which user it is in the tenant (made if missing). sites: the tenant's sites whose board data the login
    // may read (riskdesk.site_memberships), added to those it already has.
    static Status addUser(PgConnection& server, const QString& loginRole, const QString& password,
                          UserRole role, const QString& tenantId, const QString& userId,
                          const QString& displayName, const QStringList& sites = {});

    // Copies a workspace's tenants, rules and exceptions to an empty server (COPY), with one change per
    // exception so desktops that pull incrementally see them too. Returns the exceptions copied.
    static Result<qint64> seed(PgConnection& server, QSqlDatabase workspace);
};

} // namespace riskdesk
