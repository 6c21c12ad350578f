#pragma once

#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk bench replay (also the last part of bench score): replays 1,000,000 recorded events of one target
// against demo rules with the compiled evaluator and with the explaining evaluator (what a straight port of
// the reference does), both compiled once, in the same run: in memory on decoded records, and from the stored
// rows to the hit count. Fails when the sides count different hits.
class ReplayBenchmark {
public:
    static int run(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
