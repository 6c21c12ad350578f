#pragma once

#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk-bench render: painting one rule's diagram to an image with FlowPainter against QSvgRenderer
// drawing the same diagram's SVG, in the same run; and exporting 10,000 diagrams to SVG files.
class RenderBenchmark {
public:
    static int run(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
