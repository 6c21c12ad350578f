#include "ServerLog.h"

#include "domain/Timestamps.h"
#include "store/ChainHeadMemory.h"
#include "store/ChainVerifier.h"

#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<QStringList> ServerLog::tenants(PgConnection& server) {
    auto r = server.exec(u"SELECT tenant_id FROM riskdesk.tenants ORDER BY tenant_id"_s);
    if (!r)
        return r.problem();
    QStringList out;
    for (int row = 0; row < r.value().rows(); ++row)
        out << r.value().text(row, 0);
    return out;
}

Result<ChainVerification> ServerLog::verify(PgConnection& server, const QString& tenantId,
                                            const std::optional<ChainHead>& remembered) {
    auto r =
        server.exec(u"SELECT tenant_id, seq, record_id, actor_id, action, comment, step, status_after, "
                    "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), prev_hash, hash "
                    "FROM riskdesk.approval_log WHERE tenant_id = $1 ORDER BY seq"_s,
                    {tenantId});
    if (!r)
        return r.problem();
    ChainVerifier verifier(remembered);
    const PgResult& rows = r.value();
    for (int row = 0; row < rows.rows(); ++row) {
        ApprovalLogEntry e;
        e.tenantId = rows.text(row, 0);
        e.seq = rows.integer(row, 1);
        e.recordId = rows.text(row, 2);
        e.actorId = rows.text(row, 3);
        e.action = rows.text(row, 4);
        e.comment = rows.text(row, 5);
        e.step = int(rows.integer(row, 6));
        e.statusAfter = rows.text(row, 7);
        e.at = timestamps::fromIso(rows.text(row, 8)).value_or(QDateTime());
        e.prevHash = rows.text(row, 9).toLatin1();
        e.hash = rows.text(row, 10).toLatin1();
        if (!verifier.add(e))
            break;
    }
    return verifier.finish();
}

Result<ChainVerification> ServerLog::verifyAndRemember(AppSettings& settings, PgConnection& server,
                                                       const QString& url, const QString& tenantId) {
    auto key = memoryKey(server);
    if (!key)
        return key.problem();
    std::optional<ChainHead> remembered = ChainHeadMemory::recall(settings, key.value(), tenantId);
    if (!remembered)
        remembered = ChainHeadMemory::recall(settings, addressKey(url), tenantId);
    auto v = verify(server, tenantId, remembered);
    if (v && v.value().intact)
        ChainHeadMemory::remember(settings, key.value(), tenantId, v.value());
    return v;
}

Result<QString> ServerLog::memoryKey(PgConnection& server) {
    auto r = server.exec(u"SELECT server_id::text FROM riskdesk.server_identity"_s);
    if (!r)
        return r.problem();
    if (r.value().rows() != 1)
        return Problem{u"server_error"_s, tr("The server has no identity; run riskdesk db migrate."), {}};
    return u"server-id:%1"_s.arg(r.value().text(0, 0));
}

QString ServerLog::addressKey(const QString& url) {
    const QUrl u(url);
    return u"server:%1:%2/%3"_s.arg(u.host()).arg(u.port(5432)).arg(u.path().mid(1));
}

} // namespace riskdesk
