#pragma once

#include "PgConnection.h"

namespace riskdesk {

// The bound below which a desktop reads the server's change feeds (changes, assignment_log, comments): no
// transaction that could still add a row below it to what this login reads is running. Since server migration
// 015 it is riskdesk.pull_horizon(), which passes over other tenants' transactions, so a member of one tenant
// holding a transaction open stalls no other tenant's pull. An older server has no such function; the whole
// cluster's oldest running transaction stands in, as before.
class PullHorizon {
public:
    // The horizon as an SQL expression to compare a feed's change_xid with (evaluated once per statement, in
    // the statement's own snapshot). Asks the server whether it has the function.
    static Result<QString> expression(PgConnection& server);
};

} // namespace riskdesk
