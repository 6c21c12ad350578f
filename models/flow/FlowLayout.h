#pragma once

#include "FlowSpec.h"

#include <QCoreApplication>
#include <QFont>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>

namespace riskdesk {

// One line of text placed on the canvas: what is drawn (shortened with an ellipsis when it had to be) and the
// whole text, for tooltips and accessibility.
struct FlowText {
    enum class Role { Title, Body, PanelTitle, PanelLine, DiamondTitle, DiamondBody, Label, Header };
    Role role = Role::Body;
    QString shown;
    QString full;
    QRectF rect; // the line's box; text is drawn inside it
    bool centered = false;
    int conditionIndex = -1; // for a condition line: which condition of the spec
    bool accent = false;     // drawn in the severity's colour (the "yes" label)
    bool elided = false;     // shown ends in an ellipsis where the text was cut

    bool shortened() const { return elided; }
};

struct FlowBox {
    enum class Kind { Node, Panel, Diamond, Review };
    QString id; // start, facts, conditions, logic, pass, review
    Kind kind = Kind::Node;
    QRectF rect;
};

struct FlowEdge {
    QString id; // input, facts, conditions, no, yes
    QList<QPointF> points;
    bool accent = false;
};

// A diagram's geometry, computed from its spec with real font metrics (so Chinese and Latin text both fit),
// with no painting: FlowPainter draws it, the widget maps tooltips through it, tests check it. The default
// composition is the reference's: business input → field facts → conditions → hit-logic diamond → continue /
// to review. Longer content widens the panels and lengthens the boxes, up to a limit; past it, text is
// shortened with an ellipsis.
struct FlowLayout {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FlowLayout)

public:
    QSizeF size;
    QRectF frame;
    QList<FlowBox> boxes;
    QList<FlowText> texts;
    QList<FlowEdge> edges;
    QString title; // the spec's title, for accessibility and export
    QString severity;

    static FlowLayout compute(const FlowSpec& spec);
    static QFont font(FlowText::Role role);
    // Text wrapped to a measured width in at most maxLines lines, breaking only where Unicode allows a line
    // break (QTextBoundaryFinder), preferring the end of a clause, and never leaving one character alone on
    // the last line. The last allowed line ends in an ellipsis if text is left over (*cut then says so).
    static QStringList wrap(const QString& text, const QFont& font, qreal width, int maxLines,
                            bool* cut = nullptr);

    // The text under a canvas point, if any.
    const FlowText* textAt(QPointF point) const;
};

} // namespace riskdesk
