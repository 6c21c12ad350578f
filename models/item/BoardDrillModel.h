#pragma once

#include "boards/BoardTable.h"

#include <QAbstractTableModel>
#include <QLocale>

namespace riskdesk {

// One page of any BoardTable as a read-only table model (a drill-down's rows): cells shown as the board
// shows them, figures right-aligned, the raw number under Qt::UserRole for tests and sorting indicators;
// voided rows greyed out.
// The totals row is not a row here: the drill-down panel shows it as its footer.
class BoardDrillModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit BoardDrillModel(QObject* parent = nullptr);

    void setTable(const BoardTable& table, const QLocale& locale);
    void clear();
    const BoardTable& table() const { return m_table; }
    // The column's machine key (the engine's sort and drill keys use it).
    QString columnKey(int column) const;
    // A voided row (listed when the drill shows voided rows, spec §2.7): drawn grey, never counted.
    bool isVoided(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    BoardTable m_table;
    QLocale m_locale;
};

} // namespace riskdesk
