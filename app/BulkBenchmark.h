#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk-bench bulk: a batch of mixed decisions (approvals of one and two steps, rejections with one
// reason, refusals) committed through DecisionService::decideMany, against the same decisions made one per
// call, each in its own transaction (how the desktop decided before bulk decisions), on copies of the same
// workspace. Both sides must end with the same states, log and outbox.
class BulkBenchmark {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BulkBenchmark)

public:
    // arguments: the program, then the options ([--exceptions N] [--decisions N] [--repeat N]).
    static int run(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
