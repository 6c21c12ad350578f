#include "WorkspaceDamageRecord.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>
#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QString keyFor(const QString& path) {
    const QByteArray file = QFileInfo(path).absoluteFilePath().toUtf8();
    return u"damagedWorkspaces/"_s +
           QString::fromLatin1(QCryptographicHash::hash(file, QCryptographicHash::Sha256).toHex().left(24));
}

// Which file the record is about: a restored or replaced file has another size or modification time.
QString fingerprint(const QString& path) {
    const QFileInfo info(path);
    return u"%1:%2"_s.arg(info.size()).arg(info.lastModified().toMSecsSinceEpoch());
}

} // namespace

std::optional<Problem> WorkspaceDamageRecord::recall(const QString& path) {
    QSettings settings;
    const QString key = keyFor(path);
    if (!settings.contains(key + u"/message"_s))
        return std::nullopt;
    if (settings.value(key + u"/file"_s).toString() != fingerprint(path)) {
        settings.remove(key); // the file was replaced since
        return std::nullopt;
    }
    return Problem{u"workspace_damaged"_s, settings.value(key + u"/message"_s).toString(), {}};
}

void WorkspaceDamageRecord::record(const QString& path, const Problem& damage) {
    QSettings settings;
    const QString key = keyFor(path);
    settings.setValue(key + u"/message"_s, damage.message);
    settings.setValue(key + u"/file"_s, fingerprint(path));
}

void WorkspaceDamageRecord::clear(const QString& path) {
    QSettings().remove(keyFor(path));
}

} // namespace riskdesk
