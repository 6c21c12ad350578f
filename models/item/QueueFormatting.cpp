#include "QueueFormatting.h"

#include <QCoreApplication>

namespace riskdesk {

// Spaces inside a duration do not break: a label wrapping "in 20 h" left the unit alone on the next line.
QString QueueFormatting::unbroken(QString text) {
    return text.replace(u' ', QChar::Nbsp);
}

QString QueueFormatting::duration(qint64 ms) {
    const qint64 minutes = ms / 60000;
    if (minutes < 60)
        return unbroken(QueueFormatting::tr("%n min", nullptr, int(std::max<qint64>(minutes, 0))));
    const qint64 hours = minutes / 60;
    if (hours < 48)
        return unbroken(QueueFormatting::tr("%n h", nullptr, int(hours)));
    return unbroken(QueueFormatting::tr("%n d", nullptr, int(hours / 24)));
}

QString QueueFormatting::age(const QDateTime& since, const QDateTime& now) {
    return duration(since.msecsTo(now));
}

QString QueueFormatting::timeToExpiry(const QDateTime& end, const QDateTime& now) {
    const qint64 left = now.msecsTo(end);
    if (left <= 0)
        return QueueFormatting::tr("ended");
    if (left < 60000) // "in 0 min" read as already over (helper-90)
        return unbroken(QueueFormatting::tr("in < 1 min"));
    return unbroken(QueueFormatting::tr("in %1").arg(duration(left)));
}

bool QueueFormatting::expiringSoon(const QDateTime& end, const QDateTime& now) {
    const qint64 left = now.msecsTo(end);
    return left > 0 && left < qint64(kExpiringSoonHours) * 3600 * 1000;
}

QString QueueFormatting::shortHash(const QByteArray& hexHash) {
    return QString::fromLatin1(hexHash.left(12)) + QChar(0x2026);
}

} // namespace riskdesk
