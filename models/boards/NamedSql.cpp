#include "NamedSql.h"

#include <QRegularExpression>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

NamedSql::NamedSql(const QString& sql, const QHash<QString, QVariant>& values) {
    // Board SQL has no string literal containing a colon, so every ":name" is a parameter.
    static const QRegularExpression name(u":([a-z_][a-z0-9_]*)"_s);
    qsizetype at = 0;
    auto it = name.globalMatch(sql);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        m_sql += QStringView(sql).mid(at, m.capturedStart() - at);
        m_sql += u'?';
        Q_ASSERT_X(values.contains(m.captured(1)), "NamedSql", qPrintable(m.captured(1)));
        m_values << values.value(m.captured(1));
        at = m.capturedEnd();
    }
    m_sql += QStringView(sql).mid(at);
}

NamedSql& NamedSql::append(const QString& sql, const QVariantList& values) {
    m_sql += sql;
    m_values << values;
    return *this;
}

NamedSql& NamedSql::append(const NamedSql& other) {
    return append(other.m_sql, other.m_values);
}

bool NamedSql::runIn(QSqlQuery& q) const {
    if (!q.prepare(m_sql))
        return false;
    for (const QVariant& v : m_values)
        q.addBindValue(v);
    return q.exec();
}

} // namespace riskdesk
