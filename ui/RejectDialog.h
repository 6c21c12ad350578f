#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace riskdesk {

// Asks why an exception is rejected. A blank reason is refused here, with a message, before anything is sent.
// A reason written and then cancelled (Esc, Cancel) is the caller's to keep: typedText() and restoreDraft().
class RejectDialog : public QDialog {
    Q_OBJECT
public:
    explicit RejectDialog(const QString& recordId, QWidget* parent = nullptr);

    QString reason() const;
    // What is in the box as typed (not trimmed), and a reason typed before for this exception.
    QString typedText() const;
    void restoreDraft(const QString& text);
    void accept() override;

private:
    QPlainTextEdit* m_reason;
    QLabel* m_error;
};

} // namespace riskdesk
