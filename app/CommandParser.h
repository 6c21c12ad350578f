#pragma once

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStringList>
#include <optional>

namespace riskdesk {

// One subcommand's options: QCommandLineParser plus the rules every subcommand shares. --help prints the
// subcommand's help. An unknown option, an option given twice, a missing value, or more positional arguments
// than the subcommand takes is bad usage, reported with a message that names it.
//
//     CommandParser parser(u"log verify"_s, tr("Verifies the hash-chained approval log."));
//     parser.addOption(...);
//     if (const auto stop = parser.stopsAfter(arguments)) return *stop;
class CommandParser : public QCommandLineParser {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CommandParser)

public:
    // command: the words the user typed after "riskdesk", e.g. "log verify".
    CommandParser(const QString& command, const QString& description);

    // Declares a positional argument for --help and allows one more of them.
    void addPositional(const QString& name, const QString& description, const QString& syntax = {});

    // --read-only, for the commands that only read: an auditor may have to show that the file they were
    // handed is, byte for byte, the one they checked, so nothing (not even the record of the check) may go
    // into it.
    void addReadOnlyOption();

    // Lets an option be given several times (--site S1 --site S2); read it with values().
    void allowRepeated(const QString& name) { m_repeatable << name; }

    // Parses the arguments (the first one is the program, as for QCommandLineParser). Returns the exit status
    // when the command must stop here: 0 after --help, 2 after bad usage (already reported on stderr).
    std::optional<int> stopsAfter(const QStringList& arguments);

private:
    QString m_command;
    QString m_syntax; // " EXC_ID action": the positional arguments for the help's first line
    int m_positionals = 0;
    QStringList m_repeatable;
};

} // namespace riskdesk
