#include "BoardServerLoad.h"

#include "boards/BoardLoadSet.h"
#include "boards/BoardPartitionChecksum.h"
#include "domain/Timestamps.h"

#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QString yuan(qint64 fen) {
    const qint64 whole = fen < 0 ? -fen : fen;
    return u"%1%2.%3"_s.arg(fen < 0 ? u"-"_s : QString())
        .arg(whole / 100)
        .arg(whole % 100, 2, 10, QChar(u'0'));
}

// A value in the server's text form.
QString serverText(const BoardColumn& column, const QVariant& value) {
    switch (column.kind) {
    case BoardColumn::Kind::Money:
        return yuan(value.toLongLong());
    case BoardColumn::Kind::Time:
        return timestamps::toIso(timestamps::fromMs(value.toLongLong()));
    default:
        return value.toString();
    }
}

// The partitions a load wrote: (dataset, site) → the business days written, or {""} for the whole site.
using Touched = QMap<QPair<QString, QString>, QSet<QString>>;

QString dateText(const QVariant& v) {
    return v.typeId() == QMetaType::QDate ? v.toDate().toString(Qt::ISODate) : v.toString();
}

// Rewrites riskdesk_board.partitions for every partition touched: its rows read back in canonical form (as
// the loader sees them, every site), counted and hashed, stamped with this load's version.
Status recordPartitions(PgConnection& server, const QString& tenantId, const Touched& touched,
                        qint64 version) {
    for (auto it = touched.cbegin(); it != touched.cend(); ++it) {
        const BoardDataset* d = BoardPartitionChecksum::byTable(it.key().first);
        const QString& site = it.key().second;
        const bool daily = BoardPartitionChecksum::isDaily(*d);
        QHash<QString, BoardPartitionChecksum> sums;
        for (const QString& day : it.value())
            sums.insert(day, {});
        QStringList days = it.value().values();
        days.sort();
        auto rows = server.exec(
            u"SELECT %1, %2 FROM riskdesk_board.%3 WHERE tenant_id = $1 AND site_id = $2 %4"_s.arg(
                daily ? u"pg_catalog.to_char(biz_date, 'YYYY-MM-DD')"_s : u"''"_s,
                BoardPartitionChecksum::serverSelectList(*d), d->table,
                daily ? u"AND biz_date = ANY ($3::date[])"_s : QString()),
            daily ? QStringList{tenantId, site, u"{"_s + days.join(u',') + u"}"_s}
                  : QStringList{tenantId, site});
        if (!rows)
            return rows.problem();
        const PgResult& r = rows.value();
        for (int row = 0; row < r.rows(); ++row) {
            QList<std::optional<QByteArray>> fields;
            for (int c = 1; c < r.columns(); ++c)
                fields << (r.isNull(row, c) ? std::nullopt : std::optional(r.text(row, c).toUtf8()));
            sums[r.text(row, 0)].addRow(fields);
        }
        for (auto sum = sums.cbegin(); sum != sums.cend(); ++sum) {
            const QString day = sum.key().isEmpty() ? QString() : sum.key(); // NULL: the whole site
            if (auto del =
                    server.exec(u"DELETE FROM riskdesk_board.partitions WHERE tenant_id = $1 AND site_id = "
                                "$2 AND dataset = $3 AND biz_date IS NOT DISTINCT FROM $4::date"_s,
                                {tenantId, site, d->table, day});
                !del)
                return del.problem();
            if (auto ins = server.exec(u"INSERT INTO riskdesk_board.partitions (tenant_id, site_id, dataset, "
                                       u"biz_date, etl_version, "
                                       "row_count, checksum) VALUES ($1, $2, $3, $4::date, $5, $6, $7)"_s,
                                       {tenantId, site, d->table, day, QString::number(version),
                                        QString::number(sum.value().rowCount()), sum.value().hex()});
                !ins)
                return ins.problem();
        }
    }
    return success();
}

// Before the first load that records partitions (a server migrated to 005 with board data already on it),
// every partition the tenant holds is recorded.
Status touchEverything(PgConnection& server, const QString& tenantId, Touched& touched) {
    auto none = server.exec(
        u"SELECT NOT EXISTS (SELECT 1 FROM riskdesk_board.partitions WHERE tenant_id = $1)"_s, {tenantId});
    if (!none)
        return none.problem();
    if (none.value().text(0, 0) != u"t")
        return success();
    for (const BoardDataset& d : BoardDataCatalog::datasets()) {
        if (!BoardPartitionChecksum::isSynced(d))
            continue;
        const bool daily = BoardPartitionChecksum::isDaily(d);
        auto present =
            server.exec(u"SELECT DISTINCT site_id, %1 FROM riskdesk_board.%2 WHERE tenant_id = $1"_s.arg(
                            daily ? u"pg_catalog.to_char(biz_date, 'YYYY-MM-DD')"_s : u"''"_s, d.table),
                        {tenantId});
        if (!present)
            return present.problem();
        for (int r = 0; r < present.value().rows(); ++r)
            touched[{d.table, present.value().text(r, 0)}].insert(present.value().text(r, 1));
    }
    return success();
}

} // namespace

Result<BoardLoadSummary> BoardServerLoad::load(PgConnection& server, const QString& tenantId,
                                               const QString& dir) {
    auto fail = [&](const Problem& problem) -> Result<BoardLoadSummary> {
        server.execScript(u"ROLLBACK"_s);
        return problem;
    };
    if (Status s = server.execScript(u"BEGIN; LOCK TABLE riskdesk_board.loads IN SHARE ROW EXCLUSIVE MODE"_s);
        !s)
        return fail(s.problem());
    auto tenant = server.exec(u"SELECT 1 FROM riskdesk.tenants WHERE tenant_id = $1"_s, {tenantId});
    if (!tenant)
        return fail(tenant.problem());
    if (tenant.value().rows() == 0)
        return fail(
            Problem{u"unknown_tenant"_s, tr("There is no tenant \"%1\" on this server.").arg(tenantId), {}});

    QStringList dated;
    for (const BoardDataset& d : BoardDataCatalog::datasets())
        if (!d.bizDateFrom.isEmpty())
            dated << u"EXISTS (SELECT 1 FROM riskdesk_board.%1 x WHERE x.tenant_id = s.tenant_id "
                     "AND x.site_id = s.site_id)"_s.arg(d.table);
    auto known =
        server.exec(u"SELECT s.site_id, s.tz, s.business_day_cutoff_minutes, (%1) "
                    "FROM riskdesk_board.site_settings s WHERE s.tenant_id = $1"_s.arg(dated.join(u" OR "_s)),
                    {tenantId});
    if (!known)
        return fail(known.problem());
    QHash<QString, BoardSiteClock> sites;
    for (int r = 0; r < known.value().rows(); ++r) {
        BoardSiteClock clock{known.value().text(r, 1), std::nullopt, known.value().text(r, 3) == u"t"};
        if (!known.value().isNull(r, 2))
            clock.cutoffMinutes = int(known.value().integer(r, 2));
        sites.insert(known.value().text(r, 0), clock);
    }
    auto set = BoardLoadSet::read(dir, sites);
    if (!set)
        return fail(set.problem());

    BoardLoadSummary summary;
    auto version = server.exec(
        u"SELECT COALESCE(MAX(etl_version), 0) + 1 FROM riskdesk_board.loads WHERE tenant_id = $1"_s,
        {tenantId});
    if (!version)
        return fail(version.problem());
    summary.etlVersion = version.value().integer(0, 0);

    Touched touched;
    if (Status s = touchEverything(server, tenantId, touched); !s)
        return fail(s.problem());
    for (const BoardLoadSet::File& file : set.value().files()) {
        const BoardDataset& d = *file.dataset;
        ++summary.files;
        if (BoardPartitionChecksum::isSynced(d)) {
            const bool daily = BoardPartitionChecksum::isDaily(d);
            for (const QVariantList& row : file.rows)
                touched[{d.table, file.value(row, u"site_id"_s).toString()}].insert(
                    daily ? dateText(file.value(row, u"biz_date"_s)) : QString());
        }
        QStringList where{u"tenant_id = $1"_s};
        for (const QString& p : d.partitionBy)
            where << u"%1 = $%2"_s.arg(p).arg(where.size() + 1);
        if (d.upsert) {
            // Rows replace rows with the same key only.
            where = QStringList{u"tenant_id = $1"_s};
            for (const QString& k : d.key)
                where << u"%1 = $%2"_s.arg(k).arg(where.size() + 1);
        }
        const QString deleteSql =
            u"DELETE FROM riskdesk_board.%1 WHERE %2"_s.arg(d.table, where.join(u" AND "_s));
        const QStringList by = d.upsert ? d.key : d.partitionBy;
        QSet<QString> done;
        auto clear = [&](const QStringList& values) -> Status {
            const QString id = values.join(QChar(0x1f));
            if (done.contains(id))
                return success();
            done.insert(id);
            auto deleted = server.exec(deleteSql, QStringList{tenantId} + values);
            if (!deleted)
                return deleted.problem();
            return success();
        };
        if (by.isEmpty() && !file.rows.isEmpty())
            if (Status s = clear({}); !s)
                return fail(s.problem());
        QStringList names{u"tenant_id"_s};
        for (const BoardColumn& c : d.columns)
            names << c.name;
        if (!d.bizDateFrom.isEmpty())
            names << u"biz_date"_s;
        names << u"etl_version"_s;
        // COPY is refused on tables with row-level security: multi-row INSERTs with bound parameters, in
        // batches that stay under the protocol's 65,535 parameters.
        const int perRow = int(names.size());
        const int batch = qMax(1, 60000 / perRow);
        QStringList parameters, tuples;
        auto flush = [&]() -> Status {
            if (tuples.isEmpty())
                return success();
            auto inserted = server.exec(u"INSERT INTO riskdesk_board.%1 (%2) VALUES %3"_s.arg(
                                            d.table, names.join(u", "_s), tuples.join(u", "_s)),
                                        parameters);
            parameters.clear();
            tuples.clear();
            if (!inserted)
                return inserted.problem();
            return success();
        };
        for (const QVariantList& row : file.rows) {
            if (!by.isEmpty()) {
                QStringList values;
                for (const QString& p : by) {
                    const QVariant v = file.value(row, p);
                    values << (v.isNull() ? u""_s : v.toString());
                }
                if (Status s = clear(values); !s)
                    return fail(s.problem());
            }
            const qsizetype first = parameters.size();
            parameters << tenantId;
            for (int c = 0; c < d.columns.size(); ++c) {
                const BoardColumn& column = d.columns.at(c);
                const bool skillSite =
                    column.kind == BoardColumn::Kind::SkillSite && column.name == u"site_id";
                if (row.at(c).isNull())
                    parameters << (skillSite ? u""_s : QString()); // the tenant-wide skill row: site_id ''
                else
                    parameters << serverText(column, row.at(c));
            }
            if (!d.bizDateFrom.isEmpty())
                parameters << row.last().toString();
            parameters << QString::number(summary.etlVersion);
            QStringList marks;
            for (qsizetype i = first; i < parameters.size(); ++i)
                marks << u"$%1"_s.arg(i + 1);
            tuples << u"("_s + marks.join(u", "_s) + u")"_s;
            ++summary.rows;
            if (tuples.size() >= batch)
                if (Status s = flush(); !s)
                    return fail(s.problem());
        }
        if (Status s = flush(); !s)
            return fail(s.problem());
    }

    QStringList sources;
    for (const BoardDataset& d : BoardDataCatalog::datasets())
        if (d.hasMember() && d.hasSite())
            sources << u"SELECT tenant_member_id, site_id FROM riskdesk_board.%1 WHERE tenant_id = $1"_s.arg(
                d.table);
    sources
        << u"SELECT tenant_member_id, register_site_id FROM riskdesk_board.dim_member WHERE tenant_id = $1 "
           "AND register_site_id IS NOT NULL AND register_site_id <> ''"_s;
    if (auto r = server.exec(u"DELETE FROM riskdesk_board.member_sites WHERE tenant_id = $1"_s, {tenantId});
        !r)
        return fail(r.problem());
    if (auto r = server.exec(
            u"INSERT INTO riskdesk_board.member_sites (tenant_id, tenant_member_id, site_id) "
            "SELECT $1, u.tenant_member_id, u.site_id FROM (%1) u"_s.arg(sources.join(u" UNION "_s)),
            {tenantId});
        !r)
        return fail(r.problem());
    if (Status s = recordPartitions(server, tenantId, touched, summary.etlVersion); !s)
        return fail(s.problem());
    if (auto r =
            server.exec(u"INSERT INTO riskdesk_board.loads (tenant_id, etl_version, source, row_count) "
                        "VALUES ($1, $2, $3, $4)"_s,
                        {tenantId, QString::number(summary.etlVersion), dir, QString::number(summary.rows)});
        !r)
        return fail(r.problem());
    if (Status s = server.execScript(u"COMMIT"_s); !s)
        return fail(s.problem());
    return summary;
}

} // namespace riskdesk
