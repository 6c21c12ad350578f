#pragma once

#include "QueueQuery.h"
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

// What a bulk decision acts on, read before the approver confirms it: the exceptions, fixed at that moment
// (what is confirmed is what is decided, whatever arrives later), how many there are of each rule, how many
// an approval would only take through the first of two steps, and how many are no longer pending.
class BulkDecisionPlan {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BulkDecisionPlan)

public:
    QStringList recordIds;
    QList<BulkRuleCount> perRule; // most exceptions first
    qint64 firstSteps = 0;        // pending, of a two-step rule, with no approval yet
    qint64 notPending = 0;        // the state machine will refuse these

    qint64 size() const { return recordIds.size(); }

    // Every exception the queue's filter matches, resolved in SQL however many there are (the view holds only
    // the pages scrolled through). A filter with record ids is the rows the approver selected.
    static Result<BulkDecisionPlan> read(QSqlDatabase db, const QueueFilter& filter);
    // How many exceptions the filter matches.
    static Result<qint64> count(QSqlDatabase db, const QueueFilter& filter);
};

} // namespace riskdesk
