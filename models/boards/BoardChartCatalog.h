#pragma once

#include "BoardChart.h"
#include "BoardPdfExport.h"
#include "BoardReport.h"
#include "TrendColors.h"

namespace riskdesk {

// The charts of a computed board (spec §2.11), built from the report's own tables so that every drawn value
// is a cell of the board: BOARD-3 trend (accrued revenue, the previous period dashed), revenue structure
// (donut), cash outflow (stacked: this period and the previous by group); BOARD-1 service income per coach;
// BOARD-2 visits by weekday × hour; BOARD-4 decisions by weekday × hour and decisions per day by outcome.
// A section that failed, or any of whose values is missing or unavailable, gives no chart: its table shows
// why, and a chart never draws a missing value as zero.
class BoardChartCatalog {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardChartCatalog)

public:
    static QList<BoardChart> charts(const BoardReport& report, const QLocale& locale);
    // The chart of this key ("finance.trend"), when the report has it.
    static std::optional<BoardChart> chart(const BoardReport& report, const QString& key,
                                           const QLocale& locale);
    // A KPI card's sparkline, where the board has a daily (or per-bucket) series of that figure: BOARD-3
    // K1, K4, K5 (the trend's buckets); BOARD-4 Q1 (pending at each day's end), Q6 and its outcomes.
    static std::optional<BoardChart> sparkline(const BoardReport& report, const QString& kpiKey);
    // The PDF export's figures: each section's charts, drawn vectorially by the window's painter above the
    // section's table (light style, the given up/down colours).
    static BoardFigureSource pdfFigures(const QLocale& locale, TrendColors::Scheme scheme);
};

} // namespace riskdesk
