#include "FlowPainter.h"

#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

void drawArrow(QPainter& p, const QList<QPointF>& points, const QColor& color, qreal width) {
    if (points.size() < 2)
        return;
    QPen pen(color, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    // The line stops where the arrowhead begins, so the head's tip lands on the target.
    QList<QPointF> line = points;
    const QPointF tip = line.last(), from = line.at(line.size() - 2);
    const QPointF d = tip - from;
    const qreal length = std::hypot(d.x(), d.y());
    const QPointF unit = length > 0 ? d / length : QPointF(1, 0);
    line.last() = tip - unit * 8;
    p.drawPolyline(line.constData(), int(line.size()));
    const QPointF normal(-unit.y(), unit.x());
    const QPolygonF head{tip, tip - unit * 10 + normal * 3.5, tip - unit * 10 - normal * 3.5};
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawPolygon(head);
}

QColor truthColor(Truth t, const FlowPalette& palette) {
    return t == Truth::True ? palette.accent : t == Truth::False ? palette.passMark : palette.muted;
}

} // namespace

FlowHighlight FlowHighlight::fromEvaluation(const FlowSpec& spec, const RuleEvaluation& evaluation) {
    FlowHighlight h;
    h.outcome = evaluation.outcome;
    for (qsizetype i = 0; i < spec.conditionLines.size(); ++i) {
        const QString id = spec.conditionIds.value(i);
        std::optional<Truth> value;
        for (const ConditionOutcome& c : evaluation.conditions)
            if (c.id == id)
                value = c.value;
        h.conditionValues << value;
        if (!id.isEmpty() && evaluation.decidingConditions.contains(id))
            h.deciding.insert(int(i));
    }
    return h;
}

void FlowPainter::paint(QPainter& p, const FlowLayout& layout, const FlowPalette& palette,
                        const FlowHighlight* highlight) {
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(QRectF(QPointF(0, 0), layout.size), palette.background);
    p.setPen(QPen(palette.neutralBorder, 1, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(layout.frame, 8, 8);

    const bool hit = highlight && highlight->outcome == RuleEvaluation::Outcome::Hit;
    const bool passed = highlight && highlight->outcome == RuleEvaluation::Outcome::Pass;
    for (const FlowBox& b : layout.boxes) {
        const bool review = b.kind == FlowBox::Kind::Review;
        const bool taken = (review && hit) || (b.id == u"pass" && passed);
        QColor border = review ? palette.border : palette.neutralBorder;
        qreal borderWidth = 1.2;
        if (taken) {
            border = review ? palette.accent : palette.passMark;
            borderWidth = 2.4;
        }
        p.setPen(QPen(border, borderWidth));
        p.setBrush(review ? palette.surface : palette.neutralSurface);
        if (b.kind == FlowBox::Kind::Diamond) {
            const QRectF r = b.rect;
            p.drawPolygon(QPolygonF{QPointF(r.center().x(), r.top()), QPointF(r.right(), r.center().y()),
                                    QPointF(r.center().x(), r.bottom()), QPointF(r.left(), r.center().y())});
            continue;
        }
        p.drawRoundedRect(b.rect, 7, 7);
        if (b.kind != FlowBox::Kind::Panel) { // nodes carry a stripe: neutral, or the accent for review
            p.setPen(Qt::NoPen);
            p.setBrush(review ? palette.accent : (taken ? palette.passMark : palette.line));
            p.drawRoundedRect(QRectF(b.rect.left(), b.rect.top(), 3.5, b.rect.height()), 1.75, 1.75);
        }
    }

    for (const FlowEdge& e : layout.edges) {
        QColor color = e.accent ? palette.accent : palette.line;
        qreal width = e.accent ? 1.8 : 1.45;
        if (highlight && (e.id == u"yes" || e.id == u"no")) {
            const bool taken = (e.id == u"yes" && hit) || (e.id == u"no" && passed);
            if (taken) {
                color = e.id == u"yes" ? palette.accent : palette.passMark;
                width = 2.8;
            } else {
                color.setAlphaF(0.35); // the route the case did not take
            }
        }
        drawArrow(p, e.points, color, width);
    }

    for (const FlowText& t : layout.texts) {
        using Role = FlowText::Role;
        const bool strong = t.role == Role::Title || t.role == Role::PanelTitle ||
                            t.role == Role::DiamondTitle || t.role == Role::PanelLine;
        QColor color = t.accent ? palette.accentDark : strong ? palette.text : palette.muted;
        QFont font = FlowLayout::font(t.role);
        if (t.accent)
            font.setWeight(QFont::Bold);
        if (highlight && t.conditionIndex >= 0 && t.conditionIndex < highlight->conditionValues.size() &&
            highlight->conditionValues.at(t.conditionIndex)) {
            const Truth value = *highlight->conditionValues.at(t.conditionIndex);
            const QColor mark = truthColor(value, palette);
            if (highlight->deciding.contains(t.conditionIndex)) {
                QColor band = mark;
                band.setAlphaF(0.12);
                p.fillRect(t.rect.adjusted(-10, 0, 6, 0), band);
                font.setWeight(QFont::DemiBold);
            }
            // ✓ true, ✗ false, ? undecided: in the margin left of the line.
            p.setFont(FlowLayout::font(Role::PanelLine));
            p.setPen(mark);
            p.drawText(QRectF(t.rect.left() - 13, t.rect.top(), 12, t.rect.height()), Qt::AlignCenter,
                       value == Truth::True    ? u"✓"_s
                       : value == Truth::False ? u"✗"_s
                                               : u"?"_s);
        }
        p.setFont(font);
        p.setPen(color);
        p.drawText(t.rect,
                   Qt::TextSingleLine | Qt::AlignVCenter | (t.centered ? Qt::AlignHCenter : Qt::AlignLeft),
                   t.shown);
    }
    p.restore();
}

} // namespace riskdesk
