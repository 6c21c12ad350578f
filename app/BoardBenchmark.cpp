#include "BoardBenchmark.h"

#include "BenchmarkStats.h"
#include "CommandParser.h"
#include "Console.h"
#include "boards/BoardChartPainter.h"
#include "boards/BoardExportSet.h"
#include "boards/BoardPdfExport.h"
#include "boards/BoardScope.h"
#include "boards/BoardXlsxExport.h"
#include "boards/CoachBoard.h"
#include "boards/CustomerBoard.h"
#include "boards/FinanceBoard.h"
#include "boards/RiskOpsBoard.h"
#include "settings/AppSettings.h"
#include "store/BoardWorkspaceLoad.h"
#include "store/NameCollation.h"
#include "store/NativeStatement.h"
#include "store/Workspace.h"
#include "store/WriteTransaction.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPainter>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimeZone>
#include <algorithm>
#include <ctime>
#include <functional>
#include <random>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// One service-log row as both sides see it: parsed values for the plain insert, CSV text for the loader.
struct ServiceRow {
    qint64 id, coach, member, isDelete, createMs, seconds, fen;
    QString site, bizDate;
};

// Deterministic rows over the 30 days of May 2026 at site S1 (cut-off 06:00 in Asia/Shanghai).
std::vector<ServiceRow> makeRows(qint64 n) {
    std::mt19937_64 rng(7);
    std::vector<ServiceRow> rows;
    rows.reserve(size_t(n));
    const qint64 may1 =
        QDateTime(QDate(2026, 5, 1), QTime(6, 0), QTimeZone("Asia/Shanghai")).toMSecsSinceEpoch();
    for (qint64 i = 1; i <= n; ++i) {
        const qint64 offset = qint64(rng() % (30ull * 86400)) * 1000; // within the 30 business days
        const qint64 ms = may1 + offset;
        const QDate day = QDate(2026, 5, 1).addDays(offset / 86400000);
        rows.push_back({i, 1 + qint64(rng() % 1200), 1 + qint64(rng() % 60000), (rng() % 20) == 0 ? 1 : 0, ms,
                        qint64(rng() % 4 + 1) * 1800, qint64(rng() % 100000), u"S1"_s,
                        day.toString(Qt::ISODate)});
    }
    return rows;
}

Status writeCsv(const QString& dir, const std::vector<ServiceRow>& rows) {
    QFile settings(QDir(dir).filePath(u"site_settings.csv"_s));
    if (!settings.open(QIODevice::WriteOnly))
        return Problem{u"io"_s, settings.errorString(), {}};
    settings.write("site_id,tz,business_day_cutoff_minutes\nS1,Asia/Shanghai,360\n");
    QFile f(QDir(dir).filePath(u"v_dwd_assistant_service_log.csv"_s));
    if (!f.open(QIODevice::WriteOnly))
        return Problem{u"io"_s, f.errorString(), {}};
    f.write("site_id,assistant_service_id,site_assistant_id,tenant_member_id,is_delete,create_time,start_use_"
            "time,"
            "last_use_time,income_seconds,real_use_seconds,ledger_amount,skill_name,site_table_id,etl_loaded_"
            "at\n");
    QByteArray line;
    for (const ServiceRow& r : rows) {
        line = "S1," + QByteArray::number(r.id) + ',' + QByteArray::number(r.coach) + ',' +
               QByteArray::number(r.member) + ',' + QByteArray::number(r.isDelete) + ',' +
               QDateTime::fromMSecsSinceEpoch(r.createMs, QTimeZone::utc())
                   .toString(Qt::ISODateWithMs)
                   .toLatin1() +
               ",,," + QByteArray::number(r.seconds) + ',' + QByteArray::number(r.seconds) + ',' +
               QByteArray::number(r.fen / 100) + '.' +
               QByteArray::number(r.fen % 100).rightJustified(2, '0') + ",snk,1,\n";
        f.write(line);
    }
    return f.error() == QFile::NoError ? success() : Status(Problem{u"io"_s, f.errorString(), {}});
}

// A fresh workspace with the tenant and site the rows belong to.
std::unique_ptr<Workspace> freshWorkspace(AppSettings& settings, const QString& path) {
    auto ws = std::make_unique<Workspace>(settings);
    if (!ws->open(path, u"bench-boards"_s))
        return nullptr;
    QSqlQuery q(ws->db());
    if (!q.exec(u"INSERT INTO tenants VALUES ('acme', 'Acme')"_s) ||
        !q.exec(u"INSERT INTO bd_site_settings VALUES ('acme', 'S1', 'Asia/Shanghai', 360, 1)"_s))
        return nullptr;
    return ws;
}

// Row count and Σ ledger of the loaded rows: both sides must agree.
QString fingerprint(QSqlDatabase db) {
    QSqlQuery q(db);
    if (!q.exec(u"SELECT COUNT(*), SUM(ledger_amount_fen), SUM(is_delete), COUNT(DISTINCT biz_date)"
                " FROM bd_assistant_service_log"_s) ||
        !q.next())
        return u"(failed)"_s;
    return u"%1 rows, Σ %2 fen, %3 voided, %4 days"_s.arg(q.value(0).toLongLong())
        .arg(q.value(1).toLongLong())
        .arg(q.value(2).toLongLong())
        .arg(q.value(3).toLongLong());
}

int benchLoading(AppSettings& settings, qint64 n, int repeat) {
    QTextStream& out = Console::out();
    QTemporaryDir dir;
    const std::vector<ServiceRow> rows = makeRows(n);
    if (Status s = writeCsv(dir.path(), rows); !s)
        return Console::fail(s.problem().message);
    QList<double> loader, plain;
    QString loaderAnswer, plainAnswer;
    for (int run = 0; run < repeat + 1; ++run) { // the first run warms up and is not counted
        {
            auto ws = freshWorkspace(settings, dir.filePath(u"loader-%1.riskdesk"_s.arg(run)));
            if (!ws)
                return Console::fail(u"Could not make a workspace."_s);
            QElapsedTimer t;
            t.start();
            auto loaded = BoardWorkspaceLoad::load(ws->db(), u"acme"_s, dir.path());
            const double ms = double(t.nsecsElapsed()) / 1e6;
            if (!loaded)
                return Console::fail(loaded.problem().message);
            if (run > 0)
                loader << ms;
            loaderAnswer = fingerprint(ws->db());
        }
        {
            auto ws = freshWorkspace(settings, dir.filePath(u"plain-%1.riskdesk"_s.arg(run)));
            if (!ws)
                return Console::fail(u"Could not make a workspace."_s);
            QElapsedTimer t;
            t.start();
            WriteTransaction transaction(ws->db());
            if (!transaction.begun())
                return Console::fail(transaction.begun().problem().message);
            NativeStatement insert(
                ws->db(), "INSERT INTO bd_assistant_service_log (tenant_id, site_id, assistant_service_id,"
                          " site_assistant_id, tenant_member_id, is_delete, create_time, income_seconds,"
                          " real_use_seconds, ledger_amount_fen, skill_name, site_table_id, biz_date,"
                          " etl_version) VALUES ('acme', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'snk', 1, ?, 1)");
            for (const ServiceRow& r : rows) {
                insert.bind(1, QStringView(r.site));
                insert.bind(2, r.id);
                insert.bind(3, r.coach);
                insert.bind(4, r.member);
                insert.bind(5, r.isDelete);
                insert.bind(6, r.createMs);
                insert.bind(7, r.seconds);
                insert.bind(8, r.seconds);
                insert.bind(9, r.fen);
                insert.bind(10, QStringView(r.bizDate));
                if (Status s = insert.step(); !s)
                    return Console::fail(s.problem().message);
            }
            if (Status s = transaction.commit(); !s)
                return Console::fail(s.problem().message);
            const double ms = double(t.nsecsElapsed()) / 1e6;
            if (run > 0)
                plain << ms;
            plainAnswer = fingerprint(ws->db());
        }
    }
    const bool same = loaderAnswer == plainAnswer;
    const double l = BenchmarkStats::median(loader), p = BenchmarkStats::median(plain);
    out << u"| loading %1 service-log rows | `board load` from CSV (read, check, business days, write) | "
           u"plain "
           "bulk insert of the parsed rows | loader / plain rate |"_s.arg(n)
        << Qt::endl
        << "|---|---|---|---|" << Qt::endl
        << u"| median of %1 | %2 s (%3 rows/s) | %4 s (%5 rows/s) | %6 |"_s.arg(repeat)
               .arg(l / 1000, 0, 'f', 2)
               .arg(qRound64(double(n) * 1000 / l))
               .arg(p / 1000, 0, 'f', 2)
               .arg(qRound64(double(n) * 1000 / p))
               .arg(p / l, 0, 'f', 2)
        << Qt::endl
        << u"Both sides: %1%2"_s.arg(loaderAnswer, same ? QString() : u" ≠ plain: "_s + plainAnswer)
        << Qt::endl;
    return same ? 0 : 1;
}

// ---- Board sections ----

// One measured case: the board's answer and the baseline's, each reduced to the same comparable text.
struct Case {
    QString label;
    std::function<Result<QString>()> board;
    std::function<Result<QString>()> baseline; // empty: no baseline for this case
};

// This thread's CPU time (user and system) in ms: on a loaded machine the wall time also counts the waits for
// a core, the CPU time does not.
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct Timing {
    double wallMs = 0, cpuMs = 0; // medians
    QString answer;
};

// Runs f once to warm up, then `repeat` times; the medians in ms, and the answer (which must not change).
Result<Timing> timed(const std::function<Result<QString>()>& f, int repeat) {
    auto first = f();
    if (!first)
        return first.problem();
    QList<double> ms, cpu;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer t;
        const double cpuStart = threadCpuMs();
        t.start();
        auto again = f();
        ms << double(t.nsecsElapsed()) / 1e6;
        cpu << threadCpuMs() - cpuStart;
        if (!again)
            return again.problem();
        if (again.value() != first.value())
            return Problem{u"unstable"_s, u"The answer changed between runs."_s, {}};
    }
    return Timing{BenchmarkStats::median(ms), BenchmarkStats::median(cpu), first.value()};
}

// A table's comparable answer: its total, the totals row's figure of one column, and the page's ids.
QString tableAnswer(const BoardTable* t, const QString& column) {
    if (!t)
        return u"(no table)"_s;
    QStringList ids;
    for (const BoardTableRow& r : t->rows())
        ids << r.id.toString();
    const BoardCell* sum = t->totals() ? t->cell(*t->totals(), column) : nullptr;
    return u"total %1, Σ %2, page [%3]"_s.arg(t->total())
        .arg(sum && sum->value.number() ? QString::number(*sum->value.number()) : u"—"_s)
        .arg(ids.join(u' '));
}

// Rows of a query as one text per row; a failed query (or row loop) is a problem.
Result<QList<QVariantList>> rowsOf(QSqlDatabase db, const QString& sql, const QVariantList& binds) {
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return Problem{u"sql"_s, q.lastError().text(), {}};
    for (const QVariant& b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return Problem{u"sql"_s, q.lastError().text(), {}};
    QList<QVariantList> rows;
    while (q.next()) {
        QVariantList row;
        for (int c = 0; c < q.record().count(); ++c)
            row << q.value(c);
        rows << row;
    }
    if (q.lastError().isValid())
        return Problem{u"sql"_s, q.lastError().text(), {}};
    return rows;
}

// The reference's way for BOARD-1 (spec §1.2): one query per service function straight over the detail rows,
// then the ranking and the page in code. The copy it reads has no board index.
Result<QString> coachBaseline(QSqlDatabase db, const QString& site, const BoardPeriod& month) {
    const QVariantList scope{u"acme"_s, site};
    const QString from = month.from().toString(Qt::ISODate), to = month.to().toString(Qt::ISODate);
    const BoardPeriod prev = month.previous();
    // get_all_assistants
    auto coaches = rowsOf(
        db, u"SELECT site_assistant_id FROM bd_dim_assistant WHERE tenant_id = ? AND site_id = ?"_s, scope);
    // get_salary_calc_batch: this month and the previous one
    auto salary = rowsOf(
        db,
        u"SELECT assistant_id, salary_month, gross_salary_fen, base_income_fen, bonus_income_fen "
        "FROM bd_assistant_salary_calc WHERE tenant_id = ? AND site_id = ? AND salary_month IN (?, ?)"_s,
        scope + QVariantList{month.salaryMonth().toString(Qt::ISODate),
                             prev.salaryMonth().toString(Qt::ISODate)});
    // items_sum, hours and customers per coach, this month and the previous one
    const QString perCoach =
        u"SELECT site_assistant_id, SUM(ledger_amount_fen), SUM(income_seconds), "
        "COUNT(DISTINCT tenant_member_id) FROM bd_assistant_service_log WHERE tenant_id = ? "
        "AND site_id = ? AND is_delete = 0 AND biz_date BETWEEN ? AND ? GROUP BY site_assistant_id"_s;
    auto items = rowsOf(db, perCoach, scope + QVariantList{from, to});
    auto previous =
        rowsOf(db, perCoach,
               scope + QVariantList{prev.from().toString(Qt::ISODate), prev.to().toString(Qt::ISODate)});
    // get_monthly_customer_count: distinct customers over all coaches
    auto customers =
        rowsOf(db,
               u"SELECT COUNT(DISTINCT tenant_member_id) FROM bd_assistant_service_log WHERE tenant_id = ? "
               "AND site_id = ? AND is_delete = 0 AND biz_date BETWEEN ? AND ?"_s,
               scope + QVariantList{from, to});
    for (const auto* r : {&coaches, &salary, &items, &previous, &customers})
        if (!*r)
            return r->problem();
    QHash<qint64, qint64> fen;
    QSet<qint64> ids;
    for (const QVariantList& r : coaches.value())
        ids.insert(r.at(0).toLongLong());
    qint64 sum = 0;
    for (const QVariantList& r : items.value()) {
        fen.insert(r.at(0).toLongLong(), r.at(1).toLongLong());
        ids.insert(r.at(0).toLongLong());
        sum += r.at(1).toLongLong();
    }
    QList<qint64> order(ids.cbegin(), ids.cend());
    std::sort(order.begin(), order.end(), [&](qint64 a, qint64 b) {
        const qint64 fa = fen.value(a), fb = fen.value(b);
        return fa != fb ? fa > fb : a < b;
    });
    // get_top_customers_for_coaches and get_coach_sv_data for the page's coaches
    order = order.mid(0, 20);
    QStringList marks;
    QVariantList pageIds;
    for (qint64 id : order) {
        marks << u"?"_s;
        pageIds << id;
    }
    if (!order.isEmpty()) {
        auto top = rowsOf(
            db,
            u"SELECT r.site_assistant_id, r.tenant_member_id, r.rs_score, m.member_name FROM "
            "bd_member_assistant_relation_index r LEFT JOIN bd_dim_member m ON m.tenant_id = r.tenant_id "
            "AND m.tenant_member_id = r.tenant_member_id WHERE r.tenant_id = ? AND r.site_id = ? AND "
            "r.calc_date = (SELECT MAX(calc_date) FROM bd_member_assistant_relation_index WHERE "
            "tenant_id = ? AND site_id = ? AND calc_date <= ?) AND r.site_assistant_id IN (%1) "
            "ORDER BY r.site_assistant_id, r.rs_score DESC, r.tenant_member_id"_s.arg(marks.join(u',')),
            scope + scope + QVariantList{to} + pageIds);
        auto sv = rowsOf(
            db,
            u"SELECT site_assistant_id, recharge_amount_fen FROM bd_assistant_recharge_commission "
            "WHERE tenant_id = ? AND site_id = ? AND stat_month = ? AND site_assistant_id IN (%1)"_s.arg(
                marks.join(u',')),
            scope + QVariantList{month.salaryMonth().toString(Qt::ISODate)} + pageIds);
        if (!top)
            return top.problem();
        if (!sv)
            return sv.problem();
    }
    QStringList page;
    for (qint64 id : order)
        page << QString::number(id);
    return u"total %1, Σ %2, page [%3]"_s.arg(ids.size()).arg(sum).arg(page.join(u' '));
}

// A customer tab's comparable answer: its member count, the totals row's headline and 60-day spend (where the
// tab has them), and the page's ids in order.
QString customerAnswer(const BoardTable* t, const QString& headline) {
    if (!t)
        return u"(no table)"_s;
    auto sumOf = [&](const QString& column) {
        const BoardCell* c = t->totals() ? t->cell(*t->totals(), column) : nullptr;
        return c && c->value.number() ? QString::number(*c->value.number()) : u"—"_s;
    };
    QStringList ids;
    for (const BoardTableRow& r : t->rows())
        ids << r.id.toString();
    return u"total %1, Σ %2, Σ spend %3, page [%4]"_s.arg(t->total())
        .arg(sumOf(headline), sumOf(u"spend60d"_s), ids.join(u' '));
}

// The reference's get_customer_board_*() for one tab: one query over the detail rows giving each member's
// sort key and headline figure, the 60-day spend of get_consumption_60d() where the tab shows it, the ranking
// and the page in code, then the page's names, balances, last visits and related coaches (DQ-6, DQ-7,
// get_last_visit_days, get_customer_assistants), each one query.
Result<QString> customerBaseline(QSqlDatabase db, const QString& site, const QDate& asOf,
                                 const QString& dimension) {
    const QString tenant = u"acme"_s;
    const QString day = asOf.toString(Qt::ISODate);
    const QString wfrom = asOf.addDays(-59).toString(Qt::ISODate);
    const QString pfrom = asOf.addDays(-29).toString(Qt::ISODate); // the default period: the last 30 days
    auto snapshot = [&](const QString& table) {
        return u"calc_date = (SELECT MAX(calc_date) FROM %1 WHERE tenant_id = '%2' AND site_id = '%3'"
               " AND calc_date <= '%4')"_s.arg(table, tenant, site, day);
    };
    // Columns: member, sort key, headline figure (summed over the set).
    QString sql;
    bool withSpend = false;
    if (dimension == u"recall") {
        sql = u"SELECT tenant_member_id, CAST(ROUND(wbi * 100) AS INTEGER), CAST(ROUND(wbi * 100) AS INTEGER)"
              " FROM bd_member_winback_index WHERE tenant_id = ? AND site_id = ? AND "_s +
              snapshot(u"bd_member_winback_index"_s);
    } else if (dimension == u"potential") {
        sql = u"SELECT tenant_member_id, CAST(ROUND(spi * 100) AS INTEGER), CAST(ROUND(spi * 100) AS INTEGER)"
              " FROM bd_member_spending_power_index WHERE tenant_id = ? AND site_id = ? AND "_s +
              snapshot(u"bd_member_spending_power_index"_s);
        withSpend = true;
    } else if (dimension == u"balance") {
        sql =
            u"SELECT tenant_member_id, SUM(CASE WHEN card_type = 'stored_value' THEN balance_fen END),"
            " SUM(CASE WHEN card_type = 'stored_value' THEN balance_fen END) FROM bd_dim_member_card_account"
            " WHERE tenant_id = ? AND site_id = ? GROUP BY tenant_member_id"_s;
    } else if (dimension == u"recharge") {
        sql = u"SELECT tenant_member_id, SUM(pay_amount_fen), SUM(pay_amount_fen) FROM bd_recharge_order"
              " WHERE tenant_id = ? AND site_id = ? AND is_delete = 0 AND refund_amount_fen = 0"
              " AND biz_date BETWEEN '%1' AND '%2' GROUP BY tenant_member_id"_s.arg(pfrom, day);
    } else if (dimension == u"recent") {
        sql =
            u"SELECT tenant_member_id, MAX(first_in_time), SUM(CASE WHEN biz_date >= '%1' THEN 1 ELSE 0 END)"
            " FROM bd_member_visit_detail WHERE tenant_id = ? AND site_id = ? AND biz_date <= '%2'"
            " GROUP BY tenant_member_id"_s.arg(pfrom, day);
    } else if (dimension == u"spend60") {
        sql = u"SELECT tenant_member_id, SUM(ledger_amount_fen), SUM(ledger_amount_fen)"
              " FROM bd_assistant_service_log WHERE tenant_id = ? AND site_id = ? AND is_delete = 0"
              " AND biz_date BETWEEN '%1' AND '%2' GROUP BY tenant_member_id"_s.arg(wfrom, day);
        // The previous window's total, for the tab's period-over-period.
        auto previous =
            rowsOf(db,
                   u"SELECT SUM(ledger_amount_fen) FROM bd_assistant_service_log WHERE tenant_id = ?"
                   " AND site_id = ? AND is_delete = 0 AND biz_date BETWEEN ? AND ?"_s,
                   {tenant, site, asOf.addDays(-119).toString(Qt::ISODate),
                    asOf.addDays(-60).toString(Qt::ISODate)});
        if (!previous)
            return previous.problem();
    } else if (dimension == u"freq60") {
        sql = u"SELECT tenant_member_id, visits_60d, visits_60d FROM bd_member_consumption_summary"
              " WHERE tenant_id = ? AND site_id = ? AND "_s +
              snapshot(u"bd_member_consumption_summary"_s);
        withSpend = true;
    } else if (dimension == u"loyalty") {
        // Every relation row of the snapshot; the member's highest RS is taken in code.
        sql = u"SELECT tenant_member_id, CAST(ROUND(rs_score * 100) AS INTEGER), site_assistant_id"
              " FROM bd_member_assistant_relation_index WHERE tenant_id = ? AND site_id = ? AND "_s +
              snapshot(u"bd_member_assistant_relation_index"_s);
    } else {
        return Problem{u"dimension"_s, u"no baseline for "_s + dimension, {}};
    }
    auto rows = rowsOf(db, sql, {tenant, site});
    if (!rows)
        return rows.problem();
    QHash<qint64, qint64> spend;
    if (withSpend) {
        auto s =
            rowsOf(db,
                   u"SELECT tenant_member_id, SUM(ledger_amount_fen) FROM bd_assistant_service_log WHERE "
                   "tenant_id = ? AND site_id = ? AND is_delete = 0 AND biz_date BETWEEN ? AND ? "
                   "GROUP BY tenant_member_id"_s,
                   {tenant, site, wfrom, day});
        if (!s)
            return s.problem();
        for (const QVariantList& r : s.value())
            spend.insert(r.at(0).toLongLong(), r.at(1).toLongLong());
    }
    struct Member {
        qint64 id;
        std::optional<qint64> key;
        std::optional<qint64> headline;
    };
    QList<Member> members;
    if (dimension == u"loyalty") {
        QHash<qint64, qint64> best;
        for (const QVariantList& r : rows.value()) {
            const qint64 m = r.at(0).toLongLong(), rs = r.at(1).toLongLong();
            if (!best.contains(m) || best.value(m) < rs)
                best.insert(m, rs);
        }
        for (auto it = best.cbegin(); it != best.cend(); ++it)
            members.append({it.key(), it.value(), it.value()});
    } else {
        for (const QVariantList& r : rows.value())
            members.append({r.at(0).toLongLong(),
                            r.at(1).isNull() ? std::nullopt : std::optional<qint64>(r.at(1).toLongLong()),
                            r.at(2).isNull() ? std::nullopt : std::optional<qint64>(r.at(2).toLongLong())});
    }
    std::optional<qint64> headline, spendSum;
    for (const Member& m : members) {
        if (m.headline)
            headline = headline.value_or(0) + *m.headline;
        if (withSpend)
            spendSum = spendSum.value_or(0) + spend.value(m.id, 0);
    }
    if (!headline && (dimension == u"recharge" || dimension == u"recent" || dimension == u"spend60"))
        headline = 0; // sums of events: zero when there are none
    if (dimension == u"spend60")
        spendSum = headline;
    std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
        if (a.key.has_value() != b.key.has_value())
            return a.key.has_value(); // nulls last
        if (a.key && *a.key != *b.key)
            return *a.key > *b.key;
        return a.id < b.id;
    });
    const QList<Member> page = members.mid(0, 20);
    QStringList marks, ids;
    QVariantList binds;
    for (const Member& m : page) {
        marks << u"?"_s;
        binds << m.id;
        ids << QString::number(m.id);
    }
    if (!page.isEmpty()) {
        const QString in = marks.join(u',');
        for (const QString& q :
             {u"SELECT tenant_member_id, member_name, mobile FROM bd_dim_member WHERE tenant_id = ? AND "
              "tenant_member_id IN (%1)"_s,
              u"SELECT tenant_member_id, SUM(balance_fen) FROM bd_dim_member_card_account WHERE tenant_id = "
              u"? AND card_type = 'stored_value' AND tenant_member_id IN (%1) GROUP BY tenant_member_id"_s,
              u"SELECT tenant_member_id, MAX(biz_date) FROM bd_assistant_service_log WHERE tenant_id = ? AND "
              "is_delete = 0 AND tenant_member_id IN (%1) GROUP BY tenant_member_id"_s,
              u"SELECT tenant_member_id, site_assistant_id, rs_score FROM bd_member_assistant_relation_index "
              u"WHERE tenant_id = ? AND tenant_member_id IN (%1)"_s}) {
            auto r = rowsOf(db, q.arg(in), QVariantList{tenant} + binds);
            if (!r)
                return r.problem();
        }
    }
    auto text = [](const std::optional<qint64>& v) { return v ? QString::number(*v) : u"—"_s; };
    return u"total %1, Σ %2, Σ spend %3, page [%4]"_s.arg(members.size())
        .arg(text(headline), text(spendSum), ids.join(u' '));
}

// BOARD-3 the reference's way: one query per get_finance_* function over the daily rows and the service log.
Result<QString> financeBaseline(QSqlDatabase db, const QString& site, const BoardPeriod& period) {
    const QVariantList range{u"acme"_s, site, period.from().toString(Qt::ISODate),
                             period.to().toString(Qt::ISODate)};
    const QString where = u" WHERE tenant_id = ? AND site_id = ? AND biz_date BETWEEN ? AND ?"_s;
    auto accrued = rowsOf(
        db, u"SELECT SUM(gross_amount_fen - discount_amount_fen) FROM bd_finance_income_structure"_s + where,
        range);
    auto discounts = rowsOf(db,
                            u"SELECT discount_type, SUM(amount_fen) FROM bd_finance_discount_detail"_s +
                                where + u" GROUP BY discount_type"_s,
                            range);
    auto items = rowsOf(db,
                        u"SELECT SUM(ledger_amount_fen) FROM bd_assistant_service_log"_s + where +
                            u" AND is_delete = 0"_s,
                        range);
    auto inflow = rowsOf(db,
                         u"SELECT SUM(cash_wechat_fen + cash_alipay_fen + cash_cash_fen + cash_bank_fen + "
                         "cash_recharge_fen + cash_platform_gross_fen), SUM(tender_stored_value_fen), "
                         "SUM(tender_gift_fen), SUM(tender_voucher_fen) FROM bd_finance_daily_summary"_s +
                             where,
                         range);
    auto expenses =
        rowsOf(db,
               u"SELECT expense_group, expense_item, SUM(amount_fen) FROM bd_finance_expense_summary"_s +
                   where + u" GROUP BY expense_group, expense_item"_s,
               range);
    auto fees = rowsOf(db, u"SELECT SUM(fee_fen) FROM bd_platform_settlement"_s + where, range);
    auto prepaid =
        rowsOf(db,
               u"SELECT card_type, biz_date, opening_balance_fen, added_amount_fen, consumed_amount_fen, "
               "closing_balance_fen FROM bd_finance_recharge_summary"_s +
                   where,
               range);
    auto salary =
        rowsOf(db,
               u"SELECT salary_month, SUM(base_income_fen), SUM(bonus_income_fen), COUNT(*) FROM "
               "bd_assistant_salary_calc WHERE tenant_id = ? AND site_id = ? AND salary_month BETWEEN ? "
               "AND ? GROUP BY salary_month"_s,
               QVariantList{u"acme"_s, site,
                            QDate(period.from().year(), period.from().month(), 1).toString(Qt::ISODate),
                            period.to().toString(Qt::ISODate)});
    for (const auto* r : {&accrued, &discounts, &items, &inflow, &expenses, &fees, &prepaid, &salary})
        if (!*r)
            return r->problem();
    qint64 outflow = fees.value().first().at(0).toLongLong();
    for (const QVariantList& r : expenses.value())
        outflow += r.at(2).toLongLong();
    return u"K1 %1, K3 %2, K4 %3, K5 %4"_s.arg(accrued.value().first().at(0).toLongLong())
        .arg(items.value().first().at(0).toLongLong())
        .arg(inflow.value().first().at(0).toLongLong())
        .arg(outflow);
}

QString kpiAnswer(const BoardReport& r) {
    QStringList parts;
    for (const char* k : {"K1", "K3", "K4", "K5"}) {
        const BoardKpi* kpi = r.kpi(QString::fromLatin1(k));
        parts << QString::fromLatin1(k) + u' ' +
                     (kpi && kpi->value.number() ? QString::number(*kpi->value.number()) : u"—"_s);
    }
    return parts.join(u", "_s);
}

// A copy of the workspace without the board indexes (primary keys stay): what the reference's service reads.
Status copyWithoutBoardIndexes(QSqlDatabase db, const QString& path) {
    QSqlQuery q(db);
    if (!q.exec(u"VACUUM INTO '%1'"_s.arg(QString(path).replace(u'\'', u"''"_s))))
        return Problem{u"sql"_s, q.lastError().text(), {}};
    QSqlDatabase copy = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bench-baseline-prep"_s);
    copy.setDatabaseName(path);
    if (!copy.open())
        return Problem{u"sql"_s, copy.lastError().text(), {}};
    {
        QSqlQuery c(copy);
        QStringList names;
        if (!c.exec(u"SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND "
                    "(tbl_name LIKE 'bd\\_%' ESCAPE '\\' OR tbl_name = 'rule_outcomes')"_s))
            return Problem{u"sql"_s, c.lastError().text(), {}};
        while (c.next())
            names << c.value(0).toString();
        for (const QString& n : names)
            if (!c.exec(u"DROP INDEX \"%1\""_s.arg(n)))
                return Problem{u"sql"_s, c.lastError().text(), {}};
        c.exec(u"ANALYZE"_s);
    }
    copy.close();
    QSqlDatabase::removeDatabase(u"bench-baseline-prep"_s);
    return success();
}

// Whole-board exports (spec §2.8): the finance board as PDF and the customer board's eight dimensions as
// XLSX, each computed with every row and written to a file; targets under 2 s each. No baseline: nothing else
// writes these files.
Status benchExports(QTextStream& out, QSqlDatabase db, const BoardScope& scope, const BoardRequest& base,
                    const BoardPeriod& month, int repeat) {
    QTemporaryDir dir;
    struct ExportCase {
        QString label;
        BoardKind board;
        BoardRequest request;
        QString format;
    };
    BoardRequest finance = base;
    finance.period = month;
    const QList<ExportCase> cases{
        {u"export: BOARD-3 finance, %1, whole board as PDF"_s.arg(month.rangeText()), BoardKind::Finance,
         finance, u"pdf"_s},
        {u"export: BOARD-2 customer, all 8 dimensions, every row, as XLSX"_s, BoardKind::Customer, base,
         u"xlsx"_s}};
    for (const ExportCase& c : cases) {
        QList<double> computeMs, writeMs;
        QString detail;
        for (int run = 0; run <= repeat; ++run) {
            QElapsedTimer t;
            t.start();
            const QString file = dir.filePath(u"export."_s + c.format);
            if (c.format == u"xlsx"_s) {
                // As `board … --format xlsx` writes it: the rows go into the workbook as they are computed,
                // so computing and writing are one figure (reported as the compute, the write then 0).
                auto set = BoardXlsxExport::computeAndWrite(file, [&](BoardRowSink& sink) {
                    return BoardExportSet::compute(db, c.board, scope, c.request,
                                                   QDateTime::currentDateTimeUtc(), &sink);
                });
                if (!set)
                    return set.problem();
                if (run > 0) {
                    computeMs << double(t.nsecsElapsed()) / 1e6;
                    writeMs << 0;
                }
                detail = u"%1 rows, %2 KB"_s.arg(set.value().rowCount()).arg(QFileInfo(file).size() / 1024);
                continue;
            }
            // As `board … --format pdf` prints it: each section's first rows.
            auto set = BoardExportSet::compute(db, c.board, scope, c.request, QDateTime::currentDateTimeUtc(),
                                               nullptr, BoardPdfExport::kRowsPerSection);
            if (!set)
                return set.problem();
            const double computed = double(t.nsecsElapsed()) / 1e6;
            t.restart();
            auto pages = BoardPdfExport::write(file, set.value());
            if (!pages)
                return pages.problem();
            detail = u"%1 pages"_s.arg(pages.value());
            const double written = double(t.nsecsElapsed()) / 1e6;
            if (run > 0) { // the first run warms up
                computeMs << computed;
                writeMs << written;
            }
            detail += u", %1 KB"_s.arg(QFileInfo(file).size() / 1024);
        }
        out << u"| %1 (%2) | %3 ms (compute %4 + write %5) | — | — | target < 2000 ms |"_s
                   .arg(c.label, detail)
                   .arg(BenchmarkStats::median(computeMs) + BenchmarkStats::median(writeMs), 0, 'f', 1)
                   .arg(BenchmarkStats::median(computeMs), 0, 'f', 1)
                   .arg(BenchmarkStats::median(writeMs), 0, 'f', 1)
            << Qt::endl;
    }
    return success();
}

// BOARD-4 on a workspace of many exceptions: reading only what the span needs (exception_progress) against
// replaying every exception and the whole log, the way the board did before; both answers (the whole report
// as JSON) must be the same.
int benchRiskOps(AppSettings& settings, const QString& riskopsPath, int repeat) {
    QTextStream& out = Console::out();
    Workspace ops(settings);
    if (Status s = ops.openExisting(riskopsPath, u"bench-boards-riskops"_s); !s)
        return Console::fail(s.problem().message);
    auto opsScope = BoardScope::open(ops.db(), u"acme"_s);
    if (!opsScope)
        return Console::fail(opsScope.problem().message);
    QSqlQuery n(ops.db());
    if (!n.exec(u"SELECT COUNT(*), MAX(apply_time) FROM exceptions WHERE tenant_id = 'acme'"_s) || !n.next())
        return Console::fail(n.lastError().text());
    const qint64 exceptions = n.value(0).toLongLong();
    BoardRequest r;
    r.tenant = u"acme"_s;
    r.nowMs = n.value(1).toLongLong();
    n.finish();
    r.today = QDateTime::fromMSecsSinceEpoch(r.nowMs, QTimeZone::utc()).date();
    QSqlDatabase odb = ops.db();
    const BoardScope& os = opsScope.value();
    bool allSame = true;
    for (const PeriodPreset preset : {PeriodPreset::Last7Days, PeriodPreset::Last30Days}) {
        r.period = BoardPeriod::preset(preset, r.today);
        auto run = [&](RiskOpsBoard::Replay replay) {
            return [&, replay]() -> Result<QString> {
                auto rep = RiskOpsBoard::compute(odb, os, r, replay);
                if (!rep)
                    return rep.problem();
                return QString::fromUtf8(QJsonDocument(rep.value().toJson()).toJson(QJsonDocument::Compact));
            };
        };
        auto span = timed(run(RiskOpsBoard::Replay::Span), repeat);
        if (!span)
            return Console::fail(span.problem().message);
        auto all = timed(run(RiskOpsBoard::Replay::Everything), repeat);
        if (!all)
            return Console::fail(all.problem().message);
        const bool same = span.value().answer == all.value().answer;
        allSame = allSame && same;
        out << u"| BOARD-4 risk operations, %1 (%2), %3 exceptions | %4 ms | %5 ms | %6× | %7 |"_s
                   .arg(preset == PeriodPreset::Last7Days ? u"last 7 days"_s : u"last 30 days"_s,
                        r.period->rangeText())
                   .arg(exceptions)
                   .arg(span.value().wallMs, 0, 'f', 1)
                   .arg(all.value().wallMs, 0, 'f', 1)
                   .arg(all.value().wallMs / span.value().wallMs, 0, 'f', 1)
                   .arg(same ? u"same"_s : u"DIFFERENT"_s)
            << Qt::endl;
    }
    return allSame ? 0 : 1;
}

int benchSections(AppSettings& settings, const QString& path, int repeat, bool exportsOnly,
                  const QStringList& only) {
    QTextStream& out = Console::out();
    Workspace ws(settings);
    if (Status s = ws.openExisting(path, u"bench-boards"_s); !s)
        return Console::fail(s.problem().message);
    auto scope = BoardScope::open(ws.db(), u"acme"_s);
    if (!scope)
        return Console::fail(scope.problem().message);
    const QString site = u"S1"_s;
    auto watermark = scope.value().watermarkOf(site);
    if (!watermark || !watermark.value().isValid())
        return Console::fail(
            u"The workspace has no board data for acme S1: make it with riskdesk demo --board-scale N."_s);
    const QDate today = watermark.value();
    QSqlQuery count(ws.db());
    count.exec(u"SELECT COUNT(*) FROM bd_assistant_service_log"_s);
    count.next();
    const qint64 logs = count.value(0).toLongLong();
    count.finish(); // VACUUM INTO refuses to run beside an open statement
    if (exportsOnly) {
        BoardRequest r;
        r.tenant = u"acme"_s;
        r.site = site;
        r.today = today;
        r.asOfDay = today;
        r.locale = QLocale(QLocale::English);
        const QDate last = QDate(today.year(), today.month(), 1).addMonths(-1);
        out << u"Board exports: %1 service-log rows, site S1, data through %2; median of %3 runs after a warm-up."_s
                   .arg(logs)
                   .arg(today.toString(Qt::ISODate))
                   .arg(repeat)
            << Qt::endl
            << "| export | Riskdesk | baseline | ratio | answers |" << Qt::endl
            << "|---|---|---|---|---|" << Qt::endl;
        if (Status s = benchExports(out, ws.db(), scope.value(), r,
                                    BoardPeriod::month(last.year(), last.month(), today).value(), repeat);
            !s)
            return Console::fail(s.problem().message);
        return 0;
    }

    QTemporaryDir dir;
    const QString baselinePath = dir.filePath(u"baseline.riskdesk"_s);
    if (Status s = copyWithoutBoardIndexes(ws.db(), baselinePath); !s)
        return Console::fail(s.problem().message);
    QSqlDatabase base = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bench-baseline"_s);
    base.setDatabaseName(baselinePath);
    base.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
    if (!base.open())
        return Console::fail(base.lastError().text());
    if (Status s = NameCollation::install(base); !s) // the baseline may sort coaches by name too
        return Console::fail(s.problem().message);

    // A whole month (the last complete one before the data's last day) and a year ending on it.
    const QDate lastMonth = QDate(today.year(), today.month(), 1).addMonths(-1);
    const BoardPeriod month = BoardPeriod::month(lastMonth.year(), lastMonth.month(), today).value();
    const BoardPeriod year = BoardPeriod::custom(today.addDays(-364), today).value();
    BoardRequest base_request;
    base_request.tenant = u"acme"_s;
    base_request.site = site;
    base_request.today = today;
    base_request.asOfDay = today;
    base_request.locale = QLocale(QLocale::English);
    QSqlDatabase db = ws.db();
    const BoardScope& sc = scope.value();

    QList<Case> cases;
    {
        BoardRequest r = base_request;
        r.period = month;
        cases.append({u"BOARD-1 coach, month %1"_s.arg(month.rangeText()),
                      [=]() -> Result<QString> {
                          auto rep = CoachBoard::compute(db, sc, r);
                          if (!rep)
                              return rep.problem();
                          return tableAnswer(rep.value().table(u"coaches"_s), u"items_sum"_s);
                      },
                      [=]() { return coachBaseline(base, site, month); }});
        // The drill-down alone, as the window asks for it: the board is on screen already and names the
        // clicked coach (its first row here).
        auto shown = CoachBoard::compute(db, sc, r);
        if (!shown || shown.value().table(u"coaches"_s)->rows().isEmpty())
            return Console::fail(u"BOARD-1 has no coach for the drill-down."_s);
        BoardRequest d = r;
        d.drill = u"items_sum:"_s + shown.value().table(u"coaches"_s)->rows().first().id.toString();
        cases.append({u"BOARD-1 drill-down: a coach's service income (month, the drill alone)"_s,
                      [=]() -> Result<QString> {
                          auto rep = CoachBoard::compute(db, sc, d);
                          if (!rep)
                              return rep.problem();
                          return u"%1 rows"_s.arg(rep.value().tables().first().total());
                      },
                      {}});
    }
    for (const QString& dimension : {u"recall"_s, u"potential"_s, u"balance"_s, u"recharge"_s, u"recent"_s,
                                     u"spend60"_s, u"freq60"_s, u"loyalty"_s}) {
        BoardRequest r = base_request;
        r.dimension = dimension;
        // Each tab's headline column (its totals-row figure), compared with the baseline's.
        static const QHash<QString, QString> headlines{{u"recall"_s, u"wbi"_s},
                                                       {u"potential"_s, u"spi"_s},
                                                       {u"balance"_s, u"storedValueBalance"_s},
                                                       {u"recharge"_s, u"rechargeAmount"_s},
                                                       {u"recent"_s, u"visitsInPeriod"_s},
                                                       {u"spend60"_s, u"spend60d"_s},
                                                       {u"freq60"_s, u"visits60d"_s},
                                                       {u"loyalty"_s, u"rs"_s}};
        const QString headline = headlines.value(dimension);
        const std::function<Result<QString>()> baseline = [=]() {
            return customerBaseline(base, site, today, dimension);
        };
        cases.append({u"BOARD-2 customer, %1 (as of %2)"_s.arg(dimension, today.toString(Qt::ISODate)),
                      [=]() -> Result<QString> {
                          auto rep = CustomerBoard::compute(db, sc, r);
                          if (!rep)
                              return rep.problem();
                          return customerAnswer(
                              rep.value().tables().isEmpty() ? nullptr : &rep.value().tables().first(),
                              headline);
                      },
                      baseline});
    }
    for (const BoardPeriod& p : {month, year}) {
        BoardRequest r = base_request;
        r.period = p;
        cases.append({u"BOARD-3 finance, %1 (all sections)"_s.arg(p.rangeText()),
                      [=]() -> Result<QString> {
                          auto rep = FinanceBoard::compute(db, sc, r);
                          if (!rep)
                              return rep.problem();
                          return kpiAnswer(rep.value());
                      },
                      [=]() { return financeBaseline(base, site, p); }});
    }
    {
        BoardRequest r = base_request;
        r.period = month;
        r.drill = u"kpi:K3"_s;
        cases.append({u"BOARD-3 drill-down: K3's service-log rows (month)"_s,
                      [=]() -> Result<QString> {
                          auto rep = FinanceBoard::compute(db, sc, r);
                          if (!rep)
                              return rep.problem();
                          return u"%1 rows"_s.arg(rep.value().tables().first().total());
                      },
                      {}});
    }

    out << u"Board benchmark: %1 service-log rows in the workspace, site S1, data through %2; one core; "
           u"median "
           "of %3 runs after a warm-up. Baseline: the reference's way (one query per service function "
           "straight "
           "over the detail rows) on a copy without the board indexes; both answers compared."_s.arg(logs)
               .arg(today.toString(Qt::ISODate))
               .arg(repeat)
        << Qt::endl
        << "| section | Riskdesk | baseline | ratio | answers |" << Qt::endl
        << "|---|---|---|---|---|" << Qt::endl;
    bool allSame = true;
    for (const Case& c : std::as_const(cases)) {
        if (!only.isEmpty() && std::none_of(only.cbegin(), only.cend(), [&](const QString& prefix) {
                return c.label.startsWith(prefix);
            }))
            continue;
        auto b = timed(c.board, repeat);
        if (!b)
            return Console::fail(c.label + u": "_s + b.problem().message);
        QString baseline = u"—"_s, ratio = u"—"_s, same = u"(no baseline)"_s;
        if (c.baseline) {
            auto r = timed(c.baseline, repeat);
            if (!r)
                return Console::fail(c.label + u" (baseline): "_s + r.problem().message);
            baseline =
                u"%1 ms (CPU %2 ms)"_s.arg(r.value().wallMs, 0, 'f', 1).arg(r.value().cpuMs, 0, 'f', 1);
            ratio = u"%1× (CPU %2×)"_s.arg(r.value().wallMs / std::max(0.001, b.value().wallMs), 0, 'f', 1)
                        .arg(r.value().cpuMs / std::max(0.001, b.value().cpuMs), 0, 'f', 1);
            const bool equal = r.value().answer == b.value().answer;
            allSame = allSame && equal;
            same = equal ? u"same"_s : u"DIFFERENT: %1 ≠ %2"_s.arg(b.value().answer, r.value().answer);
        }
        out << u"| %1 | %2 ms (CPU %3 ms) | %4 | %5 | %6 |"_s.arg(c.label)
                   .arg(b.value().wallMs, 0, 'f', 1)
                   .arg(b.value().cpuMs, 0, 'f', 1)
                   .arg(baseline, ratio, same)
            << Qt::endl;
    }
    if (only.isEmpty())
        if (Status s = benchExports(out, db, sc, base_request, month, repeat); !s)
            return Console::fail(s.problem().message);
    base.close();
    return allSame ? 0 : 1;
}

// A chart of each kind at the size the boards draw it (a month of days, a page of coaches, a week of hours).
QList<BoardChart> benchCharts() {
    using Kind = BoardChart::Kind;
    QList<BoardChart> out;
    std::mt19937_64 random(12);
    auto money = [&] { return qint64(random() % 5'000'000); };
    QStringList days;
    for (int d = 0; d < 31; ++d)
        days << QDate(2026, 5, 1).addDays(d).toString(Qt::ISODate);
    auto series = [&](const QString& name, qsizetype n) {
        BoardChart::Series s{name, {}};
        for (qsizetype i = 0; i < n; ++i)
            s.values << money();
        return s;
    };
    BoardChart line{Kind::Line,
                    u"line"_s,
                    u"Accrued revenue"_s,
                    days,
                    {series(u"This period"_s, 31)},
                    series(u"Previous period"_s, 31),
                    ValueUnit::Fen};
    out << line;
    QStringList coaches;
    for (int c = 0; c < 20; ++c)
        coaches << u"Coach %1"_s.arg(c + 1);
    out << BoardChart{
        Kind::Bar,    u"bar"_s,      u"Service income per coach"_s, coaches, {series(u"Income"_s, 20)},
        std::nullopt, ValueUnit::Fen};
    out << BoardChart{Kind::StackedBar,
                      u"stacked_bar"_s,
                      u"Decisions per day"_s,
                      days,
                      {series(u"Approved"_s, 31), series(u"Rejected"_s, 31), series(u"Auto-rejected"_s, 31)},
                      std::nullopt,
                      ValueUnit::Fen};
    out << BoardChart{Kind::Donut,
                      u"donut"_s,
                      u"Accrued revenue structure"_s,
                      {u"Tables"_s, u"Coaches"_s, u"Goods"_s, u"Food"_s, u"Events"_s, u"Other"_s},
                      {series(u"Accrued"_s, 6)},
                      std::nullopt,
                      ValueUnit::Fen};
    BoardChart heat{Kind::HeatMap, u"heat_map"_s,   u"Visits by weekday and hour"_s, {}, {},
                    std::nullopt,  ValueUnit::Count};
    for (int h = 0; h < 24; ++h)
        heat.categories << u"%1"_s.arg(h, 2, 10, QLatin1Char('0'));
    for (int d = 1; d <= 7; ++d)
        heat.series << series(QLocale(QLocale::English).dayName(d, QLocale::ShortFormat), 24);
    out << heat;
    out << BoardChart{Kind::Sparkline,       u"sparkline"_s, u"K1"_s,       days,
                      {series(u"K1"_s, 31)}, std::nullopt,   ValueUnit::Fen};
    return out;
}

// Painting one chart into an image (what the window, PNG and every PDF page do), median of `paints`.
void benchChartPainting(int paints) {
    QTextStream& out = Console::out();
    out << u"Chart painting: median of %1 paints of each kind into a QImage (Chinese labels, light palette); "
           "target under 2 ms."_s.arg(paints)
        << Qt::endl
        << "| chart | size | median | max |" << Qt::endl
        << "|---|---|---|---|" << Qt::endl;
    const QLocale zh(QLocale::Chinese, QLocale::China);
    for (const BoardChart& chart : benchCharts()) {
        const QSize size = chart.kind == BoardChart::Kind::Sparkline ? QSize(120, 28) : QSize(640, 320);
        const BoardChartPainter painter(chart, zh,
                                        BoardChartPainter::Style::light(TrendColors::Scheme::RedUp));
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        QList<double> ms;
        for (int i = 0; i <= paints; ++i) {
            QElapsedTimer t;
            t.start();
            QPainter p(&image);
            painter.paint(p, QRectF(QPointF(0, 0), QSizeF(size)));
            p.end();
            if (i > 0) // the first paint loads the fonts
                ms << double(t.nsecsElapsed()) / 1e6;
        }
        out << u"| %1 | %2×%3 | %4 ms | %5 ms |"_s.arg(BoardChart::kindKey(chart.kind))
                   .arg(size.width())
                   .arg(size.height())
                   .arg(BenchmarkStats::median(ms), 0, 'f', 3)
                   .arg(*std::max_element(ms.cbegin(), ms.cend()), 0, 'f', 3)
            << Qt::endl;
    }
}

} // namespace

int BoardBenchmark::run(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(u"boards"_s, {});
    parser.addOption({u"load-rows"_s, u"Service-log rows to load from CSV (default 1000000; 0 skips)."_s,
                      u"N"_s, u"1000000"_s});
    parser.addOption({u"repeat"_s,
                      u"Runs of each measurement after a warm-up; the median is reported (default 3)."_s,
                      u"N"_s, u"3"_s});
    parser.addOption({u"workspace"_s,
                      u"A workspace with board data (riskdesk demo --board-scale N): measures every "
                      "board section against its baseline."_s,
                      u"PATH"_s});
    parser.addOption(
        {u"riskops-workspace"_s,
         u"A workspace with many exceptions for BOARD-4 (riskdesk demo --exceptions N): reading the span "
         "against replaying everything (default: none)."_s,
         u"PATH"_s});
    parser.addOption({u"exports-only"_s, u"With --workspace: only the whole-board exports (PDF, XLSX)."_s});
    parser.addOption(
        {u"only"_s,
         u"With --workspace: only the sections whose label starts with one of these comma-separated "
         "prefixes (BOARD-1,BOARD-3), and no exports."_s,
         u"PREFIXES"_s});
    parser.addOption({u"chart-paints"_s, u"Paints of each chart kind to time (default 500; 0 skips)."_s,
                      u"N"_s, u"500"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const int chartPaints = parser.value(u"chart-paints"_s).toInt();
    if (chartPaints > 0)
        benchChartPainting(chartPaints);
    const qint64 loadRows = parser.value(u"load-rows"_s).toLongLong();
    const int repeat = parser.value(u"repeat"_s).toInt();
    if (loadRows < 0 || repeat < 1)
        return Console::fail(u"--load-rows must be 0 or more and --repeat 1 or more."_s, 2);
    if (parser.isSet(u"workspace"_s))
        if (int rc =
                benchSections(settings, parser.value(u"workspace"_s), repeat, parser.isSet(u"exports-only"_s),
                              parser.value(u"only"_s).split(u',', Qt::SkipEmptyParts));
            rc != 0)
            return rc;
    if (parser.isSet(u"riskops-workspace"_s))
        if (int rc = benchRiskOps(settings, parser.value(u"riskops-workspace"_s), repeat); rc != 0)
            return rc;
    if (loadRows > 0)
        if (int rc = benchLoading(settings, loadRows, repeat); rc != 0)
            return rc;
    return 0;
}

} // namespace riskdesk
