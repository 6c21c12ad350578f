#pragma once

#include "BackendSignInDialog.h"
#include "sync/BackendLogin.h"

#include <QObject>
#include <QPointer>

namespace riskdesk {

class CredentialStore;

// Signs the desktop in to its backend, so that the user is the backend login and nobody else: the password of
// the URL when it carries one, else the one kept in the keychain, else the sign-in dialog's. Every password
// is checked by connecting (on a worker thread), and one that works is kept in the keychain when the user
// asks and a keychain service runs; without one it is asked for at every sign-in. Passwords live in memory
// only: never in the settings file, never in a log.
class BackendSignIn : public QObject {
    Q_OBJECT
public:
    // interactive false (rendering a screenshot): no dialog; a sign-in that needs one fails instead.
    BackendSignIn(QString url, bool interactive, QObject* parent = nullptr);
    ~BackendSignIn() override;

    void start();
    BackendSignInDialog* dialog() const { return m_dialog; }
    CredentialStore* credentials() const { return m_credentials; }

Q_SIGNALS:
    // urlWithPassword: for the sync, in memory only.
    void signedIn(const riskdesk::BackendIdentity& identity, const QString& urlWithPassword);
    void cancelled();
    void failed(const QString& message);
    // The password worked but could not be kept (the keychain refused it): said once, in the window.
    void notice(const QString& text);

private:
    void tryKeychain(const QString& login);
    void ask(const QString& refusal);
    void check(const QString& login, const QString& password, bool remember, bool fromKeychain);
    void checked(const Result<BackendIdentity>& result, const QString& url, const QString& password,
                 bool remember, bool fromKeychain);

    QString m_url; // as configured: without a password unless the command line or environment gave one
    bool m_interactive;
    CredentialStore* m_credentials;
    QString m_keychainNote; // why nothing can be kept, once the keychain has said so
    QPointer<BackendSignInDialog> m_dialog;
};

} // namespace riskdesk
