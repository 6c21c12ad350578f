#include "DateField.h"

#include <QCalendarWidget>
#include <QKeyEvent>
#include <QLineEdit>
#include <QTimer>
#include <QToolTip>

using namespace Qt::StringLiterals;

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

namespace {

// The display format's numeric parts in order, by the letter that names each, with their full widths.
QList<std::pair<QChar, int>> formatParts(const QString& format) {
    QList<std::pair<QChar, int>> parts;
    bool quoted = false;
    for (qsizetype i = 0; i < format.size();) {
        const QChar c = format.at(i);
        if (c == u'\'') {
            quoted = !quoted;
            ++i;
            continue;
        }
        qsizetype run = 1;
        while (i + run < format.size() && format.at(i + run) == c)
            ++run;
        if (!quoted && QStringLiteral("yMdHhm").contains(c))
            parts.append({c, int(run)});
        i += run;
    }
    return parts;
}

} // namespace

QString DateField::problemWithTyped() const {
    const QList<std::pair<QChar, int>> parts = formatParts(displayFormat());
    int year = 0, month = 0;
    for (qsizetype i = 0; i < m_typedParts.size() && i < parts.size(); ++i) {
        const QString& typed = m_typedParts.at(i);
        const bool closed = typed.size() >= parts.at(i).second || i + 1 < m_typedParts.size();
        if (typed.isEmpty() || !closed)
            return {}; // still being typed
        const int value = typed.toInt();
        switch (parts.at(i).first.unicode()) {
        case 'y':
            year = value;
            break;
        case 'M':
            if (value < 1 || value > 12)
                return tr("There is no month %1: months run from 01 to 12.").arg(typed);
            month = value;
            break;
        case 'd': {
            const int days = year > 0 && month > 0 ? QDate(year, month, 1).daysInMonth() : 31;
            if (value < 1 || value > days)
                return year > 0 && month > 0 ? tr("%1 has no day %2: it has %n day(s).", nullptr, days)
                                                   .arg(QDate(year, month, 1).toString(u"yyyy-MM"_s), typed)
                                             : tr("There is no day %1.").arg(typed);
            break;
        }
        case 'H':
        case 'h':
            if (value > 23)
                return tr("There is no hour %1: hours run from 00 to 23.").arg(typed);
            break;
        case 'm':
            if (value > 59)
                return tr("There is no minute %1: minutes run from 00 to 59.").arg(typed);
            break;
        default:
            break;
        }
    }
    return {};
}

void DateField::refuseTyped(const QString& why) {
    m_typing = false;
    m_sinceRefusedKey.start();
    setDateTime(m_typedOver);
    // Selected whole to be typed again, once the key is done with (the field selects the part it is on as it
    // takes a value).
    QTimer::singleShot(0, this, [this] { selectAll(); });
    const QString message = tr("%1 The field is back to %2.").arg(why, text());
    QToolTip::showText(mapToGlobal(QPoint(0, height())), message, this, {}, 10000);
    Q_EMIT refused(message);
}

void DateField::focusOutEvent(QFocusEvent* event) {
    m_typing = false;
    m_sinceRefusedKey.invalidate();
    QDateTimeEdit::focusOutEvent(event);
}

bool DateField::followTyping(const QString& typed) {
    const QList<std::pair<QChar, int>> parts = formatParts(displayFormat());
    if (typed.size() == 1 && typed.at(0).isDigit()) {
        if (m_typedParts.size() > parts.size()) {
            m_typing = false; // past the last part: the field refuses more digits itself
            return true;
        }
        if (m_typedParts.last().size() >= parts.at(m_typedParts.size() - 1).second)
            m_typedParts.append(typed); // a full part moves on, as the field does
        else
            m_typedParts.last().append(typed);
    } else if (typed.size() == 1 && typed.at(0).isPrint() && !typed.at(0).isLetterOrNumber()) {
        if (!m_typedParts.last().isEmpty())
            m_typedParts.append(QString()); // a separator closes the part
        return true;
    } else {
        m_typing = false; // any other key: the user edits part by part, as Qt's field lets them
        return true;
    }
    if (const QString why = problemWithTyped(); !why.isEmpty()) {
        refuseTyped(why);
        return false;
    }
    return true;
}

void DateField::keyPressEvent(QKeyEvent* event) {
    const QString typed = event->text();
    if (m_sinceRefusedKey.isValid()) {
        if (typed.size() == 1 && typed.at(0).isPrint() && m_sinceRefusedKey.elapsed() < kTypingBurstMs) {
            m_sinceRefusedKey.start(); // still the refused typing
            event->accept();
            return;
        }
        m_sinceRefusedKey.invalidate();
    }
    const QString selected = lineEdit()->selectedText();
    const bool digit = !typed.isEmpty() && typed.at(0).isDigit();
    const bool overWhole = digit && !selected.isEmpty() && selected == text();
    if (overWhole) {
        // The whole text selected: the typing goes into the first part, selected, which it replaces; a full
        // part moves on to the next one by itself.
        setSelectedSection(sectionAt(0));
        m_typing = true;
        m_typedOver = dateTime();
        m_typedParts = {QString()};
    }
    // Each part read as typed, before the field corrects it out of sight (a day past the month's end became
    // its last day; a digit that made no month was dropped, the next going into the day).
    if (m_typing && !followTyping(typed)) {
        event->accept();
        return;
    }
    if (!overWhole && typed.size() == 1 && !typed.at(0).isLetterOrNumber() && !selected.isEmpty() &&
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
