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

namespace {
QString& programName() {
    static QString name = QStringLiteral("riskdesk");
    return name;
}
} // namespace

QString Console::program() {
    return programName();
}

void Console::setProgram(const QString& name) {
    programName() = name;
}

int Console::fail(const QString& message, int status) {
    out().flush(); // keep what was printed before the problem in front of it
    err() << tr("%1: %2").arg(program(), message) << Qt::endl;
    return status;
}

} // namespace riskdesk
