#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace riskdesk {

// Signs in to the backend: the login and its password. There is no list of users to pick from: whoever signs
// in is the login the server checks. The dialog stays open while the password is checked (by whoever listens
// to signInRequested) and shows a refusal in place, so a mistyped password is simply typed again.
class BackendSignInDialog : public QDialog {
    Q_OBJECT
public:
    // server: where it signs in (shown, without any password); keychainNote: why the password will not be
    // kept, empty when a keychain is there to keep it.
    BackendSignInDialog(const QString& server, const QString& login, const QString& keychainNote,
                        QWidget* parent = nullptr);

    QString login() const;
    QString password() const;
    bool rememberPassword() const;

    // While the server is asked: the fields are locked and the dialog says so.
    void showChecking();
    // The check failed: the message shows, the password is cleared and has the focus again.
    void showRefusal(const QString& message);

    QLineEdit* loginEdit() const { return m_login; }
    QLineEdit* passwordEdit() const { return m_password; }
    QLabel* message() const { return m_message; }
    QCheckBox* rememberBox() const { return m_remember; }
    QPushButton* signInButton() const { return m_signIn; }

Q_SIGNALS:
    void signInRequested(const QString& login, const QString& password, bool remember);

private:
    void submit();

    QLineEdit* m_login;
    QLineEdit* m_password;
    QCheckBox* m_remember;
    QLabel* m_message;
    QPushButton* m_signIn;
};

} // namespace riskdesk
