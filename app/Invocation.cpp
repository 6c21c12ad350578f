#include "Invocation.h"

#include "CommandLine.h"
#include "CommandTable.h"

#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

const QStringList& Invocation::windowValueOptions() {
    static const QStringList names{u"workspace"_s, u"user"_s,       u"tenant"_s,
                                   u"backend"_s,   u"screenshot"_s, u"lang"_s};
    return names;
}

Invocation Invocation::fromArguments(const QStringList& arguments) {
    Invocation inv;
    inv.m_arguments << arguments.value(0);
    QStringList leading; // options before the subcommand
    QString subcommand;
    bool help = false, version = false, languageSeen = false;
    auto fail = [&inv](Issue issue, const QString& subject) {
        if (inv.m_issue == Issue::None) {
            inv.m_issue = issue;
            inv.m_subject = subject;
        }
    };
    // --lang VALUE or --lang=VALUE at i; returns how many arguments it used (0: not --lang).
    auto takeLanguage = [&](qsizetype i) -> qsizetype {
        const QString& a = arguments.at(i);
        QString value;
        qsizetype used = 0;
        if (a == u"--lang") {
            if (i + 1 >= arguments.size()) {
                fail(Issue::MissingValue, a);
                return 1;
            }
            value = arguments.at(i + 1);
            used = 2;
        } else if (a.startsWith(u"--lang=")) {
            value = a.mid(7);
            used = 1;
        } else {
            return 0;
        }
        if (languageSeen)
            fail(Issue::Repeated, u"--lang"_s);
        languageSeen = true;
        inv.m_language = value;
        if (value != u"en" && value != u"zh_CN")
            fail(Issue::BadLanguage, value);
        return used;
    };

    qsizetype i = 1;
    for (; i < arguments.size(); ++i) {
        const QString& a = arguments.at(i);
        if (const qsizetype used = takeLanguage(i)) {
            i += used - 1;
        } else if (a == u"--help" || a == u"-h" || a == u"--help-all" || a == u"-?") {
            help = true;
        } else if (a == u"--version" || a == u"-v") {
            version = true;
        } else if (a.startsWith(u'-') && a.size() > 1) {
            leading << a;
            const QString name = a.mid(a.startsWith(u"--") ? 2 : 1).section(u'=', 0, 0);
            if (!a.contains(u'=') && windowValueOptions().contains(name)) {
                if (i + 1 >= arguments.size())
                    fail(Issue::MissingValue, a);
                else
                    leading << arguments.at(++i);
            }
        } else {
            subcommand = a;
            ++i;
            break;
        }
    }
    QStringList trailing;
    for (; i < arguments.size(); ++i) {
        if (const qsizetype used = takeLanguage(i))
            i += used - 1;
        else if (arguments.at(i) == u"--version")
            version = true;
        else
            trailing << arguments.at(i);
    }

    if (inv.m_issue != Issue::None) {
        inv.m_mode = Mode::Problem;
        return inv;
    }
    if (version) {
        inv.m_mode = Mode::Version;
        return inv;
    }
    if (!subcommand.isEmpty()) {
        if (!CommandLine::table().has(subcommand)) {
            inv.m_mode = Mode::Problem;
            fail(Issue::UnknownCommand, subcommand);
            return inv;
        }
        inv.m_mode = Mode::Command;
        // "help --help" asks for help as "help" does, and "help log --help" as "help log".
        if (subcommand == u"help") {
            for (const QString& option : {u"--help"_s, u"-h"_s, u"--help-all"_s, u"-?"_s})
                trailing.removeAll(option);
            inv.m_arguments << subcommand << trailing << leading;
            return inv;
        }
        inv.m_arguments << subcommand << trailing << leading;
        if (help)
            inv.m_arguments << u"--help"_s;
        return inv;
    }
    if (help) {
        inv.m_mode = Mode::Help;
        return inv;
    }
    // The window: every option must be one of its own, given once, with its value.
    QSet<QString> seen;
    for (qsizetype k = 0; k < leading.size(); ++k) {
        const QString& a = leading.at(k);
        const QString name = a.mid(a.startsWith(u"--") ? 2 : 1).section(u'=', 0, 0);
        if (!a.startsWith(u"--") || !windowValueOptions().contains(name)) {
            fail(Issue::UnknownOption, a.section(u'=', 0, 0));
            break;
        }
        if (seen.contains(name)) {
            fail(Issue::Repeated, u"--"_s + name);
            break;
        }
        seen.insert(name);
        if (!a.contains(u'='))
            ++k; // its value
    }
    if (inv.m_issue != Issue::None) {
        inv.m_mode = Mode::Problem;
        return inv;
    }
    inv.m_mode = Mode::Window;
    inv.m_arguments << leading;
    return inv;
}

bool Invocation::drawsDiagrams() const {
    return m_mode == Mode::Command && CommandLine::table().needsOf(m_arguments) != CommandNeeds::Console;
}

QString Invocation::problem() const {
    switch (m_issue) {
    case Issue::None:
        return {};
    case Issue::BadLanguage:
        return tr("--lang must be en or zh_CN, not \"%1\".").arg(m_subject);
    case Issue::Repeated:
        return tr("%1 is given more than once.").arg(m_subject);
    case Issue::UnknownOption:
        return tr("Unknown option %1. See: riskdesk --help").arg(m_subject);
    case Issue::MissingValue:
        return tr("%1 needs a value.").arg(m_subject);
    case Issue::UnknownCommand:
        if (m_subject == u"bench") // the benchmarks are a developer's tool, not part of the product
            return tr(
                "There are no benchmarks in riskdesk: they are in riskdesk-bench, built with the sources "
                "(see riskdesk-bench --help).");
        return tr("Unknown command \"%1\". See: riskdesk --help").arg(m_subject);
    }
    return {};
}

} // namespace riskdesk
