#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace riskdesk {

// One column a board may be sorted by: the name a user or the command line gives ("items_sum"), the SQL
// column it stands for, and its natural direction.
struct SortColumn {
    QString key;
    QString sqlColumn;
    Qt::SortOrder defaultOrder = Qt::DescendingOrder;
    bool personName = false; // a person's name: ordered by NameCollation, not by code point
};

// The whitelist of sortable columns of one board section, plus the entity id that breaks ties (spec §2.4).
// SQL text only ever comes from here: a sort request names a key, never a column.
class SortCatalog {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::SortCatalog)

public:
    // Refused when a SQL name is not a plain (optionally qualified) identifier, when a key repeats, or when
    // the default key is not in the list.
    static Result<SortCatalog> make(const QList<SortColumn>& columns, const QString& idSqlColumn,
                                    const QString& defaultKey);

    const QList<SortColumn>& columns() const { return m_columns; }
    const QString& idSqlColumn() const { return m_id; }
    const SortColumn& defaultColumn() const;
    const SortColumn* find(const QString& key) const;
    QStringList keys() const;

private:
    SortCatalog() = default;
    QList<SortColumn> m_columns;
    QString m_id;
    qsizetype m_default = 0;
};

} // namespace riskdesk
