#include "DecisionService.h"

#include "ApprovalLogRepository.h"
#include "DirectoryRepository.h"
#include "ExceptionRepository.h"
#include "Outbox.h"
#include "WriteTransaction.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<AppliedDecision> DecisionService::store(const DecisionOutcome& outcome, qint64 expectedVersion) {
    ExceptionRepository exceptions(m_db);
    if (Status s = exceptions.update(outcome.updated, expectedVersion); !s)
        return s.problem();
    ApprovalLogRepository log(m_db);
    auto entry = log.append(ApprovalLogEntry::fromStep(outcome.updated.tenantId, outcome.updated.recordId,
                                                       outcome.step, outcome.updated.status));
    if (!entry)
        return entry.problem();
    // The end of a validity window is the server's fact when there is one (it applies it itself): shown
    // here at once, never pushed. A person's decision waits in the outbox.
    if (!ExceptionDecision::isTimeDriven(outcome.step))
        if (Status s = Outbox(m_db).enqueueDecision(entry.value(), expectedVersion); !s)
            return s.problem();
    return AppliedDecision{outcome.updated, entry.value(), outcome.finalDecision};
}

Result<AppliedDecision> DecisionService::decide(const QString& tenantId, const QString& recordId,
                                                const QString& actorId, DecisionAction action,
                                                const QString& comment, const QDateTime& now) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();

    DirectoryRepository directory(m_db);
    auto actor = directory.user(tenantId, actorId);
    if (!actor)
        return actor.problem();
    auto exception = ExceptionRepository(m_db).get(tenantId, recordId);
    if (!exception)
        return exception.problem();
    auto rule = directory.rule(tenantId, exception.value().riskRuleId);
    auto approvers = directory.approverIds(tenantId);
    if (!approvers)
        return approvers.problem();

    DecisionRequest request;
    request.exception = exception.value();
    // A rule missing from the workspace is treated as high: the stricter two-step path.
    request.severity = rule ? rule.value().severity : Severity::High;
    request.actor = Actor{actorId, actor.value().role};
    request.action = action;
    request.comment = comment;
    request.now = now;
    request.approverPool = approvers.value();

    const DecisionResult result = ExceptionDecision::decide(request);
    if (const auto* refusal = std::get_if<Refusal>(&result)) {
        if (refusal->code == RefusalCode::WindowEnded) {
            // Record the automatic rejection now, so the workspace shows what actually happened.
            if (const auto expired = ExceptionDecision::expireIfDue(request.exception, now)) {
                auto stored = store(*expired, request.exception.version);
                if (!stored)
                    return stored.problem();
                if (Status c = tx.commit(); !c)
                    return c.problem();
            }
        }
        return Problem{ExceptionDecision::refusalCodeName(refusal->code), refusal->message, {}};
    }
    auto stored = store(std::get<DecisionOutcome>(result), request.exception.version);
    if (!stored)
        return stored.problem();
    if (Status c = tx.commit(); !c)
        return c.problem();
    return stored;
}

Result<QList<RiskException>> DecisionService::expireDue(const QString& tenantId, const QDateTime& now,
                                                        int limit) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();
    ExceptionRepository exceptions(m_db);
    auto due = exceptions.dueForExpiry(tenantId, now, limit);
    if (!due)
        return due.problem();
    QList<RiskException> changed;
    for (const QString& id : due.value()) {
        auto e = exceptions.get(tenantId, id);
        if (!e)
            return e.problem();
        if (const auto outcome = ExceptionDecision::expireIfDue(e.value(), now)) {
            auto stored = store(*outcome, e.value().version);
            if (!stored)
                return stored.problem();
            changed.append(stored.value().exception);
        }
    }
    if (Status c = tx.commit(); !c)
        return c.problem();
    return changed;
}

} // namespace riskdesk
