#include "BoardPdfExport.h"

#include "PdfRadicalRepair.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <numeric>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kResolution = 144;    // device units per inch: fine enough for vector placement
constexpr int kMeasuredRows = 2000; // column widths are judged on this many rows; longer text is elided

qreal pt(qreal points) {
    return points * kResolution / 72.0;
}

// What a cell shows on paper: the screen's text, but a level's name instead of its emoji.
QString paperText(const BoardTableColumn& column, const BoardCell& cell, const QLocale& locale) {
    if (column.type == BoardTableColumn::Type::Text && cell.value.state() != CellState::Unavailable &&
        cell.csvText && !cell.csvText->isEmpty())
        return *cell.csvText;
    return BoardTable::cellDisplay(column, cell, locale);
}

// Lays out the document page by page, top to bottom: y is where the next block goes.
class PdfLayout {
public:
    PdfLayout(QPdfWriter& writer, const BoardExportSet& set) : m_writer(writer), m_set(set) {
        BoardPdfExport::useDocumentFonts(m_body);
        m_body.setPointSizeF(8);
        m_bold = m_body;
        m_bold.setBold(true);
        m_title = m_bold;
        m_title.setPointSizeF(14);
        m_section = m_bold;
        m_section.setPointSizeF(11);
        m_small = m_body;
        m_small.setPointSizeF(7);
    }

    bool begin() {
        if (!m_painter.begin(&m_writer))
            return false;
        m_page = QRectF(0, 0, m_writer.width(), m_writer.height());
        startPage();
        return true;
    }
    void end() { m_painter.end(); }
    int pages() const { return m_pageNumber; }
    QPainter& painter() { return m_painter; }
    const QFont& body() const { return m_body; }
    const QFont& bold() const { return m_bold; }
    const QFont& small() const { return m_small; }

    qreal width() const { return m_page.width(); }
    qreal room() const { return m_page.bottom() - pt(16) - m_y; }
    void newPage() {
        m_writer.newPage();
        startPage();
    }
    void ensure(qreal height) {
        if (room() < height)
            newPage();
    }
    qreal& y() { return m_y; }

    // A paragraph wrapped to the page's width.
    void paragraph(const QString& text, const QFont& font, const QColor& color = Qt::black) {
        m_painter.setFont(font);
        const QRectF bound = m_painter.boundingRect(QRectF(0, 0, width(), 1e6), Qt::TextWordWrap, text);
        ensure(bound.height()); // a new page sets its own font
        m_painter.setFont(font);
        m_painter.setPen(color);
        m_painter.drawText(QRectF(0, m_y, width(), bound.height()), Qt::TextWordWrap, text);
        m_y += bound.height() + pt(2);
    }
    void sectionTitle(const QString& text) {
        ensure(pt(60)); // a title never ends a page alone
        m_y += pt(6);
        paragraph(text, m_section);
    }

private:
    void startPage() {
        ++m_pageNumber;
        m_y = 0;
        m_painter.setPen(Qt::black);
        m_painter.setFont(m_title);
        const qreal titleHeight = QFontMetricsF(m_title, &m_writer).height();
        m_painter.drawText(QRectF(0, 0, width(), titleHeight), Qt::AlignLeft | Qt::AlignVCenter,
                           m_set.title());
        m_y += titleHeight;
        m_painter.setFont(m_small);
        const QString line = m_set.headerLine();
        const QRectF bound = m_painter.boundingRect(QRectF(0, 0, width(), 1e6), Qt::TextWordWrap, line);
        m_painter.setPen(QColor(0x44, 0x44, 0x44));
        m_painter.drawText(QRectF(0, m_y, width(), bound.height()), Qt::TextWordWrap, line);
        m_y += bound.height() + pt(3);
        m_painter.setPen(QPen(QColor(0x99, 0x99, 0x99), pt(0.5)));
        m_painter.drawLine(QPointF(0, m_y), QPointF(width(), m_y));
        m_y += pt(6);
        // The page number at the foot.
        m_painter.setPen(QColor(0x66, 0x66, 0x66));
        m_painter.drawText(QRectF(0, m_page.bottom() - pt(12), width(), pt(12)),
                           Qt::AlignRight | Qt::AlignBottom, BoardPdfExport::tr("Page %1").arg(m_pageNumber));
        m_painter.setPen(Qt::black);
    }

    QPdfWriter& m_writer;
    const BoardExportSet& m_set;
    QPainter m_painter;
    QRectF m_page;
    qreal m_y = 0;
    int m_pageNumber = 0;
    QFont m_body, m_bold, m_title, m_section, m_small;
};

void drawKpis(PdfLayout& layout, const BoardReport& report, const QLocale& locale) {
    if (report.kpis().isEmpty())
        return;
    QPainter& p = layout.painter();
    constexpr int perRow = 4;
    const qreal gap = pt(6);
    const qreal cardWidth = (layout.width() - gap * (perRow - 1)) / perRow;
    // Label, value, change, and the previous period's dates and figure on up to two lines of their own: in
    // Chinese the comparison alone is wider than a card, and an elided one hides the figure it compares with.
    const qreal cardHeight = pt(70);
    for (int i = 0; i < report.kpis().size(); ++i) {
        const int column = i % perRow;
        if (column == 0) {
            if (i > 0)
                layout.y() += cardHeight + gap;
            layout.ensure(cardHeight + gap);
        }
        const BoardKpi& kpi = report.kpis()[i];
        const QRectF card(column * (cardWidth + gap), layout.y(), cardWidth, cardHeight);
        p.setPen(QPen(QColor(0xbb, 0xbb, 0xbb), pt(0.5)));
        p.setBrush(QColor(0xf6, 0xf6, 0xf6));
        p.drawRoundedRect(card, pt(3), pt(3));
        p.setBrush(Qt::NoBrush);
        const QRectF inner = card.adjusted(pt(6), pt(4), -pt(6), -pt(4));
        const qreal labelHeight = pt(12), valueHeight = pt(18), changeHeight = pt(12);
        qreal top = inner.top();
        p.setPen(Qt::black);
        p.setFont(layout.body());
        p.drawText(
            QRectF(inner.left(), top, inner.width(), labelHeight), Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetricsF(layout.body(), p.device()).elidedText(kpi.label, Qt::ElideRight, inner.width()));
        top += labelHeight;
        QFont big = layout.bold();
        big.setPointSizeF(12);
        p.setFont(big);
        p.drawText(QRectF(inner.left(), top, inner.width(), valueHeight), Qt::AlignLeft | Qt::AlignVCenter,
                   kpi.value.display(kpi.unit, locale));
        top += valueHeight;
        p.setPen(QColor(0x55, 0x55, 0x55));
        if (kpi.change) {
            p.setFont(layout.body());
            p.drawText(QRectF(inner.left(), top, inner.width(), changeHeight),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       (kpi.change->arrow().isEmpty() ? QString() : kpi.change->arrow() + u' ') +
                           kpi.change->text());
            top += changeHeight;
        }
        p.setFont(layout.small());
        p.drawText(QRectF(inner.left(), top, inner.width(), inner.bottom() - top),
                   Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, kpi.comparison);
    }
    layout.y() += cardHeight + gap * 2;
}

void drawFigures(PdfLayout& layout, const QList<BoardFigure>& figures) {
    QPainter& p = layout.painter();
    for (const BoardFigure& figure : figures) {
        if (!figure.paint || figure.size.isEmpty())
            continue;
        const qreal captionHeight = figure.caption.isEmpty() ? 0 : pt(14);
        QSizeF size(pt(figure.size.width()), pt(figure.size.height()));
        const qreal maxHeight = layout.room() < pt(120) ? pt(400) : layout.room() - captionHeight;
        size.scale(std::min(size.width(), layout.width()),
                   std::min(size.height(), std::max(pt(120), maxHeight)), Qt::KeepAspectRatio);
        layout.ensure(size.height() + captionHeight);
        if (!figure.caption.isEmpty())
            layout.paragraph(figure.caption, layout.bold());
        const QRectF area(0, layout.y(), size.width(), size.height());
        p.save();
        p.setClipRect(area);
        figure.paint(p, area);
        p.restore();
        layout.y() += size.height() + pt(6);
    }
}

// Natural column widths: the header and the first rows, each column at most a third of the page.
QList<qreal> naturalWidths(const BoardTable& table, const QLocale& locale, const QFontMetricsF& body,
                           const QFontMetricsF& bold, qreal padding, qreal pageWidth) {
    const QList<BoardTableColumn>& columns = table.columns();
    QList<qreal> widths(columns.size(), 0);
    for (int i = 0; i < columns.size(); ++i)
        widths[i] = bold.horizontalAdvance(columns[i].label) + 2 * padding;
    const auto measure = [&](const BoardTableRow& row, const QFontMetricsF& fm) {
        for (int i = 0; i < columns.size(); ++i)
            widths[i] = std::max(
                widths[i], fm.horizontalAdvance(paperText(columns[i], row.cells[i], locale)) + 2 * padding);
    };
    for (int r = 0; r < table.rows().size() && r < kMeasuredRows; ++r)
        measure(table.rows()[r], body);
    if (table.totals())
        measure(*table.totals(), bold);
    for (qreal& w : widths)
        w = std::min(w, pageWidth / 3);
    return widths;
}

// The columns of each band of a table wider than the page: as many as fit after the first, which every band
// repeats (the row's name). One band when the table fits.
QList<QList<int>> columnBands(const QList<qreal>& widths, qreal pageWidth) {
    QList<QList<int>> bands;
    QList<int> band{0};
    qreal used = widths[0];
    for (int i = 1; i < widths.size(); ++i) {
        if (band.size() > 1 && used + widths[i] > pageWidth) {
            bands << band;
            band = {0};
            used = widths[0];
        }
        band << i;
        used += widths[i];
    }
    bands << band;
    return bands;
}

// How a table's cells are set: fonts, their metrics and each column's width.
struct TableType {
    QFont body, bold;
    QFontMetricsF bodyMetrics, boldMetrics;
    QList<qreal> widths;
    qreal padding = 0;
    qreal rowHeight = 0;
};

// One band of a table: its header, its rows (continued on new pages under the header again), its totals.
void drawBand(PdfLayout& layout, const BoardTable& table, const QLocale& locale, const TableType& type,
              const QList<int>& shown, const QString& title) {
    QPainter& p = layout.painter();
    const QList<BoardTableColumn>& columns = table.columns();
    const qreal rowHeight = type.rowHeight;
    QList<qreal> lefts(shown.size(), 0);
    for (int k = 1; k < shown.size(); ++k)
        lefts[k] = lefts[k - 1] + type.widths[shown[k - 1]];
    const qreal tableWidth = lefts.last() + type.widths[shown.last()];
    const auto inner = [&](int k) { return type.widths[shown[k]] - 2 * type.padding; };
    const auto cellRect = [&](int k) {
        return QRectF(lefts[k] + type.padding, layout.y(), inner(k), rowHeight);
    };
    const auto align = [&](int k) {
        const bool figure = shown[k] > 0 && columns[shown[k]].type != BoardTableColumn::Type::Text;
        return Qt::AlignVCenter | (figure ? Qt::AlignRight : Qt::AlignLeft);
    };
    const auto header = [&]() {
        p.fillRect(QRectF(0, layout.y(), tableWidth, rowHeight), QColor(0xe4, 0xe8, 0xee));
        p.setFont(type.bold);
        p.setPen(Qt::black);
        for (int k = 0; k < shown.size(); ++k)
            p.drawText(cellRect(k), align(k),
                       type.boldMetrics.elidedText(columns[shown[k]].label, Qt::ElideRight, inner(k)));
        layout.y() += rowHeight;
    };
    // keepWith: the rows that must stand on the same page as this one (the last row keeps the totals
    // company).
    const auto line = [&](const BoardTableRow& row, bool isTotals, int index, int keepWith) {
        if (layout.room() < rowHeight * (1 + keepWith)) {
            layout.newPage();
            layout.paragraph(BoardPdfExport::tr("%1 (continued)").arg(title), layout.bold());
            header();
        }
        if (!isTotals && index % 2 == 1)
            p.fillRect(QRectF(0, layout.y(), tableWidth, rowHeight), QColor(0xf7, 0xf7, 0xf7));
        const QFontMetricsF& fm = isTotals ? type.boldMetrics : type.bodyMetrics;
        p.setFont(isTotals ? type.bold : type.body);
        p.setPen(Qt::black);
        for (int k = 0; k < shown.size(); ++k) {
            const int i = shown[k];
            const QString text = isTotals && i == 0 ? BoardPdfExport::tr("Total")
                                                    : paperText(columns[i], row.cells[i], locale);
            p.drawText(cellRect(k), align(k), fm.elidedText(text, Qt::ElideRight, inner(k)));
        }
        layout.y() += rowHeight;
    };

    layout.ensure(rowHeight * 3);
    header();
    const qsizetype rows = table.rows().size();
    for (int r = 0; r < rows; ++r)
        line(table.rows()[r], false, r, r == rows - 1 && table.totals() ? 1 : 0);
    if (table.totals())
        line(*table.totals(), true, 0, 0);
    layout.y() += pt(8);
}

// A table wider than the page is first set in a smaller type (down to kSmallestType of the body's size), and
// if it still does not fit, printed in bands of columns, each repeating the first column (the row's name),
// as spreadsheets print pages across: a figure is never cut to fit.
constexpr qreal kSmallestType = 0.75;

void drawTable(PdfLayout& layout, const BoardTable& table, const QLocale& locale) {
    if (table.columns().isEmpty())
        return;
    const QPaintDevice* device = layout.painter().device();
    const qreal padding = pt(3);
    QFont body = layout.body(), bold = layout.bold();
    QList<qreal> widths = naturalWidths(table, locale, QFontMetricsF(body, device),
                                        QFontMetricsF(bold, device), padding, layout.width());
    const qreal natural = std::accumulate(widths.cbegin(), widths.cend(), qreal(0));
    if (natural > layout.width()) {
        const qreal scale = std::max(kSmallestType, layout.width() / natural);
        body.setPointSizeF(body.pointSizeF() * scale);
        bold.setPointSizeF(bold.pointSizeF() * scale);
        widths = naturalWidths(table, locale, QFontMetricsF(body, device), QFontMetricsF(bold, device),
                               padding, layout.width());
    }
    const TableType type{body,
                         bold,
                         QFontMetricsF(body, device),
                         QFontMetricsF(bold, device),
                         widths,
                         padding,
                         QFontMetricsF(body, device).height() + pt(4)};
    const QList<QList<int>> bands = columnBands(widths, layout.width());
    for (const QList<int>& shown : bands) {
        if (bands.size() == 1) { // the section's title is above it
            drawBand(layout, table, locale, type, shown, table.title());
            continue;
        }
        const QString title = BoardPdfExport::tr("%1 (columns %2–%3 of %4)")
                                  .arg(table.title())
                                  .arg(shown.size() > 1 ? shown[1] + 1 : 1)
                                  .arg(shown.last() + 1)
                                  .arg(table.columns().size());
        layout.ensure(type.rowHeight * 4);
        layout.paragraph(title, layout.bold());
        drawBand(layout, table, locale, type, shown, title);
    }
}

} // namespace

void BoardPdfExport::useDocumentFonts(QFont& font) {
    font.setFamilies({u"DejaVu Sans"_s, u"Noto Sans CJK SC"_s});
    // Shaping off for the scripts that do not need it (Latin, CJK): no "fi" or "fl" ligature glyphs.
    font.setStyleStrategy(QFont::PreferNoShaping);
}

Result<int> BoardPdfExport::write(const QString& path, const BoardExportSet& set, const Options& options) {
    // Text is laid out with the font database, which only a QGuiApplication has.
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return Problem{u"export_failed"_s, tr("A PDF export needs a QGuiApplication (fonts)."), {}};
    // Written beside its name and renamed once whole: a failure (a full disk) never leaves a cut-off PDF
    // under the name asked for.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Problem{u"export_failed"_s, tr("Could not write %1: %2").arg(path, file.errorString()), {}};
    // Made in memory first: its text map is repaired before it is written (PdfRadicalRepair).
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setResolution(kResolution);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape,
                                     QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter));
    writer.setTitle(set.title());
    writer.setCreator(u"Riskdesk"_s);
    PdfLayout layout(writer, set);
    if (!layout.begin())
        return Problem{u"export_failed"_s, tr("Could not write %1.").arg(path), {}};
    const QLocale& locale = set.locale();
    for (const BoardReport& report : set.reports()) {
        for (const QString& badge : report.badges())
            layout.paragraph(badge, layout.bold(), QColor(0x9a, 0x5b, 0x00));
        drawKpis(layout, report, locale);
        for (const BoardTable& table : report.tables()) {
            const QList<BoardFigure> figures = options.figures && table.outcome().showsRows()
                                                   ? options.figures(report, table)
                                                   : QList<BoardFigure>{};
            // A section's title and notes start the page its first chart is on, not the foot of the one
            // before (the title was left alone under the key figures, its chart on the next page).
            if (!figures.isEmpty())
                layout.ensure(pt(60) + pt(std::min<qreal>(figures.first().size.height(), 400)));
            layout.sectionTitle(table.title());
            for (const QString& note : table.notes())
                layout.paragraph(note, layout.body(), QColor(0x44, 0x44, 0x44));
            if (const QString h = table.outcome().headerNote(); !h.isEmpty()) // no data is not an alarm
                layout.paragraph(h, layout.bold(),
                                 table.outcome().status() == SectionOutcome::Status::NoData
                                     ? QColor(0x33, 0x41, 0x55)
                                     : QColor(0xb0, 0x00, 0x20));
            for (const ReconciliationWarning& w : table.outcome().warnings())
                layout.paragraph(u"⚠ "_s + w.message(locale), layout.body(), QColor(0x9a, 0x5b, 0x00));
            for (const QString& field : table.outcome().unavailableFields())
                layout.paragraph(
                    tr("Unavailable: %1 (%2)").arg(field, table.outcome().unavailableReason(field)),
                    layout.body(), QColor(0x9a, 0x5b, 0x00));
            if (!table.outcome().showsRows())
                continue;
            drawFigures(layout, figures);
            if (table.total() > table.rows().size())
                layout.paragraph(
                    tr("The first %1 of %2 rows, in the section's order; the XLSX export holds "
                       "every row. The totals are over all of them.")
                        .arg(locale.toString(table.rows().size()), locale.toString(table.total())),
                    layout.body(), QColor(0x44, 0x44, 0x44));
            drawTable(layout, table, locale);
        }
    }
    const int pages = layout.pages();
    layout.end();
    PdfRadicalRepair::apply(bytes);
    // A short write (a disk filling up) is followed by another, which fails with the cause to name.
    for (qsizetype at = 0; at < bytes.size();) {
        const qint64 written = file.write(bytes.constData() + at, bytes.size() - at);
        if (written <= 0)
            return Problem{
                u"export_failed"_s, tr("Could not write %1: %2").arg(path, file.errorString()), {}};
        at += written;
    }
    if (!file.commit())
        return Problem{u"export_failed"_s, tr("Could not write %1: %2").arg(path, file.errorString()), {}};
    return pages;
}

} // namespace riskdesk
