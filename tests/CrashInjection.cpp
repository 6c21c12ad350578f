// Linked into riskdesk-crashtest only (never into the shipped riskdesk): with RISKDESK_CRASH_AT=name:n set,
// the process kills itself with SIGKILL (as kill -9 would) the n-th time the sync passes the crash point
// called name (models/sync/CrashPoint.h). Installed before main() runs, so the program itself is unchanged.
#include "sync/CrashPoint.h"

#include <QByteArray>
#include <atomic>
#include <csignal>
#include <unistd.h>

namespace {

[[maybe_unused]] const bool installed = [] {
    const QByteArray spec = qgetenv("RISKDESK_CRASH_AT");
    const qsizetype colon = spec.lastIndexOf(':');
    if (spec.isEmpty() || colon <= 0)
        return false;
    const QByteArray point = spec.left(colon);
    const int killAt = spec.mid(colon + 1).toInt();
    riskdesk::setFaultHook([point, killAt](const char* name) {
        static std::atomic<int> passes{0};
        if (point == name && ++passes == killAt)
            ::kill(::getpid(), SIGKILL);
    });
    return true;
}();

} // namespace
