#pragma once

#include "BoardTable.h"
#include "domain/Result.h"

namespace riskdesk {

// Where a whole-board export's rows go one at a time, in order, as they are computed, so that an export of
// every row (BOARD-2: eight tabs of every member, about 360,000 rows at the demo's scale 50) never holds them
// all. Each section of each report is begun once, in the order of the reports and their tables, and its rows
// follow.
class BoardRowSink {
public:
    BoardRowSink() = default;
    BoardRowSink(const BoardRowSink&) = delete;
    BoardRowSink& operator=(const BoardRowSink&) = delete;
    virtual ~BoardRowSink() = default;

    // A section starts: its key, title and columns (its rows, totals and outcome are not known yet).
    virtual Status beginTable(const BoardTable& table) = 0;
    // One row of the section begun last, its cells as the table would hold them (not its JSON detail). A
    // failure stops the export.
    virtual Status row(const BoardTableRow& row) = 0;
};

} // namespace riskdesk
