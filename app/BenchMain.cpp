// riskdesk-bench: the benchmarks behind the README's figures. A developer's tool built with the sources and
// never installed; the shipped riskdesk carries none of it. No display is needed: the benchmarks that lay out
// text draw on the offscreen platform.
#include "BoardBenchmark.h"
#include "BoardGuiBenchmark.h"
#include "BulkBenchmark.h"
#include "CommandTable.h"
#include "Console.h"
#include "ProcessMemory.h"
#include "QueueBenchmark.h"
#include "RenderBenchmark.h"
#include "ReplayBenchmark.h"
#include "RiskdeskVersion.h"
#include "ScoreBenchmark.h"
#include "SyncBenchmark.h"
#include "settings/AppSettings.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QCoreApplication>
#include <QGuiApplication>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

// Every benchmark, once: dispatch, --help and what each needs come from here.
const riskdesk::CommandTable& benchmarks() {
    using riskdesk::CommandNeeds;
    static const riskdesk::CommandTable table(
        u"riskdesk-bench"_s, {},
        {
            {u"queue"_s,
             {},
             {u"--workspace PATH [--exceptions N] [--repeat N]"_s},
             &riskdesk::QueueBenchmark::run,
             CommandNeeds::Console},
            {u"bulk"_s,
             {},
             {u"[--exceptions N] [--decisions N] [--repeat N]"_s},
             &riskdesk::BulkBenchmark::run,
             CommandNeeds::Console},
            {u"score"_s,
             {},
             {u"[--requests N] [--users N] [--baseline N] [--repeat N] [--events N] "
              "[--only memory|persisted|json|baseline|replay]"_s},
             &riskdesk::ScoreBenchmark::run,
             CommandNeeds::Console},
            {u"replay"_s,
             {},
             {u"[--events N] [--repeat N]"_s},
             &riskdesk::ReplayBenchmark::run,
             CommandNeeds::Console},
            {u"render"_s,
             {},
             {u"[--repeat N] [--exports N]"_s},
             &riskdesk::RenderBenchmark::run,
             CommandNeeds::Fonts},
            {u"sync"_s,
             {},
             {u"--url OWNER_URL [--exceptions N] [--decisions N] [--latency-samples N]"_s},
             &riskdesk::SyncBenchmark::run,
             CommandNeeds::Console},
            {u"boards"_s,
             {},
             {u"[--workspace PATH [--exports-only]] [--riskops-workspace PATH] [--load-rows N] [--repeat N] "
              "[--chart-paints N]"_s},
             &riskdesk::BoardBenchmark::run,
             CommandNeeds::Fonts},
            {u"boards-gui"_s,
             {},
             {u"[--workspace PATH] [--switches N] [--user USER] [--tenant T]"_s},
             &riskdesk::BoardGuiBenchmark::run,
             CommandNeeds::Widgets},
        });
    return table;
}

} // namespace

int main(int argc, char** argv) {
    riskdesk::ProcessMemory::keepFreedMemory();
    riskdesk::Workspace::configureSqlite();
    riskdesk::Console::setProgram(u"riskdesk-bench"_s);
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const riskdesk::CommandTable& table = benchmarks();
    const riskdesk::CommandNeeds needs = table.needsOf(arguments);
    const bool widgets = needs == riskdesk::CommandNeeds::Widgets;
    const bool fonts = widgets || needs == riskdesk::CommandNeeds::Fonts;
    if (fonts && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> application = widgets ? std::make_unique<QApplication>(argc, argv)
                                                    : fonts ? std::make_unique<QGuiApplication>(argc, argv)
                                                            : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setOrganizationName(u"Riskdesk"_s);
    QCoreApplication::setApplicationName(u"Riskdesk"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(RISKDESK_VERSION));

    const QString first = arguments.value(1);
    if (first == u"--version" || first == u"-v") {
        riskdesk::Console::out() << table.program() << ' ' << QCoreApplication::applicationVersion()
                                 << Qt::endl;
        return 0;
    }
    if (first == u"--help" || first == u"-h")
        return table.usage({}, riskdesk::Console::out());
    if (first.isEmpty()) {
        table.usage({}, riskdesk::Console::err());
        return 2;
    }
    riskdesk::AppSettings settings; // the user's, made once here
    return table.run(arguments, settings);
}
