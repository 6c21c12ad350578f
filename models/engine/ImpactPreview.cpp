#include "ImpactPreview.h"

#include "ImpactTally.h"
#include "domain/Money.h"
#include "domain/Timestamps.h"

#include <QJsonArray>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

ImpactSummary ImpactPreview::replay(const CompiledRule& rule, qint64 windowStartMs, qint64 windowEndMs,
                                    std::span<const TargetEvent> events, qsizetype keepChanges) {
    ImpactTally tally(windowStartMs, windowEndMs, keepChanges);
    for (const TargetEvent& event : events)
        tally.add(event.occurredAtMs, event.amountCents,
                  event.assessment ? verdictOfDecision(event.assessment->decision) : EventVerdict::Approve,
                  rule.outcome(event.facts), [&] { return event.eventId; });
    return tally.summary();
}

QJsonObject ImpactSummary::toJson() const {
    QJsonArray changed;
    for (const ImpactChange& c : changes)
        changed.append(QJsonObject{{u"event_id"_s, c.eventId},
                                   {u"occurred_at"_s, timestamps::toIso(timestamps::fromMs(c.occurredAtMs))},
                                   {u"amount"_s, double(c.amountCents) / 100.0},
                                   {u"without_waiver"_s, ImpactPreview::verdictName(c.before)},
                                   {u"with_waiver"_s, ImpactPreview::verdictName(c.after)}});
    QJsonObject json{{u"events"_s, events},
                     {u"events_in_window"_s, inWindow},
                     {u"hits"_s, hits},
                     {u"hits_waived"_s, hitsWaived},
                     {u"amount_waived"_s, double(amountWaivedCents) / 100.0},
                     {u"largest_amount_waived"_s, double(largestWaivedCents) / 100.0},
                     {u"supplements_waived"_s, supplementsWaived},
                     {u"decisions_changed"_s, decisionsChanged},
                     {u"unreadable_events"_s, unreadable},
                     {u"changes"_s, changed}};
    if (!firstProblem.isEmpty())
        json.insert(u"first_problem"_s, firstProblem);
    return json;
}

QString ImpactPreview::verdictName(EventVerdict verdict) {
    switch (verdict) {
    case EventVerdict::Approve:
        return u"approve"_s;
    case EventVerdict::ApproveWithMonitoring:
        return u"approve_with_monitoring"_s;
    case EventVerdict::NeedsSupplement:
        return u"needs_supplement"_s;
    case EventVerdict::Review:
        return u"review"_s;
    case EventVerdict::Reject:
        return u"reject"_s;
    }
    return {};
}

QString ImpactPreview::verdictText(EventVerdict verdict) {
    switch (verdict) {
    case EventVerdict::Approve:
        return tr("pass");
    case EventVerdict::ApproveWithMonitoring:
        return tr("pass with monitoring");
    case EventVerdict::NeedsSupplement:
        return tr("needs supplement");
    case EventVerdict::Review:
        return tr("manual review");
    case EventVerdict::Reject:
        return tr("reject");
    }
    return {};
}

EventVerdict ImpactPreview::verdictOfDecision(const QString& decision) {
    if (decision == u"REJECT")
        return EventVerdict::Reject;
    if (decision == u"REVIEW")
        return EventVerdict::Review;
    if (decision == u"APPROVE_WITH_MONITORING")
        return EventVerdict::ApproveWithMonitoring;
    return EventVerdict::Approve;
}

} // namespace riskdesk
