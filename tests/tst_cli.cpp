// The riskdesk command line as a user runs it: real process, real workspace file, exit status and messages.
#include "demo/DemoWorkspaceBuilder.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class CliTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void listsWithReferenceFieldNames();
    void listRefusesBadInput();
    void decideOnADecidedExceptionIsRefused();
    void decideRejectNeedsAComment();
    void decideRefusesBadUsage();
    void messagesFollowTheLanguage();
    void logVerifyFailsAfterAnEntryIsAlteredBySql();
    void logVerifyRemembersTheHead();
    void aNewWorkspaceAtAKnownPathIsNotCalledTampered();
    void readOnlyChecksLeaveTheFileAsItWas();
    void scoreAnswersEveryLineInOrder();
    void scoreCarriesTheLedgerAcrossRuns();
    void rulesEvalAndRecognize();
    void rulesEvalExplainsInChinese();
    void replayPreviewsAnException();
    void renderRuleWritesFilesAndSpec();
    void renderRuleRefusesBadInput();
    void demoRefusesANonEmptyWorkspace();
    void demoIsTheSameInEveryProcess();
    void missingWorkspaceIsNamed();
    void everyCommandAnswersBadUsageWithItsUsage();
    void nothingButTheWindowNeedsADisplay();
    void repeatedOptionsAndExtraArgumentsAreRefused();
    void scoreRefusesAmountsItCannotSum();
    void scoreRefusesAnUnknownTenant();
    void renderRuleRefusesWhatRulesEvalRefuses();
    void messagesSpeakTheUsersTerms();
    void scoreRefusesWhatItCannotKeep();
    void rulesRecognizeRefusesWhatItWouldMisread();
    void errorsGoToStandardError();
    void hitLogicThatSaysNothingIsRefusedAlike();
    void theWindowWithoutADisplaySaysSo();
    void aLogoutsSigtermClosesTheWindowCleanly();
    void helpListsEveryCommandThatRuns();
    void theShippedProgramCarriesNoBenchmarks();
    void benchmarksRunInRiskdeskBench();
    void theCrashHookIsOnlyInTheTestBuild();
    void outputsNeverReplaceADatabaseOrTheirInput();

private:
    // env: variables to drop from the environment (e.g. the display's).
    Run riskdesk(const QStringList& arguments, const QStringList& dropped = {});
    Run run(const QString& program, const QStringList& arguments, const QStringList& dropped = {});
    QString writeFile(const QString& name, const QByteArray& bytes);
    QString sql(const QString& query);
    // Every row of every table of the workspace at path, each table's rows sorted (the workspace's random
    // identity left out), or the SQL error that stopped the reading.
    QString contentsOf(const QString& path);
    void sqlExec(const QString& statement);
    // Deletes the last entry of acme's approval log in the workspace at path, as someone with the file could.
    void cutAcmesLastEntry(const QString& path);

    QTemporaryDir m_dir;
    QString m_workspace;
};

// A desktop session ending sends SIGTERM: the window closes as the user would close it, and the workspace is
// closed with it (SQLite folds its write-ahead journal into the file, so the file alone holds every
// decision).
void CliTest::aLogoutsSigtermClosesTheWindowCleanly() {
    const QString ws = m_dir.filePath(u"sigterm.riskdesk"_s);
    QVERIFY(QFile::copy(m_workspace, ws));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"RISKDESK_URL"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(RISKDESK_BINARY),
            {u"--workspace"_s, ws, u"--user"_s, u"li.wei"_s, u"--tenant"_s, u"acme"_s});
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(ws + u"-wal"_s), 30000); // the window has opened the workspace
    p.terminate();
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
             qPrintable(QString::fromUtf8(p.readAllStandardError())));
    QVERIFY(!QFileInfo::exists(ws + u"-wal"_s));
}

Run CliTest::riskdesk(const QStringList& arguments, const QStringList& dropped) {
    return run(QStringLiteral(RISKDESK_BINARY), arguments, dropped);
}

Run CliTest::run(const QString& program, const QStringList& arguments, const QStringList& dropped) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"RISKDESK_URL"_s); // commands that need a server must say so, not find one
    for (const QString& name : dropped)
        env.remove(name);
    env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s)); // remembered chain heads stay in the test
    env.insert(u"LANG"_s, u"C.UTF-8"_s);
    p.setProcessEnvironment(env);
    p.start(program, arguments);
    if (!p.waitForFinished(120000))
        qFatal("riskdesk did not finish");
    if (p.exitStatus() != QProcess::NormalExit) // an abort is never an answer
        return Run{134, QString::fromUtf8(p.readAllStandardOutput()),
                   u"crashed: "_s + QString::fromUtf8(p.readAllStandardError())};
    return Run{p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
               QString::fromUtf8(p.readAllStandardError())};
}

QString CliTest::writeFile(const QString& name, const QByteArray& bytes) {
    QFile file(m_dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(file.fileName()));
    return file.fileName();
}

QString CliTest::sql(const QString& query) {
    QString value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"cli-test"_s);
        db.setDatabaseName(m_workspace);
        db.open();
        QSqlQuery q(db);
        if (q.exec(query) && q.next())
            value = q.value(0).toString();
    }
    QSqlDatabase::removeDatabase(u"cli-test"_s);
    return value;
}

void CliTest::sqlExec(const QString& statement) {
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"cli-test"_s);
        db.setDatabaseName(m_workspace);
        db.open();
        QSqlQuery q(db);
        if (!q.exec(statement))
            qFatal("%s", qPrintable(statement));
    }
    QSqlDatabase::removeDatabase(u"cli-test"_s);
}

void CliTest::cutAcmesLastEntry(const QString& path) {
    const QString saved = m_workspace;
    m_workspace = path;
    sqlExec(u"DROP TRIGGER approval_log_no_delete"_s);
    sqlExec(
        u"DELETE FROM approval_log WHERE tenant_id = 'acme' AND seq = (SELECT max(seq) FROM approval_log WHERE tenant_id = 'acme')"_s);
    m_workspace = saved;
}

void CliTest::initTestCase() {
    m_workspace = m_dir.filePath(u"cli.riskdesk"_s);
    // Anchored at the real clock (the default): decide judges validity windows by it.
    const Run r = riskdesk({u"demo"_s, u"--workspace"_s, m_workspace, u"--exceptions"_s, u"600"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(u"600 exceptions"_s));
}

void CliTest::outputsNeverReplaceADatabaseOrTheirInput() {
    // Helper-68 exported the approval log onto the workspace it came from ("Wrote …", exit 0: the workspace
    // was gone), and `score --input F --output F` emptied F before reading it.
    const QString ws = m_dir.filePath(u"guarded.riskdesk"_s);
    QVERIFY(QFile::copy(m_workspace, ws));
    const auto bytesOf = [](const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                           : QByteArray();
    };
    const QString other = m_dir.filePath(u"other.db"_s); // any SQLite file, not only a workspace
    QVERIFY(QFile::copy(m_workspace, other));
    const QByteArray before = bytesOf(other);
    for (const QString& target : {ws, ws + u"-wal"_s, other}) {
        const Run log = riskdesk(
            {u"log"_s, u"export"_s, u"--workspace"_s, ws, u"--tenant"_s, u"acme"_s, u"--output"_s, target});
        QCOMPARE(log.exitCode, 2);
        QVERIFY2(log.err.contains(QDir::toNativeSeparators(target)) && log.err.contains(u"database"_s),
                 qPrintable(log.err));
        const Run board = riskdesk({u"board"_s, u"riskops"_s, u"--workspace"_s, ws, u"--tenant"_s, u"acme"_s,
                                    u"--as"_s, u"sun.yue"_s, u"--format"_s, u"csv"_s, u"--output"_s, target});
        QVERIFY2(board.exitCode != 0 && board.err.contains(u"database"_s), qPrintable(board.err));
    }
    QCOMPARE(bytesOf(other), before);
    const Run check = riskdesk({u"workspace"_s, u"check"_s, u"--workspace"_s, ws});
    QVERIFY2(check.exitCode == 0, qPrintable(check.err));

    // The file a command reads is not its output, whatever the path looks like.
    const QByteArray requests =
        R"({"user_id":"u1","transaction_amount":10,"merchant_id":"m1","payment_method":"card"})"
        "\n";
    const QString input = writeFile(u"same.jsonl"_s, requests);
    const Run score = riskdesk(
        {u"score"_s, u"--input"_s, input, u"--output"_s, QDir(m_dir.path()).filePath(u"./same.jsonl"_s)});
    QCOMPARE(score.exitCode, 2);
    QVERIFY2(score.err.contains(u"the file this command reads"_s), qPrintable(score.err));
    QFile kept(input);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), requests);
}

void CliTest::listsWithReferenceFieldNames() {
    const Run r = riskdesk({u"exceptions"_s, u"list"_s, u"--workspace"_s, m_workspace, u"--tenant"_s,
                            u"globex"_s, u"--status"_s, u"approved"_s});
    QCOMPARE(r.exitCode, 0);
    QJsonParseError error;
    const QJsonArray rows = QJsonDocument::fromJson(r.out.toUtf8(), &error).array();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(!rows.isEmpty());
    for (const QJsonValue& v : rows) {
        const QJsonObject o = v.toObject();
        QCOMPARE(o.value(u"tenant_id"_s).toString(), u"globex"_s);
        QCOMPARE(o.value(u"status"_s).toString(), u"approved"_s);
        for (const char* field :
             {"record_id", "applicant_id", "apply_time", "target_type", "target_id", "risk_rule_id",
              "valid_start_time", "valid_end_time", "reason_category", "justification", "attachment_url",
              "current_approver_id", "approval_chain_log", "auto_rejected", "rejection_reason",
              "last_status_at"})
            QVERIFY2(o.contains(QString::fromLatin1(field)), field);
        QVERIFY(!o.value(u"approval_chain_log"_s).toArray().isEmpty());
    }
    const Run csv =
        riskdesk({u"exceptions"_s, u"list"_s, u"--workspace"_s, m_workspace, u"--format"_s, u"csv"_s});
    QCOMPARE(csv.exitCode, 0);
    QVERIFY(csv.out.startsWith(u"record_id,tenant_id,applicant_id"_s));
    QCOMPARE(csv.out.count(u"\r\n"_s), 601);

    // A justification written to be run by a spreadsheet, or to drive the terminal showing the list, is
    // listed as text: a leading apostrophe, and U+FFFD for the escape character.
    const QString record = sql(u"SELECT record_id FROM exceptions ORDER BY record_id LIMIT 1"_s);
    const QString kept = sql(u"SELECT justification FROM exceptions WHERE record_id = '%1'"_s.arg(record));
    sqlExec(u"UPDATE exceptions SET justification = '=HYPERLINK(\"http://x\")' || char(27) || '[2K' "
            "WHERE record_id = '%1'"_s.arg(record));
    const Run hostile =
        riskdesk({u"exceptions"_s, u"list"_s, u"--workspace"_s, m_workspace, u"--format"_s, u"csv"_s});
    sqlExec(u"UPDATE exceptions SET justification = '%1' WHERE record_id = '%2'"_s.arg(kept, record));
    QCOMPARE(hostile.exitCode, 0);
    QVERIFY(!hostile.out.contains(QChar(27)));
    QVERIFY2(hostile.out.contains(u",\"'=HYPERLINK(\"\"http://x\"\")\uFFFD[2K\","_s),
             qPrintable(hostile.out.left(600)));
}

void CliTest::listRefusesBadInput() {
    Run r = riskdesk({u"exceptions"_s, u"list"_s, u"--workspace"_s, m_workspace, u"--status"_s, u"done"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(u"--status"_s));
    r = riskdesk({u"exceptions"_s, u"list"_s, u"--workspace"_s, m_workspace, u"--tenant"_s, u"initech"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(u"initech"_s));
    r = riskdesk({u"exceptions"_s, u"list"_s, u"--workspace"_s, m_workspace, u"--format"_s, u"xml"_s});
    QCOMPARE(r.exitCode, 2);
}

void CliTest::decideOnADecidedExceptionIsRefused() {
    const QString id =
        sql(u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'approved' LIMIT 1"_s);
    const QString version = sql(u"SELECT version FROM exceptions WHERE record_id = '%1'"_s.arg(id));
    const Run r = riskdesk({u"decide"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"omar.haddad"_s, id,
                            u"reject"_s, u"--comment"_s, u"changed my mind"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(id) && r.err.contains(u"already approved"_s), qPrintable(r.err));
    QCOMPARE(sql(u"SELECT version FROM exceptions WHERE record_id = '%1'"_s.arg(id)), version);
}

void CliTest::decideRejectNeedsAComment() {
    const QString id =
        sql(u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' AND "
            "current_approver_id = '' AND valid_end_time > strftime('%s', 'now') * 1000 + 3600000 LIMIT 1"_s);
    // Bad usage (exit 2, as for any other mistake in the command; it exited 1, as if the workspace had
    // refused it), told before the workspace opens.
    Run r = riskdesk({u"decide"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"li.wei"_s, id, u"reject"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"--comment TEXT is required to reject"_s), qPrintable(r.err));
    QCOMPARE(sql(u"SELECT status FROM exceptions WHERE record_id = '%1'"_s.arg(id)), u"pending"_s);
    // A comment of invisible characters says nothing either (the Unicode rule the server applies too).
    r = riskdesk({u"decide"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"li.wei"_s, id, u"reject"_s,
                  u"--comment"_s, u"\u200b\u3000\u00a0\t"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"--comment TEXT is required to reject"_s), qPrintable(r.err));
    QCOMPARE(sql(u"SELECT status FROM exceptions WHERE record_id = '%1'"_s.arg(id)), u"pending"_s);
    r = riskdesk({u"decide"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"li.wei"_s, id, u"reject"_s,
                  u"--comment"_s, u"Evidence is missing"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"status"_s).toString(), u"rejected"_s);
    QCOMPARE(sql(u"SELECT rejection_reason FROM exceptions WHERE record_id = '%1'"_s.arg(id)),
             u"Evidence is missing"_s);
}

void CliTest::decideRefusesBadUsage() {
    Run r = riskdesk({u"decide"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"li.wei"_s,
                      u"exc-000000000000"_s, u"maybe"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(u"maybe"_s));
    r = riskdesk({u"decide"_s, u"--workspace"_s, m_workspace, u"exc-000000000000"_s, u"approve"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(u"--as"_s));
    r = riskdesk({u"decide"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"li.wei"_s, u"exc-000000000000"_s,
                  u"approve"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(u"exc-000000000000"_s));
    // An empty or blank id (an unset shell variable) is bad usage, named as such, in every command taking
    // one.
    const QList<QStringList> blankIds = {
        {u"decide"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"li.wei"_s, QString(), u"approve"_s},
        {u"decide"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"li.wei"_s, u"  "_s, u"approve"_s},
        {u"exceptions"_s, u"claim"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"li.wei"_s, QString()},
        {u"comments"_s, u"list"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"li.wei"_s, QString()},
        {u"replay"_s, u"--workspace"_s, m_workspace, QString()}};
    for (const QStringList& arguments : blankIds) {
        r = riskdesk(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"exception id is empty"_s), qPrintable(r.err));
    }
    // With --tenant, an exception or a tenant that is not there is said so, not listed as no comments
    // (helper-92: "[ ]", exit 0).
    const QStringList comments{u"comments"_s, u"list"_s, u"--workspace"_s,
                               m_workspace,   u"--as"_s, u"li.wei"_s};
    r = riskdesk(comments + QStringList{u"exc-000000000000"_s, u"--tenant"_s, u"acme"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"There is no exception exc-000000000000 in tenant acme."_s), qPrintable(r.err));
    QVERIFY(!r.out.contains(u"["_s));
    r = riskdesk(comments + QStringList{u"exc-000000000000"_s, u"--tenant"_s, u"nosuch"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"li.wei is not a user of tenant \"nosuch\""_s), qPrintable(r.err));
}

void CliTest::messagesFollowTheLanguage() {
    const QString id =
        sql(u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' AND status = 'pending' AND "
            "current_approver_id = '' AND valid_end_time > strftime('%s', 'now') * 1000 + 3600000 LIMIT 1"_s);
    Run r = riskdesk({u"decide"_s, u"--lang"_s, u"zh_CN"_s, u"--workspace"_s, m_workspace, u"--as"_s,
                      u"li.wei"_s, id, u"reject"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"驳回时必须用 --comment"_s), qPrintable(r.err));
    r = riskdesk({u"decide"_s, u"--lang"_s, u"en"_s, u"--workspace"_s, m_workspace, u"--as"_s, u"li.wei"_s,
                  id, u"reject"_s});
    QVERIFY2(r.err.contains(u"--comment TEXT is required to reject"_s), qPrintable(r.err));
    r = riskdesk(
        {u"log"_s, u"verify"_s, u"--workspace"_s, m_workspace, u"--tenant"_s, u"acme"_s, u"--lang=zh_CN"_s});
    QVERIFY2(r.out.contains(u"完整"_s), qPrintable(r.out + r.err));
}

void CliTest::logVerifyFailsAfterAnEntryIsAlteredBySql() {
    Run r = riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, m_workspace});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"acme: intact"_s));
    sqlExec(u"DROP TRIGGER approval_log_no_update"_s);
    sqlExec(
        u"UPDATE approval_log SET comment = 'approved, nothing to see' WHERE tenant_id = 'globex' AND seq = 12"_s);
    r = riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, m_workspace});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"globex"_s) && r.err.contains(u"12"_s), qPrintable(r.err));
    QVERIFY(r.out.contains(u"acme: intact"_s));
    // In Chinese the altered entry's action is named in Chinese, not as its stored key ("approve").
    r = riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, m_workspace, u"--tenant"_s, u"globex"_s,
                  u"--lang"_s, u"zh_CN"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"第 12 条"_s) && r.err.contains(u"的决定："_s), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QRegularExpression(u"\\b(approve|reject|withdraw|auto_reject|expire)\\b"_s)),
             qPrintable(r.err));
    // An export of the broken log is written (it is what is stored) but says the chain is broken, and fails.
    const QString csv = m_dir.filePath(u"globex-broken.csv"_s);
    r = riskdesk({u"log"_s, u"export"_s, u"--workspace"_s, m_workspace, u"--tenant"_s, u"globex"_s,
                  u"--output"_s, csv});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"broken at entry 12"_s), qPrintable(r.err));
    QVERIFY(QFileInfo(csv).size() > 0);
    QCOMPARE(riskdesk({u"log"_s, u"verify"_s, u"--csv"_s, csv}).exitCode, 1);
    // Filters no entry matches write nothing and say so (helper-82: a file of no entries, "Wrote …", exit 0,
    // which log verify then refused).
    const QString none = m_dir.filePath(u"no-entries.csv"_s);
    r = riskdesk({u"log"_s, u"export"_s, u"--workspace"_s, m_workspace, u"--tenant"_s, u"acme"_s,
                  u"--approver"_s, u"nobody-by-this-name"_s, u"--output"_s, none});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains(u"nothing was exported"_s), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(none));
    // A day the calendar lacks is named as such, as the boards name it (helper-84).
    r = riskdesk({u"log"_s, u"export"_s, u"--workspace"_s, m_workspace, u"--tenant"_s, u"acme"_s, u"--from"_s,
                  u"2026-13-01"_s, u"--output"_s, none});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"--from: 2026-13-01 is not a day of the calendar; a month is 01 to 12."_s),
             qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(none));
    // A CSV is not written under another format's name (helper-86: x.xlsx held CSV text).
    const QString sheet = m_dir.filePath(u"log.xlsx"_s);
    r = riskdesk({u"log"_s, u"export"_s, u"--workspace"_s, m_workspace, u"--tenant"_s, u"acme"_s,
                  u"--output"_s, sheet});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"ends in .xlsx, but log export writes CSV: name it log.csv."_s),
             qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(sheet));
}

void CliTest::logVerifyRemembersTheHead() {
    QTemporaryDir dir;
    const QString ws = dir.filePath(u"heads.riskdesk"_s);
    QCOMPARE(riskdesk({u"demo"_s, u"--workspace"_s, ws, u"--exceptions"_s, u"200"_s}).exitCode, 0);
    QCOMPARE(riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, ws, u"--tenant"_s, u"acme"_s}).exitCode, 0);
    cutAcmesLastEntry(ws);
    const Run r = riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, ws, u"--tenant"_s, u"acme"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"removed from the end"_s), qPrintable(r.err));
    // An export of the cut log is not marked as the whole log, so the file cannot pass for it (helper-92:
    // the file, marked whole, verified as intact with exit 0).
    const QString csv = dir.filePath(u"cut.csv"_s);
    const Run exported =
        riskdesk({u"log"_s, u"export"_s, u"--workspace"_s, ws, u"--tenant"_s, u"acme"_s, u"--output"_s, csv});
    QCOMPARE(exported.exitCode, 1);
    QVERIFY2(exported.err.contains(u"is not marked as the whole log"_s), qPrintable(exported.err));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("#whole-log"));
    const Run checked = riskdesk({u"log"_s, u"verify"_s, u"--csv"_s, csv});
    QVERIFY2(checked.exitCode != 0, qPrintable(checked.out));
    QVERIFY2(checked.out.contains(u"It is not marked as the whole log"_s) ||
                 checked.err.contains(u"It is not marked as the whole log"_s),
             qPrintable(checked.out + checked.err));
}

void CliTest::aNewWorkspaceAtAKnownPathIsNotCalledTampered() {
    QTemporaryDir dir;
    const QString ws = dir.filePath(u"again.riskdesk"_s);
    QCOMPARE(riskdesk({u"demo"_s, u"--workspace"_s, ws, u"--exceptions"_s, u"150"_s, u"--seed"_s, u"1"_s})
                 .exitCode,
             0);
    QCOMPARE(riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, ws}).exitCode, 0);
    QVERIFY(QFile::remove(ws));
    QFile::remove(ws + u"-wal"_s);
    QFile::remove(ws + u"-shm"_s);
    QCOMPARE(
        riskdesk({u"demo"_s, u"--workspace"_s, ws, u"--exceptions"_s, u"90"_s, u"--seed"_s, u"2"_s}).exitCode,
        0);
    const Run r = riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, ws});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
}

// An auditor must be able to show that the file handed to them is, byte for byte, the one they checked.
void CliTest::readOnlyChecksLeaveTheFileAsItWas() {
    QTemporaryDir dir;
    const QString original = dir.filePath(u"books.riskdesk"_s);
    QCOMPARE(riskdesk({u"demo"_s, u"--workspace"_s, original, u"--exceptions"_s, u"200"_s}).exitCode, 0);
    QCOMPARE(riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, original}).exitCode, 0);
    const QString evidence = dir.filePath(u"evidence.riskdesk"_s); // a copy, as one is handed to an auditor
    QVERIFY(QFile::copy(original, evidence));
    const auto fingerprint = [](const QString& path) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(path));
        return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex() + ' ' +
               QByteArray::number(QFileInfo(path).lastModified().toMSecsSinceEpoch());
    };
    const QByteArray before = fingerprint(evidence);
    const QString csv = dir.filePath(u"log.csv"_s);
    const QList<QStringList> reads{
        {u"log"_s, u"verify"_s, u"--workspace"_s, evidence, u"--read-only"_s},
        {u"log"_s, u"export"_s, u"--workspace"_s, evidence, u"--tenant"_s, u"acme"_s, u"--output"_s, csv,
         u"--read-only"_s},
        {u"workspace"_s, u"check"_s, u"--workspace"_s, evidence, u"--read-only"_s},
        {u"exceptions"_s, u"list"_s, u"--workspace"_s, evidence, u"--tenant"_s, u"acme"_s, u"--read-only"_s},
        // The boards' reports too (helper-88: they had no such option, and the copy took an identity).
        {u"board"_s, u"finance"_s, u"--workspace"_s, evidence, u"--tenant"_s, u"acme"_s, u"--site"_s, u"S1"_s,
         u"--format"_s, u"json"_s, u"--read-only"_s},
        {u"board"_s, u"riskops"_s, u"--workspace"_s, evidence, u"--tenant"_s, u"acme"_s, u"--read-only"_s}};
    for (const QStringList& arguments : reads) {
        const Run r = riskdesk(arguments);
        QVERIFY2(r.exitCode == 0, qPrintable(arguments.join(u' ') + u": "_s + r.err));
        // Nothing about a failed write either: the record of the check is left out on purpose.
        QVERIFY2(!r.err.contains(u"readonly"_s, Qt::CaseInsensitive) && !r.err.contains(u"attempt"_s),
                 qPrintable(r.err));
        QCOMPARE(fingerprint(evidence), before);
    }
    QVERIFY(riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, evidence, u"--read-only"_s})
                .out.contains(u"acme: intact"_s));
    // A board export is recorded in the workspace: read-only, it is refused with the reason, nothing written.
    const QString xlsx = dir.filePath(u"finance.xlsx"_s);
    const Run exported =
        riskdesk({u"board"_s, u"finance"_s, u"--workspace"_s, evidence, u"--tenant"_s, u"acme"_s, u"--site"_s,
                  u"S1"_s, u"--format"_s, u"xlsx"_s, u"--output"_s, xlsx, u"--read-only"_s});
    QCOMPARE(exported.exitCode, 1);
    QVERIFY2(exported.err.contains(u"Exports are recorded in the workspace, which cannot be written"_s),
             qPrintable(exported.err));
    QVERIFY(!QFileInfo::exists(xlsx));
    QCOMPARE(fingerprint(evidence), before);
    QCOMPARE(riskdesk({u"log"_s, u"verify"_s, u"--csv"_s, csv}).exitCode, 0);
    // Without the option the check is recorded in the file (and the copy takes an identity of its own).
    QTest::qWait(10); // a later modification time, should the bytes alone not differ
    QCOMPARE(riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, evidence}).exitCode, 0);
    QVERIFY(fingerprint(evidence) != before);

    // Read-only, the original is still held to the head this desktop verified.
    cutAcmesLastEntry(original);
    const Run r = riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, original, u"--read-only"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"removed from the end"_s), qPrintable(r.err));
}

void CliTest::scoreAnswersEveryLineInOrder() {
    QTemporaryDir dir;
    QFile input(dir.filePath(u"requests.jsonl"_s));
    QVERIFY(input.open(QIODevice::WriteOnly));
    input.write(
        R"({"user_id":"u1","transaction_amount":60000,"merchant_id":"m1","payment_method":"card","device_info":{"device_id":"d"},"location_info":{"country":"CN"},"timestamp":"2026-11-23T10:00:00Z"}
{"user_id":"u1","transaction_amount":-3,"merchant_id":"m1","payment_method":"card"}
this is not json

{"user_id":"u2","transaction_amount":10,"merchant_id":"m-bad","payment_method":"card","device_info":{"device_id":"d"},"location_info":{"country":"CN"}}
)");
    input.close();
    QFile list(dir.filePath(u"blacklist.csv"_s));
    QVERIFY(list.open(QIODevice::WriteOnly));
    list.write("# refused outright\nmerchant,m-bad\n");
    list.close();
    const Run r = riskdesk({u"score"_s, u"--lang"_s, u"zh_CN"_s, u"--input"_s, input.fileName(),
                            u"--blacklist"_s, list.fileName()});
    QCOMPARE(r.exitCode, 1); // two lines could not be assessed
    const QStringList lines = r.out.trimmed().split(u'\n');
    QCOMPARE(lines.size(), 4);
    const QJsonObject first = QJsonDocument::fromJson(lines.at(0).toUtf8()).object();
    QCOMPARE(first.value(u"risk_score"_s).toDouble(), 24.0);
    QCOMPARE(first.value(u"risk_level"_s).toString(), u"LOW"_s);
    QCOMPARE(first.value(u"reasons"_s).toArray().first().toString(),
             u"交易金额过高"_s); // the reference's words
    QCOMPARE(first.value(u"recommendations"_s).toArray().first().toString(), u"建议进行人工审核"_s);
    QCOMPARE(first.value(u"timestamp"_s).toString(), u"2026-11-23T10:00:00.000Z"_s);
    const QJsonObject second = QJsonDocument::fromJson(lines.at(1).toUtf8()).object();
    QCOMPARE(second.value(u"line"_s).toInt(), 2);
    QCOMPARE(second.value(u"error"_s).toObject().value(u"field"_s).toString(), u"transaction_amount"_s);
    QCOMPARE(QJsonDocument::fromJson(lines.at(2).toUtf8()).object().value(u"line"_s).toInt(), 3);
    const QJsonObject last = QJsonDocument::fromJson(lines.at(3).toUtf8()).object();
    QCOMPARE(last.value(u"decision"_s).toString(), u"REJECT"_s);
    QVERIFY(last.value(u"reasons"_s).toArray().contains(u"用户或商户在黑名单中"_s));
}

void CliTest::scoreCarriesTheLedgerAcrossRuns() {
    QTemporaryDir dir;
    QFile input(dir.filePath(u"five.jsonl"_s));
    QVERIFY(input.open(QIODevice::WriteOnly));
    for (int i = 0; i < 5; ++i)
        input.write(
            QByteArray(
                R"({"user_id":"u7","transaction_amount":10,"merchant_id":"m","payment_method":"card","device_info":{"device_id":"d"},"location_info":{"country":"CN"},"timestamp":"2026-11-23T10:0)") +
            QByteArray::number(i) + R"(:00Z"})" + "\n");
    input.close();
    const QString ws = dir.filePath(u"score.riskdesk"_s);
    // score keeps its ledger in a workspace that must exist: a mistyped path makes nothing.
    Run r = riskdesk({u"score"_s, u"--input"_s, input.fileName(), u"--workspace"_s, ws});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"workspace create"_s), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(ws));
    r = riskdesk({u"workspace"_s, u"create"_s, u"--workspace"_s, ws});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = riskdesk({u"workspace"_s, u"create"_s, u"--workspace"_s, ws});
    QCOMPARE(r.exitCode, 1); // never over an existing one
    // Nor in a folder that is not there: a mistyped folder made a tree of new folders (helper-92).
    const QString typo = dir.filePath(u"no-such-folder/deeper"_s);
    for (const QStringList& command :
         {QStringList{u"workspace"_s, u"create"_s}, QStringList{u"demo"_s, u"--exceptions"_s, u"5"_s}}) {
        r = riskdesk(command + QStringList{u"--workspace"_s, typo + u"/w.riskdesk"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"The folder %1 for the workspace does not exist"_s.arg(typo)),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir.filePath(u"no-such-folder"_s)));
    }
    r = riskdesk({u"score"_s, u"--input"_s, input.fileName(), u"--workspace"_s, ws});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(!r.out.contains(u"HIGH"_s));
    // The same five again, a restart later: the ledger continues, so each now sees at least 5 this hour.
    r = riskdesk({u"score"_s, u"--input"_s, input.fileName(), u"--workspace"_s, ws});
    QCOMPARE(r.exitCode, 0);
    for (const QString& line : r.out.trimmed().split(u'\n'))
        QVERIFY2(line.contains(u"Hourly transaction rate too high"_s), qPrintable(line));
}

void CliTest::rulesEvalAndRecognize() {
    QTemporaryDir dir;
    QFile rule(dir.filePath(u"rule.json"_s));
    QVERIFY(rule.open(QIODevice::WriteOnly));
    rule.write(
        R"({"name":"大额报销缺少审批附件","params":{"conditions":[{"id":"C1","operator":"numeric_compare","fields":["claim.amount"],"compare":"gte","threshold":50000},{"id":"C2","operator":"exists_any","fields":["attachment.approval_form"]}],"hit_logic":{"all":["C1",{"not":"C2"}]}}})");
    rule.close();
    QFile cases(dir.filePath(u"cases.jsonl"_s));
    QVERIFY(cases.open(QIODevice::WriteOnly));
    cases.write("{\"claim.amount\":80000,\"attachment.approval_form\":\"\"}\n{\"claim.amount\":80000,"
                "\"attachment.approval_form\":\"a.pdf\"}\n{\"attachment.approval_form\":\"x\"}\n");
    cases.close();
    Run r = riskdesk({u"rules"_s, u"eval"_s, u"--rule"_s, rule.fileName(), u"--cases"_s, cases.fileName()});
    QCOMPARE(r.exitCode, 1); // the third case lacks a field
    const QStringList lines = r.out.trimmed().split(u'\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(QJsonDocument::fromJson(lines.at(0).toUtf8()).object().value(u"outcome"_s).toString(), u"hit"_s);
    QCOMPARE(QJsonDocument::fromJson(lines.at(1).toUtf8()).object().value(u"outcome"_s).toString(),
             u"pass"_s);
    QVERIFY2(lines.at(2).contains(u"claim.amount"_s), qPrintable(lines.at(2)));
    r = riskdesk({u"rules"_s, u"recognize"_s, u"--lang"_s, u"zh_CN"_s, u"住宿发票城市与申报目的地不一致"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject draft = QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"draft"_s).toObject();
    QCOMPARE(draft.value(u"risk_level_label"_s).toString(), u"高风险"_s);
    QVERIFY(draft.value(u"flow"_s).toObject().value(u"fail"_s).toString().contains(u"命中高风险"_s));
    r = riskdesk({u"rules"_s, u"recognize"_s, u"大额报销需要附审批单"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(u"not a city-consistency rule"_s));
}

void CliTest::rulesEvalExplainsInChinese() {
    // The evaluator's explanations of each condition follow --lang like every other message.
    QTemporaryDir dir;
    QFile rule(dir.filePath(u"rule.json"_s));
    QVERIFY(rule.open(QIODevice::WriteOnly));
    rule.write(
        R"({"name":"可疑说明","params":{"conditions":[{"id":"C1","operator":"contains_any","fields":["note"],"keywords":["代付"]},{"id":"C2","operator":"duplicate_value","fields":["a","b"]}],"hit_logic":{"any":["C1","C2"]}}})");
    rule.close();
    QFile cases(dir.filePath(u"cases.jsonl"_s));
    QVERIFY(cases.open(QIODevice::WriteOnly));
    cases.write("{\"note\":\"朋友代付\",\"a\":\"x\",\"b\":\"y\"}\n");
    cases.close();
    auto facts = [](const Run& r) {
        QStringList all;
        const QJsonObject line = QJsonDocument::fromJson(r.out.trimmed().toUtf8()).object();
        for (const QJsonValue& c : line.value(u"conditions"_s).toArray())
            all << c.toObject().value(u"facts"_s).toString();
        return all;
    };
    Run r = riskdesk({u"rules"_s, u"eval"_s, u"--rule"_s, rule.fileName(), u"--cases"_s, cases.fileName(),
                      u"--lang"_s, u"zh_CN"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(facts(r), QStringList({u"出现 {代付}"_s, u"没有重复值"_s}));
    r = riskdesk({u"rules"_s, u"eval"_s, u"--rule"_s, rule.fileName(), u"--cases"_s, cases.fileName(),
                  u"--lang"_s, u"en"_s});
    QCOMPARE(facts(r), QStringList({u"found {代付}"_s, u"no value repeats"_s}));
}

void CliTest::replayPreviewsAnException() {
    const QString id =
        sql(u"SELECT record_id FROM exceptions WHERE status = 'pending' AND target_type = 'merchant' "
            "ORDER BY record_id LIMIT 1"_s);
    QVERIFY(!id.isEmpty());
    Run r = riskdesk({u"replay"_s, u"--workspace"_s, m_workspace, id});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value(u"exception_id"_s).toString(), id);
    QCOMPARE(json.value(u"target_type"_s).toString(), u"merchant"_s);
    const QJsonObject impact = json.value(u"impact"_s).toObject();
    QVERIFY(impact.value(u"events"_s).toInt() > 0);
    QVERIFY(impact.value(u"hits_waived"_s).toInt() <= impact.value(u"hits"_s).toInt());
    QCOMPARE(impact.value(u"changes"_s).toArray().size(), impact.value(u"decisions_changed"_s).toInt());
    QVERIFY(json.value(u"current_assessment"_s).toObject().contains(u"risk_level"_s));
    QVERIFY2(r.err.contains(id), qPrintable(r.err));

    r = riskdesk({u"replay"_s, u"--workspace"_s, m_workspace, u"exc-000000000000"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"exc-000000000000"_s), qPrintable(r.err));
    r = riskdesk({u"replay"_s, u"--workspace"_s, m_workspace});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"EXC_ID"_s), qPrintable(r.err));
}

void CliTest::renderRuleWritesFilesAndSpec() {
    QTemporaryDir dir;
    const QJsonObject rule = riskdesk::DemoWorkspaceBuilder::rulePayloads().at(0).toObject();
    QFile file(dir.filePath(u"rule.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(rule).toJson());
    file.close();
    Run r = riskdesk({u"render-rule"_s, file.fileName(), u"--spec"_s, u"--lang"_s, u"zh_CN"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject spec = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(spec.value(u"severity_label"_s).toString(), u"高风险"_s);
    QCOMPARE(spec.value(u"condition_lines"_s).toArray().at(1).toString(),
             u"C2: 报销事由、明细事由 不含 绕行、跨城办事、临时改签、变更"_s);
    QCOMPARE(spec.value(u"hit_logic"_s).toString(), u"C1 AND C2"_s);

    const QString svg = dir.filePath(u"r.svg"_s), png = dir.filePath(u"r.png"_s);
    r = riskdesk(
        {u"render-rule"_s, file.fileName(), u"--svg"_s, svg, u"--png"_s, png, u"--scale"_s, u"1.5"_s});
    QCOMPARE(r.exitCode, 0);
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QVERIFY(svgFile.readAll().contains("<title>"));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 860 * 1.5);

    r = riskdesk(
        {u"render-rule"_s, u"--workspace"_s, m_workspace, u"--all"_s, u"--out"_s, dir.filePath(u"all"_s)});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QDir(dir.filePath(u"all"_s)).entryList({u"*.svg"_s}).size(),
             28); // 14 rules in each of two tenants
    QCOMPARE(QDir(dir.filePath(u"all"_s)).entryList({u"*.png"_s}).size(), 28);
}

void CliTest::renderRuleRefusesBadInput() {
    QTemporaryDir dir;
    QFile broken(dir.filePath(u"broken.json"_s));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"name\": \"r\", ");
    broken.close();
    Run r = riskdesk({u"render-rule"_s, broken.fileName(), u"--svg"_s, dir.filePath(u"x.svg"_s)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"broken.json"_s) && r.err.contains(u"not valid JSON"_s), qPrintable(r.err));
    QVERIFY(!QFile::exists(dir.filePath(u"x.svg"_s)));
    r = riskdesk({u"render-rule"_s, dir.filePath(u"none.json"_s), u"--svg"_s, dir.filePath(u"x.svg"_s)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"none.json"_s), qPrintable(r.err));
    QFile ok(dir.filePath(u"ok.json"_s));
    QVERIFY(ok.open(QIODevice::WriteOnly));
    ok.write(QJsonDocument(riskdesk::DemoWorkspaceBuilder::rulePayloads().at(1).toObject()).toJson());
    ok.close();
    r = riskdesk({u"render-rule"_s, ok.fileName()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"--svg"_s), qPrintable(r.err));
    r = riskdesk(
        {u"render-rule"_s, ok.fileName(), u"--png"_s, dir.filePath(u"x.png"_s), u"--scale"_s, u"80"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"--scale"_s), qPrintable(r.err));
    r = riskdesk({u"render-rule"_s, ok.fileName(), u"--svg"_s, dir.filePath(u"no/such/dir/x.svg"_s)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"x.svg"_s), qPrintable(r.err));

    // An empty file is called empty; a mistake is placed by line and column; a byte order mark is no mistake.
    const auto write = [&dir](const QString& name, const QByteArray& bytes) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(name));
        return f.fileName();
    };
    r = riskdesk({u"render-rule"_s, write(u"empty.json"_s, " \n"), u"--svg"_s, dir.filePath(u"x.svg"_s)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"empty.json is empty: it must hold one rule payload"_s), qPrintable(r.err));
    r = riskdesk({u"render-rule"_s, write(u"typo.json"_s, "{\n  \"name\": \"r\",\n  \"params\": tru }\n"),
                  u"--svg"_s, dir.filePath(u"x.svg"_s)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"typo.json is not valid JSON"_s) && r.err.contains(u"line 3, column"_s),
             qPrintable(r.err));
    QVERIFY(!QFile::exists(dir.filePath(u"x.svg"_s)));
    r = riskdesk(
        {u"render-rule"_s,
         write(u"bom.json"_s,
               "\xEF\xBB\xBF" +
                   QJsonDocument(riskdesk::DemoWorkspaceBuilder::rulePayloads().at(1).toObject()).toJson()),
         u"--svg"_s, dir.filePath(u"bom.svg"_s)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QFile::exists(dir.filePath(u"bom.svg"_s)));
}

void CliTest::demoRefusesANonEmptyWorkspace() {
    const Run r = riskdesk({u"demo"_s, u"--workspace"_s, m_workspace});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(u"already holds data"_s));
    const Run bad = riskdesk(
        {u"demo"_s, u"--workspace"_s, m_dir.filePath(u"x.riskdesk"_s), u"--exceptions"_s, u"lots"_s});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains(u"lots"_s));
}

QString CliTest::contentsOf(const QString& path) {
    QStringList out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"cli-contents"_s);
        db.setDatabaseName(path);
        if (!db.open())
            return db.lastError().text();
        QSqlQuery tables(db);
        if (!tables.exec(u"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                         "ORDER BY name"_s))
            return tables.lastError().text();
        QStringList names;
        while (tables.next())
            names << tables.value(0).toString();
        if (tables.lastError().isValid())
            return tables.lastError().text();
        for (const QString& table : std::as_const(names)) {
            QSqlQuery rows(db);
            if (!rows.exec(u"SELECT * FROM \"%1\""_s.arg(table)))
                return rows.lastError().text();
            QStringList lines;
            while (rows.next()) {
                QStringList fields;
                for (int c = 0; c < rows.record().count(); ++c)
                    fields << rows.value(c).toString();
                // Its identity and the path it was made at are the file's own.
                if (!(table == u"workspace_meta" &&
                      (fields.value(0) == u"workspace_id" || fields.value(0) == u"path_of_record")))
                    lines << fields.join(u'|');
            }
            if (rows.lastError().isValid())
                return rows.lastError().text();
            lines.sort();
            out << table << lines;
        }
    }
    QSqlDatabase::removeDatabase(u"cli-contents"_s);
    return out.join(u'\n');
}

// The same seed and anchor make the same workspace in every process. A QHash's order changes with each
// process (Qt seeds it at random): a demo that followed it drew its targets' histories in another order half
// of the time. Six processes all agree only by chance (1 in 32) when the order still counts.
void CliTest::demoIsTheSameInEveryProcess() {
    QString first;
    for (int i = 0; i < 6; ++i) {
        const QString ws = m_dir.filePath(u"same-%1.riskdesk"_s.arg(i));
        const Run r = riskdesk({u"demo"_s, u"--workspace"_s, ws, u"--exceptions"_s, u"100"_s, u"--seed"_s,
                                u"3"_s, u"--anchor"_s, u"2026-11-30T08:30:00Z"_s},
                               {u"QT_HASH_SEED"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString contents = contentsOf(ws);
        QVERIFY2(contents.contains(u"risk_assessments"_s), qPrintable(contents.left(500)));
        if (i == 0)
            first = contents;
        else
            QVERIFY2(contents == first, qPrintable(u"demo %1 differs from demo 0"_s.arg(i)));
    }
}

void CliTest::missingWorkspaceIsNamed() {
    const QString missing = m_dir.filePath(u"nowhere.riskdesk"_s);
    const Run r = riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, missing});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(missing));
    QVERIFY(!QFile::exists(missing)); // nothing created by accident
}

// Every command and verb, with no arguments, with --help and with an unknown flag: its usage or a message
// that names the problem, exit 0 for help and 2 for bad usage, never a crash. A command with verbs given none
// or an unknown one prints its verbs.
void CliTest::everyCommandAnswersBadUsageWithItsUsage() {
    const QList<QStringList> groups{{u"exceptions"_s}, {u"log"_s}, {u"workspace"_s},
                                    {u"rules"_s},      {u"db"_s},  {u"board"_s}};
    for (const QStringList& group : groups) {
        const QString name = group.first();
        Run r = riskdesk(group);
        QVERIFY2(r.exitCode == 2, qPrintable(name + u": "_s + r.err));
        QVERIFY2(r.err.contains(u"riskdesk "_s + name + u' ') && r.err.contains(u"Usage:"_s),
                 qPrintable(r.err));
        r = riskdesk({name, u"frobnicate"_s});
        QVERIFY2(r.exitCode == 2 && r.err.contains(u"frobnicate"_s), qPrintable(name + u": "_s + r.err));
        r = riskdesk({name, u"--frob"_s});
        QVERIFY2(r.exitCode == 2 && r.err.contains(u"Usage:"_s), qPrintable(name + u": "_s + r.err));
        r = riskdesk({name, u"--help"_s});
        QVERIFY2(r.exitCode == 0 && r.out.contains(u"riskdesk "_s + name + u' '), qPrintable(name + r.out));
    }
    // Leaves: (words, whether running them with no arguments is bad usage; a benchmark just runs).
    const QList<std::pair<QStringList, bool>> leaves{
        {{u"demo"_s}, true},
        {{u"exceptions"_s, u"list"_s}, true},
        {{u"decide"_s}, true},
        {{u"log"_s, u"verify"_s}, true},
        {{u"log"_s, u"export"_s}, true},
        {{u"workspace"_s, u"check"_s}, true},
        {{u"workspace"_s, u"create"_s}, true},
        {{u"score"_s}, true},
        {{u"rules"_s, u"eval"_s}, true},
        {{u"rules"_s, u"recognize"_s}, true},
        {{u"replay"_s}, true},
        {{u"render-rule"_s}, true},
        {{u"db"_s, u"migrate"_s}, true},
        {{u"db"_s, u"add-user"_s}, true},
        {{u"db"_s, u"seed"_s}, true},
        {{u"sync"_s}, true},
    };
    for (const auto& [words, bareIsBadUsage] : leaves) {
        const QString name = words.join(u' ');
        if (bareIsBadUsage) {
            const Run r = riskdesk(words);
            QVERIFY2(r.exitCode == 2 && r.err.startsWith(u"riskdesk: "_s),
                     qPrintable(name + u": "_s + r.err));
        }
        Run r = riskdesk(words + QStringList{u"--help"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(name + u": "_s + r.err));
        QVERIFY2(r.out.startsWith(u"Usage: riskdesk "_s + name), qPrintable(name + u": "_s + r.out));
        r = riskdesk(words + QStringList{u"--frob"_s});
        QVERIFY2(r.exitCode == 2 && r.err.contains(u"frob"_s) && r.out.isEmpty(),
                 qPrintable(name + u": "_s + r.err));
    }
    Run r = riskdesk({u"help"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"riskdesk log verify"_s) && r.out.contains(u"--lang"_s));
    r = riskdesk({u"help"_s, u"log"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"riskdesk log export"_s) && !r.out.contains(u"riskdesk demo"_s));
}

// Only the window needs a display: help, version, unknown commands, the language option anywhere, and
// commands that draw diagrams all run with no display and no platform chosen.
void CliTest::nothingButTheWindowNeedsADisplay() {
    const QStringList noDisplay{u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s, u"QT_QPA_PLATFORM"_s};
    const QString input = writeFile(
        u"one.jsonl"_s,
        R"({"user_id":"u1","transaction_amount":60000,"merchant_id":"m1","payment_method":"card","device_info":{"device_id":"d"},"location_info":{"country":"CN"}})"
        "\n");
    Run r = riskdesk({u"--lang"_s, u"zh_CN"_s, u"score"_s, u"--input"_s, input}, noDisplay);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(u"交易金额过高"_s), qPrintable(r.out));
    r = riskdesk({u"score"_s, u"--input"_s, input, u"--lang=zh_CN"_s}, noDisplay);
    QVERIFY2(r.exitCode == 0 && r.out.contains(u"交易金额过高"_s), qPrintable(r.err));
    r = riskdesk({u"--help"_s}, noDisplay);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(u"--workspace"_s) && r.out.contains(u"riskdesk decide"_s));
    r = riskdesk({u"--version"_s}, noDisplay);
    QVERIFY2(r.exitCode == 0 && r.out.startsWith(u"riskdesk "_s), qPrintable(r.err));
    r = riskdesk({u"frobnicate"_s}, noDisplay);
    QVERIFY2(r.exitCode == 2 && r.err.contains(u"frobnicate"_s), qPrintable(r.err));
    r = riskdesk({u"--lang"_s, u"zh_CN"_s, u"frobnicate"_s}, noDisplay);
    QVERIFY2(r.exitCode == 2 && r.err.contains(u"frobnicate"_s), qPrintable(r.err));
    r = riskdesk({u"--frob"_s}, noDisplay); // a bad option for the window is reported, not a display error
    QVERIFY2(r.exitCode == 2 && r.err.contains(u"--frob"_s), qPrintable(r.err));
    r = riskdesk({u"--lang"_s, u"fr"_s, u"log"_s}, noDisplay);
    QVERIFY2(r.exitCode == 2 && r.err.contains(u"fr"_s), qPrintable(r.err));
    r = riskdesk({u"--lang"_s, u"zh_CN"_s, u"log"_s}, noDisplay);
    QVERIFY2(r.exitCode == 2 && r.err.contains(u"riskdesk log verify"_s), qPrintable(r.err));
    // The window's options before a command go to the command; --lang after it works too.
    r = riskdesk({u"--workspace"_s, m_workspace, u"log"_s, u"verify"_s, u"--tenant"_s, u"acme"_s, u"--lang"_s,
                  u"zh_CN"_s},
                 noDisplay);
    QVERIFY2(r.exitCode == 0 && r.out.contains(u"完整"_s), qPrintable(r.out + r.err));
    r = riskdesk({u"log"_s, u"verify"_s, u"--help"_s}, noDisplay);
    QVERIFY2(r.exitCode == 0 && r.out.contains(u"--tenant"_s), qPrintable(r.err));
    const QString rule =
        writeFile(u"draw.json"_s,
                  QJsonDocument(riskdesk::DemoWorkspaceBuilder::rulePayloads().at(0).toObject()).toJson());
    r = riskdesk({u"--lang"_s, u"zh_CN"_s, u"render-rule"_s, rule, u"--png"_s, m_dir.filePath(u"draw.png"_s)},
                 noDisplay);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(!QImage(m_dir.filePath(u"draw.png"_s)).isNull());
}

void CliTest::repeatedOptionsAndExtraArgumentsAreRefused() {
    Run r = riskdesk({u"log"_s, u"verify"_s, u"--workspace"_s, m_workspace, u"--tenant"_s, u"acme"_s,
                      u"--tenant"_s, u"globex"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"--tenant"_s) && r.err.contains(u"more than once"_s), qPrintable(r.err));
    r = riskdesk({u"replay"_s, u"--workspace"_s, m_workspace, u"exc-000000000001"_s, u"exc-000000000002"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"exc-000000000002"_s), qPrintable(r.err));
    r = riskdesk({u"exceptions"_s, u"list"_s, u"--workspace"_s, m_workspace, u"stray"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"stray"_s), qPrintable(r.err));
    r = riskdesk({u"rules"_s, u"recognize"_s, u"出差城市与行程城市不一致"_s, u"extra"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"extra"_s), qPrintable(r.err));
    r = riskdesk({u"--lang"_s, u"en"_s, u"score"_s, u"--lang"_s, u"zh_CN"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"--lang"_s), qPrintable(r.err));
    r = riskdesk({u"--workspace"_s, m_workspace, u"--workspace"_s, m_workspace});
    QCOMPARE(r.exitCode, 2); // the window's options too, and without opening a window
    QVERIFY2(r.err.contains(u"--workspace"_s), qPrintable(r.err));
}

// Amounts whose cents overflow a 64-bit sum used to wrap around and score 0, MINIMAL, APPROVE.
void CliTest::scoreRefusesAmountsItCannotSum() {
    QByteArray lines;
    for (const char* amount : {"9.3e16", "1e17", "1e308", "-1", "92000000000000000"})
        lines +=
            QByteArray(R"({"user_id":"u9","transaction_amount":)") + amount +
            R"(,"merchant_id":"m","payment_method":"card","device_info":{"device_id":"d"},"location_info":{"country":"CN"}})" +
            "\n";
    const QString input = writeFile(u"huge.jsonl"_s, lines);
    const Run r = riskdesk({u"score"_s, u"--input"_s, input});
    QCOMPARE(r.exitCode, 1);
    const QStringList out = r.out.trimmed().split(u'\n');
    QCOMPARE(out.size(), 5);
    for (const QString& line : out) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        QVERIFY2(!o.contains(u"decision"_s), qPrintable(line));
        QCOMPARE(o.value(u"error"_s).toObject().value(u"field"_s).toString(), u"transaction_amount"_s);
    }
    QVERIFY(r.err.contains(u"5 lines could not be assessed"_s));
}

void CliTest::scoreRefusesAnUnknownTenant() {
    const QString input = writeFile(
        u"t.jsonl"_s, R"({"user_id":"u1","transaction_amount":10,"merchant_id":"m1","payment_method":"card"})"
                      "\n");
    const QString before = sql(u"SELECT count(*) FROM risk_assessments"_s);
    const QString output = m_dir.filePath(u"t.out"_s);
    Run r = riskdesk({u"score"_s, u"--input"_s, input, u"--workspace"_s, m_workspace, u"--tenant"_s, u"zzz"_s,
                      u"--output"_s, output});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"zzz"_s) && r.err.contains(u"acme"_s), qPrintable(r.err));
    QCOMPARE(sql(u"SELECT count(*) FROM risk_assessments"_s), before);
    QVERIFY(!QFile::exists(output)); // refused before anything was written
    r = riskdesk({u"score"_s, u"--input"_s, input, u"--workspace"_s, m_workspace}); // whose? it must be said
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"--tenant"_s), qPrintable(r.err));
    r = riskdesk(
        {u"score"_s, u"--input"_s, input, u"--workspace"_s, m_workspace, u"--tenant"_s, u"globex"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(sql(u"SELECT count(*) FROM risk_assessments WHERE tenant_id = 'zzz'"_s), u"0"_s);
}

// A rule rules eval refuses is refused by render-rule too, with the same words, and nothing is drawn.
void CliTest::renderRuleRefusesWhatRulesEvalRefuses() {
    const QString cases = writeFile(u"case.jsonl"_s, "{\"claim.amount\": 1}\n");
    const QList<std::pair<QString, QByteArray>> rules{
        {u"empty"_s, "{}"},
        {u"unknown operator"_s,
         R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"resembles","fields":["claim.amount"]}],"hit_logic":"C1"}})"},
        {u"unbalanced hit logic"_s,
         R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"exists_any","fields":["claim.amount"]},{"id":"C2","operator":"exists_any","fields":["claim.amount"]}],"hit_logic":"C1 AND (C2"}})"},
    };
    for (const auto& [name, payload] : rules) {
        const QString file = writeFile(u"bad-rule.json"_s, payload);
        const Run eval = riskdesk({u"rules"_s, u"eval"_s, u"--rule"_s, file, u"--cases"_s, cases});
        QCOMPARE(eval.exitCode, 1);
        // Refused once, before any case is read, on standard error.
        QVERIFY2(eval.out.isEmpty(), qPrintable(name + u": "_s + eval.out));
        const QString message = eval.err;
        QVERIFY2(message.startsWith(u"riskdesk: "_s) && message.contains(file), qPrintable(name));
        const QString svg = m_dir.filePath(u"bad.svg"_s);
        Run r = riskdesk({u"render-rule"_s, file, u"--svg"_s, svg});
        QVERIFY2(r.exitCode == 1, qPrintable(name));
        QVERIFY2(r.err == message, qPrintable(name + u": "_s + r.err + u" vs "_s + message));
        QVERIFY(!QFile::exists(svg));
        r = riskdesk({u"render-rule"_s, file, u"--spec"_s});
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(name));
    }
}

void CliTest::messagesSpeakTheUsersTerms() {
    const QString input = writeFile(u"shapes.jsonl"_s, "[1, 2]\n42\n{\"user_id\": \n");
    Run r = riskdesk({u"score"_s, u"--input"_s, input});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(!r.out.contains(u"no error occurred"_s), qPrintable(r.out));
    const QStringList lines = r.out.trimmed().split(u'\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.at(0).contains(u"JSON object"_s), qPrintable(lines.at(0)));
    QVERIFY2(lines.at(2).contains(u"not valid JSON"_s) && lines.at(2).contains(u"near column"_s),
             qPrintable(lines.at(2)));
    // An input without a single request says so: an empty answer could pass for one that went wrong.
    const QString empty = writeFile(u"empty.jsonl"_s, "\n  \n");
    r = riskdesk({u"score"_s, u"--input"_s, empty});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains(u"empty.jsonl holds no requests"_s), qPrintable(r.err));
    const QString answer = m_dir.filePath(u"empty-answer.jsonl"_s);
    r = riskdesk({u"score"_s, u"--input"_s, empty, u"--output"_s, answer});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(!QFile::exists(answer), "an empty answer file was left behind");
    // A file already there is left as it was (helper-85: it was emptied, then removed).
    const QString kept = writeFile(u"kept-answer.jsonl"_s, "an earlier answer\n");
    r = riskdesk({u"score"_s, u"--input"_s, empty, u"--output"_s, kept});
    QCOMPARE(r.exitCode, 1);
    QFile keptFile(kept);
    QVERIFY(keptFile.open(QIODevice::ReadOnly));
    QCOMPARE(keptFile.readAll(), QByteArray("an earlier answer\n"));
    const QString rule = writeFile(u"array-rule.json"_s, "[]");
    r = riskdesk({u"rules"_s, u"eval"_s, u"--rule"_s, rule, u"--cases"_s, input});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(!r.err.contains(u"no error occurred"_s) && r.err.contains(u"array-rule.json"_s),
             qPrintable(r.err));
    // An exception of another tenant: said so, not "there is none".
    const QString acme = sql(u"SELECT record_id FROM exceptions WHERE tenant_id = 'acme' LIMIT 1"_s);
    r = riskdesk({u"replay"_s, u"--workspace"_s, m_workspace, acme, u"--tenant"_s, u"globex"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(acme) && r.err.contains(u"acme"_s) && r.err.contains(u"globex"_s),
             qPrintable(r.err));
    // A tenant the workspace does not have: the same message and exit code from every command that takes
    // --tenant (replay said it with the usage code, 2).
    const QList<QStringList> withTenant{
        {u"replay"_s, u"--workspace"_s, m_workspace, acme},
        {u"exceptions"_s, u"list"_s, u"--workspace"_s, m_workspace},
        {u"log"_s, u"verify"_s, u"--workspace"_s, m_workspace},
        {u"log"_s, u"export"_s, u"--workspace"_s, m_workspace, u"--output"_s, m_dir.filePath(u"nope.csv"_s)}};
    for (QStringList arguments : withTenant) {
        r = riskdesk(arguments << u"--tenant"_s << u"nope"_s);
        QVERIFY2(r.exitCode == 1 && r.err.contains(u"no tenant \"nope\""_s),
                 qPrintable(arguments.join(u' ') + u": "_s + QString::number(r.exitCode) + u" "_s + r.err));
    }
    // No internals on any of the runs above or on a plain read.
    r = riskdesk({u"exceptions"_s, u"list"_s, u"--workspace"_s, m_workspace, u"--tenant"_s, u"acme"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(!r.err.contains(u"QSql"_s), qPrintable(r.err));
}

// Every line names its field; nothing of them reaches the workspace ("u\u0000x" used to be kept as "u").
void CliTest::scoreRefusesWhatItCannotKeep() {
    const QList<std::pair<QByteArray, QString>> cases{
        {R"("user_id":"u\u0000x")", u"user_id"_s},
        {R"("user_id":"")", u"user_id"_s},
        {R"("user_id":" \u200b")", u"user_id"_s},
        {R"("merchant_id":"m\u0000")", u"merchant_id"_s},
        {R"("merchant_id":"")", u"merchant_id"_s},
        {R"("transaction_amount":0.001)", u"transaction_amount"_s},
        {R"("transaction_amount":4.9e-324)", u"transaction_amount"_s},
        {R"("transaction_amount":10000000000000.01)", u"transaction_amount"_s},
        {R"("timestamp":"1900-01-01T00:00:00Z")", u"timestamp"_s},
        {R"("timestamp":"9999-12-31T23:59:59Z")", u"timestamp"_s},
    };
    QByteArray lines;
    for (const auto& [field, name] : cases) { // each line: a good request with one field replaced
        QJsonObject request{{u"user_id"_s, u"u1"_s},
                            {u"transaction_amount"_s, 10},
                            {u"merchant_id"_s, u"m1"_s},
                            {u"payment_method"_s, u"card"_s}};
        const QJsonObject replaced = QJsonDocument::fromJson("{" + field + "}").object();
        QCOMPARE(replaced.size(), 1);
        request[replaced.begin().key()] = replaced.begin().value();
        lines += QJsonDocument(request).toJson(QJsonDocument::Compact) + "\n";
    }
    const QString input = writeFile(u"unkeepable.jsonl"_s, lines);
    const QString ws = m_dir.filePath(u"unkeepable.riskdesk"_s);
    QCOMPARE(riskdesk({u"workspace"_s, u"create"_s, u"--workspace"_s, ws}).exitCode, 0);
    const Run r = riskdesk({u"score"_s, u"--input"_s, input, u"--workspace"_s, ws});
    QCOMPARE(r.exitCode, 1);
    const QStringList out = r.out.trimmed().split(u'\n');
    QCOMPARE(out.size(), cases.size());
    QStringList messages;
    for (qsizetype i = 0; i < out.size(); ++i) {
        const QJsonObject error =
            QJsonDocument::fromJson(out.at(i).toUtf8()).object().value(u"error"_s).toObject();
        QVERIFY2(!error.isEmpty(), qPrintable(out.at(i)));
        QCOMPARE(error.value(u"field"_s).toString(), cases.at(i).second);
        messages << error.value(u"message"_s).toString();
    }
    QVERIFY2(messages.at(0).contains(u"NUL"_s), qPrintable(messages.at(0)));
    QVERIFY2(messages.at(1).contains(u"user_id is empty"_s), qPrintable(messages.at(1)));
    QVERIFY2(messages.at(5).contains(u"at least 0.01"_s) && messages.at(5).contains(u"0.001"_s),
             qPrintable(messages.at(5)));
    // Both numbers as they are: "at most 10000000000000, not 1e+13" read as a refusal of the limit itself.
    QVERIFY2(messages.at(7).contains(u"at most 10000000000000, not 10000000000000.01"_s),
             qPrintable(messages.at(7)));
    QVERIFY2(messages.at(8).contains(u"1900-01-01T00:00:00Z"_s) && messages.at(8).contains(u"2000-01-01"_s),
             qPrintable(messages.at(8)));
    QVERIFY(r.err.contains(u"10 lines could not be assessed"_s));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"unkeepable"_s);
        db.setDatabaseName(ws);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"SELECT count(*) FROM risk_assessments"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
    }
    QSqlDatabase::removeDatabase(u"unkeepable"_s);
}

// Texts that name the right places but not the rule the draft would be are refused with their reason.
void CliTest::rulesRecognizeRefusesWhatItWouldMisread() {
    const QList<std::pair<QString, QString>> refused{
        {u"出差城市与行程城市不一致，金额超过5000"_s, u"\"金额超过5000\" is a condition"_s},
        {u"不是出差城市与行程城市不一致"_s, u"negated (\"不是\")"_s},
        {u"出差城市与出差城市不一致"_s, u"\"出差城市\" is compared with itself"_s},
        {u"出差城市与行程城市不一致吗？"_s, u"question"_s},
    };
    for (const auto& [text, reason] : refused) {
        const Run r = riskdesk({u"rules"_s, u"recognize"_s, text});
        QVERIFY2(r.exitCode == 1 && r.out.isEmpty(), qPrintable(text + u": "_s + r.out));
        QVERIFY2(r.err.startsWith(u"riskdesk: "_s) && r.err.contains(reason),
                 qPrintable(text + u": "_s + r.err));
    }
    Run r = riskdesk({u"rules"_s, u"recognize"_s, u"--lang"_s, u"zh_CN"_s, refused.at(0).first});
    QVERIFY2(r.exitCode == 1 && r.err.contains(u"「金额超过5000」"_s), qPrintable(r.err));
    r = riskdesk({u"rules"_s, u"recognize"_s, u"出差城市与行程城市不一致"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
}

// A failure is said on standard error, where a person looks; standard output keeps only the results.
void CliTest::errorsGoToStandardError() {
    const QString rule = writeFile(
        u"eval-rule.json"_s,
        R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"numeric_compare","fields":["claim.amount"],"compare":"gte","threshold":5}]}})");
    const QString cases =
        writeFile(u"eval-cases.jsonl"_s, "{\"claim.amount\": 1}\n{\"other\": 2}\nnot json\n");
    Run r = riskdesk({u"rules"_s, u"eval"_s, u"--rule"_s, rule, u"--cases"_s, cases});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out.trimmed().split(u'\n').size(), 3); // a line for each case, as before
    QVERIFY2(r.err.contains(u"riskdesk: Line 2: "_s) && r.err.contains(u"claim.amount"_s), qPrintable(r.err));
    QVERIFY2(r.err.contains(u"riskdesk: Line 3 is not valid JSON"_s) && r.err.contains(u"near column "_s),
             qPrintable(r.err));

    const QString zero = writeFile(u"zero.riskdesk"_s, QByteArray());
    r = run(QStringLiteral(RISKDESK_BENCH_BINARY), {u"queue"_s, u"--workspace"_s, zero});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    QVERIFY2(r.err.startsWith(u"riskdesk-bench: "_s) && r.err.contains(u"zero.riskdesk"_s),
             qPrintable(r.err));

    for (const QStringList& help : {QStringList{u"help"_s, u"--help"_s}, QStringList{u"--help"_s, u"help"_s},
                                    QStringList{u"help"_s, u"-h"_s}}) {
        r = riskdesk(help);
        QVERIFY2(r.exitCode == 0 && r.out.contains(u"riskdesk log verify"_s), qPrintable(r.err));
    }
    r = riskdesk({u"help"_s, u"log"_s, u"--help"_s});
    QVERIFY2(r.exitCode == 0 && r.out.contains(u"riskdesk log export"_s) &&
                 !r.out.contains(u"riskdesk demo"_s),
             qPrintable(r.err));
}

// Hit logic that is there but says nothing, or NOT of a list, used to be read as "every condition".
void CliTest::hitLogicThatSaysNothingIsRefusedAlike() {
    const QString cases = writeFile(u"logic-case.jsonl"_s, "{\"claim.amount\": 1}\n");
    for (const QByteArray& logic :
         {QByteArray(R"("")"), QByteArray("null"), QByteArray(R"({"not":["C1","C1"]})")}) {
        const QString file = writeFile(
            u"logic-rule.json"_s,
            R"({"name":"r","params":{"conditions":[{"id":"C1","operator":"exists_any","fields":["claim.amount"]}],"hit_logic":)" +
                logic + "}}");
        const Run eval = riskdesk({u"rules"_s, u"eval"_s, u"--rule"_s, file, u"--cases"_s, cases});
        QVERIFY2(eval.exitCode == 1 && eval.out.isEmpty(), qPrintable(QString::fromUtf8(logic) + eval.out));
        QVERIFY2(eval.err.contains(u"hit_logic"_s), qPrintable(eval.err));
        const Run render = riskdesk({u"render-rule"_s, file, u"--spec"_s});
        QVERIFY2(render.exitCode == 1 && render.out.isEmpty(),
                 qPrintable(QString::fromUtf8(logic) + render.out));
        QCOMPARE(render.err, eval.err);
    }
}

// The window with no display used to abort (SIGABRT, exit 134) with the platform plugin's text.
void CliTest::theWindowWithoutADisplaySaysSo() {
    const QStringList noDisplay{u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s, u"QT_QPA_PLATFORM"_s};
    Run r = riskdesk({u"--workspace"_s, m_workspace}, noDisplay);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith(u"riskdesk: There is no display"_s) && r.err.contains(u"--screenshot"_s),
             qPrintable(r.err));
    QVERIFY2(!r.err.contains(u"xcb"_s) && r.out.isEmpty(), qPrintable(r.err));
    r = riskdesk({}, noDisplay);
    QVERIFY2(r.exitCode == 1 && r.err.contains(u"no display"_s), qPrintable(r.err));
    r = riskdesk({u"--lang"_s, u"zh_CN"_s}, noDisplay);
    QVERIFY2(r.exitCode == 1 && r.err.contains(u"显示"_s), qPrintable(r.err));
    // A screenshot needs no screen: it is drawn offscreen.
    const QString png = m_dir.filePath(u"no-display.png"_s);
    r = riskdesk({u"--workspace"_s, m_workspace, u"--screenshot"_s, png}, noDisplay);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(!QImage(png).isNull());
}

// riskdesk help lists the commands of the one table that dispatches them: every line names a command that
// answers --help with the same words, and every command that runs is listed, each verb once.
void CliTest::helpListsEveryCommandThatRuns() {
    const Run help = riskdesk({u"help"_s});
    QCOMPARE(help.exitCode, 0);
    QStringList listed;
    for (const QString& line : help.out.split(u'\n')) {
        if (!line.startsWith(u"  riskdesk "_s))
            continue;
        QStringList words;
        for (const QString& word : line.trimmed().split(u' ').mid(1)) {
            if (word.isEmpty() || !(word.at(0).isLower()))
                break; // options, placeholders (PATH, RULE.json) and "TEXT" end the command's words
            words << word;
        }
        if (words.isEmpty())
            continue; // the window
        const QString name = words.join(u' ');
        if (!listed.contains(name))
            listed << name;
        const Run r = riskdesk(words + QStringList{u"--help"_s});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith(u"Usage: riskdesk "_s + name + u' '),
                 qPrintable(name + u": "_s + r.out + r.err));
    }
    QStringList expected{
        u"demo"_s,           u"exceptions list"_s,       u"decide"_s,           u"log verify"_s,
        u"log export"_s,     u"workspace check"_s,       u"workspace create"_s, u"score"_s,
        u"rules eval"_s,     u"rules recognize"_s,       u"replay"_s,           u"render-rule"_s,
        u"db migrate"_s,     u"db add-user"_s,           u"db seed"_s,          u"sync"_s,
        u"board load"_s,     u"board export-template"_s, u"board verify"_s,     u"board skills"_s,
        u"board customer"_s, u"board finance"_s,         u"board coach"_s,      u"board riskops"_s};
    // create and the assignment verbs follow "exceptions list" in the table.
    for (const QString& verb : {u"escalate"_s, u"release"_s, u"claim"_s, u"assign"_s, u"create"_s})
        expected.insert(2, u"exceptions "_s + verb);
    // The comment verbs follow "decide".
    expected.insert(expected.indexOf(u"decide"_s) + 1, u"comments add"_s);
    expected.insert(expected.indexOf(u"decide"_s) + 1, u"comments list"_s);
    QCOMPARE(listed, expected);
    // A command's own help lists only its forms.
    const Run log = riskdesk({u"help"_s, u"log"_s});
    QCOMPARE(log.exitCode, 0);
    QCOMPARE(log.out.count(u"  riskdesk log verify "_s), 3);
    QCOMPARE(log.out.count(u"  riskdesk log export "_s), 1);
    QCOMPARE(log.out.count(u"  riskdesk "_s), 4);
}

// The benchmarks are a developer's tool: the shipped riskdesk has none, says where they went, and does not
// list them.
void CliTest::theShippedProgramCarriesNoBenchmarks() {
    for (const QStringList& arguments : {QStringList{u"bench"_s}, QStringList{u"bench"_s, u"queue"_s},
                                         QStringList{u"bench"_s, u"replay"_s, u"--events"_s, u"10"_s}}) {
        const Run r = riskdesk(arguments);
        QVERIFY2(r.exitCode == 2 && r.out.isEmpty(), qPrintable(r.out + r.err));
        QVERIFY2(r.err.startsWith(u"riskdesk: "_s) && r.err.contains(u"riskdesk-bench"_s), qPrintable(r.err));
    }
    const Run zh = riskdesk({u"--lang"_s, u"zh_CN"_s, u"bench"_s});
    QVERIFY2(zh.exitCode == 2 && zh.err.contains(u"riskdesk-bench"_s) && zh.err.contains(u"基准"_s),
             qPrintable(zh.err));
    for (const QStringList& arguments : {QStringList{u"help"_s}, QStringList{u"--help"_s}}) {
        const Run r = riskdesk(arguments);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.out.contains(u"riskdesk bench"_s), qPrintable(r.out));
    }
    QFile binary(QStringLiteral(RISKDESK_BINARY));
    QVERIFY(binary.open(QIODevice::ReadOnly));
    const QByteArray bytes = binary.readAll();
    QVERIFY(!bytes.contains("QueueBenchmark"));
    QVERIFY(!bytes.contains("Runs of each measurement"));
}

// riskdesk-bench: each benchmark answers --help and bad usage as the shipped commands do, in its own name.
void CliTest::benchmarksRunInRiskdeskBench() {
    const QString bench = QStringLiteral(RISKDESK_BENCH_BINARY);
    Run r = run(bench, {u"--help"_s});
    QCOMPARE(r.exitCode, 0);
    for (const QString& name :
         {u"queue"_s, u"bulk"_s, u"score"_s, u"replay"_s, u"render"_s, u"sync"_s, u"boards"_s})
        QVERIFY2(r.out.contains(u"  riskdesk-bench "_s + name + u' '), qPrintable(name + r.out));
    r = run(bench, {});
    QVERIFY2(r.exitCode == 2 && r.err.contains(u"Usage:"_s), qPrintable(r.err));
    r = run(bench, {u"frobnicate"_s});
    QVERIFY2(r.exitCode == 2 && r.err.contains(u"frobnicate"_s), qPrintable(r.err));
    // Leaves: (name, whether running it with no arguments is bad usage; a benchmark just runs).
    for (const auto& [name, bareIsBadUsage] :
         QList<std::pair<QString, bool>>{{u"queue"_s, true}, {u"sync"_s, true}, {u"replay"_s, false}}) {
        if (bareIsBadUsage) {
            r = run(bench, {name});
            QVERIFY2(r.exitCode == 2 && r.err.startsWith(u"riskdesk-bench: "_s), qPrintable(name + r.err));
        }
        r = run(bench, {name, u"--help"_s});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith(u"Usage: riskdesk-bench "_s + name + u" [options]"_s),
                 qPrintable(name + r.out));
        r = run(bench, {name, u"--frob"_s});
        QVERIFY2(r.exitCode == 2 && r.err.contains(u"frob"_s) &&
                     r.err.contains(u"See: riskdesk-bench "_s + name),
                 qPrintable(name + r.err));
    }
    r = run(bench, {u"--version"_s});
    QVERIFY2(r.exitCode == 0 && r.out.startsWith(u"riskdesk-bench "_s), qPrintable(r.out));
}

// The crash tests' hook (RISKDESK_CRASH_AT kills the process at a named point of the sync) is linked into the
// test build's riskdesk-crashtest only: the shipped program has no code that reads it.
void CliTest::theCrashHookIsOnlyInTheTestBuild() {
    auto contents = [](const char* path) {
        QFile file(QString::fromLocal8Bit(path));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    const QByteArray crashTest = contents(RISKDESK_CRASH_BINARY);
    QVERIFY(!crashTest.isEmpty());
    QVERIFY(crashTest.contains("RISKDESK_CRASH_AT")); // the check below can fail
    const QByteArray shipped = contents(RISKDESK_BINARY);
    QVERIFY(!shipped.isEmpty());
    QVERIFY(!shipped.contains("RISKDESK_CRASH_AT"));
}

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
