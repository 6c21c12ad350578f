#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk-bench queue: first rows, re-sort and text filter on a large workspace, through the queue model
// (keyset pages from SQL on the database thread) and through QSqlQueryModel + QSortFilterProxyModel.
class QueueBenchmark {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::QueueBenchmark)

public:
    // arguments: the program, then the options (--workspace PATH [--exceptions N] [--repeat N]).
    static int run(const QStringList& arguments, AppSettings& settings);

private:
    static int measure(AppSettings& settings, const QString& workspacePath, qint64 exceptionsIfMissing,
                       int repeat);
};

} // namespace riskdesk
