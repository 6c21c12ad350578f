#include "BoardTenantPull.h"

#include "boards/BoardCache.h"
#include "store/BatchedInsert.h"
#include "store/RowBlock.h"
#include "store/SqlProblem.h"
#include "store/WriteTransaction.h"

#include <QDateTime>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using K = BoardColumn::Kind;

// Which sites know a member: not a file of a load (the loader derives it from the site data), so it has no
// catalog entry and no etl_version; its canonical form is that of any dataset with these two columns.
const BoardDataset& memberSites() {
    static const BoardDataset d = [] {
        BoardDataset m;
        m.file = m.table = u"member_sites"_s;
        BoardColumn member, site;
        member.name = u"tenant_member_id"_s;
        member.kind = K::Integer;
        site.name = u"site_id"_s;
        site.kind = K::SiteId;
        m.columns = {member, site};
        m.key = {u"tenant_member_id"_s, u"site_id"_s};
        return m;
    }();
    return d;
}

const BoardDataset* datasetOf(const QString& table) {
    if (table == memberSites().table)
        return &memberSites();
    if (!BoardTenantPull::isTenantWide(table))
        return nullptr;
    return BoardPartitionChecksum::byTable(table);
}

bool hasVersion(const BoardDataset& d) {
    return &d != &memberSites();
}

BoardPartitionKey keyOf(const QString& tenantId, const QString& dataset) {
    return {tenantId, {}, dataset, {}};
}

// Replaces the tenant's slice with the server's rows and checks it before committing. Ok(false): the rows
// written did not match the server's checksum; nothing changed.
Result<bool> replaceSlice(QSqlDatabase db, const QString& tenantId, const BoardDataset& d,
                          const PgResult& rows, qint64 count, const QString& checksum, qint64 version,
                          QString& why) {
    const QList<K> kinds = BoardPartitionChecksum::kinds(d);
    QStringList names = BoardPartitionChecksum::sqliteNames(d);
    if (hasVersion(d))
        names << u"etl_version"_s;
    const QString where = keyOf(tenantId, d.table).describe();
    WriteTransaction tx(db);
    if (!tx.begun())
        return tx.begun().problem();
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM %1 WHERE tenant_id = ?"_s.arg(d.sqliteTable()));
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, BoardTenantPull::tr("Replacing %1").arg(where));
    BatchedInsert insert(
        db, u"INSERT INTO %1 (tenant_id, %2)"_s.arg(d.sqliteTable(), names.join(u", "_s)).toUtf8(),
        int(names.size()) + 1);
    if (!insert.prepared())
        return insert.prepared().problem();
    RowBlock block;
    const QByteArray tenant = tenantId.toUtf8();
    for (int r = 0; r < rows.rows(); ++r) {
        block.addText(tenant);
        for (int c = 0; c < names.size(); ++c) {
            if (rows.isNull(r, c)) {
                block.addNull();
                continue;
            }
            const QString text = rows.text(r, c);
            const bool whole = c >= kinds.size() || BoardPartitionChecksum::isWholeNumber(kinds.at(c));
            if (!whole) {
                block.addText(text.toUtf8());
                continue;
            }
            bool ok = false;
            const qint64 v = text.toLongLong(&ok);
            if (!ok)
                return Problem{u"board_sync_bad_value"_s,
                               BoardTenantPull::tr("The server sent \"%1\" for %2 of %3, not a whole number.")
                                   .arg(text.left(40), names.at(c), where),
                               {}};
            block.addInteger(v);
        }
        block.endRow();
        if (block.rows() >= 2048) {
            if (Status s = insert.insert(block); !s)
                return s.problem();
            block.clear();
        }
    }
    if (Status s = insert.insert(block); !s)
        return s.problem();
    auto local = BoardTenantPull::localChecksum(db, tenantId, d.table);
    if (!local)
        return local.problem();
    if (local.value().first != count || local.value().second != checksum) {
        why = BoardTenantPull::tr(
                  "%1: the server shows %2 rows (checksum %3), the workspace wrote %4 (%5); the "
                  "data was left as it was.")
                  .arg(where)
                  .arg(count)
                  .arg(checksum.left(12))
                  .arg(local.value().first)
                  .arg(local.value().second.left(12));
        return false;
    }
    q.prepare(u"INSERT OR REPLACE INTO bd_partitions (tenant_id, site_id, dataset, biz_date, etl_version, "
              "row_count, checksum, pulled_at) VALUES (?, '', ?, '', ?, ?, ?, ?)"_s);
    q.addBindValue(tenantId);
    q.addBindValue(d.table);
    q.addBindValue(version);
    q.addBindValue(count);
    q.addBindValue(checksum);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec())
        return sqlProblem(q, BoardTenantPull::tr("Recording %1").arg(where));
    // Names, levels and skills appear on every site's boards: every kept result of the tenant is stale.
    if (auto dropped = BoardCache::dropTenant(db, tenantId); !dropped)
        return dropped.problem();
    if (Status s = tx.commit(); !s)
        return s.problem();
    return true;
}

} // namespace

QStringList BoardTenantPull::datasets() {
    return {u"cfg_skill_type"_s, u"cfg_intimacy_level"_s, u"dim_member"_s, u"member_sites"_s};
}

bool BoardTenantPull::isTenantWide(const QString& dataset) {
    return datasets().contains(dataset);
}

Result<QPair<qint64, QString>> BoardTenantPull::localChecksum(QSqlDatabase db, const QString& tenantId,
                                                              const QString& dataset) {
    const BoardDataset* d = datasetOf(dataset);
    if (!d)
        return Problem{u"board_sync_unknown_dataset"_s,
                       tr("There is no tenant-wide board dataset \"%1\".").arg(dataset),
                       {}};
    const QList<K> kinds = BoardPartitionChecksum::kinds(*d);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT %1 FROM %2 WHERE tenant_id = ?"_s.arg(
        BoardPartitionChecksum::sqliteNames(*d).join(u", "_s), d->sqliteTable()));
    q.addBindValue(tenantId);
    const QString what = keyOf(tenantId, dataset).describe();
    if (!q.exec())
        return sqlProblem(q, tr("Reading %1").arg(what));
    BoardPartitionChecksum sum;
    while (q.next()) {
        QList<std::optional<QByteArray>> fields;
        for (int c = 0; c < kinds.size(); ++c)
            fields << BoardPartitionChecksum::fromSqlite(kinds.at(c), q.value(c));
        sum.addRow(fields);
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading %1").arg(what));
    return qMakePair(sum.rowCount(), sum.hex());
}

Status BoardTenantPull::pull(QSqlDatabase db, PgConnection& server, const QString& tenantId,
                             BoardPullReport& report) {
    for (const QString& table : datasets()) {
        const BoardDataset* d = datasetOf(table);
        if (!d)
            return Problem{u"board_sync_unknown_dataset"_s,
                           tr("There is no tenant-wide board dataset \"%1\".").arg(table),
                           {}};
        // Row-level security decides what the slice is: this login's sites' skill rows and the tenant's,
        // the members its sites know, the levels of a tenant it belongs to.
        const QString select = BoardPartitionChecksum::serverSelectList(*d) +
                               (hasVersion(*d) ? u", etl_version::text"_s : QString());
        auto rows = server.exec(
            u"SELECT %1 FROM riskdesk_board.%2 WHERE tenant_id = $1"_s.arg(select, d->table), {tenantId});
        if (!rows)
            return rows.problem();
        const PgResult& r = rows.value();
        const int canonical = int(BoardPartitionChecksum::kinds(*d).size());
        BoardPartitionChecksum sum;
        qint64 version = 1; // member_sites has none: any server's version is positive
        for (int i = 0; i < r.rows(); ++i) {
            QList<std::optional<QByteArray>> fields;
            for (int c = 0; c < canonical; ++c)
                fields << (r.isNull(i, c) ? std::nullopt : std::optional<QByteArray>(r.text(i, c).toUtf8()));
            sum.addRow(fields);
            if (hasVersion(*d))
                version = std::max(version, r.integer(i, canonical));
        }
        auto local = localChecksum(db, tenantId, table);
        if (!local)
            return local.problem();
        if (local.value().first == sum.rowCount() && local.value().second == sum.hex()) {
            // Already the server's (loaded locally, or an empty slice): make sure verify knows it.
            QSqlQuery q(db);
            q.prepare(
                u"INSERT INTO bd_partitions (tenant_id, site_id, dataset, biz_date, etl_version, row_count, "
                "checksum, pulled_at) VALUES (?, '', ?, '', ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                "etl_version = excluded.etl_version, row_count = excluded.row_count, checksum = "
                "excluded.checksum, pulled_at = excluded.pulled_at WHERE checksum <> excluded.checksum "
                "OR row_count <> excluded.row_count"_s);
            q.addBindValue(tenantId);
            q.addBindValue(table);
            q.addBindValue(version);
            q.addBindValue(sum.rowCount());
            q.addBindValue(sum.hex());
            q.addBindValue(QDateTime::currentMSecsSinceEpoch());
            if (!q.exec())
                return sqlProblem(q, tr("Recording %1").arg(keyOf(tenantId, table).describe()));
            continue;
        }
        QString why;
        auto replaced = replaceSlice(db, tenantId, *d, r, sum.rowCount(), sum.hex(), version, why);
        if (!replaced)
            return replaced.problem();
        if (!replaced.value()) {
            report.problems << why;
            continue;
        }
        ++report.tenantSlices;
        report.rows += r.rows();
    }
    return success();
}

} // namespace riskdesk
