#pragma once

#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

namespace riskdesk {

// The non-GUI subcommands. Each uses the same models code as the GUI, prints results on stdout and problems
// on stderr, and returns the process exit status: 0 done, 1 refused or failed, 2 bad usage.
class CommandLine {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CommandLine)

public:
    static bool isSubcommand(const QString& word);
    // arguments: the program, the command, its verb if it has verbs, then the rest. A command with verbs
    // given none or an unknown one prints its usage and returns 2.
    static int run(const QStringList& arguments);
    // The syntax of one command ("log"), or of every command when empty.
    static int usage(const QString& command, QTextStream& stream);

    // The commands implemented here; each gets the program, then what follows its command words.
    static int demo(const QStringList& arguments);
    static int listExceptions(const QStringList& arguments);
    static int decide(const QStringList& arguments);
    static int logVerify(const QStringList& arguments);
    static int logExport(const QStringList& arguments);
    static int checkWorkspace(const QStringList& arguments);
    static int createWorkspace(const QStringList& arguments);
    static int replay(const QStringList& arguments);
    static int benchQueue(const QStringList& arguments);
};

} // namespace riskdesk
