#include "CrashPoint.h"

#include <QByteArray>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

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
    static const QByteArray spec = qgetenv("RISKDESK_CRASH_AT");
    if (spec.isEmpty())
        return;
    static std::atomic<int> passes{0};
    const qsizetype colon = spec.lastIndexOf(':');
    if (spec.left(colon) != name)
        return;
    if (++passes == spec.mid(colon + 1).toInt())
        ::kill(::getpid(), SIGKILL);
}

} // namespace riskdesk
