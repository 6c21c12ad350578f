#pragma once

#include "domain/ApprovalLogEntry.h"
#include "domain/ExceptionDecision.h"
#include "domain/IdentityMark.h"
#include "domain/Result.h"
#include "store/PreparedStatements.h"

#include <QHash>
#include <QSqlDatabase>
#include <optional>

namespace riskdesk {

struct BulkDecisionReport;

struct AppliedDecision {
    RiskException exception; // as stored after the decision
    ApprovalLogEntry logEntry;
    bool finalDecision = false;
};

// Applies decisions to the workspace: the pure state machine decides, and the exception, its audit-log entry
// and the outbox entry are written in one transaction. The command line and the GUI both come through here.
class DecisionService {
public:
    // identity: how the actor is known (IdentityMark); every person's decision carries it into the log. The
    // default is the honest one for a caller that checked nothing (the command line's --as, a user picked
    // from the list): asserted on this desktop.
    explicit DecisionService(QSqlDatabase db, QString identity = IdentityMark::assertedOnDesktop())
        : m_db(std::move(db)), m_identity(std::move(identity)), m_kept(m_db) {}

    Result<AppliedDecision> decide(const QString& tenantId, const QString& recordId, const QString& actorId,
                                   DecisionAction action, const QString& comment, const QDateTime& now);

    // Applies one action of one actor to many exceptions in one transaction. Each goes through the state
    // machine on its own, exactly as decide() would take it (its own log entry and outbox entry); a refusal
    // is listed with its reason and never stops the others. Only a database failure (or an unknown actor)
    // fails the whole call, and then nothing of it is stored.
    Result<BulkDecisionReport> decideMany(const QString& tenantId, const QStringList& recordIds,
                                          const QString& actorId, DecisionAction action,
                                          const QString& comment, const QDateTime& now);

    // Applies up to `limit` of the time-driven transitions (auto-reject, expire) that are due, in one
    // transaction, and returns the exceptions it changed. Fewer than `limit` means none are left.
    Result<QList<RiskException>> expireDue(const QString& tenantId, const QDateTime& now, int limit = 500);

private:
    // What every decision of one actor in one transaction shares, read once.
    struct Context {
        QString tenantId;
        Actor actor;
        QStringList approverPool;
        QHash<QString, Severity> severities; // by rule id, filled as rules are met
    };
    // One decision inside the caller's transaction. The outer Result fails only on a database failure; the
    // inner one is the decision or its refusal. A refusal for an ended window has stored the automatic
    // rejection (in `changed`).
    struct Single {
        Result<AppliedDecision> decision;
        std::optional<RiskException> changed;
    };
    Result<Context> context(const QString& tenantId, const QString& actorId);
    Severity severityOf(Context& context, const QString& ruleId);
    Result<Single> decideIn(Context& context, const QString& recordId, DecisionAction action,
                            const QString& comment, const QDateTime& now);
    Result<AppliedDecision> store(const DecisionOutcome& outcome, qint64 expectedVersion);

    QSqlDatabase m_db;
    QString m_identity;
    // The statements every decision runs (read the exception, update it, append to the log, queue it),
    // prepared once for as long as this service lives: a bulk decision's whole batch.
    PreparedStatements m_kept;
};

} // namespace riskdesk
