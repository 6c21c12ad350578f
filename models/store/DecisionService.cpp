#include "DecisionService.h"

#include "ApprovalLogRepository.h"
#include "AssignmentService.h"
#include "BulkDecisionReport.h"
#include "DirectoryRepository.h"
#include "ExceptionRepository.h"
#include "Outbox.h"
#include "WriteTransaction.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<AppliedDecision> DecisionService::store(const DecisionOutcome& outcome, qint64 expectedVersion) {
    ExceptionRepository exceptions(m_db, &m_kept);
    if (Status s = exceptions.updateDecision(outcome.updated, expectedVersion); !s)
        return s.problem();
    ApprovalLogRepository log(m_db, LogSource::Workspace, &m_kept);
    ApprovalLogEntry logged = ApprovalLogEntry::fromStep(outcome.updated.tenantId, outcome.updated.recordId,
                                                         outcome.step, outcome.updated.status);
    if (!ExceptionDecision::isTimeDriven(outcome.step))
        logged.identity = m_identity; // a person's decision; the end of a window has no one behind it
    auto entry = log.append(logged);
    if (!entry)
        return entry.problem();
    // The end of a validity window is the server's fact when there is one (it applies it itself): shown
    // here at once, never pushed. A person's decision waits in the outbox.
    if (!ExceptionDecision::isTimeDriven(outcome.step))
        if (Status s = Outbox(m_db, &m_kept).enqueueDecision(entry.value(), expectedVersion); !s)
            return s.problem();
    return AppliedDecision{outcome.updated, entry.value(), outcome.finalDecision};
}

Result<DecisionService::Context> DecisionService::context(const QString& tenantId, const QString& actorId) {
    DirectoryRepository directory(m_db);
    auto actor = directory.user(tenantId, actorId);
    if (!actor)
        return actor.problem();
    auto approvers = directory.approverIds(tenantId);
    if (!approvers)
        return approvers.problem();
    return Context{tenantId, Actor{actorId, actor.value().role}, approvers.value(), {}};
}

Severity DecisionService::severityOf(Context& context, const QString& ruleId) {
    if (const auto known = context.severities.constFind(ruleId); known != context.severities.cend())
        return *known;
    auto rule = DirectoryRepository(m_db).rule(context.tenantId, ruleId);
    // A rule missing from the workspace is treated as high: the stricter two-step path.
    const Severity severity = rule ? rule.value().severity : Severity::High;
    context.severities.insert(ruleId, severity);
    return severity;
}

Result<DecisionService::Single> DecisionService::decideIn(Context& context, const QString& recordId,
                                                          DecisionAction action, const QString& comment,
                                                          const QDateTime& now) {
    auto exception = ExceptionRepository(m_db, &m_kept).get(context.tenantId, recordId);
    if (!exception) {
        if (exception.problem().code == u"not_found")
            return Single{exception.problem(), std::nullopt};
        return exception.problem();
    }
    DecisionRequest request;
    request.exception = exception.value();
    request.severity = severityOf(context, request.exception.riskRuleId);
    request.actor = context.actor;
    request.action = action;
    request.comment = comment;
    request.now = now;
    request.approverPool = context.approverPool;
    auto assignment = AssignmentService(m_db, &m_kept).current(context.tenantId, recordId);
    if (!assignment)
        return assignment.problem();
    request.assigneeId = assignment.value().assigneeId;

    const DecisionResult result = ExceptionDecision::decide(request);
    if (const auto* refusal = std::get_if<Refusal>(&result)) {
        Single single{Problem{ExceptionDecision::refusalCodeName(refusal->code), refusal->message, {}},
                      std::nullopt};
        if (refusal->code == RefusalCode::WindowEnded) {
            // Record the automatic rejection now, so the workspace shows what actually happened.
            if (const auto expired = ExceptionDecision::expireIfDue(request.exception, now)) {
                auto stored = store(*expired, request.exception.version);
                if (!stored)
                    return stored.problem();
                single.changed = stored.value().exception;
            }
        }
        return single;
    }
    const DecisionOutcome& outcome = std::get<DecisionOutcome>(result);
    auto stored = store(outcome, request.exception.version);
    if (!stored)
        return stored.problem();
    // The assignee took the first step of two: their hold ends with it (the approver that step names decides
    // the second), released by them in the same transaction, logged and synced like any release.
    if (!outcome.finalDecision && request.assigneeId == context.actor.userId) {
        auto released = AssignmentService(m_db, &m_kept)
                            .changeInTransaction(context.tenantId, recordId, context.actor.userId,
                                                 AssignmentAction::Release, {}, now);
        if (!released)
            return released.problem();
    }
    return Single{stored.value(), stored.value().exception};
}

Result<AppliedDecision> DecisionService::decide(const QString& tenantId, const QString& recordId,
                                                const QString& actorId, DecisionAction action,
                                                const QString& comment, const QDateTime& now) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();
    auto shared = context(tenantId, actorId);
    if (!shared)
        return shared.problem();
    auto single = decideIn(shared.value(), recordId, action, comment, tx.afterWait(now));
    if (!single)
        return single.problem();
    // A refusal stored nothing, unless it was an ended window's automatic rejection: that one is kept.
    if (single.value().changed)
        if (Status c = tx.commit(); !c)
            return c.problem();
    return single.value().decision;
}

Result<BulkDecisionReport> DecisionService::decideMany(const QString& tenantId, const QStringList& recordIds,
                                                       const QString& actorId, DecisionAction action,
                                                       const QString& comment, const QDateTime& now) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();
    auto shared = context(tenantId, actorId);
    if (!shared)
        return shared.problem();
    BulkDecisionReport report;
    const QDateTime at = tx.afterWait(now);
    for (const QString& recordId : recordIds) {
        auto single = decideIn(shared.value(), recordId, action, comment, at);
        if (!single)
            return single.problem(); // the transaction rolls back: all of the batch or none of it
        if (single.value().changed)
            report.changed.append(*single.value().changed);
        const Result<AppliedDecision>& decision = single.value().decision;
        if (!decision) {
            report.refused.append(BulkRefusal{recordId, decision.problem().code, decision.problem().message});
            continue;
        }
        if (!decision.value().finalDecision)
            ++report.firstSteps;
        report.applied.append(decision.value());
    }
    if (Status c = tx.commit(); !c)
        return c.problem();
    return report;
}

Result<QList<RiskException>> DecisionService::expireDue(const QString& tenantId, const QDateTime& now,
                                                        int limit) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun().problem();
    ExceptionRepository exceptions(m_db, &m_kept);
    const QDateTime at = tx.afterWait(now);
    auto due = exceptions.dueForExpiry(tenantId, at, limit);
    if (!due)
        return due.problem();
    QList<RiskException> changed;
    for (const QString& id : due.value()) {
        auto e = exceptions.get(tenantId, id);
        if (!e)
            return e.problem();
        if (const auto outcome = ExceptionDecision::expireIfDue(e.value(), at)) {
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
