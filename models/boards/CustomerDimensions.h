#pragma once

#include "BoardPeriod.h"
#include "BoardValue.h"
#include "NamedSql.h"
#include "SortCatalog.h"

#include <QCoreApplication>
#include <QDate>
#include <optional>

namespace riskdesk {

// The eight tabs of BOARD-2 (spec §5.3).
enum class CustomerDimension { Recall, Potential, Balance, Recharge, Recent, Spend60, Freq60, Loyalty };

// One dimension-specific column of a tab (the measure first, then the extra columns of §5.3) and where its
// cells come from in the tab's per-member SQL.
struct CustomerColumn {
    enum class Kind {
        Value,    // a BoardValue in unit, read from sql
        Time,     // an instant (UTC ms in sql) shown in the site's time zone
        Change,   // period-over-period of sql against previousSql
        Weekly,   // weekly visits from the 60-day visits in sql, one decimal, exact
        Intimacy, // the intimacy level of the relation score in sql
        CoachName // the coach of coach_id / coach_name
    };
    QString key;
    QString label;
    Kind kind = Kind::Value;
    ValueUnit unit = ValueUnit::Fen;
    QString sql;
    QString previousSql;
    bool eventSum = false; // a sum of events: zero when none; otherwise a snapshot read: no data when absent
    // Totalled over the whole filtered set in the totals row: summed, or averaged (below).
    bool totalled = false;
    // An index score (WBI, SPI, RS): scores do not add up, so its total is their mean over the members of
    // the set that have one, rounded half away from zero.
    bool averaged = false;
    // Summed over the 60-day window (the spend columns): no data when no day of the window is loaded yet.
    bool overWindow = false;
};

// The time inputs of one customer-board request (spec §5.2): the as-of business day, the period of D4/D5 and
// the 60-day window ending on the as-of day (D6, D7, and the 60-day spend of D2).
struct CustomerTimes {
    QDate asOf;
    BoardPeriod period;
    BoardPeriod window;
    // The times the tab totals are compared with (spec §5.5): the previous period (D4) and the previous 60
    // days (D6), each compared over as many days as are loaded of them (BoardPeriod::comparedWith): with
    // today not loaded yet, the 59 loaded days of the window against the first 59 of the previous one.
    CustomerTimes previous(const QDate& loadedThrough) const;
    // D7's: its summary counts the window's days ending on its own calculation day, whatever the watermark,
    // so it is compared with the summary as of as many days before that day (the as-of moves there).
    CustomerTimes previousSnapshot(const QDate& snapshotDay) const;
};

// The SQL catalogue of BOARD-2: for each dimension, its columns, its sort keys and the query that gives one
// row per member (member_id, measure, extra columns). Facts are aggregated per member before anything is
// joined (§5.6, the fan-out rule), every query filters tenant and site, snapshot tabs read the latest
// calculation date on or before the as-of day, and sums of events are COALESCEd while snapshot reads are not.
class CustomerDimensions {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CustomerDimensions)

public:
    static QList<CustomerDimension> all();
    static QString key(CustomerDimension dimension);
    static std::optional<CustomerDimension> fromKey(const QString& key);
    static QStringList keys();
    static QString title(CustomerDimension dimension);
    // What the tab's time basis is, in words, with the resolved dates.
    static QString basisText(CustomerDimension dimension, const CustomerTimes& times,
                             const std::optional<QDate>& snapshot);

    static QList<CustomerColumn> columns(CustomerDimension dimension);
    static SortCatalog sorts(CustomerDimension dimension);
    // The table the tab's snapshot comes from (empty for tabs that sum events or read current values).
    static QString snapshotTable(CustomerDimension dimension);
    static bool usesPeriod(CustomerDimension dimension);
    // The days whose events the tab sums: the period (D4, D5), the 60-day window (D6), or none (the
    // snapshot and current-value tabs, which name their own day).
    static std::optional<BoardPeriod> measuredRange(CustomerDimension dimension, const CustomerTimes& times);
    // The badge of a tab whose days run past the loaded data (today's come tomorrow), or nothing: D4 and D5's
    // period, D6's window, and the 60-day spend column of D2 and D7, each in words naming what it affects.
    static QString unloadedWarning(CustomerDimension dimension, const CustomerTimes& times,
                                   const QDate& loadedThrough);
    // True when the tab totals carry a period-over-period change (D4, D6, D7).
    static bool hasPop(CustomerDimension dimension);
    // Index scores computed by the data platform (D1, D2, D8): shown and sorted, never recomputed.
    static bool isScore(CustomerDimension dimension);

    // How much of a member's row is needed: everything; the columns the totals row sums, without the joins
    // that only name things (the loyalty tab's coach name); or just member_id and the headline measure (the
    // comparison's total, and the totals of D2 and D7 when their 60-day spend total is kept).
    enum class RowsDetail { All, Totals, MeasureOnly };
    // One row per member at the site: member_id, measure and the columns' sql names. keptDay: times.asOf is a
    // kept day (migration 021), so the 60-day spend and the last visits are read from its kept rankings, and
    // with the default period the recharges (migration 028) and the visits of the period. The
    // balances and the loyalty snapshot always come from their kept tables (bd_customer_balance,
    // bd_customer_loyalty).
    static NamedSql rowsSql(CustomerDimension dimension, const QString& tenant, const QString& site,
                            const CustomerTimes& times, RowsDetail detail = RowsDetail::All,
                            bool keptDay = false);
    // Whether the tab's rows come out of an index in this sort's order (key, then member id), so that its
    // page needs no sort of the whole set (migration 021).
    static bool rankedByIndex(CustomerDimension dimension, const QString& sortKey, Qt::SortOrder order,
                              bool keptDay);
    // D6's headline: the valid coach-service spend of the whole 60-day window, summed without grouping by
    // member (the sum of the members' sums). Filters are appended on tenant_member_id.
    // fromDaySums: from the per-coach day sums of migration 015 (bd_sl_coach_day, the same figure without
    // reading the logs); no member filter can be appended then.
    static NamedSql windowSpendSql(const QString& tenant, const QString& site, const CustomerTimes& times,
                                   bool fromDaySums = false);
    // D4's headline: the valid recharge orders (not voided, not refunded) of the period, summed without
    // grouping by member. Filters are appended on tenant_member_id.
    static NamedSql periodRechargeSql(const QString& tenant, const QString& site, const CustomerTimes& times);
    // Extra columns (", expr AS name", or empty) read for the rows of one page only, from a query whose rows
    // are named "page" (D6's previous-window spend, over the window it is compared with).
    static NamedSql pageColumnsSql(CustomerDimension dimension, const QString& tenant, const QString& site,
                                   const BoardPeriod& previousWindow);
};

} // namespace riskdesk
