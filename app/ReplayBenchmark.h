#pragma once

#include <QStringList>

namespace riskdesk {

// riskdesk bench replay (also the last part of bench score): replays 1,000,000 recorded events of one target
// against demo rules with the compiled evaluator, in memory and read from a workspace, against the explaining
// evaluator on each event's JSON (what a straight port of the reference does), measured in the same run.
class ReplayBenchmark {
public:
    static int run(const QStringList& arguments);
};

} // namespace riskdesk
