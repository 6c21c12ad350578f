#include "AttachmentError.h"

namespace riskdesk {

QString AttachmentError::message() const {
    QString what;
    switch (m_kind) {
    case Kind::None:
        return {};
    case Kind::BadAddress:
        what = tr("The attachment's address is not an http or https address.");
        break;
    case Kind::ConnectTimeout:
        what = tr("The server did not answer in time (connection timeout).");
        break;
    case Kind::TransferTimeout:
        what = tr("The download stalled: no data arrived for too long (transfer timeout).");
        break;
    case Kind::TooLarge:
        what = tr("The attachment is larger than the size limit, so it was not downloaded.");
        break;
    case Kind::InsecureRedirect:
        what = tr("The server redirected to a less secure address; the redirect was refused.");
        break;
    case Kind::TooManyRedirects:
        what = tr("The server redirected too many times.");
        break;
    case Kind::Tls:
        what = tr("The secure connection failed (TLS); the certificate was not trusted and nothing was "
                  "downloaded.");
        break;
    case Kind::HttpStatus:
        what = tr("The server refused the request (HTTP %1).").arg(m_httpStatus);
        break;
    case Kind::Network:
        what = tr("The network failed while fetching the attachment.");
        break;
    case Kind::Cancelled:
        what = tr("The download was cancelled.");
        break;
    case Kind::NotCached:
        what = tr("The attachment is not in this workspace and could not be fetched.");
        break;
    case Kind::Storage:
        what = tr("The workspace could not read or keep the attachment.");
        break;
    }
    return m_detail.isEmpty() ? what : tr("%1 %2").arg(what, m_detail);
}

} // namespace riskdesk
