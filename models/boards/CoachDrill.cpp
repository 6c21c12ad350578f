#include "CoachDrill.h"

#include "BoardSort.h"
#include "CoachBoard.h"
#include "CoachTop3.h"
#include "EnrichmentRunner.h"
#include "IntimacyLevels.h"
#include "PhoneMask.h"
#include "store/SqlProblem.h"

#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using T = BoardTableColumn::Type;

const QStringList kLogColumns{u"items_sum"_s, u"hours"_s, u"customers"_s};
const QStringList kSalaryColumns{u"gross_salary"_s, u"base_income"_s,     u"bonus_income"_s, u"course_cost"_s,
                                 u"sprint_bonus"_s, u"effective_hours"_s, u"base_hours"_s};

std::optional<qint64> optional(const QVariant& v) {
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

void bindAll(QSqlQuery& q, const QVariantList& values) {
    for (const QVariant& v : values)
        q.addBindValue(v);
}

// The drilled coaches: one (coachId set) or every coach of the filtered set.
struct Target {
    std::optional<qint64> coachId;
    QString label; // the coach's label, or "all coaches"
    // One coach was checked to be on the board already: an equality lets its own index rows be read.
    QString setCondition() const {
        return coachId ? u" = ?"_s : u" IN (SELECT coach_id FROM temp.coach_board_set)"_s;
    }
    QVariantList setBindings() const { return coachId ? QVariantList{*coachId} : QVariantList{}; }
};

Result<BoardReport> serviceLogs(QSqlDatabase db, const BoardRequest& request, const CoachSetFilter& filter,
                                const BoardPage& page, const SiteClock& clock, const QString& column,
                                const Target& target, BoardReport report) {
    const QString doing = CoachDrill::tr("Reading the service-log rows");
    const QString where =
        u" FROM bd_assistant_service_log l"
        " LEFT JOIN bd_dim_assistant d ON d.tenant_id = l.tenant_id AND d.site_id = l.site_id"
        "  AND d.site_assistant_id = l.site_assistant_id"
        " LEFT JOIN bd_dim_member m ON m.tenant_id = l.tenant_id"
        "  AND m.tenant_member_id = l.tenant_member_id"
        " WHERE l.tenant_id = ? AND l.site_id = ?"_s +
        // Voided rows (spec §2.7) are listed only when asked for, and never counted below.
        (request.showVoided ? QString() : u" AND l.is_delete = 0"_s) +
        u"  AND l.biz_date >= ? AND l.biz_date <= ? AND l.site_assistant_id"_s + target.setCondition();
    const QVariantList bindings =
        QVariantList{filter.tenant, filter.site, filter.period.from().toString(Qt::ISODate),
                     filter.period.to().toString(Qt::ISODate)} +
        target.setBindings();
    const auto catalog = SortCatalog::make({{u"create_time"_s, u"l.create_time"_s, Qt::AscendingOrder},
                                            {u"ledger"_s, u"l.ledger_amount_fen"_s, Qt::DescendingOrder},
                                            {u"hours"_s, u"l.income_seconds"_s, Qt::DescendingOrder}},
                                           u"l.assistant_service_id"_s, u"create_time"_s);
    const auto sort = BoardSort::parse(request.sort, catalog.value());
    if (!sort)
        return sort.problem();
    const SortColumn* sortColumn = catalog.value().find(sort.value().key());

    // A month of which no day is loaded, or that ends before the site's data begin, has no rows to list: the
    // footer is no data, as the clicked cell is (not 0).
    const std::optional<QString> notLoaded = filter.period.missingDays(filter.firstDay, report.watermark());
    QSqlQuery q(db);
    qint64 total = 0, income = 0, real = 0, ledger = 0, members = 0;
    if (!notLoaded) {
        // The rows listed (voided ones too, when shown) and the sums of the valid ones only.
        const QString valid = request.showVoided ? u"CASE WHEN l.is_delete = 0 THEN %1 END"_s : u"%1"_s;
        q.prepare(u"SELECT COUNT(*), COALESCE(SUM(%1), 0), COALESCE(SUM(%2), 0), COALESCE(SUM(%3), 0),"
                  " COUNT(DISTINCT %4)"_s.arg(
                      valid.arg(u"l.income_seconds"_s), valid.arg(u"l.real_use_seconds"_s),
                      valid.arg(u"l.ledger_amount_fen"_s), valid.arg(u"l.tenant_member_id"_s)) +
                  where);
        bindAll(q, bindings);
        if (!q.exec() || !q.next())
            return sqlProblem(q, doing);
        total = q.value(0).toLongLong();
        income = q.value(1).toLongLong();
        real = q.value(2).toLongLong();
        ledger = q.value(3).toLongLong();
        members = q.value(4).toLongLong();
    }

    BoardTable table(u"drill"_s, CoachDrill::tr("Service-log rows of %1").arg(target.label),
                     {{u"assistant_service_id"_s, CoachDrill::tr("Service"), T::Text},
                      {u"create_time"_s, CoachDrill::tr("Settled at"), T::Text},
                      {u"biz_date"_s, CoachDrill::tr("Business day"), T::Text},
                      {u"coach"_s, CoachDrill::tr("Coach"), T::Text},
                      {u"member"_s, CoachDrill::tr("Member"), T::Text},
                      {u"phone"_s, CoachDrill::tr("Phone"), T::Text},
                      {u"hours"_s, CoachDrill::tr("Hours"), T::Value, ValueUnit::Seconds},
                      {u"real_hours"_s, CoachDrill::tr("Hours used"), T::Value, ValueUnit::Seconds},
                      {u"ledger_amount"_s, CoachDrill::tr("Service income"), T::Value, ValueUnit::Fen},
                      {u"skill_name"_s, CoachDrill::tr("Skill"), T::Text},
                      {u"table"_s, CoachDrill::tr("Table"), T::Text}});
    if (request.showVoided) {
        // Named in a column too, so that an export of the rows never reads a voided row as a valid one.
        table = BoardTable(table.key(), table.title(),
                           table.columns() +
                               QList<BoardTableColumn>{{u"voided"_s, CoachDrill::tr("Voided"), T::Text}});
        table.addNote(
            CoachDrill::tr("Voided rows are listed greyed out; they are never counted in the sums."));
    }
    table.setSort(sort.value().canonical());
    if (notLoaded)
        table.outcome().markNoData(*notLoaded);

    std::optional<KeysetCursor> cursor;
    bool pastEnd = bool(notLoaded);
    if (const auto position = notLoaded ? std::nullopt : page.cursorPosition()) {
        q.prepare(u"SELECT "_s + sortColumn->sqlColumn + u", l.assistant_service_id"_s + where +
                  sort.value().orderByClause() + u" LIMIT 1 OFFSET ?"_s);
        bindAll(q, bindings);
        q.addBindValue(*position);
        if (!q.exec())
            return sqlProblem(q, doing);
        if (q.next())
            cursor = KeysetCursor{q.value(0), q.value(1)};
        else if (rowsFailed(q))
            return sqlProblem(q, doing);
        else
            pastEnd = true;
    }
    if (!pastEnd) {
        q.prepare(u"SELECT l.assistant_service_id, l.create_time, l.biz_date, l.site_assistant_id, "
                  u"d.assistant_name,"
                  " d.assistant_no, l.tenant_member_id, m.member_name, m.mobile, l.income_seconds, "
                  "l.real_use_seconds,"
                  " l.ledger_amount_fen, l.skill_name, l.site_table_id, l.is_delete"_s +
                  where + (cursor ? u" AND "_s + sort.value().afterClause(*cursor) : QString()) +
                  sort.value().orderByClause() + u" LIMIT ?"_s);
        bindAll(q, bindings);
        if (cursor)
            bindAll(q, sort.value().afterBindings(*cursor));
        q.addBindValue(page.limit());
        if (!q.exec())
            return sqlProblem(q, doing);
        while (q.next()) {
            const qint64 member = q.value(6).toLongLong();
            const QString settled = clock.timeText(q.value(1));
            const QString name = q.value(7).isNull() || q.value(7).toString().isEmpty()
                                     ? CoachTop3::fallbackName(member)
                                     : q.value(7).toString();
            const bool voided = q.value(14).toLongLong() != 0;
            QList<BoardCell> cells{
                BoardCell::ofText(q.value(0).toString()),
                BoardCell::ofText(settled),
                BoardCell::ofText(q.value(2).toString()),
                BoardCell::ofText(CoachBoard::coachLabel(q.value(3).toLongLong(), q.value(4), q.value(5))),
                BoardCell::ofText(name),
                BoardCell::ofText(PhoneMask::mask(q.value(8).toString())),
                BoardCell::ofValue(BoardValue::ofSum(q.value(9).toLongLong())),
                BoardCell::ofValue(BoardValue::ofSum(q.value(10).toLongLong())),
                BoardCell::ofValue(BoardValue::ofSum(q.value(11).toLongLong())),
                BoardCell::ofText(q.value(12).toString()),
                BoardCell::ofText(q.value(13).isNull()
                                      ? QString()
                                      : CoachDrill::tr("table #%1").arg(q.value(13).toString()))};
            QJsonObject detail{{u"memberId"_s, double(member)}};
            if (request.showVoided)
                cells << BoardCell::ofText(voided ? CoachDrill::tr("voided") : QString());
            if (voided)
                detail.insert(u"voided"_s, true);
            table.addRow({q.value(0).toLongLong(), cells, detail});
        }
        if (rowsFailed(q))
            return sqlProblem(q, doing);
    }
    const BoardCell blank = BoardCell::ofText(QString());
    const auto sum = [&](qint64 v) { return BoardValue::unless(notLoaded, BoardValue::ofSum(v)); };
    QList<BoardCell> totals{
        blank,
        blank,
        blank,
        blank,
        notLoaded ? blank
                  : BoardCell::ofText(CoachDrill::tr("%n distinct customer(s)", nullptr, int(members))),
        blank,
        BoardCell::ofValue(sum(income)),
        BoardCell::ofValue(sum(real)),
        BoardCell::ofValue(sum(ledger)),
        blank,
        blank};
    if (request.showVoided)
        totals << blank;
    table.setTotals({u"total"_s, totals});
    table.setPaging(total, page.page(), page.pageSize());
    // The footer's figure for the clicked cell, to compare with it.
    BoardKpi kpi;
    kpi.key = column;
    if (column == u"items_sum"_s) {
        kpi.label = CoachDrill::tr("Service income of these rows");
        kpi.value = sum(ledger);
        kpi.unit = ValueUnit::Fen;
    } else if (column == u"hours"_s) {
        kpi.label = CoachDrill::tr("Hours of these rows");
        kpi.value = sum(income);
        kpi.unit = ValueUnit::Seconds;
    } else {
        kpi.label = CoachDrill::tr("Distinct customers of these rows");
        kpi.value = sum(members);
        kpi.unit = ValueUnit::Count;
    }
    report.addKpi(kpi);
    report.addTable(table);
    return report;
}

Result<BoardReport> salaryRows(QSqlDatabase db, const CoachSetFilter& filter, const QString& column,
                               const Target& target, BoardReport report) {
    const QString doing = CoachDrill::tr("Reading the salary rows");
    const QDate month = filter.period.salaryMonth();
    QSqlQuery q(db);
    // One coach: a trend of the last six salary months up to the chosen one. All: the chosen month.
    q.prepare(
        u"SELECT s.salary_month, s.assistant_id, d.assistant_name, d.assistant_no, s.assistant_level_name,"
        " CAST(ROUND(s.base_hours * 3600) AS INTEGER), CAST(ROUND(s.effective_hours * 3600) AS INTEGER),"
        " s.base_income_fen, s.bonus_income_fen, s.base_income_fen + s.bonus_income_fen, s.sprint_bonus_fen,"
        " s.gross_salary_fen"
        " FROM bd_assistant_salary_calc s"
        " LEFT JOIN bd_dim_assistant d ON d.tenant_id = s.tenant_id AND d.site_id = s.site_id"
        "  AND d.site_assistant_id = s.assistant_id"
        " WHERE s.tenant_id = ? AND s.site_id = ? AND s.assistant_id"_s +
        target.setCondition() +
        (target.coachId ? u" AND s.salary_month <= ? ORDER BY s.salary_month DESC LIMIT 6"_s
                        : u" AND s.salary_month = ? ORDER BY s.assistant_id"_s));
    bindAll(q, QVariantList{filter.tenant, filter.site} + target.setBindings() +
                   QVariantList{month.toString(Qt::ISODate)});
    if (!q.exec())
        return sqlProblem(q, doing);
    BoardTable table(
        u"drill"_s,
        target.coachId
            ? CoachDrill::tr("Salary months of %1 (last 6)").arg(target.label)
            : CoachDrill::tr("Salary rows of %1 for %2").arg(target.label, month.toString(u"yyyy-MM"_s)),
        {{u"salary_month"_s, CoachDrill::tr("Month"), T::Text},
         {u"coach"_s, CoachDrill::tr("Coach"), T::Text},
         {u"tier"_s, CoachDrill::tr("Tier"), T::Text},
         {u"base_hours"_s, CoachDrill::tr("Base hours"), T::Value, ValueUnit::Seconds},
         {u"effective_hours"_s, CoachDrill::tr("Effective hours"), T::Value, ValueUnit::Seconds},
         {u"base_income"_s, CoachDrill::tr("Base-course income"), T::Value, ValueUnit::Fen},
         {u"bonus_income"_s, CoachDrill::tr("Incentive-course income"), T::Value, ValueUnit::Fen},
         {u"course_cost"_s, CoachDrill::tr("Course cost"), T::Value, ValueUnit::Fen},
         {u"sprint_bonus"_s, CoachDrill::tr("Sprint bonus"), T::Value, ValueUnit::Fen},
         {u"gross_salary"_s, CoachDrill::tr("Gross pay"), T::Value, ValueUnit::Fen}});
    const int measure = table.columnIndex(column);
    QList<BoardValue> sums[7];
    std::optional<qint64> clicked;
    while (q.next()) {
        BoardTableRow row{
            q.value(0).toString() + u'/' + q.value(1).toString(),
            {BoardCell::ofText(q.value(0).toString().left(7)),
             BoardCell::ofText(CoachBoard::coachLabel(q.value(1).toLongLong(), q.value(2), q.value(3))),
             BoardCell::ofText(q.value(4).toString())}};
        for (int i = 0; i < 7; ++i) {
            const BoardValue v = BoardValue::ofSnapshot(optional(q.value(5 + i)));
            row.cells << BoardCell::ofValue(v);
            sums[i] << v;
        }
        if (q.value(0).toString() == month.toString(Qt::ISODate))
            clicked = row.cells[measure].value.number();
        table.addRow(std::move(row));
    }
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    BoardKpi kpi;
    kpi.key = column;
    kpi.unit = table.columns()[measure].unit;
    if (target.coachId) {
        // A trend has no meaningful sum: the footer figure is the chosen month's row.
        kpi.label = CoachDrill::tr("The chosen month's figure");
        kpi.value = BoardValue::ofSnapshot(clicked);
    } else {
        const BoardCell blank = BoardCell::ofText(QString());
        BoardTableRow totals{u"total"_s, {blank, blank, blank}};
        for (const QList<BoardValue>& s : sums)
            totals.cells << BoardCell::ofValue(BoardValue::total(s));
        kpi.label = CoachDrill::tr("Sum of these rows");
        kpi.value = totals.cells[measure].value;
        table.setTotals(totals);
    }
    table.setPaging(table.rows().size(), 1, 0);
    report.addKpi(kpi);
    report.addTable(table);
    return report;
}

Result<BoardReport> customers(QSqlDatabase db, const BoardRequest& request, const CoachSetFilter& filter,
                              const Target& target, BoardReport report) {
    const auto levels = IntimacyLevels::load(db, filter.tenant);
    if (!levels)
        return levels.problem();
    auto read = CoachTop3::read(db, filter.tenant, filter.site, {*target.coachId},
                                filter.period.salaryMonth().addMonths(1).addDays(-1), 0);
    if (!read)
        return read.problem();
    QHash<qint64, QList<CoachCustomer>> all = std::move(read).value();
    BoardTable table(u"drill"_s, CoachDrill::tr("Customers of %1 by intimacy").arg(target.label),
                     {{u"rank"_s, CoachDrill::tr("Rank"), T::Value, ValueUnit::Count},
                      {u"member"_s, CoachDrill::tr("Member"), T::Text},
                      {u"phone"_s, CoachDrill::tr("Phone"), T::Text},
                      {u"score"_s, CoachDrill::tr("Intimacy"), T::Value, ValueUnit::Hundredths},
                      {u"level"_s, CoachDrill::tr("Level"), T::Text},
                      {u"calc_date"_s, CoachDrill::tr("Calculated on"), T::Text}});
    // The names may fail alone, as on the board.
    EnrichmentRunner runner(u"coach"_s);
    runner.interruptOn(db);
    const bool namesOk =
        runner.runEnrichment(u"members"_s, {u"member"_s, u"phone"_s}, [&](const EnrichmentRunner::Deadline&) {
            QHash<qint64, QList<CoachCustomer>> named = all;
            if (Status s = CoachTop3::addNames(db, filter.tenant, named); !s)
                return s;
            all = std::move(named);
            return success();
        });
    table.outcome() = runner.outcome();
    int rank = 0;
    for (const CoachCustomer& c : all.value(*target.coachId)) {
        const IntimacyLevel& level = levels.value().levelOf(c.scoreHundredths);
        BoardCell levelCell =
            BoardCell::ofText(level.emoji + u' ' + IntimacyLevels::label(level, request.locale));
        levelCell.csvText = IntimacyLevels::exportText(level, request.locale);
        BoardCell member = BoardCell::ofText(c.name.value_or(CoachTop3::fallbackName(c.memberId)),
                                             namesOk ? QString() : CoachDrill::tr("Names unavailable"));
        table.addRow(
            {c.memberId,
             {BoardCell::ofValue(BoardValue::ofSum(++rank)), member, BoardCell::ofText(c.maskedPhone),
              BoardCell::ofValue(BoardValue::ofSum(c.scoreHundredths)), levelCell,
              BoardCell::ofText(c.calcDate.toString(Qt::ISODate))},
             QJsonObject{{u"memberId"_s, double(c.memberId)}}});
    }
    table.setPaging(table.rows().size(), 1, 0);
    report.addTable(table);
    return report;
}

Result<BoardReport> storedValue(QSqlDatabase db, const CoachSetFilter& filter, const Target& target,
                                BoardReport report) {
    const QString doing = CoachDrill::tr("Reading the recharge-commission rows");
    QSqlQuery q(db);
    q.prepare(
        u"SELECT c.site_assistant_id, d.assistant_name, d.assistant_no, c.stat_month, c.recharge_amount_fen,"
        " c.recharge_count, c.member_count, c.commission_amount_fen"
        " FROM bd_assistant_recharge_commission c"
        " LEFT JOIN bd_dim_assistant d ON d.tenant_id = c.tenant_id AND d.site_id = c.site_id"
        "  AND d.site_assistant_id = c.site_assistant_id"
        " WHERE c.tenant_id = ? AND c.site_id = ? AND c.stat_month = ? AND c.site_assistant_id"_s +
        target.setCondition() + u" ORDER BY c.site_assistant_id"_s);
    bindAll(q, QVariantList{filter.tenant, filter.site, filter.period.salaryMonth().toString(Qt::ISODate)} +
                   target.setBindings());
    if (!q.exec())
        return sqlProblem(q, doing);
    BoardTable table(u"drill"_s, CoachDrill::tr("Customer-sourced stored value of %1").arg(target.label),
                     {{u"coach"_s, CoachDrill::tr("Coach"), T::Text},
                      {u"stat_month"_s, CoachDrill::tr("Month"), T::Text},
                      {u"recharge_amount"_s, CoachDrill::tr("Recharged"), T::Value, ValueUnit::Fen},
                      {u"recharge_count"_s, CoachDrill::tr("Recharges"), T::Value, ValueUnit::Count},
                      {u"member_count"_s, CoachDrill::tr("Members"), T::Value, ValueUnit::Count},
                      {u"commission"_s, CoachDrill::tr("Commission"), T::Value, ValueUnit::Fen}});
    QList<BoardValue> sums[4];
    while (q.next()) {
        BoardTableRow row{
            q.value(0).toLongLong(),
            {BoardCell::ofText(CoachBoard::coachLabel(q.value(0).toLongLong(), q.value(1), q.value(2))),
             BoardCell::ofText(q.value(3).toString().left(7))}};
        for (int i = 0; i < 4; ++i) {
            row.cells << BoardCell::ofValue(BoardValue::ofSum(q.value(4 + i).toLongLong()));
            sums[i] << row.cells.last().value;
        }
        table.addRow(std::move(row));
    }
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    const BoardCell blank = BoardCell::ofText(QString());
    BoardTableRow totals{u"total"_s, {blank, blank}};
    for (const QList<BoardValue>& s : sums)
        totals.cells << BoardCell::ofValue(BoardValue::total(s));
    BoardKpi kpi{u"stored_value"_s,
                 CoachDrill::tr("Sum of these rows"),
                 totals.cells[2].value,
                 ValueUnit::Fen,
                 {},
                 {},
                 {}};
    table.setTotals(totals);
    table.setPaging(table.rows().size(), 1, 0);
    report.addKpi(kpi);
    report.addTable(table);
    return report;
}

} // namespace

Result<BoardReport> CoachDrill::compute(QSqlDatabase db, const BoardScope& scope, const BoardRequest& request,
                                        const CoachSetFilter& filter, const BoardPage& page,
                                        const SiteClock& clock) {
    const QStringList columns = kLogColumns + kSalaryColumns + QStringList{u"top3"_s, u"stored_value"_s};
    const qsizetype colon = request.drill.indexOf(u':');
    const QString column = colon < 0 ? request.drill : request.drill.left(colon).trimmed();
    const QString where = colon < 0 ? QString() : request.drill.mid(colon + 1).trimmed();
    const auto refuse = [&](const QString& why) {
        return Problem{
            u"bad_drill"_s,
            tr("Cannot drill into \"%1\": %2 Write COLUMN:COACH_ID or COLUMN:total, with COLUMN one of: %3.")
                .arg(request.drill, why, columns.join(u", "_s)),
            u"drill"_s};
    };
    if (!columns.contains(column))
        return refuse(tr("there is no such column."));
    Target target;
    if (where != u"total"_s) {
        bool ok = false;
        qint64 id = where.toLongLong(&ok);
        if (!ok) { // the coach's number as the board shows it (S1-0022): helper-72 tried that first
            QSqlQuery q(db);
            q.prepare(u"SELECT site_assistant_id FROM bd_dim_assistant WHERE tenant_id = ? AND site_id = ? "
                      "AND assistant_no = ?"_s);
            q.addBindValue(filter.tenant);
            q.addBindValue(filter.site);
            q.addBindValue(where);
            if (!q.exec())
                return sqlProblem(q, tr("Finding the coach"));
            QList<qint64> matches;
            while (q.next())
                matches << q.value(0).toLongLong();
            if (rowsFailed(q))
                return sqlProblem(q, tr("Finding the coach"));
            if (matches.size() > 1) // nothing makes a number unique: name the coach by id then
                return refuse(tr("\"%1\" is the number of %n coaches of this site; use a coach id.", nullptr,
                                 int(matches.size()))
                                  .arg(where));
            if (matches.size() == 1) {
                id = matches.first();
                ok = true;
            }
        }
        if (!ok)
            return refuse(
                tr("\"%1\" is neither a coach id, a coach number of this site nor total.").arg(where));
        target.coachId = id;
    } else if (column == u"top3"_s) {
        return refuse(tr("the top 3 has no total."));
    } else if (column == u"stored_value"_s) {
        // As the board's totals row: not totalled (spec §4 totals columns 3 to 11 only), so no total to list.
        return refuse(tr("the customer-sourced stored value has no total: it is read for each coach."));
    }

    // The same filtered coaches as the board: the totals row drills into exactly them.
    CoachBoardSet set(db);
    if (Status s = set.build(filter, u"coach_id"_s, target.coachId); !s)
        return s.problem();
    if (target.coachId) {
        QSqlQuery q(db);
        q.prepare(u"SELECT assistant_name, assistant_no FROM temp.coach_board_set WHERE coach_id = ?"_s);
        q.addBindValue(*target.coachId);
        if (!q.exec())
            return sqlProblem(q, tr("Finding the coach"));
        if (!q.next()) {
            if (rowsFailed(q))
                return sqlProblem(q, tr("Finding the coach"));
            return refuse(tr("coach %1 is not on the board with these filters.").arg(*target.coachId));
        }
        target.label = CoachBoard::coachLabel(*target.coachId, q.value(0), q.value(1));
    } else {
        target.label = tr("all coaches shown");
    }

    BoardReport report(u"coach"_s, tr("Coach board: the rows behind %1").arg(request.drill));
    const auto watermark = scope.watermarkOf(filter.site);
    if (!watermark)
        return watermark.problem();
    report.setWatermark(watermark.value());
    QJsonObject& p = report.parameters();
    p.insert(u"tenant"_s, filter.tenant);
    p.insert(u"site"_s, filter.site);
    p.insert(u"month"_s, filter.period.salaryMonth().toString(u"yyyy-MM"_s));
    p.insert(u"period"_s, filter.period.displayText());
    p.insert(u"range"_s, filter.period.toJson());
    p.insert(u"drill"_s, request.drill);
    if (!filter.skill.isEmpty())
        p.insert(u"skill"_s, filter.skill);
    if (kLogColumns.contains(column))
        return serviceLogs(db, request, filter, page, clock, column, target, std::move(report));
    if (kSalaryColumns.contains(column))
        return salaryRows(db, filter, column, target, std::move(report));
    if (column == u"top3"_s)
        return customers(db, request, filter, target, std::move(report));
    return storedValue(db, filter, target, std::move(report));
}

} // namespace riskdesk
