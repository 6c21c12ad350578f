#include "AttachmentFetcher.h"

#include "AttachmentMime.h"

#include <QCoro/QCoroNetworkReply>
#include <QCryptographicHash>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QPointer>
#include <QSslError>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// What the reply's signal handlers saw, shared with the coroutine that reads the reply.
struct FetchState {
    AttachmentError failure; // set by us (redirect refused, cancel); wins over the reply's own error
    QStringList tlsProblems;
    QString scheme; // of the address being fetched now, after the redirects accepted so far
    int redirects = 0;
};

// Ends the reply whichever way the fetch ends. Held through a QPointer: the network access manager deletes
// its replies when it goes, and the fetch may resume after that.
struct ReplyGuard {
    QPointer<QNetworkReply> reply;
    ~ReplyGuard() {
        if (reply) {
            reply->disconnect();
            reply->abort();
            reply->deleteLater();
        }
    }
};

AttachmentError errorOf(const QNetworkReply& reply, const FetchState& state) {
    using Kind = AttachmentError::Kind;
    if (state.failure.isError())
        return state.failure;
    const int status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    switch (reply.error()) {
    case QNetworkReply::NoError:
        return {};
    case QNetworkReply::SslHandshakeFailedError:
        return {Kind::Tls,
                state.tlsProblems.isEmpty() ? reply.errorString() : state.tlsProblems.join(u"; "_s)};
    case QNetworkReply::TooManyRedirectsError:
        return {Kind::TooManyRedirects, {}};
    case QNetworkReply::InsecureRedirectError:
        return {Kind::InsecureRedirect, {}};
    case QNetworkReply::OperationCanceledError:
        return {Kind::Cancelled, {}};
    default:
        break;
    }
    if (!state.tlsProblems.isEmpty())
        return {Kind::Tls, state.tlsProblems.join(u"; "_s)};
    if (status >= 400)
        return {Kind::HttpStatus, reply.attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
                status};
    return {AttachmentError::Kind::Network, reply.errorString()};
}

bool headersArrived(const QNetworkReply& reply) {
    return reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid();
}

} // namespace

bool AttachmentFetcher::redirectAllowed(const QString& fromScheme, const QString& toScheme) {
    const QString from = fromScheme.toLower(), to = toScheme.toLower();
    if (to == u"https")
        return from == u"https" || from == u"http";
    return to == u"http" && from == u"http";
}

void AttachmentFetcher::useSystemProxy() {
    QNetworkProxyFactory::setUseSystemConfiguration(true);
}

QCoro::Task<AttachmentResult> AttachmentFetcher::fetch(QPointer<QNetworkAccessManager> network, QUrl url,
                                                       AttachmentFetchLimits limits,
                                                       QPointer<AttachmentFetchControl> control) {
    using Kind = AttachmentError::Kind;
    AttachmentResult result;
    result.content.url = url;
    result.content.fileName = url.fileName();
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty()) {
        result.error = {Kind::BadAddress, url.toDisplayString()};
        co_return result;
    }
    if (!network) {
        result.error = {Kind::Network, {}};
        co_return result;
    }

    QNetworkRequest request(url);
    // Each redirect is checked here, before it is followed (Qt's own policy would also allow odd schemes).
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::UserVerifiedRedirectPolicy);
    request.setMaximumRedirectsAllowed(limits.maxRedirects + 1); // ours counts first (see the handler)
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    const QPointer<QNetworkReply> reply = network->get(request);
    const ReplyGuard guard{reply};
    // Read as we go with a small buffer: a refused large file stops the transfer instead of filling memory.
    reply->setReadBufferSize(256 * 1024);

    auto state = std::make_shared<FetchState>();
    state->scheme = scheme;
    QObject::connect(
        reply, &QNetworkReply::redirected, reply,
        [reply, state, maxRedirects = limits.maxRedirects](const QUrl& to) {
            const QUrl target = reply->url().resolved(to);
            if (!redirectAllowed(state->scheme, target.scheme())) {
                state->failure = {
                    Kind::InsecureRedirect,
                    AttachmentError::tr("(%1 → %2)").arg(state->scheme, target.toDisplayString())};
                reply->abort();
                return;
            }
            if (state->redirects >=
                maxRedirects) { // counted here: Qt's own count ends a loop without an error
                state->failure = {Kind::TooManyRedirects, {}};
                reply->abort();
                return;
            }
            state->scheme = target.scheme().toLower();
            ++state->redirects;
            Q_EMIT reply->redirectAllowed();
        });
    // Reported and never ignored: without ignoreSslErrors() the handshake fails and nothing is read.
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [state](const QList<QSslError>& errors) {
        for (const QSslError& e : errors)
            state->tlsProblems << e.errorString();
    });
    if (control)
        QObject::connect(control, &AttachmentFetchControl::cancelRequested, reply, [reply, state] {
            if (!state->failure.isError())
                state->failure = {Kind::Cancelled, {}};
            reply->abort();
        });

    auto replyCoro = qCoro(reply.data()); // lives as long as the loop that awaits it
    QByteArray body;
    bool headersSeen = false;
    int redirectsSeen = 0;
    qint64 total = -1;
    auto stop = [&](AttachmentError error) {
        if (!state->failure.isError())
            state->failure = std::move(error);
        reply->abort();
    };
    for (;;) {
        if (state->redirects != redirectsSeen) { // a new response is coming: its headers wait anew
            redirectsSeen = state->redirects;
            headersSeen = false;
        }
        if (!headersSeen && headersArrived(*reply) &&
            !reply->attribute(QNetworkRequest::RedirectionTargetAttribute).isValid()) {
            headersSeen = true;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status >= 400) {
                stop({Kind::HttpStatus,
                      reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(), status});
                break;
            }
            const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
            total = length.isValid() ? length.toLongLong() : -1;
            if (total > limits.maxBytes) {
                stop({Kind::TooLarge,
                      AttachmentError::tr("(%1 bytes; the limit is %2)").arg(total).arg(limits.maxBytes)});
                break;
            }
        }
        if (reply->isOpen()) // not after an abort
            body += reply->readAll();
        result.bytesReceived = body.size();
        if (body.size() > limits.maxBytes) {
            stop({Kind::TooLarge, AttachmentError::tr("(more than %1 bytes)").arg(limits.maxBytes)});
            break;
        }
        if (control && headersSeen)
            Q_EMIT control->progress(body.size(), total);
        if (reply->isFinished() || state->failure.isError())
            break;
        const int wait = headersSeen ? limits.transferTimeoutMs : limits.connectTimeoutMs;
        const bool woke = co_await replyCoro.waitForReadyRead(std::chrono::milliseconds(wait));
        if (!reply) { // the network access manager went away with its replies: nobody waits for this any more
            result.error = {Kind::Cancelled, {}};
            co_return result;
        }
        const bool silent = !woke && !reply->isFinished() && reply->bytesAvailable() == 0 &&
                            reply->error() == QNetworkReply::NoError && !state->failure.isError();
        if (!silent)
            continue;
        if (!headersSeen && headersArrived(*reply))
            continue; // the headers came without a body yet: from now on the body's silence counts
        stop({headersSeen ? Kind::TransferTimeout : Kind::ConnectTimeout,
              AttachmentError::tr("(%1 s)").arg(wait / 1000.0)});
        break;
    }
    result.error = errorOf(*reply, *state);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (!result.error.isError() && status >= 300 && status < 400) // a redirect left unfollowed
        result.error =
            state->redirects >= limits.maxRedirects
                ? AttachmentError(Kind::TooManyRedirects, {})
                : AttachmentError(Kind::HttpStatus,
                                  reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
                                  status);
    if (result.error.isError())
        co_return result;
    result.content.mimeType = AttachmentMime::detect(
        body, reply->header(QNetworkRequest::ContentTypeHeader).toString(), result.content.fileName);
    result.content.sha256 = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
    result.content.bytes = std::move(body);
    co_return result;
}

} // namespace riskdesk
