#pragma once

#include "boards/BoardTable.h"
#include "boards/SortCatalog.h"
#include "boards/TrendColors.h"

#include <QFrame>
#include <QHash>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QVBoxLayout;

namespace riskdesk {

class BoardChart;
class BoardChartView;
class BoardTableModel;

// One board section on screen (spec §2.4, §2.5): its title and notes, reconciliation marks (always shown),
// the "part of the data is unavailable" banner with a retry when an enrichment failed, an error panel with
// the reason and a retry instead of the table when the core query failed, an area for a chart, the page of
// rows with the totals row pinned under it, and paging with the exact total. The header sorts by asking for
// a new query over the whole set, never by sorting the page.
class BoardSectionView : public QFrame {
    Q_OBJECT
public:
    explicit BoardSectionView(QWidget* parent = nullptr);

    // sortable: the columns the section's sort catalogue accepts (empty: fixed order); pageable: whether
    // the board pages this section (its page size can be chosen). A section is reused from one board switch
    // to the next (a board's structure is fixed, only its figures change): this replaces everything shown.
    void setTable(const BoardTable& table, const QLocale& locale, const QList<SortColumn>& sortable,
                  bool pageable);
    // The charts drawn above the table, in this order: the chart view of a key shown before is reused, the
    // views of keys not in the list are hidden.
    void setCharts(const QList<BoardChart>& charts, const QLocale& locale, TrendColors::Scheme scheme);
    // The chart views shown, in order.
    QList<BoardChartView*> chartViews() const;
    const BoardTable& table() const;
    QString key() const;

    BoardTableModel* model() const { return m_model; }
    BoardTableModel* totalsModel() const { return m_totalsModel; }
    QTableView* view() const { return m_view; }
    QTableView* totalsView() const { return m_totalsView; }
    // "No row matches these filters.": shown under the column headers when the set is empty.
    QLabel* noRowsLabel() const { return m_noRows; }
    // Where a chart of this section goes (empty and hidden until a widget is added to its layout).
    QWidget* chartArea() const { return m_chartArea; }
    // "1–20 of 1,234"
    QString pagingText() const;
    static QString pagingText(qint64 page, int pageSize, qint64 shown, qint64 total, const QLocale& locale);

Q_SIGNALS:
    void sortRequested(const QString& sectionKey, const QString& canonicalSort);
    void pageRequested(const QString& sectionKey, qint64 page, int pageSize);
    void retryRequested(const QString& sectionKey);
    // rowId is null for the totals row.
    void cellActivated(const QString& sectionKey, const QString& columnKey, const QVariant& rowId);

private:
    void headerClicked(int column);
    // Puts the header's arrow on the sort the rows are in.
    void showSortInEffect();
    void activate(const QModelIndex& index, bool totals);
    void syncTotalsColumns();
    void fitColumns();

    QLocale m_locale;
    bool m_pageable = false;
    QLabel* m_title;
    QLabel* m_notes;
    QLabel* m_warnings;
    QFrame* m_partial;
    QLabel* m_partialText;
    QFrame* m_error;
    QLabel* m_errorText;
    QLabel* m_noData;
    QWidget* m_chartArea;
    QHash<QString, BoardChartView*> m_chartViews; // by chart key, shown or not
    QList<BoardChartView*> m_shownCharts;
    QTableView* m_view;
    QTableView* m_totalsView;
    QLabel* m_noRows;
    BoardTableModel* m_model;
    BoardTableModel* m_totalsModel;
    QWidget* m_pager;
    QLabel* m_pageLabel;
    QPushButton* m_first;
    QPushButton* m_previous;
    QPushButton* m_next;
    QComboBox* m_pageSize;
};

} // namespace riskdesk
