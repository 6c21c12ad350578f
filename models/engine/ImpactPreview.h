#pragma once

#include "CompiledRule.h"
#include "TargetEvent.h"

#include <QCoreApplication>
#include <QList>
#include <span>

namespace riskdesk {

// What a target's recorded events would get, from the rule and the engine together, most lenient first.
enum class EventVerdict { Approve, ApproveWithMonitoring, NeedsSupplement, Review, Reject };

// One event whose verdict the waiver changes.
struct ImpactChange {
    QString eventId;
    qint64 occurredAtMs = 0;
    qint64 amountCents = 0;
    EventVerdict before = EventVerdict::Review;
    EventVerdict after = EventVerdict::Approve;
};

struct ImpactSummary {
    qint64 events = 0;            // the target's whole recorded history
    qint64 inWindow = 0;          // events inside the validity window
    qint64 hits = 0;              // rule hits over the whole history
    qint64 hitsWaived = 0;        // hits inside the window: what approving lets through
    qint64 amountWaivedCents = 0; // their amounts
    qint64 largestWaivedCents = 0;
    qint64 supplementsWaived = 0; // undecidable cases inside the window the rule would have held
    qint64 decisionsChanged = 0;  // events whose verdict becomes more lenient
    qint64 unreadable = 0;        // events the rule could not read (a field missing); never counted as passes
    QString firstProblem;         // why the first unreadable event could not be read
    QList<ImpactChange> changes;  // the changed events, oldest first, up to the limit asked for

    QJsonObject toJson() const; // codes and integers, for the command line
};

// Replays a target's history against an exception's rule with and without the waiver. Without it, a rule hit
// holds the event for review and an undecidable case waits for a supplement, on top of whatever the engine
// decided for a transaction; with it, events inside the validity window [start, end] keep only the engine's
// verdict. Pure: no clock, no database.
class ImpactPreview {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ImpactPreview)

public:
    static ImpactSummary replay(const CompiledRule& rule, qint64 windowStartMs, qint64 windowEndMs,
                                std::span<const TargetEvent> events, qsizetype keepChanges = 100);

    static QString verdictName(EventVerdict verdict); // stable code for JSON
    static QString verdictText(EventVerdict verdict); // for people, translated
    // The engine's decision code (APPROVE …) as a verdict; anything else counts as approve.
    static EventVerdict verdictOfDecision(const QString& decision);
};

} // namespace riskdesk
