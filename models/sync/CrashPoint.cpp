#include "CrashPoint.h"

namespace riskdesk {

namespace {
std::function<void(const char*)>& faultHook() {
    static std::function<void(const char*)> hook;
    return hook;
}
} // namespace

void setFaultHook(std::function<void(const char* point)> hook) {
    faultHook() = std::move(hook);
}

void crashPoint(const char* name) {
    if (const auto& hook = faultHook())
        hook(name);
}

} // namespace riskdesk
