#pragma once

#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk-bench boards-gui: the Boards page as the window has it (the real BoardsPage, offscreen, over the
// database thread), on a workspace with board data (riskdesk demo --board-scale N; without --workspace a
// scale-1 demo is built in a temporary folder). For every board: the time from asking for the board (board
// chooser, period preset) to the board painted, computed (the board cache emptied first) and from the cache;
// and the longest the GUI thread went without returning to its event loop meanwhile (a 0 ms timer stamps
// every turn; the final layout and paint count as one turn). Medians of --switches switches per case.
// Targets (issue 12): painted under 150 ms, from the cache under 30 ms, no turn longer than 16 ms.
class BoardGuiBenchmark {
public:
    static int run(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
