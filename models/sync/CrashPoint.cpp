#include "CrashPoint.h"

#include <QByteArray>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace riskdesk {

void crashPoint(const char* name) {
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
