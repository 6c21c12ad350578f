#pragma once

#include <QtGlobal>
#include <optional>
#include <vector>

namespace riskdesk {

// The nearest-rank percentile of spec §9.3: the p-th percentile of n sorted values is the value at position
// ceil(p × n) (1-based); with no values there is none ("no data"). Exact on integers: no interpolation, so a
// percentile is always one of the values (a real decision time, not an average of two).
class NearestRankPercentile {
public:
    // percent in 1..100; values in any order (they are sorted here).
    static std::optional<qint64> of(std::vector<qint64> values, int percent);
    // The same over values already sorted ascending.
    static std::optional<qint64> ofSorted(const std::vector<qint64>& sorted, int percent);
    // The same without sorting: the value of that rank is put in its place (std::nth_element), the others
    // only partly reordered, so several percentiles of one set can be selected one after another. Linear
    // where sorting is n log n: a board asks two or three percentiles of hundreds of thousands of times.
    static std::optional<qint64> select(std::vector<qint64>& values, int percent);
    // The 1-based rank ceil(percent × n / 100), clamped to 1..n; 0 when n = 0.
    static qint64 rank(qint64 n, int percent);
};

} // namespace riskdesk
