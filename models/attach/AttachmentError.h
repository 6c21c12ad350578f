#pragma once

#include <QCoreApplication>
#include <QString>

namespace riskdesk {

// Why an attachment could not be shown: one kind per cause, so the viewer (and a test) can tell a timeout
// from a refused redirect, and the message names what happened.
class AttachmentError {
    Q_DECLARE_TR_FUNCTIONS(AttachmentError)
public:
    enum class Kind {
        None,
        BadAddress,      // not an http(s) address
        ConnectTimeout,  // no response headers within the connect timeout
        TransferTimeout, // the body stopped arriving for longer than the transfer timeout
        TooLarge,        // Content-Length or the bytes received passed the size limit
        InsecureRedirect,
        TooManyRedirects,
        Tls,        // certificate or handshake failure; never ignored
        HttpStatus, // the server answered with an error status
        Network,    // refused, unreachable, reset, proxy, DNS…
        Cancelled,
        NotCached, // offline and never fetched
        Storage,   // the workspace could not read or keep it
    };

    AttachmentError() = default;
    AttachmentError(Kind kind, QString detail, int httpStatus = 0)
        : m_kind(kind), m_detail(std::move(detail)), m_httpStatus(httpStatus) {}

    Kind kind() const { return m_kind; }
    bool isError() const { return m_kind != Kind::None; }
    int httpStatus() const { return m_httpStatus; }
    const QString& detail() const { return m_detail; }
    // A sentence for the viewer: what happened, then the detail (the server's words, the TLS errors…).
    QString message() const;

private:
    Kind m_kind = Kind::None;
    QString m_detail;
    int m_httpStatus = 0;
};

} // namespace riskdesk
