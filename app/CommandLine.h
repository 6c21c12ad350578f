#pragma once

#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

namespace riskdesk {

class AppSettings;

class CommandTable;

// The non-GUI subcommands. Each uses the same models code as the GUI, prints results on stdout and problems
// on stderr, and returns the process exit status: 0 done, 1 refused or failed, 2 bad usage.
class CommandLine {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CommandLine)

public:
    // Every subcommand of riskdesk: its words, syntax, function and what it needs (run, usage and help).
    static const CommandTable& table();

    // The commands implemented here; each gets the program, then what follows its command words.
    static int demo(const QStringList& arguments, AppSettings& settings);
    static int listExceptions(const QStringList& arguments, AppSettings& settings);
    static int decide(const QStringList& arguments, AppSettings& settings);
    // exceptions create: files an applicant's request from a JSON file, with attachments (RequestService).
    static int createException(const QStringList& arguments, AppSettings& settings);
    // exceptions assign | claim | release | escalate: hands a pending exception over (AssignmentService).
    static int assignException(const QStringList& arguments, AppSettings& settings);
    static int claimException(const QStringList& arguments, AppSettings& settings);
    static int releaseException(const QStringList& arguments, AppSettings& settings);
    static int escalateException(const QStringList& arguments, AppSettings& settings);
    static int listComments(const QStringList& arguments, AppSettings& settings);
    static int addComment(const QStringList& arguments, AppSettings& settings);
    static int logVerify(const QStringList& arguments, AppSettings& settings);
    static int logExport(const QStringList& arguments, AppSettings& settings);
    static int checkWorkspace(const QStringList& arguments, AppSettings& settings);
    static int createWorkspace(const QStringList& arguments, AppSettings& settings);
    static int replay(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
