#include "FlowLayout.h"

#include <QFontMetricsF>
#include <QTextBoundaryFinder>
#include <algorithm>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// The reference's canvas, and how far content may grow it.
constexpr qreal kWidth = 860, kHeight = 360, kMaxWidth = 1240, kMaxHeight = 760;
constexpr qreal kPanelX = 196, kFactsY = 64, kPanelLine = 18, kNodeLine = 15;
constexpr qreal kNodeWidth = 122, kDiamondCenterY = 141;
constexpr int kMaxNodeLines = 3, kMaxDiamondLines = 3;

// After a space or a clause's punctuation a line reads as finished: the preferred place to end one.
bool endsClause(const QString& text, qsizetype at) {
    if (at <= 0 || at > text.size())
        return false;
    static const QString marks = u" ，。、；：！？）」』,;:!?)"_s;
    return marks.contains(text.at(at - 1));
}

// Letters and ideographs in a line, punctuation and spaces not counted.
qsizetype letters(QStringView line) {
    qsizetype n = 0;
    for (QChar c : line)
        n += c.isLetterOrNumber() && !c.isLowSurrogate();
    return n;
}

qreal widest(const QStringList& lines, const QFont& font) {
    const QFontMetricsF fm(font);
    qreal w = 0;
    for (const QString& l : lines)
        w = std::max(w, fm.horizontalAdvance(l));
    return w;
}

} // namespace

QStringList FlowLayout::wrap(const QString& input, const QFont& font, qreal width, int maxLines, bool* cut) {
    const QFontMetricsF fm(font);
    const QString text = input.trimmed();
    if (cut)
        *cut = false;
    if (text.isEmpty() || maxLines < 1)
        return {QString()};
    // Where a line may end (UAX #14): between two ideographs, after a space, never before a closing mark.
    QList<qsizetype> breaks;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Line, text);
    for (qsizetype at = finder.toNextBoundary(); at > 0; at = finder.toNextBoundary())
        breaks << at;
    auto span = [&](qsizetype from, qsizetype to) {
        return QStringView(text).mid(from, to - from).trimmed();
    };
    auto fits = [&](qsizetype from, qsizetype to) {
        return fm.horizontalAdvance(span(from, to).toString()) <= width;
    };

    QList<qsizetype> ends; // where each line ends
    qsizetype start = 0;
    while (start < text.size()) {
        if (ends.size() == maxLines - 1 || fits(start, text.size())) {
            ends << text.size();
            break;
        }
        qsizetype furthest = -1, clause = -1;
        for (qsizetype at : breaks) {
            if (at <= start)
                continue;
            if (!fits(start, at))
                break;
            furthest = at;
            if (endsClause(text, at))
                clause = at;
        }
        qsizetype end = furthest;
        if (furthest < 0) { // one word wider than the line: cut it where it must be cut
            end = start + 1;
            while (end < text.size() && fits(start, end + 1))
                ++end;
            if (end < text.size() && text.at(end).isLowSurrogate())
                ++end;
        } else if (clause > start && (clause - start) * 3 > (furthest - start)) {
            end = clause; // a clause that fills a third of the line or more ends it
        }
        ends << end;
        start = end;
        while (start < text.size() && text.at(start).isSpace())
            ++start;
    }

    // A single character alone on the last line ("继续流" / "转") reads as a mistake: the line before gives
    // it company, ending at an earlier break that still lets the last line fit.
    const qsizetype n = ends.size();
    if (n >= 2 && fits(ends.at(n - 2), text.size()) && letters(span(ends.at(n - 2), text.size())) <= 1) {
        const qsizetype previousStart = n >= 3 ? ends.at(n - 3) : 0;
        for (auto it = breaks.crbegin(); it != breaks.crend(); ++it)
            if (*it < ends.at(n - 2) && letters(span(previousStart, *it)) >= 2 && fits(*it, text.size())) {
                ends[n - 2] = *it;
                break;
            }
    }

    QStringList lines;
    qsizetype from = 0;
    for (qsizetype end : ends) {
        lines << span(from, end).toString();
        from = end;
    }
    if (!fits(n >= 2 ? ends.at(n - 2) : 0, text.size())) {
        lines.last() = fm.elidedText(lines.last(), Qt::ElideRight, width);
        if (cut)
            *cut = true;
    }
    return lines;
}

QFont FlowLayout::font(FlowText::Role role) {
    QFont f;
    // One family list everywhere (widget, PNG, SVG), CJK-capable first, so that measuring and drawing agree.
    f.setFamilies(
        {u"Noto Sans CJK SC"_s, u"Noto Sans SC"_s, u"Noto Sans"_s, u"DejaVu Sans"_s, u"sans-serif"_s});
    f.setStyleHint(QFont::SansSerif);
    f.setHintingPreference(QFont::PreferNoHinting); // the same shapes at every zoom and in every export
    switch (role) {
    case FlowText::Role::Title:
    case FlowText::Role::PanelTitle:
        f.setPixelSize(13);
        f.setWeight(QFont::DemiBold);
        break;
    case FlowText::Role::DiamondTitle:
        f.setPixelSize(12);
        f.setWeight(QFont::DemiBold);
        break;
    case FlowText::Role::DiamondBody:
        f.setPixelSize(10);
        break;
    case FlowText::Role::Label:
        f.setPixelSize(11);
        f.setWeight(QFont::Medium);
        break;
    case FlowText::Role::Header:
        f.setPixelSize(11);
        f.setWeight(QFont::Medium);
        break;
    case FlowText::Role::Body:
    case FlowText::Role::PanelLine:
        f.setPixelSize(11);
        break;
    }
    return f;
}

FlowLayout FlowLayout::compute(const FlowSpec& spec) {
    FlowLayout out;
    out.title = spec.title;
    out.severity = spec.severity;
    const QFont panelLine = font(FlowText::Role::PanelLine), panelTitle = font(FlowText::Role::PanelTitle);

    QStringList facts = spec.factLines.mid(0, 4);
    if (facts.isEmpty())
        facts << tr("Read the rule's fields and normalise them into facts");
    QStringList conditions = spec.conditionLines.mid(0, 4);
    if (conditions.isEmpty())
        conditions << spec.basis;
    const QString logic = spec.hitLogic.isEmpty() ? spec.basis : spec.hitLogic;

    // Panels widen to their longest line, within limits.
    const qreal factsW = std::clamp(
        std::max(widest(facts, panelLine), widest({tr("Field facts")}, panelTitle)) + 32, 240.0, 440.0);
    const qreal factsH = std::max<qreal>(128, 35 + facts.size() * kPanelLine + 21);

    // The hit-logic diamond grows (up to 170) until the logic fits in three lines.
    const QFont diamondBody = font(FlowText::Role::DiamondBody);
    qreal diamond = 122;
    QStringList logicLines;
    bool logicCut = false;
    for (;; diamond += 8) {
        logicLines = wrap(logic, diamondBody, diamond * 0.56, kMaxDiamondLines, &logicCut);
        if (!logicCut || diamond >= 170)
            break;
    }
    const qreal diamondX = kPanelX + factsW + 58, cx = diamondX + diamond / 2;
    const qreal diamondTop = kDiamondCenterY - diamond / 2, diamondBottom = kDiamondCenterY + diamond / 2;

    const qreal minCondW = cx + 23 - kPanelX;
    const qreal condW = std::clamp(widest(conditions, panelLine) + 32, std::max(382.0, minCondW), 680.0);
    const qreal condY = std::max(kFactsY + factsH + 24, diamondBottom + 14);
    const qreal condH = std::max<qreal>(104, 35 + conditions.size() * kPanelLine + 15);

    // The output column sits right of the diamond and of the conditions panel.
    const qreal elbowX = std::max(diamondX + diamond + 32, kPanelX + condW + 20);
    const qreal outX = elbowX + 40;

    // elided: whether shown was cut; by default, whether it differs from the whole text.
    auto addText = [&](FlowText::Role role, const QString& shown, const QString& full, QRectF rect,
                       bool centered, int condition = -1, bool accent = false,
                       std::optional<bool> elided = std::nullopt) {
        out.texts.append(
            FlowText{role, shown, full, rect, centered, condition, accent, elided.value_or(shown != full)});
    };
    // A node: its title, then its body wrapped into up to three lines; the node grows to hold them.
    auto addNode = [&](const QString& id, FlowBox::Kind kind, const QString& heading, const QString& body,
                       qreal x, qreal y, qreal w, qreal minH) {
        bool cut = false;
        const QStringList lines = wrap(body, font(FlowText::Role::Body), w - 16, kMaxNodeLines, &cut);
        const qreal h = std::max(minH, 32 + lines.size() * kNodeLine + 12);
        out.boxes.append(FlowBox{id, kind, QRectF(x, y, w, h)});
        addText(FlowText::Role::Title,
                QFontMetricsF(font(FlowText::Role::Title)).elidedText(heading, Qt::ElideRight, w - 16),
                heading, QRectF(x + 8, y + 10, w - 16, 20), true);
        for (qsizetype i = 0; i < lines.size(); ++i)
            addText(FlowText::Role::Body, lines.at(i), body,
                    QRectF(x + 8, y + 32 + i * kNodeLine, w - 16, kNodeLine), true, -1, false,
                    cut && i == lines.size() - 1);
        return QRectF(x, y, w, h);
    };
    auto addPanel = [&](const QString& id, const QString& heading, const QStringList& lines, qreal x, qreal y,
                        qreal w, qreal h, bool isConditions) {
        out.boxes.append(FlowBox{id, FlowBox::Kind::Panel, QRectF(x, y, w, h)});
        addText(FlowText::Role::PanelTitle, heading, heading, QRectF(x + 16, y + 12, w - 32, 20), false);
        const QFontMetricsF fm(panelLine);
        for (qsizetype i = 0; i < lines.size(); ++i)
            addText(FlowText::Role::PanelLine, fm.elidedText(lines.at(i), Qt::ElideRight, w - 32),
                    lines.at(i), QRectF(x + 16, y + 35 + i * kPanelLine, w - 32, kPanelLine), false,
                    isConditions && i < spec.conditionLines.size() ? int(i) : -1);
    };

    const QRectF start =
        addNode(u"start"_s, FlowBox::Kind::Node, tr("Business input"), spec.start, 38, 142, 120, 62);
    addPanel(u"facts"_s, tr("Field facts"), facts, kPanelX, kFactsY, factsW, factsH, false);
    addPanel(u"conditions"_s, tr("Conditions"), conditions, kPanelX, condY, condW, condH, true);

    out.boxes.append(
        FlowBox{u"logic"_s, FlowBox::Kind::Diamond, QRectF(diamondX, diamondTop, diamond, diamond)});
    addText(FlowText::Role::DiamondTitle, tr("Hit logic"), tr("Hit logic"),
            QRectF(diamondX + 14, kDiamondCenterY - 26, diamond - 28, 18), true);
    // Lines of the logic sit below the centre, where the diamond is wide enough for them.
    for (qsizetype i = 0; i < logicLines.size(); ++i)
        addText(FlowText::Role::DiamondBody, logicLines.at(i), logic,
                QRectF(cx - diamond * 0.28, kDiamondCenterY + i * kNodeLine - 2, diamond * 0.56, kNodeLine),
                true, -1, false, logicCut && i == logicLines.size() - 1);

    const QRectF pass =
        addNode(u"pass"_s, FlowBox::Kind::Node, tr("Continue"), spec.passText, outX, 76, kNodeWidth, 60);
    const QRectF review = addNode(u"review"_s, FlowBox::Kind::Review, tr("To review"), spec.failText, outX,
                                  std::max<qreal>(226, pass.bottom() + 24), kNodeWidth, 68);

    // Edges, as in the reference: elbows with arrowheads; "yes" in the severity's colour.
    const qreal factsMidY = kFactsY + factsH / 2;
    out.edges.append(
        {u"input"_s,
         {QPointF(start.right(), start.center().y()), QPointF(start.right() + 18, start.center().y()),
          QPointF(start.right() + 18, factsMidY), QPointF(kPanelX, factsMidY)},
         false});
    out.edges.append({u"facts"_s,
                      {QPointF(kPanelX + factsW / 2, kFactsY + factsH), QPointF(kPanelX + factsW / 2, condY)},
                      false});
    out.edges.append({u"evidence"_s,
                      {QPointF(kPanelX + factsW, factsMidY), QPointF(kPanelX + factsW + 30, factsMidY),
                       QPointF(kPanelX + factsW + 30, kDiamondCenterY), QPointF(diamondX, kDiamondCenterY)},
                      false});
    out.edges.append({u"conditions"_s, {QPointF(cx, condY), QPointF(cx, diamondBottom)}, false});
    const qreal noY = kDiamondCenterY - diamond * 0.13, yesY = kDiamondCenterY + diamond * 0.2;
    // Where the diamond's right edges are at those heights.
    const qreal noX = diamondX + diamond - (kDiamondCenterY - noY),
                yesX = diamondX + diamond - (yesY - kDiamondCenterY);
    out.edges.append({u"no"_s,
                      {QPointF(noX, noY), QPointF(elbowX, noY), QPointF(elbowX, pass.center().y()),
                       QPointF(outX, pass.center().y())},
                      false});
    out.edges.append({u"yes"_s,
                      {QPointF(yesX, yesY), QPointF(elbowX, yesY), QPointF(elbowX, review.center().y()),
                       QPointF(outX, review.center().y())},
                      true});
    // Labels beside their edges, never on them: "no" above its first leg, "yes" right of its long drop.
    const qreal labelW = std::max(QFontMetricsF(font(FlowText::Role::Label)).horizontalAdvance(tr("No")),
                                  QFontMetricsF(font(FlowText::Role::Label)).horizontalAdvance(tr("Yes"))) +
                         4;
    addText(FlowText::Role::Label, tr("No"), tr("No"), QRectF(elbowX - 6 - labelW, noY - 17, labelW, 15),
            true);
    addText(FlowText::Role::Label, tr("Yes"), tr("Yes"),
            QRectF(elbowX + 6, (yesY + review.center().y()) / 2 - 8, labelW, 16), true, -1, true);

    const qreal width = std::min(kMaxWidth, std::max(kWidth, outX + kNodeWidth + 50));
    const qreal height = std::min(kMaxHeight, std::max({kHeight, condY + condH + 40, review.bottom() + 48}));
    out.size = QSizeF(width, height);
    out.frame = QRectF(18, 18, width - 36, height - 36);
    const QFont header = font(FlowText::Role::Header);
    const QString kicker = tr("RULE FLOW");
    const qreal headerW = QFontMetricsF(header).horizontalAdvance(kicker);
    addText(FlowText::Role::Header, kicker, kicker, QRectF(34, 31, headerW + 2, 16), false);
    const QString heading =
        spec.title + (spec.severityLabel.isEmpty() ? QString() : u" · "_s + spec.severityLabel);
    const qreal titleX = 34 + headerW + 14, titleW = out.frame.right() - 16 - titleX;
    addText(FlowText::Role::Title,
            QFontMetricsF(font(FlowText::Role::Title)).elidedText(heading, Qt::ElideRight, titleW), heading,
            QRectF(titleX, 29, titleW, 20), false);
    return out;
}

const FlowText* FlowLayout::textAt(QPointF point) const {
    for (const FlowText& t : texts)
        if (t.rect.contains(point))
            return &t;
    return nullptr;
}

} // namespace riskdesk
