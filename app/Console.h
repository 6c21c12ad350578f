#pragma once

#include <QCoreApplication>
#include <QTextStream>

namespace riskdesk {

// Standard output and error for the subcommands, and the one way they report a problem.
class Console {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::Console)

public:
    static QTextStream& out();
    static QTextStream& err();
    // Prints "riskdesk: <message>" on standard error and returns the exit status to use (1: refused or
    // failed, 2: bad usage).
    static int fail(const QString& message, int status = 1);
    // The exit status of a command given wrong arguments.
    static constexpr int kUsage = 2;
    // What the user types to run this program ("riskdesk", or "riskdesk-bench"): messages and usage name it.
    static QString program();
    static void setProgram(const QString& name);
};

} // namespace riskdesk
