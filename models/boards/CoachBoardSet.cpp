#include "CoachBoardSet.h"

#include "ServiceLogSummaries.h"
#include "store/SqlProblem.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QString iso(const QDate& d) {
    return d.toString(Qt::ISODate);
}

// Service-log sums of one range per coach from the per-day summary (migration 015): voided rows never count,
// the business day decides the range.
QString daySums(const QString& from, const QString& to, const QString& onlyCoach) {
    return u"SELECT site_assistant_id AS coach_id, SUM(items_fen) AS items_fen, SUM(income_s) AS income_s"
           " FROM bd_sl_coach_day WHERE tenant_id = :t AND site_id = :s AND biz_date >= "_s +
           from + u" AND biz_date <= "_s + to + onlyCoach + u" GROUP BY site_assistant_id"_s;
}

} // namespace

CoachBoardSet::~CoachBoardSet() {
    if (!m_built)
        return;
    QSqlQuery(u"DROP TABLE IF EXISTS temp.coach_board_set"_s, m_db);
}

Result<qint64> CoachBoardSet::distinctCustomers() const {
    Q_ASSERT(m_filter);
    const CoachSetFilter& f = *m_filter;
    QSqlQuery q(m_db);
    if (ServiceLogSummaries::coversMonthPrefix(f.period)) {
        // Does the set hold every coach with logs in the month (no filter left one out)? Then the coach test
        // below is true of every pair, and skipping it makes the count three times cheaper.
        q.prepare(
            u"SELECT EXISTS (SELECT 1 FROM bd_sl_coach_month WHERE tenant_id = ? AND site_id = ?"
            " AND month = ? AND site_assistant_id NOT IN (SELECT coach_id FROM temp.coach_board_set))"_s);
        q.addBindValue(f.tenant);
        q.addBindValue(f.site);
        q.addBindValue(ServiceLogSummaries::monthKey(f.period.from()));
        if (!q.exec() || !q.next())
            return sqlProblem(q, tr("Computing the coach board"));
        const bool everyCoach = !q.value(0).toBool();
        // The month's (coach, member) pairs first seen by the period's last day (migration 015).
        q.prepare(u"SELECT COUNT(DISTINCT tenant_member_id) FROM bd_sl_coach_member_month"
                  " WHERE tenant_id = ? AND site_id = ? AND month = ? AND first_biz_date <= ?"_s +
                  (everyCoach
                       ? QString()
                       // "+": the month's pairs in member order (bd_sl_cmm_by_member), counted without
                       // a sort.
                       : u"  AND +site_assistant_id IN (SELECT coach_id FROM temp.coach_board_set)"_s));
        q.addBindValue(f.tenant);
        q.addBindValue(f.site);
        q.addBindValue(ServiceLogSummaries::monthKey(f.period.from()));
        q.addBindValue(iso(f.period.to()));
    } else {
        q.prepare(u"SELECT COUNT(DISTINCT tenant_member_id) FROM bd_assistant_service_log"
                  " WHERE tenant_id = ? AND site_id = ? AND is_delete = 0 AND biz_date >= ? AND biz_date <= ?"
                  // "+": the range is one range of the covering index; seeking each coach of the set instead
                  // looks every log up in the table (ten times slower on a large month).
                  "  AND +site_assistant_id IN (SELECT coach_id FROM temp.coach_board_set)"_s);
        q.addBindValue(f.tenant);
        q.addBindValue(f.site);
        q.addBindValue(iso(f.period.from()));
        q.addBindValue(iso(f.period.to()));
    }
    if (!q.exec() || !q.next())
        return sqlProblem(q, tr("Computing the coach board"));
    return q.value(0).toLongLong();
}

QString CoachBoardSet::likePattern(const QString& search) {
    QString escaped = search;
    escaped.replace(u"\\"_s, u"\\\\"_s).replace(u"%"_s, u"\\%"_s).replace(u"_"_s, u"\\_"_s);
    return u'%' + escaped + u'%';
}

Status CoachBoardSet::build(const CoachSetFilter& f, const QString& sortColumn,
                            std::optional<qint64> onlyCoach) {
    const QString doing = tr("Computing the coach board");
    QSqlQuery q(m_db);
    if (!q.exec(u"DROP TABLE IF EXISTS temp.coach_board_set"_s))
        return sqlProblem(q, doing);
    m_built = true;
    m_filter = f;
    // One coach: an equality on the coach in every source, so its own index rows are read and nothing else.
    const auto onlyThe = [&](const QString& column) {
        return onlyCoach ? u" AND "_s + column + u" = :only"_s : QString();
    };
    // The month's sums come from the per-day summary; its distinct customers from the month's (coach, member)
    // pairs when the period is the month or its first days (always, for a salary month), else from the logs.
    const bool monthPairs = ServiceLogSummaries::coversMonthPrefix(f.period);
    // A whole calendar month (every past salary month) is one row per coach of the month summary (022).
    const bool wholeMonth = ServiceLogSummaries::isWholeMonth(f.period);
    const bool previousWholeMonth = ServiceLogSummaries::isWholeMonth(f.previous);
    QString cur;
    if (wholeMonth) {
        cur = u"SELECT site_assistant_id AS coach_id, items_fen, income_s, customers FROM bd_sl_coach_month"
              " WHERE tenant_id = :t AND site_id = :s AND month = :mkey"_s +
              onlyThe(u"site_assistant_id"_s);
    } else if (monthPairs) {
        cur = u"SELECT c.site_assistant_id AS coach_id, SUM(c.items_fen) AS items_fen,"
              "   SUM(c.income_s) AS income_s,"
              "   (SELECT COUNT(*) FROM bd_sl_coach_member_month m WHERE m.tenant_id = :t AND m.site_id = :s"
              "     AND m.month = :mkey AND m.site_assistant_id = c.site_assistant_id"
              "     AND m.first_biz_date <= :to) AS customers"
              " FROM bd_sl_coach_day c WHERE c.tenant_id = :t AND c.site_id = :s"
              "   AND c.biz_date >= :from AND c.biz_date <= :to"_s +
              onlyThe(u"c.site_assistant_id"_s) + u" GROUP BY c.site_assistant_id"_s;
    } else {
        // The sampled statistics (analysis_limit) rate a range of the covering index cheaper than one coach's
        // few hundred rows; for one coach the coach index is named so the range is never scanned.
        const QString logs = onlyCoach ? u"bd_assistant_service_log INDEXED BY bd_sl_by_coach"_s
                                       : u"bd_assistant_service_log"_s;
        cur = u"SELECT site_assistant_id AS coach_id, SUM(ledger_amount_fen) AS items_fen,"
              "   SUM(income_seconds) AS income_s, COUNT(DISTINCT tenant_member_id) AS customers"
              "   FROM "_s +
              logs +
              u" WHERE tenant_id = :t AND site_id = :s AND is_delete = 0"
              "   AND biz_date >= :from AND biz_date <= :to"_s +
              onlyThe(u"site_assistant_id"_s) + u" GROUP BY site_assistant_id"_s;
    }
    const QString sql =
        u"CREATE TEMP TABLE coach_board_set AS"
        " WITH cur AS ("_s +
        cur +
        u"),"
        " prev AS ("_s +
        (previousWholeMonth
             ? u"SELECT site_assistant_id AS coach_id, items_fen, income_s FROM bd_sl_coach_month"
               " WHERE tenant_id = :t AND site_id = :s AND month = :pmkey"_s +
                   onlyThe(u"site_assistant_id"_s)
             : daySums(u":pfrom"_s, u":pto"_s, onlyThe(u"site_assistant_id"_s))) +
        u"), sal AS (SELECT * FROM bd_assistant_salary_calc WHERE tenant_id = :t AND site_id = :s"
        "   AND salary_month = :month"_s +
        onlyThe(u"assistant_id"_s) +
        u"),"
        " psal AS (SELECT assistant_id, gross_salary_fen FROM bd_assistant_salary_calc"
        "   WHERE tenant_id = :t AND site_id = :s AND salary_month = :pmonth"_s +
        onlyThe(u"assistant_id"_s) +
        u"),"
        " ids AS (SELECT site_assistant_id AS coach_id FROM bd_dim_assistant WHERE tenant_id = :t AND "
        "site_id = :s"_s +
        onlyThe(u"site_assistant_id"_s) +
        u"   UNION SELECT coach_id FROM cur UNION SELECT assistant_id FROM sal)"
        " SELECT ids.coach_id AS coach_id, d.assistant_name AS assistant_name, d.assistant_no AS "
        "assistant_no,"
        "  d.site_assistant_id IS NOT NULL AS known,"
        "  COALESCE(cur.items_fen, 0) AS items_fen, COALESCE(cur.income_s, 0) AS income_s,"
        "  COALESCE(cur.customers, 0) AS customers,"
        "  COALESCE(prev.items_fen, 0) AS prev_items_fen, COALESCE(prev.income_s, 0) AS prev_income_s,"
        "  sal.assistant_id IS NOT NULL AS has_salary, sal.assistant_level_name AS tier, sal.tier_id AS "
        "tier_id,"
        "  CAST(ROUND(sal.effective_hours * 3600) AS INTEGER) AS effective_s,"
        "  CAST(ROUND(sal.base_hours * 3600) AS INTEGER) AS base_s,"
        "  sal.base_income_fen AS base_income_fen, sal.bonus_income_fen AS bonus_income_fen,"
        "  sal.base_income_fen + sal.bonus_income_fen AS course_cost_fen,"
        "  sal.sprint_bonus_fen AS sprint_bonus_fen, sal.gross_salary_fen AS gross_salary_fen,"
        "  sal.base_course_price_fen AS base_price_fen, sal.bonus_course_price_fen AS bonus_price_fen,"
        "  psal.gross_salary_fen AS prev_gross_fen,"
        // Sorting by the change only: no previous income has no ratio (sorted last), as the cell shows no %.
        "  CASE WHEN COALESCE(prev.items_fen, 0) = 0 THEN NULL"
        "       ELSE (COALESCE(cur.items_fen, 0) - prev.items_fen) * 1.0 / ABS(prev.items_fen) END AS "
        "items_pop"
        " FROM ids"
        " LEFT JOIN bd_dim_assistant d ON d.tenant_id = :t AND d.site_id = :s AND d.site_assistant_id = "
        "ids.coach_id"
        " LEFT JOIN cur ON cur.coach_id = ids.coach_id"
        " LEFT JOIN prev ON prev.coach_id = ids.coach_id"
        " LEFT JOIN sal ON sal.assistant_id = ids.coach_id"
        " LEFT JOIN psal ON psal.assistant_id = ids.coach_id"
        // An inactive coach with no activity in the month is hidden unless asked for (§4.2).
        " WHERE (:inactive = 1 OR d.is_active IS NULL OR d.is_active = 1 OR cur.coach_id IS NOT NULL"
        "        OR sal.assistant_id IS NOT NULL)"
        "   AND (COALESCE(:skill, '') = '' OR EXISTS (SELECT 1 FROM bd_dim_assistant_skill k WHERE "
        "k.tenant_id = :t"
        "        AND k.site_id = :s AND k.skill_code = :skill AND k.site_assistant_id = ids.coach_id))"
        "   AND (COALESCE(:search, '') = '' OR d.assistant_name LIKE :pattern ESCAPE '\\'"
        "        OR d.assistant_no LIKE :pattern ESCAPE '\\')"
        "   AND (COALESCE(:tiers, '') = '' OR sal.assistant_level_name IN (SELECT value FROM json_each(:tiers)))"_s;
    if (!q.prepare(sql))
        return sqlProblem(q, doing);
    q.bindValue(u":t"_s, f.tenant);
    q.bindValue(u":s"_s, f.site);
    if (!wholeMonth) {
        q.bindValue(u":from"_s, iso(f.period.from()));
        q.bindValue(u":to"_s, iso(f.period.to()));
    }
    if (monthPairs)
        q.bindValue(u":mkey"_s, ServiceLogSummaries::monthKey(f.period.from()));
    if (previousWholeMonth) {
        q.bindValue(u":pmkey"_s, ServiceLogSummaries::monthKey(f.previous.from()));
    } else {
        q.bindValue(u":pfrom"_s, iso(f.previous.from()));
        q.bindValue(u":pto"_s, iso(f.previous.to()));
    }
    q.bindValue(u":month"_s, iso(f.period.salaryMonth()));
    q.bindValue(u":pmonth"_s, iso(f.period.salaryMonth().addMonths(-1)));
    if (onlyCoach)
        q.bindValue(u":only"_s, *onlyCoach);
    q.bindValue(u":inactive"_s, f.includeInactive ? 1 : 0);
    q.bindValue(u":skill"_s, f.skill);
    q.bindValue(u":search"_s, f.search);
    q.bindValue(u":pattern"_s, likePattern(f.search));
    q.bindValue(u":tiers"_s,
                f.tiers.isEmpty()
                    ? QString()
                    : QString::fromUtf8(
                          QJsonDocument(QJsonArray::fromStringList(f.tiers)).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return sqlProblem(q, doing);
    // The page is read by key on the sort column and the id (sortColumn comes from the sort catalog).
    if (!q.exec(u"CREATE INDEX temp.coach_board_set_sort ON coach_board_set ("_s + sortColumn +
                u", coach_id)"_s))
        return sqlProblem(q, doing);
    return success();
}

} // namespace riskdesk
