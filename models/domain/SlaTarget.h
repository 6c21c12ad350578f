#pragma once

#include "DomainTypes.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace riskdesk {

// The time a pending exception may wait for its decision, by its rule's severity: the tenant's sla_policy
// (boards SPEC §9.2), else the spec's defaults. Past it means age > target, strictly (§9.3, Q3): an exception
// exactly at its target is still within it.
class SlaTarget {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::SlaTarget)

public:
    static qint64 defaultMinutes(Severity severity);
    // minutes <= 0 (no policy row): the default for the severity.
    static qint64 minutesOr(qint64 minutes, Severity severity);
    static bool isPast(const QDateTime& applyTime, qint64 minutes, const QDateTime& now);
    // "past SLA (8 h)": the visible mark's text, for the queue and the detail panel.
    static QString pastText(qint64 minutes);
    static QString durationText(qint64 minutes);
};

} // namespace riskdesk
