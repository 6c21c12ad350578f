#include "CustomerVisitHeatmap.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<WeekdayHourTable::Grid> CustomerVisitHeatmap::read(QSqlDatabase db, const QString& tenant,
                                                          const QString& site, const BoardPeriod& window,
                                                          const SiteClock& clock) {
    // Grouped in SQL with the zone's offset on the window's last day (a site's zone rarely changes offset
    // within 60 days; Asia/Shanghai never does). 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays.
    const qint64 offset = clock.zone().offsetFromUtc(QDateTime(window.to(), QTime(12, 0), clock.zone()));
    QSqlQuery q(db);
    // A whole number of quarter hours (every zone in use): the site's quarter-hour counts (migration 031),
    // each wholly inside one local hour, give the same grid as the logs at a few thousand rows. Otherwise the
    // logs.
    if (offset % 900 == 0)
        q.prepare(u"SELECT ((quarter * 900 + :off) / 86400 + 3) % 7 AS wd,"
                  " ((quarter * 900 + :off) % 86400) / 3600 AS hr, SUM(log_count)"
                  " FROM bd_sl_site_quarter WHERE tenant_id = :t AND site_id = :s"
                  " AND biz_date BETWEEN :from AND :to GROUP BY wd, hr"_s);
    else
        q.prepare(u"SELECT ((create_time / 1000 + :off) / 86400 + 3) % 7 AS wd,"
                  " ((create_time / 1000 + :off) % 86400) / 3600 AS hr, COUNT(*)"
                  " FROM bd_assistant_service_log WHERE tenant_id = :t AND site_id = :s AND is_delete = 0"
                  " AND biz_date BETWEEN :from AND :to GROUP BY wd, hr"_s);
    q.bindValue(u":off"_s, offset);
    q.bindValue(u":t"_s, tenant);
    q.bindValue(u":s"_s, site);
    q.bindValue(u":from"_s, window.from().toString(Qt::ISODate));
    q.bindValue(u":to"_s, window.to().toString(Qt::ISODate));
    const auto failed = [&q] {
        return Problem{u"database_error"_s,
                       tr("Reading the visits by weekday and hour: %1").arg(q.lastError().text()),
                       {}};
    };
    if (!q.exec())
        return failed();
    WeekdayHourTable::Grid grid{};
    while (q.next()) {
        const int d = q.value(0).toInt(), h = q.value(1).toInt();
        if (d >= 0 && d < 7 && h >= 0 && h < 24)
            grid[size_t(d)][size_t(h)] += q.value(2).toLongLong();
    }
    if (q.lastError().isValid())
        return failed();
    return grid;
}

BoardTable CustomerVisitHeatmap::table(const std::optional<WeekdayHourTable::Grid>& grid,
                                       const BoardPeriod& window, const QLocale& locale) {
    BoardTable t =
        WeekdayHourTable::make(u"visits_heatmap"_s, tr("Visits by weekday and hour"), grid, locale);
    t.addNote(tr("Coach services created %1 ~ %2, voided ones excluded; hours in the site's time zone.")
                  .arg(window.from().toString(Qt::ISODate), window.to().toString(Qt::ISODate)));
    return t;
}

} // namespace riskdesk
