#pragma once

#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk-bench score: assessments per second in memory, with the ledger and log persisted, and end to end
// through JSON; against the reference's algorithm run naively (a query per velocity counter, per request),
// measured in the same run.
class ScoreBenchmark {
public:
    static int run(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
