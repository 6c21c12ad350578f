#pragma once

#include "domain/DomainTypes.h"
#include "domain/IdentityMark.h"

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
    // The backend login signed in as, its password checked by the server; empty when the user was picked from
    // the workspace's list (then every decision is marked as asserted on this desktop).
    QString backendLogin;

    QString identityMark() const {
        return backendLogin.isEmpty() ? IdentityMark::assertedOnDesktop() : IdentityMark::backendLogin();
    }

    bool isValid() const { return !tenantId.isEmpty() && !userId.isEmpty(); }
};

} // namespace riskdesk
