#include "FinanceSource.h"

#include "SiteDataStart.h"
#include "store/SqlProblem.h"

#include <QRegularExpression>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<QList<QVariantList>> FinanceSource::rows(const QString& sql, const BoardPeriod& period,
                                                const QString& doing, const QVariantMap& extra) const {
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return sqlProblem(q, doing);
    // Bind only the names the statement uses: QSQLITE refuses values for placeholders it does not have.
    // A null QString would be bound as SQL NULL; an absent filter (":code = ''") means the empty text.
    const auto bindIfUsed = [&](const QString& name, const QVariant& value) {
        if (!sql.contains(QRegularExpression(QRegularExpression::escape(name) + u"\\b"_s)))
            return;
        const bool nullText = value.typeId() == QMetaType::QString && value.toString().isNull();
        q.bindValue(name, nullText ? QVariant(QStringLiteral("")) : value);
    };
    bindIfUsed(u":t"_s, m_tenant);
    bindIfUsed(u":s"_s, m_site);
    bindIfUsed(u":from"_s, period.from().toString(Qt::ISODate));
    bindIfUsed(u":to"_s, period.to().toString(Qt::ISODate));
    for (auto it = extra.begin(); it != extra.end(); ++it)
        bindIfUsed(it.key(), it.value());
    if (!q.exec())
        return sqlProblem(q, doing);
    QList<QVariantList> out;
    const int columns = q.record().count();
    while (q.next()) {
        QVariantList row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c)
            row << q.value(c);
        out << row;
    }
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    return out;
}

Result<qint64> FinanceSource::sum(const QString& sql, const BoardPeriod& period, const QString& doing,
                                  const QVariantMap& extra) const {
    const auto r = rows(sql, period, doing, extra);
    if (!r)
        return r.problem();
    if (r.value().isEmpty() || r.value().first().isEmpty())
        return qint64(0);
    return r.value().first().first().toLongLong();
}

Result<QDate> FinanceSource::firstDay() const {
    return SiteDataStart::ofFinanceSummary(m_db, m_tenant, m_site);
}

Result<QList<QVariantList>> FinanceSource::serviceIncomeByDay(const BoardPeriod& period) const {
    const std::pair key{period.from(), period.to()};
    if (const auto it = m_serviceIncome.constFind(key); it != m_serviceIncome.cend())
        return *it;
    // One row per business day with valid logs, kept by the service log's triggers (migration 022): a year is
    // about 365 rows instead of every log of the year.
    auto r =
        rows(u"SELECT biz_date, items_fen FROM bd_sl_site_day"
             " WHERE tenant_id = :t AND site_id = :s AND biz_date BETWEEN :from AND :to ORDER BY biz_date"_s,
             period, tr("Reading the coach service income"));
    if (r)
        m_serviceIncome.insert(key, r.value());
    return r;
}

} // namespace riskdesk
