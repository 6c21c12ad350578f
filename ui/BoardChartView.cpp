#include "BoardChartView.h"

#include <QEvent>
#include <QHeaderView>
#include <QHelpEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolButton>
#include <QToolTip>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
constexpr int kToolbarHeight = 26;
// The figures' table is as tall as its rows up to this many (a month by day), so that the page's scroll bar
// is the only one; a longer table scrolls inside.
constexpr int kMaxTableRowsShown = 32;
} // namespace

BoardChartView::BoardChartView(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
    setFocusPolicy(Qt::TabFocus);
    m_toggle = new QToolButton(this);
    m_toggle->setCheckable(true);
    m_toggle->setAutoRaise(true);
    m_toggle->setText(tr("View as table"));
    m_toggle->setToolTip(tr("Show the chart's figures as a table"));
    connect(m_toggle, &QToolButton::toggled, this, &BoardChartView::setTableShown);
    m_model = new QStandardItemModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTabKeyNavigation(false); // Tab leaves the table; the arrow keys move in it
    m_table->verticalHeader()->hide();
    m_table->hide();
}

void BoardChartView::setChart(const BoardChart& chart, const QLocale& locale, TrendColors::Scheme scheme) {
    // A board shown again from the cache brings the same charts: what was drawn stays drawn.
    if (m_hasChart && chart == m_chart && locale == m_locale && scheme == m_scheme)
        return;
    m_hasChart = true;
    m_chart = chart;
    m_locale = locale;
    m_scheme = scheme;
    setAccessibleName(chart.title);
    setAccessibleDescription(chart.description(locale));
    m_toggle->setVisible(chart.kind != BoardChart::Kind::Sparkline);
    // The figures' table is filled when it is shown: most charts are never read as tables, and a board
    // switch should not lay out tables nobody sees.
    m_tableFilled = false;
    if (m_tableShown)
        fillTable();
    m_cache = QImage();
    m_lastHover.clear();
    update();
}

void BoardChartView::fillTable() {
    m_tableFilled = true;
    m_model->clear();
    const QList<QStringList> rows = m_chart.asTable(m_locale);
    if (rows.isEmpty())
        return;
    m_model->setHorizontalHeaderLabels(rows.first());
    for (qsizetype r = 1; r < rows.size(); ++r) {
        QList<QStandardItem*> items;
        for (qsizetype c = 0; c < rows.at(r).size(); ++c) {
            auto* item = new QStandardItem(rows.at(r).at(c));
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            items << item;
        }
        m_model->appendRow(items);
    }
    m_table->resizeColumnsToContents();
    updateGeometry(); // its height follows its rows
}

void BoardChartView::setTableShown(bool shown) {
    if (shown == m_tableShown)
        return;
    m_tableShown = shown;
    if (shown && !m_tableFilled)
        fillTable();
    m_toggle->setChecked(shown);
    m_toggle->setText(shown ? tr("View as chart") : tr("View as table"));
    m_table->setVisible(shown);
    updateGeometry();
    update();
    Q_EMIT tableShownChanged(shown);
}

QRect BoardChartView::chartRect() const {
    if (m_chart.kind == BoardChart::Kind::Sparkline)
        return rect();
    return rect().adjusted(0, kToolbarHeight, 0, 0);
}

bool BoardChartView::darkStyle() const {
    return palette().color(QPalette::Window).lightnessF() < 0.5;
}

BoardChartPainter BoardChartView::painter() const {
    return BoardChartPainter(
        m_chart, m_locale,
        BoardChartPainter::Style::forBackground(palette().color(QPalette::Window), m_scheme));
}

QSize BoardChartView::sizeHint() const {
    if (m_chart.kind == BoardChart::Kind::Sparkline)
        return QSize(120, 28);
    if (m_tableShown && m_model->rowCount() > 0) {
        const int rows = std::min(m_model->rowCount(), kMaxTableRowsShown);
        const int height = m_table->horizontalHeader()->sizeHint().height() +
                           rows * m_table->verticalHeader()->defaultSectionSize() +
                           2 * m_table->frameWidth() +
                           m_table->horizontalScrollBar()->sizeHint().height(); // room in case it is needed
        return QSize(480, kToolbarHeight + std::max(height, 280 - kToolbarHeight));
    }
    return QSize(480, 280);
}

QSize BoardChartView::minimumSizeHint() const {
    return m_chart.kind == BoardChart::Kind::Sparkline ? QSize(40, 16) : QSize(240, 160);
}

void BoardChartView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window));
    if (m_tableShown)
        return;
    const QRect area = chartRect();
    if (area.isEmpty()) // laid out too small to draw in: nothing, not a painter on a null image
        return;
    // Drawn once per size, palette and ratio at the screen's device pixel ratio, so hovering costs nothing.
    const qreal ratio = devicePixelRatioF();
    if (m_cache.isNull() || m_cache.devicePixelRatio() != ratio || m_cache.size() != area.size() * ratio)
        m_cache = painter().image(area.size(), ratio);
    p.drawImage(area.topLeft(), m_cache);
}

void BoardChartView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    m_toggle->adjustSize();
    m_toggle->move(width() - m_toggle->width() - 4, (kToolbarHeight - m_toggle->height()) / 2);
    m_table->setGeometry(chartRect());
    m_cache = QImage();
}

void BoardChartView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        m_cache = QImage(); // light or dark follows the window colour
        update();
    }
}

bool BoardChartView::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const QRect area = chartRect();
        const auto text = m_tableShown ? std::nullopt
                                       : painter().hitTest(QRectF(QPointF(0, 0), QSizeF(area.size())),
                                                           QPointF(help->pos() - area.topLeft()));
        m_lastHover = text.value_or(QString());
        if (text)
            QToolTip::showText(help->globalPos(), *text, this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

} // namespace riskdesk
