#include "BoardFaults.h"

#ifdef RISKDESK_BOARD_FAULTS
#include <QMutex>
#include <optional>
#endif

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

#ifdef RISKDESK_BOARD_FAULTS

namespace {

QMutex& guard() {
    static QMutex mutex;
    return mutex;
}

std::optional<QStringList>& names() {
    static std::optional<QStringList> list;
    return list;
}

} // namespace

bool BoardFaults::shouldFail(const QString& qualifiedName) {
    QMutexLocker lock(&guard());
    if (!names())
        names() = qEnvironmentVariable("RISKDESK_BOARD_FAULTS").split(u',', Qt::SkipEmptyParts);
    for (const QString& raw : *names()) {
        const QString name = raw.trimmed();
        if (name == qualifiedName)
            return true;
        // "section.*" fails everything of one section.
        if (name.endsWith(u".*"_s) && qualifiedName.startsWith(name.chopped(1)))
            return true;
    }
    return false;
}

bool BoardFaults::compiledIn() {
    return true;
}

void BoardFaults::set(const QStringList& list) {
    QMutexLocker lock(&guard());
    names() = list;
}

void BoardFaults::clear() {
    set({});
}

#else

bool BoardFaults::shouldFail(const QString&) {
    return false;
}

bool BoardFaults::compiledIn() {
    return false;
}

#endif

} // namespace riskdesk
