#pragma once

#include <QCoreApplication>
#include <QList>
#include <QStringList>
#include <QTextStream>

namespace riskdesk {

class AppSettings;

// What a command needs besides a console. None needs a display: commands that lay out text get a
// QGuiApplication on the offscreen platform, for its fonts.
enum class CommandNeeds {
    Console,     // a QCoreApplication
    Fonts,       // always draws text (diagrams, charts)
    FontsForPdf, // draws text only when asked for --format pdf
    Widgets,     // builds real widgets (a QApplication, offscreen): riskdesk-bench boards-gui
};

// One subcommand: the words that name it, its syntax for the usage, the function that runs it and what it
// needs. A command given several syntax lines has several forms ("log verify" reads a workspace, a server or
// a CSV file).
struct Command {
    QString name;       // "log"
    QString verb;       // "verify"; empty when the command takes no verb
    QStringList syntax; // what follows the words, one line per form: "--workspace PATH [--tenant T]"
    // The program, then what follows the command words; the desktop's settings (made once, in main).
    int (*run)(const QStringList& arguments, AppSettings& settings) = nullptr;
    CommandNeeds needs = CommandNeeds::Console;
};

// The subcommands of one program, listed once: dispatch, the usage text, "help" and what application each
// needs all come from here. Exit status: 0 done, 1 refused or failed, 2 bad usage.
class CommandTable {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CommandTable)

public:
    // program: what the user types ("riskdesk"); windowSyntax: the program's usage without a command (its
    // window's options), or empty when it has no window.
    CommandTable(QString program, QString windowSyntax, QList<Command> commands);

    const QString& program() const { return m_program; }
    const QList<Command>& commands() const { return m_commands; }

    // Whether word names a command ("help" included).
    bool has(const QString& word) const;
    QStringList verbsOf(const QString& name) const;
    // What the command in arguments (the program, the command, its verb, the rest) needs.
    CommandNeeds needsOf(const QStringList& arguments) const;
    // "riskdesk log verify --workspace PATH [--tenant T]": each form of one command (name), or of all.
    QStringList usageLines(const QString& name = {}) const;
    // Prints the usage of one command, or of every command when name is empty; returns 0.
    int usage(const QString& name, QTextStream& stream) const;

    // arguments: the program, the command, its verb if it has verbs, then the rest. A command with verbs
    // given none or an unknown one prints its usage and returns 2; "help [COMMAND]" prints the usage.
    int run(const QStringList& arguments, AppSettings& settings) const;

private:
    const Command* find(const QString& name, const QString& verb) const;

    QString m_program;
    QString m_windowSyntax;
    QList<Command> m_commands;
};

} // namespace riskdesk
