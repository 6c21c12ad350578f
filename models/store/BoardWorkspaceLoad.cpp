#include "BoardWorkspaceLoad.h"

#include "NativeStatement.h"
#include "SqlProblem.h"
#include "WriteTransaction.h"
#include "boards/BoardLoadSet.h"
#include "boards/CustomerRankings.h"

#include <QDateTime>
#include <QSet>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// The tables whose biz_date a load computes: a site with rows there keeps its clock.
QStringList datedTables() {
    QStringList tables;
    for (const BoardDataset& d : BoardDataCatalog::datasets())
        if (!d.bizDateFrom.isEmpty())
            tables << d.sqliteTable();
    return tables;
}

Result<QHash<QString, BoardSiteClock>> knownSites(QSqlDatabase db, const QString& tenantId) {
    QHash<QString, BoardSiteClock> sites;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT site_id, tz, business_day_cutoff_minutes FROM bd_site_settings WHERE tenant_id = ?"_s);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, BoardWorkspaceLoad::tr("Reading the sites"));
    while (q.next()) {
        BoardSiteClock clock{q.value(1).toString(), std::nullopt, false};
        if (!q.value(2).isNull())
            clock.cutoffMinutes = q.value(2).toInt();
        sites.insert(q.value(0).toString(), clock);
    }
    if (rowsFailed(q))
        return sqlProblem(q, BoardWorkspaceLoad::tr("Reading the sites"));
    for (auto it = sites.begin(); it != sites.end(); ++it) {
        for (const QString& table : datedTables()) {
            q.prepare(u"SELECT 1 FROM %1 WHERE tenant_id = ? AND site_id = ? LIMIT 1"_s.arg(table));
            q.addBindValue(tenantId);
            q.addBindValue(it.key());
            if (!q.exec())
                return sqlProblem(q, BoardWorkspaceLoad::tr("Reading the sites"));
            if (q.next())
                it->hasDatedRows = true;
            if (rowsFailed(q))
                return sqlProblem(q, BoardWorkspaceLoad::tr("Reading the sites"));
        }
    }
    return sites;
}

} // namespace

Result<BoardLoadSummary> BoardWorkspaceLoad::load(QSqlDatabase db, const QString& tenantId,
                                                  const QString& dir) {
    QSqlQuery q(db);
    q.prepare(u"SELECT 1 FROM tenants WHERE tenant_id = ?"_s);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the tenants"));
    const bool tenantKnown = q.next();
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the tenants"));
    if (!tenantKnown)
        return Problem{
            u"unknown_tenant"_s, tr("There is no tenant \"%1\" in this workspace.").arg(tenantId), {}};

    // Read under the write lock: the sites checked are the sites written against.
    WriteTransaction transaction(db);
    if (!transaction.begun())
        return transaction.begun().problem();
    auto sites = knownSites(db, tenantId);
    if (!sites)
        return sites.problem();
    auto set = BoardLoadSet::read(dir, sites.value());
    if (!set)
        return set.problem();

    BoardLoadSummary summary;
    q.prepare(u"SELECT COALESCE(MAX(etl_version), 0) + 1 FROM bd_loads WHERE tenant_id = ?"_s);
    q.addBindValue(tenantId);
    if (!q.exec() || !q.next())
        return sqlProblem(q, tr("Reading the last load"));
    summary.etlVersion = q.value(0).toLongLong();
    q.finish();

    for (const BoardLoadSet::File& file : set.value().files()) {
        const BoardDataset& d = *file.dataset;
        ++summary.files;
        // Replace the partitions the file names.
        if (!d.upsert) {
            QSet<QString> done;
            QStringList where{u"tenant_id = ?"_s};
            for (const QString& p : d.partitionBy)
                where << p + u" = ?"_s;
            QSqlQuery del(db);
            del.prepare(u"DELETE FROM %1 WHERE %2"_s.arg(d.sqliteTable(), where.join(u" AND "_s)));
            auto clear = [&](const QVariantList& values) -> Status {
                QStringList parts;
                for (const QVariant& v : values)
                    parts << v.toString();
                if (done.contains(parts.join(QChar(0x1f))))
                    return success();
                done.insert(parts.join(QChar(0x1f)));
                del.addBindValue(tenantId);
                for (const QVariant& v : values)
                    del.addBindValue(v.isNull() ? QVariant(u""_s) : v);
                if (!del.exec())
                    return sqlProblem(del, tr("Replacing %1").arg(d.file));
                return success();
            };
            if (d.partitionBy.isEmpty() && !file.rows.isEmpty()) {
                if (Status s = clear({}); !s)
                    return s.problem();
            }
            for (const QVariantList& row : file.rows) {
                if (d.partitionBy.isEmpty())
                    break;
                QVariantList values;
                for (const QString& p : d.partitionBy)
                    values << file.value(row, p);
                if (Status s = clear(values); !s)
                    return s.problem();
            }
        }
        QStringList names{u"tenant_id"_s}, marks{u"?"_s};
        for (const BoardColumn& c : d.columns) {
            names << c.sqliteName();
            marks << u"?"_s;
        }
        if (!d.bizDateFrom.isEmpty()) {
            names << u"biz_date"_s;
            marks << u"?"_s;
        }
        names << u"etl_version"_s;
        marks << u"?"_s;
        // Bound natively: a QVariant per value through QSqlQuery costs more than the insert itself.
        const QByteArray sql = u"INSERT %1 INTO %2 (%3) VALUES (%4)"_s
                                   .arg(d.upsert ? u"OR REPLACE"_s : QString(), d.sqliteTable(),
                                        names.join(u", "_s), marks.join(u", "_s))
                                   .toUtf8();
        NativeStatement insert(db, sql.constData());
        if (!insert.prepared())
            return insert.prepared().problem();
        // The tenant-wide skill row is stored with site_id '' (a key column cannot be NULL).
        int skillSiteColumn = -1;
        for (int c = 0; c < d.columns.size(); ++c)
            if (d.columns.at(c).kind == BoardColumn::Kind::SkillSite && d.columns.at(c).name == u"site_id")
                skillSiteColumn = c;
        const int versionIndex = int(names.size());
        for (const QVariantList& row : file.rows) {
            insert.bind(1, QStringView(tenantId));
            for (int c = 0; c < row.size(); ++c) {
                const QVariant& v = row.at(c);
                if (v.isNull()) {
                    if (c == skillSiteColumn)
                        insert.bind(c + 2, QStringView(u""));
                    else
                        insert.bindNull(c + 2);
                } else if (v.typeId() == QMetaType::LongLong) {
                    insert.bind(c + 2, v.toLongLong());
                } else {
                    insert.bind(c + 2, QStringView(*static_cast<const QString*>(v.constData())));
                }
            }
            insert.bind(versionIndex, summary.etlVersion);
            if (Status s = insert.step(); !s)
                return Problem{s.problem().code, tr("Loading %1: %2").arg(d.file, s.problem().message), {}};
            ++summary.rows;
        }
    }

    // Which sites know each member (the G-17 rule): any fact at the site, or registration there.
    QStringList sources;
    for (const BoardDataset& d : BoardDataCatalog::datasets())
        if (d.hasMember() && d.hasSite())
            sources << u"SELECT tenant_member_id AS m, site_id AS s FROM %1 WHERE tenant_id = ?"_s.arg(
                d.sqliteTable());
    sources << u"SELECT tenant_member_id, register_site_id FROM bd_dim_member WHERE tenant_id = ? "
               "AND register_site_id IS NOT NULL AND register_site_id <> ''"_s;
    q.prepare(u"DELETE FROM bd_member_sites WHERE tenant_id = ?"_s);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, tr("Rebuilding the members' sites"));
    q.prepare(u"INSERT INTO bd_member_sites (tenant_id, tenant_member_id, site_id) SELECT ?, m, s FROM ("_s +
              sources.join(u" UNION "_s) + u")"_s);
    for (int i = 0; i <= sources.size(); ++i)
        q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, tr("Rebuilding the members' sites"));

    // The customer board's kept rankings move to the days now current (the triggers kept them exact through
    // the rows written).
    if (Status s = CustomerRankings::keepCurrent(db, tenantId, QDateTime::currentMSecsSinceEpoch()); !s)
        return s.problem();

    q.prepare(
        u"INSERT INTO bd_loads (tenant_id, etl_version, loaded_at, source, row_count) VALUES (?, ?, ?, ?, ?)"_s);
    q.addBindValue(tenantId);
    q.addBindValue(summary.etlVersion);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(dir);
    q.addBindValue(summary.rows);
    if (!q.exec())
        return sqlProblem(q, tr("Recording the load"));
    if (Status s = transaction.commit(); !s)
        return s.problem();
    return summary;
}

} // namespace riskdesk
