#pragma once

#include <QStyledItemDelegate>

namespace riskdesk {

// Paints a board table's cells as the standard delegate does (background, selection, focus) but draws a text
// that fits from StaticTextCache, laid out once, instead of laying it out again on every paint. A text that
// does not fit (a column narrowed by hand, elided there), spans lines, or is selected is left to the standard
// delegate.
class BoardCellDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
};

} // namespace riskdesk
