#include "Money.h"

#include <QLocale>
#include <cmath>

namespace riskdesk {

std::optional<qint64> Money::centsOf(double amount) {
    if (!std::isfinite(amount) || amount < 0 || amount > kMaxAmount)
        return std::nullopt;
    return std::llround(amount * 100.0);
}

QString Money::amountText(double amount) {
    const double size = std::fabs(amount);
    const char format = amount == 0 || (size >= 1e-6 && size < 1e16) ? 'f' : 'g';
    return QString::number(amount, format, QLocale::FloatingPointShortest);
}

qint64 Money::addCents(qint64 a, qint64 b) {
    qint64 sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return b > 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return sum;
}

} // namespace riskdesk
