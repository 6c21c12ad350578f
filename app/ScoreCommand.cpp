#include "ScoreCommand.h"

#include "CommandParser.h"
#include "Console.h"
#include "JsonInputFile.h"
#include "domain/JsonDuplicateKeys.h"
#include "engine/AssessmentSession.h"
#include "settings/AppSettings.h"
#include "store/AssessmentStore.h"
#include "store/DirectoryRepository.h"
#include "store/OverwriteGuard.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>
#include <optional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kSaveEvery = 50000;               // assessments per workspace transaction
const QString kStandaloneTenant = u"default"_s; // the ledger's tenant in a workspace without tenants
} // namespace

int ScoreCommand::run(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(u"score"_s, tr("Assesses transactions: one JSON request per input line."));
    parser.addOption(
        {u"input"_s, tr("JSON Lines file of requests (- for standard input)."), u"REQUESTS.jsonl"_s});
    parser.addOption(
        {u"output"_s, tr("Where to write the responses (default: standard output)."), u"FILE"_s});
    parser.addOption({u"policy"_s, tr("A policy file (default: the tenant's, or the reference policy)."),
                      u"POLICY.json"_s});
    parser.addOption({u"blacklist"_s, tr("Rows \"user,ID\" or \"merchant,ID\" to refuse."), u"LIST.csv"_s});
    parser.addOption(
        {u"workspace"_s, tr("Keep the ledger and the assessment log in this workspace."), u"PATH"_s});
    parser.addOption({u"tenant"_s, tr("The tenant whose ledger and policy to use (default: default)."),
                      u"T"_s, u"default"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    if (!parser.isSet(u"input"_s))
        return Console::fail(tr("--input REQUESTS.jsonl is required."), 2);

    Workspace workspace(settings);
    const QString tenant = parser.value(u"tenant"_s);
    const bool persisted = parser.isSet(u"workspace"_s);
    if (parser.isSet(u"tenant"_s) && !persisted)
        return Console::fail(
            tr("--tenant needs --workspace PATH: without a workspace nothing is kept per tenant."), 2);
    if (persisted) {
        // Only an existing workspace: a mistyped path must not become a new one (riskdesk workspace create
        // makes an empty workspace for a standalone ledger).
        const QString path = parser.value(u"workspace"_s);
        const Status s = workspace.openExisting(path, u"riskdesk-score"_s);
        if (!s)
            return Console::fail(
                s.problem().code == u"workspace_missing"
                    ? tr("There is no workspace at %1. Make an empty one for the ledger with: "
                         "riskdesk workspace create --workspace %1")
                          .arg(path)
                    : s.problem().message,
                1);
        if (auto refusal = workspace.writeRefusal()) // the assessments and the ledger are written there
            return Console::fail(refusal->message, 1);
        if (Status whole = workspace.ensureVerified(); !whole)
            return Console::fail(whole.problem().message, 1);
        // Assessments are stored under the tenant: it must be one of the workspace's (a workspace with no
        // tenants keeps a standalone ledger under "default").
        auto tenants = DirectoryRepository(workspace.db()).tenants();
        if (!tenants)
            return Console::fail(tenants.problem().message, 1);
        QStringList ids;
        for (const Tenant& t : tenants.value())
            ids << t.tenantId;
        if (ids.isEmpty() && tenant != kStandaloneTenant)
            return Console::fail(tr("This workspace has no tenant \"%1\"; it has no tenants at all, so leave "
                                    "--tenant out.")
                                     .arg(tenant),
                                 1);
        if (!ids.isEmpty() && !ids.contains(tenant))
            return Console::fail(
                parser.isSet(u"tenant"_s)
                    ? tr("There is no tenant \"%1\" in this workspace (tenants: %2).")
                          .arg(tenant, ids.join(u", "_s))
                    : tr("Say whose assessments these are: --tenant T (tenants: %1).").arg(ids.join(u", "_s)),
                1);
    }
    QFile input;
    const QString inputPath = parser.value(u"input"_s);
    const bool opened = inputPath == u"-" ? input.open(stdin, QIODevice::ReadOnly)
                                          : (input.setFileName(inputPath), input.open(QIODevice::ReadOnly));
    if (!opened)
        return Console::fail(tr("Cannot read %1: %2").arg(inputPath, input.errorString()), 1);
    QFile output;
    const bool toFile = parser.isSet(u"output"_s);
    if (toFile) {
        if (Status s = OverwriteGuard::check(parser.value(u"output"_s), {inputPath, parser.value(u"policy"_s),
                                                                         parser.value(u"blacklist"_s)});
            !s)
            return Console::fail(s.problem().message, 2);
        output.setFileName(parser.value(u"output"_s));
    }
    // Opened with the first answer: an input of no requests leaves the file named by --output as it was
    // (helper-85: opened at once, it was emptied, then removed, /dev/null included).
    const auto openOutput = [&]() -> std::optional<int> {
        if (output.isOpen())
            return std::nullopt;
        if (toFile && !output.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Console::fail(tr("Cannot write %1: %2").arg(output.fileName(), output.errorString()), 1);
        if (!toFile && !output.open(stdout, QIODevice::WriteOnly))
            return Console::fail(tr("Cannot write to standard output."), 1);
        return std::nullopt;
    };

    AssessmentPolicy policy = AssessmentPolicy::reference();
    if (parser.isSet(u"policy"_s)) {
        const QString path = parser.value(u"policy"_s);
        const auto read = JsonInputFile::readObject(path, tr("one policy (a JSON object)"));
        if (!read)
            return Console::fail(read.problem().message, 1);
        auto parsed = AssessmentPolicy::fromJson(read.value());
        if (!parsed)
            return Console::fail(tr("%1: %2").arg(path, parsed.problem().message), 1);
        policy = parsed.value();
    } else if (persisted) {
        auto own = AssessmentStore(workspace.db(), tenant).tenantPolicy();
        if (!own)
            return Console::fail(own.problem().message, 1);
        if (own.value())
            policy = *own.value();
    }
    AssessmentSession session(policy);
    if (persisted)
        if (Status s = AssessmentStore(workspace.db(), tenant).load(session); !s)
            return Console::fail(s.problem().message, 1);
    if (parser.isSet(u"blacklist"_s)) {
        QFile file(parser.value(u"blacklist"_s));
        if (!file.open(QIODevice::ReadOnly))
            return Console::fail(tr("Cannot read %1: %2").arg(file.fileName(), file.errorString()), 1);
        if (Status s = session.blacklist().addCsv(QString::fromUtf8(file.readAll())); !s)
            return Console::fail(tr("%1: %2").arg(file.fileName(), s.problem().message), 1);
    }

    QList<LoggedAssessment> unsaved;
    auto save = [&]() -> Status {
        if (!persisted || unsaved.isEmpty())
            return success();
        Status s = AssessmentStore(workspace.db(), tenant).save(session, unsaved);
        unsaved.clear();
        return s;
    };
    QByteArray buffer;
    qint64 lineNumber = 0, errors = 0, requests = 0;
    while (!input.atEnd()) {
        const QByteArray line = input.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        ++requests;
        QElapsedTimer timer;
        timer.start();
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        const std::optional<QString> twice =
            doc.isObject() ? JsonDuplicateKeys::problem(line) : std::optional<QString>();
        Result<AssessmentRequest> request =
            twice            ? Result<AssessmentRequest>(Problem{u"duplicate_key"_s, *twice, {}})
            : doc.isObject() ? AssessmentRequest::fromJson(doc.object())
            : parseError.error != QJsonParseError::NoError
                ? Result<AssessmentRequest>(Problem{u"bad_json"_s,
                                                    tr("not valid JSON: %1 near column %2.")
                                                        .arg(parseError.errorString())
                                                        .arg(JsonInputFile::column(line, parseError.offset)),
                                                    {}})
                : Result<AssessmentRequest>(
                      Problem{u"not_an_object"_s,
                              tr("a request must be a JSON object {…}, not an array or a value."),
                              {}});
        QJsonObject response;
        if (!request) {
            ++errors;
            response = QJsonObject{
                {u"line"_s, lineNumber},
                {u"error"_s,
                 QJsonObject{
                     {u"code"_s, request.problem().code},
                     {u"field"_s, request.problem().field},
                     {u"message"_s, tr("Line %1: %2").arg(lineNumber).arg(request.problem().message)}}}};
        } else {
            const SessionAssessment made = session.assess(request.value(), QDateTime::currentDateTimeUtc());
            response = RiskAssessor::responseJson(made.assessment, made.requestId(), request.value().userId,
                                                  double(timer.nsecsElapsed()) / 1e6, made.timestamp);
            if (persisted)
                unsaved.append(LoggedAssessment::of(request.value(), made));
        }
        buffer += QJsonDocument(response).toJson(QJsonDocument::Compact) + '\n';
        if (buffer.size() > (1 << 20)) {
            if (const auto failed = openOutput())
                return *failed;
            output.write(buffer);
            buffer.clear();
        }
        if (unsaved.size() >= kSaveEvery)
            if (Status s = save(); !s)
                return Console::fail(s.problem().message, 1);
    }
    if (Status s = save(); !s)
        return Console::fail(s.problem().message, 1);
    // An empty answer to an empty file could pass for one that went wrong: a script given the wrong file
    // must notice, as with a log export of no entries. Nothing is written.
    if (requests == 0)
        return Console::fail(
            tr("%1 holds no requests (one JSON object per line), so nothing was assessed.").arg(inputPath),
            1);
    if (const auto failed = openOutput())
        return *failed;
    output.write(buffer);
    if (errors > 0)
        QTextStream(stderr) << tr("riskdesk: %n line(s) could not be assessed; see their error lines.",
                                  nullptr, int(errors))
                            << Qt::endl;
    return errors > 0 ? 1 : 0;
}

} // namespace riskdesk
