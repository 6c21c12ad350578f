#include "ServiceLogSummaries.h"

#include "store/SqlProblem.h"

#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// The summaries as derived from the logs; the one definition the rebuilds and verify() share.
constexpr auto kCoachDaySelect =
    "SELECT tenant_id, site_id, biz_date, site_assistant_id, SUM(ledger_amount_fen), SUM(income_seconds),"
    " COUNT(*) FROM bd_assistant_service_log WHERE is_delete = 0";
constexpr auto kCoachDayGroup = " GROUP BY tenant_id, site_id, biz_date, site_assistant_id";
constexpr auto kMemberMonthSelect =
    "SELECT tenant_id, site_id, substr(biz_date, 1, 7) AS month, site_assistant_id, tenant_member_id,"
    " MIN(biz_date) AS first_biz_date"
    " FROM bd_assistant_service_log WHERE is_delete = 0";
constexpr auto kMemberMonthGroup =
    " GROUP BY tenant_id, site_id, substr(biz_date, 1, 7), site_assistant_id, tenant_member_id";
constexpr auto kSiteDaySelect =
    "SELECT tenant_id, site_id, biz_date, SUM(ledger_amount_fen), SUM(income_seconds), COUNT(*)"
    " FROM bd_assistant_service_log WHERE is_delete = 0";
constexpr auto kSiteDayGroup = " GROUP BY tenant_id, site_id, biz_date";
constexpr auto kCoachMonthSelect =
    "SELECT tenant_id, site_id, substr(biz_date, 1, 7) AS month, site_assistant_id, SUM(ledger_amount_fen),"
    " SUM(income_seconds), COUNT(*), COUNT(DISTINCT tenant_member_id)"
    " FROM bd_assistant_service_log WHERE is_delete = 0";
constexpr auto kCoachMonthGroup = " GROUP BY tenant_id, site_id, substr(biz_date, 1, 7), site_assistant_id";
constexpr auto kSiteQuarterSelect =
    "SELECT tenant_id, site_id, biz_date, create_time / 900000 AS quarter, COUNT(*)"
    " FROM bd_assistant_service_log WHERE is_delete = 0";
constexpr auto kSiteQuarterGroup = " GROUP BY tenant_id, site_id, biz_date, create_time / 900000";
constexpr auto kSiteQuarterInsert =
    "INSERT INTO bd_sl_site_quarter (tenant_id, site_id, biz_date, quarter, log_count) ";
constexpr auto kSiteDayInsert =
    "INSERT INTO bd_sl_site_day (tenant_id, site_id, biz_date, items_fen, income_s, log_count) ";
constexpr auto kCoachMonthInsert =
    "INSERT INTO bd_sl_coach_month (tenant_id, site_id, month, site_assistant_id,"
    " items_fen, income_s, log_count, customers) ";
constexpr auto kCoachDayInsert =
    "INSERT INTO bd_sl_coach_day (tenant_id, site_id, biz_date, site_assistant_id,"
    " items_fen, income_s, log_count) ";
constexpr auto kMemberMonthInsert = "INSERT INTO bd_sl_coach_member_month (tenant_id, site_id, month,"
                                    " site_assistant_id, tenant_member_id, first_biz_date) ";

Status run(QSqlQuery& q, const QString& sql, const QVariantList& binds, const QString& doing) {
    if (!q.prepare(sql))
        return sqlProblem(q, doing);
    for (const QVariant& v : binds)
        q.addBindValue(v);
    if (!q.exec())
        return sqlProblem(q, doing);
    return success();
}

} // namespace

QString ServiceLogSummaries::monthKey(const QDate& day) {
    return day.toString(u"yyyy-MM"_s);
}

bool ServiceLogSummaries::isWholeMonth(const BoardPeriod& period) {
    return coversMonthPrefix(period) && period.to().day() == period.to().daysInMonth();
}

bool ServiceLogSummaries::coversMonthPrefix(const BoardPeriod& period) {
    const QDate from = period.from(), to = period.to();
    return from.isValid() && to.isValid() && from.day() == 1 && to >= from && to.year() == from.year() &&
           to.month() == from.month();
}

Status ServiceLogSummaries::rebuildTenant(QSqlDatabase db, const QString& tenant) {
    const QString doing = tr("Summarising the service logs");
    QSqlQuery q(db);
    for (const QString& table : {u"bd_sl_coach_day"_s, u"bd_sl_coach_member_month"_s, u"bd_sl_site_day"_s,
                                 u"bd_sl_coach_month"_s, u"bd_sl_site_quarter"_s})
        if (Status s = run(q, u"DELETE FROM %1 WHERE tenant_id = ?"_s.arg(table), {tenant}, doing); !s)
            return s;
    const QList<std::pair<const char*, std::pair<const char*, const char*>>> derived{
        {kCoachDayInsert, {kCoachDaySelect, kCoachDayGroup}},
        {kMemberMonthInsert, {kMemberMonthSelect, kMemberMonthGroup}},
        {kSiteDayInsert, {kSiteDaySelect, kSiteDayGroup}},
        {kCoachMonthInsert, {kCoachMonthSelect, kCoachMonthGroup}},
        {kSiteQuarterInsert, {kSiteQuarterSelect, kSiteQuarterGroup}}};
    for (const auto& [insert, select] : derived)
        if (Status s = run(q,
                           QString::fromLatin1(insert) + QString::fromLatin1(select.first) +
                               u" AND tenant_id = ?"_s + QString::fromLatin1(select.second),
                           {tenant}, doing);
            !s)
            return s;
    return success();
}

Result<QStringList> ServiceLogSummaries::verify(QSqlDatabase db) {
    const QString doing = tr("Checking the service-log summaries");
    QStringList out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // Rows on either side that the other lacks, one line per partition (its day, or month for the months).
    const auto check = [](const QString& table, const QString& columns, const QString& partition,
                          const char* select, const char* group) {
        const QString derived = QString::fromLatin1(select) + QString::fromLatin1(group);
        return std::pair{
            table, u"SELECT DISTINCT tenant_id, site_id, %4 FROM (SELECT * FROM (%1) EXCEPT SELECT %2"
                   " FROM %3 UNION ALL SELECT * FROM (SELECT %2 FROM %3 EXCEPT %1)) ORDER BY 1, 2, 3"_s.arg(
                       derived, columns, table, partition)};
    };
    const QList<std::pair<QString, QString>> checks{
        check(u"bd_sl_coach_day"_s,
              u"tenant_id, site_id, biz_date, site_assistant_id, items_fen, income_s, log_count"_s,
              u"biz_date"_s, kCoachDaySelect, kCoachDayGroup),
        check(u"bd_sl_coach_member_month"_s,
              u"tenant_id, site_id, month, site_assistant_id, tenant_member_id, first_biz_date"_s, u"month"_s,
              kMemberMonthSelect, kMemberMonthGroup),
        check(u"bd_sl_site_day"_s, u"tenant_id, site_id, biz_date, items_fen, income_s, log_count"_s,
              u"biz_date"_s, kSiteDaySelect, kSiteDayGroup),
        check(u"bd_sl_coach_month"_s,
              u"tenant_id, site_id, month, site_assistant_id, items_fen, income_s, log_count, customers"_s,
              u"month"_s, kCoachMonthSelect, kCoachMonthGroup),
        check(u"bd_sl_site_quarter"_s, u"tenant_id, site_id, biz_date, quarter, log_count"_s, u"biz_date"_s,
              kSiteQuarterSelect, kSiteQuarterGroup)};
    for (const auto& [table, sql] : checks) {
        if (!q.exec(sql))
            return sqlProblem(q, doing);
        while (q.next())
            out << u"%1 %2 %3 %4"_s.arg(table, q.value(0).toString(), q.value(1).toString(),
                                        q.value(2).toString());
        if (rowsFailed(q))
            return sqlProblem(q, doing);
    }
    return out;
}

} // namespace riskdesk
