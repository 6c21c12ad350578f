#include "BoardCellDelegate.h"

#include "StaticTextCache.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace riskdesk {

void BoardCellDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    // The selected cell (one at a time) too: light text on the highlight is blended differently by the two
    // drawing paths, and it is one cell.
    if (opt.text.isEmpty() || opt.text.contains(QChar::LineFeed) || !opt.icon.isNull() ||
        opt.state.testFlag(QStyle::State_Selected) ||
        opt.features.testFlag(QStyleOptionViewItem::HasCheckIndicator)) {
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        return;
    }
    // The margins the style's own text drawing keeps (QCommonStyle: the focus frame's margin and a pixel).
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    // The whole cell: no icon and no check box share it (the style's own subElementRect would lay the text
    // out only to find that).
    const QRect textRect = opt.rect.adjusted(margin, 0, -margin, 0);
    const QStaticText& text = StaticTextCache::shared().text(opt.text, opt.font);
    const QSizeF size = text.size();
    if (size.width() > textRect.width()) {
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        return;
    }
    opt.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // background, selection, focus

    const QPalette::ColorGroup group = !opt.state.testFlag(QStyle::State_Enabled) ? QPalette::Disabled
                                       : opt.state.testFlag(QStyle::State_Active) ? QPalette::Active
                                                                                  : QPalette::Inactive;
    // Placed where the style's text layout puts it: vertically as a rectangle of the line's whole height,
    // horizontally by the fractional width (a right-aligned figure ends exactly at the margin).
    const QRect line = QStyle::alignedRect(opt.direction, opt.displayAlignment & Qt::AlignVertical_Mask,
                                           QSize(textRect.width(), qRound(size.height())), textRect);
    const Qt::Alignment horizontal = QStyle::visualAlignment(opt.direction, opt.displayAlignment);
    qreal x = textRect.x();
    if (horizontal & Qt::AlignRight)
        x += textRect.width() - size.width();
    else if (horizontal & Qt::AlignHCenter)
        x += (textRect.width() - size.width()) / 2;
    painter->save();
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(group, QPalette::Text));
    painter->setClipRect(textRect, Qt::IntersectClip);
    painter->drawStaticText(QPointF(x, line.top()), text);
    painter->restore();
}

} // namespace riskdesk
