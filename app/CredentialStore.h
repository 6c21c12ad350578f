#pragma once

#include <QObject>
#include <QString>
#include <functional>

namespace riskdesk {

// The backend password in the desktop's keychain, through QtKeychain (the Secret Service, KWallet, macOS
// Keychain, Windows Credential Manager). Never QtKeychain's plain-text fallback, never the settings file:
// when no keychain service answers, nothing is kept and the password is asked for at every sign-in.
class CredentialStore : public QObject {
    Q_OBJECT
public:
    enum class Outcome { Done, NotFound, Unavailable };
    struct Answer {
        Outcome outcome = Outcome::Unavailable;
        QString password; // read(): the password kept, when Done
        QString why;      // Unavailable: what the keychain said (for the sign-in dialog), never the password
    };
    using Callback = std::function<void(const Answer&)>;

    explicit CredentialStore(QObject* parent = nullptr);

    // Which entry belongs to a login on a server: the login and where it signs in, never the password.
    static QString keyFor(const QString& url, const QString& login);

    // Each answers once, on this object's thread, through `done`; a keychain that has not answered within
    // the timeout counts as unavailable (sign-in never hangs on it). `context` going away drops the answer.
    void read(const QString& key, QObject* context, Callback done);
    void write(const QString& key, const QString& password, QObject* context, Callback done);
    void forget(const QString& key);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

private:
    int m_timeoutMs = 5000;
};

} // namespace riskdesk
