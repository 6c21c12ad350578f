#pragma once

#include <QHash>
#include <QString>
#include <QVariant>
#include <QVariantList>

class QSqlQuery;

namespace riskdesk {

// Board SQL written with named parameters (":tenant", ":asof") turned into positional ones, so that it can be
// joined with the positional pieces BoardSort produces (its keyset condition uses "?"). Every name must have
// a value: a missing one is a programming error (asserted) and binds NULL.
class NamedSql {
public:
    NamedSql() = default;
    NamedSql(const QString& sql, const QHash<QString, QVariant>& values);

    // Appends positional SQL with its values in order.
    NamedSql& append(const QString& sql, const QVariantList& values = {});
    NamedSql& append(const NamedSql& other);

    const QString& sql() const { return m_sql; }
    const QVariantList& values() const { return m_values; }

    // Prepares q with this SQL, binds the values in order and executes it; false on failure (q has the
    // error).
    bool runIn(QSqlQuery& q) const;

private:
    QString m_sql;
    QVariantList m_values;
};

} // namespace riskdesk
