#pragma once

#include "boards/BoardTable.h"
#include "boards/SortCatalog.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QLocale>
#include <optional>
#include <vector>

namespace riskdesk {

// One board section's page of rows (or, in Totals mode, its totals row over the whole filtered set) for a
// table view. Text is what the command line prints (BoardTable::cellDisplay); raw figures, states and keys
// are in roles so that drill-down and tests never parse display text. The model never sorts: sorting is a
// new query over the whole set (spec §2.4), asked for by the view's header.
class BoardTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Mode { Rows, Totals };
    enum Role {
        RawValueRole =
            Qt::UserRole + 1, // qint64 for a value or zero, the text of a text cell, null otherwise
        StateRole,            // CellState as int (Value, Zero, NoData, Unavailable)
        RowIdRole,            // the row's entity id (null for the totals row)
        ColumnKeyRole,        // the column's machine name
        AggregateRole,        // true when the cell is a figure a drill-down can open
    };

    explicit BoardTableModel(Mode mode = Mode::Rows, QObject* parent = nullptr);

    void setTable(const BoardTable& table, const QLocale& locale);
    const BoardTable& table() const { return m_table; }
    // The columns the header may sort by (the section's sort catalogue, each with its natural direction),
    // and the sort in effect.
    void setSortable(const QList<SortColumn>& columns, const QString& canonicalSort);
    bool isSortable(int column) const;
    bool anySortable() const { return !m_sortable.isEmpty(); }
    // The direction a first click on the column asks for: its natural one (a name A to Z, a score highest
    // first), the same the command line takes for a bare --sort COLUMN.
    Qt::SortOrder naturalOrder(int column) const;
    QString columnKey(int column) const;
    const BoardTableRow* rowAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const BoardCell* cellAt(const QModelIndex& index) const;
    bool unavailable(const QModelIndex& index, const BoardTableColumn& column, const BoardCell& cell) const;
    QString display(const QModelIndex& index, const BoardTableColumn& column, const BoardCell& cell) const;

    Mode m_mode;
    BoardTable m_table;
    QLocale m_locale;
    QHash<QString, Qt::SortOrder> m_sortable;
    QString m_sortKey;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
    // Per column: whether a failed enrichment makes it unavailable (asked for every cell painted).
    QList<bool> m_unavailableColumn;
    // Each cell's text, formatted once (a view asks for it at every paint and size hint), row-major.
    mutable std::vector<std::optional<QString>> m_display;
};

} // namespace riskdesk
