#pragma once

#include "RuleEvaluator.h"

#include <QHash>
#include <vector>

namespace riskdesk {

// What a compiled rule remembers while it replays the events of one stored block: the answer of each
// condition that does text work (sets, keywords, duplicates; see CompiledCondition::memoSlots) per
// combination of the value lists it reads. A block stores each distinct list once and its events name them
// by index, so the route-city rule's keyword search runs once per distinct pair of reasons in a block, not
// once per event. The list indices mean other lists in the next block: clear() before each block.
class ConditionMemo {
public:
    void clear() {
        for (QHash<quint64, Truth>& answers : m_answers)
            answers.clear();
    }

    // The answers of the condition at `index`.
    QHash<quint64, Truth>& answers(qsizetype index) {
        if (size_t(index) >= m_answers.size())
            m_answers.resize(size_t(index) + 1);
        return m_answers[size_t(index)];
    }

private:
    std::vector<QHash<quint64, Truth>> m_answers;
};

} // namespace riskdesk
