#pragma once

#include "BoardScope.h"

#include <QDate>
#include <QDateTime>
#include <QString>

namespace riskdesk {

// Export file names of spec §2.8: <board>_<site>_<from>_<to>_<yyyyMMddTHHmm>.<ext>, e.g.
// coach-board_S1_2026-05-01_2026-05-31_20260601T1030.csv. The time is the export's, in the site's zone when
// it has one. Characters a file system or a shell would trip on are replaced by "-".
class BoardExportName {
public:
    // "skill-board", "coach-board", "customer-board", "finance-board", "riskops-board".
    static QString boardSlug(BoardKind board);
    // A section's CSV names its section after the board: finance-board-trend_S1_….
    static QString fileName(BoardKind board, const QString& site, const QDate& from, const QDate& to,
                            const QDateTime& at, const QString& extension, const QString& section = {});
    // A path chosen in a save dialog, with the format's extension added when the name has none ("report" →
    // "report.pdf"): a file without it opens in nothing.
    static QString withExtension(const QString& path, const QString& extension);
};

} // namespace riskdesk
