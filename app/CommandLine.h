#pragma once

#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

namespace riskdesk {

class CommandTable;

// The non-GUI subcommands. Each uses the same models code as the GUI, prints results on stdout and problems
// on stderr, and returns the process exit status: 0 done, 1 refused or failed, 2 bad usage.
class CommandLine {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CommandLine)

public:
    // Every subcommand of riskdesk: its words, syntax, function and what it needs (run, usage and help).
    static const CommandTable& table();

    // The commands implemented here; each gets the program, then what follows its command words.
    static int demo(const QStringList& arguments);
    static int listExceptions(const QStringList& arguments);
    static int decide(const QStringList& arguments);
    // exceptions create: files an applicant's request from a JSON file, with attachments (RequestService).
    static int createException(const QStringList& arguments);
    // exceptions assign | claim | release | escalate: hands a pending exception over (AssignmentService).
    static int assignException(const QStringList& arguments);
    static int claimException(const QStringList& arguments);
    static int releaseException(const QStringList& arguments);
    static int escalateException(const QStringList& arguments);
    static int listComments(const QStringList& arguments);
    static int addComment(const QStringList& arguments);
    static int logVerify(const QStringList& arguments);
    static int logExport(const QStringList& arguments);
    static int checkWorkspace(const QStringList& arguments);
    static int createWorkspace(const QStringList& arguments);
    static int replay(const QStringList& arguments);
};

} // namespace riskdesk
