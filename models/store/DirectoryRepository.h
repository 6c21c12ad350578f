#pragma once

#include "domain/DirectoryTypes.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

namespace riskdesk {

// Tenants, users (memberships with a role) and rules.
class DirectoryRepository {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::DirectoryRepository)

public:
    explicit DirectoryRepository(QSqlDatabase db) : m_db(std::move(db)) {}

    Status addTenant(const Tenant& tenant);
    Status addUser(const User& user);
    Status addRule(const Rule& rule);

    Result<QList<Tenant>> tenants() const;
    // Every membership of every user, ordered by tenant then user, for the sign-in list.
    Result<QList<User>> allMemberships() const;
    Result<QList<User>> users(const QString& tenantId) const;
    Result<User> user(const QString& tenantId, const QString& userId) const;
    // The tenants a user belongs to, with the role they hold there.
    Result<QList<User>> membershipsOf(const QString& userId) const;
    Result<QStringList> approverIds(const QString& tenantId) const;
    Result<QList<Rule>> rules(const QString& tenantId) const;
    Result<Rule> rule(const QString& tenantId, const QString& ruleId) const;

private:
    Result<QList<User>> selectUsers(const QString& where, const QVariantList& values) const;

    QSqlDatabase m_db;
};

} // namespace riskdesk
