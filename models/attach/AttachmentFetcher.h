#pragma once

#include "AttachmentFetchControl.h"
#include "AttachmentTypes.h"

#include <QCoro/QCoroTask>
#include <QPointer>

class QNetworkAccessManager;

namespace riskdesk {

// Fetches one attachment over HTTP(S) with the limits a desk needs: a connect and a transfer timeout, a size
// limit checked against Content-Length and against every piece received, redirects only to the same or a
// more secure scheme, TLS errors reported (never ignored), and the type taken from the bytes.
class AttachmentFetcher {
public:
    // A free coroutine with its arguments by value: nothing it uses dies while it waits. The network access
    // manager must live in the calling thread; when it is deleted mid-fetch, the fetch ends as a network
    // error.
    static QCoro::Task<AttachmentResult> fetch(QPointer<QNetworkAccessManager> network, QUrl url,
                                               AttachmentFetchLimits limits,
                                               QPointer<AttachmentFetchControl> control);

    // The proxy the system is configured with (environment, desktop settings) for every fetch of the process.
    static void useSystemProxy();

    // Whether a redirect from one scheme to another keeps the fetch at least as secure.
    static bool redirectAllowed(const QString& fromScheme, const QString& toScheme);
};

} // namespace riskdesk
