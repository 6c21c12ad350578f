#include "CoachTop3.h"

#include "PhoneMask.h"
#include "store/SqlProblem.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>
#include <utility>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
QString jsonIds(const QList<qint64>& ids) {
    QJsonArray a;
    for (qint64 id : ids)
        a.append(double(id));
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}
} // namespace

Result<QHash<qint64, QList<CoachCustomer>>> CoachTop3::read(QSqlDatabase db, const QString& tenant,
                                                            const QString& site, const QList<qint64>& coaches,
                                                            const QDate& monthEnd, int limit) {
    QHash<qint64, QList<CoachCustomer>> result;
    if (coaches.isEmpty())
        return result;
    const QString doing = tr("Reading the coaches' customers by intimacy");
    QSqlQuery q(db);
    // One query for the whole page: each coach's latest date, then the rank within it. The page's coaches
    // drive both steps (a seek per coach into bd_rel_by_coach, CROSS JOIN keeps them the outer loop): joined
    // the other way round the planner scanned the site's whole relation index against the id list.
    q.prepare(
        u"WITH page AS (SELECT DISTINCT value AS coach_id FROM json_each(:ids)),"
        " latest AS (SELECT coach_id, (SELECT MAX(r.calc_date) FROM bd_member_assistant_relation_index r"
        "   WHERE r.tenant_id = :t AND r.site_id = :s AND r.site_assistant_id = page.coach_id"
        "    AND r.calc_date <= :end) AS d FROM page),"
        " ranked AS (SELECT r.site_assistant_id AS coach_id, r.tenant_member_id AS member_id, r.rs_score,"
        "   r.calc_date, ROW_NUMBER() OVER (PARTITION BY r.site_assistant_id"
        "                                   ORDER BY r.rs_score DESC, r.tenant_member_id ASC) AS rn"
        "   FROM latest CROSS JOIN bd_member_assistant_relation_index r"
        "    ON r.tenant_id = :t AND r.site_id = :s"
        "    AND r.site_assistant_id = latest.coach_id AND r.calc_date = latest.d)"
        " SELECT coach_id, member_id, rs_score, calc_date FROM ranked WHERE :limit = 0 OR rn <= :limit"
        " ORDER BY coach_id, rn"_s);
    q.bindValue(u":ids"_s, jsonIds(coaches));
    q.bindValue(u":t"_s, tenant);
    q.bindValue(u":s"_s, site);
    q.bindValue(u":end"_s, monthEnd.toString(Qt::ISODate));
    q.bindValue(u":limit"_s, limit);
    if (!q.exec())
        return sqlProblem(q, doing);
    while (q.next()) {
        CoachCustomer c;
        c.memberId = q.value(1).toLongLong();
        c.scoreHundredths = qRound64(q.value(2).toDouble() * 100);
        c.calcDate = QDate::fromString(q.value(3).toString(), Qt::ISODate);
        result[q.value(0).toLongLong()].append(c);
    }
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    return result;
}

Status CoachTop3::addNames(QSqlDatabase db, const QString& tenant,
                           QHash<qint64, QList<CoachCustomer>>& customers) {
    QSet<qint64> members;
    for (const QList<CoachCustomer>& list : std::as_const(customers))
        for (const CoachCustomer& c : list)
            members.insert(c.memberId);
    if (members.isEmpty())
        return success();
    const QString doing = tr("Reading the customers' names");
    QSqlQuery q(db);
    q.prepare(u"SELECT tenant_member_id, member_name, mobile FROM bd_dim_member"
              " WHERE tenant_id = :t AND tenant_member_id IN (SELECT value FROM json_each(:ids))"_s);
    q.bindValue(u":t"_s, tenant);
    q.bindValue(u":ids"_s, jsonIds(QList<qint64>(members.begin(), members.end())));
    if (!q.exec())
        return sqlProblem(q, doing);
    QHash<qint64, std::pair<QString, QString>> found;
    while (q.next())
        found.insert(q.value(0).toLongLong(),
                     {q.value(1).toString(), PhoneMask::mask(q.value(2).toString())});
    if (rowsFailed(q))
        return sqlProblem(q, doing);
    for (QList<CoachCustomer>& list : customers)
        for (CoachCustomer& c : list)
            if (const auto it = found.constFind(c.memberId); it != found.constEnd()) {
                c.name = it->first.isEmpty() ? fallbackName(c.memberId) : it->first;
                c.maskedPhone = it->second;
            }
    return success();
}

QString CoachTop3::fallbackName(qint64 memberId) {
    return tr("member #%1").arg(memberId);
}

} // namespace riskdesk
