#pragma once

#include "PgConnection.h"
#include "store/ApprovalLogRepository.h"

#include <QCoreApplication>
#include <optional>

namespace riskdesk {

// The server's approval log, as an auditor's login sees it (its tenants only), checked with the same
// verifier as the workspace's log.
class ServerLog {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ServerLog)

public:
    static Result<QStringList> tenants(PgConnection& server);
    static Result<ChainVerification> verify(PgConnection& server, const QString& tenantId,
                                            const std::optional<ChainHead>& remembered);
    // Verifies against the head this desktop last verified on that server, and remembers the new head when
    // the chain is intact: a chain that no longer extends the remembered head was rewritten or cut.
    static Result<ChainVerification> verifyAndRemember(PgConnection& server, const QString& url,
                                                       const QString& tenantId);
    // What the heads are remembered under: the server's host, port and database (not the login, so two
    // people on one desktop share them).
    static QString memoryKey(const QString& url);
};

} // namespace riskdesk
