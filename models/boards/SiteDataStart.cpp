#include "SiteDataStart.h"

#include "store/SqlProblem.h"

#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<QDate> SiteDataStart::firstDayIn(QSqlDatabase db, const QString& table, const QString& tenant,
                                        const QString& site, const QString& doing) {
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(u"SELECT MIN(biz_date) FROM %1 WHERE tenant_id = ? AND site_id = ?"_s.arg(table)))
        return sqlProblem(q, doing);
    q.addBindValue(tenant);
    q.addBindValue(site);
    if (!q.exec() || !q.next())
        return sqlProblem(q, doing);
    const QString day = q.value(0).toString();
    const QDate first = QDate::fromString(day, Qt::ISODate);
    if (!day.isEmpty() && !first.isValid())
        return Problem{u"bad_day"_s, tr("%1: \"%2\" is not a day.").arg(doing, day), {}};
    return first;
}

Result<QDate> SiteDataStart::ofFinanceSummary(QSqlDatabase db, const QString& tenant, const QString& site) {
    return firstDayIn(db, u"bd_finance_daily_summary"_s, tenant, site,
                      tr("Reading the first day of the site's data"));
}

Result<QDate> SiteDataStart::ofSite(QSqlDatabase db, const QString& tenant, const QString& site) {
    const auto finance = ofFinanceSummary(db, tenant, site);
    if (!finance)
        return finance.problem();
    // bd_sl_site_day: a row per business day with valid logs, kept by the service log's triggers.
    const auto logs = firstDayIn(db, u"bd_sl_site_day"_s, tenant, site,
                                 tr("Reading the first day of the site's service logs"));
    if (!logs)
        return logs.problem();
    if (!finance.value().isValid() || !logs.value().isValid())
        return finance.value().isValid() ? finance.value() : logs.value();
    return std::min(finance.value(), logs.value());
}

} // namespace riskdesk
