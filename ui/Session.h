#pragma once

#include "domain/DomainTypes.h"

#include <QString>

namespace riskdesk {

// Who is signed in, where: the workspace, the active tenant and the user's role there.
struct Session {
    QString workspacePath;
    QString tenantId;
    QString tenantName;
    QString userId;
    QString displayName;
    UserRole role = UserRole::Approver;
    // Why this workspace takes no decisions (opened read-only, or found damaged); empty when it does.
    QString writeRefusal;

    bool isValid() const { return !tenantId.isEmpty() && !userId.isEmpty(); }
};

} // namespace riskdesk
