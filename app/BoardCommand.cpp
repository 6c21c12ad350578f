#include "BoardCommand.h"

#include "CommandParser.h"
#include "Console.h"
#include "boards/BoardLoadSet.h"
#include "boards/CustomerRankings.h"
#include "boards/ServiceLogSummaries.h"
#include "settings/AppSettings.h"
#include "store/BoardWorkspaceLoad.h"
#include "store/Workspace.h"
#include "sync/BoardPartitionPull.h"
#include "sync/BoardServerLoad.h"

#include <QElapsedTimer>
#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

int BoardCommand::load(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(
        u"board load"_s,
        tr("Loads board data from the CSV files of a directory (one per view), all or nothing."));
    parser.addOption({u"workspace"_s, tr("The workspace to load into."), u"PATH"_s});
    parser.addOption({u"url"_s, tr("The server to load into, as its owner (loader) role."), u"OWNER_URL"_s});
    parser.addOption({u"tenant"_s, tr("The tenant the data belong to."), u"T"_s});
    parser.addOption({u"dir"_s, tr("The directory of CSV files (see board export-template)."), u"DIR"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const QString path = parser.value(u"workspace"_s), url = parser.value(u"url"_s),
                  tenant = parser.value(u"tenant"_s), dir = parser.value(u"dir"_s);
    if (path.isEmpty() == url.isEmpty())
        return Console::fail(tr("Give exactly one of --workspace PATH and --url OWNER_URL."),
                             Console::kUsage);
    if (tenant.isEmpty() || dir.isEmpty())
        return Console::fail(tr("--tenant T and --dir DIR are required."), Console::kUsage);
    if (!QFileInfo(dir).isDir())
        return Console::fail(tr("There is no directory %1.").arg(dir), Console::kUsage);

    QElapsedTimer timer;
    timer.start();
    Result<BoardLoadSummary> loaded = Problem{};
    if (!path.isEmpty()) {
        if (!QFileInfo::exists(path))
            return Console::fail(tr("--workspace PATH must name an existing workspace."), Console::kUsage);
        Workspace workspace(settings);
        if (Status s = workspace.openExisting(path, u"riskdesk-board-load"_s); !s)
            return Console::fail(s.problem().message);
        if (auto refusal = workspace.writeRefusal())
            return Console::fail(refusal->message);
        loaded = BoardWorkspaceLoad::load(workspace.db(), tenant, dir);
    } else {
        auto server = PgConnection::open(url);
        if (!server)
            return Console::fail(server.problem().message);
        loaded = BoardServerLoad::load(*server.value(), tenant, dir);
    }
    if (!loaded)
        return Console::fail(loaded.problem().message);
    Console::err() << tr("%n row(s) from %1 file(s) loaded as version %2 in %3 s.", nullptr,
                         int(qMin<qint64>(loaded.value().rows, std::numeric_limits<int>::max())))
                          .arg(loaded.value().files)
                          .arg(loaded.value().etlVersion)
                          .arg(double(timer.elapsed()) / 1000, 0, 'f', 1)
                   << Qt::endl;
    return 0;
}

int BoardCommand::exportTemplate(const QStringList& arguments, AppSettings& /*settings*/) {
    CommandParser parser(u"board export-template"_s,
                         tr("Writes the header-only CSV file of every board view, to fill and load."));
    parser.addOption({u"dir"_s, tr("The directory to write (made if missing)."), u"DIR"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const QString dir = parser.value(u"dir"_s);
    if (dir.isEmpty())
        return Console::fail(tr("--dir DIR is required."), Console::kUsage);
    if (Status s = BoardLoadSet::writeTemplates(dir); !s)
        return Console::fail(s.problem().message);
    Console::err() << tr("%n template file(s) written to %1.", nullptr,
                         int(BoardDataCatalog::datasets().size()))
                          .arg(dir)
                   << Qt::endl;
    return 0;
}

int BoardCommand::verify(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(
        u"board verify"_s,
        tr("Re-reads the board data synced into a workspace and compares every partition with "
           "the row count and checksum it was pulled with; a damaged one is pulled again at the "
           "next sync."));
    parser.addOption({u"workspace"_s, tr("The workspace to verify."), u"PATH"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const QString path = parser.value(u"workspace"_s);
    if (path.isEmpty() || !QFileInfo::exists(path))
        return Console::fail(tr("--workspace PATH must name an existing workspace."), Console::kUsage);
    Workspace workspace(settings);
    if (Status s = workspace.openExisting(path, u"riskdesk-board-verify"_s); !s)
        return Console::fail(s.problem().message);
    if (auto refusal = workspace.writeRefusal())
        return Console::fail(refusal->message);
    auto damaged = BoardPartitionPull::verify(workspace.db());
    if (!damaged)
        return Console::fail(damaged.problem().message);
    for (const BoardPartitionDamage& d : damaged.value())
        Console::out() << tr("Damaged: %1: %2 rows expected, %3 found; checksum %4 expected, %5 found.")
                              .arg(d.key.describe())
                              .arg(d.expectedRows)
                              .arg(d.actualRows)
                              .arg(d.expectedChecksum.left(12), d.actualChecksum.left(12))
                       << Qt::endl;
    // The service-log summaries the boards read, derived again from the logs.
    auto summaries = ServiceLogSummaries::verify(workspace.db());
    if (!summaries)
        return Console::fail(summaries.problem().message);
    // The customer board's kept 60-day spend is such a summary too (migration 021).
    auto rankings = CustomerRankings::verify(workspace.db());
    if (!rankings)
        return Console::fail(rankings.problem().message);
    summaries.value() << rankings.value();
    for (const QString& where : summaries.value())
        Console::out() << tr("Summary differs from the service logs: %1.").arg(where) << Qt::endl;
    if (!damaged.value().isEmpty()) {
        Console::out() << tr("%n damaged partition(s): the next sync pulls them again.", nullptr,
                             int(damaged.value().size()))
                       << Qt::endl;
    } else {
        Console::out() << tr("Every synced board partition matches its checksum.") << Qt::endl;
    }
    if (summaries.value().isEmpty())
        Console::out() << tr("The service-log summaries match the service logs.") << Qt::endl;
    return damaged.value().isEmpty() && summaries.value().isEmpty() ? 0 : 1;
}

} // namespace riskdesk
