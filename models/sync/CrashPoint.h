#pragma once

#include <functional>

namespace riskdesk {

// Fault injection for the crash tests: with RISKDESK_CRASH_AT=name:n set, the process kills itself with
// SIGKILL (as kill -9 would) the n-th time it passes the point called name. Unset, a point costs one look at
// a cached environment value.
void crashPoint(const char* name);

// For tests in one process: called at every point with its name (for example to stop the server right
// there). Set it before the sync starts and clear it (with {}) after; not for use from several threads.
void setFaultHook(std::function<void(const char* point)> hook);

} // namespace riskdesk
