#pragma once

#include "AttachmentError.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace riskdesk {

// How far a fetch may go. The defaults suit an approver's desk; tests shorten the timeouts.
struct AttachmentFetchLimits {
    static constexpr qint64 kDefaultMaxBytes = 50LL * 1024 * 1024;
    qint64 maxBytes = kDefaultMaxBytes;
    int connectTimeoutMs = 15000;  // until the response's headers arrive
    int transferTimeoutMs = 30000; // longest silence between two pieces of the body
    int maxRedirects = 5;
};

// What was fetched or read from the cache: the bytes and what they are.
struct AttachmentContent {
    QUrl url;         // the address the exception names (not the one redirects ended at)
    QString fileName; // from the address, for "Open with…" and the viewer's caption
    QString mimeType; // from the bytes themselves (QMimeDatabase), the header only when they say nothing
    QByteArray bytes;
    QByteArray sha256;    // hex
    qint64 sizeBytes = 0; // a listed file's size when its bytes are not read (RequestService::attachmentsOf)
    bool fromCache = false;
};

// A fetch or a cache read: the content, or the error that stopped it (then content holds only the address).
struct AttachmentResult {
    AttachmentContent content;
    AttachmentError error;
    qint64 bytesReceived = 0; // over the network, whatever the outcome: a refused large file stops early
    bool ok() const { return !error.isError(); }
};

} // namespace riskdesk
