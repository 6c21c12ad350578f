#pragma once

#include <QString>
#include <QStringList>

namespace riskdesk {

// Fault injection for the board tests (spec AC-S-10, AC-S-11): makes a named core query or enrichment fail,
// e.g. "coach.top3" or "finance.*". It is compiled in only when RISKDESK_BOARD_FAULTS is defined, which the
// build does for every configuration except Release (see models/CMakeLists.txt); in a release build
// shouldFail() is always false and nothing can switch a fault on.
//
// Names come from set() or, until set() is called, from the environment variable RISKDESK_BOARD_FAULTS
// (comma-separated), so tests that run the command line can use it too.
class BoardFaults {
public:
    static bool shouldFail(const QString& qualifiedName);
    static bool compiledIn();
#ifdef RISKDESK_BOARD_FAULTS
    static void set(const QStringList& names);
    static void clear();
#endif
};

} // namespace riskdesk
