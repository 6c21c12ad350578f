#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

// What the command line asks for, worked out from the raw arguments before any application object exists,
// so that only the window needs a display. The global options (--lang, --help, --version) work before or
// after the subcommand; the window's options given before a subcommand are handed to the subcommand
// ("riskdesk --workspace W log verify" is "riskdesk log verify --workspace W").
class Invocation {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::Invocation)

public:
    enum class Mode {
        Window,  // no subcommand: the GUI, with windowArguments()
        Command, // a subcommand: CommandLine::run(commandArguments())
        Help,    // the overview of every command
        Version,
        Problem, // bad usage, exit 2 with problem()
    };

    static Invocation fromArguments(const QStringList& arguments);

    Mode mode() const { return m_mode; }
    // en, zh_CN, or empty for the system's language.
    QString language() const { return m_language; }
    // The program, the subcommand and its arguments, global options removed.
    QStringList commandArguments() const { return m_arguments; }
    // The program and the window's options, global options removed.
    QStringList windowArguments() const { return m_arguments; }
    // Diagram commands draw text with fonts: they need a QGuiApplication (on the offscreen platform).
    bool drawsDiagrams() const;
    // The problem in the current language (call it once translations are installed).
    QString problem() const;

    // The window's options that take a value: before a command, their value is not the command.
    static const QStringList& windowValueOptions();

private:
    enum class Issue { None, BadLanguage, Repeated, UnknownOption, MissingValue, UnknownCommand };

    Mode m_mode = Mode::Window;
    QString m_language;
    QStringList m_arguments;
    Issue m_issue = Issue::None;
    QString m_subject;
};

} // namespace riskdesk
