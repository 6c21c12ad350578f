#include "ChainHeadMemory.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
QString keyFor(const QString& workspacePath, const QString& tenantId) {
    const QByteArray id = QCryptographicHash::hash(QFileInfo(workspacePath).absoluteFilePath().toUtf8(),
                                                   QCryptographicHash::Sha1)
                              .toHex()
                              .left(16);
    return u"verifiedChainHeads/%1/%2"_s.arg(QString::fromLatin1(id), tenantId);
}
} // namespace

std::optional<ChainHead> ChainHeadMemory::recall(const QString& workspacePath, const QString& tenantId) {
    QSettings settings;
    const QString key = keyFor(workspacePath, tenantId);
    if (!settings.contains(key + u"/seq"_s))
        return std::nullopt;
    return ChainHead{settings.value(key + u"/seq"_s).toLongLong(), settings.value(key + u"/hash"_s).toByteArray()};
}

void ChainHeadMemory::remember(const QString& workspacePath, const QString& tenantId, const ChainHead& head) {
    QSettings settings;
    const QString key = keyFor(workspacePath, tenantId);
    settings.setValue(key + u"/seq"_s, head.seq);
    settings.setValue(key + u"/hash"_s, head.hash);
}

} // namespace riskdesk
