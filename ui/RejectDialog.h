#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace riskdesk {

// Asks why an exception is rejected. A blank reason is refused here, with a message, before anything is sent.
// A reason written and then cancelled (Esc, Cancel) is the caller's to keep: typedText() and restoreDraft().
class RejectDialog : public QDialog {
    Q_OBJECT
public:
    explicit RejectDialog(const QString& recordId, QWidget* parent = nullptr);

    QString reason() const;
    QString recordId() const { return m_recordId; }
    // What is in the box as typed (not trimmed), and a reason typed before for this exception.
    QString typedText() const;
    void restoreDraft(const QString& text);
    // A kept reason back in its box, the cursor at its end, with a grey note saying so (the bulk dialog too).
    static void showKeptReason(QPlainTextEdit* reason, QLabel* note, const QString& text);
    // The exception was decided elsewhere while the dialog was open: says so, and takes no rejection (the
    // text stays, to be copied).
    void showDecidedElsewhere(const QString& message);
    bool decidedElsewhere() const { return m_decidedElsewhere; }
    void accept() override;

private:
    void showCount();
    QPlainTextEdit* m_reason;
    QString m_recordId;
    QLabel* m_error;
    QLabel* m_count;
    QPushButton* m_confirm;
    bool m_decidedElsewhere = false;
};

} // namespace riskdesk
