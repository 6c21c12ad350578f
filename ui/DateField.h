#pragma once

#include <QDateTimeEdit>
#include <QElapsedTimer>

class QTimer;

namespace riskdesk {

// A date (or date and time) field in a fixed ISO form, with a calendar, that takes what a user does to it:
// a date typed over its whole text replaces it (a plain QDateTimeEdit refuses every key, the first digit
// alone being no date), a separator typed after a full part is passed over (else the month goes into the
// day), and a day stepped with the keys or the wheel, or picked in the calendar, is committed once the user
// pauses, without Enter. Enter commits the field and goes no further (no dialog's default button).
class DateField : public QDateTimeEdit {
    Q_OBJECT
public:
    static constexpr int kSettleMs = 500; // a pause in stepping that commits the value
    // Typing goes on past a refused part (the rest of "2026-13-05"): what is typed within this time of the
    // refusal is dropped, not typed into the value the field went back to.
    static constexpr int kTypingBurstMs = 400;

    // displayFormat is Qt's, e.g. "yyyy-MM-dd" or "yyyy-MM-dd HH:mm".
    explicit DateField(const QString& displayFormat, QWidget* parent = nullptr);

Q_SIGNALS:
    // The user is done with a value: editing finished (Enter, or the focus left), or stepping or a calendar
    // pick paused. Said again for an unchanged value; a receiver that loads compares.
    void committed();
    // A date typed (over the whole text or one part), pasted or put in by an input method named no day
    // (2026-02-30, month 13, hour 24): the field went back to the value it had, and why is shown beside it.
    // A plain QDateTimeEdit took such input silently as another day (2026-02-03, 2026-10-05, 2026-02-28;
    // helper-88).
    void refused(const QString& why);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void inputMethodEvent(QInputMethodEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void stepBy(int steps) override;

private:
    // Typing read part by part as the field reads it (a part moves on at its full width, or as soon as no
    // digit could follow), from the part typed over: the value before it, the digits of each part so far.
    void startTyping(qsizetype part);
    // Follows one typed character; why the typing names no date or time, or nothing.
    QString followTyping(QChar c);
    // Why a whole text (pasted, or from an input method) names no date, or nothing.
    QString problemIn(const QString& text);
    int partValue(QChar kind) const; // the part typed or shown, 0 when none
    int largest(QChar kind) const;   // a day's largest is its month's last
    QString problemWith(QChar kind, const QString& digits) const;
    void refuseTyped(const QDateTime& before, const QString& why);

    QTimer* m_settle;
    bool m_typing = false;
    QDateTime m_typedOver;
    QStringList m_typed;            // digits of each part of the display format, in order
    qsizetype m_part = 0;           // the part the next digit goes into (past the last: their count)
    bool m_lastClosedEarly = false; // the part before m_part moved on short of its full width
    QElapsedTimer m_sinceRefusal;   // valid while the rest of a refused typing is dropped
};

} // namespace riskdesk
