#include "BoardPartitionPull.h"

#include "BoardTenantPull.h"
#include "boards/BoardCache.h"
#include "boards/CustomerRankings.h"
#include "store/BatchedInsert.h"
#include "store/SqlProblem.h"
#include "store/WriteTransaction.h"

#include <QDateTime>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

struct ServerPartition {
    BoardPartitionKey key;
    qint64 version = 0, rowCount = 0;
    QString checksum;
};

QString partitionWhere(const BoardPartitionKey& key) {
    return key.bizDate.isEmpty() ? u"tenant_id = ? AND site_id = ?"_s
                                 : u"tenant_id = ? AND site_id = ? AND biz_date = ?"_s;
}

void bindPartition(QSqlQuery& q, const BoardPartitionKey& key) {
    q.addBindValue(key.tenantId);
    q.addBindValue(key.siteId);
    if (!key.bizDate.isEmpty())
        q.addBindValue(key.bizDate);
}

// The user's sites of the tenant, as the server's memberships say; replaces what the workspace had.
Status recordUserSites(QSqlDatabase db, const QString& userId, const QString& tenantId,
                       const QStringList& sites) {
    WriteTransaction tx(db);
    if (!tx.begun())
        return tx.begun();
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM bd_user_sites WHERE user_id = ? AND tenant_id = ?"_s);
    q.addBindValue(userId);
    q.addBindValue(tenantId);
    if (!q.exec())
        return sqlProblem(q, BoardPartitionPull::tr("Recording the user's sites"));
    q.prepare(u"INSERT INTO bd_user_sites (user_id, tenant_id, site_id) VALUES (?, ?, ?)"_s);
    for (const QString& site : sites) {
        q.addBindValue(userId);
        q.addBindValue(tenantId);
        q.addBindValue(site);
        if (!q.exec())
            return sqlProblem(q, BoardPartitionPull::tr("Recording the user's sites"));
    }
    return tx.commit();
}

// Replaces one partition with the server's rows and checks it before committing. Ok(false): the rows did not
// match the server's count or checksum, nothing changed; `why` says how.
Result<bool> replacePartition(QSqlDatabase db, const ServerPartition& p, const PgResult& rows, QString& why) {
    const BoardDataset& d = *BoardPartitionChecksum::byTable(p.key.dataset);
    const QList<BoardColumn::Kind> kinds = BoardPartitionChecksum::kinds(d);
    const QStringList names = BoardPartitionChecksum::sqliteNames(d);
    WriteTransaction tx(db);
    if (!tx.begun())
        return tx.begun().problem();
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM %1 WHERE %2"_s.arg(d.sqliteTable(), partitionWhere(p.key)));
    bindPartition(q, p.key);
    if (!q.exec())
        return sqlProblem(q, BoardPartitionPull::tr("Replacing %1").arg(p.key.describe()));
    BatchedInsert insert(
        db,
        u"INSERT INTO %1 (tenant_id, %2, etl_version)"_s.arg(d.sqliteTable(), names.join(u", "_s)).toUtf8(),
        int(names.size()) + 2);
    if (!insert.prepared())
        return insert.prepared().problem();
    RowBlock block;
    const QByteArray tenant = p.key.tenantId.toUtf8();
    for (int r = 0; r < rows.rows(); ++r) {
        block.addText(tenant);
        for (int c = 0; c < kinds.size(); ++c) {
            if (rows.isNull(r, c)) {
                block.addNull();
                continue;
            }
            const QString text = rows.text(r, c);
            if (BoardPartitionChecksum::isWholeNumber(kinds.at(c))) {
                bool ok = false;
                const qint64 v = text.toLongLong(&ok);
                if (!ok)
                    return Problem{
                        u"board_sync_bad_value"_s,
                        BoardPartitionPull::tr("The server sent \"%1\" for %2 of %3, not a whole number.")
                            .arg(text.left(40), names.at(c), p.key.describe()),
                        {}};
                block.addInteger(v);
            } else {
                block.addText(text.toUtf8());
            }
        }
        block.addInteger(p.version);
        block.endRow();
        if (block.rows() >= 2048) {
            if (Status s = insert.insert(block); !s)
                return s.problem();
            block.clear();
        }
    }
    if (Status s = insert.insert(block); !s)
        return s.problem();
    auto local = BoardPartitionPull::localChecksum(db, p.key);
    if (!local)
        return local.problem();
    if (local.value().first != p.rowCount || local.value().second != p.checksum) {
        why =
            BoardPartitionPull::tr("%1: the server lists %2 rows (checksum %3), the workspace wrote %4 (%5); "
                                   "the partition was left as it was.")
                .arg(p.key.describe())
                .arg(p.rowCount)
                .arg(p.checksum.left(12))
                .arg(local.value().first)
                .arg(local.value().second.left(12));
        return false; // rolled back by tx
    }
    q.prepare(u"INSERT OR REPLACE INTO bd_partitions (tenant_id, site_id, dataset, biz_date, etl_version, "
              "row_count, checksum, pulled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(p.key.tenantId);
    q.addBindValue(p.key.siteId);
    q.addBindValue(p.key.dataset);
    q.addBindValue(p.key.bizDate.isEmpty() ? u""_s : p.key.bizDate);
    q.addBindValue(p.version);
    q.addBindValue(p.rowCount);
    q.addBindValue(p.checksum);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec())
        return sqlProblem(q, BoardPartitionPull::tr("Recording %1").arg(p.key.describe()));
    // The site's data changed: its cached results are stale whatever their key says.
    if (auto dropped = BoardCache::dropSite(db, p.key.tenantId, p.key.siteId); !dropped)
        return dropped.problem();
    if (Status s = tx.commit(); !s)
        return s.problem();
    return true;
}

} // namespace

Result<QPair<qint64, QString>> BoardPartitionPull::localChecksum(QSqlDatabase db,
                                                                 const BoardPartitionKey& key) {
    if (key.siteId.isEmpty() && BoardTenantPull::isTenantWide(key.dataset))
        return BoardTenantPull::localChecksum(db, key.tenantId, key.dataset);
    const BoardDataset* d = BoardPartitionChecksum::byTable(key.dataset);
    if (!d || !BoardPartitionChecksum::isSynced(*d))
        return Problem{
            u"board_sync_unknown_dataset"_s, tr("There is no board dataset \"%1\".").arg(key.dataset), {}};
    const QList<BoardColumn::Kind> kinds = BoardPartitionChecksum::kinds(*d);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT %1 FROM %2 WHERE %3"_s.arg(BoardPartitionChecksum::sqliteNames(*d).join(u", "_s),
                                                  d->sqliteTable(), partitionWhere(key)));
    bindPartition(q, key);
    if (!q.exec())
        return sqlProblem(q, tr("Reading %1").arg(key.describe()));
    BoardPartitionChecksum sum;
    while (q.next()) {
        QList<std::optional<QByteArray>> fields;
        for (int c = 0; c < kinds.size(); ++c)
            fields << BoardPartitionChecksum::fromSqlite(kinds.at(c), q.value(c));
        sum.addRow(fields);
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading %1").arg(key.describe()));
    return qMakePair(sum.rowCount(), sum.hex());
}

Result<BoardPullReport> BoardPartitionPull::pull(QSqlDatabase db, PgConnection& server) {
    BoardPullReport report;
    auto finance = server.exec(u"SELECT tenant_id, user_id FROM riskdesk.memberships "
                               "WHERE login_role = session_user AND role = 'finance' ORDER BY tenant_id"_s);
    if (!finance)
        return finance.problem();
    if (finance.value().rows() == 0)
        return report;
    report.finance = true;

    auto fail = [&](const Problem& problem) -> Result<BoardPullReport> {
        server.execScript(u"ROLLBACK"_s);
        return problem;
    };
    // One snapshot for the listing and every partition's rows.
    if (Status s = server.execScript(u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s); !s)
        return s.problem();
    for (int t = 0; t < finance.value().rows(); ++t) {
        const QString tenant = finance.value().text(t, 0), user = finance.value().text(t, 1);
        auto sites =
            server.exec(u"SELECT site_id FROM riskdesk.site_memberships WHERE login_role = session_user "
                        "AND tenant_id = $1 ORDER BY site_id"_s,
                        {tenant});
        if (!sites)
            return fail(sites.problem());
        QStringList siteIds;
        for (int r = 0; r < sites.value().rows(); ++r)
            siteIds << sites.value().text(r, 0);
        if (Status s = recordUserSites(db, user, tenant, siteIds); !s)
            return fail(s.problem());
        report.userSites += int(siteIds.size());
        if (Status s = BoardTenantPull::pull(db, server, tenant, report); !s)
            return fail(s.problem());

        auto listed =
            server.exec(u"SELECT site_id, dataset, COALESCE(pg_catalog.to_char(biz_date, 'YYYY-MM-DD'), ''), "
                        "etl_version, row_count, checksum FROM riskdesk_board.partitions "
                        "WHERE tenant_id = $1 ORDER BY site_id, dataset, biz_date"_s,
                        {tenant});
        if (!listed)
            return fail(listed.problem());
        QHash<QString, qint64> held; // "site|dataset|date" → version in the workspace
        {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            q.prepare(
                u"SELECT site_id, dataset, biz_date, etl_version FROM bd_partitions WHERE tenant_id = ?"_s);
            q.addBindValue(tenant);
            if (!q.exec())
                return fail(sqlProblem(q, tr("Reading the board partitions")));
            while (q.next())
                held.insert(
                    QStringList{q.value(0).toString(), q.value(1).toString(), q.value(2).toString()}.join(
                        u'|'),
                    q.value(3).toLongLong());
            if (rowsFailed(q))
                return fail(sqlProblem(q, tr("Reading the board partitions")));
        }
        const PgResult& l = listed.value();
        for (int r = 0; r < l.rows(); ++r) {
            ServerPartition p{{tenant, l.text(r, 0), l.text(r, 1), l.text(r, 2)},
                              l.integer(r, 3),
                              l.integer(r, 4),
                              l.text(r, 5)};
            const BoardDataset* d = BoardPartitionChecksum::byTable(p.key.dataset);
            if (!d || !BoardPartitionChecksum::isSynced(*d)) {
                report.problems << tr("%1: this version of Riskdesk does not know the dataset; skipped.")
                                       .arg(p.key.describe());
                continue;
            }
            if (held.value(QStringList{p.key.siteId, p.key.dataset, p.key.bizDate}.join(u'|'), -1) ==
                p.version)
                continue;
            const bool daily = BoardPartitionChecksum::isDaily(*d);
            if (daily == p.key.bizDate.isEmpty()) {
                report.problems << tr("%1: the server's partition does not fit the dataset; skipped.")
                                       .arg(p.key.describe());
                continue;
            }
            auto rows = server.exec(
                u"SELECT %1 FROM riskdesk_board.%2 WHERE tenant_id = $1 AND site_id = $2 %3"_s.arg(
                    BoardPartitionChecksum::serverSelectList(*d), d->table,
                    daily ? u"AND biz_date = $3::date"_s : QString()),
                daily ? QStringList{tenant, p.key.siteId, p.key.bizDate} : QStringList{tenant, p.key.siteId});
            if (!rows)
                return fail(rows.problem());
            QString why;
            auto replaced = replacePartition(db, p, rows.value(), why);
            if (!replaced)
                return fail(replaced.problem());
            if (!replaced.value()) {
                report.problems << why;
                continue;
            }
            ++report.partitions;
            report.rows += rows.value().rows();
        }
        // The customer board's kept rankings move to the days now current (the triggers kept them exact
        // through the replaced partitions).
        WriteTransaction tx(db);
        if (!tx.begun())
            return fail(tx.begun().problem());
        if (Status s = CustomerRankings::keepCurrent(db, tenant, QDateTime::currentMSecsSinceEpoch()); !s)
            return fail(s.problem());
        if (Status s = tx.commit(); !s)
            return fail(s.problem());
    }
    if (Status s = server.execScript(u"COMMIT"_s); !s)
        return s.problem();
    return report;
}

Result<QList<BoardPartitionDamage>> BoardPartitionPull::verify(QSqlDatabase db) {
    QList<ServerPartition> held;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(u"SELECT tenant_id, site_id, dataset, biz_date, row_count, checksum FROM bd_partitions "
                    "ORDER BY tenant_id, site_id, dataset, biz_date"_s))
            return sqlProblem(q, tr("Reading the board partitions"));
        while (q.next())
            held.append(
                {{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString()},
                 0,
                 q.value(4).toLongLong(),
                 q.value(5).toString()});
        if (rowsFailed(q))
            return sqlProblem(q, tr("Reading the board partitions"));
    }
    QList<BoardPartitionDamage> damaged;
    for (const ServerPartition& p : std::as_const(held)) {
        auto local = localChecksum(db, p.key);
        if (!local)
            return local.problem();
        if (local.value().first == p.rowCount && local.value().second == p.checksum)
            continue;
        damaged.append({p.key, p.rowCount, local.value().first, p.checksum, local.value().second});
    }
    if (damaged.isEmpty())
        return damaged;
    // Version 0 is never a server's: the next pull replaces these partitions.
    WriteTransaction tx(db);
    if (!tx.begun())
        return tx.begun().problem();
    QSqlQuery q(db);
    q.prepare(u"UPDATE bd_partitions SET etl_version = 0 WHERE tenant_id = ? AND site_id = ? AND dataset = ? "
              "AND biz_date = ?"_s);
    for (const BoardPartitionDamage& d : std::as_const(damaged)) {
        q.addBindValue(d.key.tenantId);
        q.addBindValue(d.key.siteId);
        q.addBindValue(d.key.dataset);
        q.addBindValue(d.key.bizDate);
        if (!q.exec())
            return sqlProblem(q, tr("Marking %1 for the next sync").arg(d.key.describe()));
    }
    if (Status s = tx.commit(); !s)
        return s.problem();
    return damaged;
}

} // namespace riskdesk
