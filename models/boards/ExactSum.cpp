#include "ExactSum.h"

namespace riskdesk {

void ExactSum::add(qint64 value) {
    ++m_count;
    if (m_overflow)
        return;
    if (__builtin_add_overflow(m_sum, value, &m_sum))
        m_overflow = true;
}

std::optional<qint64> ExactSum::value() const {
    if (m_overflow)
        return std::nullopt;
    return m_sum;
}

} // namespace riskdesk
