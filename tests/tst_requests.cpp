// Requests (issue 13, the reference's create) against real SQLite workspaces, the real riskdesk binary, the
// real PostgreSQL of scripts/test and real widgets (offscreen): every validation problem names its field; a
// filed request is pending, queued and its attachments kept once by SHA-256; the command line files from JSON
// and stores nothing from bad input; a push retried creates once; the New request form shows a problem beside
// its field, files once it is fixed, and the applicant withdraws from the detail panel. The server's own
// checks of create_exception are attacked in tst_server.
#include "AttachmentView.h"
#include "ExceptionDetailPanel.h"
#include "FlowDiagramView.h"
#include "MainWindow.h"
#include "NewRequestDialog.h"
#include "QueuePage.h"
#include "SignalWaiter.h"
#include "TemporaryConfig.h"
#include "TestServer.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "attach/AttachmentCache.h"
#include "attach/AttachmentIntake.h"
#include "attach/AttachmentService.h"
#include "attach/RequestService.h"
#include "domain/ExceptionValidator.h"
#include "domain/JsonDuplicateKeys.h"
#include "domain/RuleTerms.h"
#include "domain/Timestamps.h"
#include "item/ExceptionQueueModel.h"
#include "store/DatabaseThread.h"
#include "store/DirectoryRepository.h"
#include "store/ExceptionRepository.h"
#include "sync/AttachmentBlobSync.h"
#include "sync/PgConnection.h"
#include "sync/ServerAdmin.h"
#include "sync/SyncEngine.h"
#include "sync/SyncLogin.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUrl>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::SignalWaiter;
using riskdesk::test::TestWorkspace;

namespace {

const QString kTenant = u"acme"_s;
const QString kApplicant = u"wang.fang"_s;
constexpr qint64 kMaxBytes = 50LL * 1024 * 1024;

qint64 scalar(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0).toLongLong();
}

QString text(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0).toString();
}

QDateTime now() {
    return QDateTime::currentDateTimeUtc();
}

Rule rule(const QString& id, const QJsonObject& extra = {}) {
    QJsonObject payload{{u"rule_id"_s, id}, {u"name"_s, u"rule "_s + id}, {u"severity"_s, u"low"_s}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        payload.insert(it.key(), it.value());
    return Rule{kTenant, id, u"rule "_s + id, u"travel"_s, Severity::Low, payload, 1};
}

ExceptionRequest goodRequest() {
    ExceptionRequest r;
    r.tenantId = kTenant;
    r.applicantId = kApplicant;
    r.targetType = u"claim"_s;
    r.targetId = u"CLM-2026-0001"_s;
    r.riskRuleId = u"R-SHORT"_s;
    r.validStartTime = now().addSecs(-3600);
    r.validEndTime = now().addDays(2);
    r.reasonCategory = u"business_travel"_s;
    r.justification = u"The client meeting moved to Suzhou on short notice."_s;
    return r;
}

// The rules the tests file against, besides the demo's: one of at most 3 days, one retired.
void addTestRules(QSqlDatabase db) {
    DirectoryRepository directory(db);
    QVERIFY(directory.addRule(rule(u"R-SHORT"_s, {{u"max_validity_days"_s, 3}})));
    QVERIFY(directory.addRule(rule(u"R-OLD"_s, {{u"status"_s, u"retired"_s}})));
}

QByteArray pngBytes(QRgb color) {
    QImage image(8, 8, QImage::Format_RGB32);
    image.fill(color);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

// The start of a ZIP archive: no kind a request takes, whatever its name says.
QByteArray zipBytes() {
    return QByteArray("PK\x03\x04\x14\x00", 6) + QByteArray(40, '\0');
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// The fields of the problems found, for comparing with what a mutation must produce.
QStringList fieldsOf(const QList<Problem>& problems) {
    QStringList fields;
    for (const Problem& p : problems)
        fields << p.field + u':' + p.code;
    return fields;
}

using test::connectOrFail;
using test::must;

// A server database of its own with tenant acme, its short rule, and applicant april's login; dropped with
// it.
struct RequestServer {
    QString ownerUrl = qEnvironmentVariable("RISKDESK_TEST_PG_URL");
    QString database;
    QString login;

    explicit RequestServer(const QString& name) {
        const QString prefix = u"r%1_"_s.arg(QCoreApplication::applicationPid());
        database = u"riskdesk_%1%2"_s.arg(prefix, name);
        login = prefix + u"april"_s;
        if (ownerUrl.isEmpty())
            return;
        connectOrFail(ownerUrl)->exec(u"CREATE DATABASE %1"_s.arg(database));
        auto owner = connectOrFail(urlFor({}));
        if (!ServerAdmin::migrate(*owner) ||
            !owner->exec(u"INSERT INTO riskdesk.tenants VALUES ('acme', 'Acme')"_s) ||
            !owner->exec(u"INSERT INTO riskdesk.rules (tenant_id, rule_id, name, severity, payload) VALUES "
                         "('acme', 'R-SHORT', 'short rule', 'low', '{\"max_validity_days\": 3}')"_s) ||
            !ServerAdmin::addUser(*owner, login, u"pw-"_s + login, UserRole::Applicant, u"acme"_s, login,
                                  u"April"_s))
            return;
        m_ready = true;
    }
    ~RequestServer() {
        if (ownerUrl.isEmpty())
            return;
        auto admin = connectOrFail(ownerUrl);
        test::mustDropDatabase(*admin, database);
        must(admin->exec(u"DROP ROLE IF EXISTS %1"_s.arg(PgConnection::quoteIdentifier(login))));
    }
    // Fails the test with the reason when there is no server to test against.
    bool ready() const {
        if (ownerUrl.isEmpty())
            qWarning(
                "RISKDESK_TEST_PG_URL is not set: run the tests through scripts/test, or `scripts/pg start` "
                "and export its URL");
        return m_ready;
    }
    QString urlFor(const QString& role) const {
        QUrl url(ownerUrl);
        url.setPath(u"/"_s + database);
        if (!role.isEmpty()) {
            url.setUserName(role);
            url.setPassword(u"pw-"_s + role);
        }
        return url.toString();
    }

private:
    bool m_ready = false;
};

} // namespace

class RequestsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyValidationErrorNamesItsField_data();
    void everyValidationErrorNamesItsField();
    void badJsonNamesTheField();
    void aFiledRequestIsPendingAndQueued();
    void attachmentsAreCheckedAndKeptOnceByHash();
    void theCommandLineFilesFromJson();
    void duplicateKeysAreFoundWhereverTheyAre_data();
    void duplicateKeysAreFoundWhereverTheyAre();
    void aRetriedPushCreatesOnce();
    void aQuotaHoldsRequestsUntilTheirFilesFit();
    void theFormShowsFieldErrorsFilesAndWithdraws();
};

void RequestsTest::initTestCase() {
    QCoreApplication::setOrganizationName(u"RiskdeskTest"_s);
    QCoreApplication::setApplicationName(u"tst_requests"_s);
    QVERIFY(riskdesk::test::settings().fileName().startsWith(riskdesk::test::TemporaryConfig::configHome() +
                                                             u'/'));
}

void RequestsTest::everyValidationErrorNamesItsField_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected"); // field:code
    QTest::newRow("unknown target type")
        << u"target_type"_s << u"ship"_s << u"target_type:unknown_target_type"_s;
    QTest::newRow("blank target type") << u"target_type"_s << u" "_s << u"target_type:blank"_s;
    QTest::newRow("blank target id") << u"target_id"_s << u""_s << u"target_id:blank"_s;
    QTest::newRow("target id with a space") << u"target_id"_s << u"CLM 1"_s << u"target_id:malformed_id"_s;
    QTest::newRow("blank rule") << u"risk_rule_id"_s << u""_s << u"risk_rule_id:blank"_s;
    QTest::newRow("unknown rule") << u"risk_rule_id"_s << u"R-NONE"_s << u"risk_rule_id:unknown_rule"_s;
    QTest::newRow("inactive rule") << u"risk_rule_id"_s << u"R-OLD"_s << u"risk_rule_id:inactive_rule"_s;
    QTest::newRow("a rule for another kind of target")
        << u"risk_rule_id"_s << u"R-USER"_s << u"target_type:rule_target_mismatch"_s;
    QTest::newRow("no start") << u"valid_start_time"_s << u""_s << u"valid_start_time:missing"_s;
    QTest::newRow("start in 1999") << u"valid_start_time"_s << u"1999-12-31T00:00:00Z"_s
                                   << u"valid_start_time:out_of_range"_s;
    QTest::newRow("no end") << u"valid_end_time"_s << u""_s << u"valid_end_time:missing"_s;
    QTest::newRow("end before start")
        << u"valid_end_time"_s << u"-2h"_s << u"valid_end_time:end_before_start"_s;
    QTest::newRow("end past the rule's maximum")
        << u"valid_end_time"_s << u"+4d"_s << u"valid_end_time:beyond_rule_maximum"_s;
    QTest::newRow("window over") << u"valid_end_time"_s << u"-1m"_s << u"valid_end_time:window_over"_s;
    QTest::newRow("longer than a year")
        << u"valid_end_time"_s << u"+400d"_s << u"valid_end_time:window_too_long"_s;
    QTest::newRow("blank category") << u"reason_category"_s << u"  "_s << u"reason_category:blank"_s;
    QTest::newRow("long category") << u"reason_category"_s << QString(65, u'c')
                                   << u"reason_category:too_long"_s;
    QTest::newRow("category with a tab")
        << u"reason_category"_s << u"a\tb"_s << u"reason_category:malformed_label"_s;
    QTest::newRow("blank justification")
        << u"justification"_s << u"\u3000\u200b"_s << u"justification:blank"_s;
    QTest::newRow("justification with an escape")
        << u"justification"_s << u"Paid late\u001b[2J"_s << u"justification:control_character"_s;
    QTest::newRow("long justification")
        << u"justification"_s << QString(10001, u'j') << u"justification:too_long"_s;
    QTest::newRow("not a web address")
        << u"attachment_url"_s << u"ftp://files.example.com/a.pdf"_s << u"attachment_url:bad_url"_s;
    QTest::newRow("a short hash") << u"attachment_url"_s << u"riskdesk-attachment:abc"_s
                                  << u"attachment_url:bad_url"_s;
}

void RequestsTest::everyValidationErrorNamesItsField() {
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const QList<Rule> rules{rule(u"R-SHORT"_s, {{u"max_validity_days"_s, 3}}),
                            rule(u"R-OLD"_s, {{u"status"_s, u"retired"_s}}), rule(u"R-OPEN"_s),
                            rule(u"R-USER"_s, {{u"target_type"_s, u"user"_s}})};
    auto find = [&](const QString& id) -> std::optional<Rule> {
        for (const Rule& r : rules)
            if (r.ruleId == id)
                return r;
        return std::nullopt;
    };
    const QDateTime at = now();
    ExceptionRequest r = goodRequest();
    QVERIFY2(ExceptionValidator::validateRequest(r, find(r.riskRuleId), at).isEmpty(),
             qPrintable(fieldsOf(ExceptionValidator::validateRequest(r, find(r.riskRuleId), at)).join(u' ')));
    // A time given relative to the start ("+4d", "-2h") or to now ("-1m").
    auto timeOf = [&](const QString& v) {
        if (v.isEmpty())
            return QDateTime();
        if (v == u"-1m")
            return at.addSecs(-60);
        if (v.startsWith(u'+') || v.startsWith(u'-')) {
            const int n = v.mid(1, v.size() - 2).toInt() * (v.startsWith(u'-') ? -1 : 1);
            return v.endsWith(u'd') ? r.validStartTime.addDays(n) : r.validStartTime.addSecs(n * 3600);
        }
        return *timestamps::fromIso(v);
    };
    if (expected == u"valid_end_time:window_too_long")
        r.riskRuleId = u"R-OPEN"_s; // no maximum of its own: the general one
    if (field == u"target_type")
        r.targetType = value;
    else if (field == u"target_id")
        r.targetId = value;
    else if (field == u"risk_rule_id")
        r.riskRuleId = value;
    else if (field == u"valid_start_time")
        r.validStartTime = timeOf(value);
    else if (field == u"valid_end_time")
        r.validEndTime = timeOf(value);
    else if (field == u"reason_category")
        r.reasonCategory = value;
    else if (field == u"justification")
        r.justification = value;
    else if (field == u"attachment_url")
        r.attachmentUrl = value;
    const QList<Problem> problems = ExceptionValidator::validateRequest(r, find(r.riskRuleId), at);
    QVERIFY2(fieldsOf(problems).contains(expected), qPrintable(fieldsOf(problems).join(u' ')));
    for (const Problem& p : problems) {
        QVERIFY2(!p.field.isEmpty(), qPrintable(p.message)); // every problem names its field
        QVERIFY(!p.message.isEmpty());
        if (p.code != u"inactive_rule" && p.code != u"beyond_rule_maximum")
            QVERIFY2(p.message.contains(p.field),
                     qPrintable(p.message)); // and says it, as the reference does
    }
    // The request's own fields only: nothing about the id, the times of record or the version it has not set.
    for (const Problem& p : problems)
        QVERIFY2(!QStringList({u"record_id"_s, u"apply_time"_s, u"version"_s}).contains(p.field),
                 qPrintable(p.message));
}

void RequestsTest::badJsonNamesTheField() {
    ExceptionRequest r;
    const auto problems = ExceptionRequest::readJson(QJsonObject{{u"target_id"_s, 17},
                                                                 {u"valid_start_time"_s, u"03/04/2026"_s},
                                                                 {u"justifcation"_s, u"typo"_s},
                                                                 {u"risk_rule_id"_s, u"R-SHORT"_s}},
                                                     &r);
    QCOMPARE(fieldsOf(problems), (QStringList{u"justifcation:unknown_field"_s, u"target_id:wrong_type"_s,
                                              u"valid_start_time:bad_timestamp"_s}));
    QCOMPARE(r.riskRuleId, u"R-SHORT"_s);
    for (const Problem& p : problems)
        QVERIFY2(p.message.contains(p.field), qPrintable(p.message));

    // A time without Z or an offset is refused as the message says, not read as UTC; with one it is kept.
    ExceptionRequest timed;
    const auto noZone =
        ExceptionRequest::readJson(QJsonObject{{u"valid_start_time"_s, u"2026-12-20T00:00:00"_s},
                                               {u"valid_end_time"_s, u"2026-12-20"_s}},
                                   &timed);
    QCOMPARE(fieldsOf(noZone),
             (QStringList{u"valid_start_time:bad_timestamp"_s, u"valid_end_time:bad_timestamp"_s}));
    const auto zoned =
        ExceptionRequest::readJson(QJsonObject{{u"valid_start_time"_s, u"2026-12-20T08:00:00+08:00"_s},
                                               {u"valid_end_time"_s, u"2026-12-21T00:00:00Z"_s}},
                                   &timed);
    QVERIFY(zoned.isEmpty());
    QCOMPARE(timed.validStartTime, QDateTime(QDate(2026, 12, 20), QTime(0, 0), QTimeZone::utc()));
    // A day the calendar lacks is named as such, not as a wrong form (helper-71).
    const auto noSuchDay = ExceptionRequest::readJson(
        QJsonObject{{u"valid_start_time"_s, u"2026-02-30T00:00:00+08:00"_s}}, &timed);
    QCOMPARE(fieldsOf(noSuchDay), QStringList{u"valid_start_time:bad_timestamp"_s});
    QVERIFY2(noSuchDay.first().message.contains(u"2026-02 has 28 days"_s),
             qPrintable(noSuchDay.first().message));
    // A folder given as an attachment is called a folder, not missing.
    QTemporaryDir folder;
    const auto attached = AttachmentIntake::fromFile(folder.path(), 1 << 20);
    QVERIFY(!attached);
    QCOMPARE(attached.problem().code, u"attachment_folder"_s);
}

void RequestsTest::aFiledRequestIsPendingAndQueued() {
    TestWorkspace ws(40, 7, now());
    addTestRules(ws.db());
    const qint64 before = scalar(ws.db(), u"SELECT count(*) FROM exceptions"_s);
    const QDateTime at = now();
    const RequestOutcome filed = RequestService(ws.db()).file(goodRequest(), {}, at, kMaxBytes);
    QVERIFY2(filed.ok(), qPrintable(fieldsOf(filed.problems).join(u' ')));
    const RiskException& e = *filed.exception;
    QVERIFY(ExceptionValidator::isValidRecordId(e.recordId));
    auto stored = ExceptionRepository(ws.db()).get(kTenant, e.recordId);
    QVERIFY(stored);
    QCOMPARE(stored.value().status, ExceptionStatus::Pending);
    QCOMPARE(stored.value().applicantId, kApplicant);
    QCOMPARE(stored.value().version, 1);
    QCOMPARE(stored.value().justification, goodRequest().justification);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM exceptions"_s), before + 1);
    // In the queue's pending set, and in the outbox for create_exception with a key.
    QCOMPARE(
        scalar(ws.db(), u"SELECT count(*) FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' "
                        "AND record_id = '%1'"_s.arg(e.recordId)),
        1);
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"SELECT kind, state, idempotency_key, payload FROM outbox WHERE record_id = '%1'"_s.arg(
        e.recordId)));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), u"create"_s);
    QCOMPARE(q.value(1).toString(), u"waiting"_s);
    QVERIFY(!q.value(2).toString().isEmpty());
    const QJsonObject payload = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
    QCOMPARE(payload.value(u"action"_s).toString(), u"create"_s);
    QCOMPARE(payload.value(u"actor_id"_s).toString(), kApplicant);
    QCOMPARE(payload.value(u"exception"_s).toObject().value(u"record_id"_s).toString(), e.recordId);
    QVERIFY(!q.next());

    // A refused request stores nothing at all, and says every problem.
    ExceptionRequest bad = goodRequest();
    bad.justification = u" "_s;
    bad.riskRuleId = u"R-OLD"_s;
    const qint64 outbox = scalar(ws.db(), u"SELECT count(*) FROM outbox"_s);
    const RequestOutcome refused = RequestService(ws.db()).file(bad, {}, at, kMaxBytes);
    QVERIFY(!refused.ok());
    QVERIFY(fieldsOf(refused.problems).contains(u"justification:blank"_s));
    QVERIFY(fieldsOf(refused.problems).contains(u"risk_rule_id:inactive_rule"_s));
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM exceptions"_s), before + 1);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM outbox"_s), outbox);
    // Only applicants and approvers file, as the server allows.
    ExceptionRequest byAuditor = goodRequest();
    byAuditor.applicantId = u"sun.yue"_s;
    QVERIFY(fieldsOf(RequestService(ws.db()).file(byAuditor, {}, at, kMaxBytes).problems)
                .contains(u"applicant_id:not_an_applicant"_s));
    ExceptionRequest stranger = goodRequest();
    stranger.applicantId = u"nobody"_s;
    QVERIFY(fieldsOf(RequestService(ws.db()).file(stranger, {}, at, kMaxBytes).problems)
                .contains(u"applicant_id:unknown_user"_s));
}

void RequestsTest::attachmentsAreCheckedAndKeptOnceByHash() {
    TestWorkspace ws(40, 7, now());
    addTestRules(ws.db());
    QTemporaryDir dir;
    const QByteArray png = pngBytes(qRgb(200, 30, 30));
    const QString first = writeFile(dir, u"route.png"_s, png);
    const QString copy = writeFile(dir, u"same-route.png"_s, png); // the same bytes under another name
    const QString pdf =
        writeFile(dir, u"hotel.pdf"_s, "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
    auto a = AttachmentIntake::fromFile(first, kMaxBytes);
    auto b = AttachmentIntake::fromFile(pdf, kMaxBytes);
    auto c = AttachmentIntake::fromFile(copy, kMaxBytes);
    QVERIFY(a && b && c);
    QCOMPARE(a.value().mimeType, u"image/png"_s);
    QCOMPARE(b.value().mimeType, u"application/pdf"_s);
    QCOMPARE(a.value().sha256, c.value().sha256);

    const qint64 demoBlobs = scalar(ws.db(), u"SELECT count(*) FROM attachment_blobs"_s); // the demo's files
    const QDateTime at = now();
    const RequestOutcome one =
        RequestService(ws.db()).file(goodRequest(), {a.value(), b.value()}, at, kMaxBytes);
    QVERIFY2(one.ok(), qPrintable(fieldsOf(one.problems).join(u' ')));
    const RequestOutcome two = RequestService(ws.db()).file(goodRequest(), {c.value()}, at, kMaxBytes);
    QVERIFY(two.ok());
    const QString sha = QString::fromLatin1(a.value().sha256);
    QCOMPARE(one.exception->attachmentUrl, u"riskdesk-attachment:"_s + sha);
    QCOMPARE(two.exception->attachmentUrl, one.exception->attachmentUrl);
    // The PNG's bytes once, though two requests attached them; each request lists its files in order.
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM attachment_blobs WHERE sha256 = '%1'"_s.arg(sha)), 1);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM attachment_blobs"_s), demoBlobs + 2);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM exception_attachments WHERE sha256 = '%1'"_s.arg(sha)),
             2);
    auto listed = RequestService(ws.db()).attachmentsOf(kTenant, one.exception->recordId);
    QVERIFY(listed);
    QCOMPARE(listed.value().size(), 2);
    QCOMPARE(listed.value().at(0).fileName, u"route.png"_s);
    QCOMPARE(listed.value().at(1).fileName, u"hotel.pdf"_s);
    // The viewer reads it through the cache by the request's address, and eviction never drops it (it has no
    // other copy), even after the request is decided.
    auto read = AttachmentCache(ws.db()).read(one.exception->attachmentUrl, 1);
    QVERIFY(read && read.value());
    QCOMPARE(read.value()->bytes, png);
    QVERIFY(QSqlQuery(ws.db()).exec(
        u"UPDATE exceptions SET status = 'withdrawn' WHERE record_id IN ('%1', '%2')"_s.arg(
            one.exception->recordId, two.exception->recordId)));
    QVERIFY(AttachmentCache(ws.db()).evictBeyond(0));
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM attachment_blobs"_s), demoBlobs + 2);

    // Checked before they are accepted: size (against the limit given, read no further), kind, emptiness;
    // nothing is stored when one file is refused.
    const qint64 blobs = scalar(ws.db(), u"SELECT count(*) FROM attachment_blobs"_s);
    const qint64 exceptions = scalar(ws.db(), u"SELECT count(*) FROM exceptions"_s);
    auto tooLarge = AttachmentIntake::fromFile(first, png.size() - 1);
    QVERIFY(!tooLarge);
    QCOMPARE(tooLarge.problem().code, u"attachment_too_large"_s);
    QCOMPARE(tooLarge.problem().field, u"attachments"_s);
    auto program = AttachmentIntake::fromFile(writeFile(dir, u"invoice.pdf"_s, zipBytes()), kMaxBytes);
    QVERIFY(!program); // named .pdf, but the bytes are an archive
    QCOMPARE(program.problem().code, u"attachment_type"_s);
    // Bytes that are not text stay refused whatever the name says (helper-82: random bytes or zeros named
    // .txt or .csv were filed as text); text named .csv is CSV.
    QByteArray noise;
    for (int i = 0; i < 3000; ++i)
        noise.append(char((i * 7919 + 13) % 256));
    for (const auto& [name, bytes] : {std::pair{u"notes.txt"_s, noise}, std::pair{u"table.csv"_s, noise},
                                      std::pair{u"zeros.csv"_s, QByteArray(4000, '\0')},
                                      std::pair{u"photo.png"_s, noise}, std::pair{u"scan.pdf"_s, noise}}) {
        auto binary = AttachmentIntake::fromFile(writeFile(dir, name, bytes), kMaxBytes);
        QVERIFY2(!binary, qPrintable(name));
        QCOMPARE(binary.problem().code, u"attachment_type"_s);
        QVERIFY2(binary.problem().message.contains(u"not a kind of file Riskdesk recognises"_s),
                 qPrintable(binary.problem().message));
    }
    auto csv = AttachmentIntake::fromFile(writeFile(dir, u"amounts.csv"_s, "id,amount\n1,2.50\n"), kMaxBytes);
    QVERIFY(csv);
    QCOMPARE(csv.value().mimeType, u"text/csv"_s);
    auto gbText = AttachmentIntake::fromFile(
        writeFile(dir, u"note.txt"_s, QByteArray("\xc9\xea\xc7\xeb\xcb\xb5\xc3\xf7\r\n")), kMaxBytes);
    QVERIFY(gbText); // GB18030 text ("申请说明") is text
    QCOMPARE(gbText.value().mimeType, u"text/plain"_s);
    // Text Qt's quick look takes for binary is text all the same (helper-83): a printed report's form feed, a
    // log's colour codes.
    for (const auto& [name, bytes] :
         {std::pair{u"report.txt"_s, QByteArray("Statement of account\r\n\fPage 2\r\nTotal 12.50\r\n")},
          std::pair{u"run.txt"_s,
                    QByteArray("\x1b[32mok\x1b[0m checked 12 claims\n\x1b[31mfailed\x1b[0m 1\n")}}) {
        auto text = AttachmentIntake::fromFile(writeFile(dir, name, bytes), kMaxBytes);
        QVERIFY2(text, qPrintable(name + u": "_s + (text ? QString() : text.problem().message)));
        QCOMPARE(text.value().mimeType, u"text/plain"_s);
    }
    QVERIFY(!AttachmentIntake::fromFile(writeFile(dir, u"empty.txt"_s, {}), kMaxBytes));
    QVERIFY(!AttachmentIntake::fromFile(dir.filePath(u"missing.png"_s), kMaxBytes));
    // The service checks again whoever read them: a limit smaller than a file refuses the whole request.
    const QByteArray other = pngBytes(qRgb(10, 200, 10));
    auto small = AttachmentIntake::fromBytes(u"small.png"_s, other, kMaxBytes);
    QVERIFY(small);
    const RequestOutcome refused =
        RequestService(ws.db()).file(goodRequest(), {small.value()}, at, other.size() - 1);
    QVERIFY(!refused.ok());
    QVERIFY(fieldsOf(refused.problems).contains(u"attachments:attachment_too_large"_s));
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM attachment_blobs"_s), blobs);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM exceptions"_s), exceptions);
    // The size limit is the setting the viewer's fetches use.
    riskdesk::test::settings().setAttachmentMaxMegabytes(1);
    QCOMPARE(AttachmentService::limitsFromSettings(riskdesk::test::settings()).maxBytes, 1024 * 1024);
    riskdesk::test::settings().remove(AppSettings::Key::AttachmentMaxMegabytes);
}

void RequestsTest::theCommandLineFilesFromJson() {
    TestWorkspace ws(40, 7, now());
    addTestRules(ws.db());
    QTemporaryDir dir;
    auto run = [&](const QStringList& arguments, QString* out = nullptr, QString* err = nullptr) {
        QProcess p;
        p.setProgram(QStringLiteral(RISKDESK_BINARY));
        p.setArguments(arguments);
        p.start();
        if (!p.waitForFinished(60000))
            qFatal("riskdesk did not finish");
        if (out)
            *out = QString::fromUtf8(p.readAllStandardOutput());
        if (err)
            *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitCode();
    };
    QJsonObject good{{u"target_type"_s, u"claim"_s},
                     {u"target_id"_s, u"CLM-CLI-1"_s},
                     {u"risk_rule_id"_s, u"R-SHORT"_s},
                     {u"valid_start_time"_s, timestamps::toIso(now().addSecs(-60))},
                     {u"valid_end_time"_s, timestamps::toIso(now().addDays(1))},
                     {u"reason_category"_s, u"business_travel"_s},
                     {u"justification"_s, u"Filed from the command line."_s}};
    const QString goodPath = writeFile(dir, u"good.json"_s, QJsonDocument(good).toJson());
    const QString picture = writeFile(dir, u"route.png"_s, pngBytes(qRgb(1, 2, 3)));
    const QStringList base{u"exceptions"_s, u"create"_s, u"--workspace"_s, ws.path(), u"--as"_s, kApplicant};
    auto counts = [&] {
        return QList<qint64>{scalar(ws.db(), u"SELECT count(*) FROM exceptions"_s),
                             scalar(ws.db(), u"SELECT count(*) FROM outbox"_s),
                             scalar(ws.db(), u"SELECT count(*) FROM attachment_blobs"_s)};
    };
    const QList<qint64> before = counts();

    // Bad input first: each refused with what is wrong, nothing stored.
    QString out, err;
    const QString broken = writeFile(dir, u"broken.json"_s, "{\"target_id\": \"CLM-1\",");
    QCOMPARE(run(base + QStringList{u"--input"_s, broken}, &out, &err), 1);
    QVERIFY2(err.contains(u"not valid JSON"_s) && err.contains(u"broken.json"_s), qPrintable(err));
    QCOMPARE(run(base + QStringList{u"--input"_s, writeFile(dir, u"array.json"_s, "[]")}, &out, &err), 1);
    QVERIFY2(err.contains(u"JSON object"_s), qPrintable(err));
    // A key written twice (the parser would keep the last one silently), here once escaped.
    QByteArray twice = QJsonDocument(good).toJson(QJsonDocument::Compact);
    twice.insert(1, "\"targ\\u0065t_id\": \"CLM-OTHER\", ");
    QCOMPARE(run(base + QStringList{u"--input"_s, writeFile(dir, u"twice.json"_s, twice)}, &out, &err), 1);
    QVERIFY2(err.contains(u"twice.json: the key \"target_id\" is written twice"_s), qPrintable(err));
    QJsonObject wrong = good;
    wrong.insert(u"target_id"_s, 42);
    wrong.insert(u"justifcation"_s, u"typo"_s);
    QCOMPARE(
        run(base + QStringList{u"--input"_s, writeFile(dir, u"wrong.json"_s, QJsonDocument(wrong).toJson())},
            &out, &err),
        1);
    QVERIFY2(err.contains(u"target_id must be a string"_s) && err.contains(u"justifcation"_s),
             qPrintable(err));
    QJsonObject invalid = good;
    invalid.insert(u"justification"_s, u"   "_s);
    invalid.insert(u"valid_end_time"_s, timestamps::toIso(now().addDays(10))); // R-SHORT allows 3 days
    QCOMPARE(run(base + QStringList{u"--input"_s,
                                    writeFile(dir, u"invalid.json"_s, QJsonDocument(invalid).toJson())},
                 &out, &err),
             1);
    QVERIFY2(err.contains(u"justification must not be blank"_s) && err.contains(u"R-SHORT"_s),
             qPrintable(err));
    const QString program = writeFile(dir, u"tool.png"_s, zipBytes());
    QCOMPARE(run(base + QStringList{u"--input"_s, goodPath, u"--attach"_s, program}, &out, &err), 1);
    QVERIFY2(err.contains(u"tool.png"_s), qPrintable(err));
    QCOMPARE(run(base + QStringList{u"--input"_s, goodPath, u"--attach"_s, dir.filePath(u"gone.png"_s)}, &out,
                 &err),
             1);
    QCOMPARE(
        run({u"exceptions"_s, u"create"_s, u"--workspace"_s, ws.path(), u"--as"_s, kApplicant}, &out, &err),
        2); // no --input: bad usage
    QCOMPARE(counts(), before);

    // A good one, with an attachment: pending, queued, the file kept.
    QCOMPARE(run(base + QStringList{u"--input"_s, goodPath, u"--attach"_s, picture}, &out, &err), 0);
    const QJsonObject shown = QJsonDocument::fromJson(out.toUtf8()).object();
    const QString id = shown.value(u"record_id"_s).toString();
    QVERIFY2(ExceptionValidator::isValidRecordId(id), qPrintable(out));
    QCOMPARE(shown.value(u"status"_s).toString(), u"pending"_s);
    QCOMPARE(shown.value(u"attachments"_s).toArray().size(), 1);
    QVERIFY(err.contains(id));
    QCOMPARE(text(ws.db(), u"SELECT status FROM exceptions WHERE record_id = '%1'"_s.arg(id)), u"pending"_s);
    QCOMPARE(text(ws.db(), u"SELECT kind FROM outbox WHERE record_id = '%1'"_s.arg(id)), u"create"_s);
    QCOMPARE(counts(), (QList<qint64>{before.at(0) + 1, before.at(1) + 1, before.at(2) + 1}));
}

void RequestsTest::duplicateKeysAreFoundWhereverTheyAre_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("key"); // empty: none written twice
    QTest::addColumn<qint64>("offset");
    QTest::newRow("none") << QByteArray(R"({"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]})") << QString()
                          << 0LL;
    QTest::newRow("top") << QByteArray(R"({"a": 1, "b": 2, "a": 3})") << u"a"_s << 17LL;
    QTest::newRow("nested") << QByteArray(R"({"x": [{"k": 1, "k": 2}]})") << u"k"_s << 16LL;
    QTest::newRow("escaped") << QByteArray(R"({"a\"b": 1, "a\u0022b": 2})") << u"a\"b"_s << 12LL;
    QTest::newRow("a key's text in a value")
        << QByteArray(R"({"a": "a", "b": ["a", "a"]})") << QString() << 0LL;
    QTest::newRow("after a closed object")
        << QByteArray(R"({"o": {"p": 1}, "q": 2, "o": 3})") << u"o"_s << 24LL;
}

void RequestsTest::duplicateKeysAreFoundWhereverTheyAre() {
    QFETCH(QByteArray, json);
    QFETCH(QString, key);
    QFETCH(qint64, offset);
    QVERIFY(!QJsonDocument::fromJson(json).isNull());
    const auto found = JsonDuplicateKeys::find(json);
    QCOMPARE(found.has_value(), !key.isEmpty());
    if (found) {
        QCOMPARE(found->key, key);
        QCOMPARE(found->offset, offset);
    }
}

void RequestsTest::aRetriedPushCreatesOnce() {
    RequestServer srv(u"requests"_s);
    QVERIFY(srv.ready());
    const QString login = srv.login;
    const auto urlFor = [&](const QString& role) { return srv.urlFor(role); };
    TestWorkspace ws; // empty: the first pull brings the tenant, its rule and the login's membership
    auto april = connectOrFail(urlFor(login));
    auto pulled = SyncEngine(ws.db(), *april).pull();
    QVERIFY2(pulled, pulled ? "" : qPrintable(pulled.problem().message));
    QTemporaryDir dir;
    auto picture = AttachmentIntake::fromBytes(u"route.png"_s, pngBytes(qRgb(9, 9, 9)), kMaxBytes);
    QVERIFY(picture);
    ExceptionRequest request = goodRequest();
    request.applicantId = login;
    const RequestOutcome filed = RequestService(ws.db()).file(request, {picture.value()}, now(), kMaxBytes);
    QVERIFY2(filed.ok(), qPrintable(fieldsOf(filed.problems).join(u' ')));
    const QString id = filed.exception->recordId;

    // The request's file goes first, as a sync round sends it (the server keeps the request's list of files
    // and refuses one it does not have, migration 012).
    // Under a login that is someone else in the tenant, nothing of another person's request goes out: it
    // waits for its author's login, files and all (helper-75).
    AttachmentBlobSyncReport none;
    SyncLogin someoneElse({{request.tenantId, u"someone.else"_s}});
    QVERIFY(AttachmentBlobSync(ws.db(), *april).uploadWaiting(none, someoneElse));
    QCOMPARE(none.uploaded, 0);
    AttachmentBlobSyncReport uploaded;
    SyncLogin asApril = SyncLogin::read(*april).value();
    QVERIFY(AttachmentBlobSync(ws.db(), *april).uploadWaiting(uploaded, asApril));
    QCOMPARE(uploaded.uploaded, 1);
    auto pushed = SyncEngine(ws.db(), *april).push();
    QVERIFY2(pushed, pushed ? "" : qPrintable(pushed.problem().message));
    QVERIFY2(pushed.value().refused == 0, qPrintable(pushed.value().messages.join(u'\n')));
    QCOMPARE(pushed.value().pushed, 1);
    auto owner = connectOrFail(urlFor({}));
    auto rows = [&] {
        return must(owner->exec(u"SELECT count(*) FROM riskdesk.exceptions WHERE record_id = $1"_s, {id}))
            .integer(0, 0);
    };
    QCOMPARE(rows(), 1);
    const PgResult server = must(owner->exec(
        u"SELECT status, applicant_id, attachment_url, target_id FROM riskdesk.exceptions WHERE record_id = $1"_s,
        {id}));
    QCOMPARE(server.text(0, 0), u"pending"_s);
    QCOMPARE(server.text(0, 1), login);
    QCOMPARE(server.text(0, 2), filed.exception->attachmentUrl);
    QCOMPARE(text(ws.db(), u"SELECT state FROM outbox WHERE record_id = '%1'"_s.arg(id)), u"sent"_s);

    // The answer lost (a crash before it was recorded): the entry waits again and is pushed again, with the
    // same key. The server answers as the first time and creates nothing.
    QVERIFY(QSqlQuery(ws.db()).exec(u"UPDATE outbox SET state = 'waiting' WHERE record_id = '%1'"_s.arg(id)));
    auto again = SyncEngine(ws.db(), *april).push();
    QVERIFY(again);
    QCOMPARE(again.value().pushed, 1);
    QCOMPARE(again.value().refused, 0);
    QCOMPARE(rows(), 1);
    QCOMPARE(must(owner->exec(u"SELECT count(*) FROM riskdesk.applied_requests WHERE tenant_id = 'acme'"_s))
                 .integer(0, 0),
             1);
    // The workspace took the server's row; a pull afterwards changes nothing about it.
    QVERIFY(SyncEngine(ws.db(), *april).pull());
    QCOMPARE(text(ws.db(), u"SELECT status FROM exceptions WHERE record_id = '%1'"_s.arg(id)), u"pending"_s);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM exceptions"_s), 1);
    april.reset();
    owner.reset();
}

void RequestsTest::aQuotaHoldsRequestsUntilTheirFilesFit() {
    // The server's attachment quota (migration 018) refused the second of two requests' files: the sync
    // failed there, every sync after it too, and neither request went. Now the one whose files are stored
    // goes, the other waits, and the next sync, with room made, sends it.
    RequestServer srv(u"quota"_s);
    QVERIFY(srv.ready());
    TestWorkspace ws;
    auto april = connectOrFail(srv.urlFor(srv.login));
    QVERIFY(SyncEngine(ws.db(), *april).pull());
    const QByteArray first = pngBytes(qRgb(1, 2, 3)), second = pngBytes(qRgb(4, 5, 6));
    // Room for one request's file at a time.
    must(connectOrFail(srv.urlFor({}))
             ->exec(u"INSERT INTO riskdesk.attachment_quota VALUES ('acme', 1000000000, $1)"_s,
                    {QString::number(std::max(first.size(), second.size()) + 10)}));
    QStringList ids;
    for (const QByteArray& bytes : {first, second}) {
        auto picture = AttachmentIntake::fromBytes(u"route.png"_s, bytes, kMaxBytes);
        QVERIFY(picture);
        ExceptionRequest request = goodRequest();
        request.applicantId = srv.login;
        const RequestOutcome filed =
            RequestService(ws.db()).file(request, {picture.value()}, now(), kMaxBytes);
        QVERIFY2(filed.ok(), qPrintable(fieldsOf(filed.problems).join(u' ')));
        ids << filed.exception->recordId;
    }
    const auto state = [&](const QString& id) {
        return text(ws.db(), u"SELECT state FROM outbox WHERE record_id = '%1'"_s.arg(id));
    };
    auto round = SyncEngine(ws.db(), *april).syncOnce();
    QVERIFY2(round, round ? "" : qPrintable(round.problem().message));
    QCOMPARE(round.value().pushed, 1);
    QCOMPARE(round.value().waiting, 1);
    QCOMPARE(state(ids.at(0)), u"sent"_s);
    QCOMPARE(state(ids.at(1)), u"waiting"_s);
    const QString why = round.value().messages.join(u'\n');
    QVERIFY2(why.contains(ids.at(1)) && why.contains(u"attachment quota"_s), qPrintable(why));
    auto next = SyncEngine(ws.db(), *april).syncOnce();
    QVERIFY2(next, next ? "" : qPrintable(next.problem().message));
    QCOMPARE(next.value().pushed, 1);
    QCOMPARE(next.value().waiting, 0);
    QCOMPARE(state(ids.at(1)), u"sent"_s);
    QCOMPARE(
        must(connectOrFail(srv.urlFor({}))->exec(u"SELECT count(*) FROM riskdesk.exception_attachments"_s))
            .integer(0, 0),
        2);
}

void RequestsTest::theFormShowsFieldErrorsFilesAndWithdraws() {
    TestWorkspace ws(200, 7, now());
    addTestRules(ws.db());
    DatabaseThread database(riskdesk::test::settings()), background(riskdesk::test::settings());
    for (DatabaseThread* t : {&database, &background}) {
        auto opened = t->open(ws.path());
        opened.waitForFinished();
        QVERIFY(opened.result().ok());
    }
    riskdesk::test::settings().remove(AppSettings::Key::WindowGeometry);
    // Reason categories in use: one for most requests, two for two each; another tenant's never shows.
    QSqlQuery categories(ws.db());
    QVERIFY(categories.exec(u"UPDATE exceptions SET reason_category = '常用' WHERE tenant_id = 'acme'"_s));
    QVERIFY(
        categories.exec(u"UPDATE exceptions SET reason_category = 'Beta' WHERE rowid IN (SELECT rowid FROM "
                        "exceptions WHERE tenant_id = 'acme' ORDER BY rowid LIMIT 2)"_s));
    QVERIFY(
        categories.exec(u"UPDATE exceptions SET reason_category = 'Alpha' WHERE rowid IN (SELECT rowid FROM "
                        "exceptions WHERE tenant_id = 'acme' ORDER BY rowid DESC LIMIT 2)"_s));
    QVERIFY(categories.exec(
        u"UPDATE exceptions SET reason_category = 'Globex only' WHERE tenant_id <> 'acme'"_s));
    QVERIFY(scalar(ws.db(), u"SELECT count(*) FROM exceptions WHERE reason_category = 'Globex only'"_s) > 0);
    MainWindow window(&database, &background);
    window.resize(1400, 860);
    DirectoryRepository directory(ws.db());
    const User user = directory.user(kTenant, kApplicant).value();
    Session session{ws.path(), kTenant, u"Acme"_s, kApplicant, user.displayName, user.role, {}, {}};
    SignalWaiter ready(&window, &MainWindow::ready);
    window.start(session, directory.membershipsOf(kApplicant).value(), directory.tenants().value());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(ready.next(10000));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));

    // Ctrl+N opens the form (File → New request…).
    QVERIFY(window.newRequestAction()->isEnabled());
    QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
    NewRequestDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<NewRequestDialog*>()) && dialog->isVisible());
    QTRY_VERIFY(dialog->rulesLoaded());
    auto* targetId = dialog->findChild<QLineEdit*>(u"targetIdEdit"_s);
    auto* ruleBox = dialog->findChild<QComboBox*>(u"ruleBox"_s);
    auto* category = dialog->findChild<QLineEdit*>(u"reasonCategoryEdit"_s);
    auto* justification = dialog->findChild<QPlainTextEdit*>(u"justificationEdit"_s);
    auto* end = dialog->findChild<QDateTimeEdit*>(u"validEndEdit"_s);
    auto* submit = dialog->findChild<QPushButton*>(u"submitRequestButton"_s);
    auto* diagram = dialog->findChild<QWidget*>(u"ruleDiagram"_s);
    QVERIFY(targetId && ruleBox && category && justification && end && submit && diagram);
    // The categories in use are offered, most used first (ties by name); none is chosen for the applicant.
    auto* categoryBox = dialog->findChild<QComboBox*>(u"reasonCategoryBox"_s);
    QVERIFY(categoryBox && categoryBox->isEditable());
    QStringList offered;
    for (int i = 0; i < categoryBox->count(); ++i)
        offered << categoryBox->itemText(i);
    QCOMPARE(offered, (QStringList{u"常用"_s, u"Alpha"_s, u"Beta"_s}));
    QVERIFY(category->text().isEmpty());

    // No rule chosen: nothing under the rule's box (an empty line parted its error from it; helper-84).
    QVERIFY(!dialog->findChild<QLabel*>(u"ruleTerms"_s)->isVisible());
    QTest::keyClicks(targetId, u"CLM-GUI-0001"_s);
    // A rule for one kind of target sets the request's to it (helper-77 filed a device rule for a claim).
    auto* targetType = dialog->findChild<QComboBox*>(u"targetTypeBox"_s);
    QCOMPARE(targetType->currentData().toString(), u"claim"_s);
    ruleBox->setCurrentIndex(ruleBox->findData(u"R-ACC-011"_s));
    QCOMPARE(targetType->currentData().toString(), u"user"_s);
    QVERIFY2(dialog->findChild<QLabel*>(u"ruleTerms"_s)->text().contains(u"For user targets."_s),
             qPrintable(dialog->findChild<QLabel*>(u"ruleTerms"_s)->text()));
    targetType->setCurrentIndex(targetType->findData(u"claim"_s));
    const int shortRule = ruleBox->findData(u"R-SHORT"_s);
    QVERIFY(shortRule >= 0);
    ruleBox->setCurrentIndex(shortRule);
    QVERIFY(!static_cast<FlowDiagramView*>(diagram)->isEmpty()); // the rule's flow diagram is shown
    QVERIFY(dialog->findChild<QLabel*>(u"ruleTerms"_s)->isVisible());
    // Large enough to read where the screen has room (helper-84: a strip at 40 %), and a click opens it
    // large. (The offscreen screen is 800 px wide: the dialog is given the size it takes on a 1600 px one.)
    dialog->resize(1320, 700);
    QTRY_VERIFY(static_cast<FlowDiagramView*>(diagram)->width() > 560);
    QVERIFY2(static_cast<FlowDiagramView*>(diagram)->scale() >= 0.6,
             qPrintable(QString::number(static_cast<FlowDiagramView*>(diagram)->scale())));
    QTest::mouseClick(diagram, Qt::LeftButton, {}, diagram->rect().center());
    QDialog* enlarged = nullptr;
    QTRY_VERIFY((enlarged = diagram->findChild<QDialog*>(u"largeFlowDialog"_s)) && enlarged->isVisible());
    const QString shownTitle = static_cast<FlowDiagramView*>(diagram)->diagramLayout()->title;
    QVERIFY(!shownTitle.isEmpty());
    QCOMPARE(enlarged->windowTitle(), u"Rule flow: %1"_s.arg(shownTitle));
    enlarged->reject();
    QTRY_VERIFY(!diagram->findChild<QDialog*>(u"largeFlowDialog"_s));
    dialog->activateWindow(); // the offscreen platform gives the activation back to no window
    QVERIFY(QTest::qWaitForWindowActive(dialog));
    QVERIFY(dialog->findChild<QLabel*>(u"ruleTerms"_s)->text().contains(u"3"_s));
    QTest::keyClicks(category, u"business_travel"_s);
    // The default window is 7 days, longer than R-SHORT allows; the justification is blank.
    QTest::mouseClick(submit, Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    // Beside its field a problem names the field as the form labels it, not by its JSON name.
    QCOMPARE(dialog->errorFor(u"justification"_s), u"Justification must not be blank."_s);
    QVERIFY2(dialog->errorFor(u"valid_end_time"_s).contains(u"R-SHORT"_s),
             qPrintable(dialog->errorFor(u"valid_end_time"_s)));
    // Its end is the time as the field shows it (local, to the minute), not the UTC ISO of the JSON.
    QVERIFY2(dialog->errorFor(u"valid_end_time"_s).contains(end->dateTime().toString(u"yyyy-MM-dd HH:mm"_s)),
             qPrintable(dialog->errorFor(u"valid_end_time"_s)));
    QVERIFY(!dialog->errorFor(u"valid_end_time"_s).contains(u"Z"_s));
    QVERIFY(dialog->errorFor(u"target_id"_s).isEmpty());
    auto* justificationError = dialog->findChild<QLabel*>(u"error_justification"_s);
    QVERIFY(justificationError && justificationError->isVisible());
    QCOMPARE(justificationError->parentWidget(), justification->parentWidget()); // beside its field
    QTRY_COMPARE(QApplication::focusWidget(), end); // the first field to fix has the focus
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM exceptions WHERE target_id = 'CLM-GUI-0001'"_s), 0);

    // Fixed: the problems go as the fields change, and the request is filed.
    // The end typed over as a user does, and Enter: it finishes the date and files nothing (helper-87: Enter
    // pressed the form's default button, with the form half done).
    const QDateTime fixedEnd = end->dateTime().addDays(-5);
    end->selectAll();
    QTest::keyClicks(end, fixedEnd.toString(u"yyyy-MM-dd HH:mm"_s));
    QTest::keyClick(end, Qt::Key_Return);
    QCOMPARE(end->dateTime(), fixedEnd);
    QVERIFY(dialog->isVisible());
    QCOMPARE(QApplication::focusWidget(), end); // a refused filing would have moved it to the justification
    QVERIFY(dialog->errorFor(u"valid_end_time"_s).isEmpty());
    QTest::keyClicks(justification, u"The client's office moved; the trip had to change."_s);
    QVERIFY(dialog->errorFor(u"justification"_s).isEmpty());
    QTemporaryDir dir;
    SignalWaiter checked(dialog, &NewRequestDialog::attachmentChecked);
    dialog->addAttachment(writeFile(dir, u"route.png"_s, pngBytes(qRgb(100, 100, 250))));
    QVERIFY(checked.next());
    dialog->addAttachment(writeFile(dir, u"tool.png"_s, zipBytes()));
    QVERIFY(checked.next());
    QCOMPARE(dialog->attachmentCount(), 1); // the archive was refused, and said so beside the list
    QVERIFY(dialog->errorFor(u"attachments"_s).contains(u"tool.png"_s));
    const QByteArray notes = "Meeting moved to Shenzhen.\nTickets rebooked.\n";
    dialog->addAttachment(writeFile(dir, u"notes.txt"_s, notes));
    QVERIFY(checked.next());
    QCOMPARE(dialog->attachmentCount(), 2);
    // Several files at once (helper-71: only the last refusal was shown, and the others seemed lost): every
    // refusal is named, a copy of a file already attached included, and nothing is added twice.
    dialog->addAttachments({writeFile(dir, u"again.txt"_s, notes), dir.filePath(u"missing.pdf"_s),
                            writeFile(dir, u"tool2.png"_s, zipBytes())});
    QVERIFY(checked.next());
    QCOMPARE(dialog->attachmentCount(), 2);
    const QString refusals = dialog->errorFor(u"attachments"_s);
    for (const QString& named : {u"again.txt"_s, u"notes.txt"_s, u"missing.pdf"_s, u"tool2.png"_s})
        QVERIFY2(refusals.contains(named), qPrintable(refusals));
    QString id;
    connect(dialog, &NewRequestDialog::filed, this, [&id](const RiskException& e) { id = e.recordId; });
    QTest::mouseClick(submit, Qt::LeftButton);
    QTRY_VERIFY(!id.isEmpty());
    QVERIFY(ExceptionValidator::isValidRecordId(id));
    QTRY_VERIFY(!window.findChild<NewRequestDialog*>()); // closed and deleted

    // The request appears in the queue, selected, and is stored pending with its attachment and queued.
    QueuePage* queue = window.queuePage();
    QCOMPARE(window.tabs()->currentWidget(), queue);
    QTRY_VERIFY(queue->model()->rowOf(id) >= 0);
    QTRY_COMPARE(queue->detail()->recordId(), id);
    QCOMPARE(text(ws.db(), u"SELECT status FROM exceptions WHERE record_id = '%1'"_s.arg(id)), u"pending"_s);
    // A local workspace has no server for it to wait for (helper-90: "waiting to be sent to the server").
    QCOMPARE(window.statusBar()->currentMessage(), u"%1 is filed: pending."_s.arg(id));
    // A category typed anew is taken as typed (the offered ones only complete what matches them).
    QCOMPARE(text(ws.db(), u"SELECT reason_category FROM exceptions WHERE record_id = '%1'"_s.arg(id)),
             u"business_travel"_s);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM exception_attachments WHERE record_id = '%1'"_s.arg(id)),
             2);
    QCOMPARE(text(ws.db(), u"SELECT kind FROM outbox WHERE record_id = '%1'"_s.arg(id)), u"create"_s);
    // Both files go to the server with the request, in order (server migration 012 keeps the list).
    const QJsonArray queuedFiles =
        QJsonDocument::fromJson(text(ws.db(), u"SELECT payload FROM outbox WHERE record_id = '%1'"_s.arg(id))
                                    .toUtf8())[u"exception"_s][u"attachments"_s]
            .toArray();
    QCOMPARE(queuedFiles.size(), 2);
    QCOMPARE(queuedFiles.at(0)[u"file_name"_s].toString(), u"route.png"_s);
    QCOMPARE(queuedFiles.at(1)[u"file_name"_s].toString(), u"notes.txt"_s);

    // The detail panel lists every file with its type and size and shows the first in place; the keyboard
    // moves to the next, shown in place of the first.
    ExceptionDetailPanel* detail = queue->detail();
    auto* files = detail->attachmentList();
    QTRY_COMPARE(files->count(), 2);
    QVERIFY(files->isVisible());
    QVERIFY2(files->item(0)->text().contains(u"route.png"_s) &&
                 files->item(0)->text().contains(u"image/png"_s),
             qPrintable(files->item(0)->text()));
    QVERIFY2(files->item(1)->text().contains(u"notes.txt"_s) &&
                 files->item(1)->text().contains(u"text/plain"_s),
             qPrintable(files->item(1)->text()));
    QVERIFY2(files->item(1)->text().contains(QLocale().formattedDataSize(notes.size())),
             qPrintable(files->item(1)->text()));
    QCOMPARE(files->currentRow(), 0);
    AttachmentView* viewer = detail->attachmentView();
    QTRY_COMPARE(viewer->mode(), AttachmentView::Mode::Image);
    QCOMPARE(viewer->content().fileName, u"route.png"_s);
    files->setFocus();
    QTest::keyClick(files, Qt::Key_Down);
    QCOMPARE(files->currentRow(), 1);
    QTRY_COMPARE(viewer->mode(), AttachmentView::Mode::Text);
    QCOMPARE(viewer->content().fileName, u"notes.txt"_s);
    QCOMPARE(viewer->findChild<QPlainTextEdit*>(u"attachmentText"_s)->toPlainText(),
             QString::fromUtf8(notes));
    QVERIFY(detail->findChild<QLabel*>(u"detailAttachment"_s)->text().contains(u"2"_s));

    // The applicant withdraws it from the detail panel (the state machine's withdraw), after a confirmation
    // whose default is to cancel.
    auto* withdraw = queue->detail()->findChild<QPushButton*>(u"withdrawButton"_s);
    QVERIFY(withdraw);
    QTRY_VERIFY(withdraw->isVisible() && withdraw->isEnabled());
    const auto confirmation = [&] {
        QMessageBox* box = nullptr;
        for (auto* b : queue->findChildren<QMessageBox*>(u"withdrawConfirmation"_s))
            if (b->isVisible())
                box = b;
        return box;
    };
    QTest::mouseClick(withdraw, Qt::LeftButton);
    QTRY_VERIFY(confirmation());
    QVERIFY(confirmation()->text().contains(id));
    QCOMPARE(confirmation()->defaultButton(), confirmation()->button(QMessageBox::Cancel));
    QTest::keyClick(confirmation(), Qt::Key_Return); // the default: cancel
    QTRY_VERIFY(!confirmation());
    QCoreApplication::processEvents();
    QCOMPARE(text(ws.db(), u"SELECT status FROM exceptions WHERE record_id = '%1'"_s.arg(id)), u"pending"_s);
    QTest::mouseClick(withdraw, Qt::LeftButton);
    QTRY_VERIFY(confirmation());
    QTest::mouseClick(confirmation()->findChild<QPushButton*>(u"confirmWithdraw"_s), Qt::LeftButton);
    QTRY_COMPARE(text(ws.db(), u"SELECT status FROM exceptions WHERE record_id = '%1'"_s.arg(id)),
                 u"withdrawn"_s);
    QCOMPARE(scalar(ws.db(), u"SELECT count(*) FROM outbox WHERE record_id = '%1'"_s.arg(id)), 2);

    // An auditor is not offered the form.
    Session auditor = session;
    auditor.userId = u"sun.yue"_s;
    auditor.role = UserRole::Auditor;
    window.start(auditor, directory.membershipsOf(u"sun.yue"_s).value(), directory.tenants().value());
    QVERIFY(!window.newRequestAction()->isEnabled());
}

QTEST_MAIN(RequestsTest)
#include "tst_requests.moc"
