#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

// The non-GUI subcommands. Each uses the same models code as the GUI, prints results on stdout and problems
// on stderr, and returns the process exit status: 0 done, 1 refused or failed, 2 bad usage.
class CommandLine {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CommandLine)

public:
    static bool isSubcommand(const QString& word);
    static int run(const QStringList& arguments);

private:
    static int demo(const QStringList& arguments);
    static int listExceptions(const QStringList& arguments);
    static int decide(const QStringList& arguments);
    static int log(const QStringList& arguments);
    static int replay(const QStringList& arguments);
    static int bench(const QStringList& arguments);
    static int usage();
};

} // namespace riskdesk
