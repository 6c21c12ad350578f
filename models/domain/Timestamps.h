#pragma once

#include <QDateTime>
#include <QString>
#include <optional>

namespace riskdesk::timestamps {

// ISO-8601 in UTC with milliseconds, e.g. 2026-11-23T09:30:00.000Z.
QString toIso(const QDateTime& time);
// Accepts ISO-8601 with Z, an offset, or no zone (read as UTC). Empty or malformed text gives nullopt.
std::optional<QDateTime> fromIso(const QString& text);
// The same, but a time without Z or an offset is refused: what a person files must say which day and hour it
// means, not be read as UTC while the desktop is eight hours ahead.
std::optional<QDateTime> fromIsoWithOffset(const QString& text);

// Storage form: milliseconds since the epoch, UTC.
qint64 toMs(const QDateTime& time);
QDateTime fromMs(qint64 ms);

} // namespace riskdesk::timestamps
