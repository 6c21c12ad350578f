#pragma once

#include <QString>
#include <QtGlobal>
#include <limits>
#include <optional>

namespace riskdesk {

// Amounts of money as whole cents. An accepted amount is bounded so that its cents are exact, and a sum of
// cents is held at the largest count instead of overflowing: a wrapped sum would turn a huge total into a
// negative, harmless-looking one.
class Money {
public:
    // The largest amount accepted: ten trillion, whose cents (10^15) a double still holds exactly.
    static constexpr double kMaxAmount = 1e13;
    // The smallest amount accepted: one cent. Anything smaller would be stored as 0 cents.
    static constexpr double kMinAmount = 0.01;
    static constexpr qint64 kMaxCents = std::numeric_limits<qint64>::max();

    // The cents of an amount, or nothing when it is not a finite number from 0 to kMaxAmount.
    static std::optional<qint64> centsOf(double amount);
    // An amount as a person reads it in a message: plain digits with the decimals it has (10000000000000.01,
    // never 1e+13, so that two different amounts never print alike); an exponent only beyond 10^16
    // or below 10^-6.
    static QString amountText(double amount);
    // a + b, held at the limits of qint64 instead of wrapping around.
    static qint64 addCents(qint64 a, qint64 b);
};

} // namespace riskdesk
