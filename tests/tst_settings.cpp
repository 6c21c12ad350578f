// AppSettings: the one table of keys, their types and defaults; typed reads that fall back to the default on
// garbage; the stored names of earlier versions; instances on files of their own that never meet; changes
// read at once, written off the caller's thread in order, merged with what another process wrote.
#include "settings/AppSettings.h"
#include "settings/SettingsFile.h"

#include <QElapsedTimer>
#include <QLockFile>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <atomic>
#include <thread>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using K = AppSettings::Key;

class SettingsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void everyKeyIsInTheTableOnce();
    void defaults();
    void eachTypeRoundTrips();
    void garbageReadsAsTheDefault();
    void storedNamesAreThoseOfEarlierVersions();
    void twoTemporaryInstancesNeverMeet();
    void healthNoteReplacesWhatWasThere();
    void aChangeIsReadAtOnceAndWrittenInOrder();
    void whatAnotherProcessWroteIsReadAndKept();
    void theLastHolderWritesWhatIsPending();
    void threadsChangeOneFileTogether();
    void aChangeNeverWaitsForTheFile();
    void keysAreStoredAsQSettingsStoresThem();

private:
    QString file(const QString& name) const { return m_dir->filePath(name); }
    // Writes raw values, as an earlier version or a hand edit would have.
    void writeRaw(const QString& path, const QString& key, const QVariant& value) {
        QSettings raw(path, QSettings::IniFormat);
        raw.setValue(key, value);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void SettingsTest::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void SettingsTest::everyKeyIsInTheTableOnce() {
    QSet<int> keys;
    QSet<QString> names;
    for (const AppSettings::Spec& s : AppSettings::specs()) {
        QVERIFY2(!keys.contains(int(s.key)), s.name);
        QVERIFY2(!names.contains(QString::fromLatin1(s.name)), s.name);
        keys.insert(int(s.key));
        names.insert(QString::fromLatin1(s.name));
        QCOMPARE(&AppSettings::spec(s.key), &s);
        // A default, when there is one, is of the key's type.
        if (s.defaultValue.isValid())
            QCOMPARE(s.defaultValue.typeId(), int(s.type));
    }
    QCOMPARE(keys.size(), int(K::HealthAt) + 1);
}

void SettingsTest::defaults() {
    const AppSettings s(file(u"empty.ini"_s));
    QCOMPARE(s.windowGeometry(), QByteArray());
    QCOMPARE(s.backendUrl(), QString());
    QCOMPARE(s.attachmentMaxBytes(), 50LL * 1024 * 1024);
    QCOMPARE(s.attachmentCacheBytes(), 512LL * 1024 * 1024);
    QCOMPARE(s.trendColors(), QString());
    QCOMPARE(s.chosenBoard(u"acme"_s, u"zhou.lin"_s), -1);
    QCOMPARE(s.boardFilters(u"acme"_s, u"zhou.lin"_s, u"finance"_s), QString());
    QCOMPARE(s.showVoided(u"acme"_s, u"zhou.lin"_s, u"coach"_s), false);
    QCOMPARE(s.sessionUser(u"ws"_s), QString());
    QVERIFY(!s.chainHead(u"ws-1"_s, u"acme"_s));
    QCOMPARE(s.workspaceFile(u"ws-1"_s), QString());
    QVERIFY(s.health(u"h"_s).verdict.isEmpty());
    QVERIFY(!s.health(u"h"_s).at.isValid());
    QVERIFY(!QFile::exists(file(u"empty.ini"_s))); // reading writes nothing
}

void SettingsTest::eachTypeRoundTrips() {
    const QString path = file(u"roundtrip.ini"_s);
    {
        AppSettings s(path);
        s.setWindowGeometry(QByteArray("\x01\x00\xff geometry", 12));
        s.setBackendUrl(u"postgresql://li.wei@db.example.com:5432/riskdesk"_s);
        s.setAttachmentMaxMegabytes(7);
        s.setAttachmentCacheMegabytes(64);
        s.setTrendColors(u"green-up"_s);
        s.setChosenBoard(u"acme"_s, u"zhou.lin"_s, 3);
        s.setBoardFilters(u"acme"_s, u"zhou.lin"_s, u"finance"_s, u"{\"preset\":\"last_7_days\"}"_s);
        s.setShowVoided(u"acme"_s, u"zhou.lin"_s, u"coach"_s, true);
        s.setSession(u"ws"_s, u"li.wei"_s, u"acme"_s);
        s.setChainHead(u"ws-1"_s, u"acme"_s, {42, "abc123", "root1"});
        s.setChainHead(u"ws-1"_s, u"globex"_s, {3, "g3", {}});
        s.setChainHead(u"ws-1"_s, u"lab/eu%2F\\x"_s, {5, "l5", "lroot"}); // any text is a tenant
        s.setChainHead(u"ws-3"_s, u"acme"_s, {1, "a1", {}});
        s.setWorkspaceAt(u"key-gone"_s, u"ws-3"_s);
        s.forgetWorkspaceAt(u"key-gone"_s);
        s.setWorkspaceFile(u"ws-1"_s, u"/tmp/a.riskdesk"_s);
        s.setWorkspaceAt(u"key-a"_s, u"ws-1"_s);
        s.setHealth(u"h"_s, {u"damaged"_s, u"1:2:3"_s, u"page 7"_s,
                             QDateTime(QDate(2026, 5, 1), QTime(8, 0), QTimeZone::utc())});
    }
    const AppSettings s(path); // a new instance reads what the file holds
    QCOMPARE(s.windowGeometry(), QByteArray("\x01\x00\xff geometry", 12));
    QCOMPARE(s.backendUrl(), u"postgresql://li.wei@db.example.com:5432/riskdesk"_s);
    QCOMPARE(s.attachmentMaxBytes(), 7LL * 1024 * 1024);
    QCOMPARE(s.attachmentCacheBytes(), 64LL * 1024 * 1024);
    QCOMPARE(s.trendColors(), u"green-up"_s);
    QCOMPARE(s.chosenBoard(u"acme"_s, u"zhou.lin"_s), 3);
    QCOMPARE(s.chosenBoard(u"acme"_s, u"qian.feng"_s), -1); // per user
    QCOMPARE(s.boardFilters(u"acme"_s, u"zhou.lin"_s, u"finance"_s), u"{\"preset\":\"last_7_days\"}"_s);
    QCOMPARE(s.showVoided(u"acme"_s, u"zhou.lin"_s, u"coach"_s), true);
    QCOMPARE(s.showVoided(u"acme"_s, u"zhou.lin"_s, u"customer"_s), false); // per board
    QCOMPARE(s.sessionUser(u"ws"_s), u"li.wei"_s);
    QCOMPARE(s.sessionTenant(u"ws"_s), u"acme"_s);
    const auto head = s.chainHead(u"ws-1"_s, u"acme"_s);
    QVERIFY(head);
    QCOMPARE(head->seq, 42);
    QCOMPARE(head->hash, QByteArray("abc123"));
    QCOMPARE(head->root, QByteArray("root1"));
    QCOMPARE(s.chainHeadTenants(u"ws-1"_s), (QStringList{u"acme"_s, u"globex"_s, u"lab/eu%2F\\x"_s}));
    QCOMPARE(s.chainHead(u"ws-1"_s, u"lab/eu%2F\\x"_s)->seq, 5);
    QVERIFY(!s.chainHead(u"ws-1"_s, u"lab"_s));
    QCOMPARE(s.chainHeadTenants(u"ws-2"_s), QStringList());
    QCOMPARE(s.chainHeadWorkspaces(), (QStringList{u"ws-1"_s, u"ws-3"_s}));
    QCOMPARE(s.workspaceAt(u"key-gone"_s), QString());
    QCOMPARE(s.workspaceFile(u"ws-1"_s), u"/tmp/a.riskdesk"_s);
    QCOMPARE(s.workspaceAt(u"key-a"_s), u"ws-1"_s);
    const AppSettings::HealthNote note = s.health(u"h"_s);
    QCOMPARE(note.verdict, u"damaged"_s);
    QCOMPARE(note.fingerprint, u"1:2:3"_s);
    QCOMPARE(note.finding, u"page 7"_s);
    QCOMPARE(note.at, QDateTime(QDate(2026, 5, 1), QTime(8, 0), QTimeZone::utc()));

    AppSettings writable(path);
    writable.forgetSession(u"ws"_s);
    QCOMPARE(writable.sessionUser(u"ws"_s), QString());
    QCOMPARE(writable.sessionTenant(u"ws"_s), QString());
    writable.remove(K::BackendUrl);
    QCOMPARE(writable.backendUrl(), QString());
}

void SettingsTest::garbageReadsAsTheDefault() {
    const QString path = file(u"garbage.ini"_s);
    writeRaw(path, u"attachments/maxMegabytes"_s, u"lots"_s);
    writeRaw(path, u"attachments/cacheMegabytes"_s, -5); // a size of 0 or less is no size
    writeRaw(path, u"boards/acme/zhou.lin/board"_s, u"finance"_s);
    writeRaw(path, u"boards/acme/zhou.lin/showVoided/coach"_s, u"perhaps"_s);
    writeRaw(path, u"verifiedChainHeads/ws-1/acme/seq"_s, u"not a number"_s);
    writeRaw(path, u"workspaceHealth/h/at"_s, u"yesterday-ish"_s);
    writeRaw(path, u"backend/url"_s, QVariantList{1, 2}); // a list where text belongs
    const AppSettings s(path);
    QCOMPARE(s.attachmentMaxBytes(), 50LL * 1024 * 1024);
    QCOMPARE(s.attachmentCacheBytes(), 512LL * 1024 * 1024);
    QCOMPARE(s.chosenBoard(u"acme"_s, u"zhou.lin"_s), -1);
    QCOMPARE(s.showVoided(u"acme"_s, u"zhou.lin"_s, u"coach"_s), false);
    QVERIFY(!s.chainHead(u"ws-1"_s, u"acme"_s)); // verified afresh rather than against head 0
    QVERIFY(!s.health(u"h"_s).at.isValid());
    QCOMPARE(s.backendUrl(), QString());
    // The generic read answers the key's type, or its default.
    QCOMPARE(s.value(K::AttachmentMaxMegabytes).typeId(), int(QMetaType::LongLong));
    QCOMPARE(s.value(K::BoardChosen, {u"acme"_s, u"zhou.lin"_s}), QVariant(-1));
    // Text an INI file holds for a number or a flag (as QSettings writes them) reads as the value.
    writeRaw(path, u"boards/acme/zhou.lin/board"_s, u" 4 "_s);
    writeRaw(path, u"boards/acme/zhou.lin/showVoided/coach"_s, u"true"_s);
    QCOMPARE(s.chosenBoard(u"acme"_s, u"zhou.lin"_s), 4);
    QCOMPARE(s.showVoided(u"acme"_s, u"zhou.lin"_s, u"coach"_s), true);
}

void SettingsTest::storedNamesAreThoseOfEarlierVersions() {
    // What users saved before AppSettings keeps loading: the same names, the same values.
    const QString path = file(u"earlier.ini"_s);
    writeRaw(path, u"window/geometry"_s, QByteArray("geo"));
    writeRaw(path, u"backend/url"_s, u"postgresql://db/riskdesk"_s);
    writeRaw(path, u"attachments/maxMegabytes"_s, 3);
    writeRaw(path, u"attachments/cacheMegabytes"_s, 9);
    writeRaw(path, u"boards/trendColors"_s, u"red-up"_s);
    writeRaw(path, u"boards/acme/zhou.lin/board"_s, 2);
    writeRaw(path, u"boards/acme/zhou.lin/finance"_s, u"{}"_s);
    writeRaw(path, u"boards/acme/zhou.lin/showVoided/coach"_s, true);
    writeRaw(path, u"sessions/0123456789abcdef/user"_s, u"li.wei"_s);
    writeRaw(path, u"sessions/0123456789abcdef/tenant"_s, u"acme"_s);
    writeRaw(path, u"verifiedChainHeads/ws-1/acme/seq"_s, 17);
    writeRaw(path, u"verifiedChainHeads/ws-1/acme/hash"_s, QByteArray("h17"));
    writeRaw(path, u"workspaceFiles/ws-1"_s, u"/data/w.riskdesk"_s);
    writeRaw(path, u"workspaceHealth/abc/verdict"_s, u"clean"_s);
    writeRaw(path, u"workspaceHealth/abc/file"_s, u"fp"_s);
    const AppSettings s(path);
    QCOMPARE(s.windowGeometry(), QByteArray("geo"));
    QCOMPARE(s.backendUrl(), u"postgresql://db/riskdesk"_s);
    QCOMPARE(s.attachmentMaxBytes(), 3LL * 1024 * 1024);
    QCOMPARE(s.attachmentCacheBytes(), 9LL * 1024 * 1024);
    QCOMPARE(s.trendColors(), u"red-up"_s);
    QCOMPARE(s.chosenBoard(u"acme"_s, u"zhou.lin"_s), 2);
    QCOMPARE(s.boardFilters(u"acme"_s, u"zhou.lin"_s, u"finance"_s), u"{}"_s);
    QVERIFY(s.showVoided(u"acme"_s, u"zhou.lin"_s, u"coach"_s));
    QCOMPARE(s.sessionUser(u"0123456789abcdef"_s), u"li.wei"_s);
    QCOMPARE(s.sessionTenant(u"0123456789abcdef"_s), u"acme"_s);
    QCOMPARE(s.chainHead(u"ws-1"_s, u"acme"_s)->seq, 17);
    QCOMPARE(s.chainHead(u"ws-1"_s, u"acme"_s)->hash, QByteArray("h17"));
    QCOMPARE(s.chainHead(u"ws-1"_s, u"acme"_s)->root, QByteArray()); // not kept then: unknown
    QCOMPARE(s.workspaceFile(u"ws-1"_s), u"/data/w.riskdesk"_s);
    QCOMPARE(s.health(u"abc"_s).verdict, u"clean"_s);
    QCOMPARE(s.health(u"abc"_s).fingerprint, u"fp"_s);
    // A tenant or user named like a placeholder is not substituted twice.
    QCOMPARE(AppSettings::name(K::BoardFilters, {u"%2"_s, u"u"_s, u"b"_s}), u"boards/%2/u/b"_s);
}

void SettingsTest::twoTemporaryInstancesNeverMeet() {
    AppSettings a(file(u"a.ini"_s));
    AppSettings b(file(u"b.ini"_s));
    QVERIFY(a.fileName() != b.fileName());
    a.setBackendUrl(u"postgresql://a/riskdesk"_s);
    a.setChosenBoard(u"acme"_s, u"zhou.lin"_s, 1);
    b.setBackendUrl(u"postgresql://b/riskdesk"_s);
    QCOMPARE(a.backendUrl(), u"postgresql://a/riskdesk"_s);
    QCOMPARE(b.backendUrl(), u"postgresql://b/riskdesk"_s);
    QCOMPARE(b.chosenBoard(u"acme"_s, u"zhou.lin"_s), -1);
    b.clear();
    QCOMPARE(b.backendUrl(), QString());
    QCOMPARE(a.backendUrl(), u"postgresql://a/riskdesk"_s);
    // Nor do they touch the user's settings (the default location).
    QVERIFY(!a.fileName().startsWith(AppSettings().fileName()));
    QVERIFY(a.fileName().startsWith(m_dir->path() + u'/'));
}

void SettingsTest::healthNoteReplacesWhatWasThere() {
    AppSettings s(file(u"health.ini"_s));
    s.setHealth(u"h"_s, {u"damaged"_s, u"fp1"_s, u"page 7"_s, QDateTime::currentDateTimeUtc()});
    s.setHealth(u"h"_s, {u"clean"_s, u"fp2"_s, {}, {}});
    QCOMPARE(s.health(u"h"_s).verdict, u"clean"_s);
    QCOMPARE(s.health(u"h"_s).finding, QString()); // the old finding is gone with the old verdict
    QVERIFY(!s.health(u"h"_s).at.isValid());
    s.forgetHealth(u"h"_s);
    QVERIFY(s.health(u"h"_s).verdict.isEmpty());
}

void SettingsTest::aChangeIsReadAtOnceAndWrittenInOrder() {
    const QString path = file(u"order.ini"_s);
    AppSettings s(path);
    qint64 changes = 0;
    for (int i = 0; i < 200; ++i, ++changes)
        s.setChosenBoard(u"acme"_s, u"user%1"_s.arg(i % 10), i);
    s.setBackendUrl(u"postgresql://first/riskdesk"_s);
    s.remove(K::BackendUrl);
    s.setBackendUrl(u"postgresql://last/riskdesk"_s);
    s.setHealth(u"h"_s, {u"damaged"_s, u"fp1"_s, u"page 7"_s, QDateTime::currentDateTimeUtc()}); // 5 changes
    s.forgetHealth(u"h"_s);
    s.setHealth(u"h"_s, {u"clean"_s, u"fp2"_s, {}, {}}); // 3 changes
    changes += 3 + 5 + 1 + 3;
    // Read at once, before the writer can have written them.
    QCOMPARE(s.chosenBoard(u"acme"_s, u"user3"_s), 193);
    QCOMPARE(s.backendUrl(), u"postgresql://last/riskdesk"_s);
    QCOMPARE(s.health(u"h"_s).verdict, u"clean"_s);
    QCOMPARE(s.health(u"h"_s).finding, QString());

    s.flush();
    const QSettings raw(path, QSettings::IniFormat);
    for (int u = 0; u < 10; ++u)
        QCOMPARE(raw.value(u"boards/acme/user%1/board"_s.arg(u)).toInt(), 190 + u);
    QCOMPARE(raw.value(u"backend/url"_s).toString(), u"postgresql://last/riskdesk"_s);
    QCOMPARE(raw.value(u"workspaceHealth/h/verdict"_s).toString(), u"clean"_s);
    QCOMPARE(raw.value(u"workspaceHealth/h/file"_s).toString(), u"fp2"_s);
    QVERIFY(!raw.contains(u"workspaceHealth/h/finding"_s));
    QVERIFY(!raw.contains(u"workspaceHealth/h/at"_s));
    // Each change was written once; several at a time when they came faster than the disk took them.
    const SettingsFile::WriteCount count = s.file().writeCount();
    QCOMPARE(count.changes, changes);
    QVERIFY(count.writes >= 1 && count.writes <= count.changes);
}

void SettingsTest::whatAnotherProcessWroteIsReadAndKept() {
    const QString path = file(u"shared.ini"_s);
    AppSettings s(path);
    s.setBackendUrl(u"postgresql://here/riskdesk"_s);
    s.flush();
    // Another Riskdesk (or a hand edit) adds to the file.
    {
        QFile edit(path);
        QVERIFY(edit.open(QIODevice::Append));
        QVERIFY(edit.write("\n[boards]\ntrendColors=green-up\n") > 0);
    }
    QCOMPARE(s.trendColors(), u"green-up"_s); // read again: the file changed
    QCOMPARE(s.backendUrl(), u"postgresql://here/riskdesk"_s);
    // This process's next change keeps it: the writer merges with the file, it does not overwrite it.
    s.setChosenBoard(u"acme"_s, u"zhou.lin"_s, 2);
    s.flush();
    const QSettings raw(path, QSettings::IniFormat);
    QCOMPARE(raw.value(u"boards/trendColors"_s).toString(), u"green-up"_s);
    QCOMPARE(raw.value(u"boards/acme/zhou.lin/board"_s).toInt(), 2);
    QCOMPARE(raw.value(u"backend/url"_s).toString(), u"postgresql://here/riskdesk"_s);
}

void SettingsTest::theLastHolderWritesWhatIsPending() {
    const QString path = file(u"quit.ini"_s);
    {
        AppSettings s(path);
        const AppSettings copy = s; // copies share the file
        for (int i = 0; i < 50; ++i)
            s.setWorkspaceFile(u"ws-%1"_s.arg(i), u"/data/%1.riskdesk"_s.arg(i));
        QCOMPARE(copy.workspaceFile(u"ws-49"_s), u"/data/49.riskdesk"_s);
        // No flush: letting go of the last holder (quitting) waits for the writes.
    }
    const QSettings raw(path, QSettings::IniFormat);
    for (int i = 0; i < 50; ++i)
        QCOMPARE(raw.value(u"workspaceFiles/ws-%1"_s.arg(i)).toString(), u"/data/%1.riskdesk"_s.arg(i));
}

void SettingsTest::threadsChangeOneFileTogether() {
    // The GUI, database and sync threads share the user's settings: each sees its own changes at once, and
    // every change of every thread reaches the file.
    const QString path = file(u"threads.ini"_s);
    AppSettings s(path);
    std::atomic<int> misread{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&s, &misread, t] {
            for (int i = 0; i < 200; ++i) {
                const QString id = u"t%1-%2"_s.arg(t).arg(i);
                s.setWorkspaceFile(id, id + u".riskdesk"_s);
                if (s.workspaceFile(id) != id + u".riskdesk"_s)
                    ++misread;
            }
        });
    for (std::thread& t : threads)
        t.join();
    QCOMPARE(misread.load(), 0);
    s.flush();
    const QSettings raw(path, QSettings::IniFormat);
    QCOMPARE(raw.allKeys().size(), 800);
    QCOMPARE(raw.value(u"workspaceFiles/t3-199"_s).toString(), u"t3-199.riskdesk"_s);
}

void SettingsTest::aChangeNeverWaitsForTheFile() {
    // Another process holds the file's write lock (QSettings takes FILE.lock to write): a change written on
    // the caller's thread would wait here until the lock went. A board switch on the GUI thread must not.
    const QString path = file(u"locked.ini"_s);
    AppSettings s(path);
    QLockFile otherProcess(path + u".lock"_s);
    QVERIFY(otherProcess.tryLock(0));
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < 20; ++i) {
        s.setChosenBoard(u"acme"_s, u"zhou.lin"_s, i);
        s.setBoardFilters(u"acme"_s, u"zhou.lin"_s, u"finance"_s, u"{\"n\":%1}"_s.arg(i));
        QCOMPARE(s.chosenBoard(u"acme"_s, u"zhou.lin"_s), i); // and read back at once
    }
    QVERIFY2(t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(s.file().writeCount().writes, 0); // the writer is still waiting for the lock
    otherProcess.unlock();
    s.flush();
    const QSettings raw(path, QSettings::IniFormat);
    QCOMPARE(raw.value(u"boards/acme/zhou.lin/board"_s).toInt(), 19);
    QCOMPARE(raw.value(u"boards/acme/zhou.lin/finance"_s).toString(), u"{\"n\":19}"_s);
}

void SettingsTest::keysAreStoredAsQSettingsStoresThem() {
    QCOMPARE(SettingsFile::normalizedKey(u"/boards//acme/"_s), u"boards/acme"_s);
    QCOMPARE(SettingsFile::normalizedKey(u"a"_s), u"a"_s);
    QCOMPARE(SettingsFile::normalizedKey(u"///"_s), QString());
    // A user name with a slash: what is read back in memory is what the file gives back after a restart.
    const QString path = file(u"slash.ini"_s);
    {
        AppSettings s(path);
        s.setChosenBoard(u"acme"_s, u"north/zhou"_s, 1);
        s.setChosenBoard(u"acme/"_s, u"/zhou"_s, 2);
        QCOMPARE(s.chosenBoard(u"acme"_s, u"north/zhou"_s), 1);
        QCOMPARE(s.chosenBoard(u"acme/"_s, u"/zhou"_s), 2);
    }
    const AppSettings again(path);
    QCOMPARE(again.chosenBoard(u"acme"_s, u"north/zhou"_s), 1);
    QCOMPARE(again.chosenBoard(u"acme/"_s, u"/zhou"_s), 2);
    QCOMPARE(again.chosenBoard(u"acme"_s, u"zhou"_s), 2); // the same key, as QSettings has always read it
}

QTEST_GUILESS_MAIN(SettingsTest)
#include "tst_settings.moc"
