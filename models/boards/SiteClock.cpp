#include "SiteClock.h"

#include <QDateTime>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<SiteClock> SiteClock::make(const QString& zoneId, std::optional<int> cutoffMinutes) {
    const QString id = zoneId.trimmed().isEmpty() ? QString::fromLatin1(kDefaultZone) : zoneId.trimmed();
    QTimeZone zone(id.toUtf8());
    if (!zone.isValid())
        return Problem{
            u"unknown_time_zone"_s,
            tr("The time zone \"%1\" is not known; use an IANA name such as Asia/Shanghai.").arg(id),
            u"time_zone"_s};
    if (cutoffMinutes && (*cutoffMinutes < 0 || *cutoffMinutes >= 24 * 60))
        return Problem{u"bad_cutoff"_s,
                       tr("The business-day cut-off must be a time from 00:00 to 23:59, not %1 minutes.")
                           .arg(*cutoffMinutes),
                       u"business_day_cutoff"_s};
    return SiteClock(std::move(zone), cutoffMinutes);
}

QDate SiteClock::businessDayOf(qint64 utcMs) const {
    // Subtract the cut-off from the local wall-clock time, not from the instant: on a daylight-saving
    // change the two differ, and the business day follows the clock on the wall.
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(utcMs, m_zone);
    const QDateTime wall(local.date(), local.time(), Qt::UTC);
    return wall.addSecs(-qint64(cutoffMinutes()) * 60).date();
}

qint64 SiteClock::startOf(const QDate& businessDay) const {
    const int minutes = cutoffMinutes();
    return QDateTime(businessDay, QTime(minutes / 60, minutes % 60), m_zone).toMSecsSinceEpoch();
}

QString SiteClock::badge() const {
    if (cutoffConfigured())
        return {};
    return tr("No business day configured; calendar days used");
}

QString SiteClock::timeText(const QVariant& utcMs) const {
    if (utcMs.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(utcMs.toLongLong(), m_zone).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

} // namespace riskdesk
