#include "CustomerEnrichments.h"

#include "PhoneMask.h"
#include "store/SqlProblem.h"

#include <QSqlQuery>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// "?, ?, ?" for a batch of ids (a page holds at most BoardPage::kMaxSize, well under SQLite's limit).
QString placeholders(qsizetype n) {
    QStringList marks(n, u"?"_s);
    return marks.join(u", "_s);
}

// Members per statement. A page is far smaller; an export of every row (tens of thousands of members) is read
// in batches: one IN list stays within SQLite's limit of bound variables, and the related coaches' joins stay
// the size of a batch rather than growing with the square of the whole set.
constexpr qsizetype kBatch = 500;

// Runs read over the members a batch at a time and merges the answers (each member is in one batch).
template <typename T, typename Read>
Result<QHash<qint64, T>> inBatches(const QList<qint64>& members, Read read) {
    if (members.size() <= kBatch)
        return read(members);
    QHash<qint64, T> all;
    for (qsizetype from = 0; from < members.size(); from += kBatch) {
        auto part = read(members.mid(from, kBatch));
        if (!part)
            return part.problem();
        all.insert(part.value());
    }
    return all;
}

// " AND tenant_member_id IN (?, …)" for a batch of members, nothing for every member (an export's site-wide
// read).
QString memberIn(const QList<qint64>* members) {
    return members ? u" AND tenant_member_id IN (%1)"_s.arg(placeholders(members->size())) : QString();
}

void bindAll(QSqlQuery& q, const QVariantList& head, const QList<qint64>* members) {
    for (const QVariant& v : head)
        q.addBindValue(v);
    if (members)
        for (qint64 m : *members)
            q.addBindValue(m);
}

} // namespace

QString CustomerEnrichments::memberLabel(qint64 memberId) {
    return tr("Member #%1").arg(memberId);
}

QString CustomerEnrichments::coachLabel(qint64 coachId) {
    return tr("Coach #%1").arg(coachId);
}

Result<QHash<qint64, QString>> CustomerEnrichments::names(QSqlDatabase db, const QString& tenant,
                                                          const QList<qint64>& members) {
    QHash<qint64, QString> out;
    if (members.isEmpty())
        return out;
    if (members.size() > kBatch)
        return inBatches<QString>(members,
                                  [&](const QList<qint64>& batch) { return names(db, tenant, batch); });
    return readNames(db, tenant, &members);
}

Result<QHash<qint64, QString>> CustomerEnrichments::readNames(QSqlDatabase db, const QString& tenant,
                                                              const QList<qint64>* members) {
    QHash<qint64, QString> out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT tenant_member_id, member_name FROM bd_dim_member WHERE tenant_id = ?"
              " AND member_name IS NOT NULL AND member_name <> ''"_s +
              memberIn(members));
    bindAll(q, {tenant}, members);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the members' names"));
    while (q.next())
        out.insert(q.value(0).toLongLong(), q.value(1).toString());
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the members' names"));
    return out;
}

Result<QHash<qint64, QString>> CustomerEnrichments::maskedPhones(QSqlDatabase db, const QString& tenant,
                                                                 const QList<qint64>& members) {
    QHash<qint64, QString> out;
    if (members.isEmpty())
        return out;
    if (members.size() > kBatch)
        return inBatches<QString>(
            members, [&](const QList<qint64>& batch) { return maskedPhones(db, tenant, batch); });
    return readMaskedPhones(db, tenant, &members);
}

Result<QHash<qint64, QString>> CustomerEnrichments::readMaskedPhones(QSqlDatabase db, const QString& tenant,
                                                                     const QList<qint64>* members) {
    QHash<qint64, QString> out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT tenant_member_id, mobile FROM bd_dim_member WHERE tenant_id = ? AND mobile IS NOT NULL"_s +
        memberIn(members));
    bindAll(q, {tenant}, members);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the members' phones"));
    while (q.next()) {
        // Masked as soon as it is read: the full number never reaches a board cell or an export.
        const QString masked = PhoneMask::mask(q.value(1).toString());
        if (!masked.isEmpty())
            out.insert(q.value(0).toLongLong(), masked);
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the members' phones"));
    return out;
}

Result<QHash<qint64, qint64>> CustomerEnrichments::lastVisitDays(QSqlDatabase db, const QString& tenant,
                                                                 const QString& site, const QDate& asOf,
                                                                 const QList<qint64>& members) {
    QHash<qint64, qint64> out;
    if (members.isEmpty())
        return out;
    if (members.size() > kBatch)
        return inBatches<qint64>(members, [&](const QList<qint64>& batch) {
            return lastVisitDays(db, tenant, site, asOf, batch);
        });
    return readLastVisitDays(db, tenant, site, asOf, &members);
}

Result<QHash<qint64, qint64>> CustomerEnrichments::readLastVisitDays(QSqlDatabase db, const QString& tenant,
                                                                     const QString& site, const QDate& asOf,
                                                                     const QList<qint64>* members) {
    QHash<qint64, qint64> out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // For the whole site, `+` keeps the planner off the by-member index: it would read every row of the site
    // in member order and look each one up in the table for is_delete (3 s of CPU at scale 50), where the
    // by-day index covers the query and the grouping sorts only the members (0.3 s).
    q.prepare(u"SELECT tenant_member_id, MAX(biz_date) FROM bd_assistant_service_log"
              " WHERE tenant_id = ? AND site_id = ? AND is_delete = 0 AND biz_date <= ?"_s +
              memberIn(members) +
              (members ? u" GROUP BY tenant_member_id"_s : u" GROUP BY +tenant_member_id"_s));
    bindAll(q, {tenant, site, asOf.toString(Qt::ISODate)}, members);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the members' last visits"));
    while (q.next()) {
        const QDate last = QDate::fromString(q.value(1).toString(), Qt::ISODate);
        if (last.isValid())
            out.insert(q.value(0).toLongLong(), last.daysTo(asOf));
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the members' last visits"));
    return out;
}

Result<QHash<qint64, qint64>> CustomerEnrichments::storedValueBalances(QSqlDatabase db, const QString& tenant,
                                                                       const QString& site,
                                                                       const QList<qint64>& members) {
    QHash<qint64, qint64> out;
    if (members.isEmpty())
        return out;
    if (members.size() > kBatch)
        return inBatches<qint64>(members, [&](const QList<qint64>& batch) {
            return storedValueBalances(db, tenant, site, batch);
        });
    return readStoredValueBalances(db, tenant, site, &members);
}

Result<QHash<qint64, qint64>> CustomerEnrichments::readStoredValueBalances(QSqlDatabase db,
                                                                           const QString& tenant,
                                                                           const QString& site,
                                                                           const QList<qint64>* members) {
    QHash<qint64, qint64> out;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT tenant_member_id, SUM(balance_fen) FROM bd_dim_member_card_account"
              " WHERE tenant_id = ? AND site_id = ? AND card_type = 'stored_value'"_s +
              memberIn(members) + u" GROUP BY tenant_member_id"_s);
    bindAll(q, {tenant, site}, members);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the members' balances"));
    while (q.next())
        out.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the members' balances"));
    return out;
}

Result<QHash<qint64, QList<RelatedCoach>>>
CustomerEnrichments::relatedCoaches(QSqlDatabase db, const QString& tenant, const QString& site,
                                    const QDate& asOf, const QList<qint64>& members) {
    QHash<qint64, QList<RelatedCoach>> out;
    if (members.isEmpty())
        return out;
    if (members.size() > kBatch)
        return inBatches<QList<RelatedCoach>>(members, [&](const QList<qint64>& batch) {
            return relatedCoaches(db, tenant, site, asOf, batch);
        });
    return readRelatedCoaches(db, tenant, site, asOf, &members);
}

Result<QHash<qint64, QList<RelatedCoach>>>
CustomerEnrichments::readRelatedCoaches(QSqlDatabase db, const QString& tenant, const QString& site,
                                        const QDate& asOf, const QList<qint64>* members) {
    QHash<qint64, QList<RelatedCoach>> out;
    // Relation rows at the latest calculation on or before the as-of day, plus the coach of each member's
    // most recently updated active task (pinned even without a relation row). Ordered here, in one query.
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        u"WITH rel AS (SELECT tenant_member_id AS member_id, site_assistant_id AS coach_id,"
        "   CAST(ROUND(rs_score * 100) AS INTEGER) AS rs FROM bd_member_assistant_relation_index"
        "   WHERE tenant_id = ? AND site_id = ?%1 AND calc_date = ("
        "     SELECT MAX(calc_date) FROM bd_member_assistant_relation_index"
        "     WHERE tenant_id = ? AND site_id = ? AND calc_date <= ?)),"
        " task AS (SELECT member_id, coach_id FROM (SELECT tenant_member_id AS member_id,"
        "   site_assistant_id AS coach_id, ROW_NUMBER() OVER (PARTITION BY tenant_member_id"
        "   ORDER BY updated_at DESC, site_assistant_id) AS rn FROM bd_coach_tasks"
        "   WHERE tenant_id = ? AND site_id = ? AND status = 'active'%1) "
        "WHERE rn = 1),"
        " pairs AS (SELECT member_id, coach_id FROM rel UNION SELECT member_id, coach_id FROM task)"
        " SELECT p.member_id, p.coach_id, a.assistant_name, r.rs, t.coach_id IS NOT NULL AS following"
        " FROM pairs p LEFT JOIN rel r ON r.member_id = p.member_id AND r.coach_id = p.coach_id"
        " LEFT JOIN task t ON t.member_id = p.member_id AND t.coach_id = p.coach_id"
        " LEFT JOIN bd_dim_assistant a ON a.tenant_id = ? AND a.site_id = ? AND a.site_assistant_id = "
        "p.coach_id"
        " ORDER BY p.member_id, following DESC, r.rs DESC NULLS LAST, p.coach_id"_s.arg(memberIn(members)));
    bindAll(q, {tenant, site}, members);
    for (const QVariant& v : QVariantList{tenant, site, asOf.toString(Qt::ISODate), tenant, site})
        q.addBindValue(v);
    if (members)
        for (qint64 m : *members)
            q.addBindValue(m);
    q.addBindValue(tenant);
    q.addBindValue(site);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the members' related coaches"));
    while (q.next()) {
        RelatedCoach c;
        c.coachId = q.value(1).toLongLong();
        c.name = q.value(2).toString();
        if (!q.value(3).isNull())
            c.rsHundredths = q.value(3).toLongLong();
        c.followingUp = q.value(4).toBool();
        out[q.value(0).toLongLong()].append(c);
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the members' related coaches"));
    return out;
}

QString CustomerEnrichments::coachesText(const QList<RelatedCoach>& coaches, const IntimacyLevels& levels,
                                         const QLocale& locale, bool forExport) {
    QStringList parts;
    for (qsizetype i = 0; i < std::min<qsizetype>(coaches.size(), kCoachesShown); ++i) {
        const RelatedCoach& c = coaches[i];
        QString part = c.name.isEmpty() ? coachLabel(c.coachId) : c.name;
        if (c.rsHundredths)
            part += u' ' + (forExport ? IntimacyLevels::exportText(levels.levelOf(*c.rsHundredths), locale)
                                      : levels.levelOf(*c.rsHundredths).emoji);
        if (c.followingUp)
            part += u' ' + tr("(following up)");
        parts << part;
    }
    QString text = parts.join(u", "_s);
    if (coaches.size() > kCoachesShown)
        text += u" +"_s + QString::number(coaches.size() - kCoachesShown);
    return text;
}

} // namespace riskdesk
