#pragma once

#include "BoardPage.h"
#include "BoardReport.h"
#include "FinanceSource.h"
#include "FinanceTrend.h"

namespace riskdesk {

// Drill-down of the finance board (spec §2.7): any KPI or section cell lists the daily rows of the view it
// was computed from (service-log rows for K3, salary rows for the coach analysis), with a totals row whose
// sum equals the clicked value to the fen.
//
// Cell syntax:
//   kpi:K1 … kpi:K8                       a KPI card of the period
//   SECTION:COLUMN:ROW                    a section cell; ROW is the row's id as printed (JSON "id") or
//   "total"
//     revenue:gross|discount|accrued|previous:table     revenue_discounts:amount:member
//     inflow:amount|previous:wechat       inflow_excluded:amount:gift
//     outflow:amount|previous:personnel   outflow:amount:personnel/staff
//     prepaid:opening|additions|consumption|refunds|adjustments|closing|active_cards:stored_value
//     trend:k1|k4|k5:2026-05-11           (the whole bucket that starts on that day)
//     coach:basic|incentive|sprint|gross|base_hours|effective_hours|coaches|service_income:2026-05-01
//     coach_tiers:basic|…:2026-05-01/二档
//     overview:value|previous:K1
// "previous" lists the same rows over the previous period. Shares, rates and changes are derived from other
// cells and are refused with the cells to drill instead.
// Every drill is paged. The service-log rows (K3, a month's service income: 100k+ rows on a big site) are
// paged by key in SQL, with their count and footer sum read by SQL over the whole set; the other drills list
// daily-summary or salary rows (at most a few per day of the period), read whole and cut to the page.
// sort ("column[:asc|desc]", any column of the drill's table; empty: the drill's own order) orders the whole
// set in SQL, nulls last, the row id breaking ties; the service-log rows are then paged by that key.
class FinanceDrill {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinanceDrill)

public:
    // loadedThrough: the last day the data are loaded through (invalid when unknown): a period after it has
    // no data, and closing balances are read on it when the period runs past it, as the board reads them.
    static Result<BoardReport> run(const FinanceSource& source, const BoardPeriod& period,
                                   const QDate& loadedThrough, FinanceTrend::Granularity granularity,
                                   const QString& cell, const BoardPage& page, bool showVoided = false,
                                   const QString& sort = {});
    // The syntax, for refusals.
    static QString syntax();
};

} // namespace riskdesk
