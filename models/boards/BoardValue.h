#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QLocale>
#include <QString>
#include <optional>

namespace riskdesk {

// The four states of a board figure (spec §2.5), never conflated: a computed value, a computed zero, no data
// (nothing to compute from, e.g. no salary row for the month) and unavailable (its query failed or timed
// out).
enum class CellState { Value, Zero, NoData, Unavailable };

// What a figure's integer counts, which decides how it is shown.
enum class ValueUnit {
    Fen,        // money: ¥1,234.00
    Count,      // 1,234
    Seconds,    // shown as hours with two decimals
    Tenths,     // a percentage in tenths: 46.7%
    Hundredths, // an index score with two decimals: 92.50
    // A duration in seconds shown as hours with one decimal: 7.0 h (BOARD-4's times).
    HoursOneDecimal,
    // A count in tenths, one decimal, grouped like a count: 30,937.0 (BOARD-2's visits per week).
    CountTenths,
};

// One figure of a board in one of the four states, as an exact integer in its unit.
class BoardValue {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardValue)

public:
    // A sum of events for an entity that exists: zero when there were none (COALESCE(SUM(…), 0)).
    static BoardValue ofSum(qint64 sum);
    // A value read from a snapshot row: no data when the row does not exist (a plain read, no COALESCE).
    static BoardValue ofSnapshot(std::optional<qint64> value);
    // reason: why there is nothing to compute from, when it is worth saying (e.g. the period is not loaded
    // yet); shown in the tooltip ("No data: <reason>").
    static BoardValue noData(const QString& reason = {});
    // value, or no data with the reason when there is one (a period not loaded yet: BoardPeriod::notLoaded).
    static BoardValue unless(const std::optional<QString>& noDataReason, const BoardValue& value) {
        return noDataReason ? noData(*noDataReason) : value;
    }
    // reason: why the figure could not be computed, shown in the tooltip ("Unavailable: <reason>").
    static BoardValue unavailable(const QString& reason);

    CellState state() const { return m_state; }
    // The number, for the value and zero states.
    std::optional<qint64> number() const;
    const QString& reason() const { return m_reason; }
    // For the period-over-period: the number when there is one, nothing for no data and unavailable.
    std::optional<qint64> comparable() const { return number(); }

    // Table cell: "¥1,234.00" / "¥0.00" / "—" / "⚠ —".
    QString display(ValueUnit unit, const QLocale& locale) const;
    // CSV cell: raw digits ("1234.00", "4.00", "46.7") for value and zero, empty otherwise.
    QString csv(ValueUnit unit) const;
    // "Unavailable: <reason>" for an unavailable figure, "No data: <reason>" for no data with a reason, else
    // empty.
    QString tooltip() const;
    // "value", "zero", "no_data", "unavailable": the state in JSON output.
    QString stateKey() const;
    // {"state": …, "value": …, "reason": …}; money as yuan, other units as their shown number.
    QJsonObject toJson(ValueUnit unit) const;

    // A totals-row figure over the whole filtered set: unavailable when any row's figure is (a total over a
    // partial column would be wrong) or when the exact sum overflows; no data when every row has none; else
    // the exact sum of the rows that have a number. No data keeps the first row's reason.
    static BoardValue total(const QList<BoardValue>& rows);
    // The same rule for a figure computed from others (BOARD-3 K6 = K4 − K5): unavailable if any input is.
    static BoardValue difference(const BoardValue& a, const BoardValue& b);

    bool operator==(const BoardValue& other) const = default;

private:
    friend class BoardReportCodec; // the board cache stores and restores every field
    CellState m_state = CellState::NoData;
    qint64 m_number = 0;
    QString m_reason;
};

} // namespace riskdesk
