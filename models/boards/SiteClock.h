#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QDate>
#include <QTimeZone>
#include <QVariant>
#include <optional>

namespace riskdesk {

// A site's time zone and business-day cut-off (spec §2.2): instant t belongs to business day D when the
// local date of t − cut-off is D. Board times are UTC milliseconds; every date on a board is a business day.
class SiteClock {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::SiteClock)

public:
    static constexpr auto kDefaultZone = "Asia/Shanghai";

    // zoneId: an IANA name (empty: the default); cutoffMinutes: minutes after local midnight, 0..1439, or
    // nothing when the site has none configured (calendar days, with a badge saying so).
    static Result<SiteClock> make(const QString& zoneId, std::optional<int> cutoffMinutes);

    QDate businessDayOf(qint64 utcMs) const;
    // The first instant (UTC ms) of a business day; [startOf(D), startOf(D + 1)) is the whole day.
    qint64 startOf(const QDate& businessDay) const;

    const QTimeZone& zone() const { return m_zone; }
    // An instant (UTC ms) as local "yyyy-MM-dd HH:mm:ss" in this site's zone; empty for NULL.
    QString timeText(const QVariant& utcMs) const;
    int cutoffMinutes() const { return m_cutoffMinutes.value_or(0); }
    bool cutoffConfigured() const { return m_cutoffMinutes.has_value(); }
    // The badge a board shows when the site has no cut-off configured; empty when it has one.
    QString badge() const;

private:
    SiteClock(QTimeZone zone, std::optional<int> cutoffMinutes)
        : m_zone(std::move(zone)), m_cutoffMinutes(cutoffMinutes) {}

    QTimeZone m_zone;
    std::optional<int> m_cutoffMinutes;
};

} // namespace riskdesk
