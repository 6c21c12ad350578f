// Who decided, and how the desktop knew: decisions made with a user picked from the list carry the mark
// "asserted on this desktop" through the log, the log page and the CSV export, covered by the hash chain;
// with a backend the user is the backend login, its password checked by the real PostgreSQL of scripts/pg,
// kept in a keychain when one runs and asked for each time when none does (this test runs without a D-Bus
// session bus, so without any keychain service).
#include "BackendSignIn.h"
#include "BackendSignInDialog.h"
#include "CredentialStore.h"
#include "GuiLauncher.h"
#include "MainWindow.h"
#include "SignalWaiter.h"
#include "TemporaryConfig.h"
#include "TestServer.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "domain/IdentityMark.h"
#include "item/ApprovalLogModel.h"
#include "store/ApprovalLogCsv.h"
#include "store/ApprovalLogRepository.h"
#include "store/DatabaseThread.h"
#include "store/DecisionService.h"
#include "sync/BackendLogin.h"
#include "sync/PgConnection.h"
#include "sync/ServerAdmin.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

const QDateTime kNow = test::TestWorkspace::fixedAnchor();

// The first pending exception of acme that li.wei may decide, decided with `service`.
AppliedDecision decideOne(QSqlDatabase db, DecisionService& service, DecisionAction action) {
    QSqlQuery q(db);
    q.exec(
        u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' ORDER BY record_id"_s);
    QStringList pending;
    while (q.next())
        pending << q.value(0).toString();
    if (q.lastError().isValid())
        qFatal("reading pending exceptions: %s", qPrintable(q.lastError().text()));
    for (const QString& id : pending)
        if (auto applied = service.decide(u"acme"_s, id, u"li.wei"_s, action, u"checked"_s, kNow))
            return applied.value();
    qFatal("li.wei could decide none of %lld pending exceptions", qint64(pending.size()));
    return {};
}

// What an attacker with the file does: the log's append-only trigger is no obstacle to them.
void stripMark(QSqlDatabase db, qint64 seq) {
    QSqlQuery q(db);
    QVERIFY(q.exec(u"DROP TRIGGER approval_log_no_update"_s));
    QVERIFY(
        q.exec(u"UPDATE approval_log SET identity = '' WHERE tenant_id = 'acme' AND seq = %1"_s.arg(seq)));
    QCOMPARE(q.numRowsAffected(), 1);
}

QByteArray exportCsv(QSqlDatabase db) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    LogFilter filter;
    filter.tenantId = u"acme"_s;
    const Status s = ApprovalLogRepository(db).exportCsv(filter, &buffer);
    if (!s)
        qFatal("export failed: %s", qPrintable(s.problem().message));
    return buffer.data();
}

Result<LogCsvVerification> verifyCsv(QByteArray bytes) {
    QBuffer in(&bytes);
    in.open(QIODevice::ReadOnly);
    return ApprovalLogCsv::verify(&in);
}

// Every file under the test's settings folder, read whole: a password must be in none of them.
QByteArray everySettingsFile() {
    QByteArray all;
    QDirIterator it(test::TemporaryConfig::configHome(), QDir::Files | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

// A demo workspace of 60 exceptions at path, for the tests that open the whole window on one.
bool buildSmallDemo(const QString& path) {
    DemoOptions demo;
    demo.exceptions = 60;
    return DemoWorkspaceBuilder::buildFile(riskdesk::test::settings(), path, demo).ok();
}

template <typename T> T* findTopLevel(const QString& objectName) {
    for (QWidget* w : QApplication::topLevelWidgets())
        if (auto* t = qobject_cast<T*>(w); t && t->objectName() == objectName && t->isVisible())
            return t;
    return nullptr;
}

} // namespace

class IdentityTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    // The log (models; no server)
    void oldEntriesHashAsBefore();
    void offlineDecisionIsMarkedAndChained();
    void strippedMarkBreaksTheChain();
    void csvCarriesTheMark();
    void oldCsvStillVerifies();
    void logPageModelShowsTheMark();
    void backendLoginMarkIsRecorded();

    // The keychain (no service here)
    void keychainFallsBackWithoutAService();

    // The backend (real PostgreSQL)
    void wrongPasswordRefused();
    void signInDialogAsksEachTimeWithoutKeychain();
    void backendWorkspaceOffersNoUserList();
    void cancellingSwitchUserKeepsTheWindow();
    void backendRefusesAnotherUserOnTheCommandLine();

private:
    QString urlFor(const QString& login, const QString& password) const;
    QString urlWithoutPassword(const QString& login) const;

    QString m_ownerUrl;
    QString m_database;
    QString m_login;
    QString m_password = u"S3cret-pw-identity"_s;
    QString m_problem; // why the server is not there, when it is not
};

void IdentityTest::initTestCase() {
    m_ownerUrl = qEnvironmentVariable("RISKDESK_TEST_PG_URL");
    if (m_ownerUrl.isEmpty()) {
        m_problem =
            u"RISKDESK_TEST_PG_URL is not set: run the tests through scripts/test, or `scripts/pg start` "
            "and export its URL"_s;
        return;
    }
    const QString suffix = QString::number(QCoreApplication::applicationPid());
    m_database = u"riskdesk_identity_"_s + suffix;
    m_login = u"idt"_s + suffix + u"_li"_s;
    auto admin = PgConnection::open(m_ownerUrl);
    QVERIFY2(admin, admin ? "" : qPrintable(admin.problem().message));
    QVERIFY(admin.value()->exec(u"CREATE DATABASE %1"_s.arg(m_database)));
    QUrl url(m_ownerUrl);
    url.setPath(u"/"_s + m_database);
    auto owner = PgConnection::open(url.toString());
    QVERIFY2(owner, owner ? "" : qPrintable(owner.problem().message));
    auto migrated = ServerAdmin::migrate(*owner.value());
    QVERIFY2(migrated, migrated ? "" : qPrintable(migrated.problem().message));
    QVERIFY(owner.value()->exec(u"INSERT INTO riskdesk.tenants VALUES ('acme', 'Acme')"_s));
    // The login is li.wei of acme, as the demo workspace knows her.
    const Status added = ServerAdmin::addUser(*owner.value(), m_login, m_password, UserRole::Approver,
                                              u"acme"_s, u"li.wei"_s, u"李伟"_s, {});
    QVERIFY2(added, added ? "" : qPrintable(added.problem().message));
}

void IdentityTest::cleanupTestCase() {
    if (m_database.isEmpty())
        return;
    auto admin = PgConnection::open(m_ownerUrl);
    if (!admin)
        return;
    auto dropped = test::dropDatabase(*admin.value(), m_database);
    QVERIFY2(dropped, dropped ? "" : qPrintable(dropped.problem().message));
    (void)admin.value()->exec(u"DROP ROLE IF EXISTS %1"_s.arg(PgConnection::quoteIdentifier(m_login)));
}

QString IdentityTest::urlFor(const QString& login, const QString& password) const {
    QUrl url(m_ownerUrl);
    url.setPath(u"/"_s + m_database);
    url.setUserName(login);
    url.setPassword(password);
    return url.toString();
}

QString IdentityTest::urlWithoutPassword(const QString& login) const {
    QUrl url(m_ownerUrl);
    url.setPath(u"/"_s + m_database);
    url.setUserName(login);
    url.setPassword({});
    return url.toString();
}

// An entry without a mark hashes exactly as the version before marks did (computed here by hand from that
// version's canonical form), so every log written before keeps verifying.
void IdentityTest::oldEntriesHashAsBefore() {
    ApprovalLogEntry e;
    e.tenantId = u"acme"_s;
    e.seq = 3;
    e.recordId = u"exc-0123456789ab"_s;
    e.actorId = u"li.wei"_s;
    e.action = u"approve"_s;
    e.comment = u"ok"_s;
    e.step = 1;
    e.statusAfter = u"approved"_s;
    e.at = kNow;
    e.prevHash = QByteArray(64, 'a');
    const QByteArray before =
        R"({"action":"approve","actor_id":"li.wei","at":"2026-11-01T09:00:00.000Z",)"
        R"("comment":"ok","record_id":"exc-0123456789ab","seq":3,"status_after":"approved",)"
        R"("step":1,"tenant_id":"acme"})";
    QCOMPARE(e.canonicalContent(), before);
    QCOMPARE(e.computeHash(),
             QCryptographicHash::hash(e.prevHash + "\n" + before, QCryptographicHash::Sha256).toHex());
    e.identity = IdentityMark::assertedOnDesktop();
    QVERIFY(e.canonicalContent().contains(R"("identity":"asserted on this desktop")"));
    QVERIFY(e.computeHash() !=
            QCryptographicHash::hash(e.prevHash + "\n" + before, QCryptographicHash::Sha256).toHex());
}

// The demo's history is written without marks (as every log before them); a decision made now with a user
// from the list is marked, and the chain over both verifies.
void IdentityTest::offlineDecisionIsMarkedAndChained() {
    test::TestWorkspace ws(40);
    DecisionService service(ws.db()); // the command line's and the list's: nothing checked who it is
    const AppliedDecision applied = decideOne(ws.db(), service, DecisionAction::Approve);
    QCOMPARE(applied.logEntry.identity, IdentityMark::assertedOnDesktop());
    QVERIFY(applied.logEntry.seq > 1);

    ApprovalLogRepository log(ws.db());
    LogFilter filter;
    filter.tenantId = u"acme"_s;
    auto page = log.page(filter, std::nullopt, 500);
    QVERIFY(page);
    int marked = 0, unmarked = 0;
    for (const ApprovalLogEntry& e : page.value().rows) {
        if (e.seq == applied.logEntry.seq)
            QCOMPARE(e.identity, IdentityMark::assertedOnDesktop()); // stored, read back
        (e.identity.isEmpty() ? unmarked : marked) += 1;
    }
    QCOMPARE(marked, 1);
    QVERIFY(unmarked > 0); // old entries are there too
    auto verified = log.verify(u"acme"_s);
    QVERIFY(verified);
    QVERIFY2(verified.value().intact, qPrintable(verified.value().message));
    QCOMPARE(verified.value().head.seq, applied.logEntry.seq);
}

void IdentityTest::strippedMarkBreaksTheChain() {
    test::TestWorkspace ws(40);
    DecisionService service(ws.db());
    const AppliedDecision first = decideOne(ws.db(), service, DecisionAction::Approve);
    decideOne(ws.db(), service, DecisionAction::Approve); // one more after it: the break is in the middle
    QVERIFY(ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().intact);
    stripMark(ws.db(), first.logEntry.seq);
    auto verified = ApprovalLogRepository(ws.db()).verify(u"acme"_s);
    QVERIFY(verified);
    QVERIFY(!verified.value().intact);
    QCOMPARE(verified.value().firstBrokenSeq, first.logEntry.seq);
    QVERIFY2(verified.value().message.contains(u"altered"_s), qPrintable(verified.value().message));
}

void IdentityTest::csvCarriesTheMark() {
    test::TestWorkspace ws(40);
    DecisionService service(ws.db());
    const AppliedDecision applied = decideOne(ws.db(), service, DecisionAction::Reject);
    const QByteArray csv = exportCsv(ws.db());
    const QList<QByteArray> lines = csv.split('\n');
    QVERIFY(lines.first().contains("actor_id,identity,action"));
    QByteArray markedLine;
    for (const QByteArray& line : lines)
        if (line.startsWith(QByteArray::number(applied.logEntry.seq) + ','))
            markedLine = line;
    QVERIFY2(markedLine.contains(",li.wei,asserted on this desktop,reject,"), markedLine.constData());
    auto verified = verifyCsv(csv);
    QVERIFY2(verified, verified ? "" : qPrintable(verified.problem().message));
    QVERIFY2(verified.value().intact, qPrintable(verified.value().message));

    // The mark edited out of the file: the entry no longer matches its hash.
    QByteArray stripped = csv;
    stripped.replace(",li.wei,asserted on this desktop,reject,", ",li.wei,,reject,");
    QVERIFY(stripped != csv);
    auto caught = verifyCsv(stripped);
    QVERIFY(caught);
    QVERIFY(!caught.value().intact);
    QVERIFY2(caught.value().message.contains(u"entry %1"_s.arg(applied.logEntry.seq)),
             qPrintable(caught.value().message));
}

// Files exported before the identity column keep verifying; rewriting a marked entry into that old layout
// (the column dropped) does not pass.
void IdentityTest::oldCsvStillVerifies() {
    test::TestWorkspace ws(40);
    auto toOldLayout = [](const QByteArray& csv) {
        QByteArray out;
        for (QByteArray line : csv.split('\n')) {
            if (line.isEmpty() || line.startsWith("#whole-log")) // old files end with their last entry
                continue;
            QList<QByteArray> fields = line.split(','); // the demo's text has no commas in these columns
            fields.removeAt(5);
            out += fields.join(',') + '\n';
        }
        return out;
    };
    const QByteArray old = toOldLayout(exportCsv(ws.db()));
    QVERIFY(old.contains("actor_id,action,step"));
    auto verified = verifyCsv(old);
    QVERIFY2(verified, verified ? "" : qPrintable(verified.problem().message));
    QVERIFY2(verified.value().intact, qPrintable(verified.value().message));

    DecisionService service(ws.db());
    decideOne(ws.db(), service, DecisionAction::Approve);
    auto marked = verifyCsv(toOldLayout(exportCsv(ws.db())));
    QVERIFY(marked);
    QVERIFY(!marked.value().intact);
}

void IdentityTest::logPageModelShowsTheMark() {
    test::TestWorkspace ws(40);
    DecisionService service(ws.db());
    const AppliedDecision applied = decideOne(ws.db(), service, DecisionAction::Approve);
    DatabaseThread thread(riskdesk::test::settings());
    thread.open(ws.path());
    ApprovalLogModel model(&thread);
    test::SignalWaiter loaded(&model, &ApprovalLogModel::pageLoaded);
    LogFilter filter;
    filter.tenantId = u"acme"_s;
    model.setFilter(filter);
    QVERIFY(loaded.next());
    QCOMPARE(model.headerData(int(ApprovalLogModel::Column::Identity), Qt::Horizontal).toString(),
             u"Identity"_s);
    // Newest first: the decision just made, then the demo's history without marks.
    QCOMPARE(model.entryAt(0)->seq, applied.logEntry.seq);
    const QModelIndex mark = model.index(0, int(ApprovalLogModel::Column::Identity));
    QCOMPARE(model.data(mark).toString(), u"Identity asserted on this desktop"_s);
    QVERIFY(model.data(mark, Qt::ToolTipRole).toString().contains(u"hash"_s));
    QCOMPARE(model.data(model.index(1, int(ApprovalLogModel::Column::Identity))).toString(), QString());
}

void IdentityTest::backendLoginMarkIsRecorded() {
    test::TestWorkspace ws(40);
    DecisionService service(ws.db(), IdentityMark::backendLogin());
    const AppliedDecision applied = decideOne(ws.db(), service, DecisionAction::Approve);
    QCOMPARE(applied.logEntry.identity, IdentityMark::backendLogin());
    QVERIFY(ApprovalLogRepository(ws.db()).verify(u"acme"_s).value().intact);
    // Not a mark the table accepts: refused, and nothing of the decision is stored.
    DecisionService bogus(ws.db(), u"trust me"_s);
    QSqlQuery q(ws.db());
    q.exec(u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' LIMIT 1"_s);
    QVERIFY(q.next());
    const QString id = q.value(0).toString();
    QVERIFY(!bogus.decide(u"acme"_s, id, u"li.wei"_s, DecisionAction::Approve, {}, kNow));
    QVERIFY(ApprovalLogRepository(ws.db()).head(u"acme"_s).value().seq == applied.logEntry.seq);
}

void IdentityTest::keychainFallsBackWithoutAService() {
    CredentialStore store;
    const QString key = CredentialStore::keyFor(urlWithoutPassword(u"someone"_s), u"someone"_s);
    QVERIFY(!key.contains(m_password));
    std::optional<CredentialStore::Answer> wrote, read;
    store.write(key, m_password, this, [&](const CredentialStore::Answer& a) { wrote = a; });
    QTRY_VERIFY_WITH_TIMEOUT(wrote.has_value(), 8000);
    QCOMPARE(int(wrote->outcome), int(CredentialStore::Outcome::Unavailable));
    QVERIFY(!wrote->why.isEmpty());
    store.read(key, this, [&](const CredentialStore::Answer& a) { read = a; });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 8000);
    QCOMPARE(int(read->outcome), int(CredentialStore::Outcome::Unavailable));
    QVERIFY(read->password.isEmpty());
    // No plain-text fallback anywhere.
    QVERIFY(!everySettingsFile().contains(m_password.toUtf8()));
}

void IdentityTest::wrongPasswordRefused() {
    if (!m_problem.isEmpty())
        QFAIL(qPrintable(m_problem));
    auto refused = BackendLogin::check(urlFor(m_login, u"not-the-password"_s));
    QVERIFY(!refused);
    QCOMPARE(refused.problem().code, u"password_refused"_s);
    QVERIFY2(refused.problem().message.contains(u"refused the password"_s) &&
                 refused.problem().message.contains(m_login),
             qPrintable(refused.problem().message));
    QVERIFY(!refused.problem().message.contains(u"not-the-password"_s));

    auto accepted = BackendLogin::check(urlFor(m_login, m_password));
    QVERIFY2(accepted, accepted ? "" : qPrintable(accepted.problem().message));
    QCOMPARE(accepted.value().login, m_login);
    QCOMPARE(accepted.value().memberships.size(), 1);
    QCOMPARE(accepted.value().memberships.first().userId, u"li.wei"_s);
    QCOMPARE(accepted.value().memberships.first().tenantId, u"acme"_s);
    QCOMPARE(int(accepted.value().memberships.first().role), int(UserRole::Approver));
}

// The keychain is not there: the dialog says so, the password is checked by the server (a wrong one refused
// in place), and the next sign-in asks again.
void IdentityTest::signInDialogAsksEachTimeWithoutKeychain() {
    if (!m_problem.isEmpty())
        QFAIL(qPrintable(m_problem));
    for (int round = 0; round < 2; ++round) {
        BackendSignIn signIn(urlWithoutPassword(m_login), true);
        std::optional<BackendIdentity> who;
        QString syncUrl;
        connect(&signIn, &BackendSignIn::signedIn, this, [&](const BackendIdentity& i, const QString& url) {
            who = i;
            syncUrl = url;
        });
        signIn.start();
        QTRY_VERIFY_WITH_TIMEOUT(signIn.dialog() && signIn.dialog()->isVisible(), 8000);
        BackendSignInDialog* dialog = signIn.dialog();
        QCOMPARE(dialog->loginEdit()->text(), m_login);
        QVERIFY(!dialog->rememberBox()->isEnabled());
        auto* note = dialog->findChild<QLabel*>(u"keychainNote"_s);
        QVERIFY(note && note->text().contains(u"asked for at every sign-in"_s));

        if (round == 0) {
            dialog->passwordEdit()->setText(u"wrong-one"_s);
            dialog->signInButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(dialog->message()->text().contains(u"refused the password"_s), 8000);
            QVERIFY(dialog->isVisible());
            QVERIFY(dialog->passwordEdit()->text().isEmpty());
            QVERIFY(!who);
        }
        dialog->passwordEdit()->setText(m_password);
        dialog->signInButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(who.has_value(), 8000);
        QCOMPARE(who->login, m_login);
        QCOMPARE(who->memberships.first().userId, u"li.wei"_s);
        QVERIFY(BackendLogin::hasPassword(syncUrl)); // for the sync, in memory
    }
    QVERIFY(!everySettingsFile().contains(m_password.toUtf8()));
}

// The whole window over a demo workspace with a backend: no list to pick from, no "Switch user", the session
// is the login's user, and a decision made there is marked as the backend login's.
void IdentityTest::backendWorkspaceOffersNoUserList() {
    if (!m_problem.isEmpty())
        QFAIL(qPrintable(m_problem));
    QTemporaryDir dir;
    const QString path = dir.filePath(u"w.riskdesk"_s);
    QVERIFY(buildSmallDemo(path));
    GuiOptions options;
    options.workspacePath = path;
    options.backendUrl = urlWithoutPassword(m_login);
    GuiLauncher launcher(options, riskdesk::test::settings());
    launcher.start();
    QTRY_VERIFY_WITH_TIMEOUT(launcher.backendSignIn() && launcher.backendSignIn()->dialog() &&
                                 launcher.backendSignIn()->dialog()->isVisible(),
                             15000);
    QVERIFY(!findTopLevel<QDialog>(u"signInDialog"_s)); // the list of users is not offered
    BackendSignInDialog* dialog = launcher.backendSignIn()->dialog();
    dialog->passwordEdit()->setText(m_password);
    dialog->signInButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(launcher.window() && launcher.window()->isVisible(), 15000);
    MainWindow* window = launcher.window();
    QCOMPARE(window->session().userId, u"li.wei"_s);
    QCOMPARE(window->session().backendLogin, m_login);
    QCOMPARE(window->session().identityMark(), IdentityMark::backendLogin());
    QVERIFY(!window->switchUserButton()->isVisible());
    QVERIFY(!window->switchUserAction()->isVisible());
    QVERIFY(!window->switchUserAction()->isEnabled());
    QVERIFY(!findTopLevel<QDialog>(u"signInDialog"_s));
    QVERIFY(!everySettingsFile().contains(m_password.toUtf8()));
}

// Switch user, then Cancel in the list: the same person goes on in the same window, with what they typed
// (Cancel quit the program).
void IdentityTest::cancellingSwitchUserKeepsTheWindow() {
    QTemporaryDir dir;
    const QString path = dir.filePath(u"w.riskdesk"_s);
    QVERIFY(buildSmallDemo(path));
    GuiOptions options;
    options.workspacePath = path;
    options.userId = u"li.wei"_s;
    options.tenantId = u"acme"_s;
    GuiLauncher launcher(options, riskdesk::test::settings());
    launcher.start();
    QTRY_VERIFY_WITH_TIMEOUT(launcher.window() && launcher.window()->isVisible(), 15000);
    MainWindow* window = launcher.window();
    window->switchUserButton()->click();
    QDialog* list = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((list = findTopLevel<QDialog>(u"signInDialog"_s)) && list->isVisible(), 10000);
    QVERIFY(!window->isVisible());
    list->reject();
    QTRY_VERIFY(window->isVisible());
    QCOMPARE(launcher.window(), window);
    QCOMPARE(window->session().userId, u"li.wei"_s);
    QTest::qWait(200); // the program goes on: nothing asked it to quit
    QVERIFY(launcher.window() && launcher.window()->isVisible());
}

void IdentityTest::backendRefusesAnotherUserOnTheCommandLine() {
    if (!m_problem.isEmpty())
        QFAIL(qPrintable(m_problem));
    QTemporaryDir dir;
    const QString path = dir.filePath(u"w.riskdesk"_s);
    QVERIFY(buildSmallDemo(path));
    GuiOptions options;
    options.workspacePath = path;
    options.backendUrl = urlFor(m_login, m_password); // the password given in the URL: no dialog
    options.userId = u"zhang.min"_s;                  // someone else of the same tenant
    options.screenshotPath = dir.filePath(u"never.png"_s);
    GuiLauncher launcher(options, riskdesk::test::settings());
    QSignalSpy refused(&launcher, &GuiLauncher::launchFailed);
    launcher.start();
    // Signed in (the URL's password is right: the refusal names the login's user), then refused: no window
    // ever opens (the program ends, status 1). The sign-in can be over between two polls, so the test waits
    // for the refusal itself, not for the sign-in to be seen in progress.
    QTRY_COMPARE_WITH_TIMEOUT(refused.count(), 1, 30000);
    const QString message = refused.at(0).at(0).toString();
    QVERIFY2(message.contains(u"is li.wei here"_s) && message.contains(u"--user zhang.min"_s),
             qPrintable(message));
    QVERIFY(!launcher.backendSignIn());
    QTest::qWait(500);
    QCOMPARE(refused.count(), 1);
    QVERIFY(!launcher.window());
    QVERIFY(!QFile::exists(options.screenshotPath));
}

int main(int argc, char** argv) {
    // No D-Bus session bus, so no Secret Service and no KWallet: the keychain's fallback path, for certain.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/riskdesk-test-no-bus");
    QApplication app(argc, argv);
    IdentityTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_identity.moc"
