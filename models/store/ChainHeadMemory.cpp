#include "ChainHeadMemory.h"

#include "settings/AppSettings.h"

namespace riskdesk {

std::optional<ChainHead> ChainHeadMemory::recall(const AppSettings& settings, const QString& workspaceId,
                                                 const QString& tenantId) {
    const auto head = settings.chainHead(workspaceId, tenantId);
    if (!head)
        return std::nullopt;
    return ChainHead{head->seq, head->hash};
}

void ChainHeadMemory::remember(AppSettings& settings, const QString& workspaceId, const QString& tenantId,
                               const ChainVerification& verified) {
    settings.setChainHead(workspaceId, tenantId, {verified.head.seq, verified.head.hash, verified.root});
}

} // namespace riskdesk
