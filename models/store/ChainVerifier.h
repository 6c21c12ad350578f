#pragma once

#include "ApprovalLogRepository.h"

#include <optional>

namespace riskdesk {

// Walks one tenant's approval log in order and says where the hash chain first breaks: a missing entry, a
// broken link, an altered entry, or a chain that no longer extends the head this desktop verified before.
// The workspace's log and the server's log are both checked with it.
class ChainVerifier {
public:
    explicit ChainVerifier(std::optional<ChainHead> remembered);

    // Takes the next entry; false once the chain is broken (later entries are not looked at).
    bool add(const ApprovalLogEntry& entry);
    ChainVerification finish();

private:
    bool broken(qint64 seq, const QString& message);
    static QString gap(qint64 before, qint64 next);

    std::optional<ChainHead> m_remembered;
    bool m_rememberedSeen;
    ChainVerification m_result;
};

} // namespace riskdesk
