#pragma once

#include "PgConnection.h"
#include "boards/BoardPartitionChecksum.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace riskdesk {

// What a board pull did.
struct BoardPullReport {
    bool finance = false; // the login is a finance user somewhere (else nothing was asked)
    int partitions = 0;   // partitions replaced
    int tenantSlices = 0; // tenant-wide datasets replaced (BoardTenantPull)
    qint64 rows = 0;      // rows written into them
    int userSites = 0;    // sites recorded in bd_user_sites
    QStringList problems; // partitions left as they were, each with why
};

// A partition whose local rows no longer match what was verified when it was pulled.
struct BoardPartitionDamage {
    BoardPartitionKey key;
    qint64 expectedRows = 0, actualRows = 0;
    QString expectedChecksum, actualChecksum;
};

// Board data from the server into the workspace (spec §7.5), on the calling thread (a worker's: both
// connections block). For each tenant where the login is a finance user: its site memberships become the
// user's bd_user_sites; every partition the server lists (row-level security shows only the login's sites)
// whose etl_version differs from the one this workspace holds is replaced in one BEGIN IMMEDIATE transaction
// (delete, batched inserts), read back and checked against the server's row count and checksum before the
// commit; a partition that does not match is rolled back (the old rows stay) and named in the report. The
// server side is read in one REPEATABLE READ snapshot, so a load committing meanwhile cannot mix two
// versions. The board cache of a site whose data changed is dropped.
class BoardPartitionPull {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardPartitionPull)

public:
    static Result<BoardPullReport> pull(QSqlDatabase db, PgConnection& server);

    // Re-reads every partition the workspace holds and compares it with the count and checksum it was
    // verified against (AC-X-12). A damaged partition is marked so that the next pull replaces it.
    static Result<QList<BoardPartitionDamage>> verify(QSqlDatabase db);

    // The count and checksum of a partition's rows in the workspace.
    static Result<QPair<qint64, QString>> localChecksum(QSqlDatabase db, const BoardPartitionKey& key);
};

} // namespace riskdesk
