#include "BenchmarkStats.h"

#include <algorithm>

namespace riskdesk {

namespace {

template <typename T> T middle(QList<T> values) {
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? T(0) : values.at(values.size() / 2);
}

} // namespace

double BenchmarkStats::median(QList<double> values) {
    return middle(std::move(values));
}

qint64 BenchmarkStats::median(QList<qint64> values) {
    return middle(std::move(values));
}

double BenchmarkStats::perSecond(qint64 count, qint64 ns) {
    return ns > 0 ? double(count) * 1e9 / double(ns) : 0;
}

} // namespace riskdesk
