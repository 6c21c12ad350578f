#pragma once

#include "SortCatalog.h"

#include <QVariant>
#include <QVariantList>

namespace riskdesk {

// Where a page ended: the sort key of its last row (null allowed) and that row's entity id.
struct KeysetCursor {
    QVariant key;
    QVariant id;
};

// A validated sort over a whole board set with a total order (spec §2.4):
//   ORDER BY <key> <dir> NULLS LAST, <id> ASC
// (a person's name as <key> COLLATE person_name, NameCollation)
// Nulls go last in both directions and the id always breaks ties ascending, so every row has exactly one
// place and pages by key never repeat or skip a row. The SQL pieces come from the catalog; values are bound.
class BoardSort {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardSort)

public:
    // "items_sum", "items_sum:asc", "items_sum:desc", or empty for the catalog's default. Refused with a
    // message that lists the keys the section accepts.
    static Result<BoardSort> parse(const QString& request, const SortCatalog& catalog);
    static BoardSort of(const SortColumn& column, Qt::SortOrder order, const QString& idSqlColumn);

    const QString& key() const { return m_key; }
    Qt::SortOrder order() const { return m_order; }
    // "items_sum:desc", the canonical form (for cache keys and output).
    QString canonical() const;

    // " ORDER BY items_sum DESC NULLS LAST, site_assistant_id ASC"
    QString orderByClause() const;
    // The condition for the rows after the cursor, to be ANDed to the WHERE clause, and its bound values in
    // order. The shape depends on whether the cursor's key is null (the null rows come last).
    QString afterClause(const KeysetCursor& cursor) const;
    QVariantList afterBindings(const KeysetCursor& cursor) const;

    // The same total order in C++ (for rows already in memory): negative when row a comes before row b.
    int compare(const QVariant& keyA, const QVariant& idA, const QVariant& keyB, const QVariant& idB) const;

    // The key's column, and the key as compared: the column, with NameCollation's collation for a person's
    // name (an index that serves the order is built on this).
    const QString& sqlColumn() const { return m_sql; }
    QString keyExpression() const;

private:
    QString m_key;
    QString m_sql;
    bool m_personName = false;
    QString m_id;
    Qt::SortOrder m_order = Qt::DescendingOrder;
};

} // namespace riskdesk
