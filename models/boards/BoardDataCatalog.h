#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace riskdesk {

// One column of a board data file (spec Appendix C) and of its tables: the SQLite mirror (bd_<table>) and
// the server's riskdesk_board.<table> use the view's own column names; money columns carry a _fen suffix in
// SQLite only.
struct BoardColumn {
    enum class Kind {
        Text,      // any text without NUL; empty only when optional
        Id,        // a plain identifier (TextRules::isPlainId)
        SiteId,    // the row's site: declared by the load's site_settings.csv or already known
        SkillSite, // like SiteId, or empty for the tenant-wide row
        Integer,   // a whole number from minimum to maximum
        Money,     // decimal yuan with at most 2 decimals, kept as integer fen
        Decimal,   // a score or hours, at most 4 decimals, kept exactly as written
        Flag,      // 0 or 1
        Time,      // ISO 8601 with Z or an offset, kept as UTC milliseconds
        Date,      // YYYY-MM-DD
        Month,     // YYYY-MM-01
        TimeZone,  // an IANA time zone id
    };
    QString name;
    Kind kind = Kind::Text;
    bool optional = false;
    QStringList allowed; // when not empty: the only values accepted
    qint64 minimum = 0, maximum = std::numeric_limits<qint64>::max();

    // The column's name in the SQLite mirror.
    QString sqliteName() const { return kind == Kind::Money ? name + QStringLiteral("_fen") : name; }
};

// One file of a load and the table it fills.
struct BoardDataset {
    QString file;  // the file's name without .csv: the reference's view name where it has one
    QString table; // the server table (riskdesk_board.<table>); the mirror is bd_<table>
    QList<BoardColumn> columns;
    QStringList key;         // besides tenant_id: the columns that identify a row
    QStringList partitionBy; // besides tenant_id: the rows a load of this file replaces, by these values
    QString bizDateFrom;     // the time column biz_date is computed from, or empty
    bool upsert = false;     // rows replace rows with the same key only (tenant-wide dimensions)

    int columnIndex(const QString& name) const;
    bool hasMember() const { return columnIndex(QStringLiteral("tenant_member_id")) >= 0; }
    bool hasSite() const { return columnIndex(QStringLiteral("site_id")) >= 0; }
    QString sqliteTable() const { return QStringLiteral("bd_") + table; }
};

// Every dataset a load knows, in the order a load writes them (site settings first).
class BoardDataCatalog {
public:
    static const QList<BoardDataset>& datasets();
    static const BoardDataset* byFile(const QString& file);
};

} // namespace riskdesk
