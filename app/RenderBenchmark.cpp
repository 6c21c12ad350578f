#include "RenderBenchmark.h"

#include "CommandParser.h"
#include "Console.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "flow/FlowExport.h"
#include "flow/FlowSpecBuilder.h"
#include "settings/AppSettings.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTextStream>
#include <algorithm>
#include <cstdlib>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// The share of 8×8 cells whose mean grey differs by more than 32 levels: text is antialiased differently by
// the two renderers, so single pixels may differ, but a box, an edge or a label drawn elsewhere shows up.
double cellsApart(const QImage& a, const QImage& b) {
    constexpr int kCell = 8;
    qint64 cells = 0, apart = 0;
    for (int y = 0; y + kCell <= a.height(); y += kCell)
        for (int x = 0; x + kCell <= a.width(); x += kCell) {
            int sumA = 0, sumB = 0;
            for (int dy = 0; dy < kCell; ++dy)
                for (int dx = 0; dx < kCell; ++dx) {
                    sumA += qGray(a.pixel(x + dx, y + dy));
                    sumB += qGray(b.pixel(x + dx, y + dy));
                }
            ++cells;
            apart += std::abs(sumA - sumB) > 32 * kCell * kCell;
        }
    return cells > 0 ? double(apart) / double(cells) : 1.0;
}

bool blank(const QImage& image) {
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixel(x, y) != image.pixel(0, 0))
                return false;
    return true;
}

double medianMs(QList<qint64> ns) {
    std::sort(ns.begin(), ns.end());
    return ns.isEmpty() ? 0 : double(ns.at(ns.size() / 2)) / 1e6;
}

} // namespace

int RenderBenchmark::run(const QStringList& arguments, AppSettings& /*settings*/) {
    CommandParser parser(u"render"_s, {});
    parser.addOption(
        {u"repeat"_s, u"Paints of each kind; the median is reported (default 300)."_s, u"N"_s, u"300"_s});
    parser.addOption({u"exports"_s, u"Diagrams exported to SVG (default 10000)."_s, u"N"_s, u"10000"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const int repeat = parser.value(u"repeat"_s).toInt();
    const int exports = parser.value(u"exports"_s).toInt();
    if (repeat <= 0 || exports <= 0) {
        QTextStream(stderr) << "riskdesk: --repeat and --exports must be positive." << Qt::endl;
        return 2;
    }
    const QJsonArray rules = DemoWorkspaceBuilder::rulePayloads();
    QTextStream& out = Console::out();

    // 1. One diagram (the route-city rule), painted into the same image again and again.
    const FlowLayout layout = FlowLayout::compute(FlowSpecBuilder::build(rules.at(0).toObject()));
    const FlowPalette palette = FlowPalette::forSeverity(layout.severity);
    const QByteArray svg = FlowExport::svg(layout, palette);
    QImage image(layout.size.toSize(), QImage::Format_ARGB32_Premultiplied);
    QList<qint64> painted, fromSvg;
    QElapsedTimer t;
    for (int i = 0; i < repeat; ++i) {
        t.start();
        QPainter p(&image);
        FlowPainter::paint(p, layout, palette);
        p.end();
        painted << t.nsecsElapsed();
    }
    // The SVG path: what a client of the reference does with its SVG string (parse, then draw).
    for (int i = 0; i < repeat; ++i) {
        t.start();
        QSvgRenderer renderer(svg);
        QPainter p(&image);
        renderer.render(&p);
        p.end();
        fromSvg << t.nsecsElapsed();
    }
    // Drawing an already parsed SVG, for fairness to renderers that cache the document.
    QList<qint64> fromParsedSvg;
    QSvgRenderer parsed(svg);
    for (int i = 0; i < repeat; ++i) {
        t.start();
        QPainter p(&image);
        parsed.render(&p);
        p.end();
        fromParsedSvg << t.nsecsElapsed();
    }

    // The two sides must draw the same diagram.
    {
        QImage ours(layout.size.toSize(), QImage::Format_ARGB32);
        QImage theirs(ours.size(), QImage::Format_ARGB32);
        ours.fill(Qt::white);
        theirs.fill(Qt::white);
        QPainter p(&ours);
        FlowPainter::paint(p, layout, palette);
        p.end();
        QSvgRenderer renderer(svg);
        p.begin(&theirs);
        renderer.render(&p);
        p.end();
        const double apart = cellsApart(ours, theirs);
        if (!renderer.isValid() || renderer.viewBox().size() != ours.size() || blank(ours) || blank(theirs) ||
            apart > 0.05)
            return Console::fail(
                u"FlowPainter and the SVG draw different diagrams (SVG %1, %2×%3 against "
                "%4×%5, %6% of cells apart)."_s.arg(renderer.isValid() ? u"valid"_s : u"invalid"_s)
                    .arg(renderer.viewBox().width())
                    .arg(renderer.viewBox().height())
                    .arg(ours.width())
                    .arg(ours.height())
                    .arg(apart * 100, 0, 'f', 1));
        out << u"The SVG path draws the same diagram: %1% of 8×8 cells differ in mean grey by more than 32 "
               "levels (antialiased text)."_s.arg(apart * 100, 0, 'f', 1)
            << Qt::endl;
    }

    // 2. Exports: every demo rule in turn, spec to layout to an SVG file.
    QTemporaryDir dir;
    t.start();
    for (int i = 0; i < exports; ++i) {
        const QJsonObject rule = rules.at(i % rules.size()).toObject();
        const FlowLayout l = FlowLayout::compute(FlowSpecBuilder::build(rule));
        QFile svgFile(dir.filePath(u"%1.svg"_s.arg(i)));
        if (!svgFile.open(QIODevice::WriteOnly) ||
            svgFile.write(FlowExport::svg(l, FlowPalette::forSeverity(l.severity))) <= 0) {
            out << "cannot write " << svgFile.fileName() << Qt::endl;
            return 1;
        }
    }
    const double exportSeconds = double(t.nsecsElapsed()) / 1e9;

    const double ours = medianMs(painted), svgMs = medianMs(fromSvg), parsedMs = medianMs(fromParsedSvg);
    out << u"Render benchmark: one %1×%2 diagram, median of %3 paints; %4 SVG exports."_s
               .arg(layout.size.width())
               .arg(layout.size.height())
               .arg(repeat)
               .arg(exports)
        << Qt::endl
        << "| measurement | time | vs FlowPainter |" << Qt::endl
        << "|---|---|---|" << Qt::endl
        << u"| FlowPainter to an image | %1 ms | 1× |"_s.arg(ours, 0, 'f', 3) << Qt::endl
        << u"| QSvgRenderer: parse the SVG and draw it | %1 ms | %2× slower |"_s.arg(svgMs, 0, 'f', 3)
               .arg(svgMs / ours, 0, 'f', 1)
        << Qt::endl
        << u"| QSvgRenderer: draw an already parsed SVG | %1 ms | %2× slower |"_s.arg(parsedMs, 0, 'f', 3)
               .arg(parsedMs / ours, 0, 'f', 1)
        << Qt::endl
        << u"| %1 diagrams exported to SVG files (spec, layout, SVG) | %2 s | %3 per diagram |"_s.arg(exports)
               .arg(exportSeconds, 0, 'f', 2)
               .arg(u"%1 ms"_s.arg(exportSeconds * 1000 / exports, 0, 'f', 2))
        << Qt::endl;
    return 0;
}

} // namespace riskdesk
