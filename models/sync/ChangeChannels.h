#pragma once

#include "PgConnection.h"

namespace riskdesk {

// The wake-ups a desktop listens to: one channel per tenant, named by a secret in riskdesk.tenants that only
// the tenant's members can read, so another tenant can neither wake nor flood these listeners and this one
// is not woken by other tenants' decisions. A notification only says "pull now"; its payload is never read.
class ChangeChannels {
public:
    // LISTENs on the channel of every tenant this login belongs to; returns the channels. A server from
    // before migration 003 has one shared channel, riskdesk_changes.
    static Result<QStringList> listen(PgConnection& server);
};

} // namespace riskdesk
