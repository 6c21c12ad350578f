#pragma once

#include <QCoreApplication>
#include <QString>

namespace riskdesk {

// riskdesk bench queue: first rows, re-sort and text filter on a large workspace, through the queue model
// (keyset pages from SQL on the database thread) and through QSqlQueryModel + QSortFilterProxyModel.
class QueueBenchmark {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::QueueBenchmark)

public:
    static int run(const QString& workspacePath, qint64 exceptionsIfMissing, int repeat);
};

} // namespace riskdesk
