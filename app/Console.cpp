#include "Console.h"

#include <cstdio>

namespace riskdesk {

QTextStream& Console::out() {
    static QTextStream stream(stdout);
    return stream;
}

QTextStream& Console::err() {
    static QTextStream stream(stderr);
    return stream;
}

int Console::fail(const QString& message, int status) {
    out().flush(); // keep what was printed before the problem in front of it
    err() << tr("riskdesk: %1").arg(message) << Qt::endl;
    return status;
}

} // namespace riskdesk
