#pragma once

#include "domain/Result.h"
#include "engine/AssessmentSession.h"

#include <QCoreApplication>
#include <QSqlDatabase>

#include <optional>

namespace riskdesk {

// The scoring engine's state in the workspace, per tenant: the velocity ledger, the blacklist, the log of
// assessments and the tenant's policy override.
class AssessmentStore {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::AssessmentStore)

public:
    AssessmentStore(QSqlDatabase db, QString tenantId) : m_db(std::move(db)), m_tenant(std::move(tenantId)) {}

    // Fills the session's ledger and blacklist from the workspace.
    Status load(AssessmentSession& session) const;
    // Writes the counters of the users that changed and the assessments, in one transaction.
    Status save(AssessmentSession& session, const QList<std::pair<AssessmentRequest, SessionAssessment>>& made);
    Status addToBlacklist(const Blacklist& list);

    // The tenant's own policy, when it has one.
    Result<std::optional<AssessmentPolicy>> tenantPolicy() const;
    Status setTenantPolicy(const QJsonObject& policy);

private:
    QSqlDatabase m_db;
    QString m_tenant;
};

} // namespace riskdesk
