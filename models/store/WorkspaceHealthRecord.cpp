#include "WorkspaceHealthRecord.h"

#include "domain/TimeText.h"
#include "settings/AppSettings.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <sys/stat.h>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QString keyFor(const QString& path) {
    const QByteArray file = QFileInfo(path).absoluteFilePath().toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(file, QCryptographicHash::Sha256).toHex().left(24));
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

WorkspaceHealthRecord::Recalled WorkspaceHealthRecord::recall(const AppSettings& settings,
                                                              const QString& path) {
    const AppSettings::HealthNote note = settings.health(keyFor(path));
    if (note.verdict.isEmpty() || note.fingerprint != fingerprint(path))
        return {}; // never read whole here, or changed since
    if (note.verdict == u"clean")
        return {Verdict::Clean, std::nullopt};
    const QDateTime when = note.at;
    return {
        Verdict::Damaged,
        Problem{
            u"workspace_damaged"_s,
            tr("The workspace %1 was found damaged on %2 (%3). Nothing more is written to it. Restore the "
               "file from a backup, or create a new workspace and sync it from the server; a full check "
               "(riskdesk workspace check --full) that finds no damage clears this.")
                .arg(path, TimeText::minutes(when), note.finding),
            {}}};
}

void WorkspaceHealthRecord::recordClean(AppSettings& settings, const QString& path) {
    settings.setHealth(keyFor(path), {u"clean"_s, fingerprint(path), {}, {}});
}

void WorkspaceHealthRecord::recordDamage(AppSettings& settings, const QString& path, const QString& finding) {
    settings.setHealth(keyFor(path),
                       {u"damaged"_s, fingerprint(path), finding, QDateTime::currentDateTimeUtc()});
}

void WorkspaceHealthRecord::forget(AppSettings& settings, const QString& path) {
    settings.forgetHealth(keyFor(path));
}

} // namespace riskdesk
