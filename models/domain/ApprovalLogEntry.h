#pragma once

#include "RiskException.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace riskdesk {

// One entry of a tenant's append-only approval log. Entries form a hash chain: each stores the hash of the
// previous entry, and its own hash covers its content plus that link, so editing, deleting or reordering an
// entry breaks the chain from that point on.
struct ApprovalLogEntry {
    QString tenantId;
    qint64 seq = 0; // 1, 2, 3, … per tenant, no gaps
    QString recordId;
    QString actorId;
    QString action; // approve | reject | withdraw | auto_reject | expire
    QString comment;
    int step = 0;
    QString statusAfter; // exception status once this entry applied
    QDateTime at;
    // IdentityMark: how the actor was known ("asserted on this desktop", "backend login"); empty in entries
    // written before identities were recorded.
    QString identity;
    QByteArray prevHash; // hex SHA-256 of the previous entry; genesisHash() for the first
    QByteArray hash;     // hex SHA-256 of prevHash + canonical content

    static QByteArray genesisHash();
    static ApprovalLogEntry fromStep(const QString& tenantId, const QString& recordId,
                                     const ApprovalStep& step, ExceptionStatus statusAfter);

    // Canonical encoding: compact JSON with sorted keys and UTC millisecond timestamps. Stable across
    // platforms and languages, so the server and every desktop compute the same hash. The identity key is
    // there only when the mark is not empty: entries from before it existed hash exactly as they always did.
    QByteArray canonicalContent() const;
    QByteArray computeHash() const;
};

} // namespace riskdesk
