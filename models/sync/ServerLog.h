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
};

} // namespace riskdesk
