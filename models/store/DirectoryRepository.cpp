#include "DirectoryRepository.h"

#include "SqlProblem.h"

#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

Rule readRule(const QSqlQuery& q) {
    Rule r;
    r.tenantId = q.value(0).toString();
    r.ruleId = q.value(1).toString();
    r.name = q.value(2).toString();
    r.domain = q.value(3).toString();
    r.severity = severityFromWire(q.value(4).toString()).value_or(Severity::Medium);
    r.payload = QJsonDocument::fromJson(q.value(5).toByteArray()).object();
    r.version = q.value(6).toLongLong();
    return r;
}

const QString kRuleColumns = u"tenant_id, rule_id, name, domain, severity, payload, version"_s;

} // namespace

Status DirectoryRepository::addTenant(const Tenant& t) {
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO tenants (tenant_id, name) VALUES (?, ?)"_s);
    q.addBindValue(t.tenantId);
    q.addBindValue(t.name);
    return q.exec() ? success()
                    : Status(sqlProblem(q, DirectoryRepository::tr("Adding tenant %1").arg(t.tenantId)));
}

Status DirectoryRepository::addUser(const User& u) {
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO users (tenant_id, user_id, display_name, role) VALUES (?, ?, ?, ?)"_s);
    q.addBindValue(u.tenantId);
    q.addBindValue(u.userId);
    q.addBindValue(u.displayName);
    q.addBindValue(toWire(u.role));
    return q.exec() ? success()
                    : Status(sqlProblem(q, DirectoryRepository::tr("Adding user %1").arg(u.userId)));
}

Status DirectoryRepository::addRule(const Rule& r) {
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO rules ("_s + kRuleColumns + u") VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(r.tenantId);
    q.addBindValue(r.ruleId);
    q.addBindValue(r.name);
    q.addBindValue(r.domain);
    q.addBindValue(toWire(r.severity));
    q.addBindValue(QString::fromUtf8(QJsonDocument(r.payload).toJson(QJsonDocument::Compact)));
    q.addBindValue(r.version);
    return q.exec() ? success()
                    : Status(sqlProblem(q, DirectoryRepository::tr("Adding rule %1").arg(r.ruleId)));
}

Result<QList<Tenant>> DirectoryRepository::tenants() const {
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT tenant_id, name FROM tenants ORDER BY tenant_id"_s))
        return sqlProblem(q, DirectoryRepository::tr("Reading tenants"));
    QList<Tenant> out;
    while (q.next())
        out.append(Tenant{q.value(0).toString(), q.value(1).toString()});
    if (rowsFailed(q))
        return sqlProblem(q, DirectoryRepository::tr("Reading tenants"));
    return out;
}

Result<QList<User>> DirectoryRepository::selectUsers(const QString& where, const QVariantList& values) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT tenant_id, user_id, display_name, role FROM users "_s + where +
              u" ORDER BY tenant_id, role, user_id"_s);
    for (const QVariant& v : values)
        q.addBindValue(v);
    if (!q.exec())
        return sqlProblem(q, DirectoryRepository::tr("Reading users"));
    QList<User> out;
    while (q.next())
        out.append(User{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                        roleFromWire(q.value(3).toString()).value_or(UserRole::Applicant)});
    if (rowsFailed(q))
        return sqlProblem(q, DirectoryRepository::tr("Reading users"));
    return out;
}

Result<QList<User>> DirectoryRepository::allMemberships() const {
    return selectUsers({}, {});
}

Result<QList<User>> DirectoryRepository::users(const QString& tenantId) const {
    return selectUsers(u"WHERE tenant_id = ?"_s, {tenantId});
}

Result<QList<User>> DirectoryRepository::membershipsOf(const QString& userId) const {
    return selectUsers(u"WHERE user_id = ?"_s, {userId});
}

Result<User> DirectoryRepository::user(const QString& tenantId, const QString& userId) const {
    auto found = selectUsers(u"WHERE tenant_id = ? AND user_id = ?"_s, {tenantId, userId});
    if (!found)
        return found.problem();
    if (found.value().isEmpty())
        return Problem{u"unknown_user"_s,
                       DirectoryRepository::tr("%1 is not a member of tenant %2.").arg(userId, tenantId),
                       {}};
    return found.value().first();
}

Result<QStringList> DirectoryRepository::approverIds(const QString& tenantId) const {
    auto found = selectUsers(u"WHERE tenant_id = ? AND role = 'approver'"_s, {tenantId});
    if (!found)
        return found.problem();
    QStringList ids;
    for (const User& u : found.value())
        ids << u.userId;
    return ids;
}

Result<QList<Rule>> DirectoryRepository::rules(const QString& tenantId) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT "_s + kRuleColumns + u" FROM rules WHERE tenant_id = ? ORDER BY rule_id"_s);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, DirectoryRepository::tr("Reading rules"));
    QList<Rule> out;
    while (q.next())
        out.append(readRule(q));
    if (rowsFailed(q))
        return sqlProblem(q, DirectoryRepository::tr("Reading rules"));
    return out;
}

Result<Rule> DirectoryRepository::rule(const QString& tenantId, const QString& ruleId) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT "_s + kRuleColumns + u" FROM rules WHERE tenant_id = ? AND rule_id = ?"_s);
    q.addBindValue(tenantId);
    q.addBindValue(ruleId);
    if (!q.exec())
        return sqlProblem(q, DirectoryRepository::tr("Reading rule %1").arg(ruleId));
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, DirectoryRepository::tr("Reading rule %1").arg(ruleId));
        return Problem{u"unknown_rule"_s,
                       DirectoryRepository::tr("Rule %1 is not in tenant %2.").arg(ruleId, tenantId),
                       {}};
    }
    return readRule(q);
}

} // namespace riskdesk
