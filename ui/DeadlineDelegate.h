#pragma once

#include <QStyledItemDelegate>

namespace riskdesk {

// Draws short durations ("in 22 h", "2 小时后") so that a narrow column cuts them on the left: the unit of a
// deadline is the part that must never be lost.
class DeadlineDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // The width that shows every text `samples` holds in full, with the cell's padding.
    static int widthFor(const QFontMetrics& metrics, const QStringList& samples);

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace riskdesk
