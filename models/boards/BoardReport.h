#pragma once

#include "BoardTable.h"

#include <QDate>
#include <QJsonObject>

namespace riskdesk {

// One KPI card: a figure with its unit, its period-over-period change and the range it was compared with.
struct BoardKpi {
    QString key;
    QString label;
    BoardValue value;
    ValueUnit unit = ValueUnit::Fen;
    std::optional<PeriodChange> change;
    QString comparison;   // "PoP 2026-04-01 ~ 2026-04-30"
    QJsonObject previous; // the resolved previous period (from, to), for JSON
};

// A whole board as computed for one request: the resolved parameters, freshness, KPI cards, badges and its
// sections as tables. The command line prints it as JSON, CSV (one section) or text; the window shows it.
class BoardReport {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardReport)

public:
    BoardReport() = default;
    BoardReport(QString board, QString title) : m_board(std::move(board)), m_title(std::move(title)) {}

    const QString& board() const { return m_board; }
    const QString& title() const { return m_title; }

    // What the request resolved to (site, period, previous period, as-of, filters): for JSON and cache keys.
    QJsonObject& parameters() { return m_parameters; }
    const QJsonObject& parameters() const { return m_parameters; }
    // 数据截至: the latest business day fully loaded for the site, when known.
    void setWatermark(const QDate& day) { m_watermark = day; }
    const QDate& watermark() const { return m_watermark; }
    // Badges shown by the board's title ("no business day configured", "data may be late").
    void addBadge(const QString& badge) { m_badges << badge; }
    const QStringList& badges() const { return m_badges; }

    void addKpi(BoardKpi kpi) { m_kpis.append(std::move(kpi)); }
    const QList<BoardKpi>& kpis() const { return m_kpis; }
    const BoardKpi* kpi(const QString& key) const;
    void addTable(BoardTable table) { m_tables.append(std::move(table)); }
    const QList<BoardTable>& tables() const { return m_tables; }
    QList<BoardTable>& tables() { return m_tables; }
    const BoardTable* table(const QString& key) const;
    // A figure of this report as its reader names it: a KPI card's label (tableKey empty), or the section's
    // title, the row's first text (or the totals row's) and the column's label, "Inflow · Total · Amount".
    // Keys the report does not hold are given as they are.
    QString cellName(const QString& tableKey, const QString& columnKey, const QVariant& rowId) const;

    QJsonObject toJson() const;
    QString toText(const QLocale& locale) const;

private:
    QString m_board;
    QString m_title;
    QJsonObject m_parameters;
    QDate m_watermark;
    QStringList m_badges;
    QList<BoardKpi> m_kpis;
    QList<BoardTable> m_tables;
};

} // namespace riskdesk
