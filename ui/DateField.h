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
    // Typing goes on past a refused part (the rest of "2026-13-05"): what follows within this pause of the
    // last key is dropped, not typed into the value the field went back to.
    static constexpr int kTypingBurstMs = 400;

    // displayFormat is Qt's, e.g. "yyyy-MM-dd" or "yyyy-MM-dd HH:mm".
    explicit DateField(const QString& displayFormat, QWidget* parent = nullptr);

Q_SIGNALS:
    // The user is done with a value: editing finished (Enter, or the focus left), or stepping or a calendar
    // pick paused. Said again for an unchanged value; a receiver that loads compares.
    void committed();
    // A date typed over the whole text named no day (2026-02-30, month 13, hour 24): the field went back to
    // the value it had, and why is shown beside it. A plain QDateTimeEdit took such typing silently as
    // another day (2026-02-03, 2026-10-05, 2026-02-28; helper-88).
    void refused(const QString& why);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void stepBy(int steps) override;

private:
    // Why the parts typed so far name no date or time, or nothing when they may.
    QString problemWithTyped() const;
    // Reads one key of typing over the whole text; false when it made no date (refused, and said why).
    bool followTyping(const QString& typed);
    void refuseTyped(const QString& why);

    QTimer* m_settle;
    // Typing over the whole text: the value before it and the parts typed so far (digits, a part closed by
    // its full width or by a separator), read against the display format's parts in order.
    bool m_typing = false;
    QDateTime m_typedOver;
    QStringList m_typedParts;
    QElapsedTimer m_sinceRefusedKey; // valid while the rest of a refused typing is dropped
};

} // namespace riskdesk
