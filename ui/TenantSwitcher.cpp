#include "TenantSwitcher.h"

#include <QKeyEvent>
#include <QWheelEvent>

namespace riskdesk {

void TenantSwitcher::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
    case Qt::Key_Home:
    case Qt::Key_End:
        showPopup(); // the list says which tenant is chosen before anything is switched
        event->accept();
        return;
    default:
        break;
    }
    // Typed letters would pick the first tenant whose name starts with them.
    if (!event->text().isEmpty() && event->text().at(0).isPrint() && event->text() != u" ") {
        event->ignore();
        return;
    }
    QComboBox::keyPressEvent(event); // Space, F4 and Alt+↓ open the list; Tab moves on
}

void TenantSwitcher::wheelEvent(QWheelEvent* event) {
    event->ignore();
}

} // namespace riskdesk
