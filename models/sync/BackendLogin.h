#pragma once

#include "domain/DirectoryTypes.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace riskdesk {

// Who a backend login is: its memberships (tenant, user, role) as the server keeps them, read over the
// login's own connection, so the desktop's user is the one the server will accept decisions from.
struct BackendIdentity {
    QString login;
    QList<User> memberships;
    QList<Tenant> tenants;
};

// Signing in to the backend: a login and its password, checked by connecting. Blocking (libpq): run it on a
// worker thread, never the GUI's.
class BackendLogin {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BackendLogin)

public:
    // The login named in a backend URL (postgresql://LOGIN@host/db), or in a key=value connection string.
    static QString loginOf(const QString& url);
    // The URL with this login and password in it: kept in memory only, for the connection and the sync.
    static QString withCredentials(const QString& url, const QString& login, const QString& password);
    // The URL carries a password of its own (the command line's, or $RISKDESK_URL's).
    static bool hasPassword(const QString& url);

    // Connects as the URL's login and reads its memberships. A wrong password, a login without any
    // membership and an unreachable server are each a Problem saying which (codes password_refused,
    // password_needed, no_membership, server_unreachable).
    static Result<BackendIdentity> check(const QString& url, int connectTimeoutSeconds = 5);
};

} // namespace riskdesk
