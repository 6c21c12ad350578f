#include "BackendSignIn.h"

#include "BackendSignInDialog.h"
#include "CredentialStore.h"

#include <QThread>
#include <QUrl>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// Where the dialog says it signs in: the URL without anyone's credentials.
QString serverShown(const QString& url) {
    QUrl u(url);
    if (u.isValid() && !u.host().isEmpty()) {
        u.setUserInfo({});
        return u.toString();
    }
    return url.section(u' ', 0, 0); // a key=value string: its first pair, never a password typed later
}

} // namespace

BackendSignIn::BackendSignIn(QString url, bool interactive, QObject* parent)
    : QObject(parent), m_url(std::move(url)), m_interactive(interactive),
      m_credentials(new CredentialStore(this)) {}

BackendSignIn::~BackendSignIn() {
    if (m_dialog)
        m_dialog->deleteLater();
}

void BackendSignIn::start() {
    const QString login = BackendLogin::loginOf(m_url);
    if (BackendLogin::hasPassword(m_url)) // given on purpose (--backend or $RISKDESK_URL): tried as it is
        return check(login, {}, false, false);
    if (login.isEmpty())
        return ask({});
    tryKeychain(login);
}

void BackendSignIn::tryKeychain(const QString& login) {
    m_credentials->read(CredentialStore::keyFor(m_url, login), this,
                        [this, login](const CredentialStore::Answer& a) {
                            if (a.outcome == CredentialStore::Outcome::Done && !a.password.isEmpty())
                                return check(login, a.password, false, true);
                            if (a.outcome == CredentialStore::Outcome::Unavailable)
                                m_keychainNote = a.why.isEmpty() ? tr("no answer") : a.why;
                            ask({});
                        });
}

void BackendSignIn::ask(const QString& refusal) {
    if (!m_interactive)
        return Q_EMIT failed(refusal.isEmpty()
                                 ? tr("Signing in to the backend needs the password of the login; "
                                      "give it in the URL or sign in once with the window.")
                                 : refusal);
    if (!m_dialog) {
        m_dialog = new BackendSignInDialog(serverShown(m_url), BackendLogin::loginOf(m_url), m_keychainNote);
        connect(m_dialog, &BackendSignInDialog::signInRequested, this,
                [this](const QString& login, const QString& password, bool remember) {
                    check(login, password, remember, false);
                });
        connect(m_dialog, &QDialog::rejected, this, &BackendSignIn::cancelled);
    }
    if (!refusal.isEmpty())
        m_dialog->showRefusal(refusal);
    m_dialog->open();
}

// libpq blocks: the connection is tried on a thread of its own, and the answer comes back to this object.
void BackendSignIn::check(const QString& login, const QString& password, bool remember, bool fromKeychain) {
    const QString url = password.isEmpty() ? m_url : BackendLogin::withCredentials(m_url, login, password);
    auto result = std::make_shared<Result<BackendIdentity>>(Problem{u"not_checked"_s, {}, {}});
    QThread* worker = QThread::create([url, result] { *result = BackendLogin::check(url); });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &QThread::finished, this,
            [=, this] { checked(*result, url, password, remember, fromKeychain); });
    worker->start();
}

void BackendSignIn::checked(const Result<BackendIdentity>& result, const QString& url,
                            const QString& password, bool remember, bool fromKeychain) {
    if (!result) {
        const QString code = result.problem().code;
        QString message = result.problem().message;
        if (fromKeychain && code == u"password_refused") {
            // Changed on the server since it was kept: the kept one is useless, and is dropped.
            m_credentials->forget(CredentialStore::keyFor(m_url, BackendLogin::loginOf(url)));
            message =
                tr("The password kept in this desktop's keychain was refused; it has been removed. Type "
                   "the current one.");
        }
        return ask(message);
    }
    const BackendIdentity identity = result.value();
    auto done = [this, identity, url] {
        if (m_dialog) {
            m_dialog->accept();
            m_dialog->deleteLater();
        }
        Q_EMIT signedIn(identity, url);
    };
    if (!remember || password.isEmpty())
        return done();
    m_credentials->write(CredentialStore::keyFor(m_url, identity.login), password, this,
                         [this, done](const CredentialStore::Answer& a) {
                             if (a.outcome != CredentialStore::Outcome::Done)
                                 Q_EMIT notice(tr("The password could not be kept in the keychain (%1); it "
                                                  "will be asked for at the next sign-in.")
                                                   .arg(a.why));
                             done();
                         });
}

} // namespace riskdesk
