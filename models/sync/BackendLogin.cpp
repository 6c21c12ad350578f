#include "BackendLogin.h"

#include "PgConnection.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

bool isUri(const QString& url) {
    return url.startsWith(u"postgresql://"_s) || url.startsWith(u"postgres://"_s);
}

// A value in a key=value connection string: single-quoted, with \ and ' escaped (libpq's rules).
QString quotedValue(const QString& value) {
    QString escaped = value;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'\'', u"\\'"_s);
    return u'\'' + escaped + u'\'';
}

QString keywordValue(const QString& connection, const QString& keyword) {
    static const QRegularExpression pair(uR"((?:^|\s)(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+))"_s);
    QString found;
    for (auto it = pair.globalMatch(connection); it.hasNext();) {
        const auto m = it.next();
        if (m.captured(1) != keyword)
            continue;
        QString value = m.captured(2);
        if (value.startsWith(u'\'')) {
            value = value.mid(1, value.size() - 2);
            value.replace(QRegularExpression(uR"(\\(.))"_s), u"\\1"_s);
        }
        found = value; // the last one counts, as in libpq
    }
    return found;
}

} // namespace

QString BackendLogin::loginOf(const QString& url) {
    if (isUri(url))
        return QUrl(url).userName();
    return keywordValue(url, u"user"_s);
}

bool BackendLogin::hasPassword(const QString& url) {
    if (isUri(url))
        return !QUrl(url).password().isEmpty();
    return !keywordValue(url, u"password"_s).isEmpty();
}

QString BackendLogin::withCredentials(const QString& url, const QString& login, const QString& password) {
    if (isUri(url)) {
        QUrl u(url);
        u.setUserName(login);
        u.setPassword(password);
        return u.toString(QUrl::FullyEncoded);
    }
    // Later keywords win in libpq: appended, they replace any given before.
    return url + u" user="_s + quotedValue(login) + u" password="_s + quotedValue(password);
}

Result<BackendIdentity> BackendLogin::check(const QString& url, int connectTimeoutSeconds) {
    const QString login = loginOf(url);
    auto connection = PgConnection::open(url, connectTimeoutSeconds);
    if (!connection) {
        const Problem& p = connection.problem();
        if (p.code == u"password_refused")
            return Problem{p.code,
                           tr("The server refused the password for the login \"%1\". Check the password "
                              "(it is case-sensitive) and sign in again.")
                               .arg(login),
                           {}};
        if (p.code == u"password_needed")
            return Problem{
                p.code, tr("The server asks for the password of the login \"%1\".").arg(login), {}};
        return p;
    }
    auto rows = connection.value()->exec(
        u"SELECT m.tenant_id, coalesce(t.name, m.tenant_id), m.user_id, m.display_name, m.role, session_user "
        "FROM riskdesk.memberships m LEFT JOIN riskdesk.tenants t ON t.tenant_id = m.tenant_id "
        "WHERE m.login_role = session_user ORDER BY m.tenant_id"_s);
    if (!rows)
        return Problem{rows.problem().code,
                       tr("Signed in as \"%1\", but its memberships could not be read: %2")
                           .arg(login, rows.problem().message),
                       {}};
    BackendIdentity identity;
    identity.login = login;
    const PgResult& r = rows.value();
    for (int i = 0; i < r.rows(); ++i) {
        const auto role = roleFromWire(r.text(i, 4));
        if (!role)
            return Problem{u"bad_membership"_s,
                           tr("The server gives the login \"%1\" the role \"%2\" in %3, which this version "
                              "does not know.")
                               .arg(login, r.text(i, 4), r.text(i, 0)),
                           {}};
        identity.memberships << User{r.text(i, 0), r.text(i, 2), r.text(i, 3), *role};
        identity.tenants << Tenant{r.text(i, 0), r.text(i, 1)};
        identity.login = r.text(i, 5); // as the server spells it
    }
    if (identity.memberships.isEmpty())
        return Problem{u"no_membership"_s,
                       tr("The login \"%1\" is not a member of any tenant on this server. An administrator "
                          "adds it with: riskdesk db add-user")
                           .arg(login),
                       {}};
    return identity;
}

} // namespace riskdesk
