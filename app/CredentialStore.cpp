#include "CredentialStore.h"

#include <QPointer>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>
#include <memory>
#include <optional>
#include <qt6keychain/keychain.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QString kService = u"Riskdesk backend"_s;

CredentialStore::Answer answerOf(const QKeychain::Job& job) {
    switch (job.error()) {
    case QKeychain::NoError:
        return {CredentialStore::Outcome::Done, {}, {}};
    case QKeychain::EntryNotFound:
        return {CredentialStore::Outcome::NotFound, {}, {}};
    default:
        return {CredentialStore::Outcome::Unavailable, {}, job.errorString()};
    }
}

// Runs a job and answers once: when it finishes, or when the timeout passes first.
void run(QKeychain::Job* job, int timeoutMs, QObject* context, CredentialStore::Callback done,
         std::function<void(CredentialStore::Answer&)> onDone) {
    job->setAutoDelete(false);
    job->setInsecureFallback(false); // a password in a plain-text file is what this class exists to avoid
    auto answered = std::make_shared<bool>(false);
    auto finish = [job, answered, done, onDone](std::optional<CredentialStore::Answer> timedOut) {
        if (*answered)
            return;
        *answered = true;
        CredentialStore::Answer a = timedOut ? *timedOut : answerOf(*job);
        if (!timedOut && a.outcome == CredentialStore::Outcome::Done && onDone)
            onDone(a);
        job->deleteLater();
        done(a);
    };
    QObject::connect(job, &QKeychain::Job::finished, context, [finish] { finish(std::nullopt); });
    QTimer::singleShot(timeoutMs, context, [finish] {
        finish(CredentialStore::Answer{
            CredentialStore::Outcome::Unavailable, {}, CredentialStore::tr("the keychain did not answer")});
    });
    job->start();
}

} // namespace

CredentialStore::CredentialStore(QObject* parent) : QObject(parent) {}

QString CredentialStore::keyFor(const QString& url, const QString& login) {
    const QUrl u(url);
    if (u.isValid() && !u.host().isEmpty())
        return login + u'@' + u.host() + u':' + QString::number(u.port(5432)) + u.path();
    // A key=value connection string: its text without any password stands for the server.
    QString where = url;
    where.remove(QRegularExpression(uR"(password\s*=\s*('(?:[^'\\]|\\.)*'|\S+))"_s));
    return login + u'@' + where.simplified();
}

void CredentialStore::read(const QString& key, QObject* context, Callback done) {
    auto* job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(key);
    run(job, m_timeoutMs, context, std::move(done), [job](Answer& a) { a.password = job->textData(); });
}

void CredentialStore::write(const QString& key, const QString& password, QObject* context, Callback done) {
    auto* job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(key);
    job->setTextData(password);
    run(job, m_timeoutMs, context, std::move(done), {});
}

void CredentialStore::forget(const QString& key) {
    auto* job = new QKeychain::DeletePasswordJob(kService, this);
    job->setKey(key);
    job->setInsecureFallback(false);
    job->start(); // deletes itself when done (autoDelete)
}

} // namespace riskdesk
