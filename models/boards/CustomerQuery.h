#pragma once

#include "BoardRequest.h"
#include "BoardScope.h"
#include "BoardSort.h"
#include "CustomerDimensions.h"

#include <QCoreApplication>

namespace riskdesk {

// One BOARD-2 request, checked and resolved (spec §5.2): the site the reader may open, the dimension (default
// recall, the first tab), the as-of day (default today), the period of D4/D5 (default the last 30 days ending
// on the as-of day), the 60-day window, the coach and search filters, the sort. It writes the tab's member
// set as SQL that the board, its totals, its pages and its drill-downs all share, so they can never disagree.
class CustomerQuery {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CustomerQuery)

public:
    static constexpr CustomerDimension kDefaultDimension = CustomerDimension::Recall;
    static constexpr int kMaxSearchLength = 100;

    static Result<CustomerQuery> resolve(const BoardScope& scope, const BoardRequest& request);

    const QString& tenant() const { return m_tenant; }
    const QString& site() const { return m_site; }
    CustomerDimension dimension() const { return m_dimension; }
    const CustomerTimes& times() const { return m_times; }
    const SiteClock& clock() const { return m_clock; }
    const BoardSort& sort() const { return m_sort; }
    std::optional<qint64> coach() const { return m_coach; }
    const QString& search() const { return m_search; }
    bool hasFilters() const { return m_coach.has_value() || !m_search.isEmpty(); }
    // Whether the request's own as-of day is a kept day of the site (migration 021), so that its 60-day spend
    // and last visits are read from the kept rankings rather than from the logs; the caller checks
    // CustomerRankings::isKept first.
    bool keptDay() const { return m_keptDay; }
    void setKeptDay(bool kept) { m_keptDay = kept; }
    // keptDay() for these times: the request's own (the comparison's times are read from the logs), and for
    // the recent-visit and recharge tabs their default period only (the kept visits and recharges count the
    // last 30 days).
    bool keptFor(const CustomerTimes& times) const;

    // "WITH dim AS (…), board AS (…)": one row per member of the tab after the filters, at the given times
    // (the request's, or their previous() for the comparison).
    NamedSql boardCte(const CustomerTimes& times,
                      CustomerDimensions::RowsDetail detail = CustomerDimensions::RowsDetail::All) const;
    // " AND <column> IN (…)" for each filter (coach, search); empty without filters. The filters always use
    // the request's own as-of day, so a comparison covers the same members.
    NamedSql memberFilter(const QString& column) const;

private:
    CustomerQuery(QString tenant, QString site, CustomerDimension dimension, CustomerTimes times,
                  SiteClock clock, BoardSort sort)
        : m_tenant(std::move(tenant)), m_site(std::move(site)), m_dimension(dimension),
          m_times(std::move(times)), m_clock(std::move(clock)), m_sort(std::move(sort)) {}

    QString m_tenant;
    QString m_site;
    CustomerDimension m_dimension;
    CustomerTimes m_times;
    SiteClock m_clock;
    BoardSort m_sort;
    std::optional<qint64> m_coach;
    QString m_search;
    bool m_keptDay = false;
};

} // namespace riskdesk
