#include "BoardDrillModel.h"

#include <QBrush>
#include <QColor>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

BoardDrillModel::BoardDrillModel(QObject* parent) : QAbstractTableModel(parent) {}

void BoardDrillModel::setTable(const BoardTable& table, const QLocale& locale) {
    beginResetModel();
    m_table = table;
    m_locale = locale;
    endResetModel();
}

void BoardDrillModel::clear() {
    beginResetModel();
    m_table = BoardTable();
    endResetModel();
}

QString BoardDrillModel::columnKey(int column) const {
    if (column < 0 || column >= m_table.columns().size())
        return {};
    return m_table.columns().at(column).key;
}

bool BoardDrillModel::isVoided(int row) const {
    return row >= 0 && row < m_table.rows().size() &&
           m_table.rows().at(row).detail.value(u"voided"_s).toBool();
}

int BoardDrillModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_table.rows().size());
}

int BoardDrillModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_table.columns().size());
}

QVariant BoardDrillModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BoardTableColumn& column = m_table.columns().at(index.column());
    const BoardTableRow& row = m_table.rows().at(index.row());
    if (index.column() >= row.cells.size())
        return {};
    const BoardCell& cell = row.cells.at(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return BoardTable::cellDisplay(column, cell, m_locale);
    case Qt::ForegroundRole:
        return isVoided(index.row()) ? QVariant(QBrush(QColor(0x9c, 0xa3, 0xaf))) : QVariant();
    case Qt::ToolTipRole: {
        if (isVoided(index.row()))
            return tr("Voided row: listed because voided rows are shown; never counted in the sums");
        const QString reason = cell.value.tooltip();
        if (!reason.isEmpty())
            return reason;
        return cell.note.isEmpty() ? QVariant() : QVariant(cell.note);
    }
    case Qt::TextAlignmentRole:
        return column.type == BoardTableColumn::Type::Text ? QVariant()
                                                           : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::UserRole:
        if (column.type == BoardTableColumn::Type::Value)
            if (const auto n = cell.value.number())
                return *n;
        return column.type == BoardTableColumn::Type::Text ? QVariant(cell.text) : QVariant();
    default:
        return {};
    }
}

QVariant BoardDrillModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= m_table.columns().size())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return m_table.columns().at(section).label;
    if (role == Qt::UserRole)
        return m_table.columns().at(section).key;
    return {};
}

} // namespace riskdesk
