#pragma once

#include <QDateTimeEdit>

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

    // displayFormat is Qt's, e.g. "yyyy-MM-dd" or "yyyy-MM-dd HH:mm".
    explicit DateField(const QString& displayFormat, QWidget* parent = nullptr);

Q_SIGNALS:
    // The user is done with a value: editing finished (Enter, or the focus left), or stepping or a calendar
    // pick paused. Said again for an unchanged value; a receiver that loads compares.
    void committed();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void stepBy(int steps) override;

private:
    QTimer* m_settle;
};

} // namespace riskdesk
