// The service-log summaries BOARD-1, BOARD-2's heat map and BOARD-3 read (migrations 015, 022, 031) against
// the logs themselves: on the demo for several seeds, after a CSV load that replaces a day, and after writes
// of every kind (insert, delete, void, move to another day or coach), the coach board's figures and the
// finance board's coach service income (K3, this period and the previous one) must equal a recomputation
// straight from bd_assistant_service_log, and ServiceLogSummaries::verify must find nothing.
#include "TestWorkspace.h"
#include "boards/BoardScope.h"
#include "boards/CoachBoard.h"
#include "boards/CustomerVisitHeatmap.h"
#include "boards/FinanceBoard.h"
#include "boards/ServiceLogSummaries.h"
#include "boards/SiteClock.h"
#include "boards/WeekdayHourTable.h"
#include "demo/DemoBoardBuilder.h"
#include "domain/Timestamps.h"
#include "store/BoardWorkspaceLoad.h"

#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

const QString kFixture = QStringLiteral(RISKDESK_FIXTURE_DIR);

void exec(QSqlDatabase db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
}

QVariantList firstRow(QSqlDatabase db, const QString& sql, const QVariantList& binds) {
    QSqlQuery q(db);
    q.prepare(sql);
    for (const QVariant& b : binds)
        q.addBindValue(b);
    if (!q.exec() || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    QVariantList out;
    for (int c = 0; c < 3; ++c)
        out << q.value(c);
    return out;
}

std::optional<qint64> numberOf(const BoardTable& t, const BoardTableRow& r, const QString& column) {
    const BoardCell* c = t.cell(r, column);
    return c ? c->value.number() : std::nullopt;
}

// Sum of fen, sum of seconds and distinct members of the valid logs of one coach (or all) in a range.
QVariantList fromLogs(QSqlDatabase db, const QString& site, const BoardPeriod& period,
                      std::optional<qint64> coach) {
    return firstRow(
        db,
        u"SELECT COALESCE(SUM(ledger_amount_fen), 0), COALESCE(SUM(income_seconds), 0),"
        " COUNT(DISTINCT tenant_member_id) FROM bd_assistant_service_log WHERE tenant_id = 'acme'"
        " AND site_id = ? AND is_delete = 0 AND biz_date BETWEEN ? AND ?"_s +
            (coach ? u" AND site_assistant_id = ?"_s : QString()),
        QVariantList{site, period.from().toString(Qt::ISODate), period.to().toString(Qt::ISODate)} +
            (coach ? QVariantList{*coach} : QVariantList{}));
}

// Every coach of the board of one month (every row) against the logs: income, hours, customers, both changes
// against the previous period, and the distinct customers of the totals row. Returns the rows compared.
int compareMonth(QSqlDatabase db, const BoardScope& scope, const QString& site, const BoardPeriod& period,
                 const QDate& today, const QString& search = QString()) {
    BoardRequest r;
    r.search = search; // a filter leaves coaches with logs out: the totals' customers count only the others
    r.tenant = u"acme"_s;
    r.site = site;
    r.today = today;
    r.period = period;
    r.pageSize = 0;
    r.includeInactive = true;
    r.locale = QLocale(QLocale::English);
    auto report = CoachBoard::compute(db, scope, r);
    if (!report)
        qFatal("%s", qPrintable(report.problem().message));
    const BoardTable* t = report.value().table(u"coaches"_s);
    if (!t || !t->totals())
        qFatal("no coach table");
    const BoardPeriod previous = period.previous();
    // Days before the site's data begin (its first summary row or service log) are no data, not zero.
    const QDate firstDay = QDate::fromString(
        firstRow(
            db,
            u"SELECT MIN(d), 0, 0 FROM (SELECT MIN(biz_date) AS d FROM bd_finance_daily_summary"
            " WHERE tenant_id = 'acme' AND site_id = ? UNION ALL SELECT MIN(biz_date)"
            " FROM bd_assistant_service_log WHERE tenant_id = 'acme' AND site_id = ? AND is_delete = 0)"_s,
            {site, site})
            .at(0)
            .toString(),
        Qt::ISODate);
    if (period.to() < firstDay) {
        for (const BoardTableRow& row : t->rows())
            if (t->cell(row, u"items_sum"_s)->value.state() != CellState::NoData) {
                qWarning("%s %s: a month before the data begin has figures", qPrintable(site),
                         qPrintable(period.from().toString()));
                return -1;
            }
        return 0;
    }
    const bool noPrevious = previous.to() < firstDay;
    int compared = 0;
    for (const BoardTableRow& row : t->rows()) {
        const qint64 coach = row.id.toLongLong();
        const QVariantList now = fromLogs(db, site, period, coach);
        const QVariantList before = fromLogs(db, site, previous, coach);
        const QString where = u"%1 %2 coach %3"_s.arg(site, period.from().toString(Qt::ISODate)).arg(coach);
        if (numberOf(*t, row, u"items_sum"_s) != std::optional<qint64>(now.at(0).toLongLong()) ||
            numberOf(*t, row, u"hours"_s) != std::optional<qint64>(now.at(1).toLongLong()) ||
            numberOf(*t, row, u"customers"_s) != std::optional<qint64>(now.at(2).toLongLong())) {
            qWarning("%s: board %lld/%lld/%lld, logs %lld/%lld/%lld", qPrintable(where),
                     numberOf(*t, row, u"items_sum"_s).value_or(-1),
                     numberOf(*t, row, u"hours"_s).value_or(-1),
                     numberOf(*t, row, u"customers"_s).value_or(-1), now.at(0).toLongLong(),
                     now.at(1).toLongLong(), now.at(2).toLongLong());
            return -1;
        }
        const auto was = [&](int i) {
            return noPrevious ? std::nullopt : std::optional<qint64>(before.at(i).toLongLong());
        };
        const PeriodChange items = PeriodChange::of(now.at(0).toLongLong(), was(0));
        const PeriodChange hours = PeriodChange::of(now.at(1).toLongLong(), was(1));
        if (!t->cell(row, u"items_pop"_s)->change ||
            t->cell(row, u"items_pop"_s)->change->text() != items.text() ||
            !t->cell(row, u"hours_pop"_s)->change ||
            t->cell(row, u"hours_pop"_s)->change->text() != hours.text()) {
            qWarning("%s: a change differs from the logs", qPrintable(where));
            return -1;
        }
        ++compared;
    }
    // The totals row: distinct members of all these coaches together.
    QStringList ids;
    for (const BoardTableRow& row : t->rows())
        ids << QString::number(row.id.toLongLong());
    const QVariantList all = firstRow(
        db,
        u"SELECT COUNT(DISTINCT tenant_member_id), 0, 0 FROM bd_assistant_service_log WHERE tenant_id = "
        u"'acme'"
        " AND site_id = ? AND is_delete = 0 AND biz_date BETWEEN ? AND ? AND site_assistant_id IN (%1)"_s.arg(
            ids.isEmpty() ? u"NULL"_s : ids.join(u',')),
        {site, period.from().toString(Qt::ISODate), period.to().toString(Qt::ISODate)});
    if (numberOf(*t, *t->totals(), u"customers"_s) != std::optional<qint64>(all.at(0).toLongLong())) {
        qWarning("%s %s: total customers differ", qPrintable(site), qPrintable(period.from().toString()));
        return -1;
    }
    return compared;
}

// K3 of the finance board for a period, and its previous period, against the sums of the valid logs.
bool compareFinanceK3(QSqlDatabase db, const BoardScope& scope, const QString& site,
                      const BoardPeriod& period, const QDate& today) {
    BoardRequest r;
    r.tenant = u"acme"_s;
    r.site = site;
    r.today = today;
    r.period = period;
    r.locale = QLocale(QLocale::English);
    auto report = FinanceBoard::compute(db, scope, r);
    if (!report)
        qFatal("%s", qPrintable(report.problem().message));
    const BoardKpi* k3 = report.value().kpi(u"K3"_s);
    if (!k3)
        qFatal("no K3");
    const qint64 now = fromLogs(db, site, period, std::nullopt).at(0).toLongLong();
    const qint64 before = fromLogs(db, site, period.previous(), std::nullopt).at(0).toLongLong();
    // A previous month wholly before the site's data begin (its first daily summary) is no data: no change.
    const QDate firstDay = QDate::fromString(
        firstRow(db,
                 u"SELECT MIN(biz_date), 0, 0 FROM bd_finance_daily_summary WHERE tenant_id = 'acme' AND "
                 "site_id = ?"_s,
                 {site})
            .at(0)
            .toString(),
        Qt::ISODate);
    const bool noPrevious = period.previous().to() < firstDay;
    if (period.to() < firstDay) { // the same for the month itself, and its drill-down's footer
        r.drill = u"kpi:K3"_s;
        auto drill = FinanceBoard::compute(db, scope, r);
        if (!drill)
            qFatal("%s", qPrintable(drill.problem().message));
        const BoardTable& rows = drill.value().tables().first();
        return now == 0 && k3->value.state() == CellState::NoData && rows.totals() &&
               rows.cell(*rows.totals(), u"ledger_amount"_s)->value.state() == CellState::NoData;
    }
    if (k3->value.number() != std::optional<qint64>(now) || !k3->change ||
        (noPrevious ? k3->change->kind() != PeriodChange::Kind::NoData
                    : k3->change->text() != PeriodChange::of(now, before).text())) {
        qWarning("%s %s: K3 %lld against %lld from the logs (previous %lld)", qPrintable(site),
                 qPrintable(period.rangeText()), k3->value.number().value_or(-1), now, before);
        return false;
    }
    // K3's drill-down counts and sums the period's rows from the site days: the logs' own count and sum.
    r.drill = u"kpi:K3"_s;
    auto drill = FinanceBoard::compute(db, scope, r);
    if (!drill)
        qFatal("%s", qPrintable(drill.problem().message));
    const BoardTable& rows = drill.value().tables().first();
    const qint64 count =
        firstRow(db,
                 u"SELECT COUNT(*), 0, 0 FROM bd_assistant_service_log WHERE tenant_id = 'acme'"
                 " AND site_id = ? AND is_delete = 0 AND biz_date BETWEEN ? AND ?"_s,
                 {site, period.from().toString(Qt::ISODate), period.to().toString(Qt::ISODate)})
            .at(0)
            .toLongLong();
    if (rows.total() != count || !rows.totals() ||
        rows.cell(*rows.totals(), u"ledger_amount"_s)->value.number() != std::optional<qint64>(now)) {
        qWarning("%s %s: K3's drill-down has %lld rows against %lld logs", qPrintable(site),
                 qPrintable(period.rangeText()), qint64(rows.total()), count);
        return false;
    }
    return true;
}

QStringList differences(QSqlDatabase db) {
    auto found = ServiceLogSummaries::verify(db);
    if (!found)
        qFatal("%s", qPrintable(found.problem().message));
    return found.value();
}

} // namespace

class ServiceLogSummariesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void demoMatchesTheLogs_data();
    void demoMatchesTheLogs();
    void writesOfEveryKindKeepThemInStep();
    void aLoadReplacingADayKeepsThemInStep();
    void verifyFindsADamagedSummary();
    void monthPrefix();
};

void ServiceLogSummariesTest::demoMatchesTheLogs_data() {
    QTest::addColumn<quint64>("seed");
    QTest::newRow("seed 3") << quint64(3);
    QTest::newRow("seed 7") << quint64(7);
    QTest::newRow("seed 11") << quint64(11);
}

void ServiceLogSummariesTest::demoMatchesTheLogs() {
    QFETCH(quint64, seed);
    test::TestWorkspace ws(20, seed);
    DemoBoardOptions options;
    options.seed = seed;
    options.anchorMs = timestamps::toMs(test::TestWorkspace::fixedAnchor());
    options.scale = 1;
    auto built = DemoBoardBuilder::build(ws.db(), options);
    QVERIFY2(built, built ? "" : qPrintable(built.problem().message));
    QSqlDatabase db = ws.db();
    QCOMPARE(differences(db), QStringList());
    // The demo wrote with the triggers dropped: they are back afterwards.
    QCOMPARE(firstRow(db,
                      u"SELECT COUNT(*), 0, 0 FROM sqlite_master WHERE type = 'trigger'"
                      " AND tbl_name = 'bd_assistant_service_log' AND name LIKE 'bd_sl_summary_%'"_s,
                      {})
                 .at(0)
                 .toInt(),
             4);
    auto scope = BoardScope::open(db, u"acme"_s);
    QVERIFY(scope);
    int compared = 0;
    for (const QString& site : {u"S1"_s, u"S2"_s}) {
        const QDate today = scope.value().watermarkOf(site).value();
        for (int back = 0; back <= 6; ++back) {
            const QDate first = QDate(today.year(), today.month(), 1).addMonths(-back);
            const BoardPeriod period = back == 0
                                           ? BoardPeriod::preset(PeriodPreset::ThisMonth, today)
                                           : BoardPeriod::month(first.year(), first.month(), today).value();
            const int n = compareMonth(db, scope.value(), site, period, today);
            QVERIFY2(n >= 0, qPrintable(u"%1 %2"_s.arg(site, first.toString(Qt::ISODate))));
            compared += n;
            QVERIFY(compareFinanceK3(db, scope.value(), site, period, today));
            if (back == 1)
                QVERIFY(compareMonth(db, scope.value(), site, period, today, u"00"_s) > 0);
        }
        QVERIFY(compareFinanceK3(db, scope.value(), site,
                                 BoardPeriod::custom(today.addDays(-364), today).value(), today));
    }
    QVERIFY(compared > 100); // the demo has coaches with logs in every month
    QCOMPARE(firstRow(db,
                      u"SELECT COUNT(*), 0, 0 FROM sqlite_master WHERE type = 'trigger'"
                      " AND tbl_name = 'bd_assistant_service_log' AND name LIKE 'bd_sl_quarter_%'"_s,
                      {})
                 .at(0)
                 .toInt(),
             3);
    // BOARD-2's heat map from the quarter hours (031) is the logs' own grid, in zones whole hours (Shanghai,
    // New York), half an hour (Kolkata) and three quarters of an hour (Kathmandu) from UTC.
    for (const QString& zone :
         {u"Asia/Shanghai"_s, u"America/New_York"_s, u"Asia/Kolkata"_s, u"Asia/Kathmandu"_s}) {
        const auto clock = SiteClock::make(zone, 360);
        QVERIFY(clock);
        const QDate to = scope.value().watermarkOf(u"S1"_s).value();
        const BoardPeriod window = BoardPeriod::custom(to.addDays(-59), to).value();
        auto fromQuarters = CustomerVisitHeatmap::read(db, u"acme"_s, u"S1"_s, window, clock.value());
        QVERIFY(fromQuarters);
        const qint64 off =
            clock.value().zone().offsetFromUtc(QDateTime(window.to(), QTime(12, 0), clock.value().zone()));
        QSqlQuery q(db);
        QVERIFY(
            q.prepare(u"SELECT ((create_time / 1000 + ?) / 86400 + 3) % 7, ((create_time / 1000 + ?) %"
                      " 86400) / 3600, COUNT(*) FROM bd_assistant_service_log WHERE tenant_id = 'acme'"
                      " AND site_id = 'S1' AND is_delete = 0 AND biz_date BETWEEN ? AND ? GROUP BY 1, 2"_s));
        for (const QVariant& v :
             QVariantList{off, off, window.from().toString(Qt::ISODate), window.to().toString(Qt::ISODate)})
            q.addBindValue(v);
        QVERIFY(q.exec());
        WeekdayHourTable::Grid fromLogs{};
        qint64 visits = 0;
        while (q.next()) {
            fromLogs[size_t(q.value(0).toInt())][size_t(q.value(1).toInt())] = q.value(2).toLongLong();
            visits += q.value(2).toLongLong();
        }
        QVERIFY(!q.lastError().isValid());
        QVERIFY(visits > 1000);
        QVERIFY2(fromQuarters.value() == fromLogs, qPrintable(zone));
    }
}

void ServiceLogSummariesTest::writesOfEveryKindKeepThemInStep() {
    test::TestWorkspace ws(20, 7);
    DemoBoardOptions options;
    options.seed = 7;
    options.anchorMs = timestamps::toMs(test::TestWorkspace::fixedAnchor());
    options.scale = 1;
    QVERIFY(DemoBoardBuilder::build(ws.db(), options));
    QSqlDatabase db = ws.db();
    auto scope = BoardScope::open(db, u"acme"_s);
    QVERIFY(scope);
    const QDate today = scope.value().watermarkOf(u"S1"_s).value();
    const QDate first = QDate(today.year(), today.month(), 1).addMonths(-1);
    const BoardPeriod month = BoardPeriod::month(first.year(), first.month(), today).value();
    const QString day = first.addDays(9).toString(Qt::ISODate);
    // A sample of the month's logs: a day's worth deleted as a sync pull replaces a day, some voided, some
    // moved to the month's first day (a pair's first day moves earlier) or to another coach, and a new log.
    exec(db, u"DELETE FROM bd_assistant_service_log WHERE site_id = 'S1' AND biz_date = '%1'"_s.arg(day));
    exec(db, u"UPDATE bd_assistant_service_log SET is_delete = 1 WHERE site_id = 'S1' AND is_delete = 0"
             " AND biz_date = '%1' AND assistant_service_id % 3 = 0"_s.arg(
                 first.addDays(3).toString(Qt::ISODate)));
    exec(db, u"UPDATE bd_assistant_service_log SET is_delete = 0 WHERE site_id = 'S1' AND is_delete = 1"
             " AND biz_date = '%1'"_s.arg(first.addDays(4).toString(Qt::ISODate)));
    exec(db, u"UPDATE bd_assistant_service_log SET biz_date = '%1' WHERE site_id = 'S1' AND biz_date = '%2'"
             " AND assistant_service_id % 2 = 0"_s.arg(first.toString(Qt::ISODate),
                                                       first.addDays(20).toString(Qt::ISODate)));
    exec(db, u"UPDATE bd_assistant_service_log SET site_assistant_id = site_assistant_id + 1,"
             " ledger_amount_fen = ledger_amount_fen + 1 WHERE site_id = 'S1' AND biz_date = '%1'"_s.arg(
                 first.addDays(12).toString(Qt::ISODate)));
    exec(
        db,
        u"INSERT INTO bd_assistant_service_log (tenant_id, site_id, assistant_service_id, site_assistant_id,"
        " tenant_member_id, is_delete, create_time, income_seconds, real_use_seconds, ledger_amount_fen,"
        " biz_date, etl_version) SELECT 'acme', 'S1', MAX(assistant_service_id) + 1, 424242, 1, 0, 0, 60, 60,"
        " 999, '%1', 1 FROM bd_assistant_service_log"_s.arg(day));
    QCOMPARE(differences(db), QStringList());
    QVERIFY(compareMonth(db, scope.value(), u"S1"_s, month, today) > 0);
    QVERIFY(compareFinanceK3(db, scope.value(), u"S1"_s, month, today));
    QVERIFY(compareFinanceK3(db, scope.value(), u"S1"_s, BoardPeriod::custom(first.addDays(5), today).value(),
                             today));
    const QDate before = first.addMonths(-1);
    QVERIFY(compareMonth(db, scope.value(), u"S1"_s,
                         BoardPeriod::month(before.year(), before.month(), today).value(), today) > 0);
    // Everything gone: so are the summaries.
    exec(db, u"DELETE FROM bd_assistant_service_log"_s);
    QCOMPARE(firstRow(db,
                      u"SELECT (SELECT COUNT(*) FROM bd_sl_coach_day), (SELECT COUNT(*) FROM"
                      " bd_sl_coach_member_month), 0"_s,
                      {}),
             (QVariantList{0, 0, 0}));
    QCOMPARE(
        firstRow(db,
                 u"SELECT (SELECT COUNT(*) FROM bd_sl_site_day), (SELECT COUNT(*) FROM bd_sl_coach_month),"
                 " (SELECT COUNT(*) FROM bd_sl_site_quarter)"_s,
                 {}),
        (QVariantList{0, 0, 0}));
}

void ServiceLogSummariesTest::aLoadReplacingADayKeepsThemInStep() {
    test::TestWorkspace ws(-1);
    QSqlDatabase db = ws.db();
    exec(db, u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme')"_s);
    auto loaded = BoardWorkspaceLoad::load(db, u"acme"_s, kFixture);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.problem().message));
    auto scope = BoardScope::open(db, u"acme"_s);
    QVERIFY(scope);
    const QDate today(2026, 6, 2);
    const BoardPeriod may = BoardPeriod::parseMonth(u"2026-05"_s, today).value();
    QVERIFY(compareMonth(db, scope.value(), u"S1"_s, may, today) > 0);
    const QVariantList before = fromLogs(db, u"S1"_s, may, std::nullopt);

    // A second load of the service logs of one day of May: coach 1 now serves member 3 for 500.00 on it.
    const QVariantList onDay =
        firstRow(db,
                 u"SELECT biz_date, COUNT(*), 0 FROM bd_assistant_service_log WHERE site_id = 'S1'"
                 " AND biz_date LIKE '2026-05-%' GROUP BY biz_date ORDER BY biz_date LIMIT 1"_s,
                 {});
    const QString day = onDay.at(0).toString();
    QTemporaryDir dir;
    QFile f(QDir(dir.path()).filePath(u"v_dwd_assistant_service_log.csv"_s));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("site_id,assistant_service_id,site_assistant_id,tenant_member_id,is_delete,create_time,start_use_"
            "time,"
            "last_use_time,income_seconds,real_use_seconds,ledger_amount,skill_name,site_table_id,etl_loaded_"
            "at\n");
    f.write(u"S1,9001,1,3,0,%1T15:00:00+08:00,,,1800,1800,500.00,斯诺克,101,\n"_s.arg(day).toUtf8());
    f.close();
    auto again = BoardWorkspaceLoad::load(db, u"acme"_s, dir.path());
    QVERIFY2(again, again ? "" : qPrintable(again.problem().message));
    QCOMPARE(
        firstRow(
            db,
            u"SELECT COUNT(*), 0, 0 FROM bd_assistant_service_log WHERE site_id = 'S1' AND biz_date = ?"_s,
            {day})
            .at(0)
            .toInt(),
        1);
    QVERIFY(fromLogs(db, u"S1"_s, may, std::nullopt) != before); // the day did change
    QCOMPARE(differences(db), QStringList());
    QVERIFY(compareMonth(db, scope.value(), u"S1"_s, may, today) > 0);
}

void ServiceLogSummariesTest::verifyFindsADamagedSummary() {
    test::TestWorkspace ws(-1);
    QSqlDatabase db = ws.db();
    exec(db, u"INSERT INTO tenants (tenant_id, name) VALUES ('acme', 'Acme')"_s);
    QVERIFY(BoardWorkspaceLoad::load(db, u"acme"_s, kFixture));
    QCOMPARE(differences(db), QStringList());
    // Written behind the triggers' back: verify names the partition.
    exec(db, u"UPDATE bd_sl_coach_day SET items_fen = items_fen + 1"
             " WHERE biz_date = (SELECT MIN(biz_date) FROM bd_sl_coach_day)"_s);
    exec(db, u"DELETE FROM bd_sl_coach_member_month"
             " WHERE month = (SELECT MAX(month) FROM bd_sl_coach_member_month)"_s);
    exec(db, u"UPDATE bd_sl_site_day SET income_s = income_s + 1"
             " WHERE biz_date = (SELECT MAX(biz_date) FROM bd_sl_site_day)"_s);
    exec(db, u"UPDATE bd_sl_coach_month SET customers = customers + 1"
             " WHERE month = (SELECT MIN(month) FROM bd_sl_coach_month)"_s);
    exec(db, u"UPDATE bd_sl_site_quarter SET quarter = quarter + 4"
             " WHERE biz_date = (SELECT MIN(biz_date) FROM bd_sl_site_quarter)"_s);
    const QStringList found = differences(db);
    QCOMPARE(found.size(), 5);
    QVERIFY(found.at(0).startsWith(u"bd_sl_coach_day acme "_s));
    QVERIFY(found.at(1).startsWith(u"bd_sl_coach_member_month acme "_s));
    QVERIFY(found.at(2).startsWith(u"bd_sl_site_day acme "_s));
    QVERIFY(found.at(3).startsWith(u"bd_sl_coach_month acme "_s));
    QVERIFY(found.at(4).startsWith(u"bd_sl_site_quarter acme "_s));
    // Derived again, they agree.
    QVERIFY(ServiceLogSummaries::rebuildTenant(db, u"acme"_s));
    QCOMPARE(differences(db), QStringList());
}

void ServiceLogSummariesTest::monthPrefix() {
    const QDate today(2026, 6, 2);
    QVERIFY(ServiceLogSummaries::coversMonthPrefix(BoardPeriod::parseMonth(u"2026-05"_s, today).value()));
    QVERIFY(ServiceLogSummaries::coversMonthPrefix(BoardPeriod::preset(PeriodPreset::ThisMonth, today)));
    QVERIFY(!ServiceLogSummaries::coversMonthPrefix(BoardPeriod::preset(PeriodPreset::Last30Days, today)));
    QCOMPARE(ServiceLogSummaries::monthKey(QDate(2026, 5, 31)), u"2026-05"_s);
    QVERIFY(ServiceLogSummaries::isWholeMonth(BoardPeriod::parseMonth(u"2026-05"_s, today).value()));
    QVERIFY(!ServiceLogSummaries::isWholeMonth(BoardPeriod::preset(PeriodPreset::ThisMonth, today)));
    QVERIFY(!ServiceLogSummaries::isWholeMonth(
        BoardPeriod::custom(QDate(2026, 4, 1), QDate(2026, 5, 31)).value()));
}

QTEST_GUILESS_MAIN(ServiceLogSummariesTest)
#include "tst_servicelogsummaries.moc"
