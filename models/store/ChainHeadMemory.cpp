#include "ChainHeadMemory.h"

#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
QString keyFor(const QString& workspaceId, const QString& tenantId) {
    return u"verifiedChainHeads/%1/%2"_s.arg(workspaceId, tenantId);
}
} // namespace

std::optional<ChainHead> ChainHeadMemory::recall(const QString& workspaceId, const QString& tenantId) {
    QSettings settings;
    const QString key = keyFor(workspaceId, tenantId);
    if (!settings.contains(key + u"/seq"_s))
        return std::nullopt;
    return ChainHead{settings.value(key + u"/seq"_s).toLongLong(),
                     settings.value(key + u"/hash"_s).toByteArray()};
}

void ChainHeadMemory::remember(const QString& workspaceId, const QString& tenantId, const ChainHead& head) {
    QSettings settings;
    const QString key = keyFor(workspaceId, tenantId);
    settings.setValue(key + u"/seq"_s, head.seq);
    settings.setValue(key + u"/hash"_s, head.hash);
}

} // namespace riskdesk
