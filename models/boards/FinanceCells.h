#pragma once

#include "BoardTable.h"

#include <functional>
#include <optional>

namespace riskdesk {

// Small cell builders the finance sections share: sums, shares by largest remainder, rates and changes.
class FinanceCells {
public:
    // Largest-remainder shares (spec §2.6) of parts, in tenths of a percent; no data for every part when
    // shares make no sense (a negative part, or a whole of zero).
    static QList<BoardValue> shares(const QList<qint64>& parts);
    // The shares of items that belong to groups (groupOf: an item's index among groupParts): each group's
    // share of the whole divided among its items, so that the items add up to their group's share as well as
    // to 100.0%.
    static QList<BoardValue> sharesWithinGroups(const QList<qint64>& groupParts,
                                                const QList<qint64>& itemParts,
                                                const std::function<qsizetype(qsizetype)>& groupOf);
    // numerator / denominator as a percentage in tenths, rounded half away from zero; no data when the
    // denominator is zero or a part is missing.
    static BoardValue rate(std::optional<qint64> numerator, std::optional<qint64> denominator);
    // The change of a figure against the previous period; no data when either side is missing.
    static BoardCell change(const BoardValue& current, const BoardValue& previous);
    // A value that is unavailable because its section's query failed (reason: the section's error).
    static BoardValue failed(const QString& reason) { return BoardValue::unavailable(reason); }
};

} // namespace riskdesk
