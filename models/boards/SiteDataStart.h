#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QDate>
#include <QSqlDatabase>

namespace riskdesk {

// The first business day a site's board data hold: days before it were never loaded, so their figures are
// no data, not zero. Each read is one step into a primary key, whatever the number of days; a stored day that
// is not a date is an error, never "no first day". Invalid: the site has no such rows.
class SiteDataStart {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::SiteDataStart)

public:
    // The first day of the site's finance summary (the finance board's days).
    static Result<QDate> ofFinanceSummary(QSqlDatabase db, const QString& tenant, const QString& site);
    // The earlier of the finance summary's and the valid service logs' first day (a site whose first day
    // had no service still has its summary row; the coach board reads the logs).
    static Result<QDate> ofSite(QSqlDatabase db, const QString& tenant, const QString& site);

private:
    static Result<QDate> firstDayIn(QSqlDatabase db, const QString& table, const QString& tenant,
                                    const QString& site, const QString& doing);
};

} // namespace riskdesk
