#pragma once

#include <QComboBox>

namespace riskdesk {

// The active tenant, changed only by a choice made in its open list. A closed combo box takes ↑/↓, Home/End,
// Page Up/Down, typed letters and the mouse wheel as changes of its item, and a tenant switch reloads the
// whole window: a stray ↓ (focus can land here when a button is turned off) moved an approver into another
// tenant unseen, where their next A approved a request (helper-96). Here those keys open the list instead,
// and the wheel passes to the window.
class TenantSwitcher : public QComboBox {
    Q_OBJECT
public:
    using QComboBox::QComboBox;

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
};

} // namespace riskdesk
