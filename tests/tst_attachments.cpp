// Attachments against a real HTTP(S) server (tests/attachment_server.py, started here), a real workspace
// file for the cache, and the real detail panel for the viewer.
#include "AttachmentView.h"
#include "ExceptionDetailPanel.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "attach/AttachmentCache.h"
#include "attach/AttachmentFetcher.h"
#include "attach/AttachmentMime.h"
#include "attach/AttachmentService.h"
#include "attach/AttachmentText.h"
#include "store/DatabaseThread.h"
#include "store/ExceptionRepository.h"

#include <QBuffer>
#include <QCoro/QCoroTask>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPainter>
#include <QPdfDocument>
#include <QPdfPageNavigator>
#include <QPdfView>
#include <QPdfWriter>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlError>
#include <QSqlQuery>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QStringEncoder>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>
#include <optional>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::TestWorkspace;
using Kind = AttachmentError::Kind;

namespace {

// The test server in a child process; stopped when this goes away.
class TestServer {
public:
    bool start(const QString& root, const QStringList& tls = {}) {
        m_process.setProgram(u"python3"_s);
        m_process.setArguments(
            QStringList{QStringLiteral(RISKDESK_TEST_SOURCE_DIR "/attachment_server.py"), u"--root"_s, root} +
            tls);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        if (!QTest::qWaitFor([this] { return m_process.canReadLine(); }, 10000))
            return false;
        const QByteArray line = m_process.readLine().trimmed();
        m_port = line.startsWith("PORT ") ? line.mid(5).toInt() : 0;
        return m_port > 0;
    }
    void stop() {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    ~TestServer() { stop(); }
    QUrl url(const QString& path, const QString& scheme = u"http"_s) const {
        return QUrl(u"%1://127.0.0.1:%2%3"_s.arg(scheme).arg(m_port).arg(path));
    }

private:
    QProcess m_process;
    int m_port = 0;
};

QByteArray pngBytes() {
    QImage image(320, 200, QImage::Format_RGB32);
    image.fill(QColor(u"#2563eb"_s));
    QPainter(&image).fillRect(40, 40, 100, 60, Qt::white);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray pdfBytes(int pages) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    QPainter painter(&writer);
    for (int p = 0; p < pages; ++p) {
        if (p > 0)
            writer.newPage();
        painter.drawText(200, 200, u"Page %1"_s.arg(p + 1));
    }
    painter.end();
    return bytes;
}

const QString kChinese = u"差旅报销说明：行程经南京中转，附酒店发票。\n金额,币种\n1280.50,人民币\n"_s;

} // namespace

// A detail panel fetching attachments for a small demo workspace, opened on its database thread.
struct PanelOnAWorkspace {
    TestWorkspace ws{40, 7, QDateTime::currentDateTimeUtc()};
    DatabaseThread db{riskdesk::test::settings()};
    bool opened = [this] {
        auto open = db.open(ws.path());
        open.waitForFinished();
        return open.result().ok();
    }();
    AttachmentService service{&db, riskdesk::test::settings()};
    ExceptionDetailPanel panel;
    PanelOnAWorkspace() { panel.setAttachmentService(&service); }
};

class AttachmentsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void redirectRule();
    void fetchesImageTypedByItsBytes();
    void fetchesPdf();
    void decodesGb18030AndUtf8Text();
    void decodesUtf16WithAndWithoutItsMark();
    void refusesTooLargeByContentLength();
    void refusesTooLargeWhileReceiving();
    void transferTimeout();
    void connectTimeout();
    void notFound();
    void networkFailure();
    void cancel();
    void selfSignedTlsIsAnError();
    void redirectFromHttpsToHttpRefused();
    void redirectWithinHttpFollowed();
    void everyFailureSaysWhatHappened();
    void sameBytesStoredOnce();
    void readsOfflineAfterServerIsGone();
    void evictionSparesPendingExceptions();
    void prefetchIsBounded();
    void serviceGoneMidFetchEndsTheFetch();
    void panelShowsImageAndText();
    void theFileListIsAsTallAsItsFiles();
    void panelShowsFailureWithRetry();
    void panelFitsANarrowWindow();

private:
    AttachmentResult fetch(const QUrl& url, AttachmentFetchLimits limits = {},
                           AttachmentFetchControl* control = nullptr) {
        QNetworkAccessManager network;
        return QCoro::waitFor(AttachmentFetcher::fetch(&network, url, limits, control));
    }

    QTemporaryDir m_dir;
    TestServer m_server;
    QByteArray m_png;
    QByteArray m_pdf;
    QByteArray m_gb18030;
};

void AttachmentsTest::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_png = pngBytes();
    m_pdf = pdfBytes(3);
    QStringEncoder gb("GB18030");
    QVERIFY2(gb.isValid(), "this Qt cannot encode GB18030 (no ICU)");
    m_gb18030 = gb.encode(kChinese);
    QVERIFY(!gb.hasError());
    const QList<std::pair<QString, QByteArray>> files{
        {u"scan.png"_s, m_png},         {u"ticket.pdf"_s, m_pdf},
        {u"notes-gb.txt"_s, m_gb18030}, {u"notes-utf8.csv"_s, kChinese.toUtf8()},
        {u"copy-of-scan.png"_s, m_png}, {u"blob.bin"_s, QByteArray(4096, '\x01')}};
    for (const auto& [name, bytes] : files) {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(bytes), bytes.size());
    }
    QVERIFY(m_server.start(m_dir.path()));
}

void AttachmentsTest::redirectRule() {
    QVERIFY(AttachmentFetcher::redirectAllowed(u"http"_s, u"http"_s));
    QVERIFY(AttachmentFetcher::redirectAllowed(u"http"_s, u"https"_s));
    QVERIFY(AttachmentFetcher::redirectAllowed(u"https"_s, u"HTTPS"_s));
    QVERIFY(!AttachmentFetcher::redirectAllowed(u"https"_s, u"http"_s));
    QVERIFY(!AttachmentFetcher::redirectAllowed(u"https"_s, u"ftp"_s));
    QVERIFY(!AttachmentFetcher::redirectAllowed(u"http"_s, u"file"_s));
}

void AttachmentsTest::fetchesImageTypedByItsBytes() {
    // The server calls it application/octet-stream: the type comes from the bytes.
    const AttachmentResult r = fetch(m_server.url(u"/files/scan.png"_s));
    QVERIFY2(r.ok(), qPrintable(r.error.message()));
    QCOMPARE(r.content.mimeType, u"image/png"_s);
    QCOMPARE(r.content.bytes, m_png);
    QCOMPARE(r.content.fileName, u"scan.png"_s);
    QCOMPARE(r.content.sha256, QCryptographicHash::hash(m_png, QCryptographicHash::Sha256).toHex());
    // And a header that lies about the bytes does not win either.
    const AttachmentResult lying = fetch(m_server.url(u"/files/scan.png?type=application/pdf"_s));
    QCOMPARE(lying.content.mimeType, u"image/png"_s);
}

void AttachmentsTest::fetchesPdf() {
    const AttachmentResult r = fetch(m_server.url(u"/files/ticket.pdf"_s));
    QVERIFY2(r.ok(), qPrintable(r.error.message()));
    QCOMPARE(r.content.mimeType, u"application/pdf"_s);
    QCOMPARE(r.content.bytes, m_pdf);
}

void AttachmentsTest::decodesGb18030AndUtf8Text() {
    const AttachmentResult gb = fetch(m_server.url(u"/files/notes-gb.txt?type=text/plain"_s));
    QVERIFY2(gb.ok(), qPrintable(gb.error.message()));
    QVERIFY(AttachmentText::isText(gb.content.mimeType));
    const AttachmentText::Decoded d = AttachmentText::decode(gb.content.bytes);
    QCOMPARE(d.encoding, AttachmentText::Encoding::Gb18030);
    QCOMPARE(d.text, kChinese);
    QVERIFY(d.clean);

    const AttachmentResult utf8 = fetch(m_server.url(u"/files/notes-utf8.csv"_s));
    QVERIFY2(utf8.ok(), qPrintable(utf8.error.message()));
    QCOMPARE(utf8.content.mimeType, u"text/csv"_s); // text by its bytes, CSV by its name
    const AttachmentText::Decoded u = AttachmentText::decode(utf8.content.bytes);
    QCOMPARE(u.encoding, AttachmentText::Encoding::Utf8);
    QCOMPARE(u.text, kChinese);
    // A byte-order mark is not part of the text.
    QCOMPARE(AttachmentText::decode("\xEF\xBB\xBF" + kChinese.toUtf8()).text, kChinese);
}

// Notepad's "Unicode" is UTF-16 with a byte-order mark; other Windows tools write it without one. Both were
// read as GB18030 and shown as a page of wrong characters (or as binary, for the mark-less kind).
void AttachmentsTest::decodesUtf16WithAndWithoutItsMark() {
    const QString text = u"Claim 42: 发票缺失\r\nAmount 440.00 CNY\r\n"_s;
    QStringEncoder le(QStringEncoder::Utf16LE), be(QStringEncoder::Utf16BE);
    const QByteArray leBytes = le.encode(text), beBytes = be.encode(text);
    QVERIFY(!leBytes.startsWith("\xFF\xFE") && leBytes.size() == text.size() * 2);
    const struct {
        QByteArray bytes;
        AttachmentText::Encoding encoding;
    } cases[] = {{"\xFF\xFE" + leBytes, AttachmentText::Encoding::Utf16Le},
                 {"\xFE\xFF" + beBytes, AttachmentText::Encoding::Utf16Be},
                 {leBytes, AttachmentText::Encoding::Utf16Le},
                 {beBytes, AttachmentText::Encoding::Utf16Be}};
    for (const auto& c : cases) {
        const AttachmentText::Decoded d = AttachmentText::decode(c.bytes);
        QCOMPARE(d.text, text); // the mark is not part of the text
        QCOMPARE(d.encoding, c.encoding);
        QVERIFY(d.clean);
        QVERIFY(AttachmentText::readsAsText(c.bytes));
        // Shown as text, named .txt: with the mark by the bytes alone, without it by the name and the bytes.
        QCOMPARE(AttachmentMime::detect(c.bytes, {}, u"notes.txt"_s), u"text/plain"_s);
    }
    QCOMPARE(AttachmentText::encodingName(AttachmentText::Encoding::Utf16Le), u"UTF-16LE"_s);
    // UTF-8 and GB18030 have no zero bytes: they are not taken for UTF-16, whatever their length.
    QCOMPARE(AttachmentText::decode(text.toUtf8()).encoding, AttachmentText::Encoding::Utf8);
    QCOMPARE(AttachmentText::decode("ab").encoding, AttachmentText::Encoding::Utf8);
    // Binary bytes with zeros here and there are no text, named .txt or not.
    QByteArray binary;
    for (int i = 0; i < 512; ++i)
        binary.append(char(i * 37 % 256)).append(char(i % 7 == 0 ? 0 : i % 251));
    QVERIFY(AttachmentMime::detect(binary, {}, u"notes.txt"_s) != u"text/plain"_s);
}

void AttachmentsTest::refusesTooLargeByContentLength() {
    const AttachmentResult r = fetch(m_server.url(u"/big"_s)); // 60 MB announced, the default 50 MB limit
    QCOMPARE(r.error.kind(), Kind::TooLarge);
    QVERIFY(r.content.bytes.isEmpty());
    QVERIFY2(r.bytesReceived < 1024 * 1024, qPrintable(QString::number(r.bytesReceived)));
}

void AttachmentsTest::refusesTooLargeWhileReceiving() {
    // No Content-Length: the limit stops the transfer as soon as the bytes received pass it.
    const AttachmentResult r = fetch(m_server.url(u"/big-unannounced"_s));
    QCOMPARE(r.error.kind(), Kind::TooLarge);
    QVERIFY(r.bytesReceived > AttachmentFetchLimits::kDefaultMaxBytes);
    QVERIFY2(r.bytesReceived < AttachmentFetchLimits::kDefaultMaxBytes + 2 * 1024 * 1024,
             qPrintable(QString::number(r.bytesReceived)));
}

void AttachmentsTest::transferTimeout() {
    AttachmentFetchLimits limits;
    limits.transferTimeoutMs = 400;
    QElapsedTimer clock;
    clock.start();
    const AttachmentResult r = fetch(m_server.url(u"/slow"_s), limits);
    QCOMPARE(r.error.kind(), Kind::TransferTimeout);
    QCOMPARE(r.bytesReceived, 10);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

void AttachmentsTest::connectTimeout() {
    AttachmentFetchLimits limits;
    limits.connectTimeoutMs = 400;
    QElapsedTimer clock;
    clock.start();
    const AttachmentResult r = fetch(m_server.url(u"/silent"_s), limits);
    QCOMPARE(r.error.kind(), Kind::ConnectTimeout);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

void AttachmentsTest::notFound() {
    const AttachmentResult r = fetch(m_server.url(u"/files/nothing-here.pdf"_s));
    QCOMPARE(r.error.kind(), Kind::HttpStatus);
    QCOMPARE(r.error.httpStatus(), 404);
    QVERIFY(r.error.message().contains(u"404"_s));
    QVERIFY(r.content.bytes.isEmpty());
}

void AttachmentsTest::networkFailure() {
    QTcpServer closed; // a port nobody listens on any more
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    const AttachmentResult r = fetch(QUrl(u"http://127.0.0.1:%1/x.png"_s.arg(port)));
    QCOMPARE(r.error.kind(), Kind::Network);
    const AttachmentResult bad = fetch(QUrl(u"file:///etc/passwd"_s));
    QCOMPARE(bad.error.kind(), Kind::BadAddress);
}

void AttachmentsTest::cancel() {
    AttachmentFetchControl control;
    QList<qint64> seen;
    connect(&control, &AttachmentFetchControl::progress, &control, [&](qint64 received, qint64 total) {
        seen << received;
        QCOMPARE(total, 1000);
        control.cancel(); // as the viewer's Cancel button does
    });
    const AttachmentResult r = fetch(m_server.url(u"/slow"_s), {}, &control);
    QCOMPARE(r.error.kind(), Kind::Cancelled);
    QVERIFY(!seen.isEmpty());
}

// A self-signed certificate for 127.0.0.1 in `dir`, made once for the tests that need one.
static bool makeCertificate(const QTemporaryDir& dir) {
    const QString cert = dir.filePath(u"cert.pem"_s), key = dir.filePath(u"key.pem"_s);
    if (QFile::exists(cert))
        return true;
    QProcess openssl;
    openssl.setStandardOutputFile(QProcess::nullDevice());
    openssl.setStandardErrorFile(QProcess::nullDevice());
    openssl.start(u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s,
                                 u"2"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s,
                                 u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s, key, u"-out"_s, cert});
    return openssl.waitForFinished(60000) && openssl.exitStatus() == QProcess::NormalExit &&
           openssl.exitCode() == 0;
}

void AttachmentsTest::selfSignedTlsIsAnError() {
    const QString cert = m_dir.filePath(u"cert.pem"_s), key = m_dir.filePath(u"key.pem"_s);
    QVERIFY(makeCertificate(m_dir));
    TestServer tls;
    QVERIFY(tls.start(m_dir.path(), {u"--cert"_s, cert, u"--key"_s, key}));
    const AttachmentResult r = fetch(tls.url(u"/files/scan.png"_s, u"https"_s));
    QCOMPARE(r.error.kind(), Kind::Tls);
    QVERIFY(r.content.bytes.isEmpty());
    QVERIFY2(r.error.message().contains(u"self signed"_s, Qt::CaseInsensitive) ||
                 r.error.message().contains(u"self-signed"_s, Qt::CaseInsensitive),
             qPrintable(r.error.message()));
}

void AttachmentsTest::redirectFromHttpsToHttpRefused() {
    const QString cert = m_dir.filePath(u"cert.pem"_s), key = m_dir.filePath(u"key.pem"_s);
    QVERIFY(makeCertificate(m_dir)); // also when run on its own
    // Trust the test's certificate (as an organisation's CA would be), so the TLS part succeeds.
    const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
    QSslConfiguration trusting = saved;
    trusting.addCaCertificates(cert);
    QSslConfiguration::setDefaultConfiguration(trusting);
    TestServer tls;
    QVERIFY(tls.start(m_dir.path(), {u"--cert"_s, cert, u"--key"_s, key}));
    const AttachmentResult direct = fetch(tls.url(u"/files/scan.png"_s, u"https"_s));
    QVERIFY2(direct.ok(), qPrintable(direct.error.message()));
    const QUrl plain = m_server.url(u"/files/scan.png"_s);
    const AttachmentResult r = fetch(tls.url(
        u"/redirect?to="_s + QString::fromLatin1(QUrl::toPercentEncoding(plain.toString())), u"https"_s));
    QSslConfiguration::setDefaultConfiguration(saved);
    QCOMPARE(r.error.kind(), Kind::InsecureRedirect);
    QVERIFY(r.content.bytes.isEmpty());
    QVERIFY(r.error.message().contains(u"http://127.0.0.1"_s));
}

void AttachmentsTest::redirectWithinHttpFollowed() {
    const QUrl target = m_server.url(u"/files/ticket.pdf"_s);
    const AttachmentResult r = fetch(
        m_server.url(u"/redirect?to="_s + QString::fromLatin1(QUrl::toPercentEncoding(target.toString()))));
    QVERIFY2(r.ok(), qPrintable(r.error.message()));
    QCOMPARE(r.content.bytes, m_pdf);
}

void AttachmentsTest::everyFailureSaysWhatHappened() {
    QSet<QString> messages;
    for (Kind k : {Kind::BadAddress, Kind::ConnectTimeout, Kind::TransferTimeout, Kind::TooLarge,
                   Kind::InsecureRedirect, Kind::TooManyRedirects, Kind::Tls, Kind::HttpStatus, Kind::Network,
                   Kind::Cancelled, Kind::NotCached, Kind::Storage})
        messages.insert(AttachmentError(k, {}, 500).message());
    QCOMPARE(messages.size(), 12);
    QVERIFY(!messages.contains(QString()));
}

void AttachmentsTest::sameBytesStoredOnce() {
    TestWorkspace ws;
    AttachmentCache cache(ws.db());
    const AttachmentResult a = fetch(m_server.url(u"/files/scan.png"_s));
    const AttachmentResult b = fetch(m_server.url(u"/files/copy-of-scan.png"_s));
    QVERIFY(a.ok() && b.ok());
    const qint64 cap = 100 * 1024 * 1024;
    QVERIFY(cache.keep(a.content.url.toString(), a.content, 1000, cap).ok());
    QVERIFY(cache.keep(b.content.url.toString(), b.content, 2000, cap).ok());
    QCOMPARE(cache.blobCount().value(), 1);
    QCOMPARE(cache.storedBytes().value(), m_png.size());
    const auto read = cache.read(b.content.url.toString(), 3000);
    QVERIFY(read.ok() && read.value());
    QCOMPARE(read.value()->bytes, m_png);
    QCOMPARE(read.value()->fileName, u"copy-of-scan.png"_s);
    QVERIFY(read.value()->fromCache);
    QVERIFY(!cache.read(u"https://nowhere.example/x.png"_s, 3000).value());
}

void AttachmentsTest::readsOfflineAfterServerIsGone() {
    TestWorkspace ws;
    TestServer server;
    QVERIFY(server.start(m_dir.path()));
    DatabaseThread db(riskdesk::test::settings());
    auto opened = db.open(ws.path());
    opened.waitForFinished();
    QVERIFY(opened.result().ok());
    AttachmentService service(&db, riskdesk::test::settings());
    const QString url = server.url(u"/files/notes-gb.txt"_s).toString();
    const AttachmentResult online = QCoro::waitFor(service.load(url, nullptr));
    QVERIFY2(online.ok(), qPrintable(online.error.message()));
    QVERIFY(!online.content.fromCache);
    server.stop();
    const AttachmentResult refetched = QCoro::waitFor(service.load(url, nullptr, true));
    QCOMPARE(refetched.error.kind(), Kind::Network); // the server really is gone
    const AttachmentResult offline = QCoro::waitFor(service.load(url, nullptr));
    QVERIFY2(offline.ok(), qPrintable(offline.error.message()));
    QVERIFY(offline.content.fromCache);
    QCOMPARE(offline.content.bytes, m_gb18030);
    QCOMPARE(offline.content.mimeType, online.content.mimeType);
}

void AttachmentsTest::evictionSparesPendingExceptions() {
    TestWorkspace ws(40);
    AttachmentCache cache(ws.db());
    // The demo's own files are filed with its requests and never evicted: the figures below are beyond them.
    const qint64 demoBytes = cache.storedBytes().value();
    const qint64 demoBlobs = cache.blobCount().value();
    QVERIFY(demoBlobs > 0 && demoBytes > 0);
    QVERIFY(cache.evictBeyond(0).ok());
    QCOMPARE(cache.blobCount().value(), demoBlobs);
    // Three attachments of 4 KB, used in this order; the oldest is named by a pending exception.
    QStringList urls;
    for (int i = 0; i < 3; ++i) {
        AttachmentContent c;
        c.url = QUrl(u"https://files.example.com/a%1.bin"_s.arg(i));
        c.fileName = c.url.fileName();
        c.mimeType = u"application/octet-stream"_s;
        c.bytes = QByteArray(4096, char('a' + i));
        c.sha256 = QCryptographicHash::hash(c.bytes, QCryptographicHash::Sha256).toHex();
        urls << c.url.toString();
        QVERIFY(cache.keep(urls.last(), c, 1000 * (i + 1), 1024 * 1024).ok());
    }
    QSqlQuery q(ws.db());
    q.prepare(u"UPDATE exceptions SET attachment_url = ? WHERE record_id = (SELECT record_id FROM exceptions "
              "WHERE status = 'pending' ORDER BY record_id LIMIT 1)"_s);
    q.addBindValue(urls.at(0));
    QVERIFY(q.exec());
    QCOMPARE(q.numRowsAffected(), 1);
    // Room for two: the least recently used one that no pending exception names goes (a1), not a0.
    QCOMPARE(cache.evictBeyond(demoBytes + 2 * 4096).value(), 4096);
    QVERIFY(cache.read(urls.at(0), 5000).value());
    QVERIFY(!cache.read(urls.at(1), 5000).value());
    QVERIFY(cache.read(urls.at(2), 5000).value());
    // Room for none: the pending exception's attachment still stays.
    QVERIFY(cache.evictBeyond(0).ok());
    QVERIFY(cache.read(urls.at(0), 6000).value());
    QVERIFY(!cache.read(urls.at(2), 6000).value());
    QCOMPARE(cache.blobCount().value(), demoBlobs + 1);
    // Once decided, it may go too.
    QVERIFY(
        q.exec(u"UPDATE exceptions SET attachment_url = NULL WHERE attachment_url = '%1'"_s.arg(urls.at(0))));
    QVERIFY(cache.evictBeyond(0).ok());
    QCOMPARE(cache.blobCount().value(), demoBlobs);
}

void AttachmentsTest::prefetchIsBounded() {
    TestWorkspace ws;
    DatabaseThread db(riskdesk::test::settings());
    auto opened = db.open(ws.path());
    opened.waitForFinished();
    QVERIFY(opened.result().ok());
    AttachmentService service(&db, riskdesk::test::settings());
    QStringList urls;
    for (const QString& name : {u"scan.png"_s, u"ticket.pdf"_s, u"notes-gb.txt"_s, u"notes-utf8.csv"_s,
                                u"copy-of-scan.png"_s, u"blob.bin"_s})
        urls << m_server.url(u"/files/"_s + name).toString();
    QSignalSpy idle(&service, &AttachmentService::prefetchIdle);
    int most = 0;
    QTimer watch;
    connect(&watch, &QTimer::timeout, &service, [&] { most = std::max(most, service.prefetchesRunning()); });
    watch.start(1);
    service.prefetch(urls);
    most = std::max(most, service.prefetchesRunning());
    QCOMPARE(most, AttachmentService::kPrefetchConcurrency);
    QVERIFY(idle.wait(20000));
    QVERIFY(most <= AttachmentService::kPrefetchConcurrency);
    auto blobs = db.run([](Workspace& w) { return AttachmentCache(w.db()).blobCount(); });
    blobs.waitForFinished();
    QCOMPARE(blobs.result().value(), 5); // six addresses, two with the same bytes
}

void AttachmentsTest::serviceGoneMidFetchEndsTheFetch() {
    // The window closes while an attachment is still coming: the fetch ends, nothing waits forever.
    auto service = std::make_unique<AttachmentService>(nullptr, riskdesk::test::settings());
    QObject receiver;
    std::optional<Kind> ended;
    QCoro::connect(service->load(m_server.url(u"/silent"_s).toString(), nullptr), &receiver,
                   [&](const AttachmentResult& r) { ended = r.error.kind(); });
    QTest::qWait(300);
    QVERIFY(!ended);
    service.reset();
    QTRY_VERIFY(ended.has_value());
    QCOMPARE(*ended, Kind::Cancelled);
}

// A request's list of files is as tall as its files, up to six (helper-80: one file sat in a box of empty
// rows that scrolled inside the panel).
void AttachmentsTest::theFileListIsAsTallAsItsFiles() {
    PanelOnAWorkspace fixture;
    QVERIFY(fixture.opened);
    ExceptionDetailPanel& panel = fixture.panel;
    panel.resize(600, 900);
    panel.show();
    QSqlQuery q(fixture.ws.db());
    QVERIFY(q.exec(u"SELECT tenant_id, record_id FROM exceptions ORDER BY record_id LIMIT 1"_s));
    QVERIFY(q.next());
    RiskException e =
        ExceptionRepository(fixture.ws.db()).get(q.value(0).toString(), q.value(1).toString()).value();
    e.attachmentUrl = m_server.url(u"/files/scan.png"_s).toString();
    panel.showException(e, std::nullopt);
    const auto files = [this](int n) {
        QList<AttachmentContent> out;
        for (int i = 0; i < n; ++i)
            out << AttachmentContent{m_server.url(u"/files/scan.png?n=%1"_s.arg(i)),
                                     u"scan-%1-%2.png"_s.arg(i).arg(QString(120, u'x')),
                                     u"image/png"_s,
                                     {},
                                     {},
                                     1024,
                                     false};
        return out;
    };
    auto* list = panel.findChild<QListWidget*>(u"detailAttachmentFiles"_s);
    QVERIFY(list);
    for (const auto& [n, shown] : {std::pair{1, 1}, std::pair{3, 3}, std::pair{8, 6}}) {
        panel.showAttachments(files(n));
        QCOMPARE(list->count(), n);
        QVERIFY(list->isVisible());
        // Every row shown in full height up to six, no empty row under the last, nothing wider than the list.
        QTRY_COMPARE(list->verticalScrollBar()->maximum() > 0, n > 6);
        QVERIFY(!list->horizontalScrollBar()->isVisible());
        const QRect last = list->visualItemRect(list->item(shown - 1));
        QVERIFY2(last.bottom() < list->viewport()->height() &&
                     list->viewport()->height() - last.bottom() <= list->sizeHintForRow(0) / 2,
                 qPrintable(u"%1 rows shown, the last ends at %2 of %3"_s.arg(shown)
                                .arg(last.bottom())
                                .arg(list->viewport()->height())));
        QTRY_VERIFY(list->visualItemRect(list->item(0)).width() <= list->viewport()->width());
        QVERIFY2(list->item(0)->text().contains(u"…"_s), qPrintable(list->item(0)->text()));
        QVERIFY(list->item(0)->text().endsWith(u"KiB"_s)); // shortened in the middle: the size stays
        QVERIFY(list->item(0)->data(Qt::AccessibleTextRole).toString().contains(QString(120, u'x')));
    }
}

void AttachmentsTest::panelShowsImageAndText() {
    PanelOnAWorkspace fixture;
    QVERIFY(fixture.opened);
    ExceptionDetailPanel& panel = fixture.panel;
    TestWorkspace& ws = fixture.ws;
    panel.resize(600, 900);
    panel.show();
    AttachmentView* view = panel.attachmentView();
    QSignalSpy settled(view, &AttachmentView::settled);

    QList<RiskException> shown;
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"SELECT tenant_id, record_id FROM exceptions ORDER BY record_id LIMIT 5"_s));
    while (q.next())
        shown << ExceptionRepository(ws.db()).get(q.value(0).toString(), q.value(1).toString()).value();
    QVERIFY(!q.lastError().isValid());
    QCOMPARE(shown.size(), 5);
    RiskException e = shown.at(0);
    e.attachmentUrl = m_server.url(u"/files/scan.png"_s).toString();
    panel.showException(e, std::nullopt);
    QVERIFY(settled.wait(10000));
    QCOMPARE(view->mode(), AttachmentView::Mode::Image);
    auto* image = view->findChild<QLabel*>(u"attachmentImage"_s);
    QVERIFY(image->isVisible());
    QVERIFY(qAbs(image->pixmap().width() - qRound(320 * view->zoom())) <= 1);
    const double fitted = view->zoom();
    view->findChild<QAbstractButton*>(u"attachmentZoomIn"_s)->click();
    QCOMPARE(view->zoom(), fitted * 1.25);
    QVERIFY(qAbs(image->pixmap().width() - qRound(320 * view->zoom())) <= 1);

    e = shown.at(1);
    e.attachmentUrl = m_server.url(u"/files/notes-gb.txt?type=text/plain"_s).toString();
    panel.showException(e, std::nullopt);
    QVERIFY(settled.wait(10000));
    QCOMPARE(view->mode(), AttachmentView::Mode::Text);
    auto* text = view->findChild<QPlainTextEdit*>(u"attachmentText"_s);
    QVERIFY(text->isVisible());
    QVERIFY(text->isReadOnly());
    QCOMPARE(text->toPlainText(), kChinese);
    QVERIFY(view->findChild<QLabel*>(u"attachmentCaption"_s)->text().contains(u"GB18030"_s));

    e = shown.at(2);
    e.attachmentUrl = m_server.url(u"/files/ticket.pdf"_s).toString();
    panel.showException(e, std::nullopt);
    QVERIFY(settled.wait(10000));
    QCOMPARE(view->mode(), AttachmentView::Mode::Pdf);
    auto* page = view->findChild<QSpinBox*>(u"attachmentPdfPage"_s);
    QCOMPARE(page->maximum(), 3);
    QCOMPARE(page->value(), 1);
    page->setValue(3);
    QTRY_COMPARE(view->findChild<QPdfView*>(u"attachmentPdf"_s)->pageNavigator()->currentPage(), 2);

    e = shown.at(3);
    e.attachmentUrl = m_server.url(u"/files/blob.bin"_s).toString();
    panel.showException(e, std::nullopt);
    QVERIFY(settled.wait(10000));
    QCOMPARE(view->mode(), AttachmentView::Mode::Other);
    QVERIFY(view->findChild<QPushButton*>(u"attachmentOpenWith"_s)->isVisible());
    QVERIFY(view->findChild<QLabel*>(u"attachmentOther"_s)->text().contains(u"blob.bin"_s));

    e = shown.at(4);
    e.attachmentUrl.clear();
    panel.showException(e, std::nullopt);
    QCOMPARE(view->mode(), AttachmentView::Mode::Empty);
}

void AttachmentsTest::panelShowsFailureWithRetry() {
    AttachmentService service(nullptr, riskdesk::test::settings()); // no workspace: straight to the network
    AttachmentView view;
    view.setService(&service);
    view.resize(500, 400);
    view.show();
    QSignalSpy settled(&view, &AttachmentView::settled);
    view.showAttachment(m_server.url(u"/files/later.png"_s).toString());
    QCOMPARE(view.mode(), AttachmentView::Mode::Loading);
    QVERIFY(view.findChild<QPushButton*>(u"attachmentCancel"_s)->isVisible());
    QVERIFY(settled.wait(10000));
    QCOMPARE(view.mode(), AttachmentView::Mode::Failed);
    QVERIFY(view.findChild<QLabel*>(u"attachmentFailure"_s)->text().contains(u"404"_s));
    // The file appears on the server; Retry shows it.
    QVERIFY(QFile::copy(m_dir.filePath(u"scan.png"_s), m_dir.filePath(u"later.png"_s)));
    view.findChild<QPushButton*>(u"attachmentRetry"_s)->click();
    QVERIFY(settled.wait(10000));
    QCOMPARE(view.mode(), AttachmentView::Mode::Image);
    QFile::remove(m_dir.filePath(u"later.png"_s));
}

// At the width a small window leaves the detail panel, every kind of attachment (and none) fits it: no
// sideways scroll bar that hides the end of each field's value.
void AttachmentsTest::panelFitsANarrowWindow() {
    PanelOnAWorkspace fixture;
    QVERIFY(fixture.opened);
    ExceptionDetailPanel& panel = fixture.panel;
    TestWorkspace& ws = fixture.ws;
    panel.resize(280, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* scroll = panel.findChild<QScrollArea*>(u"detailScroll"_s);
    QVERIFY(scroll);
    QSignalSpy settled(panel.attachmentView(), &AttachmentView::settled);
    QSqlQuery q(ws.db());
    QVERIFY(q.exec(u"SELECT tenant_id, record_id FROM exceptions ORDER BY record_id LIMIT 1"_s));
    QVERIFY(q.next());
    RiskException e = ExceptionRepository(ws.db()).get(q.value(0).toString(), q.value(1).toString()).value();
    const QList<std::pair<QString, AttachmentView::Mode>> cases{
        {QString(), AttachmentView::Mode::Empty},
        {u"/files/scan.png"_s, AttachmentView::Mode::Image},
        {u"/files/ticket.pdf"_s, AttachmentView::Mode::Pdf},
        {u"/files/notes-gb.txt?type=text/plain"_s, AttachmentView::Mode::Text},
        {u"/files/blob.bin"_s, AttachmentView::Mode::Other},
        {u"/files/missing.png"_s, AttachmentView::Mode::Failed},
    };
    for (const auto& [path, mode] : cases) {
        e.attachmentUrl = path.isEmpty() ? QString() : m_server.url(path).toString();
        panel.showException(e, std::nullopt);
        if (!path.isEmpty())
            QVERIFY(settled.wait(10000));
        QCOMPARE(panel.attachmentView()->mode(), mode);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents();
        QVERIFY2(scroll->widget()->minimumSizeHint().width() <= scroll->viewport()->width(),
                 qPrintable(u"%1: the panel's fields need %2 px, the panel shows %3"_s.arg(
                     path, QString::number(scroll->widget()->minimumSizeHint().width()),
                     QString::number(scroll->viewport()->width()))));
        QCOMPARE(scroll->horizontalScrollBar()->maximum(), 0);
    }
}

QTEST_MAIN(AttachmentsTest)
#include "tst_attachments.moc"
