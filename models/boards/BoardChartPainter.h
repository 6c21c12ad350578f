#pragma once

#include "BoardChart.h"
#include "TrendColors.h"

#include <QColor>
#include <QFont>
#include <QImage>
#include <QList>
#include <QLocale>
#include <QRectF>
#include <optional>

class QPainter;

namespace riskdesk {

// Draws a BoardChart with any QPainter (spec §2.11): the widget's paintEvent, PNG, SVG and PDF all go through
// here, so what is exported is what was shown. No widgets: the same code runs in the command line's exports.
// Units are pixels at 96 dpi; a caller on a printer-resolution device scales the painter first (pdf() does).
// Text is measured with the font's real metrics, so labels never overlap whatever the language.
class BoardChartPainter {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardChartPainter)

public:
    struct Style {
        QColor background;
        QColor text;
        QColor muted; // axis labels, the previous period
        QColor grid;
        QList<QColor> series;
        QColor heatLow;
        QColor heatHigh;
        TrendColors::Scheme trend = TrendColors::Scheme::GreenUp;
        QFont font; // labels; the title is the same family, bold

        static Style light(TrendColors::Scheme trend);
        static Style dark(TrendColors::Scheme trend);
        // Light or dark from a window colour's lightness (the widget's palette).
        static Style forBackground(const QColor& window, TrendColors::Scheme trend);
    };

    BoardChartPainter(BoardChart chart, QLocale locale, Style style);

    const BoardChart& chart() const { return m_chart; }
    const Style& style() const { return m_style; }

    void paint(QPainter& painter, const QRectF& rect) const;
    // The exact value under a point of a chart painted into rect ("Cash inflow · May 31: ¥1,234.56"), or
    // nothing when the point is on no data.
    std::optional<QString> hitTest(const QRectF& rect, const QPointF& point) const;

    // The chart as a PNG-ready image of size (in 96-dpi pixels) at a device pixel ratio; null for an empty
    // size.
    QImage image(const QSize& size, qreal devicePixelRatio = 1) const;
    // SVG (vector) with the title and description in the file.
    QByteArray svg(const QSize& size) const;
    // One PDF page of size (in 96-dpi pixels), vector.
    QByteArray pdf(const QSize& size) const;

private:
    struct Layout;
    Layout layout(const QRectF& rect) const;

    BoardChart m_chart;
    QLocale m_locale;
    Style m_style;
};

} // namespace riskdesk
