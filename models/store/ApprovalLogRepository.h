#pragma once

#include "domain/ApprovalLogEntry.h"
#include "domain/Result.h"
#include "store/PreparedStatements.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QSqlDatabase>
#include <optional>

namespace riskdesk {

struct ChainHead {
    qint64 seq = 0;
    QByteArray hash;
};

struct ChainVerification {
    bool intact = true;
    qint64 entriesChecked = 0;
    qint64 firstBrokenSeq = 0; // the first entry that fails, when not intact
    QString message;           // translated: what is wrong, or that all is well
    ChainHead head;            // last entry verified
    QByteArray root;           // the hash of entry 1, when it was verified: which log this is
};

// Which chain: this desktop's own log, or the copy of the server's log that sync keeps.
enum class LogSource { Workspace, ServerCopy };

struct LogFilter {
    LogSource source = LogSource::Workspace;
    QString tenantId;
    QString actorId;  // exactly this approver
    QString approver; // any part of an approver's id or display name, case-insensitive ("li" finds li.wei)
    QString action;
    QDateTime from; // inclusive; invalid = open
    QDateTime to;   // exclusive; invalid = open

    // Whether it keeps only some of a tenant's entries (an export of it is a selection, not the whole log).
    bool selects() const {
        return !actorId.isEmpty() || !approver.isEmpty() || !action.isEmpty() || from.isValid() ||
               to.isValid();
    }
};

struct LogPage {
    QList<ApprovalLogEntry> rows;
    bool hasMore = false;
};

// The tenant's append-only, hash-chained approval log: this desktop's own (approval_log), or the copy of the
// server's that sync keeps (server_log), read the same way.
class ApprovalLogRepository {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ApprovalLogRepository)

public:
    // kept: where head() and append() keep their statements prepared (a bulk decision's); none prepares
    // them on each call.
    explicit ApprovalLogRepository(QSqlDatabase db, LogSource source = LogSource::Workspace,
                                   PreparedStatements* kept = nullptr)
        : m_db(std::move(db)), m_source(source), m_kept(kept) {}

    // Links the entry to the current head and stores it (this desktop's log only). Call inside a
    // WriteTransaction, so that reading the head and appending cannot interleave with another writer.
    Result<ApprovalLogEntry> append(ApprovalLogEntry entry);
    Result<ChainHead> head(const QString& tenantId) const;

    // Walks the whole chain. With a remembered head (from an earlier verification on this desktop), also
    // checks that the chain still extends it, which catches entries cut from the end. This desktop's log of
    // a workspace that never synced is also checked against the exceptions: each has its last entry's status
    // (a log emptied or cut shows there).
    Result<ChainVerification> verify(const QString& tenantId,
                                     const std::optional<ChainHead>& remembered = {}) const;

    // Newest first; beforeSeq continues after the last row of the previous page. The filter's source wins
    // over this repository's.
    Result<LogPage> page(const LogFilter& filter, std::optional<qint64> beforeSeq, int limit) const;
    // An unfiltered export is marked as each tenant's whole log unless markWhole is false (a log that no
    // longer verifies: the file must not certify it).
    Status exportCsv(const LogFilter& filter, QIODevice* out, bool markWhole = true) const;
    // How many entries match the filter.
    Result<qint64> count(const LogFilter& filter) const;

private:
    // Marks the verification broken when an exception's status is not its last entry's.
    Status checkAgainstExceptions(const QString& tenantId, ChainVerification& verified) const;

    QSqlDatabase m_db;
    LogSource m_source;
    PreparedStatements* m_kept = nullptr;
};

} // namespace riskdesk
