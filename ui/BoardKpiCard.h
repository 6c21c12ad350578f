#pragma once

#include "boards/BoardReport.h"
#include "boards/TrendColors.h"

#include <QFrame>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace riskdesk {

// One KPI card (spec §2.5, §2.6): the figure in compact 万/亿 (K/M in English) with the full value in the
// tooltip, the period-over-period arrow and sign (▲ ▼ ▬: colour only repeats them), the previous period's
// dates, and the four states: "—" with why there is no data, "⚠ —" with the reason and a retry. A slot
// below the figure takes a sparkline widget. Clicking the card (or Enter on it) asks for its drill-down.
class BoardKpiCard : public QFrame {
    Q_OBJECT
public:
    explicit BoardKpiCard(QWidget* parent = nullptr);

    void setKpi(const BoardKpi& kpi, const QLocale& locale, TrendColors::Scheme scheme);
    const BoardKpi& kpi() const { return m_kpi; }
    // Places a chart widget (a sparkline) under the figure; the card owns it. nullptr removes it.
    void setSparkline(QWidget* sparkline);
    QWidget* sparkline() const { return m_sparkline; }

    // What the card shows, for tests and accessibility.
    QString valueText() const;
    QString changeText() const;

Q_SIGNALS:
    void activated(const QString& kpiKey);
    void retryRequested();

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    BoardKpi m_kpi;
    QLabel* m_label;
    QLabel* m_value;
    QLabel* m_change;
    QLabel* m_comparison;
    QLabel* m_reason;
    QPushButton* m_retry;
    QVBoxLayout* m_sparkSlot;
    QWidget* m_sparkline = nullptr;
};

} // namespace riskdesk
