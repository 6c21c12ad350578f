#include "FinanceTrend.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
using T = BoardTableColumn::Type;
} // namespace

FinanceTrend::Granularity FinanceTrend::defaultFor(const BoardPeriod& period) {
    if (period.days() <= 31)
        return Granularity::Day;
    return period.days() <= 92 ? Granularity::Week : Granularity::Month;
}

std::optional<FinanceTrend::Granularity> FinanceTrend::parse(const QString& text) {
    for (Granularity g : {Granularity::Day, Granularity::Week, Granularity::Month})
        if (key(g) == text)
            return g;
    return std::nullopt;
}

QString FinanceTrend::label(Granularity granularity) {
    switch (granularity) {
    case Granularity::Day:
        return tr("Day");
    case Granularity::Week:
        return tr("Week");
    case Granularity::Month:
        return tr("Month");
    }
    return {};
}

QString FinanceTrend::labelOfKey(const QString& key) {
    const auto granularity = parse(key);
    return granularity ? label(*granularity) : key;
}

QString FinanceTrend::key(Granularity granularity) {
    switch (granularity) {
    case Granularity::Day:
        return u"day"_s;
    case Granularity::Week:
        return u"week"_s;
    case Granularity::Month:
        return u"month"_s;
    }
    return {};
}

QList<std::pair<QDate, QDate>> FinanceTrend::buckets(const BoardPeriod& period, Granularity granularity) {
    QList<std::pair<QDate, QDate>> out;
    QDate day = period.from();
    while (day <= period.to()) {
        QDate end = day;
        if (granularity == Granularity::Week)
            end = day.addDays(7 - day.dayOfWeek()); // to Sunday
        else if (granularity == Granularity::Month)
            end = QDate(day.year(), day.month(), day.daysInMonth());
        end = std::min(end, period.to());
        out.append({day, end});
        day = end.addDays(1);
    }
    return out;
}

Result<QList<FinanceTrend::Bucket>> FinanceTrend::read(const FinanceSource& source, const BoardPeriod& period,
                                                       Granularity granularity) {
    // Each view aggregated per day first, then the days put into buckets here.
    const auto days = source.rows(
        u"WITH d(biz_date, accrued, inflow, outflow) AS ("
        "   SELECT biz_date, gross_amount_fen - discount_amount_fen, 0, 0 FROM bd_finance_income_structure"
        "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to"
        "   UNION ALL SELECT biz_date, 0, cash_wechat_fen + cash_alipay_fen + cash_cash_fen + cash_bank_fen"
        "          + cash_recharge_fen + cash_platform_gross_fen, 0 FROM bd_finance_daily_summary"
        "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to"
        "   UNION ALL SELECT biz_date, 0, 0, amount_fen FROM bd_finance_expense_summary"
        "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to"
        "   UNION ALL SELECT biz_date, 0, 0, fee_fen FROM bd_platform_settlement"
        "    WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to)"
        " SELECT biz_date, SUM(accrued), SUM(inflow), SUM(outflow) FROM d GROUP BY biz_date ORDER BY biz_date"_s,
        period, tr("Reading the daily trend"));
    if (!days)
        return days.problem();
    QList<Bucket> out;
    for (const auto& [from, to] : buckets(period, granularity))
        out.append({from, to});
    qsizetype b = 0;
    for (const QVariantList& r : days.value()) {
        const QDate day = QDate::fromString(r[0].toString(), Qt::ISODate);
        while (b < out.size() && out[b].to < day)
            ++b;
        if (b == out.size() || !day.isValid())
            break; // cannot happen: every day is inside the period
        out[b].accrued += r[1].toLongLong();
        out[b].inflow += r[2].toLongLong();
        out[b].outflow += r[3].toLongLong();
    }
    return out;
}

QString FinanceTrend::partialNote(const Bucket& bucket, Granularity granularity, const QDate& firstDay,
                                  const QDate& loadedThrough) {
    if (granularity == Granularity::Day)
        return {};
    // The whole week or month the bucket belongs to, and the days of it the figures hold: those in the
    // period, on or after the data begin, and loaded.
    const QDate wholeFrom = granularity == Granularity::Week
                                ? bucket.from.addDays(1 - bucket.from.dayOfWeek())
                                : QDate(bucket.from.year(), bucket.from.month(), 1);
    const QDate wholeTo = granularity == Granularity::Week
                              ? wholeFrom.addDays(6)
                              : QDate(bucket.from.year(), bucket.from.month(), bucket.from.daysInMonth());
    const QDate from = firstDay.isValid() ? std::max(bucket.from, firstDay) : bucket.from;
    const QDate to = loadedThrough.isValid() ? std::min(bucket.to, loadedThrough) : bucket.to;
    if (from > to || (from == wholeFrom && to == wholeTo))
        return {}; // whole, or no data at all (its cells say so)
    const QString days = QString::number(from.daysTo(to) + 1),
                  whole = QString::number(wholeFrom.daysTo(wholeTo) + 1);
    // A month that reads low because it is not over is the usual trap of a monthly trend (helper-80).
    return granularity == Granularity::Week
               ? tr("The week of %1 holds %2 of its %3 days (%4 ~ %5): its figures are partial.")
                     .arg(wholeFrom.toString(Qt::ISODate), days, whole, from.toString(Qt::ISODate),
                          to.toString(Qt::ISODate))
               : tr("%1 holds %2 of its %3 days (%4 ~ %5): its figures are partial.")
                     .arg(wholeFrom.toString(u"yyyy-MM"_s), days, whole, from.toString(Qt::ISODate),
                          to.toString(Qt::ISODate));
}

BoardTable FinanceTrend::table(const std::optional<QList<Bucket>>& buckets, Granularity granularity,
                               const QDate& firstDay, const QDate& loadedThrough) {
    return table(u"trend"_s, tr("Trend of accrued revenue, cash inflow and cash outflow"), buckets,
                 granularity, firstDay, loadedThrough);
}

BoardTable FinanceTrend::previousTable(const std::optional<QList<Bucket>>& buckets, Granularity granularity,
                                       const QDate& firstDay, const QDate& loadedThrough) {
    return table(u"trend_previous"_s, tr("Trend of the previous period"), buckets, granularity, firstDay,
                 loadedThrough);
}

BoardTable FinanceTrend::table(const QString& key, const QString& title,
                               const std::optional<QList<Bucket>>& buckets, Granularity granularity,
                               const QDate& firstDay, const QDate& loadedThrough) {
    BoardTable t(key, title,
                 {{u"from"_s, tr("From"), T::Text},
                  {u"to"_s, tr("To"), T::Text},
                  {u"k1"_s, tr("Accrued revenue"), T::Value, ValueUnit::Fen},
                  {u"k4"_s, tr("Cash inflow"), T::Value, ValueUnit::Fen},
                  {u"k5"_s, tr("Cash outflow"), T::Value, ValueUnit::Fen}});
    t.addNote(granularity == Granularity::Day    ? tr("By day")
              : granularity == Granularity::Week ? tr("By week (Monday to Sunday)")
                                                 : tr("By calendar month"));
    if (!buckets)
        return t;
    QList<BoardValue> k1, k4, k5;
    for (const Bucket& b : *buckets) {
        const QString partial = partialNote(b, granularity, firstDay, loadedThrough);
        if (!partial.isEmpty())
            t.addNote(partial);
        // Buckets wholly outside the loaded days hold no data, not zero: before the site's data begin
        // (helper-72 read ¥0.00 for the months before) or after the last day loaded.
        const bool unloaded = loadedThrough.isValid() && b.from > loadedThrough;
        const bool beforeData = firstDay.isValid() && b.to < firstDay;
        if (unloaded || beforeData) {
            const BoardValue none = BoardValue::noData(unloaded ? BoardPeriod::notLoadedReason(loadedThrough)
                                                                : BoardPeriod::beforeDataReason(firstDay));
            k1 << none;
            k4 << none;
            k5 << none;
        } else {
            k1 << BoardValue::ofSum(b.accrued);
            k4 << BoardValue::ofSum(b.inflow);
            k5 << BoardValue::ofSum(b.outflow);
        }
        t.addRow(
            {b.from.toString(Qt::ISODate),
             {BoardCell::ofText(b.from.toString(Qt::ISODate), partial),
              BoardCell::ofText(b.to.toString(Qt::ISODate), partial), BoardCell::ofValue(k1.last(), partial),
              BoardCell::ofValue(k4.last(), partial), BoardCell::ofValue(k5.last(), partial)}});
    }
    t.setTotals({u"total"_s,
                 {BoardCell::ofText(tr("Total")), BoardCell::ofText(QString()),
                  BoardCell::ofValue(BoardValue::total(k1)), BoardCell::ofValue(BoardValue::total(k4)),
                  BoardCell::ofValue(BoardValue::total(k5))}});
    t.setPaging(t.rows().size(), 1, 0);
    return t;
}

} // namespace riskdesk
