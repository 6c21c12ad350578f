#include "RiskException.h"

#include <algorithm>

namespace riskdesk {

int RiskException::approvalsRecorded() const {
    return int(std::count_if(approvalChainLog.cbegin(), approvalChainLog.cend(),
                             [](const ApprovalStep& s) { return s.action == u"approve"; }));
}

bool RiskException::hasActed(const QString& userId) const {
    return std::any_of(approvalChainLog.cbegin(), approvalChainLog.cend(),
                       [&](const ApprovalStep& s) { return s.approverId == userId; });
}

} // namespace riskdesk
