#include "ServerCommand.h"

#include "CommandParser.h"
#include "Console.h"
#include "domain/TextRules.h"
#include "settings/AppSettings.h"
#include "store/DeferredIndexBuild.h"
#include "store/Workspace.h"
#include "sync/ChangeChannels.h"
#include "sync/ServerAdmin.h"
#include "sync/ServerLog.h"
#include "sync/SyncEngine.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QThread>
#include <algorithm>
#include <climits>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QCommandLineOption urlOption() {
    return {u"url"_s,
            ServerCommand::tr(
                "The server, postgresql://user:password@host:port/database (default: $RISKDESK_URL)."),
            u"URL"_s, qEnvironmentVariable("RISKDESK_URL")};
}

bool parseOrFail(CommandParser& parser, const QStringList& arguments, const QString& description, int* exit) {
    parser.setApplicationDescription(description);
    if (const auto stop = parser.stopsAfter(arguments)) {
        *exit = *stop;
        return false;
    }
    return true;
}

} // namespace

int ServerCommand::db(const QStringList& arguments, AppSettings& settings) {
    const QString verb = arguments.value(1);
    QStringList rest = arguments;
    rest.removeAt(1);
    CommandParser parser(u"db "_s + verb, {});
    parser.addOption(urlOption());
    int exit = 0;
    if (verb == u"migrate") {
        if (!parseOrFail(parser, rest, tr("Applies the server's schema migrations (as the owner role)."),
                         &exit))
            return exit;
    } else if (verb == u"add-user") {
        parser.addOption({u"role"_s, tr("applicant, approver, auditor or finance."), u"ROLE"_s});
        parser.addOption({u"tenant"_s, tr("The tenant the user works in (made if missing)."), u"T"_s});
        parser.addOption(
            {u"user-id"_s, tr("The user's id in the tenant (default: the login name)."), u"ID"_s});
        parser.addOption(
            {u"display-name"_s, tr("The user's name as people read it (default: the user id)."), u"NAME"_s});
        parser.addOption({u"site"_s,
                          tr("A site of the tenant whose board data a finance user may read (repeatable)."),
                          u"S"_s});
        parser.allowRepeated(u"site"_s);
        parser.addPositional(u"NAME"_s, tr("The login role to create."));
        if (!parseOrFail(parser, rest,
                         tr("Creates a login role for one user and tenant. The password comes from "
                            "$RISKDESK_NEW_PASSWORD, or is generated and printed once."),
                         &exit))
            return exit;
    } else if (verb == u"seed") {
        parser.addOption(
            {u"workspace"_s, tr("The workspace whose tenants, rules and exceptions to copy."), u"PATH"_s});
        if (!parseOrFail(parser, rest,
                         tr("Copies a workspace's tenants, rules and exceptions to an empty server."), &exit))
            return exit;
    } else {
        return Console::fail(
            tr("Unknown command \"db %1\"; available: db migrate, db add-user, db seed.").arg(verb),
            Console::kUsage);
    }
    const QString url = parser.value(u"url"_s);
    if (url.isEmpty())
        return Console::fail(tr("--url URL (or RISKDESK_URL) is required."), Console::kUsage);
    auto server = PgConnection::open(url);
    if (!server)
        return Console::fail(server.problem().message);

    if (verb == u"migrate") {
        auto applied = ServerAdmin::migrate(*server.value());
        if (!applied)
            return Console::fail(applied.problem().message);
        Console::err() << tr("%n migration(s) applied; the server schema is at version %1.", nullptr,
                             applied.value())
                              .arg(ServerAdmin::latestVersion())
                       << Qt::endl;
        return 0;
    }
    if (verb == u"add-user") {
        const auto role = roleFromWire(parser.value(u"role"_s));
        if (parser.positionalArguments().size() != 1 || !role || parser.value(u"tenant"_s).isEmpty())
            return Console::fail(
                tr("Use: riskdesk db add-user --url URL NAME --role applicant|approver|auditor|finance "
                   "--tenant T"),
                Console::kUsage);
        const QString name = parser.positionalArguments().first();
        const QStringList sites = parser.values(u"site"_s);
        if (!sites.isEmpty() && *role != UserRole::Finance)
            return Console::fail(tr("--site grants board data, which only finance users read."),
                                 Console::kUsage);
        for (const QString& site : sites)
            if (!TextRules::isPlainId(site))
                return Console::fail(
                    tr("\"%1\" is not a site id (1 to 128 characters, no spaces).").arg(site),
                    Console::kUsage);
        QString password = qEnvironmentVariable("RISKDESK_NEW_PASSWORD");
        const bool generated = password.isEmpty();
        if (generated)
            for (int i = 0; i < 20; ++i)
                password += QChar(u"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"_s.at(
                    int(QRandomGenerator::system()->bounded(56))));
        const QString userId = parser.value(u"user-id"_s).isEmpty() ? name : parser.value(u"user-id"_s);
        const QString shownAs =
            parser.value(u"display-name"_s).isEmpty() ? userId : parser.value(u"display-name"_s);
        if (Status s = ServerAdmin::addUser(*server.value(), name, password, *role, parser.value(u"tenant"_s),
                                            userId, shownAs, sites);
            !s)
            return Console::fail(s.problem().message);
        Console::err() << tr("%1 is %2 %3 in tenant %4.")
                              .arg(name, displayName(*role).toLower(), userId, parser.value(u"tenant"_s))
                       << Qt::endl;
        if (!sites.isEmpty())
            Console::err() << tr("%1 may read the board data of site(s) %2.").arg(name, sites.join(u", "_s))
                           << Qt::endl;
        if (generated)
            Console::out() << password << Qt::endl;
        return 0;
    }
    QString path = parser.value(u"workspace"_s);
    if (path.isEmpty() || !QFileInfo::exists(path))
        return Console::fail(tr("--workspace PATH must name an existing workspace."), Console::kUsage);
    Workspace workspace(settings);
    if (Status s = workspace.openExisting(path, u"riskdesk-seed"_s); !s)
        return Console::fail(s.problem().message);
    if (Status whole = workspace.ensureVerified(); !whole)
        return Console::fail(whole.problem().message);
    QElapsedTimer t;
    t.start();
    auto copied = ServerAdmin::seed(*server.value(), workspace.db());
    if (!copied)
        return Console::fail(copied.problem().message);
    Console::err() << tr("%n exception(s) copied to the server in %1 s.", nullptr, int(copied.value()))
                          .arg(double(t.elapsed()) / 1000, 0, 'f', 1)
                   << Qt::endl;
    return 0;
}

int ServerCommand::sync(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(u"sync"_s, {});
    parser.addOption(urlOption());
    parser.addOption({u"workspace"_s, tr("The workspace to sync."), u"PATH"_s});
    parser.addOption(
        {u"once"_s, tr("Push and pull once, then stop (default: keep syncing, woken by the server).")});
    int exit = 0;
    if (!parseOrFail(parser, arguments,
                     tr("Pushes this workspace's decisions and pulls the server's changes."), &exit))
        return exit;
    const QString url = parser.value(u"url"_s), path = parser.value(u"workspace"_s);
    if (url.isEmpty())
        return Console::fail(tr("--url URL (or RISKDESK_URL) is required."), Console::kUsage);
    if (path.isEmpty())
        return Console::fail(tr("--workspace PATH is required."), Console::kUsage);
    Workspace workspace(settings); // a first sync into a new file makes it: the server fills it
    if (Status s = workspace.open(path, u"riskdesk-sync"_s); !s)
        return Console::fail(s.problem().message);
    if (auto refusal = workspace.writeRefusal())
        return Console::fail(refusal->message);
    if (Status whole = workspace.ensureVerified(); !whole)
        return Console::fail(whole.problem().message);

    int backoffMs = 500;
    for (;;) {
        auto server = PgConnection::open(url);
        if (!server) {
            if (parser.isSet(u"once"_s))
                return Console::fail(server.problem().message);
            Console::err()
                << tr("Offline: %1; retrying in %2 s.").arg(server.problem().message).arg(backoffMs / 1000.0)
                << Qt::endl;
            QThread::msleep(backoffMs);
            backoffMs = std::min(backoffMs * 2, 30000);
            continue;
        }
        backoffMs = 500;
        PgConnection& pg = *server.value();
        // Listen first, then sync: a change made in between wakes the next round instead of being missed.
        if (auto s = ChangeChannels::listen(pg); !s && parser.isSet(u"once"_s))
            return Console::fail(s.problem().message);
        SyncEngine engine(workspace.db(), pg);
        for (;;) {
            QElapsedTimer t;
            t.start();
            auto report = engine.syncOnce(
                [](qint64 rows) { Console::err() << tr("  %1 rows pulled").arg(rows) << Qt::endl; });
            if (!report) {
                if (parser.isSet(u"once"_s))
                    return Console::fail(report.problem().message);
                Console::err() << report.problem().message << Qt::endl;
                break; // reconnect
            }
            const SyncReport& r = report.value();
            for (const QString& m : r.messages)
                Console::err() << m << Qt::endl;
            // Pushed: decisions and requests, assignment changes and comments alike.
            Console::out() << tr("Pushed %1, refused %2, conflicts %3; pulled %4 in %5 s.")
                                  .arg(r.pushed + r.assignmentsPushed + r.commentsPushed)
                                  .arg(r.refused)
                                  .arg(r.conflicts)
                                  .arg(r.pulled)
                                  .arg(double(t.elapsed()) / 1000, 0, 'f', 2)
                           << Qt::endl;
            if (r.waiting > 0)
                Console::out() << tr("%n change(s) wait in the outbox; the lines above say for whom.",
                                     nullptr, int(std::min<qint64>(r.waiting, INT_MAX)))
                               << Qt::endl;
            if (r.boardPartitions + r.boardTenantSlices > 0)
                Console::out()
                    << tr("Board data: %n partition(s) and %1 tenant-wide dataset(s) replaced, %2 rows.",
                          nullptr, r.boardPartitions)
                           .arg(r.boardTenantSlices)
                           .arg(r.boardRows)
                    << Qt::endl;
            if (Status s = finishIndexes(workspace); !s)
                return Console::fail(s.problem().message);
            if (parser.isSet(u"once"_s))
                return r.refused + r.conflicts + r.waiting > 0 ? 1 : 0;
            // Sleep until the server says something changed (or 30 s pass: local decisions go out too).
            pg.waitForNotifications(30000);
            if (!pg.isOk())
                break;
        }
    }
}

Status ServerCommand::finishIndexes(Workspace& workspace) {
    auto pending = DeferredIndexBuild::progress(workspace.db());
    if (!pending)
        return pending.problem();
    if (pending.value().done())
        return success();
    QElapsedTimer t;
    t.start();
    Status built = DeferredIndexBuild::run(workspace.db(), [](const DeferredIndexBuild::Progress& p) {
        if (p.indexesLeft > 0)
            Console::err() << tr("  building indexes: %n left", nullptr, p.indexesLeft) << Qt::endl;
        else if (p.searchRowsLeft > 0)
            Console::err() << tr("  building the search index: %1%").arg(p.searchPercent()) << Qt::endl;
    });
    if (built)
        Console::out()
            << tr("Indexes and search index built in %1 s.").arg(double(t.elapsed()) / 1000, 0, 'f', 2)
            << Qt::endl;
    return built;
}

int ServerCommand::verifyLog(AppSettings& settings, const QString& url, const QString& tenant) {
    auto server = PgConnection::open(url);
    if (!server)
        return Console::fail(server.problem().message);
    auto tenants = ServerLog::tenants(*server.value());
    if (!tenants)
        return Console::fail(tenants.problem().message);
    QStringList selected = tenants.value();
    if (!tenant.isEmpty()) {
        if (!selected.contains(tenant))
            return Console::fail(tr("This server login sees no tenant \"%1\" (it sees: %2).")
                                     .arg(tenant, selected.join(u", "_s)));
        selected = {tenant};
    }
    bool allIntact = true;
    for (const QString& t : selected) {
        auto v = ServerLog::verifyAndRemember(settings, *server.value(), url, t);
        if (!v)
            return Console::fail(v.problem().message);
        Console::out() << tr("%1 (server): %2").arg(t, v.value().message) << Qt::endl;
        allIntact = allIntact && v.value().intact;
    }
    return allIntact ? 0 : 1;
}

} // namespace riskdesk
