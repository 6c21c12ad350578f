#include "Timestamps.h"

#include <QTimeZone>

namespace riskdesk::timestamps {

QString toIso(const QDateTime& time) {
    if (!time.isValid())
        return {};
    return time.toUTC().toString(Qt::ISODateWithMs);
}

namespace {

// The time as written, its zone Qt::LocalTime when the text names none.
QDateTime parsed(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    QDateTime time = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(trimmed, Qt::ISODate);
    return time;
}

} // namespace

std::optional<QDateTime> fromIso(const QString& text) {
    QDateTime time = parsed(text);
    if (!time.isValid())
        return std::nullopt;
    if (time.timeSpec() == Qt::LocalTime) // no zone given: the reference stores UTC
        time.setTimeZone(QTimeZone::utc());
    return time.toUTC();
}

std::optional<QDateTime> fromIsoWithOffset(const QString& text) {
    const QDateTime time = parsed(text);
    if (!time.isValid() || time.timeSpec() == Qt::LocalTime)
        return std::nullopt;
    return time.toUTC();
}

qint64 toMs(const QDateTime& time) {
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

QDateTime fromMs(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

} // namespace riskdesk::timestamps
