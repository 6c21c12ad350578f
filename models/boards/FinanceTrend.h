#pragma once

#include "BoardTable.h"
#include "FinanceSource.h"

namespace riskdesk {

// The trend under the overview cards (spec §6.2): K1 (accrued revenue), K4 (cash inflow) and K5 (cash
// outflow) per day, week (Monday first) or month of the period. Every bucket of the period has a row (a
// bucket without events is 0; one wholly before the site's data begin, or after the day they are loaded
// through, is no data), and a bucket is clipped to the period, so its figures add up to the KPIs.
class FinanceTrend {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::FinanceTrend)

public:
    enum class Granularity { Day, Week, Month };

    struct Bucket {
        QDate from;
        QDate to;
        qint64 accrued = 0; // K1
        qint64 inflow = 0;  // K4
        qint64 outflow = 0; // K5
    };

    // day for up to 31 days, week up to 92, month beyond (spec §6.1).
    static Granularity defaultFor(const BoardPeriod& period);
    // "day", "week", "month"; nothing for any other text.
    static std::optional<Granularity> parse(const QString& text);
    static QString key(Granularity granularity);
    // "Day", "Week", "Month" in the reader's language, for the filters an export lists.
    static QString label(Granularity granularity);
    // The label of a granularity given by its key; any other text as it is (a reader still sees what was
    // asked).
    static QString labelOfKey(const QString& key);
    // The buckets of the period, clipped to it.
    static QList<std::pair<QDate, QDate>> buckets(const BoardPeriod& period, Granularity granularity);

    static Result<QList<Bucket>> read(const FinanceSource& source, const BoardPeriod& period,
                                      Granularity granularity);
    // Key "trend": one row per bucket (id: its first day). firstDay and loadedThrough: the first and the last
    // day the site's data hold (each invalid when unknown); a bucket wholly before the first or after the
    // last is no data, not a day without business.
    static BoardTable table(const std::optional<QList<Bucket>>& buckets, Granularity granularity,
                            const QDate& firstDay, const QDate& loadedThrough);
    // Key "trend_previous": the same buckets over the previous period, for the trend chart's dashed line.
    static BoardTable previousTable(const std::optional<QList<Bucket>>& buckets, Granularity granularity,
                                    const QDate& firstDay, const QDate& loadedThrough);
    // What a week or month bucket lacks of its whole week or month (cut by the period's ends, the data's
    // beginning or the last day loaded), as a sentence; empty when it is whole or holds no data at all.
    static QString partialNote(const Bucket& bucket, Granularity granularity, const QDate& firstDay,
                               const QDate& loadedThrough);

private:
    static BoardTable table(const QString& key, const QString& title,
                            const std::optional<QList<Bucket>>& buckets, Granularity granularity,
                            const QDate& firstDay, const QDate& loadedThrough);
};

} // namespace riskdesk
