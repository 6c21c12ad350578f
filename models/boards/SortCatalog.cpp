#include "SortCatalog.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
bool plainIdentifier(const QString& sql) {
    static const QRegularExpression shape(uR"(^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$)"_s);
    return shape.match(sql).hasMatch();
}
} // namespace

Result<SortCatalog> SortCatalog::make(const QList<SortColumn>& columns, const QString& idSqlColumn,
                                      const QString& defaultKey) {
    SortCatalog c;
    if (!plainIdentifier(idSqlColumn))
        return Problem{u"bad_sort_catalog"_s, tr("\"%1\" is not a plain column name.").arg(idSqlColumn), {}};
    for (const SortColumn& column : columns) {
        if (!plainIdentifier(column.sqlColumn))
            return Problem{
                u"bad_sort_catalog"_s, tr("\"%1\" is not a plain column name.").arg(column.sqlColumn), {}};
        if (column.key.isEmpty() || c.find(column.key))
            return Problem{
                u"bad_sort_catalog"_s, tr("The sort key \"%1\" is empty or repeated.").arg(column.key), {}};
        c.m_columns << column;
    }
    c.m_id = idSqlColumn;
    const SortColumn* def = c.find(defaultKey);
    if (!def)
        return Problem{
            u"bad_sort_catalog"_s, tr("The default sort key \"%1\" is not in the list.").arg(defaultKey), {}};
    c.m_default = def - c.m_columns.constData();
    return c;
}

const SortColumn& SortCatalog::defaultColumn() const {
    return m_columns.at(m_default);
}

const SortColumn* SortCatalog::find(const QString& key) const {
    for (const SortColumn& column : m_columns)
        if (column.key == key)
            return &column;
    return nullptr;
}

QStringList SortCatalog::keys() const {
    QStringList keys;
    for (const SortColumn& column : m_columns)
        keys << column.key;
    return keys;
}

} // namespace riskdesk
