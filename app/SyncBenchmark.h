#pragma once

#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk bench sync --url OWNER_URL: on a scratch database of the server, a first pull of 1,000,000
// exceptions and a push of 100,000 decisions, each against a libpq COPY of the same rows in the same run, and
// the time from a decision's commit to its row being visible in a second desktop's workspace.
class SyncBenchmark {
public:
    static int run(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
