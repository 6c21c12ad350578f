#include "CoachBoard.h"

#include "BoardPage.h"
#include "BoardSort.h"
#include "CoachDrill.h"
#include "CoachTop3.h"
#include "EnrichmentRunner.h"
#include "IntimacyLevels.h"
#include "MoneyFormat.h"
#include "SiteDataStart.h"
#include "SkillBoard.h"
#include "store/SqlProblem.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using T = BoardTableColumn::Type;

std::optional<qint64> optional(const QVariant& v) {
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

// One coach of the page as the set's table has it.
struct CoachRow {
    qint64 id = 0;
    QVariant name, number;
    bool known = true;
    qint64 items = 0, seconds = 0, customers = 0, prevItems = 0, prevSeconds = 0;
    bool hasSalary = false;
    QVariant tier, tierId;
    std::optional<qint64> effective, base, baseIncome, bonusIncome, courseCost, sprint, gross, basePrice,
        bonusPrice, prevGross;
};

constexpr auto kRowColumns =
    "coach_id, assistant_name, assistant_no, known, items_fen, income_s, customers, prev_items_fen, "
    "prev_income_s,"
    " has_salary, tier, tier_id, effective_s, base_s, base_income_fen, bonus_income_fen, course_cost_fen,"
    " sprint_bonus_fen, gross_salary_fen, base_price_fen, bonus_price_fen, prev_gross_fen";

CoachRow rowOf(const QSqlQuery& q) {
    CoachRow r;
    r.id = q.value(0).toLongLong();
    r.name = q.value(1);
    r.number = q.value(2);
    r.known = q.value(3).toBool();
    r.items = q.value(4).toLongLong();
    r.seconds = q.value(5).toLongLong();
    r.customers = q.value(6).toLongLong();
    r.prevItems = q.value(7).toLongLong();
    r.prevSeconds = q.value(8).toLongLong();
    r.hasSalary = q.value(9).toBool();
    r.tier = q.value(10);
    r.tierId = q.value(11);
    r.effective = optional(q.value(12));
    r.base = optional(q.value(13));
    r.baseIncome = optional(q.value(14));
    r.bonusIncome = optional(q.value(15));
    r.courseCost = optional(q.value(16));
    r.sprint = optional(q.value(17));
    r.gross = optional(q.value(18));
    r.basePrice = optional(q.value(19));
    r.bonusPrice = optional(q.value(20));
    r.prevGross = optional(q.value(21));
    return r;
}

// Sums over the whole filtered set (§4.6): events are zero when there are none, snapshot columns no data.
struct CoachTotals {
    qint64 count = 0;
    qint64 items = 0, seconds = 0, prevItems = 0, prevSeconds = 0, customers = 0;
    std::optional<qint64> effective, base, baseIncome, bonusIncome, courseCost, sprint, gross, prevGross;
    qint64 unknownCoaches = 0;
};

struct CoreResult {
    QList<CoachRow> rows;
    CoachTotals totals;
    QList<ReconciliationWarning> warnings;
};

Status readCore(QSqlDatabase db, const CoachSetFilter& filter, const BoardSort& sort, const BoardPage& page,
                CoachBoardSet& set, const SortColumn& sortColumn, CoreResult& out) {
    // The set's index is built on the sort's key as compared (its collation too), so it serves the order.
    if (Status s = set.build(filter, sort.keyExpression()); !s)
        return s;
    const QString doing = CoachBoard::tr("Computing the coach board");
    QSqlQuery q(db);
    if (!q.exec(u"SELECT COUNT(*), COALESCE(SUM(items_fen), 0), COALESCE(SUM(income_s), 0),"
                " COALESCE(SUM(prev_items_fen), 0), COALESCE(SUM(prev_income_s), 0), SUM(effective_s), "
                "SUM(base_s),"
                " SUM(base_income_fen), SUM(bonus_income_fen), SUM(course_cost_fen), SUM(sprint_bonus_fen),"
                " SUM(gross_salary_fen), SUM(prev_gross_fen), COALESCE(SUM(NOT known), 0)"
                " FROM temp.coach_board_set"_s) ||
        !q.next())
        return sqlProblem(q, doing);
    CoachTotals& t = out.totals;
    t.count = q.value(0).toLongLong();
    t.items = q.value(1).toLongLong();
    t.seconds = q.value(2).toLongLong();
    t.prevItems = q.value(3).toLongLong();
    t.prevSeconds = q.value(4).toLongLong();
    t.effective = optional(q.value(5));
    t.base = optional(q.value(6));
    t.baseIncome = optional(q.value(7));
    t.bonusIncome = optional(q.value(8));
    t.courseCost = optional(q.value(9));
    t.sprint = optional(q.value(10));
    t.gross = optional(q.value(11));
    t.prevGross = optional(q.value(12));
    t.unknownCoaches = q.value(13).toLongLong();

    // Customers served by the filtered coaches together: distinct members, not the sum of the rows.
    const auto customers = set.distinctCustomers();
    if (!customers)
        return customers.problem();
    t.customers = customers.value();

    // Gross pay against its parts, for every coach of the set (paging never hides a warning).
    if (!q.exec(
            u"SELECT coach_id, assistant_name, assistant_no, base_income_fen + bonus_income_fen + "
            u"sprint_bonus_fen,"
            " gross_salary_fen FROM temp.coach_board_set WHERE has_salary"
            " AND gross_salary_fen <> base_income_fen + bonus_income_fen + sprint_bonus_fen ORDER BY coach_id"_s))
        return sqlProblem(q, doing);
    while (q.next())
        if (auto w = ReconciliationWarning::compare(
                ReconciliationWarning::Kind::RuleDifference,
                CoachBoard::tr("%1: gross pay against base + incentive + sprint bonus")
                    .arg(CoachBoard::coachLabel(q.value(0).toLongLong(), q.value(1), q.value(2))),
                q.value(3).toLongLong(), q.value(4).toLongLong()))
            out.warnings.append(*w);
    if (rowsFailed(q))
        return sqlProblem(q, doing);

    // The page by key: page N continues after the key of the last row of page N − 1.
    std::optional<KeysetCursor> cursor;
    if (const auto position = page.cursorPosition()) {
        q.prepare(u"SELECT "_s + sortColumn.sqlColumn + u", coach_id FROM temp.coach_board_set"_s +
                  sort.orderByClause() + u" LIMIT 1 OFFSET ?"_s);
        q.addBindValue(*position);
        if (!q.exec())
            return sqlProblem(q, doing);
        if (!q.next()) {
            if (rowsFailed(q))
                return sqlProblem(q, doing);
            return success(); // past the last page: an empty page with the exact total
        }
        cursor = KeysetCursor{q.value(0), q.value(1)};
    }
    q.prepare(u"SELECT "_s + QString::fromLatin1(kRowColumns) + u" FROM temp.coach_board_set"_s +
              (cursor ? u" WHERE "_s + sort.afterClause(*cursor) : QString()) + sort.orderByClause() +
              u" LIMIT ?"_s);
    if (cursor)
        for (const QVariant& v : sort.afterBindings(*cursor))
            q.addBindValue(v);
    q.addBindValue(page.limit());
    if (!q.exec())
        return sqlProblem(q, doing);
    while (q.next())
        out.rows.append(rowOf(q));
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    return success();
}

struct StoredValue {
    qint64 amount = 0, count = 0, members = 0, commission = 0;
};

Result<QHash<qint64, StoredValue>> readStoredValue(QSqlDatabase db, const CoachSetFilter& filter,
                                                   const QList<qint64>& coaches) {
    QHash<qint64, StoredValue> out;
    if (coaches.isEmpty())
        return out;
    QJsonArray ids;
    for (qint64 id : coaches)
        ids.append(double(id));
    const QString doing = CoachBoard::tr("Reading the customer-sourced stored value");
    QSqlQuery q(db);
    q.prepare(
        u"SELECT site_assistant_id, recharge_amount_fen, recharge_count, member_count, commission_amount_fen"
        " FROM bd_assistant_recharge_commission WHERE tenant_id = :t AND site_id = :s AND stat_month = :m"
        "   AND site_assistant_id IN (SELECT value FROM json_each(:ids))"_s);
    q.bindValue(u":t"_s, filter.tenant);
    q.bindValue(u":s"_s, filter.site);
    q.bindValue(u":m"_s, filter.period.salaryMonth().toString(Qt::ISODate));
    q.bindValue(u":ids"_s, QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return sqlProblem(q, doing);
    while (q.next())
        out.insert(q.value(0).toLongLong(), {q.value(1).toLongLong(), q.value(2).toLongLong(),
                                             q.value(3).toLongLong(), q.value(4).toLongLong()});
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    return out;
}

QString textOrDash(const QVariant& v) {
    return v.isNull() || v.toString().isEmpty() ? QString(QChar(0x2014)) : v.toString();
}

} // namespace

SortCatalog CoachBoard::sortCatalog() {
    static const SortCatalog catalog =
        SortCatalog::make({{u"items_sum"_s, u"items_fen"_s, Qt::DescendingOrder},
                           {u"gross_salary"_s, u"gross_salary_fen"_s, Qt::DescendingOrder},
                           {u"hours"_s, u"income_s"_s, Qt::DescendingOrder},
                           {u"effective_hours"_s, u"effective_s"_s, Qt::DescendingOrder},
                           {u"customers"_s, u"customers"_s, Qt::DescendingOrder},
                           {u"items_pop"_s, u"items_pop"_s, Qt::DescendingOrder},
                           {u"coach"_s, u"assistant_name"_s, Qt::AscendingOrder, true}},
                          u"coach_id"_s, u"items_sum"_s)
            .value();
    return catalog;
}

QString CoachBoard::coachLabel(qint64 id, const QVariant& name, const QVariant& number) {
    if (name.isNull())
        return tr("unknown coach #%1").arg(id);
    return number.isNull() || number.toString().isEmpty()
               ? name.toString()
               : tr("%1 (%2)", "coach name (number)").arg(name.toString(), number.toString());
}

QString CoachBoard::skillFilterNote() {
    return tr("Filters coaches by skill; figures cover all of a coach's services.");
}

Result<CoachSetFilter> CoachBoard::resolveFilter(QSqlDatabase db, const BoardRequest& request) {
    CoachSetFilter f{request.tenant,
                     request.site,
                     BoardPeriod::preset(PeriodPreset::ThisMonth, request.today),
                     BoardPeriod::preset(PeriodPreset::ThisMonth, request.today),
                     {},
                     {},
                     {},
                     false,
                     {}};
    if (request.period) {
        const PeriodPreset kind = request.period->kind();
        if (kind != PeriodPreset::Month && kind != PeriodPreset::ThisMonth)
            return Problem{u"bad_period"_s, tr("The coach board shows a salary month: give --month YYYY-MM."),
                           u"month"_s};
        f.period = *request.period;
    }
    f.previous = f.period.previous();
    if (!request.skill.isEmpty()) {
        const auto types = SkillBoard::skillTypes(db, request.tenant, request.site);
        if (!types)
            return types.problem();
        QStringList enabled;
        bool found = false;
        for (const SkillType& t : types.value()) {
            if (t.enabled)
                enabled << u"%1 (%2)"_s.arg(t.code, t.name);
            found = found || (t.enabled && t.code == request.skill);
        }
        if (!found)
            return Problem{u"bad_skill"_s,
                           tr("\"%1\" is not an enabled skill type of this site; choose one of: %2.")
                               .arg(request.skill, enabled.isEmpty() ? tr("(none)") : enabled.join(u", "_s)),
                           u"skill"_s};
    }
    f.skill = request.skill;
    f.search = request.search.trimmed();
    if (!request.tiers.isEmpty()) {
        // A tier the site never had is a slip, not an empty board (helper-72: --tier 九档 gave 0 rows, exit
        // 0).
        QSqlQuery q(db);
        q.prepare(
            u"SELECT assistant_level_name FROM bd_assistant_salary_calc WHERE tenant_id = ? "
            "AND site_id = ? AND assistant_level_name IS NOT NULL GROUP BY 1 ORDER BY MIN(tier_id), 1"_s);
        q.addBindValue(request.tenant);
        q.addBindValue(request.site);
        if (!q.exec())
            return sqlProblem(q, tr("Reading the site's tiers"));
        QStringList known;
        while (q.next())
            known << q.value(0).toString();
        if (rowsFailed(q))
            return sqlProblem(q, tr("Reading the site's tiers"));
        for (const QString& tier : request.tiers)
            if (!known.contains(tier))
                return Problem{u"bad_tier"_s,
                               tr("\"%1\" is not a tier of this site; choose among: %2.")
                                   .arg(tier, known.isEmpty() ? tr("(none)") : known.join(u", "_s)),
                               u"tier"_s};
    }
    f.tiers = request.tiers;
    f.includeInactive = request.includeInactive;
    return f;
}

Result<BoardReport> CoachBoard::compute(QSqlDatabase db, const BoardScope& scope,
                                        const BoardRequest& request) {
    if (Status s = scope.checkSite(request.site); !s)
        return s.problem();
    const auto clock = scope.clockOf(request.site);
    if (!clock)
        return clock.problem();
    const auto resolved = resolveFilter(db, request);
    if (!resolved)
        return resolved.problem();
    const auto watermark = scope.watermarkOf(request.site);
    if (!watermark)
        return watermark.problem();
    CoachSetFilter filter = resolved.value();
    // The service-log changes compare as many days of the previous month as are loaded of this one.
    filter.previous = filter.period.comparedWith(watermark.value());
    // Days before the site's data begin are no data, as the finance board has them: a month before them
    // showed ¥0.00 for every coach, and the first month's changes "new" against a month never loaded
    // (helper-91).
    const auto firstDay = SiteDataStart::ofSite(db, request.tenant, request.site);
    if (!firstDay)
        return firstDay.problem();
    filter.firstDay = firstDay.value();
    const auto page = BoardPage::make(request.page, request.pageSize);
    if (!page)
        return page.problem();
    if (!request.drill.isEmpty())
        return CoachDrill::compute(db, scope, request, filter, page.value(), clock.value());
    const SortCatalog catalog = sortCatalog();
    const auto sort = BoardSort::parse(request.sort, catalog);
    if (!sort)
        return sort.problem();
    const auto levels = IntimacyLevels::load(db, request.tenant);
    if (!levels)
        return levels.problem();

    const QDate salaryMonth = filter.period.salaryMonth();
    const QDate previousMonth = salaryMonth.addMonths(-1);
    BoardReport report(u"coach"_s, tr("Coach board"));
    QJsonObject& p = report.parameters();
    p.insert(u"tenant"_s, request.tenant);
    p.insert(u"site"_s, request.site);
    p.insert(u"today"_s, request.today.toString(Qt::ISODate));
    p.insert(u"month"_s, salaryMonth.toString(u"yyyy-MM"_s));
    p.insert(u"period"_s, filter.period.displayText());
    p.insert(u"comparison"_s, filter.period.comparisonText(watermark.value()));
    p.insert(u"salaryComparison"_s, tr("PoP salary month %1").arg(previousMonth.toString(u"yyyy-MM"_s)));
    p.insert(u"range"_s, filter.period.toJson());
    p.insert(u"previousRange"_s, filter.previous.toJson());
    p.insert(u"previousSalaryMonth"_s, previousMonth.toString(Qt::ISODate));
    if (!filter.skill.isEmpty())
        p.insert(u"skill"_s, filter.skill);
    if (!filter.search.isEmpty())
        p.insert(u"search"_s, filter.search);
    if (!filter.tiers.isEmpty())
        p.insert(u"tiers"_s, QJsonArray::fromStringList(filter.tiers));
    p.insert(u"includeInactive"_s, filter.includeInactive);
    report.setWatermark(watermark.value());
    if (const QString badge = clock.value().badge(); !badge.isEmpty())
        report.addBadge(badge);
    if (const QString lag = filter.period.unloadedDaysWarning(watermark.value()); !lag.isEmpty())
        report.addBadge(lag);
    if (const QString start = filter.period.dataStartWarning(filter.firstDay, filter.previous);
        !start.isEmpty())
        report.addBadge(start);

    BoardTable table(u"coaches"_s, tr("Coaches"),
                     {{u"coach"_s, tr("Coach"), T::Text},
                      {u"tier"_s, tr("Tier"), T::Text},
                      {u"items_sum"_s, tr("Service income"), T::Value, ValueUnit::Fen},
                      {u"hours"_s, tr("Hours"), T::Value, ValueUnit::Seconds},
                      {u"effective_hours"_s, tr("Effective hours"), T::Value, ValueUnit::Seconds},
                      {u"base_hours"_s, tr("Base hours"), T::Value, ValueUnit::Seconds},
                      {u"base_income"_s, tr("Base-course income"), T::Value, ValueUnit::Fen},
                      {u"bonus_income"_s, tr("Incentive-course income"), T::Value, ValueUnit::Fen},
                      {u"course_cost"_s, tr("Course cost"), T::Value, ValueUnit::Fen},
                      {u"sprint_bonus"_s, tr("Sprint bonus"), T::Value, ValueUnit::Fen},
                      {u"gross_salary"_s, tr("Gross pay"), T::Value, ValueUnit::Fen},
                      {u"customers"_s, tr("Customers served"), T::Value, ValueUnit::Count},
                      {u"items_pop"_s, tr("PoP service income"), T::Change},
                      {u"gross_pop"_s, tr("PoP gross pay"), T::Change},
                      {u"hours_pop"_s, tr("PoP hours"), T::Change},
                      {u"top3"_s, tr("Top 3 customers"), T::Text},
                      {u"stored_value"_s, tr("Customer-sourced stored value"), T::Value, ValueUnit::Fen},
                      {u"tier_progress"_s, tr("Progress to next tier"), T::Value, ValueUnit::Count}});
    table.setSort(sort.value().canonical());
    if (!filter.skill.isEmpty())
        table.addNote(skillFilterNote());

    // Core (columns 1–13), then the enrichments of the page's coaches, each failing alone (§2.5, §4.8).
    EnrichmentRunner runner(u"coach"_s, EnrichmentRunner::timeoutFor(request.pageSize));
    runner.interruptOn(db);
    CoachBoardSet set(db);
    CoreResult core;
    const SortColumn* sortColumn = catalog.find(sort.value().key());
    const bool coreOk = runner.runCore(u"rows"_s, [&](const EnrichmentRunner::Deadline&) {
        return readCore(db, filter, sort.value(), page.value(), set, *sortColumn, core);
    });
    QList<qint64> coaches;
    for (const CoachRow& r : core.rows)
        coaches << r.id;
    QHash<qint64, QList<CoachCustomer>> top3;
    const bool top3Ok =
        coreOk && runner.runEnrichment(u"top3"_s, {u"top3"_s}, [&](const EnrichmentRunner::Deadline&) {
            auto read = CoachTop3::read(db, request.tenant, request.site, coaches,
                                        filter.period.salaryMonth().addMonths(1).addDays(-1));
            if (!read)
                return Status(read.problem());
            top3 = std::move(read).value();
            return success();
        });
    const bool namesOk =
        top3Ok &&
        runner.runEnrichment(u"members"_s, {u"top3_names"_s}, [&](const EnrichmentRunner::Deadline&) {
            QHash<qint64, QList<CoachCustomer>> named = top3;
            if (Status s = CoachTop3::addNames(db, request.tenant, named); !s)
                return s;
            top3 = std::move(named);
            return success();
        });
    QHash<qint64, StoredValue> stored;
    const bool storedOk = coreOk && runner.runEnrichment(u"stored_value"_s, {u"stored_value"_s},
                                                         [&](const EnrichmentRunner::Deadline&) {
                                                             auto read = readStoredValue(db, filter, coaches);
                                                             if (!read)
                                                                 return Status(read.problem());
                                                             stored = std::move(read).value();
                                                             return success();
                                                         });
    table.outcome() = runner.outcome();
    for (const ReconciliationWarning& w : core.warnings)
        table.outcome().addWarning(w);
    if (!coreOk) {
        table.setPaging(0, page.value().page(), page.value().pageSize());
        report.addTable(table);
        return report;
    }

    const QString itemsNote = filter.period.comparisonText(watermark.value());
    // Gross pay compares salary months whole (spec §4, column 11): a month still running has its pay so far,
    // which reads low against a whole month, and the note says so.
    // A month is running until the period reaches its end and the data are loaded to it.
    const QDate monthEnd = salaryMonth.addMonths(1).addDays(-1);
    const bool running =
        filter.period.to() < monthEnd || (watermark.value().isValid() && watermark.value() < monthEnd);
    const QString grossNote =
        running ? tr("PoP salary month %1 (whole); %2 is still running: its pay so far")
                      .arg(previousMonth.toString(u"yyyy-MM"_s), salaryMonth.toString(u"yyyy-MM"_s))
                : p.value(u"salaryComparison"_s).toString();
    if (running) // said on the table too: the cell's note is only a tooltip
        table.addNote(grossNote);
    const QString noTierConfig = tr("No tier configuration: the progress is not estimated.");
    const QString unknownNote =
        tr("Not in the coach list: found only in the month's salary rows or service logs.");
    const auto unavailableReason = [&](const QString& field) {
        return table.outcome().unavailableReason(field);
    };
    bool outOfScale = false;
    const QLocale& locale = request.locale;
    // A month of which no day is loaded yet (its 1st, before the night's load) or that ends before the data
    // begin: the service-log figures are no data, not zeros for every coach; a previous month before the data
    // begin has no figures to compare with. The salary rows are monthly snapshots and stand on their own.
    const std::optional<QString> notLoaded = filter.period.missingDays(filter.firstDay, watermark.value());
    const bool noPrevious = filter.previous.endsBefore(filter.firstDay);
    const auto logSum = [&](qint64 sum) { return BoardValue::unless(notLoaded, BoardValue::ofSum(sum)); };
    const auto logChange = [&](qint64 current, qint64 previous) {
        return PeriodChange::of(notLoaded ? std::nullopt : std::optional(current),
                                noPrevious ? std::nullopt : std::optional(previous));
    };
    for (const CoachRow& r : core.rows) {
        QJsonObject detail{{u"coachId"_s, double(r.id)}, {u"unknownCoach"_s, !r.known}};
        if (!r.name.isNull())
            detail.insert(u"name"_s, r.name.toString());
        if (!r.number.isNull())
            detail.insert(u"number"_s, r.number.toString());
        if (r.basePrice)
            detail.insert(u"baseCoursePrice"_s, BoardValue::ofSum(*r.basePrice).toJson(ValueUnit::Fen));
        if (r.bonusPrice)
            detail.insert(u"bonusCoursePrice"_s, BoardValue::ofSum(*r.bonusPrice).toJson(ValueUnit::Fen));
        QString tierNote;
        if (r.hasSalary)
            tierNote = tr("Tier id %1; base course %2/h, incentive course %3/h")
                           .arg(r.tierId.isNull() ? QString(QChar(0x2014)) : r.tierId.toString(),
                                BoardValue::ofSnapshot(r.basePrice).display(ValueUnit::Fen, locale),
                                BoardValue::ofSnapshot(r.bonusPrice).display(ValueUnit::Fen, locale));
        else
            tierNote = tr("No salary row for the month.");
        BoardCell tier = BoardCell::ofText(textOrDash(r.tier), tierNote);
        if (r.tier.isNull())
            tier.csvText = QString();

        // Top 3 (column 14): emoji on screen and in JSON, "4-亲密" in CSV.
        BoardCell top3Cell;
        if (!top3Ok) {
            top3Cell = BoardCell::ofText(QString(QChar(0x26A0)) + u" "_s + QChar(0x2014),
                                         BoardValue::unavailable(unavailableReason(u"top3"_s)).tooltip());
            top3Cell.csvText = QString();
        } else {
            QStringList shown, exported;
            QJsonArray list;
            for (const CoachCustomer& c : top3.value(r.id)) {
                const IntimacyLevel& level = levels.value().levelOf(c.scoreHundredths);
                outOfScale = outOfScale || IntimacyLevels::outOfScale(c.scoreHundredths);
                const QString name = c.name.value_or(CoachTop3::fallbackName(c.memberId));
                const QString score = BoardValue::ofSum(c.scoreHundredths).csv(ValueUnit::Hundredths);
                shown << u"%1 %2 %3 %4"_s.arg(name, score, level.emoji, IntimacyLevels::label(level, locale));
                exported << u"%1 %2 %3"_s.arg(name, score, IntimacyLevels::exportText(level, locale));
                QJsonObject o{{u"memberId"_s, double(c.memberId)},
                              {u"name"_s, name},
                              {u"nameState"_s, !namesOk ? u"unavailable"_s
                                               : c.name ? u"value"_s
                                                        : u"no_data"_s},
                              {u"score"_s, score.toDouble()},
                              {u"level"_s, level.level},
                              {u"emoji"_s, level.emoji},
                              {u"label"_s, IntimacyLevels::label(level, locale)},
                              {u"export"_s, IntimacyLevels::exportText(level, locale)}};
                list.append(o);
            }
            detail.insert(u"top3Customers"_s, list);
            const QString note =
                namesOk ? QString() : BoardValue::unavailable(unavailableReason(u"top3_names"_s)).tooltip();
            top3Cell =
                BoardCell::ofText(shown.isEmpty() ? QString(QChar(0x2014)) : shown.join(u" · "_s), note);
            top3Cell.csvText = exported.join(u"; "_s);
        }

        BoardValue storedValue = BoardValue::noData();
        QString storedNote;
        if (!storedOk) {
            storedValue = BoardValue::unavailable(unavailableReason(u"stored_value"_s));
        } else if (const auto it = stored.constFind(r.id); it != stored.constEnd()) {
            storedValue = BoardValue::ofSum(it->amount);
            storedNote = tr("%n recharge(s), commission %1", nullptr, int(it->count))
                             .arg(MoneyFormat::full(it->commission, locale));
            detail.insert(
                u"storedValue"_s,
                QJsonObject{{u"rechargeCount"_s, double(it->count)},
                            {u"memberCount"_s, double(it->members)},
                            {u"commission"_s, BoardValue::ofSum(it->commission).toJson(ValueUnit::Fen)}});
        }

        table.addRow(
            {r.id,
             {BoardCell::ofText(coachLabel(r.id, r.name, r.number), r.known ? QString() : unknownNote), tier,
              BoardCell::ofValue(logSum(r.items)), BoardCell::ofValue(logSum(r.seconds)),
              BoardCell::ofValue(BoardValue::ofSnapshot(r.effective)),
              BoardCell::ofValue(BoardValue::ofSnapshot(r.base)),
              BoardCell::ofValue(BoardValue::ofSnapshot(r.baseIncome)),
              BoardCell::ofValue(BoardValue::ofSnapshot(r.bonusIncome)),
              BoardCell::ofValue(BoardValue::ofSnapshot(r.courseCost)),
              BoardCell::ofValue(BoardValue::ofSnapshot(r.sprint)),
              BoardCell::ofValue(BoardValue::ofSnapshot(r.gross)), BoardCell::ofValue(logSum(r.customers)),
              BoardCell::ofChange(logChange(r.items, r.prevItems), itemsNote),
              BoardCell::ofChange(PeriodChange::of(r.gross, r.prevGross), grossNote),
              BoardCell::ofChange(logChange(r.seconds, r.prevSeconds), itemsNote), top3Cell,
              BoardCell::ofValue(storedValue, storedNote),
              BoardCell::ofValue(BoardValue::noData(), noTierConfig)},
             detail});
    }
    if (outOfScale)
        table.addNote(IntimacyLevels::outOfScaleWarning());
    if (core.totals.unknownCoaches > 0)
        table.addNote(tr("%n coach(es) found only in salary rows or service logs, shown as unknown.", nullptr,
                         int(core.totals.unknownCoaches)));

    const CoachTotals& t = core.totals;
    BoardCell blank = BoardCell::ofText(QString());
    table.setTotals(
        {u"total"_s,
         {BoardCell::ofText(tr("Total (%n coach(es))", nullptr, int(t.count))), blank,
          BoardCell::ofValue(logSum(t.items)), BoardCell::ofValue(logSum(t.seconds)),
          BoardCell::ofValue(BoardValue::ofSnapshot(t.effective)),
          BoardCell::ofValue(BoardValue::ofSnapshot(t.base)),
          BoardCell::ofValue(BoardValue::ofSnapshot(t.baseIncome)),
          BoardCell::ofValue(BoardValue::ofSnapshot(t.bonusIncome)),
          BoardCell::ofValue(BoardValue::ofSnapshot(t.courseCost)),
          BoardCell::ofValue(BoardValue::ofSnapshot(t.sprint)),
          BoardCell::ofValue(BoardValue::ofSnapshot(t.gross)),
          BoardCell::ofValue(logSum(t.customers),
                             tr("Distinct customers of all these coaches, not the sum of the rows.")),
          BoardCell::ofChange(logChange(t.items, t.prevItems), itemsNote),
          BoardCell::ofChange(PeriodChange::of(t.gross, t.prevGross), grossNote),
          BoardCell::ofChange(logChange(t.seconds, t.prevSeconds), itemsNote), blank,
          // Both are per coach and read for the coaches of the page (spec §4: the totals row sums columns 3
          // to 11): the cell says so rather than a bare dash.
          BoardCell::ofValue(BoardValue::noData(tr("not totalled: read for each coach on the page"))),
          BoardCell::ofValue(BoardValue::noData(tr("not totalled: each coach's own progress")))}});
    table.setPaging(t.count, page.value().page(), page.value().pageSize());
    report.addTable(table);
    return report;
}

} // namespace riskdesk
