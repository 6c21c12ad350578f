#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace riskdesk {

// What a load wrote.
struct BoardLoadSummary {
    qint64 etlVersion = 0;
    qint64 rows = 0;
    int files = 0;
};

// riskdesk board load --workspace: the files of a directory into the workspace's bd_ tables, in one write
// transaction. Each file replaces the partitions it names (by site and business day, month or calculation
// date); member-site visibility (bd_member_sites) is rebuilt for the tenant. Nothing changes when any row is
// refused.
class BoardWorkspaceLoad {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardWorkspaceLoad)

public:
    static Result<BoardLoadSummary> load(QSqlDatabase db, const QString& tenantId, const QString& dir);
};

} // namespace riskdesk
