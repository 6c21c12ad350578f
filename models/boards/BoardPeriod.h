#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QDate>
#include <QJsonObject>
#include <QList>

namespace riskdesk {

// The named ranges of spec §2.2. Month is a picked salary month of BOARD-1 (the current month is ThisMonth).
enum class PeriodPreset {
    Today,
    Yesterday,
    ThisWeek,
    LastWeek,
    ThisMonth,
    LastMonth,
    Last7Days,
    Last30Days,
    Last60Days,
    ThisQuarter,
    ThisYear,
    Custom,
    Month,
};

// A closed range of business days [from, to], resolved from a preset and "today" (a parameter: the board
// engine never reads the clock). The resolved dates are always available for display next to the preset's
// name, and the previous period follows the rules of spec §2.3.
class BoardPeriod {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardPeriod)

public:
    static constexpr int kMaxCustomDays = 366;

    // A preset other than Custom and Month, on business day today; weekStart is a workspace setting.
    static BoardPeriod preset(PeriodPreset preset, const QDate& today, Qt::DayOfWeek weekStart = Qt::Monday);
    // Any range of at most kMaxCustomDays days, from <= to.
    static Result<BoardPeriod> custom(const QDate& from, const QDate& to);
    // custom() as a reader chooses it on business day today: an end after today is refused, since no figures
    // exist yet for the days to come (the window and the command line alike).
    static Result<BoardPeriod> customUpTo(const QDate& from, const QDate& to, const QDate& today);
    // BOARD-2's as-of day after today, named; nothing when it is today or earlier.
    static std::optional<Problem> asOfAfterToday(const QDate& asOf, const QDate& today);
    // BOARD-4's queue instant after the request's own (UTC ms), named; nothing when it is now or earlier. A
    // queue as it will stand is not known: counted, every pending exception read as past its SLA.
    static std::optional<Problem> queueInstantAfterNow(qint64 asOfMs, qint64 nowMs);
    // A salary month (BOARD-1): a past month whole, the current month up to today; a future month is refused.
    static Result<BoardPeriod> month(int year, int month, const QDate& today);
    // "2026-05" as month().
    static Result<BoardPeriod> parseMonth(const QString& text, const QDate& today);
    // The n business days ending on asOf (BOARD-2 D6/D7 use n = 60), compared with the n days before.
    static BoardPeriod trailingDays(int days, const QDate& asOf);

    const QDate& from() const { return m_from; }
    const QDate& to() const { return m_to; }
    PeriodPreset kind() const { return m_preset; }
    qint64 days() const { return m_from.daysTo(m_to) + 1; }
    bool contains(const QDate& day) const { return day >= m_from && day <= m_to; }

    // The period compared with this one (spec §2.3): a to-date preset of k days with the first k days of the
    // previous week / month / quarter / year, clamped to its length; any other range of whole calendar months
    // with the same number of months before it; any other range with the same number of days just before it.
    BoardPeriod previous() const;
    // The range compared with the days of this one that are loaded (like with like): previous() when the
    // period is loaded to its end or the day is unknown; otherwise previous()'s first k days, k the days
    // loaded (loaded through the 3rd of a month, the 1st to the 3rd of the month before). When no day of the
    // period is loaded, previous() cut at the loaded day if it runs past it (its figures are shown alone).
    BoardPeriod comparedWith(const QDate& loadedThrough) const;

    // True when the range starts on a 1st and ends on the last day of a month.
    bool isWholeMonths() const;
    // The first day of every calendar month the range touches, in order (monthly figures, BOARD-3 §6.7).
    QList<QDate> monthsTouched() const;
    // The salary month (YYYY-MM-01) of a Month or ThisMonth period: the month of from().
    QDate salaryMonth() const { return QDate(m_from.year(), m_from.month(), 1); }

    // "2026-05-01 ~ 2026-05-31"
    QString rangeText() const;
    // The preset's name with its resolved dates: "This month (2026-05-01 ~ 2026-05-20)".
    QString displayText() const;
    // "PoP 2026-04-01 ~ 2026-04-30": the comparison always names the previous range.
    QString comparisonText() const;
    // The same for comparedWith(loadedThrough).
    QString comparisonText(const QDate& loadedThrough) const;
    // The same words for a range compared with that is not one of this period's rules (D7's summary).
    static QString comparisonWith(const BoardPeriod& previous);
    // When the data are loaded only through a day before the period's end (a to-date period on a day whose
    // data come tomorrow), a warning that its last days are still empty and that its changes compare the days
    // loaded with as many days of the previous range (comparedWith). When no day of it is loaded, that its
    // figures are no data. Empty when the period is loaded to its end.
    QString unloadedDaysWarning(const QDate& loadedThrough) const;
    // True when the data are loaded through a known day before the range's first: none of it is loaded, so
    // its sums are no data, not zero (a zero would read as days without business).
    bool isUnloaded(const QDate& loadedThrough) const {
        return loadedThrough.isValid() && loadedThrough < m_from;
    }
    // Why figures of days after loadedThrough are no data: "not loaded yet (data are loaded through …)".
    static QString notLoadedReason(const QDate& loadedThrough);
    // That reason when the range is not loaded at all (isUnloaded), else nothing.
    std::optional<QString> notLoaded(const QDate& loadedThrough) const {
        return isUnloaded(loadedThrough) ? std::optional(notLoadedReason(loadedThrough)) : std::nullopt;
    }
    // True when the range ends before firstDay, the first day the site's data hold (known: valid): nothing of
    // it was ever loaded, so its sums are no data, not zero, as for days not loaded yet.
    bool endsBefore(const QDate& firstDay) const { return firstDay.isValid() && m_to < firstDay; }
    // Why figures of days before the data begin are no data: "before the site's data begin (…)".
    static QString beforeDataReason(const QDate& firstDay);
    // Why this range's sums are no data (none of it loaded yet, or all of it before the data begin), else
    // nothing.
    std::optional<QString> missingDays(const QDate& firstDay, const QDate& loadedThrough) const {
        if (auto notYet = notLoaded(loadedThrough))
            return notYet;
        return endsBefore(firstDay) ? std::optional(beforeDataReason(firstDay)) : std::nullopt;
    }
    // When this period or the range it is compared with starts before firstDay, a warning that says what
    // that does to its figures and changes; empty when neither does.
    QString dataStartWarning(const QDate& firstDay, const BoardPeriod& compared) const;
    // The resolved parameters, for cache keys and for JSON output (keys: preset, from, to).
    QJsonObject toJson() const;

    static QString presetName(PeriodPreset preset);
    // What the preset means, for its tooltip (the calendar-month and "includes today" rules among others).
    static QString presetDescription(PeriodPreset preset);
    // A stable machine name ("this_month"), and back (nothing for an unknown name).
    static QString presetKey(PeriodPreset preset);
    static std::optional<PeriodPreset> presetFromKey(const QString& key);

    bool operator==(const BoardPeriod& other) const = default;

private:
    BoardPeriod(QDate from, QDate to, PeriodPreset preset) : m_from(from), m_to(to), m_preset(preset) {}

    QDate m_from;
    QDate m_to;
    PeriodPreset m_preset = PeriodPreset::Custom;
};

} // namespace riskdesk
