#pragma once

#include "BoardReport.h"
#include "BoardRequest.h"
#include "BoardScope.h"
#include "SkillBoard.h"
#include "domain/Result.h"

#include <QDateTime>
#include <QHash>
#include <QSqlDatabase>
#include <QTimeZone>

namespace riskdesk {

// What a signed-in user may read on the Boards page: the boards their role opens, the sites bd_user_sites
// grants them, each site's business day "today" and skill types (for the coach board's skill filter).
struct BoardAccess {
    QString userId;
    QList<BoardKind> boards;
    QStringList sites;
    QHash<QString, QDate> today;             // site → its business day at the instant asked
    QHash<QString, QTimeZone> zones;         // site → its time zone (exports name their time in it)
    QHash<QString, QList<SkillType>> skills; // site → its enabled skill types, in order
    // For BOARD-4's filters (spec §9.4), when the user may open it: the tenant's rules (id, name) by id, its
    // approvers (user id, display name) by name, and its exceptions' reason categories.
    QList<std::pair<QString, QString>> rules;
    QList<std::pair<QString, QString>> approvers;
    QStringList reasonCategories; // the categories the tenant's exceptions have, in order
};

// One board as the window asked for it: whose, which, with which filters; whether F5 asked past the cache.
struct BoardLoadRequest {
    QString tenant;
    QString userId;
    BoardKind board = BoardKind::Finance;
    BoardRequest request;
    bool bypassCache = false;
};

// The answer: the report (or why there is none), whether it came from the cache, and when it was computed
// (刷新于: for a cached report, the time it was first read).
struct BoardLoadResult {
    Result<BoardReport> report = BoardReport();
    bool fromCache = false;
    QDateTime refreshedAt;
};

// The work the Boards page hands to the database thread: the reader's access, and a board computed under
// their scope, through the workspace's board cache (spec §2.9: keyed by user, tenant, site, board, the
// resolved parameters and the data watermark, so another user or a new load is always a miss).
class BoardLoad {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardLoad)

public:
    static Result<BoardAccess> access(QSqlDatabase db, const QString& tenant, const QString& userId,
                                      qint64 nowMs);
    static BoardLoadResult run(QSqlDatabase db, const BoardLoadRequest& load);
    // The request's resolved parameters as the cache keys them (dates resolved, locale included).
    static QJsonObject cacheParameters(const BoardLoadRequest& load);
    // The machine name of a board ("finance"), for cache keys and settings.
    static QString boardKey(BoardKind board);
};

} // namespace riskdesk
