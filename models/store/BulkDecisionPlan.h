#pragma once

#include "QueueQuery.h"
#include "domain/ExceptionDecision.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>

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

// Who decides a bulk decision and how.
struct BulkDecider {
    Actor actor;
    DecisionAction action = DecisionAction::Approve;
    QDateTime now;
};

// What a bulk decision acts on, read before the approver confirms it: the exceptions, fixed at that moment
// (what is confirmed is what is decided, whatever arrives later), and what the decision's own rules will do
// with each, as they are now: how many will be decided, of each rule, how many of those an approval only
// takes through the first of two steps, and how many will be refused, by reason.
class BulkDecisionPlan {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BulkDecisionPlan)

public:
    QStringList recordIds;
    // Of what will be decided, most first.
    QList<BulkRuleCount> perRule;
    qint64 firstSteps = 0; // approvals that are the first of two steps
    qint64 notPending = 0; // among them, those no longer pending (refused as such)
    // What ExceptionDecision will refuse, by reason, most first (the reason of a rejection is the dialog's
    // to check, so it is not foretold here). Empty: every one goes through.
    QList<BulkRefusalCount> foreseenRefusals;

    qint64 foreseenRefused() const;
    qint64 foreseenDecided() const { return size() - foreseenRefused(); }

    qint64 size() const { return recordIds.size(); }

    // Every exception the queue's filter matches, resolved in SQL however many there are (the view holds only
    // the pages scrolled through); a filter with record ids is the rows the approver selected. One pass over
    // the rows, each run through ExceptionDecision for this decider.
    static Result<BulkDecisionPlan> read(QSqlDatabase db, const QueueFilter& filter,
                                         const BulkDecider& decider);
    // How many exceptions the filter matches.
    static Result<qint64> count(QSqlDatabase db, const QueueFilter& filter);
};

} // namespace riskdesk
