#pragma once

#include "QueueQuery.h"
#include "domain/ExceptionDecision.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>
#include <optional>

namespace riskdesk {

struct BulkRuleCount {
    QString ruleId;
    QString ruleName;
    qint64 count = 0;
};

// How many of a bulk decision's exceptions the rules will refuse for one reason.
struct BulkRefusalCount {
    RefusalCode code;
    qint64 count = 0;
};

// Who decides a bulk decision and how: with it, the plan also foretells what the rules will refuse.
struct BulkDecider {
    Actor actor;
    DecisionAction action = DecisionAction::Approve;
    QDateTime now;
};

// What a bulk decision acts on, read before the approver confirms it: the exceptions, fixed at that moment
// (what is confirmed is what is decided, whatever arrives later), how many there are of each rule, how many
// an approval would only take through the first of two steps, and how many are no longer pending.
class BulkDecisionPlan {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BulkDecisionPlan)

public:
    QStringList recordIds;
    // Most exceptions first. With a decider, both count only what the rules will let through: the refused
    // are in foreseenRefusals.
    QList<BulkRuleCount> perRule;
    qint64 firstSteps =
        0; // pending, of a two-step rule, with no approval yet: an approval is their first step
    qint64 notPending = 0; // the state machine will refuse these
    // For a decider: what ExceptionDecision will refuse, by reason, most first (the reason of a rejection
    // is the dialog's to check, so it is not foretold here). Empty: every one goes through.
    QList<BulkRefusalCount> foreseenRefusals;

    qint64 foreseenRefused() const;
    // How many the rules will let through (all of them without a decider).
    qint64 foreseenDecided() const { return size() - foreseenRefused(); }

    qint64 size() const { return recordIds.size(); }

    // Every exception the queue's filter matches, resolved in SQL however many there are (the view holds only
    // the pages scrolled through). A filter with record ids is the rows the approver selected.
    // With a decider, each exception also goes through the decision's own rules, as they are now.
    static Result<BulkDecisionPlan> read(QSqlDatabase db, const QueueFilter& filter,
                                         const std::optional<BulkDecider>& decider = std::nullopt);
    // How many exceptions the filter matches.
    static Result<qint64> count(QSqlDatabase db, const QueueFilter& filter);

private:
    // read() with a decider: one pass over the rows, every count from the decision's own answer.
    static Result<BulkDecisionPlan> foretell(QSqlDatabase db, const QueueFilter& filter,
                                             const BulkDecider& decider);
};

} // namespace riskdesk
