#pragma once

#include <QtGlobal>
#include <optional>

namespace riskdesk {

// Integer arithmetic for board figures (fen, seconds, counts). Sums and products report overflow instead of
// wrapping or saturating: a wrapped total looks like a plausible number, and a total must be exact or absent.
class ExactMath {
public:
    static std::optional<qint64> add(qint64 a, qint64 b);
    static std::optional<qint64> subtract(qint64 a, qint64 b);
    static std::optional<qint64> multiply(qint64 a, qint64 b);
    // numerator / denominator rounded half away from zero, computed without overflow (128-bit
    // intermediate). Nothing for a zero denominator or a quotient outside qint64.
    static std::optional<qint64> divideRounded(__int128 numerator, __int128 denominator);
    // BOARD-2 D7: visits in 60 days as weekly visits, in tenths (visits × 7 / 60, one decimal).
    static std::optional<qint64> weeklyVisitsTenths(qint64 visits60d);
};

} // namespace riskdesk
