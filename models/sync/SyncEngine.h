#pragma once

#include "PgConnection.h"

#include <QCoreApplication>
#include <QHash>
#include <QSqlDatabase>
#include <functional>

namespace riskdesk {

struct SyncReport {
    qint64 pushed = 0;     // decisions the server applied (or had applied: a retried push)
    qint64 refused = 0;    // decisions the server's rules refused
    qint64 conflicts = 0;  // decisions someone else's decision beat
    qint64 pulled = 0;     // exception rows taken from the server
    qint64 logEntries = 0; // entries of the server's approval log copied
    qint64 swept = 0;      // ended validity windows the server applied at this sync's request
    bool firstPull = false;
    int boardPartitions = 0;   // board partitions replaced (finance logins; BoardPartitionPull)
    int boardTenantSlices = 0; // tenant-wide board datasets replaced (BoardTenantPull)
    qint64 boardRows = 0;
    QStringList messages; // one line per refused or conflicting decision, for the user
};

// Brings a workspace and the shared backend together, on the calling thread (a worker's: both connections
// block). Push sends the outbox in order, each entry with its idempotency key; a refused or conflicting
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

    Result<SyncReport> push();
    Result<qint64> pull(const std::function<void(qint64 rows)>& progress = {});
    Result<SyncReport> syncOnce(const std::function<void(qint64 rows)>& progress = {});

    // The cursor as text ("xid:change"), empty before the first pull from this server.
    QString cursor() const;

private:
    Result<QHash<QString, QString>> myUsers(); // tenant → the user this login role is there
    Result<qint64> firstPull(const std::function<void(qint64)>& progress);
    // The server's approval log into server_log, after what this desktop has of it; everything (after
    // clearing the copy) when `fromScratch`, as after a first pull from this server.
    Result<qint64> pullLog(bool fromScratch);
    Status applyServerRow(const QJsonObject& exception);

    QString cursorValue(const QString& position) const;

    QSqlDatabase m_db;
    PgConnection& m_server;
    mutable QString m_serverId;
};

} // namespace riskdesk
