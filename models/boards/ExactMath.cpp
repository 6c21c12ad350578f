#include "ExactMath.h"

#include <limits>

namespace riskdesk {

std::optional<qint64> ExactMath::add(qint64 a, qint64 b) {
    qint64 r = 0;
    if (__builtin_add_overflow(a, b, &r))
        return std::nullopt;
    return r;
}

std::optional<qint64> ExactMath::subtract(qint64 a, qint64 b) {
    qint64 r = 0;
    if (__builtin_sub_overflow(a, b, &r))
        return std::nullopt;
    return r;
}

std::optional<qint64> ExactMath::multiply(qint64 a, qint64 b) {
    qint64 r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        return std::nullopt;
    return r;
}

std::optional<qint64> ExactMath::divideRounded(__int128 numerator, __int128 denominator) {
    if (denominator == 0)
        return std::nullopt;
    if (denominator < 0) {
        numerator = -numerator;
        denominator = -denominator;
    }
    const bool negative = numerator < 0;
    const __int128 magnitude = negative ? -numerator : numerator;
    __int128 q = magnitude / denominator;
    // Half away from zero: round up when the remainder is at least half the divisor (compared without
    // doubling the remainder, which could overflow for divisors near 2^127).
    const __int128 remainder = magnitude % denominator;
    if (remainder >= denominator - remainder)
        ++q;
    if (negative)
        q = -q;
    if (q > std::numeric_limits<qint64>::max() || q < std::numeric_limits<qint64>::min())
        return std::nullopt;
    return qint64(q);
}

std::optional<qint64> ExactMath::weeklyVisitsTenths(qint64 visits60d) {
    // visits × 7 / 60 weeks, in tenths: visits × 70 / 60 = visits × 7 / 6. Never in floating point:
    // 3 visits give exactly 0.35, which binary doubles store as 0.34999…
    return divideRounded(__int128(visits60d) * 7, 6);
}

} // namespace riskdesk
