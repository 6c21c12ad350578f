#include "CustomerQuery.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<CustomerQuery> CustomerQuery::resolve(const BoardScope& scope, const BoardRequest& request) {
    if (Status s = scope.checkBoard(BoardKind::Customer); !s)
        return s.problem();
    if (Status s = scope.checkSite(request.site); !s)
        return s.problem();
    CustomerDimension dimension = kDefaultDimension;
    if (!request.dimension.isEmpty()) {
        const auto d = CustomerDimensions::fromKey(request.dimension);
        if (!d)
            return Problem{u"bad_dimension"_s,
                           tr("There is no dimension \"%1\"; choose one of: %2.")
                               .arg(request.dimension, CustomerDimensions::keys().join(u", "_s)),
                           u"dimension"_s};
        dimension = *d;
    }
    if (!request.today.isValid())
        return Problem{u"bad_today"_s, tr("The board needs the site's business day today."), u"today"_s};
    const QDate asOf = request.asOfDay.isValid() ? request.asOfDay : request.today;
    if (asOf > request.today)
        return Problem{u"bad_as_of"_s,
                       tr("The as-of day %1 is after today (%2).")
                           .arg(asOf.toString(Qt::ISODate), request.today.toString(Qt::ISODate)),
                       u"as-of"_s};
    const BoardPeriod period =
        request.period ? *request.period : BoardPeriod::preset(PeriodPreset::Last30Days, asOf);
    const auto clock = scope.clockOf(request.site);
    if (!clock)
        return clock.problem();
    const auto sort = BoardSort::parse(request.sort, CustomerDimensions::sorts(dimension));
    if (!sort)
        return sort.problem();

    CustomerQuery query(request.tenant, request.site, dimension,
                        {asOf, period, BoardPeriod::trailingDays(60, asOf)}, clock.value(), sort.value());
    if (!request.coach.trimmed().isEmpty()) {
        bool ok = false;
        const qint64 coach = request.coach.trimmed().toLongLong(&ok);
        if (!ok || coach < 0)
            return Problem{
                u"bad_coach"_s,
                tr("The coach must be a coach id (a whole number), not \"%1\".").arg(request.coach),
                u"coach"_s};
        query.m_coach = coach;
    }
    query.m_search = request.search.trimmed();
    if (query.m_search.size() > kMaxSearchLength)
        return Problem{u"bad_search"_s,
                       tr("The search text is longer than %1 characters.").arg(kMaxSearchLength),
                       u"search"_s};
    return query;
}

NamedSql CustomerQuery::memberFilter(const QString& column) const {
    NamedSql filter;
    if (m_coach) {
        // Members with a relation row for the coach at the same snapshot the related coaches are read from.
        filter.append(NamedSql(
            u" AND %1 IN (SELECT tenant_member_id FROM bd_member_assistant_relation_index"
            " WHERE tenant_id = :tenant AND site_id = :site AND site_assistant_id = :coach AND calc_date = ("
            " SELECT MAX(calc_date) FROM bd_member_assistant_relation_index WHERE tenant_id = :tenant"
            " AND site_id = :site AND calc_date <= :asof))"_s.arg(column),
            {{u"tenant"_s, m_tenant},
             {u"site"_s, m_site},
             {u"coach"_s, *m_coach},
             {u"asof"_s, m_times.asOf.toString(Qt::ISODate)}}));
    }
    if (!m_search.isEmpty()) {
        // A name substring, or the last four digits of the phone (separators ignored).
        bool digitsOnly = m_search.size() == 4;
        for (const QChar c : m_search)
            digitsOnly = digitsOnly && c.isDigit() && c.unicode() < 128;
        filter.append(NamedSql(
            u" AND %1 IN (SELECT tenant_member_id FROM bd_dim_member WHERE tenant_id = :tenant AND ("
            "instr(lower(COALESCE(member_name, '')), lower(:search)) > 0 OR (:digits <> '' AND "
            "substr(replace(replace(replace(COALESCE(mobile, ''), ' ', ''), '-', ''), '+', ''), -4) = :digits)))"_s
                .arg(column),
            {{u"tenant"_s, m_tenant},
             {u"search"_s, m_search},
             {u"digits"_s, digitsOnly ? m_search : u""_s}}));
    }
    return filter;
}

bool CustomerQuery::keptFor(const CustomerTimes& times) const {
    if (!m_keptDay || times.asOf != m_times.asOf)
        return false;
    return (m_dimension != CustomerDimension::Recent && m_dimension != CustomerDimension::Recharge) ||
           (times.period.from() == times.asOf.addDays(-29) && times.period.to() == times.asOf);
}

NamedSql CustomerQuery::boardCte(const CustomerTimes& times, CustomerDimensions::RowsDetail detail) const {
    NamedSql cte;
    cte.append(u"WITH dim AS ("_s);
    cte.append(CustomerDimensions::rowsSql(m_dimension, m_tenant, m_site, times, detail, keptFor(times)));
    if (m_sort.key() == u"member") // the name, looked up by key for each member (DQ-6), to sort by
        cte.append(
            NamedSql(u"), board AS (SELECT dim.*, (SELECT NULLIF(m.member_name, '') FROM bd_dim_member m "
                     "WHERE m.tenant_id = :tenant AND m.tenant_member_id = dim.member_id) AS member_name "
                     "FROM dim WHERE 1 = 1"_s,
                     {{u"tenant"_s, m_tenant}}));
    else
        cte.append(u"), board AS (SELECT * FROM dim WHERE 1 = 1"_s);
    cte.append(memberFilter(u"member_id"_s));
    cte.append(u") "_s);
    return cte;
}

} // namespace riskdesk
