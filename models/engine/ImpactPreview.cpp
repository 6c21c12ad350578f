#include "ImpactPreview.h"

#include "domain/Money.h"
#include "domain/Timestamps.h"

#include <QJsonArray>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

ImpactSummary ImpactPreview::replay(const CompiledRule& rule, qint64 windowStartMs, qint64 windowEndMs,
                                    std::span<const TargetEvent> events, qsizetype keepChanges) {
    ImpactSummary out;
    out.events = qint64(events.size());
    for (const TargetEvent& event : events) {
        const bool inWindow = event.occurredAtMs >= windowStartMs && event.occurredAtMs <= windowEndMs;
        out.inWindow += inWindow;
        const EventVerdict engine =
            event.assessment ? verdictOfDecision(event.assessment->decision) : EventVerdict::Approve;
        const auto outcome = rule.outcome(event.facts);
        if (!outcome) {
            ++out.unreadable;
            if (out.firstProblem.isEmpty())
                out.firstProblem = outcome.problem().message;
            continue;
        }
        EventVerdict without = engine;
        if (outcome.value() == RuleEvaluation::Outcome::Hit) {
            ++out.hits;
            without = std::max(engine, EventVerdict::Review);
        } else if (outcome.value() == RuleEvaluation::Outcome::NeedsSupplement) {
            without = std::max(engine, EventVerdict::NeedsSupplement);
        }
        if (!inWindow || outcome.value() == RuleEvaluation::Outcome::Pass)
            continue;
        if (outcome.value() == RuleEvaluation::Outcome::Hit) {
            ++out.hitsWaived;
            out.amountWaivedCents = Money::addCents(out.amountWaivedCents, event.amountCents);
            out.largestWaivedCents = std::max(out.largestWaivedCents, event.amountCents);
        } else {
            ++out.supplementsWaived;
        }
        if (without != engine) {
            ++out.decisionsChanged;
            if (out.changes.size() < keepChanges)
                out.changes.append({event.eventId, event.occurredAtMs, event.amountCents, without, engine});
        }
    }
    return out;
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
