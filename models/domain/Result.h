#pragma once

#include <QString>
#include <utility>
#include <variant>

namespace riskdesk {

// An error a person can act on: which field (if any) and what is wrong with it.
struct Problem {
    QString code;    // stable machine-readable code, e.g. "reason_required"
    QString message; // translated, complete sentence
    QString field;   // reference field name when the problem is about one field
};

// A value or the problem that prevented it. C++20 has no std::expected, so this is the small subset we use.
template <typename T> class Result {
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Problem problem) : m_data(std::move(problem)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return std::get<T>(m_data); }
    T& value() & { return std::get<T>(m_data); }
    T&& value() && { return std::get<T>(std::move(m_data)); }
    const Problem& problem() const { return std::get<Problem>(m_data); }

private:
    std::variant<T, Problem> m_data;
};

// For operations that produce nothing but may fail.
struct Done {};
using Status = Result<Done>;
inline Status success() {
    return Status(Done{});
}

} // namespace riskdesk
