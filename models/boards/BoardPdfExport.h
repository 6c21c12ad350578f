#pragma once

#include "BoardExportSet.h"

#include <QCoreApplication>
#include <QFont>
#include <QPainter>
#include <QRectF>
#include <QSizeF>
#include <functional>

namespace riskdesk {

// A figure a section contributes to the PDF (a chart): painted vectorially into the rectangle the layout
// gives it, with the PDF's painter, so it stays sharp at any zoom.
struct BoardFigure {
    QString caption;
    // The size it would like, in points (1/72 inch); scaled down to the page's width, and to the page's
    // height under the header, keeping its proportions.
    QSizeF size;
    std::function<void(QPainter& painter, const QRectF& area)> paint;
};

// Where charts plug in: given a report and one of its sections, the figures to draw above the section's table
// (none when this is not set). BoardChartPainter serves this.
using BoardFigureSource =
    std::function<QList<BoardFigure>(const BoardReport& report, const BoardTable& table)>;

// The PDF export of a whole board (spec §2.8), written with QPdfWriter: A4 landscape, every report and
// section of the set (BOARD-2: all eight dimensions), a header on every page (board title, site, period,
// previous period, as-of, data loaded through, user, export time) and a page number, the KPI cards, each
// section's notes, status and reconciliation warnings, its figures, then its table paginated across pages
// with the header row repeated on each page.
class BoardPdfExport {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardPdfExport)

public:
    struct Options {
        BoardFigureSource figures;
    };
    // A printed section lists at most this many rows, the first of its sort (a customer tab of 60,000
    // members printed whole was 17,000 pages nobody reads); the XLSX holds every row, and the page says so.
    static constexpr int kRowsPerSection = 200;

    // The number of pages written.
    static Result<int> write(const QString& path, const BoardExportSet& set, const Options& options = {});

    // Makes a font write text a reader can copy and search: Latin text and digits from DejaVu Sans and
    // Chinese from Noto Sans CJK (left to itself, font matching may take digits from the colour-emoji font's
    // keycaps, which extract as nothing: a chart's axis read "CN¥ . K"), and no ligatures ("inﬂow" is not
    // found by a search for "inflow"). For the page's text and for the charts drawn on it alike.
    static void useDocumentFonts(QFont& font);
};

} // namespace riskdesk
