#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace riskdesk {

// Which way a figure moved; the arrow always shows it, colour never carries it alone.
enum class Trend { Up, Down, Flat, None };

// A rate as an exact fraction (approvals / decisions, incentive / course income). A zero denominator is no
// rate at all.
struct Ratio {
    qint64 numerator = 0;
    qint64 denominator = 0;
    // A rate given as a percentage in tenths, e.g. 42.0% = fromPercentTenths(420).
    static Ratio fromPercentTenths(qint64 tenths) { return {tenths, 1000}; }
};

// Period-over-period (环比, spec §2.3) of one figure: current against previous, with every edge case named.
// Amounts and counts compare as delta / abs(previous) × 100 (so the sign always follows the direction, even
// when the previous value was negative); rates compare as a difference in percentage points. The result is
// rounded half away from zero to one decimal after the exact division.
class PeriodChange {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::PeriodChange)

public:
    enum class Kind {
        Percent,      // delta / abs(prev) × 100, in tenths()
        Points,       // rate difference in percentage points, in tenths()
        New,          // prev = 0 and cur > 0: "new", never infinity
        NoData,       // cur or prev missing
        PreviousZero, // prev = 0 and cur < 0: no meaningful percentage
    };

    // Flow or stock figures in exact units (fen, seconds, counts); nullopt = no data or unavailable.
    static PeriodChange of(std::optional<qint64> current, std::optional<qint64> previous);
    // Rates: the difference in percentage points.
    static PeriodChange ofRates(std::optional<Ratio> current, std::optional<Ratio> previous);

    Kind kind() const { return m_kind; }
    Trend trend() const { return m_trend; }
    // Percent or points in tenths (+467 = +46.7%), when the change is shown as a number.
    std::optional<qint64> tenths() const { return m_tenths; }
    // cur − prev in the figures' own unit (for the tooltip's "+¥140.00"); nothing for rates or when missing.
    std::optional<qint64> delta() const { return m_delta; }
    // True when the current value was missing (as opposed to the previous one).
    bool currentMissing() const { return m_currentMissing; }

    // "+46.7%", "−12.0%", "0.0%", "+3.2 pp", "new", or "—".
    QString text() const;
    // "▲", "▼", "▬", or empty when there is no direction to show.
    QString arrow() const;
    // Why there is no number ("no data for the previous period", "previous period was 0"); else empty.
    QString explanation() const;
    // For JSON output: kind, trend, tenths and delta when present, text.
    QJsonObject toJson() const;

private:
    friend class BoardReportCodec; // the board cache stores and restores every field
    Kind m_kind = Kind::NoData;
    Trend m_trend = Trend::None;
    std::optional<qint64> m_tenths;
    std::optional<qint64> m_delta;
    bool m_currentMissing = false;
};

} // namespace riskdesk
