#pragma once

#include "PgConnection.h"
#include "store/ApprovalLogRepository.h"

#include <QCoreApplication>
#include <optional>

namespace riskdesk {

class AppSettings;

// The server's approval log, as an auditor's login sees it (its tenants only), checked with the same
// verifier as the workspace's log.
class ServerLog {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ServerLog)

public:
    static Result<QStringList> tenants(PgConnection& server);
    static Result<ChainVerification> verify(PgConnection& server, const QString& tenantId,
                                            const std::optional<ChainHead>& remembered);
    // Verifies against the head this desktop last verified on that server, and remembers the new head when
    // the chain is intact: a chain that no longer extends the remembered head was rewritten or cut. `url`
    // only finds a head remembered by an older version (under the address) the first time.
    static Result<ChainVerification> verifyAndRemember(AppSettings& settings, PgConnection& server,
                                                       const QString& url, const QString& tenantId);
    // What the heads are remembered under: the server's identity (riskdesk.server_identity), not its address
    // and not the login. A server rebuilt at the same address is another chain, verified afresh; two people
    // on one desktop share the heads.
    static Result<QString> memoryKey(PgConnection& server);
    // Where versions before the server's identity kept them: host, port and database.
    static QString addressKey(const QString& url);
};

} // namespace riskdesk
