#include "BoardPeriod.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QDate monthStart(const QDate& d) {
    return QDate(d.year(), d.month(), 1);
}

QDate monthEnd(const QDate& d) {
    return QDate(d.year(), d.month(), d.daysInMonth());
}

QDate quarterStart(const QDate& d) {
    return QDate(d.year(), (d.month() - 1) / 3 * 3 + 1, 1);
}

QString iso(const QDate& d) {
    return d.toString(Qt::ISODate);
}

struct PresetName {
    PeriodPreset preset;
    const char* key;
};

constexpr PresetName kKeys[] = {
    {PeriodPreset::Today, "today"},
    {PeriodPreset::Yesterday, "yesterday"},
    {PeriodPreset::ThisWeek, "this_week"},
    {PeriodPreset::LastWeek, "last_week"},
    {PeriodPreset::ThisMonth, "this_month"},
    {PeriodPreset::LastMonth, "last_month"},
    {PeriodPreset::Last7Days, "last_7_days"},
    {PeriodPreset::Last30Days, "last_30_days"},
    {PeriodPreset::Last60Days, "last_60_days"},
    {PeriodPreset::ThisQuarter, "this_quarter"},
    {PeriodPreset::ThisYear, "this_year"},
    {PeriodPreset::Custom, "custom"},
    {PeriodPreset::Month, "month"},
};

} // namespace

BoardPeriod BoardPeriod::preset(PeriodPreset preset, const QDate& today, Qt::DayOfWeek weekStart) {
    const int intoWeek = (today.dayOfWeek() - int(weekStart) + 7) % 7; // days since the week began
    const QDate weekBegin = today.addDays(-intoWeek);
    switch (preset) {
    case PeriodPreset::Today:
        return {today, today, preset};
    case PeriodPreset::Yesterday:
        return {today.addDays(-1), today.addDays(-1), preset};
    case PeriodPreset::ThisWeek:
        return {weekBegin, today, preset};
    case PeriodPreset::LastWeek:
        return {weekBegin.addDays(-7), weekBegin.addDays(-1), preset};
    case PeriodPreset::ThisMonth:
        return {monthStart(today), today, preset};
    case PeriodPreset::LastMonth: {
        const QDate previous = monthStart(today).addDays(-1);
        return {monthStart(previous), previous, preset};
    }
    case PeriodPreset::Last7Days:
        return {today.addDays(-6), today, preset};
    case PeriodPreset::Last30Days:
        return {today.addDays(-29), today, preset};
    case PeriodPreset::Last60Days:
        return {today.addDays(-59), today, preset};
    case PeriodPreset::ThisQuarter:
        return {quarterStart(today), today, preset};
    case PeriodPreset::ThisYear:
        return {QDate(today.year(), 1, 1), today, preset};
    case PeriodPreset::Custom:
    case PeriodPreset::Month:
        break;
    }
    // Custom and Month need more than a day: the whole day is the only honest reading.
    return {today, today, PeriodPreset::Custom};
}

Result<BoardPeriod> BoardPeriod::custom(const QDate& from, const QDate& to) {
    if (!from.isValid() || !to.isValid())
        return Problem{u"bad_period"_s, tr("The period needs a valid start and end date."), u"period"_s};
    if (from > to)
        return Problem{u"bad_period"_s,
                       tr("The period starts on %1, after its end %2.").arg(iso(from), iso(to)), u"period"_s};
    if (from.daysTo(to) + 1 > kMaxCustomDays)
        return Problem{u"period_too_long"_s,
                       tr("The period %1 ~ %2 has %3 days; at most %4 are allowed.")
                           .arg(iso(from), iso(to))
                           .arg(from.daysTo(to) + 1)
                           .arg(kMaxCustomDays),
                       u"period"_s};
    return BoardPeriod(from, to, PeriodPreset::Custom);
}

Result<BoardPeriod> BoardPeriod::customUpTo(const QDate& from, const QDate& to, const QDate& today) {
    auto period = custom(from, to);
    if (period && to > today)
        return Problem{
            u"future_period"_s,
            tr("The period ends on %1, after today (%2): no figures exist yet for the days to come. "
               "Choose an end on or before today.")
                .arg(iso(to), iso(today)),
            u"period"_s};
    return period;
}

std::optional<Problem> BoardPeriod::asOfAfterToday(const QDate& asOf, const QDate& today) {
    if (asOf <= today)
        return std::nullopt;
    return Problem{u"future_as_of"_s,
                   tr("The as-of day %1 is after today (%2). Choose today or an earlier day.")
                       .arg(iso(asOf), iso(today)),
                   u"asOf"_s};
}

std::optional<Problem> BoardPeriod::queueInstantAfterNow(qint64 asOfMs, qint64 nowMs) {
    if (asOfMs <= nowMs)
        return std::nullopt;
    const auto utc = [](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s);
    };
    return Problem{u"future_as_of"_s,
                   tr("The queue's time %1 is after now (%2): there are no figures for times to come. "
                      "Choose now or an earlier time.")
                       .arg(utc(asOfMs), utc(nowMs)),
                   u"asOf"_s};
}

Result<BoardPeriod> BoardPeriod::month(int year, int month, const QDate& today) {
    const QDate first(year, month, 1);
    if (!first.isValid())
        return Problem{u"bad_month"_s, tr("%1-%2 is not a month.").arg(year).arg(month), u"month"_s};
    if (first > today)
        return Problem{
            u"future_month"_s,
            tr("The month %1 has not begun yet (today is %2).").arg(first.toString(u"yyyy-MM"_s), iso(today)),
            u"month"_s};
    if (first == monthStart(today))
        return BoardPeriod(first, today, PeriodPreset::ThisMonth);
    return BoardPeriod(first, monthEnd(first), PeriodPreset::Month);
}

Result<BoardPeriod> BoardPeriod::parseMonth(const QString& text, const QDate& today) {
    static const QRegularExpression shape(uR"(^(\d{4})-(\d{2})$)"_s);
    const auto m = shape.match(text.trimmed());
    if (!m.hasMatch())
        return Problem{u"bad_month"_s,
                       tr("\"%1\" is not a month; write it as YYYY-MM, e.g. 2026-05.").arg(text), u"month"_s};
    return month(m.captured(1).toInt(), m.captured(2).toInt(), today);
}

BoardPeriod BoardPeriod::trailingDays(int days, const QDate& asOf) {
    return {asOf.addDays(-(std::max(days, 1) - 1)), asOf, PeriodPreset::Custom};
}

BoardPeriod BoardPeriod::previous() const {
    // To-date presets first: the same number of days from the start of the previous week / month / quarter /
    // year (本季度 up to 05-31 compares with the first 61 days of Q1, not with February and March).
    QDate start;
    switch (m_preset) {
    case PeriodPreset::ThisWeek:
        start = m_from.addDays(-7);
        break;
    case PeriodPreset::ThisMonth:
        start = m_from.addMonths(-1);
        break;
    case PeriodPreset::ThisQuarter:
        start = m_from.addMonths(-3);
        break;
    case PeriodPreset::ThisYear:
        start = m_from.addYears(-1);
        break;
    default:
        if (isWholeMonths()) {
            const int months = (m_to.year() - m_from.year()) * 12 + m_to.month() - m_from.month() + 1;
            return {m_from.addMonths(-months), m_from.addDays(-1), PeriodPreset::Custom};
        }
        return {m_from.addDays(-days()), m_from.addDays(-1), PeriodPreset::Custom};
    }
    return {start, std::min(start.addDays(days() - 1), m_from.addDays(-1)), PeriodPreset::Custom};
}

BoardPeriod BoardPeriod::comparedWith(const QDate& loadedThrough) const {
    const BoardPeriod whole = previous();
    if (!loadedThrough.isValid() || loadedThrough >= m_to)
        return whole;
    if (loadedThrough < m_from) {
        // None of this range is loaded, so there is no change to give; the previous range's own figures
        // are still shown (the overview's previous column), over its loaded days only when it runs past the
        // data (06-05 ~ 06-10 loaded through 06-01: 05-30 ~ 06-01, not 05-30 ~ 06-04 with three empty days).
        if (loadedThrough >= whole.m_from && loadedThrough < whole.m_to)
            return {whole.m_from, loadedThrough, PeriodPreset::Custom};
        return whole;
    }
    const qint64 loaded = m_from.daysTo(loadedThrough) + 1;
    return {whole.m_from, std::min(whole.m_from.addDays(loaded - 1), whole.m_to), PeriodPreset::Custom};
}

bool BoardPeriod::isWholeMonths() const {
    return m_from.day() == 1 && m_to == monthEnd(m_to);
}

QList<QDate> BoardPeriod::monthsTouched() const {
    QList<QDate> months;
    for (QDate m = monthStart(m_from); m <= m_to; m = m.addMonths(1))
        months << m;
    return months;
}

QString BoardPeriod::rangeText() const {
    return iso(m_from) + u" ~ "_s + iso(m_to);
}

QString BoardPeriod::displayText() const {
    const QString name =
        m_preset == PeriodPreset::Month ? m_from.toString(u"yyyy-MM"_s) : presetName(m_preset);
    return tr("%1 (%2)", "preset name, resolved dates").arg(name, rangeText());
}

QString BoardPeriod::comparisonText() const {
    return comparisonWith(previous());
}

QString BoardPeriod::comparisonText(const QDate& loadedThrough) const {
    return comparisonWith(comparedWith(loadedThrough));
}

QString BoardPeriod::comparisonWith(const BoardPeriod& previous) {
    return tr("PoP %1", "period-over-period against the previous range").arg(previous.rangeText());
}

QString BoardPeriod::unloadedDaysWarning(const QDate& loadedThrough) const {
    if (!loadedThrough.isValid() || loadedThrough >= m_to)
        return {};
    if (isUnloaded(loadedThrough))
        return tr("Data are loaded through %1: no day of this period is loaded yet, so its figures show no "
                  "data "
                  "(—), not zero.")
            .arg(iso(loadedThrough));
    // Some day of the period is loaded, so the whole previous range (before it) is: the changes compare the
    // loaded days with as many days of it.
    return tr("Data are loaded through %1: the last %n day(s) of this period have no data yet, so its "
              "changes compare the days loaded with as many days of the previous period (%2).",
              nullptr, int(loadedThrough.daysTo(m_to)))
        .arg(iso(loadedThrough), comparedWith(loadedThrough).rangeText());
}

QString BoardPeriod::beforeDataReason(const QDate& firstDay) {
    return tr("before the site's data begin (%1)").arg(iso(firstDay));
}

QString BoardPeriod::dataStartWarning(const QDate& firstDay, const BoardPeriod& compared) const {
    if (!firstDay.isValid() || (m_from >= firstDay && compared.m_from >= firstDay))
        return {};
    if (endsBefore(firstDay))
        return tr("The site's data begin on %1, after this period ends: its figures show no data (—), not "
                  "zero.")
            .arg(iso(firstDay));
    // Whole sentences for each case: joined parts read wrongly in Chinese, which puts no space between them.
    const QString first = iso(firstDay), before = compared.rangeText();
    const bool noPrevious = compared.endsBefore(firstDay), partPrevious = compared.m_from < firstDay;
    if (m_from < firstDay) {
        if (noPrevious)
            return tr("The site's data begin on %1: this period's days before then hold nothing, and the "
                      "previous period (%2) ends before them, so no change is shown (—).")
                .arg(first, before);
        if (partPrevious)
            return tr("The site's data begin on %1: this period's days before then hold nothing, and the "
                      "previous period (%2) starts before them, so its changes are not like for like.")
                .arg(first, before);
        return tr("The site's data begin on %1: this period's days before then hold nothing.").arg(first);
    }
    if (noPrevious)
        return tr("The site's data begin on %1, after the previous period (%2) ends, so no change is shown "
                  "(—).")
            .arg(first, before);
    return tr("The site's data begin on %1, within the previous period (%2), so its changes are not like for "
              "like.")
        .arg(first, before);
}

QString BoardPeriod::notLoadedReason(const QDate& loadedThrough) {
    return tr("not loaded yet (data are loaded through %1)").arg(iso(loadedThrough));
}

QJsonObject BoardPeriod::toJson() const {
    return {{u"preset"_s, presetKey(m_preset)}, {u"from"_s, iso(m_from)}, {u"to"_s, iso(m_to)}};
}

QString BoardPeriod::presetName(PeriodPreset preset) {
    switch (preset) {
    case PeriodPreset::Today:
        return tr("Today");
    case PeriodPreset::Yesterday:
        return tr("Yesterday");
    case PeriodPreset::ThisWeek:
        return tr("This week");
    case PeriodPreset::LastWeek:
        return tr("Last week");
    case PeriodPreset::ThisMonth:
        return tr("This month");
    case PeriodPreset::LastMonth:
        return tr("Last month");
    case PeriodPreset::Last7Days:
        return tr("Last 7 days");
    case PeriodPreset::Last30Days:
        return tr("Last 30 days");
    case PeriodPreset::Last60Days:
        return tr("Last 60 days");
    case PeriodPreset::ThisQuarter:
        return tr("This quarter");
    case PeriodPreset::ThisYear:
        return tr("This year");
    case PeriodPreset::Custom:
        return tr("Custom");
    case PeriodPreset::Month:
        return tr("Month");
    }
    return {};
}

QString BoardPeriod::presetDescription(PeriodPreset preset) {
    switch (preset) {
    case PeriodPreset::Today:
    case PeriodPreset::Yesterday:
        return tr("One business day.");
    case PeriodPreset::ThisWeek:
        return tr("From the first day of this week up to today.");
    case PeriodPreset::LastWeek:
        return tr("The whole previous week.");
    case PeriodPreset::ThisMonth:
        return tr("From the 1st of this month up to today.");
    case PeriodPreset::LastMonth:
        return tr("The whole previous calendar month, not the last 30 days.");
    case PeriodPreset::Last7Days:
    case PeriodPreset::Last30Days:
    case PeriodPreset::Last60Days:
        return tr("The last %n business day(s), today included.", nullptr,
                  preset == PeriodPreset::Last7Days    ? 7
                  : preset == PeriodPreset::Last30Days ? 30
                                                       : 60);
    case PeriodPreset::ThisQuarter:
        return tr("From the first day of this quarter up to today.");
    case PeriodPreset::ThisYear:
        return tr("From January 1 up to today.");
    case PeriodPreset::Custom:
        return tr("Any range of at most %n day(s).", nullptr, kMaxCustomDays);
    case PeriodPreset::Month:
        return tr("One calendar month; the current month up to today.");
    }
    return {};
}

QString BoardPeriod::presetKey(PeriodPreset preset) {
    for (const PresetName& p : kKeys)
        if (p.preset == preset)
            return QString::fromLatin1(p.key);
    return {};
}

std::optional<PeriodPreset> BoardPeriod::presetFromKey(const QString& key) {
    for (const PresetName& p : kKeys)
        if (key == QLatin1StringView(p.key))
            return p.preset;
    return std::nullopt;
}

} // namespace riskdesk
