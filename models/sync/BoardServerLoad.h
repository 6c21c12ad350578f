#pragma once

#include "PgConnection.h"
#include "store/BoardWorkspaceLoad.h"

#include <QCoreApplication>

namespace riskdesk {

// riskdesk board load --url: the same files into the server's riskdesk_board tables, as the loader (owner)
// role, in one transaction with the same replacement rules as the workspace load. Loads of one server
// serialise on riskdesk_board.loads, which no app role may lock.
class BoardServerLoad {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardServerLoad)

public:
    static Result<BoardLoadSummary> load(PgConnection& server, const QString& tenantId, const QString& dir);
};

} // namespace riskdesk
