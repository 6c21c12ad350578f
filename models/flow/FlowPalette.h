#pragma once

#include <QColor>
#include <QString>

namespace riskdesk {

// The colours of a diagram: the severity's accent (the review node, the "yes" edge) on neutral surfaces. The
// light palette is the reference's; the dark one keeps the accents and turns the surfaces for a dark theme.
struct FlowPalette {
    QColor accent;
    QColor accentDark; // the "yes" label
    QColor border;     // the review node's border
    QColor surface;    // the review node's fill
    QColor text;
    QColor muted;
    QColor line; // neutral edges and arrows
    QColor neutralBorder;
    QColor neutralSurface;
    QColor background;
    QColor passMark; // a condition that held false on a case's path / the pass route taken

    // low, medium, high, critical; anything else is medium.
    static FlowPalette forSeverity(const QString& severity, bool dark = false);
};

} // namespace riskdesk
