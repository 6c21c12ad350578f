#pragma once

#include "BoardTable.h"

#include <array>

namespace riskdesk {

// Counts by weekday (Monday first) and hour of day, as a board table: one row per weekday (id 1..7), columns
// "h00".."h23" and "total". The heat maps of BOARD-2 (visits) and BOARD-4 (decisions) share this shape.
class WeekdayHourTable {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::WeekdayHourTable)

public:
    using Grid = std::array<std::array<qint64, 24>, 7>; // [weekday 0 = Monday][hour]

    // Empty grid → a table with every count 0; nothing → a table without rows (the caller sets its outcome).
    static BoardTable make(const QString& key, const QString& title, const std::optional<Grid>& grid,
                           const QLocale& locale);
    // The grid back from such a table (nothing when it has no rows or a count is missing).
    static std::optional<Grid> gridOf(const BoardTable& table);
};

} // namespace riskdesk
