#include "DateField.h"

#include <QCalendarWidget>
#include <QClipboard>
#include <QGuiApplication>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMouseEvent>
#include <QTimer>
#include <QToolTip>
#include <tuple>

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

QDateTimeEdit::Section sectionOf(QChar kind) {
    switch (kind.unicode()) {
    case 'y':
        return QDateTimeEdit::YearSection;
    case 'M':
        return QDateTimeEdit::MonthSection;
    case 'd':
        return QDateTimeEdit::DaySection;
    case 'H':
    case 'h':
        return QDateTimeEdit::HourSection;
    case 'm':
        return QDateTimeEdit::MinuteSection;
    default:
        return QDateTimeEdit::NoSection;
    }
}

bool isAsciiDigit(QChar c) {
    return c >= u'0' && c <= u'9'; // another script's digit is no key of this field (Qt ignores it too)
}

} // namespace

int DateField::partValue(QChar kind) const {
    const QList<std::pair<QChar, int>> parts = formatParts(displayFormat());
    for (qsizetype i = 0; i < parts.size() && i < m_typed.size(); ++i)
        if (parts.at(i).first == kind && !m_typed.at(i).isEmpty())
            return m_typed.at(i).toInt();
    return 0;
}

int DateField::largest(QChar kind) const {
    switch (kind.unicode()) {
    case 'M':
        return 12;
    case 'd': {
        const int year = partValue(u'y'), month = partValue(u'M');
        return year > 0 && month >= 1 && month <= 12 ? QDate(year, month, 1).daysInMonth() : 31;
    }
    case 'H':
    case 'h':
        return 23;
    case 'm':
        return 59;
    default:
        return 9999;
    }
}

QString DateField::problemWith(QChar kind, const QString& digits) const {
    switch (kind.unicode()) {
    case 'M':
        return tr("There is no month %1: months run from 01 to 12.").arg(digits);
    case 'd': {
        const int year = partValue(u'y'), month = partValue(u'M');
        if (year > 0 && month >= 1 && month <= 12)
            return tr("%1 has no day %2: it has %n day(s).", nullptr, largest(kind))
                .arg(QDate(year, month, 1).toString(u"yyyy-MM"_s), digits);
        return tr("There is no day %1.").arg(digits);
    }
    case 'H':
    case 'h':
        return tr("There is no hour %1: hours run from 00 to 23.").arg(digits);
    case 'm':
        return tr("There is no minute %1: minutes run from 00 to 59.").arg(digits);
    default:
        return {};
    }
}

void DateField::startTyping(qsizetype part) {
    const QList<std::pair<QChar, int>> parts = formatParts(displayFormat());
    m_typing = true;
    m_typedOver = dateTime();
    m_typed.clear();
    for (qsizetype i = 0; i < parts.size(); ++i) // the parts before it as shown (a day needs its month)
        m_typed << (i < part ? sectionText(sectionOf(parts.at(i).first)) : QString());
    m_part = part;
    m_lastClosedEarly = false;
}

QString DateField::followTyping(QChar c) {
    const QList<std::pair<QChar, int>> parts = formatParts(displayFormat());
    if (isAsciiDigit(c)) {
        if (m_part >= parts.size()) {
            // Past the last part. One that closed before its full width took no digit more: this one was
            // meant as part of it (2026-02-3, then 0), which the field drops without a word.
            m_typing = false;
            return m_lastClosedEarly ? problemWith(parts.last().first, m_typed.last() + c) : QString();
        }
        const QChar kind = parts.at(m_part).first;
        const QString digits = m_typed.at(m_part) + c;
        const int value = digits.toInt();
        const bool full = digits.size() >= parts.at(m_part).second;
        const int smallest = kind == u'M' || kind == u'd' ? 1 : 0;
        if (value > largest(kind) || (full && value < smallest))
            return problemWith(kind, digits);
        m_typed[m_part] = digits;
        // The field moves on at the full width, or as soon as no digit could follow (a month of 2 to 9, a
        // day of 4 to 9, or of 3 in February), and the typing is read the same way.
        m_lastClosedEarly = !full && value * 10 > largest(kind);
        if (full || m_lastClosedEarly)
            ++m_part;
        return {};
    }
    if (c.isPrint() && !c.isLetterOrNumber()) {
        // A separator closes a part typed short (2026-2-3); after a part already closed it is passed over.
        if (m_part < parts.size() && !m_typed.at(m_part).isEmpty()) {
            const QChar kind = parts.at(m_part).first;
            if ((kind == u'M' || kind == u'd') && m_typed.at(m_part).toInt() < 1)
                return problemWith(kind, m_typed.at(m_part));
            m_lastClosedEarly = true;
            ++m_part;
        }
        return {};
    }
    m_typing = false; // any other key: the user edits part by part, as Qt's field lets them
    return {};
}

QString DateField::problemIn(const QString& text) {
    const auto saved = std::tuple(m_typing, m_typedOver, m_typed, m_part, m_lastClosedEarly);
    startTyping(0);
    QString why;
    for (const QChar c : text) {
        why = followTyping(c);
        if (!why.isEmpty() || !m_typing)
            break;
    }
    std::tie(m_typing, m_typedOver, m_typed, m_part, m_lastClosedEarly) = saved;
    return why;
}

void DateField::refuseTyped(const QDateTime& before, const QString& why) {
    m_typing = false;
    m_sinceRefusal.start();
    setDateTime(before);
    // Selected whole to be typed again, once the key is done with (the field selects the part it is on as it
    // takes a value).
    QTimer::singleShot(0, this, [this] { selectAll(); });
    const QString message = tr("%1 The field is back to %2.").arg(why, text());
    QToolTip::showText(mapToGlobal(QPoint(0, height())), message, this, {}, 10000);
    Q_EMIT refused(message);
}

void DateField::focusOutEvent(QFocusEvent* event) {
    m_typing = false;
    m_sinceRefusal.invalidate();
    QDateTimeEdit::focusOutEvent(event);
}

void DateField::mousePressEvent(QMouseEvent* event) {
    m_typing = false; // a click moves to another part: what is typed next is read from there
    QDateTimeEdit::mousePressEvent(event);
}

void DateField::inputMethodEvent(QInputMethodEvent* event) {
    // A date committed by an input method whole, as a paste is.
    if (const QString why = problemIn(event->commitString().trimmed()); !why.isEmpty()) {
        event->accept();
        refuseTyped(dateTime(), why);
        return;
    }
    QDateTimeEdit::inputMethodEvent(event);
}

void DateField::keyPressEvent(QKeyEvent* event) {
    const QString typed = event->text();
    if (m_sinceRefusal.isValid()) {
        // The rest of the typing a part of which was refused (the "-05" of 2026-13-05): dropped, not typed
        // into the value the field went back to.
        if (typed.size() == 1 && typed.at(0).isPrint() && m_sinceRefusal.elapsed() < kTypingBurstMs) {
            event->accept();
            return;
        }
        m_sinceRefusal.invalidate();
    }
    if (event->matches(QKeySequence::Paste)) {
        // A pasted date that names no day was made into another (2026-02-30 into 2026-02-28).
        const QClipboard* clipboard = QGuiApplication::clipboard();
        if (const QString why = problemIn(clipboard ? clipboard->text().trimmed() : QString());
            !why.isEmpty()) {
            event->accept();
            refuseTyped(dateTime(), why);
            return;
        }
    }
    const QString selected = lineEdit()->selectedText();
    const bool digit = typed.size() == 1 && isAsciiDigit(typed.at(0));
    const bool overWhole = digit && !selected.isEmpty() && selected == text();
    if (overWhole) {
        // The whole text selected: the typing goes into the first part, selected, which it replaces; a full
        // part moves on to the next one by itself.
        setSelectedSection(sectionAt(0));
        startTyping(0);
        QToolTip::hideText(); // a refusal's reason, once the date is typed again, would name the old one
    } else if (digit && !m_typing && !selected.isEmpty() && selected == sectionText(currentSection())) {
        // One part selected (a double-click, Tab): typed over, it is read from there.
        const QList<std::pair<QChar, int>> parts = formatParts(displayFormat());
        for (qsizetype i = 0; i < parts.size(); ++i)
            if (sectionOf(parts.at(i).first) == currentSection()) {
                startTyping(i);
                break;
            }
    }
    // Each part read as typed, before the field corrects it out of sight (a day past the month's end became
    // its last day; a digit that made no month was dropped, the next going into the day).
    if (m_typing && typed.size() == 1) {
        if (const QString why = followTyping(typed.at(0)); !why.isEmpty()) {
            event->accept();
            refuseTyped(m_typedOver, why);
            return;
        }
    } else if (m_typing) {
        m_typing = false; // Backspace, the arrows, Home: the user edits part by part
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
    m_typing = false;
    QDateTimeEdit::stepBy(steps); // the arrow keys, Page Up/Down and the wheel all come here
    m_settle->start();
}

} // namespace riskdesk
