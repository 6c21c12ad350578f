#pragma once

#include "boards/BoardChartPainter.h"

#include <QImage>
#include <QWidget>
#include <optional>

class QStandardItemModel;
class QTableView;
class QToolButton;

namespace riskdesk {

// One board chart on screen, painted by the BoardChartPainter the exports use (spec §2.11): hovering a
// point shows its exact value, "View as table" swaps the drawing for the same figures in a table, the
// accessible name and description say what the chart shows, it is sharp at any device pixel ratio and
// follows the palette (light or dark) as it changes.
class BoardChartView : public QWidget {
    Q_OBJECT
public:
    explicit BoardChartView(QWidget* parent = nullptr);

    // scheme: the 涨跌颜色 setting in effect (TrendColors::effective).
    void setChart(const BoardChart& chart, const QLocale& locale, TrendColors::Scheme scheme);
    const BoardChart& chart() const { return m_chart; }

    bool tableShown() const { return m_tableShown; }
    void setTableShown(bool shown);
    QToolButton* tableToggle() const { return m_toggle; }
    QTableView* tableView() const { return m_table; }
    // Where the chart is drawn, in widget coordinates.
    QRect chartRect() const;
    // The text the last hover showed (empty when it was on no data).
    const QString& lastHoverText() const { return m_lastHover; }
    // The cached drawing (for tests: its device pixel ratio is the screen's).
    const QImage& cachedImage() const { return m_cache; }
    bool darkStyle() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void tableShownChanged(bool shown);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    BoardChartPainter painter() const;
    void fillTable();

    BoardChart m_chart;
    bool m_hasChart = false; // setChart was called: m_chart is a chart shown, not the default
    QLocale m_locale;
    TrendColors::Scheme m_scheme = TrendColors::Scheme::GreenUp;
    bool m_tableShown = false;
    bool m_tableFilled = false;
    QToolButton* m_toggle = nullptr;
    QTableView* m_table = nullptr;
    QStandardItemModel* m_model = nullptr;
    QImage m_cache;
    QString m_lastHover;
};

} // namespace riskdesk
