#include "CommandTable.h"

#include "Console.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

CommandTable::CommandTable(QString program, QString windowSyntax, QList<Command> commands)
    : m_program(std::move(program)), m_windowSyntax(std::move(windowSyntax)),
      m_commands(std::move(commands)) {}

bool CommandTable::has(const QString& word) const {
    if (word == u"help")
        return true;
    for (const Command& c : m_commands)
        if (c.name == word)
            return true;
    return false;
}

QStringList CommandTable::verbsOf(const QString& name) const {
    QStringList verbs;
    for (const Command& c : m_commands)
        if (c.name == name && !c.verb.isEmpty())
            verbs << c.verb;
    return verbs;
}

const Command* CommandTable::find(const QString& name, const QString& verb) const {
    for (const Command& c : m_commands)
        if (c.name == name && c.verb == verb)
            return &c;
    return nullptr;
}

CommandNeeds CommandTable::needsOf(const QStringList& arguments) const {
    const QString name = arguments.value(1);
    const Command* command = find(name, verbsOf(name).isEmpty() ? QString() : arguments.value(2));
    if (!command)
        return CommandNeeds::Console;
    if (command->needs != CommandNeeds::FontsForPdf)
        return command->needs;
    const qsizetype format = arguments.indexOf(u"--format"_s);
    const bool pdf =
        (format > 0 && arguments.value(format + 1) == u"pdf") || arguments.contains(u"--format=pdf"_s);
    return pdf ? CommandNeeds::Fonts : CommandNeeds::Console;
}

QStringList CommandTable::usageLines(const QString& name) const {
    QStringList lines;
    if (name.isEmpty() && !m_windowSyntax.isEmpty())
        lines << m_program + u' ' + m_windowSyntax;
    for (const Command& c : m_commands) {
        if (!name.isEmpty() && c.name != name)
            continue;
        const QString words = m_program + u' ' + c.name + (c.verb.isEmpty() ? QString() : u' ' + c.verb);
        for (const QString& form : c.syntax)
            lines << (form.isEmpty() ? words : words + u' ' + form);
    }
    return lines;
}

int CommandTable::usage(const QString& name, QTextStream& stream) const {
    stream << tr("Usage:") << '\n';
    for (const QString& line : usageLines(name))
        stream << "  " << line << '\n';
    if (!name.isEmpty())
        stream << tr("See: %1 %2 COMMAND --help").arg(m_program, name) << '\n';
    else if (!m_windowSyntax.isEmpty())
        stream << tr("--lang en|zh_CN, --help and --version work before or after the command; the "
                     "window's options given before a command go to the command.")
               << '\n'
               << tr("Exit status: 0 done, 1 refused or failed, 2 bad usage, 3 (log verify --csv) the file "
                     "is an "
                     "intact part of the log, not the whole chain.")
               << '\n';
    else
        stream << tr("Exit status: 0 done, 1 refused or failed, 2 bad usage.") << '\n';
    stream.flush();
    return 0;
}

int CommandTable::run(const QStringList& arguments, AppSettings& settings) const {
    const QString name = arguments.value(1);
    if (name == u"help") {
        const QString topic = arguments.value(2);
        if (arguments.size() > 3 || (!topic.isEmpty() && (topic == u"help" || !has(topic))))
            return Console::fail(
                tr("Unknown command \"%1\". See: %2 --help").arg(arguments.mid(2).join(u' '), m_program),
                Console::kUsage);
        return usage(topic, Console::out());
    }
    const QStringList verbs = verbsOf(name);
    QStringList rest = arguments;
    rest.removeAt(1);
    if (verbs.isEmpty()) {
        if (const Command* command = find(name, {}))
            return command->run(rest, settings);
        Console::fail(tr("Unknown command \"%1\".").arg(name), Console::kUsage);
        usage({}, Console::err());
        return Console::kUsage;
    }
    const QString verb = rest.value(1);
    if (verb == u"--help" || verb == u"-h")
        return usage(name, Console::out());
    const Command* command = verbs.contains(verb) ? find(name, verb) : nullptr;
    if (!command) {
        Console::fail(
            verb.isEmpty() || verb.startsWith(u'-')
                ? tr("\"%1 %2\" needs a command right after it: %3.")
                      .arg(m_program, name, verbs.join(u", "_s))
                : tr("Unknown command \"%1 %2\"; available: %3.").arg(name, verb, verbs.join(u", "_s)),
            Console::kUsage);
        usage(name, Console::err());
        return Console::kUsage;
    }
    rest.removeAt(1);
    return command->run(rest, settings);
}

} // namespace riskdesk
