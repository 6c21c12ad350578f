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
