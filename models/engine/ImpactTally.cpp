#include "ImpactTally.h"

#include "domain/Money.h"

#include <algorithm>

namespace riskdesk {

bool ImpactTally::count(qint64 occurredAtMs, qint64 amountCents, EventVerdict engine,
                        const Result<RuleEvaluation::Outcome>& outcome) {
    ++m_out.events;
    const bool inWindow = occurredAtMs >= m_start && occurredAtMs <= m_end;
    m_out.inWindow += inWindow;
    if (!outcome) {
        ++m_out.unreadable;
        if (m_out.firstProblem.isEmpty())
            m_out.firstProblem = outcome.problem().message;
        return false;
    }
    EventVerdict without = engine;
    if (outcome.value() == RuleEvaluation::Outcome::Hit) {
        ++m_out.hits;
        without = std::max(engine, EventVerdict::Review);
    } else if (outcome.value() == RuleEvaluation::Outcome::NeedsSupplement) {
        without = std::max(engine, EventVerdict::NeedsSupplement);
    }
    if (!inWindow || outcome.value() == RuleEvaluation::Outcome::Pass)
        return false;
    if (outcome.value() == RuleEvaluation::Outcome::Hit) {
        ++m_out.hitsWaived;
        m_out.amountWaivedCents = Money::addCents(m_out.amountWaivedCents, amountCents);
        m_out.largestWaivedCents = std::max(m_out.largestWaivedCents, amountCents);
    } else {
        ++m_out.supplementsWaived;
    }
    if (without == engine)
        return false;
    ++m_out.decisionsChanged;
    if (m_out.changes.size() >= m_keep)
        return false;
    m_change = ImpactChange{{}, occurredAtMs, amountCents, without, engine};
    return true;
}

} // namespace riskdesk
