#include "BoardBenchmark.h"

#include "CommandParser.h"
#include "Console.h"
#include "store/BoardWorkspaceLoad.h"
#include "store/NativeStatement.h"
#include "store/Workspace.h"
#include "store/WriteTransaction.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimeZone>

#include <algorithm>
#include <random>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

double median(QList<double> values) {
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

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
    const qint64 may1 = QDateTime(QDate(2026, 5, 1), QTime(6, 0), QTimeZone("Asia/Shanghai")).toMSecsSinceEpoch();
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
    f.write("site_id,assistant_service_id,site_assistant_id,tenant_member_id,is_delete,create_time,start_use_time,"
            "last_use_time,income_seconds,real_use_seconds,ledger_amount,skill_name,site_table_id,etl_loaded_at\n");
    QByteArray line;
    for (const ServiceRow& r : rows) {
        line = "S1," + QByteArray::number(r.id) + ',' + QByteArray::number(r.coach) + ',' +
               QByteArray::number(r.member) + ',' + QByteArray::number(r.isDelete) + ',' +
               QDateTime::fromMSecsSinceEpoch(r.createMs, QTimeZone::utc()).toString(Qt::ISODateWithMs).toLatin1() +
               ",,," + QByteArray::number(r.seconds) + ',' + QByteArray::number(r.seconds) + ',' +
               QByteArray::number(r.fen / 100) + '.' + QByteArray::number(r.fen % 100).rightJustified(2, '0') +
               ",snk,1,\n";
        f.write(line);
    }
    return f.error() == QFile::NoError ? success() : Status(Problem{u"io"_s, f.errorString(), {}});
}

// A fresh workspace with the tenant and site the rows belong to.
std::unique_ptr<Workspace> freshWorkspace(const QString& path) {
    auto ws = std::make_unique<Workspace>();
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

int benchLoading(qint64 n, int repeat) {
    QTextStream& out = Console::out();
    QTemporaryDir dir;
    const std::vector<ServiceRow> rows = makeRows(n);
    if (Status s = writeCsv(dir.path(), rows); !s)
        return Console::fail(s.problem().message);
    QList<double> loader, plain;
    QString loaderAnswer, plainAnswer;
    for (int run = 0; run < repeat + 1; ++run) { // the first run warms up and is not counted
        {
            auto ws = freshWorkspace(dir.filePath(u"loader-%1.riskdesk"_s.arg(run)));
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
            auto ws = freshWorkspace(dir.filePath(u"plain-%1.riskdesk"_s.arg(run)));
            if (!ws)
                return Console::fail(u"Could not make a workspace."_s);
            QElapsedTimer t;
            t.start();
            WriteTransaction transaction(ws->db());
            if (!transaction.begun())
                return Console::fail(transaction.begun().problem().message);
            NativeStatement insert(ws->db(),
                                   "INSERT INTO bd_assistant_service_log (tenant_id, site_id, assistant_service_id,"
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
    const double l = median(loader), p = median(plain);
    out << u"| loading %1 service-log rows | `board load` from CSV (read, check, business days, write) | plain "
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
        << u"Both sides: %1%2"_s.arg(loaderAnswer, same ? QString() : u" ≠ plain: "_s + plainAnswer) << Qt::endl;
    return same ? 0 : 1;
}

} // namespace

int BoardBenchmark::run(const QStringList& arguments) {
    CommandParser parser(u"bench boards"_s, {});
    parser.addOption({u"load-rows"_s, u"Service-log rows to load from CSV (default 1000000; 0 skips)."_s, u"N"_s,
                      u"1000000"_s});
    parser.addOption({u"repeat"_s, u"Runs of each measurement after a warm-up; the median is reported (default 3)."_s,
                      u"N"_s, u"3"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const qint64 loadRows = parser.value(u"load-rows"_s).toLongLong();
    const int repeat = parser.value(u"repeat"_s).toInt();
    if (loadRows < 0 || repeat < 1)
        return Console::fail(u"--load-rows must be 0 or more and --repeat 1 or more."_s, 2);
    if (loadRows > 0)
        if (int rc = benchLoading(loadRows, repeat); rc != 0)
            return rc;
    return 0;
}

} // namespace riskdesk
