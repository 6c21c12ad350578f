#include "FinanceCells.h"

#include "ExactMath.h"
#include "ShareRounding.h"

namespace riskdesk {

QList<BoardValue> FinanceCells::shares(const QList<qint64>& parts) {
    QList<BoardValue> out;
    const auto tenths = ShareRounding::tenthsOfPercent(parts);
    for (qsizetype i = 0; i < parts.size(); ++i)
        out << (tenths ? BoardValue::ofSum(tenths.value().at(i)) : BoardValue::noData());
    return out;
}

QList<BoardValue> FinanceCells::sharesWithinGroups(const QList<qint64>& groupParts,
                                                   const QList<qint64>& itemParts,
                                                   const std::function<qsizetype(qsizetype)>& groupOf) {
    QList<BoardValue> out(itemParts.size(), BoardValue::noData());
    const auto groupTenths = ShareRounding::tenthsOfPercent(groupParts);
    if (!groupTenths)
        return out;
    for (qsizetype g = 0; g < groupParts.size(); ++g) {
        QList<qsizetype> members;
        QList<qint64> parts;
        for (qsizetype i = 0; i < itemParts.size(); ++i)
            if (groupOf(i) == g) {
                members << i;
                parts << itemParts[i];
            }
        if (members.isEmpty())
            continue;
        if (groupParts[g] == 0) { // a group of nothing: its items are 0.0% of the whole
            for (qsizetype i : members)
                out[i] = BoardValue::ofSum(0);
            continue;
        }
        const auto tenths = ShareRounding::apportion(parts, groupTenths.value()[g]);
        for (qsizetype k = 0; tenths && k < members.size(); ++k)
            out[members[k]] = BoardValue::ofSum(tenths.value()[k]);
    }
    return out;
}

BoardValue FinanceCells::rate(std::optional<qint64> numerator, std::optional<qint64> denominator) {
    if (!numerator || !denominator || *denominator == 0)
        return BoardValue::noData();
    const auto tenths = ExactMath::divideRounded(__int128(*numerator) * 1000, *denominator);
    return tenths ? BoardValue::ofSum(*tenths) : BoardValue::noData();
}

BoardCell FinanceCells::change(const BoardValue& current, const BoardValue& previous) {
    return BoardCell::ofChange(PeriodChange::of(current.comparable(), previous.comparable()));
}

} // namespace riskdesk
