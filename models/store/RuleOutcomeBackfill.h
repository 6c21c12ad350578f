#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace riskdesk {

// What one backfill wrote, by outcome.
struct RuleOutcomeCounts {
    qint64 rows = 0;
    qint64 hits = 0;
    qint64 passes = 0;
    qint64 supplements = 0;
    qint64 unreadable = 0;
    qint64 waived = 0; // rows an approved exception covered
};

// Fills a tenant's rule_outcomes (spec §9.2) from the recorded target histories (target_events): every event
// of a target is evaluated with the compiled rule of every exception filed for that target, exactly as the
// impact preview replays it (an event the rule cannot read is "unreadable", never a pass). A row is waived
// when an approved (or since expired, so once approved) exception of the same rule and target had a validity
// window [start, end] holding the event's time. Deterministic: the rows depend only on the workspace's
// contents. The tenant's earlier rows are replaced; run it inside the caller's write transaction.
class RuleOutcomeBackfill {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RuleOutcomeBackfill)

public:
    static Result<RuleOutcomeCounts> run(QSqlDatabase db, const QString& tenantId);
};

} // namespace riskdesk
