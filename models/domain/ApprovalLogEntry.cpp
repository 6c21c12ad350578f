#include "ApprovalLogEntry.h"

#include "Timestamps.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QByteArray ApprovalLogEntry::genesisHash() {
    return QByteArray(64, '0');
}

ApprovalLogEntry ApprovalLogEntry::fromStep(const QString& tenantId, const QString& recordId,
                                            const ApprovalStep& step, ExceptionStatus statusAfter) {
    ApprovalLogEntry entry;
    entry.tenantId = tenantId;
    entry.recordId = recordId;
    entry.actorId = step.approverId;
    entry.action = step.action;
    entry.comment = step.comment;
    entry.step = step.step;
    entry.statusAfter = toWire(statusAfter);
    entry.at = step.timestamp;
    return entry;
}

QByteArray ApprovalLogEntry::canonicalContent() const {
    // QJsonObject keeps its keys sorted, and Compact prints no white space: a canonical form.
    QJsonObject o{{u"tenant_id"_s, tenantId},
                  {u"seq"_s, seq},
                  {u"record_id"_s, recordId},
                  {u"actor_id"_s, actorId},
                  {u"action"_s, action},
                  {u"comment"_s, comment},
                  {u"step"_s, step},
                  {u"status_after"_s, statusAfter},
                  {u"at"_s, timestamps::toIso(at)}};
    // Covered by the hash from the first entry that carries it. Omitted when empty rather than hashed as "":
    // the old entries' hashes (and the server's, which has no mark) stay valid, while stripping the mark
    // from a new entry changes its content and so breaks the chain at that entry.
    if (!identity.isEmpty())
        o.insert(u"identity"_s, identity);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray ApprovalLogEntry::computeHash() const {
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(prevHash);
    h.addData("\n");
    h.addData(canonicalContent());
    return h.result().toHex();
}

} // namespace riskdesk
