#pragma once

#include <QList>

namespace riskdesk {

// The few statistics every benchmark reports: medians of repeated runs and rates.
class BenchmarkStats {
public:
    // The middle value (the upper one of an even count); 0 for none.
    static double median(QList<double> values);
    static qint64 median(QList<qint64> values);
    // Items per second from a count and nanoseconds; 0 when no time was measured.
    static double perSecond(qint64 count, qint64 ns);
};

} // namespace riskdesk
