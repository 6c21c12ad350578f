#include "CustomerDimensions.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using CK = CustomerColumn::Kind;

CustomerColumn value(const QString& key, const QString& label, ValueUnit unit, const QString& sql,
                     bool eventSum, bool totalled) {
    CustomerColumn c;
    c.key = key;
    c.label = label;
    c.kind = CK::Value;
    c.unit = unit;
    c.sql = sql;
    c.eventSum = eventSum;
    c.totalled = totalled;
    return c;
}

CustomerColumn special(const QString& key, const QString& label, CK kind, const QString& sql,
                       const QString& previousSql = {}) {
    CustomerColumn c;
    c.key = key;
    c.label = label;
    c.kind = kind;
    c.sql = sql;
    c.previousSql = previousSql;
    return c;
}

// The latest calculation date of a snapshot table on or before the as-of day.
QString snapshotDate(const QString& table) {
    return u"(SELECT MAX(calc_date) FROM %1 WHERE tenant_id = :tenant AND site_id = :site AND calc_date <= :asof)"_s
        .arg(table);
}

// Valid (not voided) coach-service spend per member in a window of business days (§5.3 D6, 废单排除).
QString spendPerMember(const QString& from, const QString& to) {
    return u"SELECT tenant_member_id AS member_id, SUM(ledger_amount_fen) AS spend FROM "
           u"bd_assistant_service_log"
           " WHERE tenant_id = :tenant AND site_id = :site AND is_delete = 0 AND biz_date BETWEEN %1 AND %2"
           " GROUP BY tenant_member_id"_s.arg(from, to);
}

// A score computed by the data platform: totalled as a mean.
CustomerColumn score(const QString& key, const QString& label) {
    CustomerColumn c = value(key, label, ValueUnit::Hundredths, u"measure"_s, false, true);
    c.averaged = true;
    return c;
}

} // namespace

CustomerTimes CustomerTimes::previous(const QDate& loadedThrough) const {
    const BoardPeriod previousWindow = window.comparedWith(loadedThrough);
    return {previousWindow.to(), period.comparedWith(loadedThrough), previousWindow};
}

CustomerTimes CustomerTimes::previousSnapshot(const QDate& snapshotDay) const {
    const BoardPeriod previousWindow = BoardPeriod::trailingDays(int(window.days()), snapshotDay).previous();
    return {previousWindow.to(), period.previous(), previousWindow};
}

QList<CustomerDimension> CustomerDimensions::all() {
    using D = CustomerDimension;
    return {D::Recall, D::Potential, D::Balance, D::Recharge, D::Recent, D::Spend60, D::Freq60, D::Loyalty};
}

QString CustomerDimensions::key(CustomerDimension dimension) {
    switch (dimension) {
    case CustomerDimension::Recall:
        return u"recall"_s;
    case CustomerDimension::Potential:
        return u"potential"_s;
    case CustomerDimension::Balance:
        return u"balance"_s;
    case CustomerDimension::Recharge:
        return u"recharge"_s;
    case CustomerDimension::Recent:
        return u"recent"_s;
    case CustomerDimension::Spend60:
        return u"spend60"_s;
    case CustomerDimension::Freq60:
        return u"freq60"_s;
    case CustomerDimension::Loyalty:
        return u"loyalty"_s;
    }
    return {};
}

std::optional<CustomerDimension> CustomerDimensions::fromKey(const QString& key) {
    for (CustomerDimension d : all())
        if (CustomerDimensions::key(d) == key)
            return d;
    return std::nullopt;
}

QStringList CustomerDimensions::keys() {
    QStringList keys;
    for (CustomerDimension d : all())
        keys << key(d);
    return keys;
}

QString CustomerDimensions::title(CustomerDimension dimension) {
    switch (dimension) {
    case CustomerDimension::Recall:
        return tr("Recall");
    case CustomerDimension::Potential:
        return tr("Potential");
    case CustomerDimension::Balance:
        return tr("Balance");
    case CustomerDimension::Recharge:
        return tr("Recharge");
    case CustomerDimension::Recent:
        return tr("Recent visit");
    case CustomerDimension::Spend60:
        return tr("60-day spend");
    case CustomerDimension::Freq60:
        return tr("60-day frequency");
    case CustomerDimension::Loyalty:
        return tr("Loyalty");
    }
    return {};
}

QString CustomerDimensions::basisText(CustomerDimension dimension, const CustomerTimes& times,
                                      const std::optional<QDate>& snapshot) {
    const QString asOf = times.asOf.toString(Qt::ISODate);
    const QString snap = snapshot ? snapshot->toString(Qt::ISODate) : QString();
    switch (dimension) {
    case CustomerDimension::Recall:
    case CustomerDimension::Potential:
    case CustomerDimension::Loyalty:
        return snapshot ? tr("Scores of %1, the latest calculation on or before %2; computed by the data "
                             "platform.")
                              .arg(snap, asOf)
                        : tr("No scores were calculated on or before %1.").arg(asOf);
    case CustomerDimension::Balance:
        return tr("Current balances of the members' card accounts at the site.");
    case CustomerDimension::Recharge:
        return tr("Valid recharge orders (not voided, not refunded) paid in %1.")
            .arg(times.period.rangeText());
    case CustomerDimension::Recent:
        return tr("Last visit on or before %1; visits counted in %2.").arg(asOf, times.period.rangeText());
    case CustomerDimension::Spend60:
        return tr("Coach-service spend of valid service logs in the 60 business days %1.")
            .arg(times.window.rangeText());
    case CustomerDimension::Freq60:
        return snapshot ? tr("Visits in 60 days from the summary of %1 (the latest on or before %2); spend "
                             "over %3.")
                              .arg(snap, asOf, times.window.rangeText())
                        : tr("No consumption summary was calculated on or before %1.").arg(asOf);
    }
    return {};
}

QList<CustomerColumn> CustomerDimensions::columns(CustomerDimension dimension) {
    const ValueUnit fen = ValueUnit::Fen, count = ValueUnit::Count;
    CustomerColumn spend60 =
        value(u"spend60d"_s, tr("Coach-service spend (60 days)"), fen, u"spend60"_s, true, true);
    spend60.overWindow = true;
    switch (dimension) {
    case CustomerDimension::Recall:
        return {score(u"wbi"_s, tr("WBI")),
                value(u"daysSinceLastVisit"_s, tr("Days since last visit, on the scores' day"), count,
                      u"days_since"_s, false, false)};
    case CustomerDimension::Potential:
        return {score(u"spi"_s, tr("SPI")), spend60};
    case CustomerDimension::Balance:
        return {value(u"storedValueBalance"_s, tr("Stored-value balance"), fen, u"measure"_s, false, true),
                value(u"giftBalance"_s, tr("Gift balance"), fen, u"gift"_s, false, true),
                special(u"lastRechargeTime"_s, tr("Last recharge"), CK::Time, u"last_recharge_ms"_s)};
    case CustomerDimension::Recharge:
        return {value(u"rechargeAmount"_s, tr("Recharge amount"), fen, u"measure"_s, true, true),
                value(u"orderCount"_s, tr("Orders"), count, u"orders"_s, true, true),
                value(u"giftAmount"_s, tr("Gift amount"), fen, u"gift"_s, true, true),
                special(u"lastRechargeTime"_s, tr("Last recharge"), CK::Time, u"last_recharge_ms"_s)};
    case CustomerDimension::Recent:
        return {special(u"lastVisitTime"_s, tr("Last visit"), CK::Time, u"measure"_s),
                value(u"daysSinceVisit"_s, tr("Days since the visit"), count, u"days_since"_s, false, false),
                value(u"visitsInPeriod"_s, tr("Visits in the period"), count, u"visits"_s, true, true)};
    case CustomerDimension::Spend60: {
        CustomerColumn measure = spend60;
        measure.sql = u"measure"_s;
        return {measure, special(u"spendChange"_s, tr("PoP against the previous 60 days"), CK::Change,
                                 u"measure"_s, u"prev"_s)};
    }
    case CustomerDimension::Freq60:
        return {value(u"visits60d"_s, tr("Visits in 60 days"), count, u"measure"_s, false, true),
                special(u"weeklyVisits"_s, tr("Visits per week"), CK::Weekly, u"measure"_s), spend60};
    case CustomerDimension::Loyalty:
        return {score(u"rs"_s, tr("Highest RS")),
                special(u"intimacy"_s, tr("Intimacy"), CK::Intimacy, u"measure"_s),
                special(u"coach"_s, tr("Coach"), CK::CoachName, u"coach_name"_s),
                value(u"coachCount"_s, tr("Coaches"), count, u"coach_count"_s, true, true)};
    }
    return {};
}

SortCatalog CustomerDimensions::sorts(CustomerDimension dimension) {
    const auto desc = Qt::DescendingOrder, asc = Qt::AscendingOrder;
    QList<SortColumn> columns;
    QString defaultKey;
    switch (dimension) {
    case CustomerDimension::Recall:
        columns = {{u"wbi"_s, u"measure"_s, desc}, {u"daysSinceLastVisit"_s, u"days_since"_s, desc}};
        break;
    case CustomerDimension::Potential:
        columns = {{u"spi"_s, u"measure"_s, desc}, {u"spend60d"_s, u"spend60"_s, desc}};
        break;
    case CustomerDimension::Balance:
        columns = {{u"storedValueBalance"_s, u"measure"_s, desc},
                   {u"giftBalance"_s, u"gift"_s, desc},
                   {u"lastRechargeTime"_s, u"last_recharge_ms"_s, desc}};
        break;
    case CustomerDimension::Recharge:
        columns = {{u"rechargeAmount"_s, u"measure"_s, desc},
                   {u"orderCount"_s, u"orders"_s, desc},
                   {u"giftAmount"_s, u"gift"_s, desc},
                   {u"lastRechargeTime"_s, u"last_recharge_ms"_s, desc}};
        break;
    case CustomerDimension::Recent:
        columns = {{u"lastVisitTime"_s, u"measure"_s, desc},
                   {u"daysSinceVisit"_s, u"days_since"_s, asc},
                   {u"visitsInPeriod"_s, u"visits"_s, desc}};
        break;
    case CustomerDimension::Spend60:
        columns = {{u"spend60d"_s, u"measure"_s, desc}};
        break;
    case CustomerDimension::Freq60:
        columns = {{u"visits60d"_s, u"measure"_s, desc}, {u"spend60d"_s, u"spend60"_s, desc}};
        break;
    case CustomerDimension::Loyalty:
        columns = {{u"rs"_s, u"measure"_s, desc}, {u"coachCount"_s, u"coach_count"_s, desc}};
        break;
    }
    defaultKey = columns.first().key;
    // The member column shows the name (DQ-6): it sorts by it, in the order of names (NameCollation); a
    // member without one comes last, and the id breaks ties.
    columns.append({u"member"_s, u"member_name"_s, asc, true});
    // The catalogue is fixed: a failure here is a programming error the tests catch.
    auto catalog = SortCatalog::make(columns, u"member_id"_s, defaultKey);
    Q_ASSERT(catalog);
    return catalog.value();
}

QString CustomerDimensions::snapshotTable(CustomerDimension dimension) {
    switch (dimension) {
    case CustomerDimension::Recall:
        return u"bd_member_winback_index"_s;
    case CustomerDimension::Potential:
        return u"bd_member_spending_power_index"_s;
    case CustomerDimension::Freq60:
        return u"bd_member_consumption_summary"_s;
    case CustomerDimension::Loyalty:
        return u"bd_member_assistant_relation_index"_s;
    default:
        return {};
    }
}

bool CustomerDimensions::usesPeriod(CustomerDimension dimension) {
    return dimension == CustomerDimension::Recharge || dimension == CustomerDimension::Recent;
}

std::optional<BoardPeriod> CustomerDimensions::measuredRange(CustomerDimension dimension,
                                                             const CustomerTimes& times) {
    if (usesPeriod(dimension))
        return times.period;
    if (dimension == CustomerDimension::Spend60)
        return times.window;
    return std::nullopt;
}

QString CustomerDimensions::unloadedWarning(CustomerDimension dimension, const CustomerTimes& times,
                                            const QDate& loadedThrough) {
    if (usesPeriod(dimension))
        return times.period.unloadedDaysWarning(loadedThrough);
    const BoardPeriod& window = times.window;
    // D6 measures the window; another tab with a column over it (D2's and D7's spend) names that column, as
    // it is headed.
    QString column;
    if (dimension != CustomerDimension::Spend60)
        for (const CustomerColumn& c : columns(dimension))
            if (c.overWindow)
                column = c.label;
    const bool spendColumn = !column.isEmpty();
    if (!loadedThrough.isValid() || loadedThrough >= window.to() ||
        (dimension != CustomerDimension::Spend60 && !spendColumn))
        return {};
    const QString through = loadedThrough.toString(Qt::ISODate);
    if (window.isUnloaded(loadedThrough))
        return spendColumn
                   ? tr("Data are loaded through %1: no day of the 60-day window is loaded yet, so the "
                        "column “%2” shows no data (—), not zero.")
                         .arg(through, column)
                   : tr("Data are loaded through %1: no day of the 60-day window is loaded yet, so its "
                        "figures show no data (—), not zero.")
                         .arg(through);
    const int missing = int(loadedThrough.daysTo(window.to()));
    if (spendColumn)
        return tr("Data are loaded through %1: the last %n day(s) of the 60-day window have no data yet, so "
                  "the "
                  "column “%2” covers %3 only.",
                  nullptr, missing)
            .arg(through, column,
                 BoardPeriod::trailingDays(int(window.from().daysTo(loadedThrough)) + 1, loadedThrough)
                     .rangeText());
    return tr("Data are loaded through %1: the last %n day(s) of the 60-day window have no data yet, so its "
              "changes compare the days loaded with as many days of the previous window (%2).",
              nullptr, missing)
        .arg(through, window.comparedWith(loadedThrough).rangeText());
}

bool CustomerDimensions::hasPop(CustomerDimension dimension) {
    return dimension == CustomerDimension::Recharge || dimension == CustomerDimension::Spend60 ||
           dimension == CustomerDimension::Freq60;
}

bool CustomerDimensions::isScore(CustomerDimension dimension) {
    return dimension == CustomerDimension::Recall || dimension == CustomerDimension::Potential ||
           dimension == CustomerDimension::Loyalty;
}

namespace {

QHash<QString, QVariant> timeValues(const QString& tenant, const QString& site, const CustomerTimes& times) {
    return {
        {u"tenant"_s, tenant},
        {u"site"_s, site},
        {u"asof"_s, times.asOf.toString(Qt::ISODate)},
        {u"from"_s, times.period.from().toString(Qt::ISODate)},
        {u"to"_s, times.period.to().toString(Qt::ISODate)},
        {u"wfrom"_s, times.window.from().toString(Qt::ISODate)},
        {u"wto"_s, times.window.to().toString(Qt::ISODate)},
    };
}

} // namespace

NamedSql CustomerDimensions::pageColumnsSql(CustomerDimension dimension, const QString& tenant,
                                            const QString& site, const BoardPeriod& previousWindow) {
    if (dimension != CustomerDimension::Spend60)
        return {};
    // D6's previous-window spend is only shown, never sorted or totalled: read for the page's members alone
    // rather than aggregated for every member of the window.
    // By member: the covering day index would scan the whole previous window once per member of the page.
    return NamedSql(
        u", COALESCE((SELECT SUM(ledger_amount_fen) FROM bd_assistant_service_log INDEXED BY"
        " bd_sl_by_member WHERE tenant_id = :tenant AND site_id = :site AND tenant_member_id = page.member_id"
        " AND is_delete = 0 AND biz_date BETWEEN :pfrom AND :pto), 0) AS prev"_s,
        {{u"tenant"_s, tenant},
         {u"site"_s, site},
         {u"pfrom"_s, previousWindow.from().toString(Qt::ISODate)},
         {u"pto"_s, previousWindow.to().toString(Qt::ISODate)}});
}

NamedSql CustomerDimensions::windowSpendSql(const QString& tenant, const QString& site,
                                            const CustomerTimes& times, bool fromDaySums) {
    if (fromDaySums)
        return NamedSql(u"SELECT SUM(items_fen) FROM bd_sl_coach_day WHERE tenant_id = :tenant"
                        " AND site_id = :site AND biz_date BETWEEN :wfrom AND :wto"_s,
                        timeValues(tenant, site, times));
    return NamedSql(u"SELECT SUM(ledger_amount_fen) FROM bd_assistant_service_log WHERE tenant_id = :tenant"
                    " AND site_id = :site AND is_delete = 0 AND biz_date BETWEEN :wfrom AND :wto"_s,
                    timeValues(tenant, site, times));
}

NamedSql CustomerDimensions::periodRechargeSql(const QString& tenant, const QString& site,
                                               const CustomerTimes& times) {
    return NamedSql(
        u"SELECT SUM(pay_amount_fen) FROM bd_recharge_order WHERE tenant_id = :tenant AND site_id = :site"
        " AND is_delete = 0 AND refund_amount_fen = 0 AND biz_date BETWEEN :from AND :to"_s,
        timeValues(tenant, site, times));
}

bool CustomerDimensions::rankedByIndex(CustomerDimension dimension, const QString& sortKey,
                                       Qt::SortOrder order, bool keptDay) {
    if (order != Qt::DescendingOrder)
        return false;
    switch (dimension) {
    case CustomerDimension::Recall: // bd_wbi_rank
        return sortKey == u"wbi";
    // D2 and D7 show the 60-day spend: from the logs it is grouped per member, which is cheaper done once
    // into the temporary table than in each statement.
    case CustomerDimension::Potential: // bd_spi_rank
        return keptDay && sortKey == u"spi";
    case CustomerDimension::Freq60: // bd_consumption_rank
        return keptDay && sortKey == u"visits60d";
    case CustomerDimension::Spend60: // bd_customer_spend60_rank
        return keptDay && sortKey == u"spend60d";
    case CustomerDimension::Balance: // bd_customer_balance_rank
        return sortKey == u"storedValueBalance";
    case CustomerDimension::Recent: // bd_customer_recent_rank
        return keptDay && sortKey == u"lastVisitTime";
    case CustomerDimension::Loyalty: // bd_customer_loyalty_rank
        return sortKey == u"rs";
    case CustomerDimension::Recharge: // bd_customer_recharge_rank
        return keptDay && sortKey == u"rechargeAmount";
    }
    return false;
}

NamedSql CustomerDimensions::rowsSql(CustomerDimension dimension, const QString& tenant, const QString& site,
                                     const CustomerTimes& times, RowsDetail detail, bool keptDay) {
    const QHash<QString, QVariant> values = timeValues(tenant, site, times);
    // The 60-day spend of a member: the kept ranking of the as-of day, or the logs summed per member.
    const QString spendJoin =
        keptDay ? u"bd_customer_spend60 l ON l.tenant_id = :tenant AND l.site_id = :site AND l.as_of = :asof"
                  " AND l.tenant_member_id = %1"_s
                : u"("_s + spendPerMember(u":wfrom"_s, u":wto"_s) + u") l ON l.member_id = %1"_s;
    const QString spendColumn = keptDay ? u"l.spend_fen"_s : u"l.spend"_s;
    QString sql;
    switch (dimension) {
    case CustomerDimension::Recall:
        sql = u"SELECT w.tenant_member_id AS member_id, CAST(ROUND(w.wbi * 100) AS INTEGER) AS measure,"
              " w.days_since_last_visit AS days_since FROM bd_member_winback_index w"
              " WHERE w.tenant_id = :tenant AND w.site_id = :site AND w.calc_date = "_s +
              snapshotDate(u"bd_member_winback_index"_s);
        break;
    case CustomerDimension::Potential:
        if (detail == RowsDetail::MeasureOnly) { // the scores alone: no 60-day spend to look up
            sql = u"SELECT p.tenant_member_id AS member_id, CAST(ROUND(p.spi * 100) AS INTEGER) AS measure"
                  " FROM bd_member_spending_power_index p"
                  " WHERE p.tenant_id = :tenant AND p.site_id = :site AND p.calc_date = "_s +
                  snapshotDate(u"bd_member_spending_power_index"_s);
            break;
        }
        sql = u"SELECT p.tenant_member_id AS member_id, CAST(ROUND(p.spi * 100) AS INTEGER) AS measure,"
              " COALESCE(%1, 0) AS spend60 FROM bd_member_spending_power_index p LEFT JOIN "_s.arg(
                  spendColumn) +
              spendJoin.arg(u"p.tenant_member_id"_s) +
              u" WHERE p.tenant_id = :tenant AND p.site_id = :site AND p.calc_date = "_s +
              snapshotDate(u"bd_member_spending_power_index"_s);
        break;
    case CustomerDimension::Balance:
        // Several accounts per member are added up before any other join (§5.6): kept added up per member.
        sql = u"SELECT tenant_member_id AS member_id, stored_fen AS measure, gift_fen AS gift,"
              " last_recharge_ms FROM bd_customer_balance WHERE tenant_id = :tenant AND site_id = :site"_s;
        break;
    case CustomerDimension::Recharge:
        if (keptDay) { // the default period of a kept day: kept per member (migration 028)
            sql = u"SELECT tenant_member_id AS member_id, pay_fen AS measure, order_count AS orders,"
                  " gift_fen AS gift, last_pay_ms AS last_recharge_ms FROM bd_customer_recharge"
                  " WHERE tenant_id = :tenant AND site_id = :site AND as_of = :asof"_s;
            break;
        }
        sql = u"SELECT tenant_member_id AS member_id, SUM(pay_amount_fen) AS measure, COUNT(*) AS orders,"
              " SUM(gift_amount_fen) AS gift, MAX(pay_time) AS last_recharge_ms FROM bd_recharge_order"
              " WHERE tenant_id = :tenant AND site_id = :site AND is_delete = 0 AND refund_amount_fen = 0"
              " AND biz_date BETWEEN :from AND :to GROUP BY tenant_member_id"_s;
        break;
    case CustomerDimension::Recent:
        if (keptDay) {
            sql = u"SELECT tenant_member_id AS member_id, last_in_ms AS measure,"
                  " CAST(julianday(:asof) - julianday(last_biz_date) AS INTEGER) AS days_since,"
                  " period_visits AS visits FROM bd_customer_recent"
                  " WHERE tenant_id = :tenant AND site_id = :site AND as_of = :asof"_s;
            break;
        }
        sql =
            u"SELECT tenant_member_id AS member_id, MAX(first_in_time) AS measure,"
            " CAST(julianday(:asof) - julianday(MAX(biz_date)) AS INTEGER) AS days_since,"
            " SUM(CASE WHEN biz_date BETWEEN :from AND :to THEN 1 ELSE 0 END) AS visits"
            " FROM bd_member_visit_detail WHERE tenant_id = :tenant AND site_id = :site AND biz_date <= :asof"
            " GROUP BY tenant_member_id"_s;
        break;
    case CustomerDimension::Spend60:
        // The previous window's spend of the page's members comes from pageColumnsSql.
        if (keptDay)
            sql = u"SELECT tenant_member_id AS member_id, spend_fen AS measure FROM bd_customer_spend60"
                  " WHERE tenant_id = :tenant AND site_id = :site AND as_of = :asof"_s;
        else
            sql = u"SELECT c.member_id, c.spend AS measure FROM ("_s +
                  spendPerMember(u":wfrom"_s, u":wto"_s) + u") c"_s;
        break;
    case CustomerDimension::Freq60:
        if (detail == RowsDetail::MeasureOnly) // the visits alone: no 60-day spend to aggregate
            sql = u"SELECT s.tenant_member_id AS member_id, s.visits_60d AS measure"
                  " FROM bd_member_consumption_summary s"
                  " WHERE s.tenant_id = :tenant AND s.site_id = :site AND s.calc_date = "_s +
                  snapshotDate(u"bd_member_consumption_summary"_s);
        else
            sql = u"SELECT s.tenant_member_id AS member_id, s.visits_60d AS measure, COALESCE(%1, 0) AS "
                  u"spend60"
                  " FROM bd_member_consumption_summary s LEFT JOIN "_s.arg(spendColumn) +
                  spendJoin.arg(u"s.tenant_member_id"_s) +
                  u" WHERE s.tenant_id = :tenant AND s.site_id = :site AND s.calc_date = "_s +
                  snapshotDate(u"bd_member_consumption_summary"_s);
        break;
    case CustomerDimension::Loyalty:
        // One row per member: the coach with the highest RS (ties: the lower coach id), and how many coaches,
        // as kept per calculation day.
        if (detail != RowsDetail::All) { // the coach's name adds no row and nothing summed
            sql = u"SELECT t.tenant_member_id AS member_id, t.rs_hundredths AS measure, t.coach_id,"
                  " t.coach_count FROM bd_customer_loyalty t"
                  " WHERE t.tenant_id = :tenant AND t.site_id = :site AND t.calc_date = "_s +
                  snapshotDate(u"bd_member_assistant_relation_index"_s);
            break;
        }
        sql = u"SELECT t.tenant_member_id AS member_id, t.rs_hundredths AS measure, t.coach_id,"
              " a.assistant_name AS coach_name, t.coach_count FROM bd_customer_loyalty t"
              " LEFT JOIN bd_dim_assistant a ON a.tenant_id = :tenant AND a.site_id = :site"
              " AND a.site_assistant_id = t.coach_id"
              " WHERE t.tenant_id = :tenant AND t.site_id = :site AND t.calc_date = "_s +
              snapshotDate(u"bd_member_assistant_relation_index"_s);
        break;
    }
    return NamedSql(sql, values);
}

} // namespace riskdesk
