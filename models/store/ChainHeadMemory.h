#pragma once

#include "ApprovalLogRepository.h"

#include <optional>

namespace riskdesk {

// The last approval-log head this desktop verified, per workspace and tenant. A hash chain alone cannot show
// that entries were cut from its end; a head remembered outside the workspace can.
class ChainHeadMemory {
public:
    static std::optional<ChainHead> recall(const QString& workspacePath, const QString& tenantId);
    static void remember(const QString& workspacePath, const QString& tenantId, const ChainHead& head);
};

} // namespace riskdesk
