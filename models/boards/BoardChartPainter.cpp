#include "BoardChartPainter.h"

#include "PdfRadicalRepair.h"
#include "PeriodChange.h"
#include "ShareRounding.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QPolygonF>
#include <QSvgGenerator>
#include <algorithm>
#include <cmath>
#include <numbers>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr qreal kPad = 8;

QFont baseFont() {
    QFont f;
    // The family list of the flow diagrams: CJK-capable first, so measuring and drawing agree everywhere.
    f.setFamilies(
        {u"Noto Sans CJK SC"_s, u"Noto Sans SC"_s, u"Noto Sans"_s, u"DejaVu Sans"_s, u"sans-serif"_s});
    f.setStyleHint(QFont::SansSerif);
    f.setHintingPreference(QFont::PreferNoHinting);
    f.setPixelSize(11);
    return f;
}

QFont titleFont(const QFont& base) {
    QFont f = base;
    f.setPixelSize(base.pixelSize() > 0 ? base.pixelSize() + 2 : 13);
    f.setWeight(QFont::DemiBold);
    return f;
}

// A step of 1, 2 or 5 × 10^k covering span in about `parts` intervals.
qint64 niceStep(qint64 span, int parts) {
    const double raw = std::max(1.0, double(span) / parts);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / magnitude;
    const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return std::max<qint64>(1, qint64(nice * magnitude));
}

qint64 floorTo(qint64 v, qint64 step) {
    return v >= 0 ? (v / step) * step : -((-v + step - 1) / step) * step;
}

qint64 ceilTo(qint64 v, qint64 step) {
    return -floorTo(-v, step);
}

QColor mix(const QColor& a, const QColor& b, double t) {
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

qint64 sumOf(const QList<qint64>& values) {
    __int128 s = 0;
    for (qint64 v : values)
        s += v;
    return qint64(
        std::clamp<__int128>(s, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max()));
}

} // namespace

// Everything paint() and hitTest() must agree on, computed once from the rectangle and the font metrics.
struct BoardChartPainter::Layout {
    QRectF title;
    QRectF legend;
    QRectF plot;
    qint64 lo = 0;
    qint64 hi = 1;
    qint64 step = 1;
    qreal slot = 0;     // width of one category
    int labelEvery = 1; // category labels shown on every n-th category
    qreal rowLabelWidth = 0;
    // Bars, stacked segments and heat-map cells: where each (series, category) is, for drawing and hover.
    QList<QRectF> cells;
    QList<std::pair<qsizetype, qsizetype>> cellIds;
    QPointF center;
    qreal outer = 0;
    qreal inner = 0;
    QRectF donutLegend;

    qreal y(qint64 v) const { return plot.bottom() - double(v - lo) / double(hi - lo) * plot.height(); }
    qreal x(qsizetype c) const { return plot.left() + slot * (qreal(c) + 0.5); }
};

BoardChartPainter::Style BoardChartPainter::Style::light(TrendColors::Scheme trend) {
    Style s;
    s.background = QColor(0xff, 0xff, 0xff);
    s.text = QColor(0x1f, 0x23, 0x28);
    s.muted = QColor(0x6a, 0x73, 0x7d);
    s.grid = QColor(0xe3, 0xe6, 0xea);
    s.series = {QColor(0x2f, 0x6f, 0xde), QColor(0xe0, 0x85, 0x1f), QColor(0x2e, 0x9d, 0x7a),
                QColor(0x8e, 0x5b, 0xd0), QColor(0xc9, 0x45, 0x6b), QColor(0x5b, 0x6b, 0x80)};
    s.heatLow = QColor(0xee, 0xf3, 0xfb);
    s.heatHigh = QColor(0x1c, 0x4f, 0xb0);
    s.trend = trend;
    s.font = baseFont();
    return s;
}

BoardChartPainter::Style BoardChartPainter::Style::dark(TrendColors::Scheme trend) {
    Style s;
    s.background = QColor(0x1e, 0x20, 0x24);
    s.text = QColor(0xe6, 0xe8, 0xeb);
    s.muted = QColor(0x9a, 0xa3, 0xad);
    s.grid = QColor(0x37, 0x3b, 0x42);
    s.series = {QColor(0x6c, 0x9c, 0xf5), QColor(0xf2, 0xa5, 0x4a), QColor(0x4f, 0xc4, 0x9c),
                QColor(0xb3, 0x8a, 0xeb), QColor(0xe8, 0x72, 0x93), QColor(0x9a, 0xa8, 0xbb)};
    s.heatLow = QColor(0x26, 0x2b, 0x33);
    s.heatHigh = QColor(0x7f, 0xb0, 0xff);
    s.trend = trend;
    s.font = baseFont();
    return s;
}

BoardChartPainter::Style BoardChartPainter::Style::forBackground(const QColor& window,
                                                                 TrendColors::Scheme trend) {
    return window.lightnessF() < 0.5 ? dark(trend) : light(trend);
}

BoardChartPainter::BoardChartPainter(BoardChart chart, QLocale locale, Style style)
    : m_chart(std::move(chart)), m_locale(std::move(locale)), m_style(std::move(style)) {}

BoardChartPainter::Layout BoardChartPainter::layout(const QRectF& rect) const {
    Layout l;
    const BoardChart& c = m_chart;
    const QFontMetricsF fm(m_style.font);
    const QFontMetricsF tfm(titleFont(m_style.font));
    const qsizetype n = c.positions();
    if (c.kind == BoardChart::Kind::Sparkline) {
        l.plot = rect.adjusted(2, 2, -2, -2);
    } else {
        l.title =
            QRectF(rect.left() + kPad, rect.top() + kPad / 2, rect.width() - 2 * kPad, tfm.height() + 2);
        qreal top = l.title.bottom() + 2;
        const bool legend = c.kind != BoardChart::Kind::Donut && c.kind != BoardChart::Kind::HeatMap &&
                            (c.series.size() > 1 || c.previous);
        if (legend) {
            l.legend = QRectF(l.title.left(), top, l.title.width(), fm.height() + 4);
            top = l.legend.bottom() + 2;
        }
        l.plot =
            QRectF(rect.left() + kPad, top + 4, rect.width() - 2 * kPad, rect.bottom() - top - 4 - kPad / 2);
    }
    if (n == 0)
        return l;

    switch (c.kind) {
    case BoardChart::Kind::Line:
    case BoardChart::Kind::Bar:
    case BoardChart::Kind::StackedBar:
    case BoardChart::Kind::Sparkline: {
        qint64 lo = 0, hi = 0;
        bool first = true;
        auto take = [&](qint64 v) {
            lo = first ? v : std::min(lo, v);
            hi = first ? v : std::max(hi, v);
            first = false;
        };
        if (c.kind == BoardChart::Kind::StackedBar) {
            for (qsizetype k = 0; k < n; ++k) {
                qint64 up = 0, down = 0;
                for (const BoardChart::Series& s : c.series) {
                    const qint64 v = s.values.value(k);
                    (v >= 0 ? up : down) += v;
                }
                take(up);
                take(down);
            }
        } else {
            for (qint64 v : c.allValues())
                take(v);
            if (c.previous)
                for (qint64 v : c.previous->values)
                    take(v);
        }
        if (c.kind != BoardChart::Kind::Sparkline) {
            lo = std::min<qint64>(lo, 0); // bars and money lines start at zero
            hi = std::max<qint64>(hi, 0);
        }
        if (hi == lo)
            hi = lo + 1;
        if (c.kind == BoardChart::Kind::Sparkline) {
            l.lo = lo;
            l.hi = hi;
        } else {
            l.step = niceStep(hi - lo, 4);
            l.lo = floorTo(lo, l.step);
            l.hi = std::max(ceilTo(hi, l.step), l.lo + l.step);
            qreal labelWidth = 0;
            for (qint64 v = l.lo; v <= l.hi; v += l.step)
                labelWidth = std::max(labelWidth, fm.horizontalAdvance(c.axisText(v, m_locale)));
            l.plot.adjust(labelWidth + 6, 0, 0, -(fm.height() + 4));
        }
        l.slot = l.plot.width() / qreal(n);
        qreal categoryWidth = 0;
        for (qsizetype k = 0; k < n; ++k)
            categoryWidth = std::max(categoryWidth, fm.horizontalAdvance(c.categoryLabel(k, m_locale)));
        l.labelEvery = std::max(1, int(std::ceil((categoryWidth + 8) / std::max<qreal>(l.slot, 1))));
        if (c.kind == BoardChart::Kind::Bar) {
            const qsizetype ns = std::max<qsizetype>(1, c.series.size());
            const qreal group = l.slot * 0.72;
            for (qsizetype k = 0; k < n; ++k)
                for (qsizetype s = 0; s < c.series.size(); ++s) {
                    const qreal left = l.x(k) - group / 2 + group / qreal(ns) * qreal(s);
                    l.cells << QRectF(left, l.plot.top(), group / qreal(ns), l.plot.height());
                    l.cellIds << std::pair{s, k};
                }
        } else if (c.kind == BoardChart::Kind::StackedBar) {
            const qreal w = l.slot * 0.62;
            for (qsizetype k = 0; k < n; ++k) {
                qint64 up = 0, down = 0;
                for (qsizetype s = 0; s < c.series.size(); ++s) {
                    const qint64 v = c.series.at(s).values.value(k);
                    qint64& base = v >= 0 ? up : down;
                    const qreal y0 = l.y(base), y1 = l.y(base + v);
                    base += v;
                    l.cells << QRectF(QPointF(l.x(k) - w / 2, std::min(y0, y1)),
                                      QPointF(l.x(k) + w / 2, std::max(y0, y1)));
                    l.cellIds << std::pair{s, k};
                }
            }
        }
        break;
    }
    case BoardChart::Kind::Donut: {
        const qreal side = std::min(l.plot.height(), l.plot.width() * 0.45);
        l.outer = side / 2;
        l.inner = l.outer * 0.58;
        l.center = QPointF(l.plot.left() + l.outer + 4, l.plot.center().y());
        l.donutLegend = QRectF(l.center.x() + l.outer + 16, l.plot.top(),
                               l.plot.right() - (l.center.x() + l.outer + 16), l.plot.height());
        break;
    }
    case BoardChart::Kind::HeatMap: {
        for (const BoardChart::Series& s : c.series)
            l.rowLabelWidth = std::max(l.rowLabelWidth, fm.horizontalAdvance(s.name));
        l.plot.adjust(l.rowLabelWidth + 6, 0, 0, -(fm.height() + 4));
        l.slot = l.plot.width() / qreal(n);
        qreal categoryWidth = 0;
        for (qsizetype k = 0; k < n; ++k)
            categoryWidth = std::max(categoryWidth, fm.horizontalAdvance(c.categoryLabel(k, m_locale)));
        l.labelEvery = std::max(1, int(std::ceil((categoryWidth + 6) / std::max<qreal>(l.slot, 1))));
        const qreal rowHeight = l.plot.height() / qreal(std::max<qsizetype>(1, c.series.size()));
        for (qsizetype s = 0; s < c.series.size(); ++s)
            for (qsizetype k = 0; k < n; ++k) {
                l.cells << QRectF(l.plot.left() + l.slot * qreal(k), l.plot.top() + rowHeight * qreal(s),
                                  l.slot, rowHeight);
                l.cellIds << std::pair{s, k};
            }
        break;
    }
    }
    return l;
}

void BoardChartPainter::paint(QPainter& p, const QRectF& rect) const {
    const BoardChart& c = m_chart;
    const Layout l = layout(rect);
    const QFontMetricsF fm(m_style.font);
    const qsizetype n = c.positions();
    auto seriesColor = [&](qsizetype s) { return m_style.series.at(s % m_style.series.size()); };
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect, m_style.background);
    p.setFont(m_style.font);

    if (c.kind == BoardChart::Kind::Sparkline) {
        const BoardChart::Series* s = c.series.isEmpty() ? nullptr : &c.series.first();
        if (s && s->values.size() > 0) {
            QPolygonF line;
            for (qsizetype k = 0; k < s->values.size(); ++k)
                line << QPointF(l.x(s->first + k), l.y(s->values.at(k)));
            p.setPen(QPen(seriesColor(0), 1.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p.drawPolyline(line);
            p.setPen(Qt::NoPen);
            p.setBrush(seriesColor(0));
            p.drawEllipse(line.last(), 2.2, 2.2);
        }
        p.restore();
        return;
    }

    p.setPen(m_style.text);
    p.setFont(titleFont(m_style.font));
    p.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(titleFont(m_style.font)).elidedText(c.title, Qt::ElideRight, l.title.width()));
    p.setFont(m_style.font);

    if (!l.legend.isNull()) {
        qreal x = l.legend.left();
        const qreal mid = l.legend.center().y();
        auto entry = [&](const QString& name, const QColor& color, bool dashed) {
            p.setPen(QPen(color, 2, dashed ? Qt::DashLine : Qt::SolidLine));
            p.drawLine(QPointF(x, mid), QPointF(x + 14, mid));
            x += 18;
            p.setPen(m_style.text);
            const qreal w = fm.horizontalAdvance(name);
            p.drawText(QRectF(x, l.legend.top(), w + 1, l.legend.height()), Qt::AlignVCenter, name);
            x += w + 14;
        };
        for (qsizetype s = 0; s < c.series.size(); ++s)
            entry(c.series.at(s).name, seriesColor(s), false);
        if (c.previous) {
            entry(c.previous->name, m_style.muted, true);
            // The change of the whole period: arrow and sign always, colour by the 涨跌颜色 setting.
            if (!c.series.isEmpty()) {
                const PeriodChange change =
                    PeriodChange::of(sumOf(c.series.first().values), sumOf(c.previous->values));
                const QString text = (change.arrow() + u' ' + change.text()).trimmed();
                p.setPen(TrendColors::colorFor(change.trend(), m_style.trend));
                p.drawText(QRectF(x, l.legend.top(), fm.horizontalAdvance(text) + 1, l.legend.height()),
                           Qt::AlignVCenter, text);
            }
        }
    }

    if (c.isEmpty()) {
        p.setPen(m_style.muted);
        p.drawText(l.plot, Qt::AlignCenter, tr("No data"));
        p.restore();
        return;
    }

    const bool axes = c.kind == BoardChart::Kind::Line || c.kind == BoardChart::Kind::Bar ||
                      c.kind == BoardChart::Kind::StackedBar;
    if (axes) {
        for (qint64 v = l.lo; v <= l.hi; v += l.step) {
            const qreal y = l.y(v);
            p.setPen(QPen(v == 0 ? m_style.muted : m_style.grid, 1));
            p.drawLine(QPointF(l.plot.left(), y), QPointF(l.plot.right(), y));
            p.setPen(m_style.muted);
            p.drawText(QRectF(rect.left(), y - fm.height() / 2, l.plot.left() - rect.left() - 6, fm.height()),
                       Qt::AlignRight | Qt::AlignVCenter, c.axisText(v, m_locale));
        }
    }
    if (axes || c.kind == BoardChart::Kind::HeatMap) {
        p.setPen(m_style.muted);
        for (qsizetype k = 0; k < n; k += l.labelEvery) {
            const QString label = c.categoryLabel(k, m_locale);
            const qreal w = fm.horizontalAdvance(label) + 2;
            const qreal cx =
                c.kind == BoardChart::Kind::HeatMap ? l.plot.left() + l.slot * (qreal(k) + 0.5) : l.x(k);
            p.drawText(QRectF(cx - w / 2, l.plot.bottom() + 3, w, fm.height()), Qt::AlignCenter, label);
        }
    }

    switch (c.kind) {
    case BoardChart::Kind::Line: {
        auto drawLine = [&](const BoardChart::Series& s, const QColor& color, bool dashed) {
            QPolygonF line;
            for (qsizetype k = 0; k < s.values.size() && s.first + k < n; ++k)
                line << QPointF(l.x(s.first + k), l.y(s.values.at(k)));
            // Segment by segment: a wide antialiased polyline is stroked as one self-intersecting path, which
            // costs the raster engine ~25 ms for a month of jagged days; segments cost well under 1 ms. The
            // dash offset carries on from segment to segment, so the pattern stays continuous.
            // Flat caps where the dots cover the joints: round caps cost the stroker more.
            const bool dots = !dashed && line.size() <= 40;
            QPen pen(color, dashed ? 1.5 : 2, dashed ? Qt::DashLine : Qt::SolidLine,
                     dots ? Qt::FlatCap : Qt::RoundCap, Qt::RoundJoin);
            p.setBrush(Qt::NoBrush);
            qreal travelled = 0;
            for (qsizetype i = 1; i < line.size(); ++i) {
                if (dashed) // on a solid pen an offset would turn it into an empty custom dash
                    pen.setDashOffset(travelled / pen.widthF());
                p.setPen(pen);
                p.drawLine(line.at(i - 1), line.at(i));
                const QPointF d = line.at(i) - line.at(i - 1);
                travelled += std::hypot(d.x(), d.y());
            }
            if (dots) {
                p.setPen(Qt::NoPen);
                p.setBrush(color);
                for (const QPointF& pt : line)
                    p.drawEllipse(pt, 2.5, 2.5);
            }
        };
        if (c.previous)
            drawLine(*c.previous, m_style.muted, true);
        for (qsizetype s = 0; s < c.series.size(); ++s)
            drawLine(c.series.at(s), seriesColor(s), false);
        break;
    }
    case BoardChart::Kind::Bar:
        p.setPen(Qt::NoPen);
        for (qsizetype i = 0; i < l.cells.size(); ++i) {
            const auto [s, k] = l.cellIds.at(i);
            const QRectF column = l.cells.at(i);
            const qreal y0 = l.y(0), y1 = l.y(c.series.at(s).values.value(k));
            p.setBrush(seriesColor(s));
            p.drawRect(QRectF(QPointF(column.left() + 0.5, std::min(y0, y1)),
                              QPointF(column.right() - 0.5, std::max(y0, y1))));
        }
        break;
    case BoardChart::Kind::StackedBar:
        p.setPen(QPen(m_style.background, 0.8));
        for (qsizetype i = 0; i < l.cells.size(); ++i) {
            p.setBrush(seriesColor(l.cellIds.at(i).first));
            p.drawRect(l.cells.at(i));
        }
        break;
    case BoardChart::Kind::Donut: {
        const QList<qint64> values = c.series.isEmpty() ? QList<qint64>() : c.series.first().values;
        qint64 total = 0;
        for (qint64 v : values)
            total += std::max<qint64>(0, v);
        const QRectF outer(l.center - QPointF(l.outer, l.outer), QSizeF(2 * l.outer, 2 * l.outer));
        const QRectF inner(l.center - QPointF(l.inner, l.inner), QSizeF(2 * l.inner, 2 * l.inner));
        double start = 90; // twelve o'clock, clockwise
        p.setPen(QPen(m_style.background, 1.2));
        for (qsizetype k = 0; k < values.size() && total > 0; ++k) {
            const double span = 360.0 * double(std::max<qint64>(0, values.at(k))) / double(total);
            QPainterPath path;
            path.arcMoveTo(outer, start);
            path.arcTo(outer, start, -span);
            path.arcTo(inner, start - span, span);
            path.closeSubpath();
            p.setBrush(seriesColor(k));
            p.drawPath(path);
            start -= span;
        }
        p.setPen(m_style.text);
        p.drawText(inner, Qt::AlignCenter, c.axisText(total, m_locale));
        const auto shares = ShareRounding::tenthsOfPercent(values);
        qreal y = l.donutLegend.top();
        const qreal row = fm.height() + 4;
        for (qsizetype k = 0; k < values.size() && y + row <= l.donutLegend.bottom() + 1; ++k, y += row) {
            p.setPen(Qt::NoPen);
            p.setBrush(seriesColor(k));
            p.drawRect(QRectF(l.donutLegend.left(), y + row / 2 - 4, 8, 8));
            p.setPen(m_style.text);
            QString text = c.categoryLabel(k, m_locale) + u"  "_s + c.axisText(values.at(k), m_locale);
            if (shares)
                text += u"  "_s + ShareRounding::percentText(shares.value().value(k));
            p.drawText(QRectF(l.donutLegend.left() + 14, y, l.donutLegend.width() - 14, row),
                       Qt::AlignVCenter, fm.elidedText(text, Qt::ElideRight, l.donutLegend.width() - 14));
        }
        break;
    }
    case BoardChart::Kind::HeatMap: {
        const QList<qint64> all = c.allValues();
        const qint64 top = all.isEmpty() ? 0 : *std::max_element(all.cbegin(), all.cend());
        p.setPen(QPen(m_style.background, 1));
        for (qsizetype i = 0; i < l.cells.size(); ++i) {
            const auto [s, k] = l.cellIds.at(i);
            const qint64 v = c.series.at(s).values.value(k);
            p.setBrush(mix(m_style.heatLow, m_style.heatHigh, top > 0 ? double(v) / double(top) : 0));
            p.drawRect(l.cells.at(i));
        }
        p.setPen(m_style.muted);
        const qreal rowHeight = l.plot.height() / qreal(std::max<qsizetype>(1, c.series.size()));
        for (qsizetype s = 0; s < c.series.size(); ++s)
            p.drawText(QRectF(rect.left(), l.plot.top() + rowHeight * qreal(s),
                              l.plot.left() - rect.left() - 6, rowHeight),
                       Qt::AlignRight | Qt::AlignVCenter, c.series.at(s).name);
        break;
    }
    case BoardChart::Kind::Sparkline:
        break;
    }
    p.restore();
}

std::optional<QString> BoardChartPainter::hitTest(const QRectF& rect, const QPointF& point) const {
    const BoardChart& c = m_chart;
    if (c.isEmpty() || !rect.contains(point))
        return std::nullopt;
    const Layout l = layout(rect);
    switch (c.kind) {
    case BoardChart::Kind::Line:
    case BoardChart::Kind::Sparkline: {
        if (point.x() < l.plot.left() || point.x() >= l.plot.right() || point.y() < l.plot.top() - 6 ||
            point.y() > l.plot.bottom() + 6)
            return std::nullopt;
        const qsizetype k =
            std::clamp<qsizetype>(qsizetype((point.x() - l.plot.left()) / l.slot), 0, c.positions() - 1);
        // The nearest line at that category, the previous period's included (series index -1).
        qsizetype best = -2;
        qreal distance = 0;
        for (qsizetype s = c.previous ? -1 : 0; s < c.series.size(); ++s) {
            const BoardChart::Series& line = s < 0 ? *c.previous : c.series.at(s);
            const std::optional<qint64> v = line.at(k);
            if (!v)
                continue;
            const qreal d = std::abs(l.y(*v) - point.y());
            if (best == -2 || d < distance) {
                best = s;
                distance = d;
            }
        }
        if (best == -2)
            return std::nullopt;
        return c.pointText(best, k, m_locale);
    }
    case BoardChart::Kind::Bar:
    case BoardChart::Kind::StackedBar:
    case BoardChart::Kind::HeatMap:
        for (qsizetype i = 0; i < l.cells.size(); ++i)
            if (l.cells.at(i).contains(point))
                return c.pointText(l.cellIds.at(i).first, l.cellIds.at(i).second, m_locale);
        return std::nullopt;
    case BoardChart::Kind::Donut: {
        const QPointF d = point - l.center;
        const qreal r = std::hypot(d.x(), d.y());
        if (r < l.inner || r > l.outer || c.series.isEmpty())
            return std::nullopt;
        // Degrees clockwise from twelve o'clock, as the slices are drawn.
        double angle = 90.0 - std::atan2(-d.y(), d.x()) * 180.0 / std::numbers::pi;
        angle = std::fmod(angle + 360.0, 360.0);
        const QList<qint64>& values = c.series.first().values;
        qint64 total = 0;
        for (qint64 v : values)
            total += std::max<qint64>(0, v);
        double start = 0;
        for (qsizetype k = 0; k < values.size() && total > 0; ++k) {
            const double span = 360.0 * double(std::max<qint64>(0, values.at(k))) / double(total);
            if (span > 0 && angle >= start && angle < start + span)
                return c.pointText(0, k, m_locale);
            start += span;
        }
        return std::nullopt;
    }
    }
    return std::nullopt;
}

QImage BoardChartPainter::image(const QSize& size, qreal devicePixelRatio) const {
    if (size.isEmpty())
        return {};
    QImage image(size * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(m_style.background);
    QPainter painter(&image);
    paint(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    painter.end();
    return image;
}

QByteArray BoardChartPainter::svg(const QSize& size) const {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRectF(QPointF(0, 0), QSizeF(size)));
    generator.setResolution(96);
    generator.setTitle(m_chart.title);
    generator.setDescription(m_chart.description(m_locale));
    QPainter painter(&generator);
    paint(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    painter.end();
    return bytes;
}

QByteArray BoardChartPainter::pdf(const QSize& size) const {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setTitle(m_chart.title);
    writer.setResolution(300);
    // 96-dpi pixels to points: 72/96.
    writer.setPageSize(QPageSize(QSizeF(size) * 0.75, QPageSize::Point, QString(), QPageSize::ExactMatch));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter(&writer);
    const qreal scale = writer.resolution() / 96.0;
    painter.scale(scale, scale);
    paint(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    painter.end();
    PdfRadicalRepair::apply(bytes);
    return bytes;
}

} // namespace riskdesk
