#pragma once

#include "BoardPeriod.h"
#include "SiteClock.h"
#include "WeekdayHourTable.h"

#include <QSqlDatabase>

namespace riskdesk {

// BOARD-2's heat map (spec §2.11): the site's visits (coach service logs, voided ones excluded) of the
// 60-day window by weekday and hour of their creation, in the site's time zone. Key "visits_heatmap".
class CustomerVisitHeatmap {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CustomerVisitHeatmap)

public:
    static Result<WeekdayHourTable::Grid> read(QSqlDatabase db, const QString& tenant, const QString& site,
                                               const BoardPeriod& window, const SiteClock& clock);
    static BoardTable table(const std::optional<WeekdayHourTable::Grid>& grid, const BoardPeriod& window,
                            const QLocale& locale);
};

} // namespace riskdesk
