#include "BackendSignInDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

BackendSignInDialog::BackendSignInDialog(const QString& server, const QString& login,
                                         const QString& keychainNote, QWidget* parent)
    : QDialog(parent) {
    setObjectName(u"backendSignInDialog"_s);
    setWindowTitle(tr("Sign in to the backend"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("This workspace works with the backend at %1. You sign in as your backend "
                                "login: your decisions are made, and checked by the server, as that login.")
                                 .arg(server));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    m_login = new QLineEdit(login);
    m_login->setObjectName(u"backendLogin"_s);
    m_login->setAccessibleName(tr("Login"));
    form->addRow(tr("&Login:"), m_login);
    m_password = new QLineEdit;
    m_password->setObjectName(u"backendPassword"_s);
    m_password->setAccessibleName(tr("Password"));
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&Password:"), m_password);
    layout->addLayout(form);
    m_remember = new QCheckBox(tr("&Keep the password in this desktop's keychain"));
    m_remember->setObjectName(u"rememberPassword"_s);
    m_remember->setChecked(keychainNote.isEmpty());
    m_remember->setEnabled(keychainNote.isEmpty());
    layout->addWidget(m_remember);
    if (!keychainNote.isEmpty()) {
        auto* note = new QLabel(tr("No keychain service is running (%1): the password is not kept, and is "
                                   "asked for at every sign-in.")
                                    .arg(keychainNote));
        note->setObjectName(u"keychainNote"_s);
        note->setWordWrap(true);
        layout->addWidget(note);
    }
    m_message = new QLabel;
    m_message->setObjectName(u"signInMessage"_s);
    m_message->setWordWrap(true);
    m_message->setVisible(false);
    layout->addWidget(m_message);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_signIn = buttons->button(QDialogButtonBox::Ok);
    m_signIn->setText(tr("Sign in"));
    connect(buttons, &QDialogButtonBox::accepted, this, &BackendSignInDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    (login.isEmpty() ? m_login : m_password)->setFocus();
    resize(460, sizeHint().height());
}

QString BackendSignInDialog::login() const {
    return m_login->text().trimmed();
}

QString BackendSignInDialog::password() const {
    return m_password->text();
}

bool BackendSignInDialog::rememberPassword() const {
    return m_remember->isEnabled() && m_remember->isChecked();
}

void BackendSignInDialog::submit() {
    if (login().isEmpty())
        return showRefusal(tr("Type your backend login."));
    if (password().isEmpty())
        return showRefusal(tr("Type the password of the login \"%1\".").arg(login()));
    showChecking();
    Q_EMIT signInRequested(login(), password(), rememberPassword());
}

void BackendSignInDialog::showChecking() {
    m_message->setStyleSheet({});
    m_message->setText(tr("Checking the password with the server…"));
    m_message->setVisible(true);
    m_login->setEnabled(false);
    m_password->setEnabled(false);
    m_signIn->setEnabled(false);
}

void BackendSignInDialog::showRefusal(const QString& message) {
    m_message->setStyleSheet(u"color: #b91c1c;"_s);
    m_message->setText(message);
    m_message->setVisible(true);
    m_login->setEnabled(true);
    m_password->setEnabled(true);
    m_signIn->setEnabled(true);
    m_password->clear();
    (login().isEmpty() ? m_login : m_password)->setFocus();
}

} // namespace riskdesk
