#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QStringList>
#include <algorithm>
#include <functional>

namespace riskdesk {

// The indexes and the search index a bulk load left to be built after its commit (ExceptionBulkLoad::
// finishLater), built a step at a time: one index, or the search index of one slice of rows, each step in
// its own short write transaction, so that a decision or a pull on another connection waits one step at
// most. The plan is kept in the workspace (workspace_meta 'deferred_build'), so a step cut short by a crash
// is rolled back and done again on the next run.
//
// Until the build is done every query still gives the right answer: without an index SQLite scans, and the
// queue's text search checks the rows the search index does not cover yet one by one (QueueSql).
class DeferredIndexBuild {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::DeferredIndexBuild)

public:
    // Rows of the search index per step: about a third of a second.
    static constexpr qint64 kSearchSlice = 50000;

    struct Progress {
        int indexesLeft = 0;
        qint64 searchRowsLeft = 0;
        qint64 searchRows = 0; // rows the plan indexes in all
        bool done() const { return indexesLeft == 0 && searchRowsLeft == 0; }
        // How far the search index is, 0–99; -1 when it is complete.
        int searchPercent() const {
            return searchRowsLeft > 0 ? int(100 - 100 * searchRowsLeft / std::max<qint64>(1, searchRows))
                                      : -1;
        }
    };

    // Records a plan in the caller's transaction: these CREATE INDEX statements, and the search index of the
    // rows firstRowid..lastRowid. Refused when a plan is already there (its rowid range would overlap).
    static Status plan(QSqlDatabase db, const QStringList& createIndexes, qint64 firstRowid,
                       qint64 lastRowid);
    static Result<Progress> progress(QSqlDatabase db);
    // One step, in a write transaction of its own; returns what is left.
    static Result<Progress> step(QSqlDatabase db, qint64 searchSlice = kSearchSlice);
    // SQL selecting the rowids of the exceptions the search index does not cover yet (none once the build is
    // done). It reads the plan in the caller's own snapshot, so it always agrees with the index read beside
    // it.
    static QString rowidsNotYetSearchable();
    // Every step left; onStep is told after each.
    static Status run(QSqlDatabase db, const std::function<void(const Progress&)>& onStep = {});
};

} // namespace riskdesk
