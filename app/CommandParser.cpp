#include "CommandParser.h"

#include "Console.h"

#include <QHash>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

CommandParser::CommandParser(const QString& command, const QString& description) : m_command(command) {
    setApplicationDescription(description);
    addHelpOption();
}

void CommandParser::addReadOnlyOption() {
    addOption(
        {u"read-only"_s, tr("Open the workspace read-only: nothing is written to the file, not even the "
                            "record of this check, so its bytes stay as they were.")});
}

void CommandParser::addPositional(const QString& name, const QString& description, const QString& syntax) {
    addPositionalArgument(name, description, syntax);
    m_syntax += u' ' + (syntax.isEmpty() ? name : syntax);
    ++m_positionals;
}

std::optional<int> CommandParser::stopsAfter(const QStringList& arguments) {
    auto usageProblem = [&](const QString& message) {
        Console::fail(message, Console::kUsage);
        Console::err() << tr("See: %1 %2 --help").arg(Console::program(), m_command) << Qt::endl;
        return Console::kUsage;
    };
    if (!parse(arguments))
        return usageProblem(errorText());
    if (isSet(u"help"_s)) {
        // QCommandLineParser names the program by its path; the user typed "riskdesk" and the command words.
        QString text = helpText();
        text.replace(0, text.indexOf(u'\n'),
                     tr("Usage: %1 %2 [options]%3").arg(Console::program(), m_command, m_syntax));
        Console::out() << text;
        Console::out().flush();
        return 0;
    }
    // QCommandLineParser keeps the last of a repeated option: a second --tenant would silently win.
    QHash<QString, int> seen;
    for (const QString& name : optionNames())
        if (++seen[name] == 2 && !m_repeatable.contains(name))
            return usageProblem(
                tr("%1 is given more than once.").arg((name.size() == 1 ? u"-"_s : u"--"_s) + name));
    const QStringList extra = positionalArguments().mid(m_positionals);
    if (!extra.isEmpty())
        return usageProblem(
            m_positionals == 0
                ? tr("%1 %2 takes no argument \"%3\" (only options).")
                      .arg(Console::program(), m_command, extra.first())
                : tr("Unexpected extra argument \"%1\" (%2 %3 takes %n argument(s)).", nullptr, m_positionals)
                      .arg(extra.first(), Console::program(), m_command));
    return std::nullopt;
}

} // namespace riskdesk
