#include "CustomerBoard.h"

#include "BoardPage.h"
#include "BoardRowSink.h"
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

#include <QJsonArray>
#include <QSqlQuery>
#include <QSqlRecord>
#include <climits>
#include <cstdlib>
#include <functional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using CK = CustomerColumn::Kind;
using T = BoardTableColumn::Type;

std::optional<qint64> optionalInt(const QVariant& v) {
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
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
    std::optional<QDate> previousSnapshot; // D7: the summary compared with
    qint64 refundFen = 0;
    qint64 refundOrders = 0;
    qint64 streamed = 0; // rows handed to the sink
};

// "SELECT <count and sums> FROM ", to be followed by the member set. A sum already kept (keptSpend60: the
// 60-day spend of D2's and D7's snapshot, migration 028) is bound instead of added up.
NamedSql totalsSelect(const QList<CustomerColumn>& columns, std::optional<qint64> keptSpend60) {
    NamedSql sql;
    sql.append(u"SELECT COUNT(*) AS n"_s);
    for (const CustomerColumn& c : columns) {
        if (c.kind != CK::Value || !c.totalled)
            continue;
        if (keptSpend60 && c.sql == u"spend60")
            sql.append(u", ? AS spend60"_s, {*keptSpend60});
        else if (c.averaged)
            sql.append(u", SUM(%1) AS %1, COUNT(%1) AS %1_scored"_s.arg(c.sql));
        else
            sql.append(u", SUM(%1) AS %1"_s.arg(c.sql));
    }
    sql.append(u" FROM "_s);
    return sql;
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

// The column whose total (a sum, or an index score's mean) is the tab's headline figure (the measure, or D5's
// visits in the period).
const CustomerColumn& headline(const QList<CustomerColumn>& columns) {
    for (const CustomerColumn& c : columns)
        if (c.kind == CK::Value && c.totalled)
            return c;
    return columns.first();
}

// The request's member set into the temporary table, with an index in the sort's order (key as compared,
// collation included, then id: an index of another collation would leave the order to sort the whole set).
Status makeRowsTable(QSqlQuery& q, const CustomerQuery& query, const QString& table) {
    if (!q.exec(u"DROP TABLE IF EXISTS "_s + table))
        return sqlProblem(q, CustomerBoard::tr("Counting the members"));
    NamedSql create;
    create.append(u"CREATE TEMP TABLE %1 AS "_s.arg(QString::fromLatin1(kRowsTable)));
    create.append(query.boardCte(query.times()));
    create.append(u"SELECT * FROM board"_s);
    if (!create.runIn(q))
        return sqlProblem(q, CustomerBoard::tr("Counting the members"));
    if (!q.exec(u"CREATE INDEX %1_order ON %2 (%3 %4, member_id)"_s.arg(
            table, QString::fromLatin1(kRowsTable), query.sort().keyExpression(),
            query.sort().order() == Qt::AscendingOrder ? u"ASC"_s : u"DESC"_s)))
        return sqlProblem(q, CustomerBoard::tr("Counting the members"));
    return success();
}

// Hands one row of the member set to an export as it is read (the query is on the row); rows then stay out of
// CoreAnswer.
using CoreSink = std::function<Status(const QSqlQuery& row)>;

// The headline's total over the previous period or window (spec §2.3), for the tabs that compare (none
// otherwise). Read on its own for a period not loaded yet, whose own rows are not read at all.
Status readPrevious(QSqlDatabase db, const CustomerQuery& query, const QDate& loadedThrough,
                    CoreAnswer& out) {
    const CustomerDimension dimension = query.dimension();
    if (!CustomerDimensions::hasPop(dimension))
        return success();
    const QList<CustomerColumn> columns = CustomerDimensions::columns(dimension);
    const QString snapshotTable = CustomerDimensions::snapshotTable(dimension);
    QSqlQuery q(db);
    const bool snapshotTab = !snapshotTable.isEmpty();
    // D7 compares its summary with the one a window before it; with no summary of its own there is nothing to
    // compare (and its figures are no data).
    if (snapshotTab && !out.snapshot)
        return success();
    const CustomerTimes previous =
        snapshotTab ? query.times().previousSnapshot(*out.snapshot) : query.times().previous(loadedThrough);
    if (snapshotTab) {
        // The summary compared with: the latest calculated within the previous window. One older than that
        // counts days long before (a gap in the summaries): no data rather than a comparison with them.
        const NamedSql sql(u"SELECT MAX(calc_date) FROM %1 WHERE tenant_id = :tenant AND site_id = :site"
                           " AND calc_date BETWEEN :from AND :asof"_s.arg(snapshotTable),
                           {{u"tenant"_s, query.tenant()},
                            {u"site"_s, query.site()},
                            {u"from"_s, previous.window.from().toString(Qt::ISODate)},
                            {u"asof"_s, previous.asOf.toString(Qt::ISODate)}});
        if (!sql.runIn(q) || !q.next())
            return sqlProblem(q, CustomerBoard::tr("Reading the previous snapshot"));
        const QDate day = QDate::fromString(q.value(0).toString(), Qt::ISODate);
        if (!day.isValid())
            return success();
        out.previousSnapshot = day;
    }
    NamedSql prev;
    if (dimension == CustomerDimension::Spend60 && !query.hasFilters()) {
        // The whole site's valid spend of the previous window: the per-day sums (migration 015).
        prev = CustomerDimensions::windowSpendSql(query.tenant(), query.site(), previous, true);
    } else if (dimension == CustomerDimension::Spend60) {
        prev = CustomerDimensions::windowSpendSql(query.tenant(), query.site(), previous);
        prev.append(query.memberFilter(u"tenant_member_id"_s));
    } else if (dimension == CustomerDimension::Recharge) {
        // The sum of the members' sums: the valid orders of the previous period, not grouped.
        prev = CustomerDimensions::periodRechargeSql(query.tenant(), query.site(), previous);
        prev.append(query.memberFilter(u"tenant_member_id"_s));
    } else {
        prev = query.boardCte(previous, CustomerDimensions::RowsDetail::MeasureOnly);
        prev.append(u"SELECT SUM(%1) FROM board"_s.arg(headline(columns).sql));
    }
    if (!prev.runIn(q) || !q.next())
        return sqlProblem(q, CustomerBoard::tr("Reading the previous period"));
    // Nothing summed is zero for events, and for the members of a summary that exists but lists none of them
    // (a search or coach filter): they had no visits in its days.
    const bool nothingIsZero = headline(columns).eventSum || snapshotTab;
    out.previousTotal = q.value(0).isNull() ? (nothingIsZero ? std::optional<qint64>(0) : std::nullopt)
                                            : std::optional<qint64>(q.value(0).toLongLong());
    return success();
}

Status readCore(QSqlDatabase db, const CustomerQuery& query, const QDate& loadedThrough,
                const BoardPage& page, CoreAnswer& out, const CoreSink& sink = {}) {
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
        if (!sql.runIn(q) || !q.next())
            return sqlProblem(q, CustomerBoard::tr("Reading the snapshot date"));
        const QDate d = QDate::fromString(q.value(0).toString(), Qt::ISODate);
        if (d.isValid())
            out.snapshot = d;
    }

    // The member set is computed once into a temporary table ordered by the sort key (spec §2.4); the
    // totals, the cursor and the page all read it, so they agree and the facts are aggregated only once.
    const BoardSort& sort = query.sort();
    const QString& sortSql = sort.sqlColumn();
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
    } else if (Status made = makeRowsTable(q, query, table); !made) {
        return made;
    } else {
        source.append(table);
    }

    // D2 and D7 on a kept day total their snapshot's 60-day spend from the kept total rather than from one
    // lookup per member of the snapshot (migration 028); a total not kept is added up as before.
    std::optional<qint64> keptSpend60;
    if (ranked && out.snapshot &&
        (dimension == CustomerDimension::Potential || dimension == CustomerDimension::Freq60)) {
        const auto kept = CustomerRankings::snapshotSpend(
            db, query.tenant(), query.site(), query.times().asOf,
            dimension == CustomerDimension::Potential ? u"spi"_s : u"consumption"_s, *out.snapshot);
        if (!kept)
            return kept.problem();
        keptSpend60 = kept.value();
    }
    NamedSql totals = totalsSelect(columns, keptSpend60);
    if (queryOnly || ranked) {
        // Read again in the statement: only what the totals sum (no name looked up per member).
        totals.append(u"("_s);
        totals.append(query.boardCte(query.times(), keptSpend60 ? CustomerDimensions::RowsDetail::MeasureOnly
                                                                : CustomerDimensions::RowsDetail::Totals));
        totals.append(u"SELECT * FROM board)"_s);
    } else {
        totals.append(source);
    }
    if (!totals.runIn(q) || !q.next())
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
        if (!at.runIn(q))
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
        rows.append(CustomerDimensions::pageColumnsSql(dimension, query.tenant(), query.site(),
                                                       query.times().previous(loadedThrough).window));
        rows.append(u" FROM (SELECT * FROM "_s);
        rows.append(source);
        if (cursor)
            rows.append(u" WHERE "_s + sort.afterClause(*cursor), sort.afterBindings(*cursor));
        rows.append(sort.orderByClause() + u" LIMIT ?) page"_s + sort.orderByClause(), {page.limit()});
        if (!rows.runIn(q))
            return sqlProblem(q, CustomerBoard::tr("Reading the members"));
        while (q.next()) {
            if (!sink) {
                out.rows.append({q.value(u"member_id"_s).toLongLong(), q.record()});
                continue;
            }
            if (Status s = sink(q); !s)
                return s;
            ++out.streamed;
        }
        if (rowsFailed(q))
            return sqlProblem(q, CustomerBoard::tr("Reading the members"));
    }

    if (Status s = readPrevious(db, query, loadedThrough, out); !s)
        return s;

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
        if (!refunds.runIn(q) || !q.next())
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

// A column's figure in the totals row: its sum, or an index score's mean over the members that have one.
BoardValue totalOf(const CustomerColumn& c, const QSqlRecord& totals) {
    if (!c.averaged)
        return valueOf(totals.value(c.sql), c.eventSum);
    const qint64 scored = totals.value(c.sql + u"_scored"_s).toLongLong();
    const std::optional<qint64> mean =
        scored > 0 ? ExactMath::divideRounded(totals.value(c.sql).toLongLong(), scored) : std::nullopt;
    return mean ? BoardValue::ofSum(*mean)
                : BoardValue::noData(CustomerBoard::tr("no member to take the mean of"));
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

// The optional fields of the rows (spec §5.3, §5.4): read for the page's members, or once for every member of
// the site when an export writes every row of every tab. A field that could not be read has its reason.
struct MemberFields {
    QHash<qint64, QString> names, phones;
    QHash<qint64, qint64> lastVisit, balances;
    QHash<qint64, QList<RelatedCoach>> coaches;
    std::optional<QString> namesFailed, phonesFailed, lastVisitFailed, balanceFailed, coachesFailed;
};

// A member's related-coaches cell, as an export writes it for each of its tabs (made once per member).
struct CoachesCell {
    BoardCell cell;
    bool outOfScale = false;
};

// What the cells of one tab's rows depend on besides the row itself.
struct RowContext {
    const CustomerQuery* query = nullptr;
    QList<CustomerColumn> columns;
    bool balanceColumn = true;
    const IntimacyLevels* levels = nullptr;
    QLocale locale;
    bool detail = true; // the JSON detail (the screen and the command line); an export's sink needs none
    QString comparison; // what a member's change is against: the window compared (comparedWith)
    // Why the 60-day spend columns (overWindow) have no data, when no day of the window is loaded.
    std::optional<QString> windowNotLoaded;
};

BoardCell coachesCell(const QList<RelatedCoach>& related, const RowContext& ctx, bool& outOfScale) {
    for (const RelatedCoach& c : related)
        outOfScale = outOfScale || (c.rsHundredths && IntimacyLevels::outOfScale(*c.rsHundredths));
    BoardCell cell = BoardCell::ofText(CustomerEnrichments::coachesText(related, *ctx.levels, ctx.locale));
    // Exports name the level ("3-熟悉"), not its emoji (spec §4.5).
    cell.csvText = CustomerEnrichments::coachesText(related, *ctx.levels, ctx.locale, true);
    return cell;
}

// One member's row: the member and phone, the tab's columns from the row's values (value(name) reads a column
// of the tab's query), then the last visit, the balance and the related coaches. coachCells, when given,
// keeps each member's coaches cell for the next tab.
template <typename Value>
BoardTableRow memberRow(qint64 id, const Value& value, const RowContext& ctx, const MemberFields& f,
                        bool& outOfScale, QHash<qint64, CoachesCell>* coachCells) {
    QList<BoardCell> cells;
    cells.reserve(ctx.columns.size() + 5);
    QJsonObject detail;
    // DQ-6: a missing name shows the id; a failed name lookup shows the id and says why.
    if (f.namesFailed)
        cells << BoardCell::ofText(CustomerEnrichments::memberLabel(id),
                                   BoardValue::unavailable(*f.namesFailed).tooltip());
    else
        cells << BoardCell::ofText(f.names.value(id, CustomerEnrichments::memberLabel(id)));
    cells << (f.phonesFailed ? unavailableText(*f.phonesFailed) : BoardCell::ofText(f.phones.value(id)));
    for (const CustomerColumn& c : ctx.columns) {
        const QVariant v = value(c.sql);
        switch (c.kind) {
        case CK::Value:
            cells << BoardCell::ofValue(c.overWindow && ctx.windowNotLoaded
                                            ? BoardValue::noData(*ctx.windowNotLoaded)
                                            : valueOf(v, c.eventSum));
            break;
        case CK::Time:
            cells << BoardCell::ofText(ctx.query->clock().timeText(v));
            break;
        case CK::Change:
            cells << BoardCell::ofChange(PeriodChange::of(optionalInt(v), optionalInt(value(c.previousSql))),
                                         ctx.comparison);
            break;
        case CK::Weekly: {
            const auto tenths = v.isNull() ? std::nullopt : ExactMath::weeklyVisitsTenths(v.toLongLong());
            cells << BoardCell::ofValue(BoardValue::ofSnapshot(tenths));
            if (tenths && ctx.detail)
                detail.insert(u"weeklyVisitsTenths"_s, double(*tenths));
            break;
        }
        case CK::Intimacy: {
            if (v.isNull()) {
                cells << BoardCell::ofText(QString());
                break;
            }
            const IntimacyLevel& level = ctx.levels->levelOf(v.toLongLong());
            outOfScale = outOfScale || IntimacyLevels::outOfScale(v.toLongLong());
            cells << BoardCell::ofText(IntimacyLevels::exportText(level, ctx.locale), level.emoji);
            if (ctx.detail)
                detail.insert(u"intimacyEmoji"_s, level.emoji);
            break;
        }
        case CK::CoachName: {
            const QString name = v.toString();
            const qint64 coachId = value(u"coach_id"_s).toLongLong();
            cells << BoardCell::ofText(name.isEmpty() ? CustomerEnrichments::coachLabel(coachId) : name);
            if (ctx.detail)
                detail.insert(u"coachId"_s, double(coachId));
            break;
        }
        }
    }
    if (f.lastVisitFailed)
        cells << BoardCell::ofValue(BoardValue::unavailable(*f.lastVisitFailed));
    else
        cells << BoardCell::ofValue(BoardValue::ofSnapshot(f.lastVisit.contains(id)
                                                               ? std::optional<qint64>(f.lastVisit.value(id))
                                                               : std::nullopt),
                                    CustomerBoard::tr("From valid service logs on or before the as-of day."));
    if (ctx.balanceColumn)
        cells << BoardCell::ofValue(
            !f.balanceFailed
                ? BoardValue::ofSnapshot(f.balances.contains(id) ? std::optional<qint64>(f.balances.value(id))
                                                                 : std::nullopt)
                : BoardValue::unavailable(*f.balanceFailed));
    if (f.coachesFailed) {
        cells << unavailableText(*f.coachesFailed);
    } else if (coachCells) {
        auto it = coachCells->constFind(id);
        if (it == coachCells->cend()) {
            CoachesCell made;
            made.cell = coachesCell(f.coaches.value(id), ctx, made.outOfScale);
            it = coachCells->insert(id, made);
        }
        outOfScale = outOfScale || it->outOfScale;
        cells << it->cell;
    } else {
        const QList<RelatedCoach> related = f.coaches.value(id);
        cells << coachesCell(related, ctx, outOfScale);
        if (ctx.detail)
            detail.insert(u"coaches"_s, coachesJson(related, *ctx.levels, ctx.locale));
    }
    return {id, cells, detail};
}

// The optional fields of every member of the site, read once for an export of every tab: each is read as its
// enrichment step would be (the same fault hook names, an export's deadline), and each tab then records the
// outcome of the same steps as its own.
struct SiteFields {
    MemberFields fields;
    QHash<qint64, CoachesCell> coachCells;
    bool read = false;
};

Status readSiteFields(QSqlDatabase db, const CustomerQuery& query, SiteFields& site) {
    if (site.read)
        return success();
    MemberFields& f = site.fields;
    EnrichmentRunner runner(QString::fromLatin1(CustomerBoard::kSection),
                            EnrichmentRunner::kEveryRowTimeoutMs);
    runner.interruptOn(db);
    const QString& tenant = query.tenant();
    const QString& site_ = query.site();
    const QDate asOf = query.times().asOf;
    // A step that fails leaves its reason, as the tabs' outcomes say it.
    const auto step = [&](const QString& name, const QString& field, std::optional<QString>& failed,
                          const std::function<Status()>& read) {
        if (!runner.runEnrichment(name, {field}, [&](const EnrichmentRunner::Deadline&) { return read(); }))
            failed = runner.outcome().unavailableReason(field);
    };
    step(u"names"_s, u"member"_s, f.namesFailed, [&]() -> Status {
        auto r = CustomerEnrichments::readNames(db, tenant, nullptr);
        if (!r)
            return r.problem();
        f.names = r.value();
        return success();
    });
    step(u"phone"_s, u"phone"_s, f.phonesFailed, [&]() -> Status {
        auto r = CustomerEnrichments::readMaskedPhones(db, tenant, nullptr);
        if (!r)
            return r.problem();
        f.phones = r.value();
        return success();
    });
    step(u"lastVisit"_s, u"lastVisitDays"_s, f.lastVisitFailed, [&]() -> Status {
        auto r = CustomerEnrichments::readLastVisitDays(db, tenant, site_, asOf, nullptr);
        if (!r)
            return r.problem();
        f.lastVisit = r.value();
        return success();
    });
    step(u"balance"_s, u"balance"_s, f.balanceFailed, [&]() -> Status {
        auto r = CustomerEnrichments::readStoredValueBalances(db, tenant, site_, nullptr);
        if (!r)
            return r.problem();
        f.balances = r.value();
        return success();
    });
    step(u"coaches"_s, u"relatedCoaches"_s, f.coachesFailed, [&]() -> Status {
        auto r = CustomerEnrichments::readRelatedCoaches(db, tenant, site_, asOf, nullptr);
        if (!r)
            return r.problem();
        f.coaches = r.value();
        return success();
    });
    site.read = true;
    return success();
}

// The column names of a tab's row query, by name, for reading a streamed row by position.
QHash<QString, int> columnPositions(const QSqlQuery& q) {
    QHash<QString, int> out;
    const QSqlRecord r = q.record();
    for (int i = 0; i < r.count(); ++i)
        out.insert(r.fieldName(i), i);
    return out;
}

// One tab. Without export, its page with the page's fields; with export, every row of the tab goes to the
// sink as it is read, with the site's fields, and the report holds the totals, KPIs, notes and outcome only.
struct ExportTarget {
    SiteFields* site = nullptr;
    BoardRowSink* sink = nullptr;
};

Result<BoardReport> computeTab(QSqlDatabase db, const BoardScope& scope, const BoardRequest& request,
                               const ExportTarget& exportTo) {
    const auto resolved = CustomerQuery::resolve(scope, request);
    if (!resolved)
        return resolved.problem();
    CustomerQuery query = resolved.value();
    if (query.coach()) {
        // A coach the site does not have is a slip, not an empty board (helper-72: --coach 99999 listed no
        // member, exit 0).
        QSqlQuery q(db);
        q.prepare(
            u"SELECT 1 FROM bd_dim_assistant WHERE tenant_id = ? AND site_id = ? AND site_assistant_id = ?"_s);
        q.addBindValue(query.tenant());
        q.addBindValue(query.site());
        q.addBindValue(*query.coach());
        if (!q.exec())
            return sqlProblem(q, CustomerBoard::tr("Reading the site's coaches"));
        const bool known = q.next();
        if (rowsFailed(q))
            return sqlProblem(q, CustomerBoard::tr("Reading the site's coaches"));
        if (!known)
            return Problem{
                u"bad_coach"_s,
                CustomerBoard::tr("There is no coach #%1 at site %2.").arg(*query.coach()).arg(query.site()),
                u"coach"_s};
    }
    if (query.dimension() == CustomerDimension::Spend60 ||
        query.dimension() == CustomerDimension::Potential || query.dimension() == CustomerDimension::Freq60 ||
        query.dimension() == CustomerDimension::Recent || query.dimension() == CustomerDimension::Recharge) {
        const auto kept = CustomerRankings::isKept(db, query.tenant(), query.site(), query.times().asOf);
        if (!kept)
            return kept.problem();
        query.setKeptDay(kept.value());
    }
    const bool streaming = exportTo.sink != nullptr;
    const auto page = streaming ? BoardPage::make(1, 0) : BoardPage::make(request.page, request.pageSize);
    if (!page)
        return page.problem();
    const auto watermark = scope.watermarkOf(request.site);
    if (!watermark)
        return watermark.problem();
    if (!request.drill.isEmpty() && !streaming) {
        auto drill = CustomerDrill::compute(db, query, request, watermark.value());
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

    BoardReport report(u"customer"_s, CustomerBoard::tr("Customer board"));
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
    // D4 and D5 measure the period, D6 sums the 60-day window: one that runs past the loaded data says so
    // (today's data come tomorrow), and one of which no day is loaded yet has no data (not zero members and
    // ¥0.00 ▼ −100%). D7 reads the latest summary, which names its own day; its 60-day spend column and D2's
    // have the badge too.
    if (const QString lag = CustomerDimensions::unloadedWarning(dimension, times, watermark.value());
        !lag.isEmpty())
        report.addBadge(lag);
    const std::optional<BoardPeriod> measured = CustomerDimensions::measuredRange(dimension, times);
    const std::optional<QString> notLoaded = measured ? measured->notLoaded(watermark.value()) : std::nullopt;

    QList<BoardTableColumn> columns{{u"member"_s, CustomerBoard::tr("Member"), T::Text},
                                    {u"phone"_s, CustomerBoard::tr("Phone"), T::Text}};
    for (const CustomerColumn& c : dimColumns) {
        switch (c.kind) {
        case CK::Value:
            columns.append({c.key, c.label, T::Value, c.unit});
            break;
        case CK::Change:
            columns.append({c.key, c.label, T::Change});
            break;
        case CK::Weekly:
            columns.append({c.key, c.label, T::Value, ValueUnit::CountTenths});
            break;
        default:
            columns.append({c.key, c.label, T::Text});
            break;
        }
    }
    columns.append(
        {u"lastVisitDays"_s, CustomerBoard::tr("Days since last visit"), T::Value, ValueUnit::Count});
    if (balanceColumn)
        columns.append({u"balance"_s, CustomerBoard::tr("Stored-value balance"), T::Value, ValueUnit::Fen});
    columns.append({u"relatedCoaches"_s, CustomerBoard::tr("Related coaches"), T::Text});
    BoardTable table(CustomerDimensions::key(dimension), CustomerDimensions::title(dimension), columns);

    RowContext ctx;
    ctx.query = &query;
    ctx.columns = dimColumns;
    ctx.balanceColumn = balanceColumn;
    ctx.levels = &levels.value();
    ctx.locale = locale;
    ctx.detail = !streaming;
    ctx.comparison = times.window.comparisonText(watermark.value());
    ctx.windowNotLoaded = times.window.notLoaded(watermark.value());
    bool outOfScale = false;

    EnrichmentRunner runner(QString::fromLatin1(CustomerBoard::kSection),
                            EnrichmentRunner::timeoutFor(page.value().pageSize()));
    runner.interruptOn(db);
    CoreAnswer core;
    CoreSink coreSink;
    Status sinkFailed = success();
    // A period not loaded yet has no members to list: only the previous period is read, for its comparison.
    if (notLoaded)
        table.outcome().markNoData(*notLoaded);
    if (streaming && notLoaded) {
        if (Status s = exportTo.sink->beginTable(table); !s)
            return s.problem();
    } else if (streaming) {
        if (Status s = readSiteFields(db, query, *exportTo.site); !s)
            return s.problem();
        if (Status s = exportTo.sink->beginTable(table); !s)
            return s.problem();
        coreSink = [&, positions = QHash<QString, int>()](const QSqlQuery& q) mutable -> Status {
            if (positions.isEmpty())
                positions = columnPositions(q);
            const auto value = [&](const QString& name) { return q.value(positions.value(name, -1)); };
            const qint64 id = value(u"member_id"_s).toLongLong();
            Status s = exportTo.sink->row(
                memberRow(id, value, ctx, exportTo.site->fields, outOfScale, &exportTo.site->coachCells));
            if (!s)
                sinkFailed = s;
            return s;
        };
    }
    const bool coreOk = notLoaded
                            ? runner.runCore(u"previous"_s,
                                             [&](const EnrichmentRunner::Deadline&) {
                                                 return readPrevious(db, query, watermark.value(), core);
                                             })
                            : runner.runCore(u"rows"_s, [&](const EnrichmentRunner::Deadline&) {
                                  return readCore(db, query, watermark.value(), page.value(), core, coreSink);
                              });
    // An export cannot take back the rows it has written: a failure past the first row fails the export.
    if (!sinkFailed)
        return sinkFailed.problem();
    if (!coreOk && core.streamed > 0)
        return Problem{u"export_failed"_s, runner.outcome().coreError().value_or(QString()), {}};
    if (!coreOk) {
        table.outcome() = runner.outcome();
        report.addTable(table);
        return report;
    }

    if (notLoaded) {
        // No member, so nothing to look up.
    } else if (streaming) {
        // Each step as the site's read ended, recorded in this tab's outcome as a page's steps are.
        const MemberFields& site = exportTo.site->fields;
        const auto record = [&](const QString& name, const QString& field,
                                const std::optional<QString>& failed) {
            runner.runEnrichment(name, {field}, [&](const EnrichmentRunner::Deadline&) -> Status {
                if (failed)
                    return Problem{u"enrichment_failed"_s, *failed, {}};
                return success();
            });
        };
        record(u"names"_s, u"member"_s, site.namesFailed);
        record(u"phone"_s, u"phone"_s, site.phonesFailed);
        record(u"lastVisit"_s, u"lastVisitDays"_s, site.lastVisitFailed);
        if (balanceColumn)
            record(u"balance"_s, u"balance"_s, site.balanceFailed);
        record(u"coaches"_s, u"relatedCoaches"_s, site.coachesFailed);
    } else {
        QList<qint64> members;
        for (const CoreRow& row : core.rows)
            members << row.member;
        MemberFields f;
        const auto reasonOf = [&](const QString& field) { return runner.outcome().unavailableReason(field); };
        if (!runner.runEnrichment(u"names"_s, {u"member"_s},
                                  [&](const EnrichmentRunner::Deadline&) -> Status {
                                      auto r = CustomerEnrichments::names(db, request.tenant, members);
                                      if (!r)
                                          return r.problem();
                                      f.names = r.value();
                                      return success();
                                  }))
            f.namesFailed = reasonOf(u"member"_s);
        if (!runner.runEnrichment(u"phone"_s, {u"phone"_s}, [&](const EnrichmentRunner::Deadline&) -> Status {
                auto r = CustomerEnrichments::maskedPhones(db, request.tenant, members);
                if (!r)
                    return r.problem();
                f.phones = r.value();
                return success();
            }))
            f.phonesFailed = reasonOf(u"phone"_s);
        if (!runner.runEnrichment(u"lastVisit"_s, {u"lastVisitDays"_s},
                                  [&](const EnrichmentRunner::Deadline&) -> Status {
                                      auto r = CustomerEnrichments::lastVisitDays(
                                          db, request.tenant, request.site, times.asOf, members);
                                      if (!r)
                                          return r.problem();
                                      f.lastVisit = r.value();
                                      return success();
                                  }))
            f.lastVisitFailed = reasonOf(u"lastVisitDays"_s);
        if (balanceColumn && !runner.runEnrichment(u"balance"_s, {u"balance"_s},
                                                   [&](const EnrichmentRunner::Deadline&) -> Status {
                                                       auto r = CustomerEnrichments::storedValueBalances(
                                                           db, request.tenant, request.site, members);
                                                       if (!r)
                                                           return r.problem();
                                                       f.balances = r.value();
                                                       return success();
                                                   }))
            f.balanceFailed = reasonOf(u"balance"_s);
        if (!runner.runEnrichment(u"coaches"_s, {u"relatedCoaches"_s},
                                  [&](const EnrichmentRunner::Deadline&) -> Status {
                                      auto r = CustomerEnrichments::relatedCoaches(
                                          db, request.tenant, request.site, times.asOf, members);
                                      if (!r)
                                          return r.problem();
                                      f.coaches = r.value();
                                      return success();
                                  }))
            f.coachesFailed = reasonOf(u"relatedCoaches"_s);
        for (const CoreRow& row : core.rows)
            table.addRow(memberRow(
                row.member, [&](const QString& name) { return row.record.value(name); }, ctx, f, outOfScale,
                nullptr));
    }

    // The totals row and the KPIs: over the whole filtered set, never the page.
    const CustomerColumn& head = headline(dimColumns);
    // A period not loaded yet has no figure at all, with the reason (spec §2.5), rather than zero.
    const auto figure = [&](const BoardValue& v) { return BoardValue::unless(notLoaded, v); };
    const BoardValue headTotal = figure(totalOf(head, core.totals));
    std::optional<PeriodChange> change;
    QJsonObject previousJson;
    QString comparison;
    // D7 with no summary of its own has nothing to compare, nor a window to name.
    const bool summary = dimension == CustomerDimension::Freq60;
    if (CustomerDimensions::hasPop(dimension) && (!summary || core.snapshot)) {
        const bool recharge = dimension == CustomerDimension::Recharge;
        BoardPeriod previous =
            recharge ? times.previous(watermark.value()).period : times.previous(watermark.value()).window;
        if (summary) // the days the compared summary counts, or the window it was looked for in
            previous = core.previousSnapshot
                           ? BoardPeriod::trailingDays(int(times.window.days()), *core.previousSnapshot)
                           : times.previousSnapshot(*core.snapshot).window;
        change = PeriodChange::of(headTotal.comparable(), core.previousTotal);
        comparison = BoardPeriod::comparisonWith(previous);
        if (recharge) // the period's comparison, as the other boards give it (the filter bar shows it)
            params.insert(u"comparison"_s, comparison);
        previousJson = previous.toJson();
        params.insert(u"previous"_s, previousJson);
    }
    QList<BoardCell> totalCells{
        BoardCell::ofText(notLoaded ? QString()
                                    : CustomerBoard::tr("%n member(s)", nullptr,
                                                        int(std::min<qint64>(core.count, INT_MAX)))),
        BoardCell::ofText(QString())};
    for (const CustomerColumn& c : dimColumns) {
        if (c.kind == CK::Value && c.overWindow && ctx.windowNotLoaded)
            totalCells << BoardCell::ofValue(BoardValue::noData(*ctx.windowNotLoaded));
        else if (c.kind == CK::Value)
            totalCells << BoardCell::ofValue(c.totalled ? figure(totalOf(c, core.totals))
                                                        : BoardValue::noData());
        else if (c.kind == CK::Change)
            totalCells << (change ? BoardCell::ofChange(*change, comparison) : BoardCell::ofText(QString()));
        else if (c.kind == CK::Weekly) {
            const QVariant visits = core.totals.value(u"measure"_s);
            totalCells << BoardCell::ofValue(BoardValue::ofSnapshot(
                visits.isNull() ? std::nullopt : ExactMath::weeklyVisitsTenths(visits.toLongLong())));
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
        table.addNote(CustomerBoard::tr("Balances are current values, not the balances of %1.")
                          .arg(times.asOf.toString(Qt::ISODate)));
    if (dimension == CustomerDimension::Recharge && !notLoaded)
        table.addNote(
            CustomerBoard::tr("Refunds in the period: %1 (%n order(s)); refunded orders are not ranked.",
                              nullptr, int(std::min<qint64>(core.refundOrders, INT_MAX)))
                .arg(MoneyFormat::full(core.refundFen, locale)));
    if (dimension == CustomerDimension::Spend60)
        table.addNote(CustomerBoard::tr("Coach-service spend only (ledger amounts of coach service logs)."));
    if (head.averaged)
        table.addNote(
            CustomerBoard::tr("Scores do not add up: the totals row gives the mean %1 of the members "
                              "that have one.")
                .arg(head.label));
    if (query.coach())
        table.addNote(CustomerBoard::tr("Only members related to coach #%1.").arg(*query.coach()));
    if (outOfScale)
        report.addBadge(IntimacyLevels::outOfScaleWarning());
    table.outcome() = runner.outcome();
    if (notLoaded)
        table.outcome().markNoData(*notLoaded);

    BoardKpi memberKpi{u"members"_s,
                       CustomerBoard::tr("Members"),
                       figure(BoardValue::ofSum(core.count)),
                       ValueUnit::Count,
                       {},
                       {},
                       {}};
    report.addKpi(memberKpi);
    BoardKpi total{u"total"_s,
                   head.averaged ? CustomerBoard::tr("%1, mean").arg(head.label)
                                 : CustomerBoard::tr("%1, total").arg(head.label),
                   headTotal,
                   head.unit,
                   change,
                   comparison,
                   previousJson};
    report.addKpi(total);
    if (dimension == CustomerDimension::Recharge)
        report.addKpi({u"refunds"_s,
                       CustomerBoard::tr("Refunds in the period"),
                       figure(BoardValue::ofSum(core.refundFen)),
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
    EnrichmentRunner heatRunner(QString::fromLatin1(CustomerBoard::kSection));
    std::optional<WeekdayHourTable::Grid> grid;
    // A window of which no day is loaded has no visits to place: no data, not a grid of zeros.
    if (!ctx.windowNotLoaded)
        heatRunner.runCore(u"visits_heatmap"_s, [&](const EnrichmentRunner::Deadline&) -> Status {
            auto read =
                CustomerVisitHeatmap::read(db, request.tenant, request.site, times.window, query.clock());
            if (!read)
                return read.problem();
            grid = read.value();
            return success();
        });
    BoardTable heat = CustomerVisitHeatmap::table(heatRunner.outcome().coreError() ? std::nullopt : grid,
                                                  times.window, locale);
    heat.outcome() = heatRunner.outcome();
    if (ctx.windowNotLoaded)
        heat.outcome().markNoData(*ctx.windowNotLoaded);
    if (streaming) {
        // Small: handed over whole after the tab's rows, as any other section of an export.
        if (Status s = exportTo.sink->beginTable(heat); !s)
            return s.problem();
        for (const BoardTableRow& row : heat.rows())
            if (Status s = exportTo.sink->row(row); !s)
                return s.problem();
    }
    report.addTable(heat);
    return report;
}

} // namespace

Result<BoardReport> CustomerBoard::compute(QSqlDatabase db, const BoardScope& scope,
                                           const BoardRequest& request) {
    return computeTab(db, scope, request, {});
}

Result<QList<BoardReport>> CustomerBoard::computeEveryRow(QSqlDatabase db, const BoardScope& scope,
                                                          const BoardRequest& request,
                                                          const QStringList& dimensions, BoardRowSink& sink) {
    SiteFields site;
    QList<BoardReport> reports;
    for (qsizetype i = 0; i < dimensions.size(); ++i) {
        BoardRequest one = request;
        one.dimension = dimensions.at(i);
        one.page = 1;
        one.pageSize = 0;
        // The heat map is the same whatever the tab: once, after the last (each tab's own copy made a
        // workbook with eight identical heat-map sheets, helper-91).
        one.chartSections = request.chartSections && i == dimensions.size() - 1;
        auto report = computeTab(db, scope, one, {&site, &sink});
        if (!report)
            return report.problem();
        reports.append(std::move(report).value());
    }
    return reports;
}

} // namespace riskdesk
