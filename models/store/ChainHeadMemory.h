#pragma once

#include "ApprovalLogRepository.h"

#include <optional>

namespace riskdesk {
class AppSettings;
}

namespace riskdesk {

// The last approval-log head this desktop verified, per workspace (by its identity, not its path) and tenant.
// A hash chain alone cannot show that entries were cut from its end; a head remembered outside the workspace
// can. A new workspace file at a known path has no remembered head: it is verified afresh, not called
// tampered.
class ChainHeadMemory {
public:
    static std::optional<ChainHead> recall(const AppSettings& settings, const QString& workspaceId,
                                           const QString& tenantId);
    static void remember(AppSettings& settings, const QString& workspaceId, const QString& tenantId,
                         const ChainHead& head);
};

} // namespace riskdesk
