#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace riskdesk {

// Asks why an exception is rejected. A blank reason is refused here, with a message, before anything is sent.
class RejectDialog : public QDialog {
    Q_OBJECT
public:
    explicit RejectDialog(const QString& recordId, QWidget* parent = nullptr);

    QString reason() const;
    void accept() override;

private:
    QPlainTextEdit* m_reason;
    QLabel* m_error;
};

} // namespace riskdesk
