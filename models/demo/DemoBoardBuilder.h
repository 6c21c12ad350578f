#pragma once

#include "DemoBoardGenerator.h"

#include <QSqlDatabase>

namespace riskdesk {

// Writes the demo business of DemoBoardGenerator into a workspace's bd_ tables: one write transaction,
// prepared statements on SQLite's own handle, and the tables' secondary indexes dropped first and built again
// once the rows are in (building an index over a million rows at once is several times faster than keeping
// it up to date row by row). The tables must hold nothing of the tenant yet.
class DemoBoardBuilder {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::DemoBoardBuilder)

public:
    static Result<DemoBoardSummary> build(QSqlDatabase db, const DemoBoardOptions& options);
};

} // namespace riskdesk
