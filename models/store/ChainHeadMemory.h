#pragma once

#include "ApprovalLogRepository.h"

#include <optional>

namespace riskdesk {
class AppSettings;
}

namespace riskdesk {

// The last approval-log head this desktop verified, per workspace (by its identity, not its path) and tenant,
// with the log's root (its first entry's hash). A hash chain alone cannot show that entries were cut from its
// end; a head remembered outside the workspace can. The root tells whether another file holds the same log
// (see WorkspaceIdentity, which holds a file whose identity was changed to the heads verified there before).
class ChainHeadMemory {
public:
    static std::optional<ChainHead> recall(const AppSettings& settings, const QString& workspaceId,
                                           const QString& tenantId);
    // Remembers an intact verification's head and root.
    static void remember(AppSettings& settings, const QString& workspaceId, const QString& tenantId,
                         const ChainVerification& verified);
};

} // namespace riskdesk
