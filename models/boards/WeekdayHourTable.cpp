#include "WeekdayHourTable.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
using T = BoardTableColumn::Type;
} // namespace

BoardTable WeekdayHourTable::make(const QString& key, const QString& title, const std::optional<Grid>& grid,
                                  const QLocale& locale) {
    QList<BoardTableColumn> columns{{u"weekday"_s, tr("Weekday"), T::Text}};
    for (int h = 0; h < 24; ++h)
        columns.append({u"h%1"_s.arg(h, 2, 10, QLatin1Char('0')), u"%1"_s.arg(h, 2, 10, QLatin1Char('0')),
                        T::Value, ValueUnit::Count});
    columns.append({u"total"_s, tr("Total"), T::Value, ValueUnit::Count});
    BoardTable t(key, title, columns);
    if (!grid)
        return t;
    std::array<qint64, 25> totals{};
    for (int d = 0; d < 7; ++d) {
        QList<BoardCell> cells{BoardCell::ofText(locale.dayName(d + 1, QLocale::ShortFormat))};
        qint64 sum = 0;
        for (int h = 0; h < 24; ++h) {
            const qint64 n = (*grid)[size_t(d)][size_t(h)];
            cells << BoardCell::ofValue(BoardValue::ofSum(n));
            sum += n;
            totals[size_t(h)] += n;
        }
        totals[24] += sum;
        cells << BoardCell::ofValue(BoardValue::ofSum(sum));
        t.addRow({d + 1, cells});
    }
    QList<BoardCell> totalCells{BoardCell::ofText(tr("Total"))};
    for (qint64 n : totals)
        totalCells << BoardCell::ofValue(BoardValue::ofSum(n));
    t.setTotals({u"total"_s, totalCells});
    t.setPaging(7, 1, 0);
    return t;
}

std::optional<WeekdayHourTable::Grid> WeekdayHourTable::gridOf(const BoardTable& table) {
    if (table.rows().size() != 7 || table.columns().size() != 26)
        return std::nullopt;
    Grid g{};
    for (int d = 0; d < 7; ++d)
        for (int h = 0; h < 24; ++h) {
            const auto n = table.rows().at(d).cells.at(h + 1).value.number();
            if (!n)
                return std::nullopt;
            g[size_t(d)][size_t(h)] = *n;
        }
    return g;
}

} // namespace riskdesk
