#pragma once

#include "PgConnection.h"
#include "SyncLogin.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <algorithm>
#include <functional>

namespace riskdesk {

class StopRequest;

struct SyncReport {
    qint64 pushed = 0;     // decisions and requests the server applied (or had applied: a retried push)
    qint64 refused = 0;    // decisions, assignment changes and comments refused (by the server's rules)
    qint64 conflicts = 0;  // decisions someone else's decision beat
    qint64 waiting = 0;    // changes made here by someone else than this login, left for theirs (SyncLogin)
    qint64 pulled = 0;     // exception rows taken from the server
    qint64 logEntries = 0; // entries of the server's approval log copied
    qint64 swept = 0;      // ended validity windows the server applied at this sync's request
    bool firstPull = false;
    int boardPartitions = 0;   // board partitions replaced (finance logins; BoardPartitionPull)
    int boardTenantSlices = 0; // tenant-wide board datasets replaced (BoardTenantPull)
    qint64 boardRows = 0;
    qint64 assignmentsPushed = 0; // assignment changes the server applied (AssignmentSync)
    qint64 assignmentsPulled = 0; // assignment changes copied from the server
    qint64 commentsPushed = 0;    // comments the server took (CommentSync)
    qint64 commentsPulled = 0;    // comments copied from the server
    qint64 attachmentsUploaded =
        0; // files of requests filed here, sent before the requests (AttachmentBlobSync)
    qint64 attachmentsDownloaded = 0; // filed attachments copied into this workspace's cache
    QStringList messages;             // one line per refused or conflicting decision, for the user
};

// A decision waiting in the outbox, and what became of it when pushed.
struct OutboxEntry {
    qint64 id = 0;
    QString tenant, key, record;
    QJsonObject payload;
};
struct PushAnswer {
    // refused: by this desktop or the server; server's: a step the server takes itself (the end of a
    // validity window), queued by a version that still pushed them, never sent.
    // waiting: made here by someone else than this login; it stays in the outbox for their own (SyncLogin).
    enum Kind { Applied, Conflict, Refused, ServersOwn, Waiting } kind = Applied;
    QString message;
    QJsonObject serverRow; // the exception as the server has it after the decision
    // Or, from a set (riskdesk.decide_set_rows), only what a decision changes of it (the rest never changes
    // after filing): hasState, then the columns in the workspace's forms.
    bool hasState = false;
    QString status, rejectionReason, currentApprover, chain;
    bool rejectionReasonNull = true, autoRejected = false;
    qint64 version = 0, lastStatusAt = 0;
};

// Brings a workspace and the shared backend together, on the calling thread (a worker's: both connections
// block). Push sends the outbox in order, in sets of one tenant's decisions, one server call per set
// (riskdesk.decide_set), each entry with its idempotency key; a refused or conflicting
// entry is recorded with the server's answer and does not hold up those behind it, and the local row takes
// the server's state. Pull reads the server's change feed from the cursor kept in the workspace, below the
// oldest open transaction, so a transaction that commits late is never skipped; a workspace without a cursor
// copies everything its role may see. syncOnce also copies the server's approval log (server_log). Safe to
// interrupt anywhere: the server remembers idempotency keys, and the cursor moves in the same local
// transaction as the rows it covers.
class SyncEngine {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::SyncEngine)

public:
    SyncEngine(QSqlDatabase workspace, PgConnection& server) : m_db(std::move(workspace)), m_server(server) {}

    // Stops when asked (the problem's code is "stopped"): between batches of a pull, blocks of a first pull's
    // COPY (the whole first pull rolls back) and sets of a push, so every commit stays a whole batch.
    void stopWhen(const StopRequest* stop) { m_stop = stop; }

    // shared: the login's view shared with the sync's other streams (syncOnce); read here when null.
    Result<SyncReport> push(SyncLogin* shared = nullptr);
    // Decisions per server call, 1 to 5000 (default 5000). 1 sends each through riskdesk.decide on its own,
    // in its own commit (tests and the benchmark compare the two).
    void setPushSetSize(qsizetype size) { m_pushSetSize = std::clamp<qsizetype>(size, 1, 5000); }
    Result<qint64> pull(const std::function<void(qint64 rows)>& progress = {});
    Result<SyncReport> syncOnce(const std::function<void(qint64 rows)>& progress = {});

    // The cursor as text ("xid:change"), empty before the first pull from this server.
    QString cursor() const;

private:
    // The first pull's snapshot besides the rows: the cursor the rows are up to, and the directory.
    struct ServerDirectory {
        QString cursor; // "xid:change"
        PgResult tenants, rules, members;
    };

    // A set of the push on its way: its entries, their answers so far, and the one tenant's decisions sent
    // in one call whose answer is still to be read (none: every answer is in).
    struct SetInFlight {
        QList<OutboxEntry> chunk;
        QList<PushAnswer> answers;
        QList<qsizetype> awaited;
    };
    // Push, step by step: the waiting entries in outbox order; a set started (everything but its last
    // tenant's decisions answered, those sent) and finished (their answer read); its answers and the server's
    // rows recorded in one local transaction; the report's tallies.
    Result<QList<OutboxEntry>> waitingEntries();
    Result<SetInFlight> startSet(QList<OutboxEntry> chunk, SyncLogin& login);
    Status finishSet(SetInFlight& set);
    // readAhead: a set is on the server meanwhile; its answer is read as it comes (PgConnection::readAhead).
    Status recordAnswers(const QList<OutboxEntry>& chunk, const QList<PushAnswer>& answers, bool readAhead);
    static void countAnswers(const QList<PushAnswer>& answers, SyncReport& report);
    // Everything the login may see, in one server snapshot and one local transaction, steps below.
    Result<qint64> firstPull(const std::function<void(qint64)>& progress);
    Result<ServerDirectory> readDirectory(); // inside the snapshot; also learns the server's identity
    Status storeDirectory(const ServerDirectory& directory);
    static QString exceptionsCopySql();
    Result<qint64> copyIntoEmptyWorkspace(const std::function<void(qint64)>& progress); // bulk, fresh desktop
    Result<qint64> mergeServerRows(const std::function<void(qint64)>& progress); // row by row, upserted
    Status storeCursor(const QString& position); // in the caller's transaction
    bool stopRequested() const;
    static Problem stopped();
    // The server's approval log into server_log, after what this desktop has of it; everything (after
    // clearing the copy) when `fromScratch`, as after a first pull from this server.
    Result<qint64> pullLog(bool fromScratch);
    // `upsert`: kUpsert, prepared.
    Status applyServerRow(QSqlQuery& upsert, const QJsonObject& exception);
    // `update`: kTakeState, prepared; the columns a decision changes, from a set's answer.
    static Status applyServerState(QSqlQuery& update, const OutboxEntry& entry, const PushAnswer& a);
    // Whether the entry goes to the server; if not, `a` says why (a step the server takes itself, or a
    // change another person made here, which waits for their login).
    bool goesToServer(const OutboxEntry& entry, SyncLogin& login, PushAnswer& a);
    // One tenant's entries (chunk[items]) in one riskdesk.decide_set_rows call: sent (false when it could
    // not be, and nothing was), then its answers read into `answers` (false when the call raised an error,
    // which applies none of them). decideSet does both.
    Result<bool> sendDecisionSet(const QString& tenant, const QList<OutboxEntry>& chunk,
                                 const QList<qsizetype>& items);
    Result<bool> readDecisionSet(const QList<OutboxEntry>& chunk, const QList<qsizetype>& items,
                                 QList<PushAnswer>& answers);
    Result<bool> decideSet(const QString& tenant, const QList<OutboxEntry>& chunk,
                           const QList<qsizetype>& items, QList<PushAnswer>& answers);
    // One entry through riskdesk.decide; an error it raises becomes its refusal.
    Status decideOne(const OutboxEntry& entry, PushAnswer& a);
    // A request filed on this desktop (Outbox::enqueueCreation), sent through riskdesk.create_exception.
    static bool isCreation(const OutboxEntry& entry);
    Status createOne(const OutboxEntry& entry, PushAnswer& a);
    static void readOutcome(const QString& record, const QString& json, PushAnswer& a);

    QString cursorValue(const QString& position) const;

    QSqlDatabase m_db;
    PgConnection& m_server;
    qsizetype m_pushSetSize = 5000;
    const StopRequest* m_stop = nullptr;
    mutable QString m_serverId;
};

} // namespace riskdesk
