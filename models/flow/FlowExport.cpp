#include "FlowExport.h"

#include <QBuffer>
#include <QPainter>
#include <QSvgGenerator>
#include <cmath>

namespace riskdesk {

QString FlowExport::title(const FlowLayout& layout) {
    return tr("%1 flow").arg(layout.title);
}

QString FlowExport::description() {
    return tr(
        "A read-only risk rule flow diagram showing field facts, set intersections, date ranges, exception "
        "wording and the hit path.");
}

QByteArray FlowExport::svg(const FlowLayout& layout, const FlowPalette& palette,
                           const FlowHighlight* highlight) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(layout.size.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), layout.size));
    generator.setResolution(96); // canvas pixels are CSS pixels
    generator.setTitle(title(layout));
    generator.setDescription(description());
    QPainter painter(&generator);
    FlowPainter::paint(painter, layout, palette, highlight);
    painter.end();
    return bytes;
}

QImage FlowExport::image(const FlowLayout& layout, const FlowPalette& palette, qreal scale,
                         const FlowHighlight* highlight) {
    const QSize size(int(std::ceil(layout.size.width() * scale)),
                     int(std::ceil(layout.size.height() * scale)));
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(palette.background);
    QPainter painter(&image);
    painter.scale(scale, scale);
    FlowPainter::paint(painter, layout, palette, highlight);
    painter.end();
    return image;
}

} // namespace riskdesk
