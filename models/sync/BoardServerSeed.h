#pragma once

#include "PgConnection.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace riskdesk {

// riskdesk db seed: the workspace's board data (every bd_ table of BoardDataCatalog, the members' sites and
// the loads) copied into the server's riskdesk_board tables, inside the caller's transaction. COPY cannot
// write into tables under row-level security, so the rows go through temporary tables, in slices that keep
// the memory small however large the demo.
class BoardServerSeed {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardServerSeed)

public:
    // The number of rows copied.
    static Result<qint64> copy(PgConnection& server, QSqlDatabase workspace);
};

} // namespace riskdesk
