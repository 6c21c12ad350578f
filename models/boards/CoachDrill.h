#pragma once

#include "BoardPage.h"
#include "BoardReport.h"
#include "BoardRequest.h"
#include "BoardScope.h"
#include "CoachBoardSet.h"
#include "SiteClock.h"

#include <QSqlDatabase>

namespace riskdesk {

// BOARD-1's drill-downs (spec §4.7, §2.7). A cell is "COLUMN:COACH_ID" or "COLUMN:total" (the totals row,
// over the same filtered coaches):
//   items_sum, hours, customers      the service-log rows of the month (voided rows hidden), member with a
//                                    masked phone; the footer sums the clicked measure (distinct members for
//                                    customers) and a KPI of that key carries it, equal to the cell
//   gross_salary and its parts       one coach: the last 6 salary months (a trend, no sum); total: the
//   month's (base_income, bonus_income,      salary rows of the filtered coaches with their sum
//    course_cost, sprint_bonus,
//    effective_hours, base_hours)
//   top3                             one coach: every customer by intimacy
//   stored_value                     the recharge-commission rows of the month
class CoachDrill {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CoachDrill)

public:
    static Result<BoardReport> compute(QSqlDatabase db, const BoardScope& scope, const BoardRequest& request,
                                       const CoachSetFilter& filter, const BoardPage& page,
                                       const SiteClock& clock);
};

} // namespace riskdesk
