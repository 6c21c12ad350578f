#include "CommandLine.h"

#include "Console.h"
#include "QueueBenchmark.h"
#include "RenderBenchmark.h"
#include "RenderRuleCommand.h"
#include "ReplayBenchmark.h"
#include "RulesCommand.h"
#include "ScoreBenchmark.h"
#include "ScoreCommand.h"
#include "ServerCommand.h"
#include "SyncBenchmark.h"
#include "domain/RiskExceptionCodec.h"
#include "domain/Timestamps.h"
#include "store/ApprovalLogRepository.h"
#include "store/ChainHeadMemory.h"
#include "store/DecisionService.h"
#include "store/DemoWorkspaceBuilder.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionRepository.h"
#include "store/TargetRiskReader.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTextStream>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kRefused = 1;
constexpr int kUsage = 2;

QTextStream& out() {
    return Console::out();
}
QTextStream& err() {
    return Console::err();
}

QCommandLineOption workspaceOption() {
    return QCommandLineOption(u"workspace"_s, CommandLine::tr("The workspace file."), u"PATH"_s);
}

// Parses a subcommand's options; on a problem prints it with the subcommand's help and returns false.
bool parse(QCommandLineParser& parser, const QStringList& arguments, const QString& description) {
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        err() << CommandLine::tr("riskdesk: %1").arg(parser.errorText()) << Qt::endl << parser.helpText();
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        out() << parser.helpText();
        return false;
    }
    return true;
}

// Opens an existing workspace (the commands other than demo never create one by accident), read-only when
// this user may not write it. What the opening found worth saying (a copy got its own identity) goes to
// stderr. A missing path is bad usage (exit 2); a workspace that cannot be used is a failure (exit 1).
std::unique_ptr<Workspace> openExisting(const QString& path, QString* problem, int* exitCode) {
    *exitCode = kUsage;
    if (path.isEmpty()) {
        *problem = CommandLine::tr("--workspace PATH is required.");
        return nullptr;
    }
    auto workspace = std::make_unique<Workspace>();
    if (Status s = workspace->openExisting(path, u"riskdesk-cli"_s); !s) {
        *problem = s.problem().message;
        if (s.problem().code != u"workspace_missing")
            *exitCode = kRefused;
        return nullptr;
    }
    for (const QString& notice : workspace->notices())
        err() << notice << Qt::endl;
    return workspace;
}

// For commands that write: a read-only workspace, or one found damaged (by this run or an earlier check or
// read), is refused before anything is changed.
Status writable(const Workspace& workspace) {
    if (auto refusal = workspace.writeRefusal())
        return *refusal;
    return success();
}

// A problem met in an open workspace; damage is remembered, so that later openings refuse to write to it.
int failIn(Workspace& workspace, const Problem& problem, int exitCode = kRefused) {
    if (problem.code == u"workspace_damaged")
        workspace.markDamaged(problem);
    return Console::fail(problem.message, exitCode);
}

// The tenants a command covers: the one named, or every tenant of the workspace.
Result<QStringList> tenantsFor(Workspace& workspace, const QString& named) {
    auto tenants = DirectoryRepository(workspace.db()).tenants();
    if (!tenants)
        return tenants.problem();
    QStringList ids;
    for (const Tenant& t : tenants.value())
        ids << t.tenantId;
    if (named.isEmpty())
        return ids;
    if (!ids.contains(named))
        return Problem{u"unknown_tenant"_s,
                       CommandLine::tr("There is no tenant \"%1\" in this workspace (tenants: %2).")
                           .arg(named, ids.join(u", "_s)),
                       {}};
    return QStringList{named};
}

QByteArray csvCell(const QString& text) {
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r'))
        bytes = '"' + bytes.replace("\"", "\"\"") + '"';
    return bytes;
}

} // namespace

bool CommandLine::isSubcommand(const QString& word) {
    static const QStringList words{u"demo"_s,        u"exceptions"_s, u"decide"_s, u"log"_s,
                                   u"bench"_s,       u"score"_s,      u"rules"_s,  u"replay"_s,
                                   u"render-rule"_s, u"db"_s,         u"sync"_s,   u"help"_s};
    return words.contains(word);
}

int CommandLine::usage() {
    // Command syntax is not prose: only the words around it are translated.
    static const char* const kSyntax[] = {
        "riskdesk [--workspace PATH] [--lang en|zh_CN] [--user USER_ID] [--tenant T] [--screenshot FILE.png]",
        "riskdesk demo --workspace PATH [--exceptions N] [--seed S] [--anchor ISO-TIME]",
        "riskdesk exceptions list --workspace PATH [--tenant T] [--status S] [--format json|csv]",
        "riskdesk decide --workspace PATH --as USER_ID EXC_ID approve|reject|withdraw [--comment TEXT]",
        "riskdesk log verify --workspace PATH [--tenant T]",
        "riskdesk log verify --url URL [--tenant T]",
        "riskdesk log export --workspace PATH --tenant T --output FILE.csv",
        "riskdesk score --input REQUESTS.jsonl [--output FILE] [--policy POLICY.json] [--blacklist LIST.csv] "
        "[--workspace PATH] [--tenant T]",
        "riskdesk rules eval --rule RULE.json --cases CASES.jsonl",
        "riskdesk rules recognize \"TEXT\" [--risk-level low|medium|high|critical]",
        "riskdesk replay --workspace PATH EXC_ID [--tenant T]",
        "riskdesk render-rule RULE.json [--svg OUT.svg] [--png OUT.png] [--scale S] [--dark] | --spec",
        "riskdesk render-rule --workspace PATH --all --out DIR",
        "riskdesk db migrate --url URL",
        "riskdesk db add-user --url URL NAME --role applicant|approver|auditor|finance --tenant T [--user-id "
        "ID]",
        "riskdesk db seed --url URL --workspace PATH",
        "riskdesk sync --workspace PATH --url URL [--once]",
        "riskdesk bench queue --workspace PATH [--exceptions N] [--repeat N]",
        "riskdesk bench score [--requests N] [--users N] [--baseline N] [--only NAME]",
        "riskdesk bench replay [--events N] [--baseline N]",
        "riskdesk bench render [--repeat N] [--exports N]",
        "riskdesk bench sync --url OWNER_URL [--exceptions N] [--decisions N]",
    };
    out() << CommandLine::tr("Usage:") << '\n';
    for (const char* line : kSyntax)
        out() << "  " << QString::fromUtf8(line) << '\n';
    out() << CommandLine::tr("Exit status: 0 done, 1 refused or failed, 2 bad usage.") << Qt::endl;
    return 0;
}

int CommandLine::run(const QStringList& arguments) {
    // arguments: program, subcommand, …
    const QString command = arguments.value(1);
    QStringList rest = arguments;
    rest.removeAt(1);
    if (command == u"demo")
        return demo(rest);
    if (command == u"decide")
        return decide(rest);
    if (command == u"exceptions") {
        if (rest.value(1) != u"list")
            return Console::fail(
                CommandLine::tr("Unknown command \"exceptions %1\"; did you mean \"exceptions list\"?")
                    .arg(rest.value(1)),
                kUsage);
        rest.removeAt(1);
        return listExceptions(rest);
    }
    if (command == u"log")
        return log(rest);
    if (command == u"score")
        return ScoreCommand::run(rest);
    if (command == u"rules")
        return RulesCommand::run(rest);
    if (command == u"replay")
        return replay(rest);
    if (command == u"render-rule")
        return RenderRuleCommand::run(rest);
    if (command == u"db")
        return ServerCommand::db(rest);
    if (command == u"sync")
        return ServerCommand::sync(rest);
    if (command == u"bench")
        return bench(rest);
    return usage();
}

int CommandLine::demo(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption({u"exceptions"_s, CommandLine::tr("How many exceptions to generate (default 5000)."),
                      u"N"_s, u"5000"_s});
    parser.addOption({u"seed"_s,
                      CommandLine::tr("Random seed; the same seed and anchor give the same workspace."),
                      u"S"_s, u"42"_s});
    parser.addOption({u"anchor"_s,
                      CommandLine::tr("The demo's \"now\" (ISO-8601; default: the current time)."),
                      u"TIME"_s});
    if (!parse(parser, arguments, CommandLine::tr("Creates a demo workspace.")))
        return parser.isSet(u"help"_s) ? 0 : kUsage;
    const QString path = parser.value(u"workspace"_s);
    if (path.isEmpty())
        return Console::fail(CommandLine::tr("--workspace PATH is required."), kUsage);
    bool countOk = false, seedOk = false;
    DemoOptions options;
    options.exceptions = parser.value(u"exceptions"_s).toLongLong(&countOk);
    options.seed = parser.value(u"seed"_s).toULongLong(&seedOk);
    if (!countOk || options.exceptions < 0)
        return Console::fail(CommandLine::tr("--exceptions must be a whole number of 0 or more, not \"%1\".")
                                 .arg(parser.value(u"exceptions"_s)),
                             kUsage);
    if (!seedOk)
        return Console::fail(
            CommandLine::tr("--seed must be a whole number, not \"%1\".").arg(parser.value(u"seed"_s)),
            kUsage);
    if (parser.isSet(u"anchor"_s)) {
        const auto anchor = timestamps::fromIso(parser.value(u"anchor"_s));
        if (!anchor)
            return Console::fail(CommandLine::tr("--anchor must be an ISO-8601 time, not \"%1\".")
                                     .arg(parser.value(u"anchor"_s)),
                                 kUsage);
        options.anchor = *anchor;
    }
    options.progress = [](qint64 done, qint64 total) {
        err() << CommandLine::tr("  %1 of %2 exceptions written").arg(done).arg(total) << Qt::endl;
    };
    QElapsedTimer timer;
    timer.start();
    auto summary = DemoWorkspaceBuilder::buildFile(path, options);
    if (!summary)
        return Console::fail(summary.problem().message);
    const DemoSummary& s = summary.value();
    out() << CommandLine::tr(
                 "Demo workspace %1: %2 tenants, %3 users, %4 rules, %5 exceptions, %6 log entries in %7 s.")
                 .arg(path)
                 .arg(s.tenants)
                 .arg(s.users)
                 .arg(s.rules)
                 .arg(s.exceptions)
                 .arg(s.logEntries)
                 .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1)
          << Qt::endl;
    return 0;
}

int CommandLine::listExceptions(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption({u"tenant"_s, CommandLine::tr("Only this tenant (default: every tenant)."), u"T"_s});
    parser.addOption(
        {u"status"_s, CommandLine::tr("Only this status: %1.").arg(allStatusWires().join(u", "_s)), u"S"_s});
    parser.addOption({u"format"_s, CommandLine::tr("json (default) or csv."), u"FORMAT"_s, u"json"_s});
    if (!parse(parser, arguments, CommandLine::tr("Lists exceptions with the reference field names.")))
        return parser.isSet(u"help"_s) ? 0 : kUsage;
    const QString format = parser.value(u"format"_s);
    if (format != u"json" && format != u"csv")
        return Console::fail(CommandLine::tr("--format must be json or csv, not \"%1\".").arg(format),
                             kUsage);
    std::optional<ExceptionStatus> status;
    if (parser.isSet(u"status"_s)) {
        status = statusFromWire(parser.value(u"status"_s));
        if (!status)
            return Console::fail(CommandLine::tr("--status must be one of %1, not \"%2\".")
                                     .arg(allStatusWires().join(u", "_s), parser.value(u"status"_s)),
                                 kUsage);
    }
    QString problem;
    int failure = 0;
    auto workspace = openExisting(parser.value(u"workspace"_s), &problem, &failure);
    if (!workspace)
        return Console::fail(problem, failure);
    auto tenants = tenantsFor(*workspace, parser.value(u"tenant"_s));
    if (!tenants)
        return failIn(*workspace, tenants.problem());

    QFile stdoutFile;
    if (!stdoutFile.open(stdout, QIODevice::WriteOnly))
        return Console::fail(CommandLine::tr("Cannot write to standard output."));
    const QStringList& csvColumns = RiskExceptionCodec::fieldNames();
    QByteArray buffer = format == u"json" ? QByteArray("[") : csvColumns.join(u',').toUtf8() + "\r\n";
    bool first = true;
    auto flush = [&] {
        stdoutFile.write(buffer);
        buffer.clear();
    };
    ExceptionRepository repository(workspace->db());
    for (const QString& tenant : tenants.value()) {
        Status listed = repository.forEach(tenant, status, [&](const RiskException& e) {
            const QJsonObject json = RiskExceptionCodec::toJson(e);
            if (format == u"json") {
                buffer += (first ? "\n" : ",\n") + QJsonDocument(json).toJson(QJsonDocument::Compact);
            } else {
                QByteArrayList cells;
                for (const QString& column : csvColumns) {
                    const QJsonValue v = json.value(column);
                    QString text =
                        v.isString() ? v.toString()
                        : v.isArray()
                            ? QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact))
                        : v.isBool()   ? (v.toBool() ? u"true"_s : u"false"_s)
                        : v.isDouble() ? QString::number(v.toInteger())
                                       : QString();
                    cells << csvCell(text);
                }
                buffer += cells.join(',') + "\r\n";
            }
            first = false;
            if (buffer.size() > (1 << 20))
                flush();
            return true;
        });
        if (!listed)
            return failIn(*workspace, listed.problem());
    }
    if (format == u"json")
        buffer += first ? "]\n" : "\n]\n";
    flush();
    return 0;
}

int CommandLine::decide(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption({u"as"_s, CommandLine::tr("The user who decides."), u"USER_ID"_s});
    parser.addOption({u"comment"_s, CommandLine::tr("Comment; required to reject."), u"TEXT"_s});
    parser.addOption(
        {u"tenant"_s, CommandLine::tr("The exception's tenant (default: found from the id)."), u"T"_s});
    parser.addPositionalArgument(u"EXC_ID"_s, CommandLine::tr("The exception."));
    parser.addPositionalArgument(u"action"_s, CommandLine::tr("approve, reject or withdraw."));
    if (!parse(parser, arguments, CommandLine::tr("Approves, rejects or withdraws an exception.")))
        return parser.isSet(u"help"_s) ? 0 : kUsage;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return Console::fail(
            CommandLine::tr(
                "Give the exception id and the action, e.g.: riskdesk decide --workspace W --as li.wei "
                "exc-0123456789ab approve"),
            kUsage);
    const QString recordId = positional.at(0);
    const auto action = actionFromWire(positional.at(1));
    if (!action)
        return Console::fail(CommandLine::tr("The action must be approve, reject or withdraw, not \"%1\".")
                                 .arg(positional.at(1)),
                             kUsage);
    const QString actor = parser.value(u"as"_s);
    if (actor.isEmpty())
        return Console::fail(CommandLine::tr("--as USER_ID is required: say who decides."), kUsage);
    QString problem;
    int failure = 0;
    auto workspace = openExisting(parser.value(u"workspace"_s), &problem, &failure);
    if (!workspace)
        return Console::fail(problem, failure);

    if (Status s = writable(*workspace); !s) // refused before anything is looked up or changed
        return failIn(*workspace, s.problem());

    // Only tenants the actor belongs to are searched, so an id in another tenant reads as "not found".
    auto memberships = DirectoryRepository(workspace->db()).membershipsOf(actor);
    if (!memberships)
        return failIn(*workspace, memberships.problem());
    if (memberships.value().isEmpty())
        return Console::fail(CommandLine::tr("There is no user \"%1\" in this workspace.").arg(actor));
    QString tenant = parser.value(u"tenant"_s);
    if (tenant.isEmpty()) {
        ExceptionRepository exceptions(workspace->db());
        for (const User& m : memberships.value()) {
            auto found = exceptions.get(m.tenantId, recordId);
            if (found)
                tenant = m.tenantId;
            else if (found.problem().code != u"not_found")
                return failIn(*workspace, found.problem());
        }
        if (tenant.isEmpty())
            return Console::fail(
                CommandLine::tr("There is no exception %1 in the tenants of %2.").arg(recordId, actor));
    }
    DecisionService service(workspace->db());
    auto applied = service.decide(tenant, recordId, actor, *action, parser.value(u"comment"_s),
                                  QDateTime::currentDateTimeUtc());
    if (!applied)
        return failIn(*workspace, applied.problem());
    const AppliedDecision& d = applied.value();
    err() << (d.finalDecision
                  ? CommandLine::tr("%1 is now %2.").arg(recordId, displayName(d.exception.status).toLower())
                  : CommandLine::tr("Step %1 recorded; %2 now waits for %3.")
                        .arg(d.logEntry.step)
                        .arg(recordId, d.exception.currentApproverId.isEmpty()
                                           ? CommandLine::tr("another approver")
                                           : d.exception.currentApproverId))
          << Qt::endl;
    out() << QString::fromUtf8(
        QJsonDocument(RiskExceptionCodec::toJson(d.exception)).toJson(QJsonDocument::Indented));
    out().flush();
    return 0;
}

int CommandLine::log(const QStringList& arguments) {
    const QString verb = arguments.value(1);
    QStringList rest = arguments;
    rest.removeAt(1);
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption({u"tenant"_s, CommandLine::tr("Only this tenant (default: every tenant)."), u"T"_s});
    parser.addOption({u"output"_s, CommandLine::tr("The CSV file to write."), u"FILE"_s});
    parser.addOption(
        {u"url"_s, CommandLine::tr("verify: check the server's log instead of a workspace's."), u"URL"_s});
    if (verb != u"verify" && verb != u"export")
        return Console::fail(
            CommandLine::tr("Unknown command \"log %1\"; use \"log verify\" or \"log export\".").arg(verb),
            kUsage);
    if (!parse(parser, rest, CommandLine::tr("Verifies or exports the hash-chained approval log.")))
        return parser.isSet(u"help"_s) ? 0 : kUsage;
    if (verb == u"verify" && parser.isSet(u"url"_s))
        return ServerCommand::verifyLog(parser.value(u"url"_s), parser.value(u"tenant"_s));
    QString problem;
    int failure = 0;
    auto workspace = openExisting(parser.value(u"workspace"_s), &problem, &failure);
    if (!workspace)
        return Console::fail(problem, failure);
    auto tenants = tenantsFor(*workspace, parser.value(u"tenant"_s));
    if (!tenants)
        return failIn(*workspace, tenants.problem());
    ApprovalLogRepository log(workspace->db());

    if (verb == u"export") {
        if (parser.value(u"tenant"_s).isEmpty() || parser.value(u"output"_s).isEmpty())
            return Console::fail(CommandLine::tr("log export needs --tenant T and --output FILE.csv."),
                                 kUsage);
        // Written beside the target and renamed into place when complete: a failed export leaves no file that
        // looks like a whole log.
        QSaveFile file(parser.value(u"output"_s));
        if (!file.open(QIODevice::WriteOnly))
            return Console::fail(
                CommandLine::tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
        LogFilter filter;
        filter.tenantId = tenants.value().first();
        if (Status s = log.exportCsv(filter, &file); !s)
            return failIn(*workspace, s.problem());
        if (!file.commit())
            return Console::fail(
                CommandLine::tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
        out() << CommandLine::tr("Wrote %1.").arg(file.fileName()) << Qt::endl;
        return 0;
    }

    // The chain can only be trusted if the file under it is whole: read every page and row first. (SQLite's
    // quick check; the full one also matches every index entry to its row, 10-15 times slower, and an index
    // that lost entries shows here anyway as a gap in the chain's sequence.)
    if (Status whole = workspace->check(IntegrityDepth::Quick); !whole)
        return Console::fail(whole.problem().message);
    int status = 0;
    for (const QString& tenant : tenants.value()) {
        const auto remembered = ChainHeadMemory::recall(workspace->workspaceId(), tenant);
        auto verified = log.verify(tenant, remembered);
        if (!verified)
            return failIn(*workspace, verified.problem());
        const ChainVerification& v = verified.value();
        if (v.intact) {
            ChainHeadMemory::remember(workspace->workspaceId(), tenant, v.head);
            out() << CommandLine::tr("%1: intact. %2 Head: entry %3, %4.")
                         .arg(tenant, v.message)
                         .arg(v.head.seq)
                         .arg(QString::fromLatin1(v.head.hash))
                  << Qt::endl;
        } else {
            err() << CommandLine::tr("%1: BROKEN at entry %2. %3")
                         .arg(tenant)
                         .arg(v.firstBrokenSeq)
                         .arg(v.message)
                  << Qt::endl;
            status = kRefused;
        }
    }
    return status;
}

int CommandLine::bench(const QStringList& arguments) {
    // Each benchmark parses its own options from the arguments after its name.
    static const QHash<QString, int (*)(const QStringList&)> benchmarks{{u"score"_s, &ScoreBenchmark::run},
                                                                        {u"replay"_s, &ReplayBenchmark::run},
                                                                        {u"render"_s, &RenderBenchmark::run},
                                                                        {u"sync"_s, &SyncBenchmark::run}};
    if (const auto run = benchmarks.value(arguments.value(1))) {
        QStringList rest = arguments;
        rest.removeAt(1);
        return run(rest);
    }
    if (arguments.value(1) != u"queue")
        return Console::fail(
            CommandLine::tr("Unknown benchmark \"%1\"; available: queue, score, replay, render, sync.")
                .arg(arguments.value(1)),
            kUsage);
    QStringList rest = arguments;
    rest.removeAt(1);
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption({u"exceptions"_s,
                      CommandLine::tr("Size of the workspace made when it does not exist (default 1000000)."),
                      u"N"_s, u"1000000"_s});
    parser.addOption({u"repeat"_s,
                      CommandLine::tr("Runs of each measurement; the median is reported (default 5)."),
                      u"N"_s, u"5"_s});
    if (!parse(parser, rest,
               CommandLine::tr("Measures the review queue against QSqlQueryModel + QSortFilterProxyModel.")))
        return parser.isSet(u"help"_s) ? 0 : kUsage;
    const QString path = parser.value(u"workspace"_s);
    if (path.isEmpty())
        return Console::fail(CommandLine::tr("--workspace PATH is required."), kUsage);
    return QueueBenchmark::run(path, parser.value(u"exceptions"_s).toLongLong(),
                               parser.value(u"repeat"_s).toInt());
}

} // namespace riskdesk

namespace riskdesk {

int CommandLine::replay(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.addOption(workspaceOption());
    parser.addOption(
        {u"tenant"_s, CommandLine::tr("The exception's tenant (default: whichever holds it)."), u"T"_s});
    parser.addPositionalArgument(u"EXC_ID"_s, CommandLine::tr("The exception to preview."));
    if (!parse(parser, arguments,
               CommandLine::tr("Replays an exception's target history with and without the waiver.")))
        return parser.isSet(u"help"_s) ? 0 : kUsage;
    if (parser.positionalArguments().size() != 1)
        return Console::fail(CommandLine::tr("Name one exception: riskdesk replay --workspace PATH EXC_ID"),
                             kUsage);
    const QString recordId = parser.positionalArguments().first();
    QString problem;
    int failure = 0;
    auto workspace = openExisting(parser.value(u"workspace"_s), &problem, &failure);
    if (!workspace)
        return Console::fail(problem, failure);
    auto tenants = tenantsFor(*workspace, parser.value(u"tenant"_s));
    if (!tenants)
        return failIn(*workspace, tenants.problem(), kUsage);
    ExceptionRepository exceptions(workspace->db());
    std::optional<RiskException> found;
    for (const QString& tenant : tenants.value()) {
        auto e = exceptions.get(tenant, recordId);
        if (e) {
            found = e.value();
            break;
        }
        if (e.problem().code != u"not_found")
            return failIn(*workspace, e.problem());
    }
    if (!found)
        return Console::fail(CommandLine::tr("There is no exception %1 in this workspace.").arg(recordId));
    const RiskException& e = *found;
    std::optional<Rule> rule;
    if (auto r = DirectoryRepository(workspace->db()).rule(e.tenantId, e.riskRuleId))
        rule = r.value();
    const TargetRisk risk = TargetRiskReader::read(workspace->db(), e, rule, 1000);

    QJsonObject json{{u"exception_id"_s, e.recordId},
                     {u"tenant_id"_s, e.tenantId},
                     {u"risk_rule_id"_s, e.riskRuleId},
                     {u"target_type"_s, toWire(e.targetType)},
                     {u"target_id"_s, e.targetId},
                     {u"valid_start_time"_s, timestamps::toIso(e.validStartTime)},
                     {u"valid_end_time"_s, timestamps::toIso(e.validEndTime)}};
    if (risk.current) {
        const LoggedAssessment& a = *risk.current;
        json.insert(u"current_assessment"_s,
                    QJsonObject{{u"risk_score"_s, a.riskScore},
                                {u"risk_level"_s, a.riskLevel},
                                {u"decision"_s, a.decision},
                                {u"reasons"_s, QJsonArray::fromStringList(a.reasons)},
                                {u"timestamp"_s, timestamps::toIso(timestamps::fromMs(a.assessedAtMs))}});
    }
    if (!risk.impact)
        return Console::fail(risk.impactProblem);
    json.insert(u"impact"_s, risk.impact->toJson());
    const ImpactSummary& i = *risk.impact;
    err() << CommandLine::tr("%1: %2 of %3 events in the validity window. If approved: hits waived %4 "
                             "(amount %5), decisions changed %6.")
                 .arg(recordId)
                 .arg(i.inWindow)
                 .arg(i.events)
                 .arg(i.hitsWaived)
                 .arg(QLocale().toString(double(i.amountWaivedCents) / 100.0, 'f', 2))
                 .arg(i.decisionsChanged)
          << Qt::endl;
    out() << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented));
    out().flush();
    return 0;
}

} // namespace riskdesk
