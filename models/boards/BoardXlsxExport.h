#pragma once

#include "BoardExportSet.h"
#include "BoardRowSink.h"

#include <QCoreApplication>
#include <QSet>
#include <functional>

namespace riskdesk {

// The XLSX export of a whole board (spec §2.8), written with libxlsxwriter: an overview sheet of the KPI
// cards, one sheet per section, a filters sheet (site, period, previous period, as-of, data loaded through,
// user, export time) and a notes sheet (section notes, reconciliation warnings, unavailable fields). Cells
// are typed: money as numbers formatted ¥#,##0.00, counts as integers, percentages as numbers with a %
// format, levels as their text (never emoji); "no data" and "unavailable" cells are left empty, the latter
// listed on the notes sheet. Sheet names follow the UI language.
class BoardXlsxExport {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardXlsxExport)

public:
    static Status write(const QString& path, const BoardExportSet& set);
    // Computes the set and writes it at once: compute is given the sink the rows go to as they are computed
    // (BoardExportSet::compute's), so that no section's rows are all held; the set it returns gives the rest.
    // The file is written only when compute succeeds. Messages name shownAs when given (the name a partial
    // file will take), not path.
    static Result<BoardExportSet>
    computeAndWrite(const QString& path,
                    const std::function<Result<BoardExportSet>(BoardRowSink& sink)>& compute,
                    const QString& shownAs = {});

    // A valid Excel sheet name from a title (at most 31 characters, none of []:*?/\, no leading or trailing
    // apostrophe, not "History"), made unique (case-insensitively) against the names already used, which it
    // joins.
    static QString sheetName(const QString& title, QSet<QString>& used);

    static constexpr const char* kMoneyFormat = "¥#,##0.00";
    // The number format of a change in percentage points, its unit in the UI's language ("+3.2 pp", "+3.2
    // 个百分点"): the cell holds the number of points.
    static QString pointsFormat();
};

} // namespace riskdesk
