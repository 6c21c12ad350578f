#include "CustomerBoard.h"

#include "BoardPage.h"
#include "CustomerDrill.h"
#include "CustomerEnrichments.h"
#include "CustomerQuery.h"
#include "CustomerRankings.h"
#include "CustomerVisitHeatmap.h"
#include "EnrichmentRunner.h"
#include "ExactMath.h"
#include "IntimacyLevels.h"
#include "MoneyFormat.h"
#include "store/SqlProblem.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSqlQuery>
#include <QSqlRecord>
#include <climits>
#include <cstdlib>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using K = CustomerColumn::Kind;
using T = BoardTableColumn::Type;

bool exec(QSqlQuery& q, const NamedSql& sql) {
    if (!q.prepare(sql.sql()))
        return false;
    for (const QVariant& v : sql.values())
        q.addBindValue(v);
    return q.exec();
}

std::optional<qint64> optionalInt(const QVariant& v) {
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

QString tenthsText(qint64 tenths) {
    return QString::number(tenths / 10) + u'.' + QString::number(std::abs(tenths % 10));
}

QString timeText(const QVariant& ms, const SiteClock& clock) {
    if (ms.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms.toLongLong(), clock.zone()).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

// One page row as read from SQL, before the enrichments.
struct CoreRow {
    qint64 member = 0;
    QSqlRecord record;
};

// Everything the core step reads: the snapshot date, the totals over the whole filtered set, the page, and
// the previous totals for the comparison.
struct CoreAnswer {
    std::optional<QDate> snapshot;
    qint64 count = 0;
    QSqlRecord totals;
    QList<CoreRow> rows;
    std::optional<qint64> previousTotal;
    bool previousKnown = false;
    qint64 refundFen = 0;
    qint64 refundOrders = 0;
};

// "SELECT <count and sums> FROM ", to be followed by the member set.
QString totalsSelect(const QList<CustomerColumn>& columns) {
    QStringList parts{u"COUNT(*) AS n"_s};
    for (const CustomerColumn& c : columns)
        if (c.kind == K::Value && c.totalled)
            parts << u"SUM(%1) AS %1"_s.arg(c.sql);
    return u"SELECT "_s + parts.join(u", "_s) + u" FROM "_s;
}

// The temporary table holding one request's member set, dropped when the request is done with it.
constexpr char kRowsTable[] = "customer_board_rows";

struct RowsTableGuard {
    QSqlDatabase db;
    QString table;
    RowsTableGuard(QSqlDatabase database, QString name) : db(std::move(database)), table(std::move(name)) {}
    RowsTableGuard(const RowsTableGuard&) = delete;
    RowsTableGuard& operator=(const RowsTableGuard&) = delete;
    ~RowsTableGuard() {
        QSqlQuery q(db);
        q.exec(u"DROP TABLE IF EXISTS "_s + table); // best effort: the next request drops it first anyway
    }
};

// The column whose sum is the tab's headline figure (the measure, or D5's visits in the period).
const CustomerColumn& headline(const QList<CustomerColumn>& columns) {
    for (const CustomerColumn& c : columns)
        if (c.kind == K::Value && c.totalled)
            return c;
    return columns.first();
}

// The request's member set into the temporary table, with an index in the sort's order (key, then id).
Status makeRowsTable(QSqlQuery& q, const CustomerQuery& query, const QString& table, const QString& sortSql) {
    if (!q.exec(u"DROP TABLE IF EXISTS "_s + table))
        return sqlProblem(q, CustomerBoard::tr("Counting the members"));
    NamedSql create;
    create.append(u"CREATE TEMP TABLE %1 AS "_s.arg(QString::fromLatin1(kRowsTable)));
    create.append(query.boardCte(query.times()));
    create.append(u"SELECT * FROM board"_s);
    if (!exec(q, create))
        return sqlProblem(q, CustomerBoard::tr("Counting the members"));
    if (!q.exec(u"CREATE INDEX %1_order ON %2 (%3 %4, member_id)"_s.arg(
            table, QString::fromLatin1(kRowsTable), sortSql,
            query.sort().order() == Qt::AscendingOrder ? u"ASC"_s : u"DESC"_s)))
        return sqlProblem(q, CustomerBoard::tr("Counting the members"));
    return success();
}

Status readCore(QSqlDatabase db, const CustomerQuery& query, const BoardPage& page, CoreAnswer& out) {
    const CustomerDimension dimension = query.dimension();
    const QList<CustomerColumn> columns = CustomerDimensions::columns(dimension);
    // Declared before the query so that it drops the table once the query's statement is finished.
    const QString table = u"temp."_s + QString::fromLatin1(kRowsTable);
    const RowsTableGuard guard{db, table};
    QSqlQuery q(db);
    const QString snapshotTable = CustomerDimensions::snapshotTable(dimension);
    if (!snapshotTable.isEmpty()) {
        const NamedSql sql(u"SELECT MAX(calc_date) FROM %1 WHERE tenant_id = :tenant AND site_id = :site"
                           " AND calc_date <= :asof"_s.arg(snapshotTable),
                           {{u"tenant"_s, query.tenant()},
                            {u"site"_s, query.site()},
                            {u"asof"_s, query.times().asOf.toString(Qt::ISODate)}});
        if (!exec(q, sql) || !q.next())
            return sqlProblem(q, CustomerBoard::tr("Reading the snapshot date"));
        const QDate d = QDate::fromString(q.value(0).toString(), Qt::ISODate);
        if (d.isValid())
            out.snapshot = d;
    }

    // The member set is computed once into a temporary table ordered by the sort key (spec §2.4); the
    // totals, the cursor and the page all read it, so they agree and the facts are aggregated only once.
    const BoardSort& sort = query.sort();
    const QString sortSql = CustomerDimensions::sorts(dimension).find(sort.key())->sqlColumn;
    // A damaged workspace is query-only, temp tables included: the set is then computed in each statement.
    if (!q.exec(u"PRAGMA query_only"_s) || !q.next())
        return sqlProblem(q, CustomerBoard::tr("Counting the members"));
    const bool queryOnly = q.value(0).toInt() != 0;
    q.finish();
    // A tab whose rows come out of an index in the sort's order reads its page from the index's first entries
    // and its count and sums from the index alone (migration 021): the set is then read in each statement,
    // which costs less than writing it all to the temporary table.
    const bool ranked =
        !query.hasFilters() &&
        CustomerDimensions::rankedByIndex(dimension, sort.key(), sort.order(), query.keptFor(query.times()));
    NamedSql source;
    if (queryOnly || ranked) {
        source.append(u"("_s);
        source.append(query.boardCte(query.times()));
        source.append(u"SELECT * FROM board)"_s);
    } else if (Status made = makeRowsTable(q, query, table, sortSql); !made) {
        return made;
    } else {
        source.append(table);
    }

    NamedSql totals;
    totals.append(totalsSelect(columns));
    totals.append(source);
    if (!exec(q, totals) || !q.next())
        return sqlProblem(q, CustomerBoard::tr("Counting the members"));
    out.count = q.value(0).toLongLong();
    out.totals = q.record();

    // Jumping to page N: the key of the row just before it, then the rows after that key (spec §2.4).
    std::optional<KeysetCursor> cursor;
    bool pastTheEnd = false;
    if (const auto position = page.cursorPosition()) {
        NamedSql at;
        at.append(u"SELECT %1, member_id FROM "_s.arg(sortSql));
        at.append(source);
        at.append(sort.orderByClause() + u" LIMIT 1 OFFSET ?"_s, {*position});
        if (!exec(q, at))
            return sqlProblem(q, CustomerBoard::tr("Finding the page"));
        if (q.next())
            cursor = KeysetCursor{q.value(0), q.value(1)};
        else if (rowsFailed(q))
            return sqlProblem(q, CustomerBoard::tr("Finding the page"));
        else
            pastTheEnd = true;
    }
    if (!pastTheEnd) {
        NamedSql rows;
        rows.append(u"SELECT page.*"_s);
        rows.append(
            CustomerDimensions::pageColumnsSql(dimension, query.tenant(), query.site(), query.times()));
        rows.append(u" FROM (SELECT * FROM "_s);
        rows.append(source);
        if (cursor)
            rows.append(u" WHERE "_s + sort.afterClause(*cursor), sort.afterBindings(*cursor));
        rows.append(sort.orderByClause() + u" LIMIT ?) page"_s + sort.orderByClause(), {page.limit()});
        if (!exec(q, rows))
            return sqlProblem(q, CustomerBoard::tr("Reading the members"));
        while (q.next())
            out.rows.append({q.value(u"member_id"_s).toLongLong(), q.record()});
        if (rowsFailed(q))
            return sqlProblem(q, CustomerBoard::tr("Reading the members"));
    }

    if (CustomerDimensions::hasPop(dimension)) {
        const CustomerTimes previous = query.times().previous();
        bool snapshotExists = true;
        if (!snapshotTable.isEmpty()) {
            // A snapshot tab compares with the snapshot at the end of the previous window, when there is one.
            const NamedSql sql(u"SELECT 1 FROM %1 WHERE tenant_id = :tenant AND site_id = :site"
                               " AND calc_date <= :asof LIMIT 1"_s.arg(snapshotTable),
                               {{u"tenant"_s, query.tenant()},
                                {u"site"_s, query.site()},
                                {u"asof"_s, previous.asOf.toString(Qt::ISODate)}});
            if (!exec(q, sql))
                return sqlProblem(q, CustomerBoard::tr("Reading the previous snapshot"));
            snapshotExists = q.next();
            if (!snapshotExists && rowsFailed(q))
                return sqlProblem(q, CustomerBoard::tr("Reading the previous snapshot"));
        }
        NamedSql prev;
        if (dimension == CustomerDimension::Spend60 && !query.hasFilters()) {
            // The whole site's valid spend of the previous window: the per-day sums (migration 015).
            prev = CustomerDimensions::windowSpendSql(query.tenant(), query.site(), previous, true);
        } else if (dimension == CustomerDimension::Spend60) {
            prev = CustomerDimensions::windowSpendSql(query.tenant(), query.site(), previous);
            prev.append(query.memberFilter(u"tenant_member_id"_s));
        } else {
            prev = query.boardCte(previous, CustomerDimensions::RowsDetail::MeasureOnly);
            prev.append(u"SELECT SUM(%1) FROM board"_s.arg(headline(columns).sql));
        }
        if (!exec(q, prev) || !q.next())
            return sqlProblem(q, CustomerBoard::tr("Reading the previous period"));
        out.previousKnown = snapshotExists;
        const bool eventSum = headline(columns).eventSum;
        out.previousTotal = q.value(0).isNull()
                                ? (eventSum && snapshotExists ? std::optional<qint64>(0) : std::nullopt)
                                : std::optional<qint64>(q.value(0).toLongLong());
    }

    if (dimension == CustomerDimension::Recharge) {
        // Refunds in the period, for the tab's summary line (refunded orders are not in the ranking).
        NamedSql refunds(
            u"SELECT COUNT(*), COALESCE(SUM(refund_amount_fen), 0) FROM bd_recharge_order"
            " WHERE tenant_id = :tenant AND site_id = :site AND is_delete = 0 AND refund_amount_fen > 0"
            " AND biz_date BETWEEN :from AND :to"_s,
            {{u"tenant"_s, query.tenant()},
             {u"site"_s, query.site()},
             {u"from"_s, query.times().period.from().toString(Qt::ISODate)},
             {u"to"_s, query.times().period.to().toString(Qt::ISODate)}});
        refunds.append(query.memberFilter(u"tenant_member_id"_s));
        if (!exec(q, refunds) || !q.next())
            return sqlProblem(q, CustomerBoard::tr("Reading the refunds"));
        out.refundOrders = q.value(0).toLongLong();
        out.refundFen = q.value(1).toLongLong();
    }
    return success();
}

BoardValue valueOf(const QVariant& v, bool eventSum) {
    if (v.isNull())
        return eventSum ? BoardValue::ofSum(0) : BoardValue::noData();
    return BoardValue::ofSum(v.toLongLong());
}

BoardCell unavailableText(const QString& reason) {
    BoardCell c = BoardCell::ofText(QString(), BoardValue::unavailable(reason).tooltip());
    c.value = BoardValue::unavailable(reason);
    return c;
}

QJsonArray coachesJson(const QList<RelatedCoach>& coaches, const IntimacyLevels& levels,
                       const QLocale& locale) {
    QJsonArray out;
    for (const RelatedCoach& c : coaches) {
        QJsonObject o{{u"coachId"_s, double(c.coachId)},
                      {u"name"_s, c.name.isEmpty() ? CustomerEnrichments::coachLabel(c.coachId) : c.name},
                      {u"followingUp"_s, c.followingUp}};
        if (c.rsHundredths) {
            const IntimacyLevel& level = levels.levelOf(*c.rsHundredths);
            o.insert(u"rs"_s, BoardValue::ofSum(*c.rsHundredths).toJson(ValueUnit::Hundredths));
            o.insert(u"level"_s, level.level);
            o.insert(u"levelLabel"_s, IntimacyLevels::label(level, locale));
            o.insert(u"emoji"_s, level.emoji);
        }
        out.append(o);
    }
    return out;
}

} // namespace

Result<BoardReport> CustomerBoard::compute(QSqlDatabase db, const BoardScope& scope,
                                           const BoardRequest& request) {
    const auto resolved = CustomerQuery::resolve(scope, request);
    if (!resolved)
        return resolved.problem();
    CustomerQuery query = resolved.value();
    if (query.dimension() == CustomerDimension::Spend60 ||
        query.dimension() == CustomerDimension::Potential || query.dimension() == CustomerDimension::Freq60 ||
        query.dimension() == CustomerDimension::Recent) {
        const auto kept = CustomerRankings::isKept(db, query.tenant(), query.site(), query.times().asOf);
        if (!kept)
            return kept.problem();
        query.setKeptDay(kept.value());
    }
    const auto page = BoardPage::make(request.page, request.pageSize);
    if (!page)
        return page.problem();
    const auto watermark = scope.watermarkOf(request.site);
    if (!watermark)
        return watermark.problem();
    if (!request.drill.isEmpty()) {
        auto drill = CustomerDrill::compute(db, query, request);
        if (drill)
            drill.value().setWatermark(watermark.value());
        return drill;
    }
    const auto levels = IntimacyLevels::load(db, request.tenant);
    if (!levels)
        return levels.problem();

    const CustomerDimension dimension = query.dimension();
    const CustomerTimes& times = query.times();
    const QList<CustomerColumn> dimColumns = CustomerDimensions::columns(dimension);
    const bool balanceColumn = dimension != CustomerDimension::Balance; // D3: the balance is the measure
    const QLocale& locale = request.locale;

    BoardReport report(u"customer"_s, tr("Customer board"));
    QJsonObject& params = report.parameters();
    params.insert(u"tenant"_s, request.tenant);
    params.insert(u"site"_s, request.site);
    params.insert(u"dimension"_s, CustomerDimensions::key(dimension));
    params.insert(u"asOf"_s, times.asOf.toString(Qt::ISODate));
    params.insert(u"today"_s, request.today.toString(Qt::ISODate));
    if (CustomerDimensions::usesPeriod(dimension))
        params.insert(u"period"_s, times.period.toJson());
    if (dimension == CustomerDimension::Spend60 || dimension == CustomerDimension::Freq60 ||
        dimension == CustomerDimension::Potential)
        params.insert(u"window"_s, BoardPeriod(times.window).toJson());
    if (query.coach())
        params.insert(u"coach"_s, QString::number(*query.coach()));
    if (!query.search().isEmpty())
        params.insert(u"search"_s, query.search());
    report.setWatermark(watermark.value());
    if (const QString badge = query.clock().badge(); !badge.isEmpty())
        report.addBadge(badge);

    QList<BoardTableColumn> columns{{u"member"_s, tr("Member"), T::Text}, {u"phone"_s, tr("Phone"), T::Text}};
    for (const CustomerColumn& c : dimColumns) {
        switch (c.kind) {
        case K::Value:
            columns.append({c.key, c.label, T::Value, c.unit});
            break;
        case K::Change:
            columns.append({c.key, c.label, T::Change});
            break;
        default:
            columns.append({c.key, c.label, T::Text});
            break;
        }
    }
    columns.append({u"lastVisitDays"_s, tr("Days since last visit"), T::Value, ValueUnit::Count});
    if (balanceColumn)
        columns.append({u"balance"_s, tr("Stored-value balance"), T::Value, ValueUnit::Fen});
    columns.append({u"relatedCoaches"_s, tr("Related coaches"), T::Text});
    BoardTable table(CustomerDimensions::key(dimension), CustomerDimensions::title(dimension), columns);

    EnrichmentRunner runner(QString::fromLatin1(kSection), EnrichmentRunner::timeoutFor(request.pageSize));
    runner.interruptOn(db);
    CoreAnswer core;
    if (!runner.runCore(u"rows"_s, [&](const EnrichmentRunner::Deadline&) {
            return readCore(db, query, page.value(), core);
        })) {
        table.outcome() = runner.outcome();
        report.addTable(table);
        return report;
    }

    QList<qint64> members;
    for (const CoreRow& row : core.rows)
        members << row.member;
    QHash<qint64, QString> names, phones;
    QHash<qint64, qint64> lastVisit, balances;
    QHash<qint64, QList<RelatedCoach>> coaches;
    const bool namesOk =
        runner.runEnrichment(u"names"_s, {u"member"_s}, [&](const EnrichmentRunner::Deadline&) -> Status {
            auto r = CustomerEnrichments::names(db, request.tenant, members);
            if (!r)
                return r.problem();
            names = r.value();
            return success();
        });
    const bool phonesOk =
        runner.runEnrichment(u"phone"_s, {u"phone"_s}, [&](const EnrichmentRunner::Deadline&) -> Status {
            auto r = CustomerEnrichments::maskedPhones(db, request.tenant, members);
            if (!r)
                return r.problem();
            phones = r.value();
            return success();
        });
    const bool lastVisitOk = runner.runEnrichment(
        u"lastVisit"_s, {u"lastVisitDays"_s}, [&](const EnrichmentRunner::Deadline&) -> Status {
            auto r =
                CustomerEnrichments::lastVisitDays(db, request.tenant, request.site, times.asOf, members);
            if (!r)
                return r.problem();
            lastVisit = r.value();
            return success();
        });
    const bool balanceOk =
        !balanceColumn ||
        runner.runEnrichment(u"balance"_s, {u"balance"_s}, [&](const EnrichmentRunner::Deadline&) -> Status {
            auto r = CustomerEnrichments::storedValueBalances(db, request.tenant, request.site, members);
            if (!r)
                return r.problem();
            balances = r.value();
            return success();
        });
    const bool coachesOk = runner.runEnrichment(
        u"coaches"_s, {u"relatedCoaches"_s}, [&](const EnrichmentRunner::Deadline&) -> Status {
            auto r =
                CustomerEnrichments::relatedCoaches(db, request.tenant, request.site, times.asOf, members);
            if (!r)
                return r.problem();
            coaches = r.value();
            return success();
        });
    const SectionOutcome& outcome = runner.outcome();
    const auto reasonOf = [&](const QString& field) { return outcome.unavailableReason(field); };

    bool outOfScale = false;
    for (const CoreRow& row : core.rows) {
        const qint64 id = row.member;
        QList<BoardCell> cells;
        QJsonObject detail;
        // DQ-6: a missing name shows the id; a failed name lookup shows the id and says why.
        if (!namesOk)
            cells << BoardCell::ofText(CustomerEnrichments::memberLabel(id),
                                       BoardValue::unavailable(reasonOf(u"member"_s)).tooltip());
        else
            cells << BoardCell::ofText(names.value(id, CustomerEnrichments::memberLabel(id)));
        cells << (phonesOk ? BoardCell::ofText(phones.value(id)) : unavailableText(reasonOf(u"phone"_s)));
        for (const CustomerColumn& c : dimColumns) {
            const QVariant v = row.record.value(c.sql);
            switch (c.kind) {
            case K::Value:
                cells << BoardCell::ofValue(valueOf(v, c.eventSum));
                break;
            case K::Time:
                cells << BoardCell::ofText(timeText(v, query.clock()));
                break;
            case K::Change:
                cells << BoardCell::ofChange(
                    PeriodChange::of(optionalInt(v), optionalInt(row.record.value(c.previousSql))),
                    times.window.comparisonText());
                break;
            case K::Weekly: {
                const auto tenths = v.isNull() ? std::nullopt : ExactMath::weeklyVisitsTenths(v.toLongLong());
                cells << BoardCell::ofText(tenths ? tenthsText(*tenths) : QString());
                if (tenths)
                    detail.insert(u"weeklyVisitsTenths"_s, double(*tenths));
                break;
            }
            case K::Intimacy: {
                if (v.isNull()) {
                    cells << BoardCell::ofText(QString());
                    break;
                }
                const IntimacyLevel& level = levels.value().levelOf(v.toLongLong());
                outOfScale = outOfScale || IntimacyLevels::outOfScale(v.toLongLong());
                cells << BoardCell::ofText(IntimacyLevels::exportText(level, locale), level.emoji);
                detail.insert(u"intimacyEmoji"_s, level.emoji);
                break;
            }
            case K::CoachName: {
                const QString name = v.toString();
                const qint64 coachId = row.record.value(u"coach_id"_s).toLongLong();
                cells << BoardCell::ofText(name.isEmpty() ? CustomerEnrichments::coachLabel(coachId) : name);
                detail.insert(u"coachId"_s, double(coachId));
                break;
            }
            }
        }
        if (!lastVisitOk)
            cells << BoardCell::ofValue(BoardValue::unavailable(reasonOf(u"lastVisitDays"_s)));
        else
            cells << BoardCell::ofValue(
                BoardValue::ofSnapshot(lastVisit.contains(id) ? std::optional<qint64>(lastVisit.value(id))
                                                              : std::nullopt),
                tr("From valid service logs on or before the as-of day."));
        if (balanceColumn)
            cells << BoardCell::ofValue(
                balanceOk
                    ? BoardValue::ofSnapshot(balances.contains(id) ? std::optional<qint64>(balances.value(id))
                                                                   : std::nullopt)
                    : BoardValue::unavailable(reasonOf(u"balance"_s)));
        if (coachesOk) {
            const QList<RelatedCoach> related = coaches.value(id);
            for (const RelatedCoach& c : related)
                outOfScale = outOfScale || (c.rsHundredths && IntimacyLevels::outOfScale(*c.rsHundredths));
            BoardCell cell =
                BoardCell::ofText(CustomerEnrichments::coachesText(related, levels.value(), locale));
            // Exports name the level ("3-熟悉"), not its emoji (spec §4.5).
            cell.csvText = CustomerEnrichments::coachesText(related, levels.value(), locale, true);
            cells << cell;
            detail.insert(u"coaches"_s, coachesJson(related, levels.value(), locale));
        } else {
            cells << unavailableText(reasonOf(u"relatedCoaches"_s));
        }
        table.addRow({id, cells, detail});
    }

    // The totals row and the KPIs: over the whole filtered set, never the page.
    const CustomerColumn& head = headline(dimColumns);
    const BoardValue headTotal = valueOf(core.totals.value(head.sql), head.eventSum);
    std::optional<PeriodChange> change;
    QJsonObject previousJson;
    QString comparison;
    if (CustomerDimensions::hasPop(dimension)) {
        const BoardPeriod compared = dimension == CustomerDimension::Recharge ? times.period : times.window;
        change = PeriodChange::of(headTotal.comparable(), core.previousTotal);
        comparison = compared.comparisonText();
        previousJson = compared.previous().toJson();
        params.insert(u"previous"_s, previousJson);
    }
    QList<BoardCell> totalCells{
        BoardCell::ofText(tr("%n member(s)", nullptr, int(std::min<qint64>(core.count, INT_MAX)))),
        BoardCell::ofText(QString())};
    for (const CustomerColumn& c : dimColumns) {
        if (c.kind == K::Value)
            totalCells << BoardCell::ofValue(c.totalled ? valueOf(core.totals.value(c.sql), c.eventSum)
                                                        : BoardValue::noData());
        else if (c.kind == K::Change)
            totalCells << (change ? BoardCell::ofChange(*change, comparison) : BoardCell::ofText(QString()));
        else if (c.kind == K::Weekly && !core.totals.value(u"measure"_s).isNull()) {
            const auto tenths = ExactMath::weeklyVisitsTenths(core.totals.value(u"measure"_s).toLongLong());
            totalCells << BoardCell::ofText(tenths ? tenthsText(*tenths) : QString());
        } else
            totalCells << BoardCell::ofText(QString());
    }
    totalCells << BoardCell::ofValue(BoardValue::noData());
    if (balanceColumn)
        totalCells << BoardCell::ofValue(BoardValue::noData());
    totalCells << BoardCell::ofText(QString());
    table.setTotals({QVariant(), totalCells});
    table.setPaging(core.count, page.value().page(), page.value().pageSize());
    table.setSort(query.sort().canonical());

    table.addNote(CustomerDimensions::basisText(dimension, times, core.snapshot));
    if (dimension == CustomerDimension::Balance && times.asOf != request.today)
        table.addNote(
            tr("Balances are current values, not the balances of %1.").arg(times.asOf.toString(Qt::ISODate)));
    if (dimension == CustomerDimension::Recharge)
        table.addNote(tr("Refunds in the period: %1 (%n order(s)); refunded orders are not ranked.", nullptr,
                         int(std::min<qint64>(core.refundOrders, INT_MAX)))
                          .arg(MoneyFormat::full(core.refundFen, locale)));
    if (dimension == CustomerDimension::Spend60)
        table.addNote(tr("Coach-service spend only (ledger amounts of coach service logs)."));
    if (query.coach())
        table.addNote(tr("Only members related to coach #%1.").arg(*query.coach()));
    if (outOfScale)
        report.addBadge(IntimacyLevels::outOfScaleWarning());
    table.outcome() = runner.outcome();

    BoardKpi memberKpi{
        u"members"_s, tr("Members"), BoardValue::ofSum(core.count), ValueUnit::Count, {}, {}, {}};
    report.addKpi(memberKpi);
    BoardKpi total{u"total"_s,  tr("%1, total").arg(head.label), headTotal, head.unit, change, comparison,
                   previousJson};
    report.addKpi(total);
    if (dimension == CustomerDimension::Recharge)
        report.addKpi({u"refunds"_s,
                       tr("Refunds in the period"),
                       BoardValue::ofSum(core.refundFen),
                       ValueUnit::Fen,
                       {},
                       {},
                       {}});
    if (core.snapshot)
        params.insert(u"snapshot"_s, core.snapshot->toString(Qt::ISODate));
    report.addTable(table);
    if (!request.chartSections)
        return report;

    // The heat map of the 60-day window's visits: its own step, so that its failure leaves the tab whole.
    params.insert(u"chartSections"_s, true); // a different result: a different cache key
    EnrichmentRunner heatRunner(QString::fromLatin1(kSection));
    std::optional<WeekdayHourTable::Grid> grid;
    heatRunner.runCore(u"visits_heatmap"_s, [&](const EnrichmentRunner::Deadline&) -> Status {
        auto read = CustomerVisitHeatmap::read(db, request.tenant, request.site, times.window, query.clock());
        if (!read)
            return read.problem();
        grid = read.value();
        return success();
    });
    BoardTable heat = CustomerVisitHeatmap::table(heatRunner.outcome().coreError() ? std::nullopt : grid,
                                                  times.window, locale);
    heat.outcome() = heatRunner.outcome();
    report.addTable(heat);
    return report;
}

} // namespace riskdesk
