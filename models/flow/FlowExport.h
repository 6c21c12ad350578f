#pragma once

#include "FlowPainter.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QImage>

namespace riskdesk {

// A diagram as files: SVG through QSvgGenerator (with a <title> and <desc> for screen readers and search) and
// PNG at any scale, both drawn by FlowPainter.
class FlowExport {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FlowExport)

public:
    static QByteArray svg(const FlowLayout& layout, const FlowPalette& palette,
                          const FlowHighlight* highlight = nullptr);
    static QImage image(const FlowLayout& layout, const FlowPalette& palette, qreal scale,
                        const FlowHighlight* highlight = nullptr);

    static QString title(const FlowLayout& layout); // "<rule> flow"
    static QString description();
};

} // namespace riskdesk
