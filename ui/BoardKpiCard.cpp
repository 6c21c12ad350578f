#include "BoardKpiCard.h"

#include "WrappingLabel.h"
#include "boards/MoneyFormat.h"

#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

BoardKpiCard::BoardKpiCard(QWidget* parent) : QFrame(parent) {
    setObjectName(u"kpiCard"_s);
    setFrameShape(QFrame::StyledPanel);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::PointingHandCursor);
    setMinimumWidth(170);
    setStyleSheet(u"#kpiCard { background: palette(base); border: 1px solid #cbd5e1; border-radius: 6px; }"
                  "#kpiCard:focus { border: 2px solid #2563eb; }"_s);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(3);
    m_label = new WrappingLabel;
    m_label->setObjectName(u"kpiLabel"_s);
    m_value = new QLabel;
    m_value->setObjectName(u"kpiValue"_s);
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_value->setFont(big);
    m_change = new QLabel;
    m_change->setObjectName(u"kpiChange"_s);
    m_comparison = new WrappingLabel; // the compared range is never cut off
    m_comparison->setObjectName(u"kpiComparison"_s);
    m_comparison->setStyleSheet(u"color: #64748b;"_s);
    m_reason = new WrappingLabel;
    m_reason->setObjectName(u"kpiReason"_s);
    m_reason->setStyleSheet(u"color: #92400e;"_s);
    m_retry = new QPushButton(tr("Retry"));
    m_retry->setObjectName(u"kpiRetry"_s);
    m_retry->setCursor(Qt::ArrowCursor);
    m_sparkSlot = new QVBoxLayout;
    m_sparkSlot->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_value);
    layout->addWidget(m_change);
    layout->addWidget(m_comparison);
    layout->addWidget(m_reason);
    layout->addWidget(m_retry, 0, Qt::AlignLeft);
    // Below the words: a row of cards reads value, change and compared range on the same lines, with a
    // sparkline or without.
    layout->addLayout(m_sparkSlot);
    layout->addStretch(1);
    connect(m_retry, &QPushButton::clicked, this, &BoardKpiCard::retryRequested);
}

void BoardKpiCard::setKpi(const BoardKpi& kpi, const QLocale& locale, TrendColors::Scheme scheme) {
    m_kpi = kpi;
    m_label->setText(kpi.label);
    const BoardValue& v = kpi.value;
    QString valueText, valueTip;
    switch (v.state()) {
    case CellState::Value:
    case CellState::Zero:
        if (kpi.unit == ValueUnit::Fen) {
            valueText = MoneyFormat::compact(*v.number(), locale);
            valueTip = MoneyFormat::full(*v.number(), locale);
        } else {
            valueText = v.display(kpi.unit, locale);
            valueTip = valueText;
        }
        m_reason->clear();
        break;
    case CellState::NoData:
        valueText = u"—"_s;
        m_reason->setText(v.reason().isEmpty() ? tr("No data for this period") : v.tooltip());
        valueTip = v.tooltip();
        break;
    case CellState::Unavailable:
        valueText = u"⚠ —"_s;
        m_reason->setText(v.tooltip());
        valueTip = v.tooltip();
        break;
    }
    m_value->setText(valueText);
    m_value->setToolTip(valueTip);
    m_reason->setVisible(!m_reason->text().isEmpty());
    // Unavailable is a warning; no data is a plain statement, in the comparison's grey. Set only on a change
    // (each new style sheet polishes the label again).
    const QString reasonStyle =
        v.state() == CellState::Unavailable ? u"color: #92400e;"_s : u"color: #64748b;"_s;
    if (m_reason->styleSheet() != reasonStyle)
        m_reason->setStyleSheet(reasonStyle);
    m_retry->setVisible(v.state() == CellState::Unavailable);

    if (kpi.change) {
        const PeriodChange& c = *kpi.change;
        const QString arrow = c.arrow();
        m_change->setText(arrow.isEmpty() ? c.text() : arrow + u' ' + c.text());
        const QColor colour = TrendColors::colorFor(c.trend(), scheme);
        // A card is reused from one board switch to the next: its style sheet is set again only when the
        // colour changes (each new style sheet polishes the label again).
        const QString style = u"color: %1; font-weight: bold;"_s.arg(colour.name());
        if (m_change->styleSheet() != style)
            m_change->setStyleSheet(style);
        QStringList tip;
        if (c.delta() && kpi.unit == ValueUnit::Fen)
            tip << tr("Change: %1")
                       .arg((*c.delta() > 0 ? u"+"_s : QString()) + MoneyFormat::full(*c.delta(), locale));
        else if (c.delta())
            tip << tr("Change: %1")
                       .arg((*c.delta() > 0 ? u"+"_s : QString()) +
                            BoardValue::ofSum(*c.delta()).display(kpi.unit, locale));
        if (!c.explanation().isEmpty())
            tip << c.explanation();
        m_change->setToolTip(tip.join(u'\n'));
        m_change->setVisible(true);
    } else {
        m_change->clear();
        m_change->setVisible(false);
    }
    m_comparison->setText(kpi.comparison);
    m_comparison->setVisible(!kpi.comparison.isEmpty());
    setToolTip(valueTip.isEmpty() ? kpi.label : kpi.label + u": "_s + valueTip);
    setAccessibleName(kpi.label);
    setAccessibleDescription(QStringList{valueText, m_change->text(), kpi.comparison}.join(u' '));
}

void BoardKpiCard::setSparkline(QWidget* sparkline) {
    if (m_sparkline == sparkline)
        return;
    delete m_sparkline;
    m_sparkline = sparkline;
    if (sparkline)
        m_sparkSlot->addWidget(sparkline);
}

QString BoardKpiCard::valueText() const {
    return m_value->text();
}

QString BoardKpiCard::changeText() const {
    return m_change->text();
}

void BoardKpiCard::mousePressEvent(QMouseEvent* event) {
    event->accept(); // the release that follows is the card's click
}

void BoardKpiCard::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()) &&
        m_kpi.value.number().has_value())
        Q_EMIT activated(m_kpi.key);
    QFrame::mouseReleaseEvent(event);
}

void BoardKpiCard::keyPressEvent(QKeyEvent* event) {
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) &&
        m_kpi.value.number().has_value()) {
        Q_EMIT activated(m_kpi.key);
        return;
    }
    QFrame::keyPressEvent(event);
}

} // namespace riskdesk
