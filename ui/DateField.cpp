#include "DateField.h"

#include <QCalendarWidget>
#include <QKeyEvent>
#include <QLineEdit>
#include <QTimer>

namespace riskdesk {

DateField::DateField(const QString& displayFormat, QWidget* parent) : QDateTimeEdit(parent) {
    setDisplayFormat(displayFormat);
    setCalendarPopup(true);
    m_settle = new QTimer(this);
    m_settle->setSingleShot(true);
    m_settle->setInterval(kSettleMs);
    connect(m_settle, &QTimer::timeout, this, &DateField::committed);
    connect(this, &QDateTimeEdit::editingFinished, this, [this] {
        m_settle->stop();
        Q_EMIT committed();
    });
    // A day picked in the popup changes the value without finishing the editing (helper-85: the board kept
    // the old day until Enter).
    connect(calendarWidget(), &QCalendarWidget::clicked, m_settle, qOverload<>(&QTimer::start));
    connect(calendarWidget(), &QCalendarWidget::activated, m_settle, qOverload<>(&QTimer::start));
}

void DateField::keyPressEvent(QKeyEvent* event) {
    const QString typed = event->text();
    const QString selected = lineEdit()->selectedText();
    if (!typed.isEmpty() && typed.at(0).isDigit() && !selected.isEmpty() && selected == text()) {
        // The whole text selected: the typing goes into the first part, selected, which it replaces; a full
        // part moves on to the next one by itself.
        setSelectedSection(sectionAt(0));
    } else if (typed.size() == 1 && !typed.at(0).isLetterOrNumber() && !selected.isEmpty() &&
               selected == sectionText(currentSection())) {
        // The separator the field already passed over when the part before it filled up: typed once more it
        // would skip a part.
        const int start = lineEdit()->selectionStart();
        if (start > 0 && text().at(start - 1) == typed.at(0)) {
            event->accept();
            return;
        }
    }
    QDateTimeEdit::keyPressEvent(event);
    // Enter finishes the date, and only the date: passed on, it pressed a dialog's default button, and the
    // request form was filed with the other end of its window as it happened to be (helper-87).
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
        event->accept();
}

void DateField::stepBy(int steps) {
    QDateTimeEdit::stepBy(steps); // the arrow keys, Page Up/Down and the wheel all come here
    m_settle->start();
}

} // namespace riskdesk
