#pragma once

#include "boards/BoardReport.h"
#include "boards/BoardRequest.h"
#include "boards/BoardScope.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk board coach|customer|finance|riskops|skills: one board of a workspace, printed as text, JSON or
// CSV (boards/SPEC.md Appendix A). The options are shared; each board reads the ones it uses from the request
// and refuses what it cannot honour. Reads as the workspace's owner; --as USER restricts to that user's sites
// and boards.
class BoardViewCommand {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardViewCommand)

public:
    using Compute = Result<BoardReport> (*)(QSqlDatabase db, const BoardScope& scope,
                                            const BoardRequest& request);

    static int run(const QStringList& arguments, AppSettings& settings, BoardKind board, Compute compute);
};

} // namespace riskdesk
