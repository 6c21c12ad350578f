#include "RulesCommand.h"

#include "CommandParser.h"
#include "Console.h"
#include "JsonInputFile.h"
#include "domain/JsonDuplicateKeys.h"
#include "engine/CompiledRule.h"
#include "engine/RuleEvaluator.h"
#include "engine/RuleRecognizer.h"
#include "settings/AppSettings.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

int RulesCommand::recognize(const QStringList& arguments, AppSettings& /*settings*/) {
    CommandParser parser(u"rules recognize"_s,
                         tr("Recognises a travel-route city-consistency rule from its text."));
    parser.addOption(
        {u"risk-level"_s, tr("low, medium, high or critical (default: high)."), u"LEVEL"_s, u"high"_s});
    parser.addPositional(u"TEXT"_s, tr("The rule as a person wrote it (in quotes when it has spaces)."));
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const QString text = parser.positionalArguments().value(0).trimmed();
    if (text.isEmpty())
        return Console::fail(
            tr("Give the rule's text, e.g.: riskdesk rules recognize \"交通票行程城市与申报目的地不一致\""),
            2);
    const QString level = parser.value(u"risk-level"_s);
    if (!QStringList{u"low"_s, u"medium"_s, u"high"_s, u"critical"_s}.contains(level))
        return Console::fail(tr("--risk-level must be low, medium, high or critical, not \"%1\".").arg(level),
                             2);
    if (const Status recognized = RuleRecognizer::recognize(text); !recognized)
        return Console::fail(recognized.problem().message, 1);
    const QJsonObject draft = RuleRecognizer::draft(level);
    QTextStream(stdout) << QString::fromUtf8(
        QJsonDocument(QJsonObject{{u"draft"_s, draft}, {u"params"_s, RuleRecognizer::params(draft)}})
            .toJson(QJsonDocument::Indented));
    return 0;
}

int RulesCommand::eval(const QStringList& arguments, AppSettings& /*settings*/) {
    CommandParser parser(u"rules eval"_s,
                         tr("Evaluates a rule against case records, one JSON object per line."));
    parser.addOption(
        {u"rule"_s, tr("The rule payload (name, params with conditions and hit_logic)."), u"RULE.json"_s});
    parser.addOption(
        {u"cases"_s, tr("Case records, one JSON object per line (- for standard input)."), u"CASES.jsonl"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    if (!parser.isSet(u"rule"_s) || !parser.isSet(u"cases"_s))
        return Console::fail(tr("rules eval needs --rule RULE.json and --cases CASES.jsonl."), 2);
    const auto rule =
        JsonInputFile::readObject(parser.value(u"rule"_s), tr("one rule payload (a JSON object)"));
    if (!rule)
        return Console::fail(rule.problem().message, 1);
    // A rule that cannot be evaluated is refused once, before any case, in the words render-rule uses.
    const auto compiled = CompiledRule::compile(rule.value());
    if (!compiled)
        return Console::fail(tr("%1: %2").arg(parser.value(u"rule"_s), compiled.problem().message), 1);
    QFile cases;
    const bool opened = parser.value(u"cases"_s) == u"-"
                            ? cases.open(stdin, QIODevice::ReadOnly)
                            : (cases.setFileName(parser.value(u"cases"_s)), cases.open(QIODevice::ReadOnly));
    if (!opened)
        return Console::fail(tr("Cannot read %1: %2").arg(parser.value(u"cases"_s), cases.errorString()), 1);
    QTextStream out(stdout);
    int status = 0;
    qint64 lineNumber = 0;
    while (!cases.atEnd()) {
        const QByteArray line = cases.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument record = QJsonDocument::fromJson(line, &error);
        QJsonObject result;
        QString problem; // the line's error, with its number, for the person reading standard error
        if (!record.isObject()) {
            problem = error.error != QJsonParseError::NoError
                          ? tr("Line %1 is not valid JSON: %2 near column %3.")
                                .arg(lineNumber)
                                .arg(error.errorString())
                                .arg(JsonInputFile::column(line, error.offset))
                          : tr("Line %1 must be one case record (a JSON object).").arg(lineNumber);
            result = QJsonObject{{u"line"_s, lineNumber}, {u"error"_s, problem}};
        } else if (const auto twice = JsonDuplicateKeys::problem(line)) {
            problem = tr("Line %1: %2").arg(lineNumber).arg(*twice);
            result = QJsonObject{{u"line"_s, lineNumber}, {u"error"_s, *twice}};
        } else if (auto evaluated = compiled.value().explain(FactRecord::fromJson(record.object()));
                   !evaluated) {
            problem = tr("Line %1: %2").arg(lineNumber).arg(evaluated.problem().message);
            result = QJsonObject{{u"line"_s, lineNumber}, {u"error"_s, evaluated.problem().message}};
        } else {
            result = evaluated.value().toJson();
            result.insert(u"line"_s, lineNumber);
        }
        out << QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact)) << '\n';
        if (!problem.isEmpty()) { // the JSON line is for a program; the message is for the person
            out.flush();
            status = Console::fail(problem, 1);
        }
    }
    return status;
}

} // namespace riskdesk
