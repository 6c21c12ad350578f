#pragma once

#include <QString>

namespace riskdesk {

// Client-side ids, so offline work needs no server round trip.
class RecordId {
public:
    // exc- + 12 lower-case hex digits from a random UUID, as the reference does.
    static QString newExceptionId();
    // Deterministic id for generated demo data.
    static QString exceptionIdFromNumber(quint64 number);
};

} // namespace riskdesk
