#pragma once

#include "domain/Result.h"
#include "engine/AssessmentSession.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <optional>

namespace riskdesk {

// What the assessment log keeps of one assessment: the reference's risk_assessments row, plus the level and
// reasons. Lean on purpose: a batch holds tens of thousands of these.
struct LoggedAssessment {
    QString userId;
    QString merchantId;
    qint64 amountCents = 0;
    double riskScore = 0;
    QString riskLevel;
    QString decision;
    QStringList reasons;
    quint64 sequence = 0;
    qint64 assessedAtMs = 0;

    QByteArray requestId() const; // req_<ms>_<sequence>, as SessionAssessment::requestId()

    static LoggedAssessment of(const AssessmentRequest& request, const SessionAssessment& made);
};

// The scoring engine's state in the workspace, per tenant: the velocity ledger, the blacklist, the log of
// assessments and the tenant's policy override.
class AssessmentStore {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::AssessmentStore)

public:
    AssessmentStore(QSqlDatabase db, QString tenantId) : m_db(std::move(db)), m_tenant(std::move(tenantId)) {}

    // Fills the session's ledger and blacklist from the workspace.
    Status load(AssessmentSession& session) const;
    // Writes the counters of the users that changed and the assessments, in one transaction.
    Status save(AssessmentSession& session, const QList<LoggedAssessment>& made);
    Status addToBlacklist(const Blacklist& list);

    // The user's most recent assessment, if any (for the exception detail: the target's current risk).
    Result<std::optional<LoggedAssessment>> latestForUser(const QString& userId) const;

    // The tenant's own policy, when it has one.
    Result<std::optional<AssessmentPolicy>> tenantPolicy() const;
    Status setTenantPolicy(const QJsonObject& policy);

private:
    QSqlDatabase m_db;
    QString m_tenant;
};

} // namespace riskdesk
