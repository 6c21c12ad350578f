#pragma once

#include "BoardPartitionPull.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace riskdesk {

// The board data that belongs to no single site (spec §7.5): skill types (the tenant-wide rows and each
// site's own, which share one table), intimacy levels, members and which sites know each member. The server
// shows a login only what its memberships allow (members through member_sites, the G-17 rule), so there is
// no per-site partition to list: each sync fetches the whole visible slice of each dataset, compares its
// checksum (the canonical form of BoardPartitionChecksum) with the workspace's, and replaces the slice only
// when they differ, in one BEGIN IMMEDIATE transaction that is read back and checked before it commits. A
// replaced slice is recorded in bd_partitions under site '' so that `board verify` re-checks it too.
class BoardTenantPull {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardTenantPull)

public:
    // The datasets pulled this way (server table names).
    static QStringList datasets();
    static bool isTenantWide(const QString& dataset);

    // Pulls every tenant-wide slice of the tenant on the server connection's current transaction (the
    // caller's snapshot). Adds replaced slices and their rows to the report; a slice whose rows do not match
    // after writing is left as it was and named in report.problems.
    static Status pull(QSqlDatabase db, PgConnection& server, const QString& tenantId,
                       BoardPullReport& report);

    // The count and checksum of the tenant's slice of a tenant-wide dataset in the workspace.
    static Result<QPair<qint64, QString>> localChecksum(QSqlDatabase db, const QString& tenantId,
                                                        const QString& dataset);
};

} // namespace riskdesk
