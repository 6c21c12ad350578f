#include "BoardChartCatalog.h"

#include "BoardChartPainter.h"
#include "BoardPdfExport.h"

#include <QHash>
#include <QPainter>
#include <functional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using Kind = BoardChart::Kind;

// A usable section: present and without a core error.
const BoardTable* usable(const BoardReport& report, const QString& key) {
    const BoardTable* t = report.table(key);
    return t && t->outcome().showsRows() ? t : nullptr;
}

// The numbers of one column over rows (all of the table's rows unless a filter is given); nothing when any
// is missing or unavailable.
std::optional<QList<qint64>> column(const BoardTable& t, const QString& key,
                                    const std::function<bool(const BoardTableRow&)>& keep = {}) {
    const int c = t.columnIndex(key);
    if (c < 0)
        return std::nullopt;
    QList<qint64> out;
    for (const BoardTableRow& row : t.rows()) {
        if (keep && !keep(row))
            continue;
        const auto n = row.cells.at(c).value.number();
        if (!n)
            return std::nullopt;
        out << *n;
    }
    return out;
}

// The numbers of a column over a time series whose first rows may have no data (days before the site's data
// begin) and whose last rows may have none either (days not loaded yet): a series of the rows between, drawn
// as a line that begins and stops there. Nothing when a figure is unavailable, when a row without data lies
// between two numbers (a hole, not an edge) or when no row has a number.
std::optional<BoardChart::Series> loadedRun(const BoardTable& t, const QString& key, const QString& name) {
    const int c = t.columnIndex(key);
    if (c < 0)
        return std::nullopt;
    BoardChart::Series out{name, {}};
    bool tail = false;
    for (const BoardTableRow& row : t.rows()) {
        const BoardValue& v = row.cells.at(c).value;
        if (v.state() == CellState::Unavailable || (tail && v.number()))
            return std::nullopt;
        if (const auto n = v.number())
            out.values << *n;
        else if (out.values.isEmpty())
            ++out.first;
        else
            tail = true;
    }
    if (out.values.isEmpty())
        return std::nullopt;
    return out;
}

QStringList texts(const BoardTable& t, const QString& key,
                  const std::function<bool(const BoardTableRow&)>& keep = {}) {
    const int c = t.columnIndex(key);
    QStringList out;
    for (const BoardTableRow& row : t.rows())
        if (!keep || keep(row))
            out << (c >= 0 ? row.cells.at(c).text : row.id.toString());
    return out;
}

QString label(const BoardTable& t, const QString& key) {
    const int c = t.columnIndex(key);
    return c >= 0 ? t.columns().at(c).label : key;
}

std::optional<BoardChart> financeTrend(const BoardReport& r) {
    const BoardTable* t = usable(r, u"trend"_s);
    if (!t || t->rows().isEmpty())
        return std::nullopt;
    const auto current = loadedRun(*t, u"k1"_s, BoardChartCatalog::tr("This period"));
    if (!current)
        return std::nullopt;
    BoardChart c;
    c.kind = Kind::Line;
    c.key = u"finance.trend"_s;
    c.title = BoardChartCatalog::tr("Accrued revenue: this period against the previous");
    c.unit = ValueUnit::Fen;
    c.categories = texts(*t, u"from"_s);
    c.series = {*current};
    if (const BoardTable* p = usable(r, u"trend_previous"_s); p && !p->rows().isEmpty())
        if (const auto previous = loadedRun(*p, u"k1"_s, BoardChartCatalog::tr("Previous period"))) {
            c.previous = previous;
            c.previousCategories = texts(*p, u"from"_s).mid(0, previous->first + previous->values.size());
        }
    return c;
}

std::optional<BoardChart> financeRevenue(const BoardReport& r) {
    const BoardTable* t = usable(r, u"revenue"_s);
    if (!t || t->rows().isEmpty())
        return std::nullopt;
    const auto accrued = column(*t, u"accrued"_s);
    if (!accrued)
        return std::nullopt;
    BoardChart c;
    c.kind = Kind::Donut;
    c.key = u"finance.revenue"_s;
    c.title = t->title();
    c.unit = ValueUnit::Fen;
    c.categories = texts(*t, u"category"_s);
    c.series = {{label(*t, u"accrued"_s), *accrued}};
    return c;
}

std::optional<BoardChart> financeOutflow(const BoardReport& r) {
    const BoardTable* t = usable(r, u"outflow"_s);
    if (!t || t->rows().isEmpty())
        return std::nullopt;
    const int amount = t->columnIndex(u"amount"_s), previous = t->columnIndex(u"previous"_s),
              group = t->columnIndex(u"group"_s);
    if (amount < 0 || previous < 0 || group < 0)
        return std::nullopt;
    BoardChart c;
    c.kind = Kind::StackedBar;
    c.key = u"finance.outflow"_s;
    c.title = t->title();
    c.unit = ValueUnit::Fen;
    c.categories = {BoardChartCatalog::tr("This period"), BoardChartCatalog::tr("Previous period")};
    for (const BoardTableRow& row : t->rows()) {
        if (row.id.toString().contains(u'/'))
            continue; // item rows: the groups already hold them
        const auto now = row.cells.at(amount).value.number();
        // The previous period's figures are an enrichment: without them the second bar is left out.
        const auto before = row.cells.at(previous).value.number();
        if (!now)
            return std::nullopt;
        c.series.append(
            {row.cells.at(group).text, before ? QList<qint64>{*now, *before} : QList<qint64>{*now}});
    }
    for (const BoardChart::Series& s : std::as_const(c.series))
        if (s.values.size() < 2) {
            c.categories = {BoardChartCatalog::tr("This period")};
            for (BoardChart::Series& each : c.series)
                each.values.resize(1);
            break;
        }
    return c;
}

std::optional<BoardChart> coachIncome(const BoardReport& r) {
    const BoardTable* t = usable(r, u"coaches"_s);
    if (!t || t->rows().isEmpty())
        return std::nullopt;
    const auto income = column(*t, u"items_sum"_s);
    if (!income)
        return std::nullopt;
    BoardChart c;
    c.kind = Kind::Bar;
    c.key = u"coach.income"_s;
    c.title = BoardChartCatalog::tr("Service income per coach");
    c.unit = ValueUnit::Fen;
    c.categories = texts(*t, u"coach"_s);
    c.categoryName = label(*t, u"coach"_s); // the table view's first column heads coaches, not "Category"
    c.series = {{label(*t, u"items_sum"_s), *income}};
    return c;
}

std::optional<BoardChart> heatMap(const BoardReport& r, const QString& tableKey, const QString& chartKey) {
    const BoardTable* t = usable(r, tableKey);
    if (!t || t->rows().size() != 7)
        return std::nullopt;
    BoardChart c;
    c.kind = Kind::HeatMap;
    c.key = chartKey;
    c.title = t->title();
    c.unit = ValueUnit::Count;
    for (int h = 0; h < 24; ++h)
        c.categories << label(*t, u"h%1"_s.arg(h, 2, 10, QLatin1Char('0')));
    for (const BoardTableRow& row : t->rows()) {
        BoardChart::Series s{row.cells.at(0).text, {}};
        for (int h = 0; h < 24; ++h) {
            const auto n = row.cells.value(h + 1).value.number();
            if (!n)
                return std::nullopt;
            s.values << *n;
        }
        c.series << s;
    }
    return c;
}

std::optional<BoardChart> riskOpsDaily(const BoardReport& r) {
    const BoardTable* t = usable(r, u"daily_decisions"_s);
    if (!t || t->rows().isEmpty())
        return std::nullopt;
    BoardChart c;
    c.kind = Kind::StackedBar;
    c.key = u"riskops.daily_decisions"_s;
    c.title = t->title();
    c.unit = ValueUnit::Count;
    c.categories = texts(*t, u"day"_s);
    for (const QString& key : {u"approve"_s, u"reject"_s, u"auto_reject"_s}) {
        const auto values = column(*t, key);
        if (!values)
            return std::nullopt;
        c.series.append({label(*t, key), *values});
    }
    return c;
}

} // namespace

QList<BoardChart> BoardChartCatalog::charts(const BoardReport& report, const QLocale& locale) {
    Q_UNUSED(locale) // labels come from the report, computed in the request's language
    QList<std::optional<BoardChart>> all;
    const QString& board = report.board();
    if (board == u"finance")
        all = {financeTrend(report), financeRevenue(report), financeOutflow(report)};
    else if (board == u"coach")
        all = {coachIncome(report)};
    else if (board == u"customer")
        all = {heatMap(report, u"visits_heatmap"_s, u"customer.visits_heatmap"_s)};
    else if (board == u"riskops")
        all = {heatMap(report, u"decisions_heatmap"_s, u"riskops.decisions_heatmap"_s), riskOpsDaily(report)};
    QList<BoardChart> out;
    for (auto& c : all)
        if (c)
            out << std::move(*c);
    return out;
}

std::optional<BoardChart> BoardChartCatalog::chart(const BoardReport& report, const QString& key,
                                                   const QLocale& locale) {
    for (const BoardChart& c : charts(report, locale))
        if (c.key == key)
            return c;
    return std::nullopt;
}

std::optional<BoardChart> BoardChartCatalog::sparkline(const BoardReport& report, const QString& kpiKey) {
    static const QHash<QString, std::pair<QString, QString>> sources{
        {u"finance/K1"_s, {u"trend"_s, u"k1"_s}},
        {u"finance/K4"_s, {u"trend"_s, u"k4"_s}},
        {u"finance/K5"_s, {u"trend"_s, u"k5"_s}},
        {u"riskops/Q1"_s, {u"daily_pending"_s, u"pending"_s}},
        {u"riskops/Q6"_s, {u"daily_decisions"_s, u"total"_s}},
        {u"riskops/Q6_approve"_s, {u"daily_decisions"_s, u"approve"_s}},
        {u"riskops/Q6_reject"_s, {u"daily_decisions"_s, u"reject"_s}},
        {u"riskops/Q6_auto_reject"_s, {u"daily_decisions"_s, u"auto_reject"_s}},
    };
    const auto source = sources.constFind(report.board() + u'/' + kpiKey);
    const BoardKpi* kpi = report.kpi(kpiKey);
    if (source == sources.cend() || !kpi)
        return std::nullopt;
    const BoardTable* t = usable(report, source->first);
    if (!t || t->rows().size() < 2)
        return std::nullopt;
    const auto values = loadedRun(*t, source->second, kpi->label);
    if (!values)
        return std::nullopt;
    BoardChart c;
    c.kind = Kind::Sparkline;
    c.key = report.board() + u".sparkline."_s + kpiKey;
    c.title = kpi->label;
    c.unit = kpi->unit;
    c.categories = texts(*t, t->columnIndex(u"from"_s) >= 0 ? u"from"_s : u"day"_s);
    c.series = {*values};
    return c;
}

BoardFigureSource BoardChartCatalog::pdfFigures(const QLocale& locale, TrendColors::Scheme scheme) {
    return [locale, scheme](const BoardReport& report, const BoardTable& table) {
        QList<BoardFigure> figures;
        const QString key = report.board() + u'.' + table.key();
        const QList<BoardTable>& tables = report.tables();
        const bool first = !tables.isEmpty() && tables.first().key() == table.key();
        for (const BoardChart& chart : charts(report, locale)) {
            // Above the table it is drawn from; a chart of several tables above the first section (as on
            // screen).
            const bool own = chart.key == key;
            const bool orphan = !report.table(chart.key.section(u'.', 1));
            if (!own && !(orphan && first))
                continue;
            constexpr qreal kWidthPt = 640, kHeightPt = 220;
            // No caption: the painter draws the chart's title (printed twice before, caption and title).
            figures.append({QString(), QSizeF(kWidthPt, kHeightPt),
                            [chart, locale, scheme](QPainter& p, const QRectF& area) {
                                // The painter works in 96-dpi pixels: scale its drawing onto the area.
                                const QSizeF px(kWidthPt * 96 / 72, kHeightPt * 96 / 72);
                                p.save();
                                p.translate(area.topLeft());
                                p.scale(area.width() / px.width(), area.height() / px.height());
                                BoardChartPainter::Style style = BoardChartPainter::Style::light(scheme);
                                BoardPdfExport::useDocumentFonts(style.font);
                                BoardChartPainter(chart, locale, style).paint(p, QRectF(QPointF(0, 0), px));
                                p.restore();
                            }});
        }
        return figures;
    };
}

} // namespace riskdesk
