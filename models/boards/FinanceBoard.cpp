#include "FinanceBoard.h"

#include "EnrichmentRunner.h"
#include "FinanceCashInflow.h"
#include "FinanceCashOutflow.h"
#include "FinanceCells.h"
#include "FinanceCoachAnalysis.h"
#include "FinanceDrill.h"
#include "FinancePrepaidMatrix.h"
#include "FinanceRevenueStructure.h"
#include "FinanceTrend.h"
#include "MoneyFormat.h"

#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using T = BoardTableColumn::Type;

// One section's figures for the period and the previous one, read through the runner: the core step reads
// the period (its failure makes the section an error), the "<section>_previous" enrichment reads the
// previous period (its failure only takes the comparison away).
template <typename Figures> struct SectionRead {
    std::optional<Figures> current;
    std::optional<Figures> previous;
    SectionOutcome outcome;
    // Set when no day of the period is loaded: why its figures are no data (nothing was read for it).
    std::optional<QString> notLoaded;
    QString reason() const { return outcome.coreError().value_or(QString()); }
    // The outcome the section's tables show: no data, with the reason, when the period is not loaded.
    SectionOutcome tableOutcome() const {
        SectionOutcome o = outcome;
        if (notLoaded)
            o.markNoData(*notLoaded);
        return o;
    }
    // A figure of the period: computed, no data when the period is not loaded, unavailable when it failed.
    template <typename Value> BoardValue currentOr(Value value) const {
        if (current)
            return value(*current);
        return notLoaded ? BoardValue::noData(*notLoaded) : BoardValue::unavailable(reason());
    }
};

// The days the site's data hold: from the first (invalid when unknown) through the watermark (invalid when
// unknown). A range outside them is not read at all: its figures are no data, not zero.
struct LoadedDays {
    QDate first;
    QDate through;

    std::optional<QString> missing(const BoardPeriod& p) const { return p.missingDays(first, through); }
};

template <typename Figures, typename Read>
SectionRead<Figures> readSection(QSqlDatabase db, const QString& key, const BoardPeriod& period,
                                 const LoadedDays& loaded, bool withPrevious, Read read) {
    const QDate& loadedThrough = loaded.through;
    EnrichmentRunner runner(u"finance"_s);
    runner.interruptOn(db);
    SectionRead<Figures> out;
    out.notLoaded = loaded.missing(period);
    const auto step = [&](const BoardPeriod& p, std::optional<Figures>& into) {
        return [&, p](const EnrichmentRunner::Deadline&) -> Status {
            auto r = read(p);
            if (!r)
                return r.problem();
            into = std::move(r).value();
            return success();
        };
    };
    if (!out.notLoaded && !runner.runCore(key, step(period, out.current)))
        out.current.reset();
    // The previous period over as many days as are loaded of this one (like with like).
    const BoardPeriod compared = period.comparedWith(loadedThrough);
    if (withPrevious && !loaded.missing(compared) &&
        !runner.runEnrichment(key + u"_previous"_s, {u"previous"_s, u"change"_s},
                              step(compared, out.previous)))
        out.previous.reset();
    // The runner names faults "finance.<step>"; the outcome is named after the section it belongs to.
    out.outcome = SectionOutcome(u"finance."_s + key);
    if (runner.outcome().coreError())
        out.outcome.failCore(*runner.outcome().coreError());
    for (const EnrichmentFailure& f : runner.outcome().failures())
        out.outcome.failEnrichment(f);
    return out;
}

std::optional<qint64> known(const BoardValue& v) {
    return v.number();
}

} // namespace

const QStringList& FinanceBoard::sections() {
    static const QStringList keys{u"overview"_s, u"trend"_s,   u"prepaid"_s, u"revenue"_s,
                                  u"inflow"_s,   u"outflow"_s, u"coach"_s};
    return keys;
}

QString FinanceBoard::kpiLabel(const QString& key) {
    if (key == u"K1"_s)
        return tr("Accrued revenue");
    if (key == u"K2"_s)
        return tr("Discounts");
    if (key == u"K3"_s)
        return tr("Coach service income");
    if (key == u"K4"_s)
        return tr("Cash inflow");
    if (key == u"K5"_s)
        return tr("Cash outflow");
    if (key == u"K6"_s)
        return tr("Net cash flow");
    if (key == u"K7"_s)
        return tr("Stored-value recharge");
    if (key == u"K8"_s)
        return tr("Stored-value balance");
    return key;
}

Result<BoardReport> FinanceBoard::compute(QSqlDatabase db, const BoardScope& scope,
                                          const BoardRequest& request) {
    if (Status s = scope.checkBoard(BoardKind::Finance); !s)
        return s.problem();
    if (Status s = scope.checkSite(request.site); !s)
        return s.problem();
    if (!request.dimension.isEmpty() || !request.skill.isEmpty() || !request.search.isEmpty() ||
        (!request.sort.isEmpty() && request.drill.isEmpty()))
        return Problem{
            u"unsupported_option"_s,
            tr("The finance board has fixed sections: --dimension, --skill, --search and --sort do not "
               "apply to it (a drill-down sorts by any of its columns)."),
            u"option"_s};
    // The last whole month when none is asked, as the window opens on (BoardFilterBar): the command line
    // answered this month meanwhile, other figures for the same words (helper-84).
    const BoardPeriod period =
        request.period.value_or(BoardPeriod::preset(PeriodPreset::LastMonth, request.today));
    FinanceTrend::Granularity granularity = FinanceTrend::defaultFor(period);
    if (!request.granularity.isEmpty()) {
        const auto g = FinanceTrend::parse(request.granularity);
        if (!g)
            return Problem{u"bad_granularity"_s,
                           tr("The trend's granularity must be day, week or month, not \"%1\".")
                               .arg(request.granularity),
                           u"granularity"_s};
        granularity = *g;
    }
    if (request.drill.isEmpty() && request.page != 1)
        return Problem{
            u"unsupported_option"_s,
            tr("The finance board prints its sections whole: there is no page %1.").arg(request.page),
            u"page"_s};
    const FinanceSource source(db, request.tenant, request.site);
    // A watermark that cannot be read fails the board, as it does the others: taken as unknown, every day
    // would count as loaded and a day not loaded yet would read ¥0.00. No watermark row is unknown (invalid).
    const auto watermark = scope.watermarkOf(request.site);
    if (!watermark)
        return watermark.problem();
    const QDate loadedThrough = watermark.value();
    // Compared with as many days of the previous period as are loaded of this one (spec §2.3's to-date rule
    // applied to the data's own edge).
    const BoardPeriod previous = period.comparedWith(loadedThrough);
    if (!request.drill.isEmpty()) {
        const auto page = BoardPage::make(request.page, request.pageSize);
        if (!page)
            return page.problem();
        auto drill = FinanceDrill::run(source, period, loadedThrough, granularity, request.drill,
                                       page.value(), request.showVoided, request.sort);
        if (drill)
            drill.value().setWatermark(loadedThrough);
        return drill;
    }

    // Days before the site's data begin are no data, as days after the watermark are.
    const auto firstDay = source.firstDay();
    if (!firstDay)
        return firstDay.problem();
    const LoadedDays loaded{firstDay.value(), loadedThrough};

    // Each section alone: a failure in one never reaches another.
    const auto k3 = readSection<qint64>(db, u"overview"_s, period, loaded, true, [&](const BoardPeriod& p) {
        const auto days = source.serviceIncomeByDay(p);
        if (!days)
            return Result<qint64>(days.problem());
        __int128 sum = 0; // at most 366 daily sums: no overflow here, checked against 64 bits below
        for (const QVariantList& d : days.value())
            sum += d.value(1).toLongLong();
        if (sum < std::numeric_limits<qint64>::min() || sum > std::numeric_limits<qint64>::max())
            return Result<qint64>(
                Problem{u"overflow"_s, tr("The coach service income is too large to add up."), {}});
        return Result<qint64>(qint64(sum));
    });
    const auto trend = readSection<QList<FinanceTrend::Bucket>>(
        db, u"trend"_s, period, loaded, false,
        [&](const BoardPeriod& p) { return FinanceTrend::read(source, p, granularity); });
    // The previous period's buckets, for the trend chart's dashed line; a section of its own so that its
    // failure never touches the current trend.
    const auto trendPrevious = readSection<QList<FinanceTrend::Bucket>>(
        db, u"trend_previous"_s, previous, loaded, false,
        [&](const BoardPeriod& p) { return FinanceTrend::read(source, p, granularity); });
    const auto prepaid = readSection<FinancePrepaidMatrix::Figures>(
        db, u"prepaid"_s, period, loaded, true,
        [&](const BoardPeriod& p) { return FinancePrepaidMatrix::read(source, p, loadedThrough); });
    const auto revenue = readSection<FinanceRevenueStructure::Figures>(
        db, u"revenue"_s, period, loaded, true,
        [&](const BoardPeriod& p) { return FinanceRevenueStructure::read(source, p); });
    const auto inflow = readSection<FinanceCashInflow::Figures>(
        db, u"inflow"_s, period, loaded, true,
        [&](const BoardPeriod& p) { return FinanceCashInflow::read(source, p); });
    const auto outflow = readSection<FinanceCashOutflow::Figures>(
        db, u"outflow"_s, period, loaded, true,
        [&](const BoardPeriod& p) { return FinanceCashOutflow::read(source, p); });
    // Section 6 reads the monthly salary rows of the months the period touches, loaded apart from the days:
    // a month without rows is no data by itself, so the section is read whatever the days' watermark says.
    const auto coach = readSection<FinanceCoachAnalysis::Figures>(
        db, u"coach"_s, period, LoadedDays{}, false,
        [&](const BoardPeriod& p) { return FinanceCoachAnalysis::read(source, p, loadedThrough); });
    // The discount breakdown enriches Section 3 (its failure leaves the categories whole).
    std::optional<QList<FinanceRevenueStructure::Discount>> discounts;
    SectionOutcome revenueOutcome = revenue.tableOutcome();
    if (revenue.current) {
        EnrichmentRunner runner(u"finance"_s);
        runner.interruptOn(db);
        if (!runner.runEnrichment(u"revenue_discounts"_s, {u"revenue_discounts"_s},
                                  [&](const EnrichmentRunner::Deadline&) -> Status {
                                      auto r = FinanceRevenueStructure::readDiscounts(source, period);
                                      if (!r)
                                          return r.problem();
                                      discounts = std::move(r).value();
                                      return success();
                                  }))
            discounts.reset();
        for (const EnrichmentFailure& f : runner.outcome().failures())
            revenueOutcome.failEnrichment(f);
    }

    // K1–K8 for both periods.
    struct Pair {
        BoardValue current;
        BoardValue previous;
    };
    const auto pair = [](const auto& section, auto value) -> Pair {
        return {section.currentOr(value), section.previous ? value(*section.previous) : BoardValue::noData()};
    };
    QMap<QString, Pair> k;
    k[u"K1"_s] = pair(revenue, [](const auto& f) { return BoardValue::ofSum(f.accrued()); });
    k[u"K2"_s] = pair(revenue, [](const auto& f) { return BoardValue::ofSum(f.discount); });
    k[u"K3"_s] = pair(k3, [](qint64 v) { return BoardValue::ofSum(v); });
    k[u"K4"_s] = pair(inflow, [](const auto& f) { return BoardValue::ofSum(f.total()); });
    k[u"K5"_s] = pair(outflow, [](const auto& f) { return BoardValue::ofSum(f.total()); });
    k[u"K6"_s] = {BoardValue::difference(k[u"K4"_s].current, k[u"K5"_s].current),
                  BoardValue::difference(k[u"K4"_s].previous, k[u"K5"_s].previous)};
    const auto storedValue = [](const FinancePrepaidMatrix::Figures& f) { return f.row(u"stored_value"_s); };
    k[u"K7"_s] = pair(prepaid, [&](const auto& f) {
        const auto* r = storedValue(f);
        return r ? BoardValue::ofSnapshot(r->figures.additions) : BoardValue::noData();
    });
    k[u"K8"_s] = pair(prepaid, [&](const auto& f) {
        const auto* r = storedValue(f);
        return r ? BoardValue::ofSnapshot(r->figures.closing) : BoardValue::noData();
    });
    // A previous K6 made of two missing figures is no data, not "unavailable".
    if (!known(k[u"K6"_s].previous))
        k[u"K6"_s].previous = BoardValue::noData();

    BoardReport report(u"finance"_s, tr("Finance board"));
    report.parameters().insert(u"tenant"_s, request.tenant);
    report.parameters().insert(u"site"_s, request.site);
    report.parameters().insert(u"period"_s, period.toJson());
    report.parameters().insert(u"previousPeriod"_s, previous.toJson());
    report.parameters().insert(u"range"_s, period.displayText());
    report.parameters().insert(u"comparison"_s, period.comparisonText(loadedThrough));
    report.parameters().insert(u"granularity"_s, FinanceTrend::key(granularity));
    report.setWatermark(loadedThrough);
    if (const QString lag = period.unloadedDaysWarning(loadedThrough); !lag.isEmpty())
        report.addBadge(lag);
    if (const QString start = period.dataStartWarning(loaded.first, previous); !start.isEmpty())
        report.addBadge(start);
    if (!period.isWholeMonths())
        report.addBadge(FinanceCoachAnalysis::calendarMonthBadge(period));

    BoardTable overview(u"overview"_s, tr("Overview"),
                        {{u"metric"_s, tr("Metric"), T::Text},
                         {u"value"_s, tr("This period"), T::Value, ValueUnit::Fen},
                         {u"previous"_s, tr("Previous period"), T::Value, ValueUnit::Fen},
                         {u"change"_s, tr("Change"), T::Change}});
    overview.addNote(period.comparisonText(loadedThrough));
    const QJsonObject previousRange = previous.toJson();
    for (const QString& key : {u"K1"_s, u"K2"_s, u"K3"_s, u"K4"_s, u"K5"_s, u"K6"_s, u"K7"_s, u"K8"_s}) {
        const Pair& p = k[key];
        BoardKpi kpi;
        kpi.key = key;
        kpi.label = kpiLabel(key);
        kpi.value = p.current;
        kpi.unit = ValueUnit::Fen;
        // K8 is a stock: each side is the balance on its period's closing day (the last day, or the last
        // loaded day when the period runs past the data).
        kpi.change = PeriodChange::of(known(p.current), known(p.previous));
        kpi.comparison = period.comparisonText(loadedThrough);
        kpi.previous = previousRange;
        kpi.previous.insert(u"value"_s, p.previous.toJson(ValueUnit::Fen));
        report.addKpi(kpi);
        overview.addRow({key,
                         {BoardCell::ofText(kpi.label), BoardCell::ofValue(p.current),
                          BoardCell::ofValue(p.previous), BoardCell::ofChange(*kpi.change)}});
    }
    overview.setPaging(overview.rows().size(), 1, 0);
    overview.outcome() = k3.outcome;
    report.addTable(overview);

    BoardTable trendTable = FinanceTrend::table(trend.current, granularity, loaded.first, loadedThrough);
    trendTable.outcome() = trend.tableOutcome();
    report.addTable(trendTable);
    BoardTable trendPreviousTable =
        FinanceTrend::previousTable(trendPrevious.current, granularity, loaded.first, loadedThrough);
    trendPreviousTable.outcome() = trendPrevious.tableOutcome();
    report.addTable(trendPreviousTable);

    // Section 2 and its roll-forward marks (a failed section cannot reconcile anything).
    BoardTable prepaidTable = FinancePrepaidMatrix::table(prepaid.current, request.locale);
    const QList<ReconciliationWarning> rollForward = prepaidTable.outcome().warnings();
    prepaidTable.outcome() = prepaid.tableOutcome();
    for (const ReconciliationWarning& w : rollForward)
        prepaidTable.outcome().addWarning(w);
    if (!prepaid.current) // (a period with no data keeps no warnings: nothing to reconcile)
        prepaidTable.outcome().addWarning(
            ReconciliationWarning::compare(ReconciliationWarning::Kind::DoesNotReconcile,
                                           tr("Prepaid funds roll-forward"), std::nullopt, std::nullopt));
    if (const QDate closing = FinancePrepaidMatrix::closingDay(period, loadedThrough); closing != period.to())
        prepaidTable.addNote(tr("Closing balances and active cards are those of %1, the last day loaded.")
                                 .arg(closing.toString(Qt::ISODate)));
    report.addTable(prepaidTable);

    // Section 3: discount breakdown = K2, coach row vs K3.
    BoardTable revenueTable = FinanceRevenueStructure::table(revenue.current, revenue.previous);
    revenueTable.outcome() = revenueOutcome;
    std::optional<qint64> breakdown;
    if (discounts) {
        qint64 sum = 0;
        for (const auto& d : *discounts)
            sum += d.amount;
        breakdown = sum;
    }
    revenueTable.outcome().addWarning(ReconciliationWarning::compare(
        ReconciliationWarning::Kind::DoesNotReconcile, tr("Discount breakdown against K2"),
        known(k[u"K2"_s].current), breakdown));
    revenueTable.outcome().addWarning(ReconciliationWarning::compare(
        ReconciliationWarning::Kind::RuleDifference, tr("Coach service accrued revenue against K3"),
        known(k[u"K3"_s].current),
        revenue.current ? std::optional(revenue.current->accruedOf(u"coach"_s)) : std::nullopt));
    report.addTable(revenueTable);
    BoardTable discountTable = FinanceRevenueStructure::discountTable(discounts);
    if (revenue.notLoaded)
        discountTable.outcome().markNoData(*revenue.notLoaded);
    else if (!discounts)
        discountTable.outcome().failCore(
            revenue.current ? revenueOutcome.unavailableReason(u"revenue_discounts"_s) : revenue.reason());
    report.addTable(discountTable);

    // Section 4: Σ of every consumption tender = K1.
    BoardTable inflowTable = FinanceCashInflow::table(inflow.current, inflow.previous);
    inflowTable.outcome() = inflow.tableOutcome();
    inflowTable.outcome().addWarning(ReconciliationWarning::compare(
        ReconciliationWarning::Kind::DoesNotReconcile, tr("Consumption tenders against K1"),
        known(k[u"K1"_s].current),
        inflow.current ? std::optional(inflow.current->consumptionTenders()) : std::nullopt));
    report.addTable(inflowTable);
    BoardTable excludedTable = FinanceCashInflow::excludedTable(inflow.current);
    if (inflow.notLoaded)
        excludedTable.outcome().markNoData(*inflow.notLoaded);
    else if (!inflow.current)
        excludedTable.outcome().failCore(inflow.reason());
    report.addTable(excludedTable);

    // Section 5: the platform's gross settled (Section 4) − its fee (here) = the net it paid out.
    BoardTable outflowTable = FinanceCashOutflow::table(outflow.current, outflow.previous);
    outflowTable.outcome() = outflow.tableOutcome();
    std::optional<qint64> grossLessFee;
    if (inflow.current && outflow.current)
        grossLessFee = inflow.current->amountOf(u"platform"_s) - outflow.current->platformFee;
    outflowTable.outcome().addWarning(ReconciliationWarning::compare(
        ReconciliationWarning::Kind::DoesNotReconcile,
        tr("Platform gross settled less fee against net received"), grossLessFee,
        outflow.current ? std::optional(outflow.current->platformNet) : std::nullopt));
    if (inflow.current && outflow.current)
        outflowTable.addNote(
            tr("Platform: gross settled %1 (cash inflow) − fee %2 (cash outflow) = net received %3")
                .arg(MoneyFormat::full(inflow.current->amountOf(u"platform"_s), request.locale),
                     MoneyFormat::full(outflow.current->platformFee, request.locale),
                     MoneyFormat::full(outflow.current->platformNet, request.locale)));
    outflowTable.addNote(tr("Coach pay is recorded as the expense summary records it (cash or accrual: to be "
                            "confirmed by the data owner)."));
    report.addTable(outflowTable);

    // Section 6.
    BoardTable coachTable = FinanceCoachAnalysis::table(coach.current);
    coachTable.outcome() = coach.tableOutcome();
    BoardTable tierTable = FinanceCoachAnalysis::tierTable(coach.current);
    if (coach.notLoaded)
        tierTable.outcome().markNoData(*coach.notLoaded);
    else if (!coach.current)
        tierTable.outcome().failCore(coach.reason());
    else if (coach.current->tiers.isEmpty()) // no salary row in any month: say so, not a bare header
        tierTable.outcome().markNoData(FinanceCoachAnalysis::noSalaryRows());
    if (!period.isWholeMonths()) {
        coachTable.addNote(FinanceCoachAnalysis::calendarMonthBadge(period));
        tierTable.addNote(FinanceCoachAnalysis::calendarMonthBadge(period));
    }
    report.addTable(coachTable);
    report.addTable(tierTable);
    return report;
}

} // namespace riskdesk
