#pragma once

#include <QtGlobal>
#include <optional>

namespace riskdesk {

// A running total that remembers overflow: once a sum has overflowed, the total is gone for good.
class ExactSum {
public:
    void add(qint64 value);
    bool overflowed() const { return m_overflow; }
    // The total, or nothing after an overflow.
    std::optional<qint64> value() const;
    int count() const { return m_count; }

private:
    qint64 m_sum = 0;
    int m_count = 0;
    bool m_overflow = false;
};

} // namespace riskdesk
