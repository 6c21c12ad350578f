#pragma once

#include "domain/ApprovalLogEntry.h"
#include "domain/ExceptionDecision.h"
#include "domain/Result.h"

#include <QSqlDatabase>

namespace riskdesk {

struct AppliedDecision {
    RiskException exception; // as stored after the decision
    ApprovalLogEntry logEntry;
    bool finalDecision = false;
};

// Applies decisions to the workspace: the pure state machine decides, and the exception, its audit-log entry
// and the outbox entry are written in one transaction. The command line and the GUI both come through here.
class DecisionService {
public:
    explicit DecisionService(QSqlDatabase db) : m_db(std::move(db)) {}

    Result<AppliedDecision> decide(const QString& tenantId, const QString& recordId, const QString& actorId,
                                   DecisionAction action, const QString& comment, const QDateTime& now);

    // Applies up to `limit` of the time-driven transitions (auto-reject, expire) that are due, in one
    // transaction, and returns the exceptions it changed. Fewer than `limit` means none are left.
    Result<QList<RiskException>> expireDue(const QString& tenantId, const QDateTime& now, int limit = 500);

private:
    Result<AppliedDecision> store(const DecisionOutcome& outcome, qint64 expectedVersion);

    QSqlDatabase m_db;
};

} // namespace riskdesk
