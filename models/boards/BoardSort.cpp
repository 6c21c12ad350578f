#include "BoardSort.h"

#include "store/NameCollation.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
int compareValues(const QVariant& a, const QVariant& b) {
    const QPartialOrdering o = QVariant::compare(a, b);
    if (o == QPartialOrdering::Less)
        return -1;
    if (o == QPartialOrdering::Greater)
        return 1;
    return 0;
}
} // namespace

Result<BoardSort> BoardSort::parse(const QString& request, const SortCatalog& catalog) {
    const QString text = request.trimmed();
    if (text.isEmpty())
        return of(catalog.defaultColumn(), catalog.defaultColumn().defaultOrder, catalog.idSqlColumn());
    const qsizetype colon = text.indexOf(u':');
    const QString key = colon < 0 ? text : text.left(colon);
    const QString direction = colon < 0 ? QString() : text.mid(colon + 1).toLower();
    const SortColumn* column = catalog.find(key);
    if (!column)
        return Problem{u"bad_sort"_s,
                       tr("Cannot sort by \"%1\"; choose one of: %2.").arg(key, catalog.keys().join(u", "_s)),
                       u"sort"_s};
    Qt::SortOrder order = column->defaultOrder;
    if (direction == u"asc")
        order = Qt::AscendingOrder;
    else if (direction == u"desc")
        order = Qt::DescendingOrder;
    else if (colon >= 0)
        return Problem{u"bad_sort"_s,
                       tr("The sort direction \"%1\" is not asc or desc.").arg(text.mid(colon + 1)),
                       u"sort"_s};
    return of(*column, order, catalog.idSqlColumn());
}

BoardSort BoardSort::of(const SortColumn& column, Qt::SortOrder order, const QString& idSqlColumn) {
    BoardSort s;
    s.m_key = column.key;
    s.m_sql = column.sqlColumn;
    s.m_personName = column.personName;
    s.m_id = idSqlColumn;
    s.m_order = order;
    return s;
}

QString BoardSort::canonical() const {
    return m_key + (m_order == Qt::AscendingOrder ? u":asc"_s : u":desc"_s);
}

QString BoardSort::keyExpression() const {
    return m_personName ? m_sql + u" COLLATE "_s + QLatin1String(NameCollation::kSqlName) : m_sql;
}

QString BoardSort::orderByClause() const {
    const QString dir = m_order == Qt::AscendingOrder ? u"ASC"_s : u"DESC"_s;
    return u" ORDER BY "_s + keyExpression() + u' ' + dir + u" NULLS LAST, "_s + m_id + u" ASC"_s;
}

QString BoardSort::afterClause(const KeysetCursor& cursor) const {
    if (cursor.key.isNull())
        // Past the last non-null key already: only null keys remain, in id order.
        return u"("_s + m_sql + u" IS NULL AND "_s + m_id + u" > ?)"_s;
    const QString beyond = m_order == Qt::AscendingOrder ? u" > ?"_s : u" < ?"_s;
    const QString key = keyExpression();
    return u"(("_s + m_sql + u" IS NOT NULL AND ("_s + key + beyond + u" OR ("_s + key + u" = ? AND "_s +
           m_id + u" > ?))) OR "_s + m_sql + u" IS NULL)"_s;
}

QVariantList BoardSort::afterBindings(const KeysetCursor& cursor) const {
    if (cursor.key.isNull())
        return {cursor.id};
    return {cursor.key, cursor.key, cursor.id};
}

int BoardSort::compare(const QVariant& keyA, const QVariant& idA, const QVariant& keyB,
                       const QVariant& idB) const {
    const bool nullA = keyA.isNull();
    const bool nullB = keyB.isNull();
    if (nullA != nullB)
        return nullA ? 1 : -1; // nulls last, whichever the direction
    if (!nullA) {
        const int c = m_personName ? NameCollation::compare(keyA.toString(), keyB.toString())
                                   : compareValues(keyA, keyB);
        if (c != 0)
            return m_order == Qt::AscendingOrder ? c : -c;
    }
    return compareValues(idA, idB);
}

} // namespace riskdesk
