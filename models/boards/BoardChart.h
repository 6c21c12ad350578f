#pragma once

#include "BoardValue.h"

#include <QCoreApplication>
#include <QList>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <optional>

namespace riskdesk {

// One chart of a board (spec §2.11) as a value: what to draw, in which unit, with which labels. Values are
// exact integers in the unit's base (fen, counts, seconds), as in the board's cells; rounding happens only
// when they are shown. A heat map's series are its rows (weekdays) and its categories the columns (hours).
class BoardChart {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardChart)

public:
    enum class Kind {
        Line,       // one point per category; `previous` drawn dashed under the current series
        Bar,        // one bar per category (several series side by side)
        StackedBar, // one bar per category, the series stacked
        Donut,      // the first series' values as shares of their sum, one slice per category
        HeatMap,    // series = rows, categories = columns
        Sparkline,  // the first series as a small line without axes (KPI cards)
    };
    struct Series {
        QString name;
        QList<qint64> values; // one per category, from the category `first` on
        // Line and sparkline: the category of values[0]. A trend begins later than its period when the site's
        // data begin within it: the days before hold no data, not zeros (helper-72), and are not drawn.
        qsizetype first = 0;
        // The value at a category; nothing before `first` or after the last value.
        std::optional<qint64> at(qsizetype category) const {
            const qsizetype k = category - first;
            return k >= 0 && k < values.size() ? std::optional<qint64>(values.at(k)) : std::nullopt;
        }
        friend bool operator==(const Series&, const Series&) = default;
    };

    Kind kind = Kind::Bar;
    QString key;            // stable id: "<board>.<section>", e.g. "finance.trend"
    QString title;          // in the UI's language
    QStringList categories; // ISO dates ("2026-05-31") are shown as "5月31日" / "May 31"
    QList<Series> series;
    std::optional<Series> previous; // Line only: the previous period, aligned by position
    ValueUnit unit = ValueUnit::Fen;
    // Line only: the previous period's own categories (its dates), by position, for its tooltips and table:
    // its 13th day of a month before is not the current period's 13th. (Its initialiser lets a chart written
    // out member by member leave it out.)
    QStringList previousCategories = {};
    // What the categories are, as the table view heads their column ("Coach"); empty: "Category".
    QString categoryName = {};

    // A category as shown on an axis and in tooltips (dates follow the locale).
    QString categoryLabel(qsizetype index, const QLocale& locale) const;
    // The positions along the x axis: one per category, and on a line as many as the longer period has (a
    // month of 31 days against one of 30 keeps its last day).
    qsizetype positions() const;
    // Full value (tooltips, table): "¥12,345.67", "1,234", "2.00 h".
    QString valueText(qint64 value, const QLocale& locale) const;
    // Compact value for axes (spec §2.6): "¥1.23万" / "CN¥12.35K"; other units as valueText.
    QString axisText(qint64 value, const QLocale& locale) const;
    // The exact text of one data point: "<series> · <category>: <value>".
    QString pointText(qsizetype series, qsizetype category, const QLocale& locale) const;

    // Every value of every series (not the previous period), for scales and summaries.
    QList<qint64> allValues() const;
    bool isEmpty() const;

    // An accessible text description in the UI's language: what the chart shows, its highest and lowest
    // points with their categories and the total.
    QString description(const QLocale& locale) const;
    // The chart as a table for "view as table": a header row, then one row per category (a heat map: one
    // row per series), values in full format.
    QList<QStringList> asTable(const QLocale& locale) const;

    static QString kindKey(Kind kind); // "line", "bar", ... for tests and file names

    // Same kind, key, title, categories, figures and unit: drawn the same.
    friend bool operator==(const BoardChart&, const BoardChart&) = default;
};

} // namespace riskdesk
