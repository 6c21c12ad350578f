#pragma once

namespace riskdesk {

// Fault injection for the crash tests: with RISKDESK_CRASH_AT=name:n set, the process kills itself with
// SIGKILL (as kill -9 would) the n-th time it passes the point called name. Unset, a point costs one look at
// a cached environment value.
void crashPoint(const char* name);

} // namespace riskdesk
