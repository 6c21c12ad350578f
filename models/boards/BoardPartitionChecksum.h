#pragma once

#include "BoardDataCatalog.h"

#include <QByteArray>
#include <QList>
#include <QVariant>
#include <optional>

namespace riskdesk {

// One partition of the board data a desktop mirrors (spec §7.5): a dataset (the server table's name) of one
// site, and for the daily datasets one business day of it. An empty bizDate is the whole-site snapshot
// (NULL on the server, '' in bd_partitions).
struct BoardPartitionKey {
    QString tenantId;
    QString siteId;
    QString dataset;
    QString bizDate;

    QString describe() const; // "assistant_service_log S1 2026-05-20", for messages
};

// The canonical form of a partition's rows, the one definition both the loader (over the server's rows) and
// the desktop (over its bd_ rows) hash, so that equal checksums mean equal data:
//  - the columns are the dataset's file columns in catalog order, then biz_date when it is computed; neither
//    tenant_id (implied by the partition) nor etl_version (bookkeeping) is part of a row;
//  - each value as text: money as integer fen, times as UTC milliseconds, dates as YYYY-MM-DD, decimals with
//    exactly four decimals (numeric(…,4) and REAL agree on that), whole numbers in decimal, text as UTF-8;
//  - a row is its fields each written as "<byte length>:<bytes>", or "N" for NULL, then "\n";
//  - the rows are sorted bytewise (no collation, no database order involved) and SHA-256 is taken over their
//    concatenation; the checksum is its lowercase hex. The row count is counted alongside.
class BoardPartitionChecksum {
public:
    // Datasets mirrored by partition: those whose every row belongs to one site. Tenant-wide ones (members,
    // intimacy levels, tenant-wide skill rows) are not.
    static bool isSynced(const BoardDataset& dataset);
    // Partitioned by business day (else: one whole-site snapshot).
    static bool isDaily(const BoardDataset& dataset);
    static const BoardDataset* byTable(const QString& table);

    // The canonical columns: names (the server's; the mirror's via sqliteNames) and kinds, aligned.
    static QStringList serverNames(const BoardDataset& dataset);
    static QStringList sqliteNames(const BoardDataset& dataset);
    static QList<BoardColumn::Kind> kinds(const BoardDataset& dataset);
    // A SELECT list that gives each canonical column's canonical text on the server.
    static QString serverSelectList(const BoardDataset& dataset);
    // A mirror value as canonical text (nullopt for NULL).
    static std::optional<QByteArray> fromSqlite(BoardColumn::Kind kind, const QVariant& value);
    // Whole-number kinds, stored as SQLite integers (the rest as text, which the column's affinity keeps).
    static bool isWholeNumber(BoardColumn::Kind kind);

    void addRow(const QList<std::optional<QByteArray>>& fields);
    qint64 rowCount() const { return m_rows.size(); }
    QString hex() const;

private:
    QList<QByteArray> m_rows;
};

} // namespace riskdesk
