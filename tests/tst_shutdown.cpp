// Quitting is prompt: the sync thread stops within 2 s during a first pull of 1,000,000 rows, while its
// server never answers, and while a server stops answering half-way through a pull. Against the real
// PostgreSQL of scripts/test (RISKDESK_TEST_PG_URL) and real workspace files; the dead servers are TCP
// servers in the test.
#include "TestServer.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "store/DatabaseThread.h"
#include "store/Workspace.h"
#include "sync/PgConnection.h"
#include "sync/ServerAdmin.h"
#include "sync/SyncEngine.h"
#include "sync/SyncService.h"
#include "sync/SyncThread.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>
#include <atomic>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

constexpr qint64 kRows = 1000000;
constexpr qint64 kQuitBoundMs = 2000;

using test::connectOrFail;

qint64 exceptionsIn(test::TestWorkspace& ws) {
    QSqlQuery q(ws.db());
    return q.exec(u"SELECT count(*) FROM exceptions"_s) && q.next() ? q.value(0).toLongLong() : -1;
}

// Forwards a client's bytes to PostgreSQL and back until `limit` bytes came from the server; from then on it
// holds whatever either side sends, as a network that went dead would, while both connections stay open. It
// reads from one side only while the other has taken what it was given, so nothing piles up in between.
class FreezingProxy : public QObject {
public:
    FreezingProxy(const QString& host, quint16 port, qint64 limit)
        : m_host(host), m_port(port), m_limit(limit) {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* client = m_server.nextPendingConnection()) {
                auto* upstream = new QTcpSocket(client);
                // Bounded buffers: what the proxy leaves unread stays in the kernel's, whose window then
                // fills and holds the sender (a QTcpSocket reads without limit by default).
                client->setReadBufferSize(64 << 10);
                upstream->setReadBufferSize(64 << 10);
                upstream->connectToHost(m_host, m_port);
                forward(client, upstream, false);
                forward(upstream, client, true);
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    quint16 port() const { return m_server.serverPort(); }
    bool frozen() const { return m_fromServer >= m_limit; }

private:
    void forward(QTcpSocket* from, QTcpSocket* to, bool fromServer) {
        auto pass = [this, from, to = QPointer<QTcpSocket>(to), fromServer] {
            if (frozen() || !to || to->bytesToWrite() > 65536)
                return; // left unread: the sender's window fills and it waits, as on a dead link
            QByteArray bytes = from->read(65536);
            if (fromServer) {
                bytes.truncate(qsizetype(std::min<qint64>(bytes.size(), m_limit - m_fromServer)));
                m_fromServer += bytes.size();
            }
            to->write(bytes);
        };
        connect(from, &QTcpSocket::readyRead, this, pass);
        connect(to, &QTcpSocket::bytesWritten, this, pass); // room again on the other side: read on
    }

    QTcpServer m_server;
    QString m_host;
    quint16 m_port;
    qint64 m_limit;
    qint64 m_fromServer = 0;
};

} // namespace

class ShutdownTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void quitDuringAFirstPullOfAMillionRows();
    void quitWhileTheServerNeverAnswers();
    void quitWhenTheServerStopsAnsweringMidPull();
    void aDatabaseThreadEndsDuringALongQuery();

private:
    QString urlFor(const QString& role, const QString& host = {}, int port = -1) const;

    QString m_ownerUrl;
    QString m_database;
    QString m_alice; // the approver's login role
    QString m_april; // the applicant's
};

void ShutdownTest::initTestCase() {
    m_ownerUrl = qEnvironmentVariable("RISKDESK_TEST_PG_URL");
    if (m_ownerUrl.isEmpty())
        QFAIL(
            "RISKDESK_TEST_PG_URL is not set: run the tests through scripts/test, or `scripts/pg start` and "
            "export its URL");
    const QString prefix = u"s%1_"_s.arg(QCoreApplication::applicationPid());
    m_database = u"riskdesk_shutdown_%1"_s.arg(QCoreApplication::applicationPid());
    m_alice = prefix + u"alice"_s;
    m_april = prefix + u"april"_s;
    QVERIFY(connectOrFail(m_ownerUrl)->exec(u"CREATE DATABASE %1"_s.arg(m_database)));
    auto owner = connectOrFail(urlFor({}));
    auto migrated = ServerAdmin::migrate(*owner);
    QVERIFY2(migrated, migrated ? "" : qPrintable(migrated.problem().message));
    QVERIFY(owner->exec(u"INSERT INTO riskdesk.tenants VALUES ('a', 'Tenant A')"_s));
    QVERIFY(owner->exec(u"INSERT INTO riskdesk.rules (tenant_id, rule_id, name, severity) VALUES "
                        "('a', 'LOW', 'low rule', 'low')"_s));
    QVERIFY(ServerAdmin::addUser(*owner, m_alice, u"pw-"_s + m_alice, UserRole::Approver, u"a"_s, m_alice,
                                 u"alice"_s));
    QVERIFY(ServerAdmin::addUser(*owner, m_april, u"pw-"_s + m_april, UserRole::Applicant, u"a"_s, m_april,
                                 u"april"_s));
    // A million rows made on the server itself (no round trip per row). No change feed for them: a first pull
    // copies the table, and only a first pull is tested.
    QElapsedTimer seeding;
    seeding.start();
    const Status rows = owner->execScript(
        u"INSERT INTO riskdesk.exceptions (tenant_id, record_id, applicant_id, apply_time, target_type, "
        "target_id, risk_rule_id, status, valid_start_time, valid_end_time, reason_category, justification, "
        "approval_chain_log, last_status_at) "
        "SELECT 'a', 'exc-' || lpad(g::text, 9, '0'), '%1', now() - (g || ' seconds')::interval, 'claim', "
        "'CLM-' || g, 'LOW', 'pending', now() - interval '1 day', now() + interval '30 days', 'travel', "
        "'Customer visit, itinerary changed; see attachment ' || g, '[]', now() "
        "FROM generate_series(1, %2) g"_s.arg(m_april)
            .arg(kRows));
    QVERIFY2(rows, rows ? "" : qPrintable(rows.problem().message));
    qInfo("seeded %lld exceptions on the server in %lld ms", kRows, seeding.elapsed());
}

void ShutdownTest::cleanupTestCase() {
    if (m_database.isEmpty())
        return;
    auto admin = connectOrFail(m_ownerUrl);
    // A cut connection's backend may still be ending: the drop waits for it.
    auto dropped = test::dropDatabase(*admin, m_database);
    QVERIFY2(dropped, dropped ? "" : qPrintable(dropped.problem().message));
    for (const QString& role : {m_alice, m_april})
        QVERIFY(admin->exec(u"DROP ROLE IF EXISTS %1"_s.arg(PgConnection::quoteIdentifier(role))));
}

QString ShutdownTest::urlFor(const QString& role, const QString& host, int port) const {
    QUrl url(m_ownerUrl);
    url.setPath(u"/"_s + m_database);
    if (!role.isEmpty()) {
        url.setUserName(role);
        url.setPassword(u"pw-"_s + role);
    }
    if (!host.isEmpty())
        url.setHost(host);
    if (port > 0)
        url.setPort(port);
    return url.toString();
}

void ShutdownTest::quitDuringAFirstPullOfAMillionRows() {
    test::TestWorkspace ws;
    qint64 progress = -1;
    {
        SyncThread sync(riskdesk::test::settings(), ws.path(), urlFor(m_alice));
        connect(sync.service(), &SyncService::statusChanged, this,
                [&](const SyncStatus& s) { progress = std::max(progress, s.pullProgress); });
        sync.start();
        // Well into the pull: rows are streaming and being written.
        QTRY_VERIFY_WITH_TIMEOUT(progress >= 100000, 60000);
        QVERIFY2(progress < kRows, "the pull ended before the quit: nothing was tested");
        QElapsedTimer quitting;
        quitting.start();
        sync.stop();
        const qint64 took = quitting.elapsed();
        qInfo("quit during a first pull (%lld of %lld rows in): %lld ms", progress, kRows, took);
        QVERIFY2(took < kQuitBoundMs, qPrintable(u"quitting took %1 ms"_s.arg(took)));
    }
    // Nothing half-done stays: the first pull commits whole or not at all, so no row and no cursor.
    QCOMPARE(exceptionsIn(ws), 0);
    auto alice = connectOrFail(urlFor(m_alice));
    SyncEngine engine(ws.db(), *alice);
    QVERIFY(engine.cursor().isEmpty());
    // And the next start pulls everything (as long as a quit used to wait for, less what was in).
    QElapsedTimer pulling;
    pulling.start();
    auto pulled = engine.pull();
    qInfo("the whole first pull, resumed: %lld ms", pulling.elapsed());
    QVERIFY2(pulled, pulled ? "" : qPrintable(pulled.problem().message));
    QCOMPARE(pulled.value(), kRows);
    QCOMPARE(exceptionsIn(ws), kRows);
    QVERIFY(!engine.cursor().isEmpty());
}

void ShutdownTest::quitWhileTheServerNeverAnswers() {
    // A server that accepts connections and never says a word (a hung host behind a live port).
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QList<QTcpSocket*> held;
    connect(&silent, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket* s = silent.nextPendingConnection())
            held << s; // kept open, never read nor answered
    });
    test::TestWorkspace ws;
    SyncStatus last;
    SyncThread sync(riskdesk::test::settings(), ws.path(),
                    urlFor(m_alice, u"127.0.0.1"_s, silent.serverPort()));
    connect(sync.service(), &SyncService::statusChanged, this, [&](const SyncStatus& s) { last = s; });
    sync.start();
    QTRY_VERIFY(!held.isEmpty());
    QTest::qWait(300); // the sync is waiting for the server's first answer now
    QVERIFY(!last.online);
    QElapsedTimer quitting;
    quitting.start();
    sync.stop();
    const qint64 took = quitting.elapsed();
    qInfo("quit while connecting to a server that never answers: %lld ms", took);
    QVERIFY2(took < kQuitBoundMs, qPrintable(u"quitting took %1 ms"_s.arg(took)));
    QCOMPARE(exceptionsIn(ws), 0);
}

void ShutdownTest::quitWhenTheServerStopsAnsweringMidPull() {
    // The sync talks to PostgreSQL through a proxy that goes silent after 160 KiB of the server's bytes: a
    // few hundred rows into the first pull's COPY, fewer than the 2,048 rows of the stream's first block. So
    // the sync thread is waiting for that block however slowly the machine runs (it never gets one to stop
    // after), and only cutting its connection ends it. (A freeze 4 MB in let ten blocks through; on a loaded
    // CI machine the sync was still writing them when the quit came, and stopped politely between two.)
    const QUrl real(m_ownerUrl);
    FreezingProxy proxy(real.host().isEmpty() ? u"127.0.0.1"_s : real.host(), quint16(real.port(5432)),
                        160 << 10);
    test::TestWorkspace ws;
    {
        SyncThread sync(riskdesk::test::settings(), ws.path(), urlFor(m_alice, u"127.0.0.1"_s, proxy.port()));
        sync.start();
        QTRY_VERIFY_WITH_TIMEOUT(proxy.frozen(), 60000);
        // The freeze fell inside the COPY: the server is still sending it and waits on the full connection
        // (ClientWrite). Asked as alice, who sees her own sessions' queries.
        auto alice = connectOrFail(urlFor(m_alice));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto copying =
                    alice->exec(u"SELECT count(*) FROM pg_stat_activity WHERE usename = current_user "
                                "AND pid <> pg_backend_pid() AND state = 'active' "
                                "AND wait_event = 'ClientWrite' AND query LIKE 'COPY%'"_s);
                return copying && copying.value().integer(0, 0) == 1;
            }(),
            20000);
        QElapsedTimer quitting;
        quitting.start();
        sync.stop();
        const qint64 took = quitting.elapsed();
        qInfo("quit with the server silent mid-pull: %lld ms", took);
        QVERIFY2(took < kQuitBoundMs, qPrintable(u"quitting took %1 ms"_s.arg(took)));
        // Cut, not stopped politely between blocks: it took the polite second first.
        QVERIFY2(took >= SyncThread::kPoliteStopMs * 9 / 10, qPrintable(u"quitting took %1 ms"_s.arg(took)));
    }
    QCOMPARE(exceptionsIn(ws), 0);
    auto alice = connectOrFail(urlFor(m_alice));
    QVERIFY(SyncEngine(ws.db(), *alice).cursor().isEmpty());
}

void ShutdownTest::aDatabaseThreadEndsDuringALongQuery() {
    // A query of a minute or more (an export, a full check) is under way when the window closes: the thread
    // interrupts it after its polite second and ends, the job answering with a failed query.
    test::TestWorkspace ws;
    auto database = std::make_unique<DatabaseThread>(riskdesk::test::settings());
    QFuture<Status> opened = database->open(ws.path());
    opened.waitForFinished();
    QVERIFY(opened.result());
    std::atomic_bool started{false};
    QFuture<bool> counted = database->run([&started](Workspace& w) {
        started = true;
        QSqlQuery q(w.db());
        return q.exec(u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
                      "SELECT count(*) FROM c"_s) &&
               q.next();
    });
    QTRY_VERIFY(started.load());
    QTest::qWait(100);
    QElapsedTimer quitting;
    quitting.start();
    database.reset();
    const qint64 took = quitting.elapsed();
    qInfo("database thread ended during a long query: %lld ms", took);
    QVERIFY2(took < kQuitBoundMs, qPrintable(u"ending took %1 ms"_s.arg(took)));
    QVERIFY(counted.isFinished());
    QVERIFY(!counted.result()); // interrupted, not run to its end
}

QTEST_GUILESS_MAIN(ShutdownTest)
#include "tst_shutdown.moc"
