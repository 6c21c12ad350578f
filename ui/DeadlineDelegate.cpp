#include "DeadlineDelegate.h"

#include <QFontMetrics>

namespace riskdesk {

int DeadlineDelegate::widthFor(const QFontMetrics& metrics, const QStringList& samples) {
    int widest = 0;
    for (const QString& s : samples)
        widest = std::max(widest, metrics.horizontalAdvance(s));
    // The view's cell margins on both sides, the bold the expiring rows use, and a little air.
    return widest + widest / 8 + 2 * metrics.averageCharWidth() + 12;
}

void DeadlineDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    option->textElideMode = Qt::ElideLeft;
}

} // namespace riskdesk
