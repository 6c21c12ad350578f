#include "BoardTableModel.h"

#include <QBrush>
#include <QColor>
#include <QFont>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

BoardTableModel::BoardTableModel(Mode mode, QObject* parent) : QAbstractTableModel(parent), m_mode(mode) {}

void BoardTableModel::setTable(const BoardTable& table, const QLocale& locale) {
    beginResetModel();
    m_table = table;
    m_locale = locale;
    m_unavailableColumn.clear();
    for (const BoardTableColumn& c : m_table.columns())
        m_unavailableColumn << m_table.outcome().isUnavailable(c.key);
    m_display.assign(size_t(rowCount()) * size_t(m_table.columns().size()), std::nullopt);
    endResetModel();
}

void BoardTableModel::setSortable(const QList<SortColumn>& columns, const QString& canonicalSort) {
    m_sortable.clear();
    for (const SortColumn& c : columns)
        m_sortable.insert(c.key, c.defaultOrder);
    const QStringList parts = canonicalSort.split(u':');
    m_sortKey = parts.value(0);
    m_sortOrder = parts.value(1) == u"asc"_s ? Qt::AscendingOrder : Qt::DescendingOrder;
    if (!m_table.columns().isEmpty())
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, int(m_table.columns().size()) - 1);
}

bool BoardTableModel::isSortable(int column) const {
    return m_sortable.contains(columnKey(column));
}

Qt::SortOrder BoardTableModel::naturalOrder(int column) const {
    return m_sortable.value(columnKey(column), Qt::DescendingOrder);
}

QString BoardTableModel::columnKey(int column) const {
    return column >= 0 && column < m_table.columns().size() ? m_table.columns().at(column).key : QString();
}

const BoardTableRow* BoardTableModel::rowAt(int row) const {
    if (m_mode == Mode::Totals)
        return row == 0 && m_table.totals() ? &*m_table.totals() : nullptr;
    return row >= 0 && row < m_table.rows().size() ? &m_table.rows().at(row) : nullptr;
}

int BoardTableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid())
        return 0;
    if (m_mode == Mode::Totals)
        return m_table.totals() ? 1 : 0;
    return int(m_table.rows().size());
}

int BoardTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_table.columns().size());
}

const BoardCell* BoardTableModel::cellAt(const QModelIndex& index) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return nullptr;
    const BoardTableRow* row = rowAt(index.row());
    if (!row || index.column() >= row->cells.size())
        return nullptr;
    return &row->cells.at(index.column());
}

bool BoardTableModel::unavailable(const QModelIndex& index, const BoardTableColumn& column,
                                  const BoardCell& cell) const {
    // An enrichment that failed makes its whole column unavailable, whatever the cell says.
    return (column.type == BoardTableColumn::Type::Value && cell.value.state() == CellState::Unavailable) ||
           m_unavailableColumn.value(index.column());
}

QString BoardTableModel::display(const QModelIndex& index, const BoardTableColumn& column,
                                 const BoardCell& cell) const {
    const size_t slot = size_t(index.row()) * size_t(m_table.columns().size()) + size_t(index.column());
    if (slot < m_display.size() && m_display[slot])
        return *m_display[slot];
    const bool figure = column.type == BoardTableColumn::Type::Value;
    QString text =
        unavailable(index, column, cell) && !(figure && cell.value.state() == CellState::Unavailable)
            ? u"⚠ —"_s
            : BoardTable::cellDisplay(column, cell, m_locale);
    if (slot < m_display.size())
        m_display[slot] = text;
    return text;
}

QVariant BoardTableModel::data(const QModelIndex& index, int role) const {
    const BoardCell* cell = cellAt(index);
    if (!cell)
        return {};
    const BoardTableColumn& column = m_table.columns().at(index.column());
    const bool figure = column.type == BoardTableColumn::Type::Value;
    const bool unavailable = this->unavailable(index, column, *cell);
    switch (role) {
    case Qt::DisplayRole:
        return display(index, column, *cell);
    case Qt::ToolTipRole: {
        QStringList tip;
        if (unavailable)
            tip << (figure && !cell->value.reason().isEmpty()
                        ? cell->value.tooltip()
                        : tr("Unavailable: %1").arg(m_table.outcome().unavailableReason(column.key)));
        if (column.type == BoardTableColumn::Type::Change && cell->change &&
            !cell->change->explanation().isEmpty())
            tip << cell->change->explanation();
        if (figure && cell->value.state() == CellState::NoData)
            tip << (cell->value.reason().isEmpty() ? tr("No data") : cell->value.tooltip());
        if (!cell->note.isEmpty())
            tip << cell->note;
        return tip.isEmpty() ? QVariant() : QVariant(tip.join(u'\n'));
    }
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(column.type == BoardTableColumn::Type::Text
                                       ? Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter)
                                       : Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::BackgroundRole:
        if (unavailable)
            return QBrush(QColor(0xfe, 0xf3, 0xc7));
        if (m_mode == Mode::Totals)
            return QBrush(QColor(0xf1, 0xf5, 0xf9));
        return {};
    case Qt::FontRole:
        if (m_mode == Mode::Totals) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case RawValueRole:
        if (figure)
            return cell->value.number() ? QVariant(*cell->value.number()) : QVariant();
        if (column.type == BoardTableColumn::Type::Change)
            return cell->change && cell->change->tenths() ? QVariant(*cell->change->tenths()) : QVariant();
        return cell->text;
    case StateRole:
        return figure ? int(unavailable ? CellState::Unavailable : cell->value.state()) : QVariant();
    case RowIdRole:
        return rowAt(index.row())->id;
    case ColumnKeyRole:
        return column.key;
    case AggregateRole:
        return figure && !unavailable && cell->value.number().has_value();
    default:
        return {};
    }
}

QVariant BoardTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= m_table.columns().size())
        return QAbstractTableModel::headerData(section, orientation, role);
    const BoardTableColumn& column = m_table.columns().at(section);
    switch (role) {
    case Qt::DisplayRole:
        return column.label;
    case Qt::ToolTipRole: {
        QString tip = column.key;
        if (m_sortable.contains(column.key))
            tip += u"\n"_s + tr("Click to sort the whole set by this column.");
        else if (!m_sortable.isEmpty())
            tip += u"\n"_s + tr("The rows cannot be sorted by this column.");
        if (m_table.outcome().isUnavailable(column.key))
            tip += u"\n"_s + tr("Unavailable: %1").arg(m_table.outcome().unavailableReason(column.key));
        return tip;
    }
    case ColumnKeyRole:
        return column.key;
    default:
        return {};
    }
}

} // namespace riskdesk
