#pragma once

#include <functional>

namespace riskdesk {

// Named points in the sync where the crash tests stop a desktop (around the server's commit and the push's
// acknowledgement). A point calls the fault hook if one is set, and does nothing else: nothing in the shipped
// program sets one. The hook that kills the process at a point named in RISKDESK_CRASH_AT is compiled only
// into the test build (tests/CrashInjection.cpp, linked into riskdesk-crashtest).
void crashPoint(const char* name);

// Called at every point with its name (a test stops the server right there, or kills the process). Set it
// before the sync starts and clear it (with {}) after; not for use from several threads.
void setFaultHook(std::function<void(const char* point)> hook);

} // namespace riskdesk
