#pragma once

#include "FlowLayout.h"
#include "FlowPalette.h"
#include "engine/RuleEvaluator.h"

#include <QList>
#include <QSet>
#include <optional>

class QPainter;

namespace riskdesk {

// The path one case took through a rule: each condition line's value, the conditions that decided it and
// the outcome, from the engine's explanation.
struct FlowHighlight {
    // By condition line; empty where the line names no evaluated condition (a flow model's own nodes).
    QList<std::optional<Truth>> conditionValues;
    QSet<int> deciding; // condition lines that settled the outcome
    RuleEvaluation::Outcome outcome = RuleEvaluation::Outcome::Pass;

    static FlowHighlight fromEvaluation(const FlowSpec& spec, const RuleEvaluation& evaluation);
};

// Draws a laid-out diagram with any QPainter: the widget's paintEvent, PNG images and SVG export all go
// through here, so what is exported is what was shown. Canvas units are pixels at scale 1.
class FlowPainter {
public:
    static void paint(QPainter& painter, const FlowLayout& layout, const FlowPalette& palette,
                      const FlowHighlight* highlight = nullptr);
};

} // namespace riskdesk
