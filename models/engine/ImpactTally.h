#pragma once

#include "ImpactPreview.h"

namespace riskdesk {

// Counts a target's history into an ImpactSummary one event at a time, oldest first: what
// ImpactPreview::replay does over events in memory, and what the store's replay does while it reads the
// stored blocks (so neither keeps a TargetEvent per event).
class ImpactTally {
public:
    ImpactTally(qint64 windowStartMs, qint64 windowEndMs, qsizetype keepChanges)
        : m_start(windowStartMs), m_end(windowEndMs), m_keep(keepChanges) {}

    // One event: the engine's verdict, the rule's answer, and its id (a callable giving the QString), asked
    // for only when the event is one of the changes kept.
    template <typename EventId>
    void add(qint64 occurredAtMs, qint64 amountCents, EventVerdict engine,
             const Result<RuleEvaluation::Outcome>& outcome, EventId&& eventId) {
        if (count(occurredAtMs, amountCents, engine, outcome)) {
            m_change.eventId = eventId();
            m_out.changes.append(m_change);
        }
    }

    const ImpactSummary& summary() const { return m_out; }

private:
    // Counts the event; true when it is a change to keep (then in m_change, but for its id).
    bool count(qint64 occurredAtMs, qint64 amountCents, EventVerdict engine,
               const Result<RuleEvaluation::Outcome>& outcome);

    qint64 m_start, m_end;
    qsizetype m_keep;
    ImpactSummary m_out;
    ImpactChange m_change;
};

} // namespace riskdesk
