#include "ChainHeadMemory.h"

#include "settings/AppSettings.h"

namespace riskdesk {

std::optional<ChainHead> ChainHeadMemory::recall(const AppSettings& settings, const QString& workspaceId,
                                                 const QString& tenantId) {
    const auto head = settings.chainHead(workspaceId, tenantId);
    if (!head)
        return std::nullopt;
    return ChainHead{head->first, head->second};
}

void ChainHeadMemory::remember(AppSettings& settings, const QString& workspaceId, const QString& tenantId,
                               const ChainHead& head) {
    settings.setChainHead(workspaceId, tenantId, head.seq, head.hash);
}

} // namespace riskdesk
