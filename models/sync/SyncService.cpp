#include "SyncService.h"

#include "ChangeChannels.h"
#include "ServerLog.h"
#include "StopRequest.h"
#include "SyncEngine.h"
#include "store/DeferredIndexBuild.h"
#include "store/Outbox.h"
#include "store/Workspace.h"

#include <QSocketNotifier>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
// What one statement of the sync may take on the server (the server's own default for app logins too): a
// statement stuck behind a lock fails instead of holding the sync forever.
constexpr int kStatementTimeoutMs = 60000;
} // namespace

SyncService::SyncService(AppSettings& settings, QString workspacePath, QString url)
    : m_settings(&settings), m_path(std::move(workspacePath)), m_url(std::move(url)),
      m_stop(std::make_shared<StopRequest>()) {
    qRegisterMetaType<riskdesk::SyncStatus>();
    qRegisterMetaType<riskdesk::ServerLogCheck>();
    m_status.configured = !m_url.isEmpty();
}

SyncService::~SyncService() {
    stop(); // nothing attached to the shared stop request outlives what it points to
}

void SyncService::start() {
    m_retry = new QTimer(this);
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &SyncService::connectToServer);
    m_periodic = new QTimer(this);
    m_periodic->setInterval(30000);
    connect(m_periodic, &QTimer::timeout, this, &SyncService::syncNow);
    m_workspace = std::make_unique<Workspace>(*m_settings);
    if (Status s = m_workspace->open(m_path, u"riskdesk-sync-%1"_s.arg(quintptr(this))); !s) {
        m_status.lastError = s.problem().message;
        publish();
        return;
    }
    m_stop->attachWorkspace(m_workspace->db());
    // A build cut short by a crash or a quit goes on, online or not.
    buildIndexes();
    if (m_status.configured)
        connectToServer();
    else
        publish();
}

void SyncService::stop() {
    if (m_retry)
        m_retry->stop();
    if (m_periodic)
        m_periodic->stop();
    delete m_notifier;
    m_notifier = nullptr;
    m_server.reset();
    m_stop->detachWorkspace();
    m_workspace.reset();
}

void SyncService::connectToServer() {
    if (m_stop->requested())
        return;
    PgConnectOptions options;
    options.statementTimeoutMs = kStatementTimeoutMs;
    options.stop = m_stop.get();
    auto server = PgConnection::open(m_url, options);
    if (!server) {
        lostConnection(server.problem().message);
        return;
    }
    m_server = std::move(server).value();
    // Listen before pulling: a change made in between wakes the next round instead of being missed.
    if (auto s = ChangeChannels::listen(*m_server); !s) {
        lostConnection(s.problem().message);
        return;
    }
    m_backoffMs = 500;
    m_status.online = true;
    m_status.lastError.clear();
    m_notifier = new QSocketNotifier(qintptr(m_server->socket()), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] {
        if (!m_server)
            return;
        const bool woken = !m_server->takeNotifications().isEmpty();
        if (!m_server->isOk())
            lostConnection(tr("The connection to the server was lost."));
        else if (woken)
            syncNow();
    });
    m_periodic->start();
    runSync();
    if (m_server && !m_logCheckWhenOnline.isEmpty())
        verifyServerLog(std::exchange(m_logCheckWhenOnline, {})); // a copy: the call clears the member
}

void SyncService::lostConnection(const QString& why) {
    delete m_notifier;
    m_notifier = nullptr;
    m_server.reset();
    if (m_stop->requested())
        return; // stopping: no retry, and nothing to tell

    m_status.online = false;
    m_status.lastError = why;
    if (m_periodic)
        m_periodic->stop();
    publish();
    // Back off: 0.5 s, 1 s, 2 s … up to 30 s between attempts.
    m_retry->start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, 30000);
}

void SyncService::syncNow() {
    if (m_stop->requested())
        return;
    if (m_server && !m_syncing)
        runSync();
    else
        publish();
}

void SyncService::runSync() {
    if (!m_server || !m_workspace)
        return;
    m_syncing = true;
    SyncEngine engine(m_workspace->db(), *m_server);
    engine.stopWhen(m_stop.get());
    const bool first = engine.cursor().isEmpty();
    auto report = engine.syncOnce([this, first](qint64 rows) {
        if (first) {
            m_status.pullProgress = rows;
            publish();
        }
    });
    m_syncing = false;
    m_status.pullProgress = -1;
    if (m_stop->requested()) {
        // Whatever the round did is committed whole or not at all; stop() follows. The connection may be cut
        // already (its socket closed by libpq): nothing may watch it meanwhile.
        delete m_notifier;
        m_notifier = nullptr;
        return;
    }
    if (!report) {
        if (report.problem().code == u"server_unreachable" || !m_server->isOk())
            lostConnection(report.problem().message);
        else {
            m_status.lastError = report.problem().message;
            publish();
        }
        return;
    }
    m_status.lastSync = QDateTime::currentDateTimeUtc();
    m_status.lastError.clear();
    for (const QString& m : report.value().messages)
        if (!m_status.conflicts.contains(m)) // a change that waits for its author's login is told once
            m_status.conflicts.prepend(m);
    m_status.conflicts = m_status.conflicts.mid(0, 20);
    publish();
    // Comments pulled, or pushed (their state in the thread changes), are shown on the next refresh too.
    if (report.value().pulled > 0 || report.value().conflicts + report.value().refused > 0 ||
        report.value().commentsPulled + report.value().commentsPushed > 0)
        Q_EMIT rowsPulled(report.value().pulled);
    if (report.value().firstPull)
        buildIndexes();
    // A notification that came in while this round's queries ran is already buffered by libpq, and the
    // socket will not signal it again: go round once more.
    if (m_server && !m_server->takeNotifications().isEmpty())
        QTimer::singleShot(0, this, &SyncService::syncNow);
}

void SyncService::buildIndexes() {
    if (!m_workspace || m_building || m_stop->requested())
        return;
    auto pending = DeferredIndexBuild::progress(m_workspace->db());
    if (!pending || pending.value().done())
        return;
    m_building = true;
    QTimer::singleShot(0, this, [this] {
        m_building = false;
        if (!m_workspace || m_stop->requested())
            return;
        auto left = DeferredIndexBuild::step(m_workspace->db());
        if (!left) {
            // Most likely a long write elsewhere held the lock; try again shortly.
            m_status.lastError = left.problem().message;
            publish();
            QTimer::singleShot(2000, this, &SyncService::buildIndexes);
            return;
        }
        const DeferredIndexBuild::Progress& p = left.value();
        m_status.indexesLeft = p.indexesLeft;
        m_status.searchPercent = p.searchPercent();
        publish();
        buildIndexes();
    });
}

void SyncService::verifyServerLog(const QString& tenantId) {
    ServerLogCheck check;
    check.tenantId = tenantId;
    if (!m_server) {
        check.problem = tr("Offline: the server's log can be verified once the server is reachable.");
        m_logCheckWhenOnline = tenantId;
        Q_EMIT serverLogVerified(check);
        return;
    }
    m_logCheckWhenOnline.clear();
    auto v = ServerLog::verifyAndRemember(*m_settings, *m_server, m_url, tenantId);
    if (v) {
        check.reached = true;
        check.verification = v.value();
    } else {
        check.problem = v.problem().message;
    }
    Q_EMIT serverLogVerified(check);
}

void SyncService::publish() {
    if (m_workspace)
        if (auto waiting = Outbox(m_workspace->db()).changesToPush())
            m_status.waiting = waiting.value();
    Q_EMIT statusChanged(m_status);
}

} // namespace riskdesk
