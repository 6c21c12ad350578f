// The demo business behind the boards (spec §10.9): exact counts, the finance invariants that must hold for
// any seed (AC-D-03, AC-D-04, AC-D-08, discounts, tenders), determinism, scale, the command line, and the
// copy to the real PostgreSQL of scripts/test by db seed.
#include "TestServer.h"
#include "TestSettings.h"
#include "TestWorkspace.h"
#include "boards/BoardExportSet.h"
#include "boards/BoardXlsxExport.h"
#include "boards/CustomerBoard.h"
#include "boards/CustomerDimensions.h"
#include "boards/SiteClock.h"
#include "demo/DemoBoardBuilder.h"
#include "domain/Timestamps.h"
#include "sync/PgConnection.h"
#include "sync/ServerAdmin.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

QVariant scalar(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0);
}

qint64 count(QSqlDatabase db, const QString& sql) {
    return scalar(db, sql).toLongLong();
}

// Rows of a query, each as its values joined by '|'.
QStringList rows(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    QStringList out;
    while (q.next()) {
        QStringList values;
        for (int c = 0; c < q.record().count(); ++c)
            values << (q.isNull(c) ? u"∅"_s : q.value(c).toString());
        out << values.join(u'|');
    }
    if (q.lastError().isValid())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return out;
}

// A checksum over every row of every board table the demo writes, in key order.
QByteArray boardChecksum(QSqlDatabase db) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (int t = 0; t < int(DemoBoardTable::Count); ++t) {
        const auto table = DemoBoardTable(t);
        QStringList order;
        for (qsizetype c = 1; c <= DemoBoardGenerator::columns(table).size(); ++c)
            order << QString::number(c);
        const QString columns = QString::fromLatin1(DemoBoardGenerator::columns(table).join(", "));
        const QString name = QString::fromLatin1(DemoBoardGenerator::tableName(table));
        // bd_loads.loaded_at is the anchor; everything is compared.
        hash.addData(name.toUtf8());
        for (const QString& row :
             rows(db, u"SELECT %1 FROM %2 ORDER BY %3"_s.arg(columns, name, order.join(u", "_s))))
            hash.addData((row + u'\n').toUtf8());
    }
    return hash.result().toHex();
}

// A workspace with the demo's tenants and users (a few exceptions) and the board business at this scale.
struct BoardDemo {
    explicit BoardDemo(quint64 seed, int scale = 1) : ws(20, seed) {
        DemoBoardOptions options;
        options.seed = seed;
        options.anchorMs = timestamps::toMs(test::TestWorkspace::fixedAnchor());
        options.scale = scale;
        QElapsedTimer timer;
        timer.start();
        auto built = DemoBoardBuilder::build(ws.db(), options);
        if (!built)
            qFatal("%s", qPrintable(built.problem().message));
        summary = built.value();
        milliseconds = timer.elapsed();
    }
    QSqlDatabase db() { return ws.db(); }
    test::TestWorkspace ws;
    DemoBoardSummary summary;
    qint64 milliseconds = 0;
};

using test::connectOrFail;
using test::must;

} // namespace

class BoardDemoTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void acD09_exactCounts_data();
    void acD09_exactCounts();
    void businessDaysComeFromTheSiteClock();
    void acD03_rollForwardEveryDay_data();
    void acD03_rollForwardEveryDay();
    void acD04_balancesEqualTheWatermarkDayClosing_data();
    void acD04_balancesEqualTheWatermarkDayClosing();
    void acD08_coachAccruedEqualsValidLedgerPerDay_data();
    void acD08_coachAccruedEqualsValidLedgerPerDay();
    void discountDetailEqualsIncomeDiscountsPerDay_data();
    void discountDetailEqualsIncomeDiscountsPerDay();
    void tendersAndSettlementReconcilePerDay_data();
    void tendersAndSettlementReconcilePerDay();
    void scopeAndCrossSiteMember();
    void sameSeedAndAnchorGiveIdenticalTables();
    void scaleTwoDoublesTheCounts();
    void secondRunIsRefused();
    void commandLine();
    void dbSeedCopiesTheBoardsToTheServer();
    void everyRowExportEqualsThePages();
    void streamedTabsEqualThePages();
    void streamedXlsxEqualsTheWholeSet();

private:
    BoardDemo& demo(quint64 seed);
    std::map<quint64, std::unique_ptr<BoardDemo>> m_demos;
};

BoardDemo& BoardDemoTest::demo(quint64 seed) {
    auto& d = m_demos[seed];
    if (!d)
        d = std::make_unique<BoardDemo>(seed);
    return *d;
}

void BoardDemoTest::initTestCase() {
    for (quint64 seed : {3, 7, 11})
        qInfo("seed %llu: board demo written in %lld ms", seed, demo(seed).milliseconds);
}

void addSeeds() {
    QTest::addColumn<quint64>("seed");
    for (quint64 seed : {3, 7, 11})
        QTest::addRow("seed %llu", seed) << seed;
}

void BoardDemoTest::acD09_exactCounts_data() {
    addSeeds();
}

void BoardDemoTest::acD09_exactCounts() {
    QFETCH(quint64, seed);
    QSqlDatabase db = demo(seed).db();
    struct Expect {
        QString site;
        qint64 coaches, members, valid, voided, orders, refunded;
    };
    for (const Expect& e :
         {Expect{u"S1"_s, 24, 1200, 17100, 900, 1500, 60}, Expect{u"S2"_s, 10, 500, 5700, 300, 600, 24}}) {
        const QString where = u"tenant_id = 'acme' AND site_id = '%1'"_s.arg(e.site);
        QCOMPARE(count(db, u"SELECT count(*) FROM bd_dim_assistant WHERE "_s + where), e.coaches);
        QCOMPARE(count(db, u"SELECT count(*) FROM bd_member_sites WHERE "_s + where), e.members);
        QCOMPARE(
            count(db, u"SELECT count(*) FROM bd_assistant_service_log WHERE is_delete = 0 AND "_s + where),
            e.valid);
        QCOMPARE(
            count(db, u"SELECT count(*) FROM bd_assistant_service_log WHERE is_delete = 1 AND "_s + where),
            e.voided);
        QCOMPARE(count(db, u"SELECT count(*) FROM bd_recharge_order WHERE "_s + where), e.orders);
        QCOMPARE(
            count(db, u"SELECT count(*) FROM bd_recharge_order WHERE refund_amount_fen > 0 AND "_s + where),
            e.refunded);
        // Over exactly the 180 business days before the anchor's (2026-11-01 17:00 local: day 2026-11-01).
        QCOMPARE(rows(db, u"SELECT count(DISTINCT biz_date), min(biz_date), max(biz_date) FROM "
                          "bd_assistant_service_log WHERE "_s +
                              where),
                 QStringList{u"180|2026-05-05|2026-10-31"_s});
        QCOMPARE(
            count(db, u"SELECT count(*) FROM bd_assistant_service_log WHERE create_time >= %1 AND "_s.arg(
                          timestamps::toMs(test::TestWorkspace::fixedAnchor())) +
                          where),
            0);
        // Every log's coach and member are known at the site.
        QCOMPARE(
            count(db,
                  u"SELECT count(*) FROM bd_assistant_service_log l WHERE l.tenant_id = 'acme' AND "
                  "l.site_id = '%1' AND (NOT EXISTS (SELECT 1 FROM bd_dim_assistant a WHERE a.tenant_id = "
                  "l.tenant_id AND a.site_id = l.site_id AND a.site_assistant_id = l.site_assistant_id) "
                  "OR NOT EXISTS (SELECT 1 FROM bd_member_sites m WHERE m.tenant_id = l.tenant_id AND "
                  "m.site_id = l.site_id AND m.tenant_member_id = l.tenant_member_id) OR NOT EXISTS "
                  "(SELECT 1 FROM bd_dim_member d WHERE d.tenant_id = l.tenant_id AND "
                  "d.tenant_member_id = l.tenant_member_id))"_s.arg(e.site)),
            0);
    }
    QCOMPARE(rows(db, u"SELECT is_enabled, count(*) FROM bd_cfg_skill_type WHERE tenant_id = 'acme' "
                      "GROUP BY is_enabled ORDER BY 1"_s),
             (QStringList{u"0|1"_s, u"1|3"_s}));
    // Every logged skill is an enabled one, and the coach has it.
    QCOMPARE(count(db,
                   u"SELECT count(*) FROM bd_assistant_service_log l JOIN bd_cfg_skill_type k ON "
                   "k.tenant_id = l.tenant_id AND k.skill_name = l.skill_name WHERE k.is_enabled = 0 OR NOT "
                   "EXISTS (SELECT 1 FROM bd_dim_assistant_skill s WHERE s.tenant_id = l.tenant_id AND "
                   "s.site_id = l.site_id AND s.site_assistant_id = l.site_assistant_id AND "
                   "s.skill_code = k.skill_code)"_s),
             0);
    QCOMPARE(count(db, u"SELECT count(*) FROM bd_assistant_service_log WHERE skill_name NOT IN "
                       "(SELECT skill_name FROM bd_cfg_skill_type)"_s),
             0);
    const DemoBoardSummary& s = demo(seed).summary;
    QCOMPARE(s.sites.size(), 2);
    QCOMPARE(s.sites.at(0).voidedLogs, 900);
    QCOMPARE(s.sites.at(1).refundedOrders, 24);
}

void BoardDemoTest::businessDaysComeFromTheSiteClock() {
    QSqlDatabase db = demo(7).db();
    const SiteClock s1 = SiteClock::make(u"Asia/Shanghai"_s, 360).value();
    const SiteClock s2 = SiteClock::make(u"Asia/Shanghai"_s, std::nullopt).value();
    QCOMPARE(rows(db,
                  u"SELECT site_id, tz, coalesce(business_day_cutoff_minutes, 'none') FROM bd_site_settings "
                  "WHERE tenant_id = 'acme' ORDER BY 1"_s),
             (QStringList{u"S1|Asia/Shanghai|360"_s, u"S2|Asia/Shanghai|none"_s}));
    int beforeCutoff = 0;
    for (const QString& table : {u"bd_assistant_service_log|create_time"_s, u"bd_recharge_order|pay_time"_s,
                                 u"bd_member_visit_detail|first_in_time"_s}) {
        const QStringList parts = table.split(u'|');
        QSqlQuery q(db);
        q.setForwardOnly(true);
        QVERIFY(q.exec(u"SELECT site_id, %1, biz_date FROM %2"_s.arg(parts.at(1), parts.at(0))));
        qint64 n = 0;
        while (q.next()) {
            const qint64 at = q.value(1).toLongLong();
            const SiteClock& clock = q.value(0).toString() == u"S1" ? s1 : s2;
            QCOMPARE(q.value(2).toString(), clock.businessDayOf(at).toString(Qt::ISODate));
            if (&clock == &s1 &&
                QDateTime::fromMSecsSinceEpoch(at, clock.zone()).date() != clock.businessDayOf(at))
                ++beforeCutoff;
            ++n;
        }
        QVERIFY(!q.lastError().isValid());
        QVERIFY(n > 0);
    }
    // S1's late-night services (after midnight, before 06:00) belong to the day before.
    QVERIFY(beforeCutoff > 100);
}

void BoardDemoTest::acD03_rollForwardEveryDay_data() {
    addSeeds();
}

void BoardDemoTest::acD03_rollForwardEveryDay() {
    QFETCH(quint64, seed);
    QSqlDatabase db = demo(seed).db();
    for (const QString& site : {u"S1"_s, u"S2"_s}) {
        for (const QString& type : {u"stored_value"_s, u"gift"_s}) {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            QVERIFY(q.exec(u"SELECT biz_date, opening_balance_fen, added_amount_fen, consumed_amount_fen, "
                           "refund_amount_fen, adjust_amount_fen, closing_balance_fen, active_cards FROM "
                           "bd_finance_recharge_summary WHERE tenant_id = 'acme' AND site_id = '%1' AND "
                           "card_type = '%2' ORDER BY biz_date"_s.arg(site, type)));
            QDate previousDay;
            qint64 previousClosing = 0, days = 0, activity = 0;
            while (q.next()) {
                const QDate day = QDate::fromString(q.value(0).toString(), Qt::ISODate);
                const qint64 opening = q.value(1).toLongLong(), closing = q.value(6).toLongLong();
                const qint64 rollForward = opening + q.value(2).toLongLong() - q.value(3).toLongLong() -
                                           q.value(4).toLongLong() + q.value(5).toLongLong();
                QVERIFY2(rollForward == closing, qPrintable(u"%1 %2 %3"_s.arg(site, type, day.toString())));
                if (previousDay.isValid()) {
                    QCOMPARE(day, previousDay.addDays(1)); // a row every day
                    QCOMPARE(opening, previousClosing);
                }
                QVERIFY(closing >= 0 && q.value(7).toLongLong() >= 0);
                activity += q.value(2).toLongLong() + q.value(3).toLongLong();
                previousDay = day;
                previousClosing = closing;
                ++days;
            }
            QVERIFY(!q.lastError().isValid());
            QCOMPARE(days, 180);
            QVERIFY(activity > 0);
        }
    }
    // Refunds and gift expiry happen, so those columns are exercised.
    QVERIFY(count(db, u"SELECT count(*) FROM bd_finance_recharge_summary WHERE refund_amount_fen > 0"_s) > 0);
    QVERIFY(count(db, u"SELECT count(*) FROM bd_finance_recharge_summary WHERE adjust_amount_fen < 0"_s) > 0);
    // The stored-value additions are the day's recharge orders, the refunds their refunds.
    QCOMPARE(
        count(db,
              u"SELECT count(*) FROM bd_finance_recharge_summary s WHERE s.card_type = 'stored_value' "
              "AND (s.added_amount_fen, s.refund_amount_fen) IS NOT (SELECT coalesce(sum(pay_amount_fen), "
              "0), coalesce(sum(refund_amount_fen), 0) FROM bd_recharge_order o WHERE o.tenant_id = "
              "s.tenant_id AND o.site_id = s.site_id AND o.biz_date = s.biz_date)"_s),
        0);
}

void BoardDemoTest::acD04_balancesEqualTheWatermarkDayClosing_data() {
    addSeeds();
}

void BoardDemoTest::acD04_balancesEqualTheWatermarkDayClosing() {
    QFETCH(quint64, seed);
    QSqlDatabase db = demo(seed).db();
    for (const QString& site : {u"S1"_s, u"S2"_s}) {
        const QString day =
            scalar(db, u"SELECT loaded_through_biz_date FROM bd_etl_watermark WHERE tenant_id = "
                       "'acme' AND site_id = '%1' AND dataset = 'boards'"_s.arg(site))
                .toString();
        QCOMPARE(day, u"2026-10-31"_s);
        for (const QString& type : {u"stored_value"_s, u"gift"_s}) {
            const qint64 balances =
                count(db, u"SELECT sum(balance_fen) FROM bd_dim_member_card_account WHERE tenant_id = 'acme' "
                          "AND site_id = '%1' AND card_type = '%2'"_s.arg(site, type));
            const qint64 closing = count(
                db,
                u"SELECT closing_balance_fen FROM bd_finance_recharge_summary WHERE tenant_id = "
                "'acme' AND site_id = '%1' AND card_type = '%2' AND biz_date = '%3'"_s.arg(site, type, day));
            QCOMPARE(balances, closing);
            QVERIFY(closing > 0);
            // Active cards at that day = the accounts holding value.
            QCOMPARE(
                count(db, u"SELECT count(*) FROM bd_dim_member_card_account WHERE tenant_id = 'acme' AND "
                          "site_id = '%1' AND card_type = '%2' AND balance_fen > 0"_s.arg(site, type)),
                count(db,
                      u"SELECT active_cards FROM bd_finance_recharge_summary WHERE tenant_id = 'acme' "
                      "AND site_id = '%1' AND card_type = '%2' AND biz_date = '%3'"_s.arg(site, type, day)));
        }
    }
    QVERIFY(count(db, u"SELECT count(*) FROM bd_dim_member_card_account WHERE balance_fen < 0"_s) == 0);
    // Some members hold a second, empty stored-value card (the fan-out trap of §5.6).
    QVERIFY(count(db,
                  u"SELECT count(*) FROM (SELECT tenant_member_id FROM bd_dim_member_card_account WHERE "
                  "card_type = 'stored_value' GROUP BY site_id, tenant_member_id HAVING count(*) > 1)"_s) >
            0);
}

void BoardDemoTest::acD08_coachAccruedEqualsValidLedgerPerDay_data() {
    addSeeds();
}

void BoardDemoTest::acD08_coachAccruedEqualsValidLedgerPerDay() {
    QFETCH(quint64, seed);
    QSqlDatabase db = demo(seed).db();
    // Every day of both sites has a coach row equal to that day's valid ledger, and no day is missing.
    QCOMPARE(count(db, u"SELECT count(*) FROM bd_finance_income_structure WHERE category = 'coach'"_s), 360);
    QCOMPARE(
        rows(
            db,
            u"SELECT i.site_id, i.biz_date, i.gross_amount_fen - i.discount_amount_fen, "
            "(SELECT coalesce(sum(ledger_amount_fen), 0) FROM bd_assistant_service_log l WHERE l.tenant_id = "
            "i.tenant_id AND l.site_id = i.site_id AND l.biz_date = i.biz_date AND l.is_delete = 0) AS v "
            "FROM bd_finance_income_structure i WHERE i.category = 'coach' AND "
            "i.gross_amount_fen - i.discount_amount_fen <> v"_s),
        QStringList{});
    // Voided logs carry amounts, so excluding them matters.
    QVERIFY(count(db, u"SELECT sum(ledger_amount_fen) FROM bd_assistant_service_log WHERE is_delete = 1"_s) >
            0);
}

void BoardDemoTest::discountDetailEqualsIncomeDiscountsPerDay_data() {
    addSeeds();
}

void BoardDemoTest::discountDetailEqualsIncomeDiscountsPerDay() {
    QFETCH(quint64, seed);
    QSqlDatabase db = demo(seed).db();
    QCOMPARE(rows(db, u"SELECT i.site_id, i.biz_date FROM (SELECT tenant_id, site_id, biz_date, "
                      "sum(discount_amount_fen) AS d FROM bd_finance_income_structure GROUP BY 1, 2, 3) i "
                      "LEFT JOIN (SELECT tenant_id, site_id, biz_date, sum(amount_fen) AS d FROM "
                      "bd_finance_discount_detail GROUP BY 1, 2, 3) x USING (tenant_id, site_id, biz_date) "
                      "WHERE x.d IS NOT i.d"_s),
             QStringList{});
    QCOMPARE(count(db, u"SELECT count(DISTINCT site_id || biz_date) FROM bd_finance_discount_detail"_s), 360);
    QVERIFY(count(db, u"SELECT count(*) FROM bd_finance_discount_detail WHERE amount_fen < 0"_s) == 0);
}

void BoardDemoTest::tendersAndSettlementReconcilePerDay_data() {
    addSeeds();
}

void BoardDemoTest::tendersAndSettlementReconcilePerDay() {
    QFETCH(quint64, seed);
    QSqlDatabase db = demo(seed).db();
    // Σ of all consumption tenders = accrued revenue, every day (AC-B3-05 holds on the demo).
    QCOMPARE(
        rows(db,
             u"SELECT d.site_id, d.biz_date FROM bd_finance_daily_summary d JOIN (SELECT tenant_id, "
             "site_id, biz_date, sum(gross_amount_fen - discount_amount_fen) AS k1 FROM "
             "bd_finance_income_structure GROUP BY 1, 2, 3) i USING (tenant_id, site_id, biz_date) "
             "WHERE cash_wechat_fen + cash_alipay_fen + cash_cash_fen + cash_bank_fen + "
             "tender_stored_value_fen + tender_gift_fen + tender_voucher_fen <> i.k1 OR "
             "min(cash_wechat_fen, cash_alipay_fen, cash_cash_fen, cash_bank_fen, tender_voucher_fen) < 0"_s),
        QStringList{});
    QCOMPARE(count(db, u"SELECT count(*) FROM bd_finance_daily_summary"_s), 360);
    // The card tenders are the prepaid matrix's consumption; the recharge cash its additions.
    QCOMPARE(count(db,
                   u"SELECT count(*) FROM bd_finance_daily_summary d JOIN bd_finance_recharge_summary s ON "
                   "s.tenant_id = d.tenant_id AND s.site_id = d.site_id AND s.biz_date = d.biz_date WHERE "
                   "(s.card_type = 'stored_value' AND (s.consumed_amount_fen <> d.tender_stored_value_fen OR "
                   "s.added_amount_fen <> d.cash_recharge_fen)) OR (s.card_type = 'gift' AND "
                   "s.consumed_amount_fen <> d.tender_gift_fen)"_s),
             0);
    // The platform's gross settlement is the day's platform inflow; net = gross − fee.
    QCOMPARE(count(db,
                   u"SELECT count(*) FROM bd_finance_daily_summary d LEFT JOIN bd_platform_settlement p ON "
                   "p.tenant_id = d.tenant_id AND p.site_id = d.site_id AND p.biz_date = d.biz_date WHERE "
                   "coalesce(p.gross_settled_fen, 0) <> d.cash_platform_gross_fen OR "
                   "p.net_received_fen <> p.gross_settled_fen - p.fee_fen"_s),
             0);
    // The coaches' course cost booked at a month's end is that month's salary base + incentive.
    QCOMPARE(rows(db,
                  u"SELECT e.site_id, e.biz_date FROM bd_finance_expense_summary e WHERE e.expense_item = "
                  "'coach_course' AND e.amount_fen <> (SELECT sum(base_income_fen + bonus_income_fen) FROM "
                  "bd_assistant_salary_calc s WHERE s.tenant_id = e.tenant_id AND s.site_id = e.site_id AND "
                  "s.salary_month = substr(e.biz_date, 1, 8) || '01')"_s),
             QStringList{});
    QCOMPARE(
        count(db, u"SELECT count(*) FROM bd_finance_expense_summary WHERE expense_item = 'coach_course'"_s),
        12); // May (partial) to October, both sites
    QCOMPARE(count(db, u"SELECT count(*) FROM bd_assistant_salary_calc WHERE gross_salary_fen <> "
                       "base_income_fen + bonus_income_fen + sprint_bonus_fen"_s),
             0);
}

void BoardDemoTest::scopeAndCrossSiteMember() {
    QSqlDatabase db = demo(7).db();
    QCOMPARE(rows(db,
                  u"SELECT u.user_id, u.site_id, r.role FROM bd_user_sites u JOIN users r ON r.tenant_id = "
                  "u.tenant_id AND r.user_id = u.user_id ORDER BY 1, 2"_s),
             (QStringList{u"zhou.lin|S1|finance"_s, u"zhou.lin|S2|finance"_s}));
    // Member 1 registered at S1 and is also served at S2.
    QCOMPARE(rows(db, u"SELECT tenant_member_id, group_concat(site_id) FROM (SELECT * FROM bd_member_sites "
                      "ORDER BY site_id) GROUP BY tenant_member_id HAVING count(*) > 1"_s),
             QStringList{u"1|S1,S2"_s});
    QVERIFY(count(db, u"SELECT count(*) FROM bd_assistant_service_log WHERE site_id = 'S2' AND "
                      "tenant_member_id = 1"_s) >= 1);
    QCOMPARE(count(db, u"SELECT count(*) FROM bd_dim_member WHERE tenant_id = 'acme'"_s), 1200 + 499);
    // Indices stay in 0–100 and are computed at each month's end and at the anchor's day.
    for (const QString& t : {u"bd_member_assistant_relation_index|rs_score"_s,
                             u"bd_member_winback_index|wbi"_s, u"bd_member_spending_power_index|spi"_s}) {
        const QStringList p = t.split(u'|');
        QCOMPARE(count(db, u"SELECT count(*) FROM %1 WHERE %2 < 0 OR %2 > 100"_s.arg(p.at(0), p.at(1))), 0);
        QCOMPARE(
            rows(db, u"SELECT DISTINCT calc_date FROM %1 WHERE site_id = 'S1' ORDER BY 1"_s.arg(p.at(0))),
            (QStringList{u"2026-05-31"_s, u"2026-06-30"_s, u"2026-07-31"_s, u"2026-08-31"_s, u"2026-09-30"_s,
                         u"2026-10-31"_s, u"2026-11-01"_s}));
    }
    // Visits: one per member and day with a valid service; the 60-day visits count those days.
    QCOMPARE(count(db, u"SELECT count(*) FROM bd_member_visit_detail"_s),
             count(db, u"SELECT count(*) FROM (SELECT DISTINCT site_id, tenant_member_id, biz_date FROM "
                       "bd_assistant_service_log WHERE is_delete = 0)"_s));
    QCOMPARE(rows(db,
                  u"SELECT c.site_id, c.tenant_member_id FROM bd_member_consumption_summary c WHERE "
                  "c.calc_date = '2026-11-01' AND (c.visits_60d, c.amount_60d_fen) IS NOT (SELECT "
                  "count(DISTINCT biz_date), sum(ledger_amount_fen) FROM bd_assistant_service_log l WHERE "
                  "l.tenant_id = c.tenant_id AND l.site_id = c.site_id AND l.tenant_member_id = "
                  "c.tenant_member_id AND l.is_delete = 0 AND l.biz_date BETWEEN '2026-09-03' AND "
                  "'2026-11-01')"_s),
             QStringList{});
    // Follow-up tasks: an active one, and sometimes an older coach's task, inactive but updated later.
    QVERIFY(count(db, u"SELECT count(*) FROM bd_coach_tasks WHERE status = 'active'"_s) > 100);
    QVERIFY(count(db, u"SELECT count(*) FROM bd_coach_tasks i JOIN bd_coach_tasks a ON a.site_id = i.site_id "
                      "AND a.tenant_member_id = i.tenant_member_id AND a.status = 'active' WHERE i.status = "
                      "'inactive' AND i.updated_at > a.updated_at"_s) > 10);
    QVERIFY(count(db, u"SELECT count(*) FROM bd_assistant_recharge_commission"_s) > 0);
}

void BoardDemoTest::sameSeedAndAnchorGiveIdenticalTables() {
    const QByteArray first = boardChecksum(demo(7).db());
    BoardDemo again(7);
    QCOMPARE(boardChecksum(again.db()), first);
    // Another seed: the same counts, other amounts.
    QVERIFY(boardChecksum(demo(3).db()) != first);
    QCOMPARE(count(demo(3).db(), u"SELECT count(*) FROM bd_assistant_service_log"_s),
             count(demo(7).db(), u"SELECT count(*) FROM bd_assistant_service_log"_s));
    QVERIFY(count(demo(3).db(), u"SELECT sum(ledger_amount_fen) FROM bd_assistant_service_log"_s) !=
            count(demo(7).db(), u"SELECT sum(ledger_amount_fen) FROM bd_assistant_service_log"_s));
}

void BoardDemoTest::scaleTwoDoublesTheCounts() {
    BoardDemo two(7, 2);
    QSqlDatabase db = two.db();
    QCOMPARE(rows(db,
                  u"SELECT site_id, (SELECT count(*) FROM bd_dim_assistant a WHERE a.site_id = s.site_id), "
                  "(SELECT count(*) FROM bd_member_sites m WHERE m.site_id = s.site_id), "
                  "(SELECT count(*) FROM bd_assistant_service_log l WHERE l.site_id = s.site_id AND "
                  "is_delete = 0), (SELECT count(*) FROM bd_assistant_service_log l WHERE l.site_id = "
                  "s.site_id AND is_delete = 1), (SELECT count(*) FROM bd_recharge_order o WHERE o.site_id = "
                  "s.site_id), (SELECT count(*) FROM bd_recharge_order o WHERE o.site_id = s.site_id AND "
                  "refund_amount_fen > 0) FROM bd_site_settings s ORDER BY 1"_s),
             (QStringList{u"S1|48|2400|34200|1800|3000|120"_s, u"S2|20|1000|11400|600|1200|48"_s}));
    // Still 180 days, and the roll forward still holds at the watermark.
    QCOMPARE(count(db, u"SELECT count(DISTINCT biz_date) FROM bd_assistant_service_log"_s), 180);
    QCOMPARE(count(db, u"SELECT sum(balance_fen) FROM bd_dim_member_card_account WHERE site_id = 'S1' AND "
                       "card_type = 'stored_value'"_s),
             count(db,
                   u"SELECT closing_balance_fen FROM bd_finance_recharge_summary WHERE site_id = 'S1' AND "
                   "card_type = 'stored_value' AND biz_date = '2026-10-31'"_s));
    qInfo("scale 2: %lld ms", two.milliseconds);
}

void BoardDemoTest::secondRunIsRefused() {
    BoardDemo once(5);
    const qint64 before = count(once.db(), u"SELECT count(*) FROM bd_assistant_service_log"_s);
    DemoBoardOptions options;
    options.anchorMs = timestamps::toMs(test::TestWorkspace::fixedAnchor());
    auto again = DemoBoardBuilder::build(once.db(), options);
    QVERIFY(!again);
    QCOMPARE(again.problem().code, u"boards_not_empty"_s);
    options.tenantId = u"globex"_s;
    options.scale = 0;
    auto badScale = DemoBoardBuilder::build(once.db(), options);
    QVERIFY(!badScale);
    QCOMPARE(badScale.problem().code, u"bad_board_scale"_s);
    QCOMPARE(count(once.db(), u"SELECT count(*) FROM bd_assistant_service_log"_s), before);
    QCOMPARE(count(once.db(), u"SELECT count(*) FROM bd_site_settings WHERE tenant_id = 'globex'"_s), 0);
}

void BoardDemoTest::commandLine() {
    QTemporaryDir dir;
    auto run = [&](const QStringList& args) {
        QProcess p;
        p.start(QStringLiteral(RISKDESK_BINARY), args);
        if (!p.waitForFinished(300000))
            qFatal("riskdesk did not finish");
        return std::make_tuple(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                               QString::fromUtf8(p.readAllStandardError()));
    };
    const QString with = dir.filePath(u"with.riskdesk"_s), without = dir.filePath(u"without.riskdesk"_s);
    const QStringList common{u"--exceptions"_s,        u"10"_s, u"--seed"_s, u"7"_s, u"--anchor"_s,
                             u"2026-11-01T09:00:00Z"_s};
    auto [code, out, err] = run(QStringList{u"demo"_s, u"--workspace"_s, with} + common);
    QVERIFY2(code == 0, qPrintable(err));
    QVERIFY2(out.contains(u"24000 service logs, 2100 recharge orders"_s), qPrintable(out));
    std::tie(code, out, err) =
        run(QStringList{u"demo"_s, u"--workspace"_s, without, u"--board-scale"_s, u"0"_s} + common);
    QCOMPARE(code, 0);
    QVERIFY(!out.contains(u"service logs"_s));
    for (const QString& bad : {u"-1"_s, u"201"_s, u"many"_s}) {
        std::tie(code, out, err) = run(QStringList{u"demo"_s, u"--workspace"_s,
                                                   dir.filePath(u"bad.riskdesk"_s), u"--board-scale"_s, bad});
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(u"--board-scale must be a whole number from 0 to 200, not \"%1\""_s.arg(bad)),
                 qPrintable(err));
        QVERIFY(!QFile::exists(dir.filePath(u"bad.riskdesk"_s)));
    }
    // The command line's demo is the library's: same tables as a workspace built with the same options.
    Workspace a(riskdesk::test::settings()), b(riskdesk::test::settings());
    QVERIFY(a.openExisting(with, u"cli-with"_s));
    QVERIFY(b.openExisting(without, u"cli-without"_s));
    QCOMPARE(boardChecksum(a.db()), boardChecksum(demo(7).db()));
    QCOMPARE(count(b.db(), u"SELECT count(*) FROM bd_assistant_service_log"_s), 0);
    // The board command reads it: the enabled skill types of the demo.
    std::tie(code, out, err) =
        run({u"board"_s, u"skills"_s, u"--workspace"_s, with, u"--site"_s, u"S1"_s, u"--format"_s, u"csv"_s});
    QVERIFY2(code == 0, qPrintable(err));
    QVERIFY2(out.contains(u"kl,开伦,3"_s) && out.contains(u"snk,斯诺克,1"_s), qPrintable(out));
}

void BoardDemoTest::dbSeedCopiesTheBoardsToTheServer() {
    const QString ownerUrl = qEnvironmentVariable("RISKDESK_TEST_PG_URL");
    if (ownerUrl.isEmpty())
        QFAIL(
            "RISKDESK_TEST_PG_URL is not set: run the tests through scripts/test, or `scripts/pg start` and "
            "export its URL");
    const QString database = u"riskdesk_bdemo%1"_s.arg(QCoreApplication::applicationPid());
    must(connectOrFail(ownerUrl)->exec(u"CREATE DATABASE %1"_s.arg(database)));
    QUrl url(ownerUrl);
    url.setPath(u"/"_s + database);
    {
        auto owner = connectOrFail(url.toString());
        auto migrated = ServerAdmin::migrate(*owner);
        QVERIFY2(migrated, migrated ? "" : qPrintable(migrated.problem().message));
        QSqlDatabase db = demo(11).db();
        QElapsedTimer timer;
        timer.start();
        auto seeded = ServerAdmin::seed(*owner, db);
        QVERIFY2(seeded, seeded ? "" : qPrintable(seeded.problem().message));
        qInfo("db seed with the board demo: %lld ms", timer.elapsed());
        // Every table: the same row count; money in yuan that sums to the workspace's fen; times and dates
        // kept.
        struct Check {
            QString server, workspace, sum;
        };
        const QList<Check> checks{
            {u"assistant_service_log"_s, u"bd_assistant_service_log"_s, u"ledger_amount"_s},
            {u"recharge_order"_s, u"bd_recharge_order"_s, u"refund_amount"_s},
            {u"finance_recharge_summary"_s, u"bd_finance_recharge_summary"_s, u"closing_balance"_s},
            {u"finance_income_structure"_s, u"bd_finance_income_structure"_s, u"discount_amount"_s},
            {u"finance_daily_summary"_s, u"bd_finance_daily_summary"_s, u"tender_voucher"_s},
            {u"dim_member_card_account"_s, u"bd_dim_member_card_account"_s, u"balance"_s},
            {u"assistant_salary_calc"_s, u"bd_assistant_salary_calc"_s, u"gross_salary"_s},
            {u"member_sites"_s, u"bd_member_sites"_s, {}},
            {u"member_assistant_relation_index"_s, u"bd_member_assistant_relation_index"_s, {}},
            {u"site_settings"_s, u"bd_site_settings"_s, {}},
            {u"cfg_skill_type"_s, u"bd_cfg_skill_type"_s, {}},
            {u"dim_member"_s, u"bd_dim_member"_s, {}},
            {u"coach_tasks"_s, u"bd_coach_tasks"_s, {}},
            {u"etl_watermark"_s, u"bd_etl_watermark"_s, {}},
            {u"loads"_s, u"bd_loads"_s, {}},
        };
        for (const Check& c : checks) {
            const qint64 local = count(db, u"SELECT count(*) FROM %1"_s.arg(c.workspace));
            QVERIFY2(local > 0, qPrintable(c.workspace));
            QCOMPARE(
                must(owner->exec(u"SELECT count(*) FROM riskdesk_board.%1"_s.arg(c.server))).integer(0, 0),
                local);
            if (!c.sum.isEmpty())
                QCOMPARE(must(owner->exec(u"SELECT (sum(%1) * 100)::bigint FROM riskdesk_board.%2"_s.arg(
                                  c.sum, c.server)))
                             .integer(0, 0),
                         count(db, u"SELECT sum(%1_fen) FROM %2"_s.arg(c.sum, c.workspace)));
        }
        // One row read back whole: time in UTC, business day, money, skill.
        const QStringList local =
            rows(db, u"SELECT assistant_service_id, create_time, biz_date, "
                     "ledger_amount_fen, skill_name FROM bd_assistant_service_log WHERE "
                     "site_id = 'S1' ORDER BY assistant_service_id LIMIT 1"_s);
        const QStringList parts = local.value(0).split(u'|');
        auto server = must(owner->exec(
            u"SELECT (extract(epoch FROM create_time) * 1000)::bigint, biz_date::text, (ledger_amount * "
            u"100)::bigint, "
            "skill_name FROM riskdesk_board.assistant_service_log WHERE site_id = 'S1' AND assistant_service_id = $1"_s,
            {parts.value(0)}));
        QCOMPARE(server.rows(), 1);
        QCOMPARE(QString::number(server.integer(0, 0)), parts.value(1));
        QCOMPARE(server.text(0, 1), parts.value(2));
        QCOMPARE(QString::number(server.integer(0, 2)), parts.value(3));
        QCOMPARE(server.text(0, 3), parts.value(4));
        // The roll forward holds on the server too.
        QCOMPARE(must(owner->exec(u"SELECT count(*) FROM riskdesk_board.finance_recharge_summary WHERE "
                                  "opening_balance + added_amount - consumed_amount - refund_amount + "
                                  "adjust_amount <> closing_balance"_s))
                     .integer(0, 0),
                 0);
        // The requests' files go too, so a desktop that pulls the demo opens them: every list row, each file
        // stored once per tenant (the server checks its hash and size), the first one the request's address.
        const qint64 files = count(db, u"SELECT count(*) FROM exception_attachments"_s);
        QVERIFY(files > 0);
        QCOMPARE(must(owner->exec(u"SELECT count(*) FROM riskdesk.exception_attachments"_s)).integer(0, 0),
                 files);
        QCOMPARE(
            must(owner->exec(u"SELECT count(DISTINCT (tenant_id, sha256)) FROM riskdesk.attachment_blobs"_s))
                .integer(0, 0),
            count(db,
                  u"SELECT count(*) FROM (SELECT DISTINCT tenant_id, sha256 FROM exception_attachments)"_s));
        QCOMPARE(must(owner->exec(
                          u"SELECT count(*) FROM riskdesk.exceptions e JOIN riskdesk.exception_attachments "
                          "a USING (tenant_id, record_id) WHERE a.position = 1 AND e.attachment_url = "
                          "'riskdesk-attachment:' || a.sha256"_s))
                     .integer(0, 0),
                 files);
    }
    auto admin = connectOrFail(ownerUrl);
    auto dropped = test::dropDatabase(*admin, database);
    QVERIFY2(dropped, dropped ? "" : qPrintable(dropped.problem().message));
}

namespace {

// The rows an export streams, kept per section for the comparison.
class CollectingSink : public BoardRowSink {
public:
    Status beginTable(const BoardTable& table) override {
        tables.append(table);
        return success();
    }
    Status row(const BoardTableRow& row) override {
        tables.last().addRow(row);
        return success();
    }
    QList<BoardTable> tables;
};

// The parts of an XLSX file (unzip -p), or nothing when unzip cannot read it.
QByteArray zipPart(const QString& zip, const QString& part) {
    QProcess p;
    p.start(u"unzip"_s, {u"-p"_s, zip, part});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    return p.readAllStandardOutput();
}

BoardRequest s1Request() {
    BoardRequest r;
    r.tenant = u"acme"_s;
    r.site = u"S1"_s;
    r.today = test::TestWorkspace::fixedAnchor().date();
    r.locale = QLocale(QLocale::English);
    return r;
}

} // namespace

// An export streams every tab's rows from one ordered read each, with every member's fields read once for the
// site: each tab's rows equal its pages (every one of them), cell for cell, and its totals, KPIs, notes and
// outcome equal the board's.
void BoardDemoTest::streamedTabsEqualThePages() {
    BoardDemo& d = demo(7);
    auto scope = BoardScope::open(d.db(), u"acme"_s);
    QVERIFY(scope);
    const BoardRequest r = s1Request();
    CollectingSink sink;
    auto reports = CustomerBoard::computeEveryRow(d.db(), scope.value(), r, CustomerDimensions::keys(), sink);
    QVERIFY2(reports, reports ? "" : qPrintable(reports.problem().message));
    QCOMPARE(reports.value().size(), 8);
    QCOMPARE(sink.tables.size(), 8);
    qint64 rows = 0;
    for (int t = 0; t < 8; ++t) {
        const BoardTable& streamed = sink.tables.at(t);
        const BoardReport& report = reports.value().at(t);
        QVERIFY(report.tables().first().rows().isEmpty()); // held by the sink only
        BoardRequest paged = r;
        paged.dimension = CustomerDimensions::keys().at(t);
        paged.pageSize = 200;
        auto first = CustomerBoard::compute(d.db(), scope.value(), paged);
        QVERIFY(first);
        const BoardTable& board = first.value().tables().first();
        QCOMPARE(streamed.key(), board.key());
        QCOMPARE(qint64(streamed.rows().size()), board.total());
        QVERIFY2(board.total() > 100, qPrintable(board.key()));
        // The report without its rows is the board's report.
        QCOMPARE(report.tables().first().total(), board.total());
        QCOMPARE(report.tables().first().notes(), board.notes());
        QCOMPARE(report.tables().first().outcome().toJson(), board.outcome().toJson());
        QCOMPARE(report.badges(), first.value().badges());
        for (int c = 0; c < board.columns().size(); ++c)
            QCOMPARE(BoardTable::cellDisplay(board.columns().at(c),
                                             report.tables().first().totals()->cells.at(c), r.locale),
                     BoardTable::cellDisplay(board.columns().at(c), board.totals()->cells.at(c), r.locale));
        QCOMPARE(report.toJson().value(u"kpis"_s), first.value().toJson().value(u"kpis"_s));
        QCOMPARE(report.parameters(), first.value().parameters());
        for (qint64 page = 1; (page - 1) * 200 < board.total(); ++page) {
            paged.page = page;
            auto one = page == 1 ? first : CustomerBoard::compute(d.db(), scope.value(), paged);
            QVERIFY(one);
            const BoardTable& p = one.value().tables().first();
            for (qsizetype i = 0; i < p.rows().size(); ++i) {
                const BoardTableRow& want = p.rows().at(i);
                const BoardTableRow& got = streamed.rows().at((page - 1) * 200 + i);
                QCOMPARE(got.id, want.id);
                for (qsizetype c = 0; c < p.columns().size(); ++c) {
                    QCOMPARE(BoardTable::cellDisplay(p.columns().at(c), got.cells.at(c), r.locale),
                             BoardTable::cellDisplay(p.columns().at(c), want.cells.at(c), r.locale));
                    QCOMPARE(got.cells.at(c).csvText, want.cells.at(c).csvText);
                    QCOMPARE(got.cells.at(c).note, want.cells.at(c).note);
                }
                ++rows;
            }
        }
    }
    QVERIFY(rows > 5000);
}

// The XLSX written while the rows stream is the one written from the whole set held in memory (every row of
// every tab computed as one board page), sheet for sheet.
void BoardDemoTest::streamedXlsxEqualsTheWholeSet() {
    BoardDemo& d = demo(7);
    auto scope = BoardScope::open(d.db(), u"acme"_s);
    QVERIFY(scope);
    const BoardRequest r = s1Request();
    const QDateTime at(QDate(2026, 6, 2), QTime(2, 30), QTimeZone::utc());
    QTemporaryDir dir;
    const QString held = dir.filePath(u"held.xlsx"_s), streamed = dir.filePath(u"streamed.xlsx"_s);
    auto set = BoardExportSet::compute(d.db(), BoardKind::Customer, scope.value(), r, at);
    QVERIFY(set);
    QVERIFY(!set.value().streamed());
    QVERIFY(BoardXlsxExport::write(held, set.value()));
    auto written = BoardXlsxExport::computeAndWrite(streamed, [&](BoardRowSink& sink) {
        return BoardExportSet::compute(d.db(), BoardKind::Customer, scope.value(), r, at, &sink);
    });
    QVERIFY2(written, written ? "" : qPrintable(written.problem().message));
    QVERIFY(written.value().streamed());
    QCOMPARE(written.value().rowCount(), set.value().rowCount());
    QCOMPARE(written.value().parametersHash(), set.value().parametersHash());
    const QByteArray workbook = zipPart(held, u"xl/workbook.xml"_s);
    QVERIFY(!workbook.isEmpty());
    QCOMPARE(zipPart(streamed, u"xl/workbook.xml"_s), workbook);
    QCOMPARE(zipPart(streamed, u"xl/styles.xml"_s), zipPart(held, u"xl/styles.xml"_s));
    for (int sheet = 1; sheet <= 1 + 8 + 2; ++sheet) {
        const QString part = u"xl/worksheets/sheet%1.xml"_s.arg(sheet);
        const QByteArray want = zipPart(held, part);
        QVERIFY2(want.size() > 200, qPrintable(part));
        const QByteArray got = zipPart(streamed, part);
        if (got != want) {
            qsizetype pos = 0;
            while (pos < got.size() && pos < want.size() && got.at(pos) == want.at(pos))
                ++pos;
            QFAIL(qPrintable(u"%1 differs at byte %2: …%3… against …%4…"_s.arg(part).arg(pos).arg(
                QString::fromUtf8(got.mid(std::max<qsizetype>(0, pos - 80), 200)),
                QString::fromUtf8(want.mid(std::max<qsizetype>(0, pos - 80), 200)))));
        }
    }
}

QTEST_GUILESS_MAIN(BoardDemoTest)
// BOARD-2 with every row (an export) reads the enrichments of more members than one statement takes, in
// batches and with an export's deadline: its rows equal the board's pages, cell for cell, names, phones, last
// visits, balances and related coaches included.
void BoardDemoTest::everyRowExportEqualsThePages() {
    BoardDemo& d = demo(7);
    auto scope = BoardScope::open(d.db(), u"acme"_s);
    QVERIFY2(scope, scope ? "" : qPrintable(scope.problem().message));
    BoardRequest r;
    r.tenant = u"acme"_s;
    r.site = u"S1"_s;
    r.today = test::TestWorkspace::fixedAnchor().date();
    r.dimension = u"recall"_s;
    r.locale = QLocale(QLocale::English);
    r.pageSize = 0;
    auto all = CustomerBoard::compute(d.db(), scope.value(), r);
    QVERIFY2(all, all ? "" : qPrintable(all.problem().message));
    const BoardTable& whole = all.value().tables().first();
    QVERIFY2(whole.rows().size() > 1000, qPrintable(QString::number(whole.rows().size()))); // > 2 batches
    QVERIFY(!whole.outcome().coreError());
    QVERIFY2(whole.outcome().unavailableColumn().isEmpty(), qPrintable(whole.outcome().unavailableColumn()));
    r.pageSize = 20;
    const qint64 pages = (whole.total() + 19) / 20;
    for (qint64 page : {qint64(1), qint64(26), qint64(27), pages}) {
        r.page = page;
        auto one = CustomerBoard::compute(d.db(), scope.value(), r);
        QVERIFY2(one, one ? "" : qPrintable(one.problem().message));
        const BoardTable& t = one.value().tables().first();
        QCOMPARE(t.total(), whole.total());
        for (qsizetype i = 0; i < t.rows().size(); ++i) {
            const BoardTableRow& paged = t.rows().at(i);
            const BoardTableRow& exported = whole.rows().at((page - 1) * 20 + i);
            QCOMPARE(exported.id, paged.id);
            for (qsizetype c = 0; c < t.columns().size(); ++c) {
                QCOMPARE(BoardTable::cellDisplay(t.columns().at(c), exported.cells.at(c), r.locale),
                         BoardTable::cellDisplay(t.columns().at(c), paged.cells.at(c), r.locale));
                QCOMPARE(exported.cells.at(c).csvText, paged.cells.at(c).csvText);
            }
        }
    }
    // Exports name the intimacy level, the screen shows its emoji.
    int levels = 0;
    const int coaches = whole.columnIndex(u"relatedCoaches"_s);
    QVERIFY(coaches >= 0);
    for (const BoardTableRow& row : whole.rows()) {
        const BoardCell& cell = row.cells.at(coaches);
        if (!cell.csvText || *cell.csvText == cell.text)
            continue; // no coach with a level (none, or only a follow-up without a score)
        ++levels;
        QVERIFY2(QRegularExpression(u"[1-4]-\\S"_s).match(*cell.csvText).hasMatch(),
                 qPrintable(*cell.csvText));
        QVERIFY(!cell.csvText->contains(u"💗"_s) && !cell.csvText->contains(u"🌱"_s));
    }
    QVERIFY(levels > 100);
}

#include "tst_boarddemo.moc"
