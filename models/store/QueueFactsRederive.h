#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QSqlDatabase>
#include <QString>

namespace riskdesk {

// Derives BOARD-4's facts (exception_progress, approval_steps: migrations 017 and 033) again for the
// exceptions whose copy of the server's log changed. Sync appends that copy thousands of entries at a time;
// a trigger would derive an exception once per entry, this derives each once per batch, set-based, in the
// caller's transaction.
class QueueFactsRederive {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::QueueFactsRederive)

public:
    explicit QueueFactsRederive(QSqlDatabase db) : m_db(std::move(db)) {}

    // Starts an empty set of exceptions to derive again.
    Status begin();
    // Every exception the copy has entries for (before the copy is cleared).
    Status addEveryCopiedException();
    // The exceptions of the copy's entries after these seqs (tenant → its last seq before the batch).
    Status addCopiedAfter(const QHash<QString, qint64>& lastSeqBefore);
    // Derives the set's exceptions again, and empties it.
    Status run();

private:
    QSqlDatabase m_db;
};

} // namespace riskdesk
