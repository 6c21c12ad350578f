#pragma once

#include "store/ApprovalLogRepository.h"

#include <QMetaType>
#include <QString>

namespace riskdesk {

// The answer to "verify the server's approval log of this tenant", from the sync thread to the window.
struct ServerLogCheck {
    QString tenantId;
    bool reached = false; // false: offline, or the query failed (problem says why)
    QString problem;
    ChainVerification verification;
};

} // namespace riskdesk

Q_DECLARE_METATYPE(riskdesk::ServerLogCheck)
