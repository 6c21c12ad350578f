#include "BoardPartitionChecksum.h"

#include <QCryptographicHash>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
using K = BoardColumn::Kind;
} // namespace

QString BoardPartitionKey::describe() const {
    QStringList parts{tenantId, siteId, dataset, bizDate};
    parts.removeAll(QString()); // a tenant-wide slice has no site, a snapshot no day
    return parts.join(u' ');
}

bool BoardPartitionChecksum::isSynced(const BoardDataset& dataset) {
    const int site = dataset.columnIndex(u"site_id"_s);
    return site >= 0 && dataset.columns.at(site).kind == K::SiteId && !dataset.upsert;
}

bool BoardPartitionChecksum::isDaily(const BoardDataset& dataset) {
    return dataset.partitionBy.contains(u"biz_date"_s);
}

const BoardDataset* BoardPartitionChecksum::byTable(const QString& table) {
    for (const BoardDataset& d : BoardDataCatalog::datasets())
        if (d.table == table)
            return &d;
    return nullptr;
}

QStringList BoardPartitionChecksum::serverNames(const BoardDataset& dataset) {
    QStringList names;
    for (const BoardColumn& c : dataset.columns)
        names << c.name;
    if (!dataset.bizDateFrom.isEmpty())
        names << u"biz_date"_s;
    return names;
}

QStringList BoardPartitionChecksum::sqliteNames(const BoardDataset& dataset) {
    QStringList names;
    for (const BoardColumn& c : dataset.columns)
        names << c.sqliteName();
    if (!dataset.bizDateFrom.isEmpty())
        names << u"biz_date"_s;
    return names;
}

QList<BoardColumn::Kind> BoardPartitionChecksum::kinds(const BoardDataset& dataset) {
    QList<K> kinds;
    for (const BoardColumn& c : dataset.columns)
        kinds << c.kind;
    if (!dataset.bizDateFrom.isEmpty())
        kinds << K::Date;
    return kinds;
}

QString BoardPartitionChecksum::serverSelectList(const BoardDataset& dataset) {
    const QStringList names = serverNames(dataset);
    const QList<K> k = kinds(dataset);
    QStringList list;
    for (int i = 0; i < names.size(); ++i) {
        const QString n = names.at(i);
        switch (k.at(i)) {
        case K::Money:
            list << u"(%1 * 100)::bigint::text"_s.arg(n); // numeric(14,2): exact
            break;
        case K::Time: // stored with millisecond precision: exact
            list << u"(EXTRACT(epoch FROM %1) * 1000)::bigint::text"_s.arg(n);
            break;
        case K::Date:
        case K::Month:
            list << u"pg_catalog.to_char(%1, 'YYYY-MM-DD')"_s.arg(n);
            break;
        case K::Decimal:
            list << u"pg_catalog.round(%1, 4)::text"_s.arg(n);
            break;
        case K::Integer:
        case K::Flag:
            list << n + u"::text"_s;
            break;
        default:
            list << n;
        }
    }
    return list.join(u", "_s);
}

bool BoardPartitionChecksum::isWholeNumber(BoardColumn::Kind kind) {
    return kind == K::Money || kind == K::Time || kind == K::Integer || kind == K::Flag;
}

std::optional<QByteArray> BoardPartitionChecksum::fromSqlite(BoardColumn::Kind kind, const QVariant& value) {
    if (value.isNull())
        return std::nullopt;
    if (isWholeNumber(kind))
        return QByteArray::number(value.toLongLong());
    if (kind == K::Decimal) {
        const double d = value.toDouble();
        return QByteArray::number(d == 0 ? 0.0 : d, 'f', 4); // no "-0.0000"
    }
    return value.toString().toUtf8();
}

void BoardPartitionChecksum::addRow(const QList<std::optional<QByteArray>>& fields) {
    QByteArray row;
    for (const std::optional<QByteArray>& f : fields) {
        if (!f) {
            row += 'N';
            continue;
        }
        row += QByteArray::number(f->size());
        row += ':';
        row += *f;
    }
    row += '\n';
    m_rows.append(row);
}

QString BoardPartitionChecksum::hex() const {
    QList<QByteArray> sorted = m_rows;
    std::sort(sorted.begin(), sorted.end());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QByteArray& row : std::as_const(sorted))
        hash.addData(row);
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace riskdesk
