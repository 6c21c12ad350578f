#include "NearestRankPercentile.h"

#include <algorithm>

namespace riskdesk {

qint64 NearestRankPercentile::rank(qint64 n, int percent) {
    if (n <= 0)
        return 0;
    const int p = std::clamp(percent, 1, 100);
    // ceil(p × n / 100) in integers: no floating point, so 0.9 × 10 is exactly rank 9.
    const qint64 r = (qint64(p) * n + 99) / 100;
    return std::clamp<qint64>(r, 1, n);
}

std::optional<qint64> NearestRankPercentile::ofSorted(const std::vector<qint64>& sorted, int percent) {
    const qint64 r = rank(qint64(sorted.size()), percent);
    if (r == 0)
        return std::nullopt;
    return sorted[size_t(r - 1)];
}

std::optional<qint64> NearestRankPercentile::select(std::vector<qint64>& values, int percent) {
    const qint64 r = rank(qint64(values.size()), percent);
    if (r == 0)
        return std::nullopt;
    const auto at = values.begin() + (r - 1);
    std::nth_element(values.begin(), at, values.end());
    return *at;
}

std::optional<qint64> NearestRankPercentile::of(std::vector<qint64> values, int percent) {
    std::sort(values.begin(), values.end());
    return ofSorted(values, percent);
}

} // namespace riskdesk
