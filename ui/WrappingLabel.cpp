#include "WrappingLabel.h"

#include <QEvent>

namespace riskdesk {

WrappingLabel::WrappingLabel(QWidget* parent) : QLabel(parent) {
    setWordWrap(true);
}

int WrappingLabel::heightForWidth(int width) const {
    // setText is not virtual: a changed text is noticed here (an unchanged one shares its data, so the
    // comparison is cheap).
    if (text() != m_measuredText) {
        m_measuredText = text();
        m_heightForWidth.clear();
    }
    if (const auto found = m_heightForWidth.constFind(width); found != m_heightForWidth.constEnd())
        return *found;
    if (m_heightForWidth.size() >= 16)
        m_heightForWidth.clear();
    const int height = QLabel::heightForWidth(width);
    m_heightForWidth.insert(width, height);
    return height;
}

bool WrappingLabel::event(QEvent* event) {
    switch (event->type()) {
    case QEvent::FontChange:
    case QEvent::StyleChange:
    case QEvent::ContentsRectChange:
    case QEvent::LayoutDirectionChange:
        m_heightForWidth.clear();
        break;
    default:
        break;
    }
    return QLabel::event(event);
}

} // namespace riskdesk
