#include "WorkspaceHealthRecord.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QSettings>
#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QString keyFor(const QString& path) {
    const QByteArray file = QFileInfo(path).absoluteFilePath().toUtf8();
    return u"workspaceHealth/"_s +
           QString::fromLatin1(QCryptographicHash::hash(file, QCryptographicHash::Sha256).toHex().left(24));
}

// Which file, in which state: a replaced, restored or edited file differs in one of these. stat() only: the
// file is never opened here, so no lock SQLite holds on it in this process is disturbed.
QString fingerprint(const QString& path) {
    struct stat s {};
    if (::stat(QFile::encodeName(QFileInfo(path).absoluteFilePath()).constData(), &s) != 0)
        return {};
    return u"%1:%2:%3:%4.%5"_s.arg(qulonglong(s.st_dev))
        .arg(qulonglong(s.st_ino))
        .arg(qlonglong(s.st_size))
        .arg(qlonglong(s.st_mtim.tv_sec))
        .arg(qlonglong(s.st_mtim.tv_nsec));
}

} // namespace

WorkspaceHealthRecord::Recalled WorkspaceHealthRecord::recall(const QString& path) {
    QSettings settings;
    const QString key = keyFor(path);
    const QString verdict = settings.value(key + u"/verdict"_s).toString();
    if (verdict.isEmpty() || settings.value(key + u"/file"_s).toString() != fingerprint(path))
        return {}; // never read whole here, or changed since
    if (verdict == u"clean")
        return {Verdict::Clean, std::nullopt};
    const QDateTime when = settings.value(key + u"/at"_s).toDateTime();
    return {
        Verdict::Damaged,
        Problem{
            u"workspace_damaged"_s,
            tr("The workspace %1 was found damaged on %2 (%3). Nothing more is written to it. Restore the "
               "file from a backup, or create a new workspace and sync it from the server; a full check "
               "(riskdesk workspace check --full) that finds no damage clears this.")
                .arg(path, QLocale().toString(when.toLocalTime(), QLocale::ShortFormat),
                     settings.value(key + u"/finding"_s).toString()),
            {}}};
}

void WorkspaceHealthRecord::recordClean(const QString& path) {
    QSettings settings;
    const QString key = keyFor(path);
    settings.remove(key);
    settings.setValue(key + u"/verdict"_s, u"clean"_s);
    settings.setValue(key + u"/file"_s, fingerprint(path));
}

void WorkspaceHealthRecord::recordDamage(const QString& path, const QString& finding) {
    QSettings settings;
    const QString key = keyFor(path);
    settings.setValue(key + u"/verdict"_s, u"damaged"_s);
    settings.setValue(key + u"/file"_s, fingerprint(path));
    settings.setValue(key + u"/finding"_s, finding);
    settings.setValue(key + u"/at"_s, QDateTime::currentDateTimeUtc());
}

void WorkspaceHealthRecord::forget(const QString& path) {
    QSettings().remove(keyFor(path));
}

} // namespace riskdesk
