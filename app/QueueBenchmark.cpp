#include "QueueBenchmark.h"

#include "BenchmarkStats.h"
#include "CommandParser.h"
#include "Console.h"
#include "demo/DemoWorkspaceBuilder.h"
#include "item/ExceptionQueueModel.h"
#include "settings/AppSettings.h"
#include "store/DatabaseThread.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlQueryModel>
#include <QTextStream>
#include <QTimeZone>
#include <algorithm>
#include <array>
#include <functional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr int kPage = ExceptionQueueModel::kPageSize; // rows every side shows first

// One operation on one side: its times, or the failure reported instead of a time, and the first page it
// showed (rowids in order) for the cross-check.
struct Measured {
    QList<double> ms;
    QString failure;
    QList<qint64> rowids;
    bool complete = true; // the page holds every matching row
};

// Time from calling start() until the model reports its first page, with the event loop running as in the
// app.
void timeFirstPage(ExceptionQueueModel& model, const std::function<void()>& start, Measured& into) {
    QEventLoop loop;
    QElapsedTimer timer;
    bool done = false; // the page may arrive before start() returns, when the database is quick enough
    bool more = false;
    QString failure;
    auto c1 = QObject::connect(&model, &ExceptionQueueModel::pageLoaded, &loop, [&](int, bool hasMore) {
        done = true;
        more = hasMore;
        loop.quit();
    });
    auto c2 = QObject::connect(&model, &ExceptionQueueModel::loadFailed, &loop, [&](const QString& message) {
        Console::err() << QueueBenchmark::tr("riskdesk: a page did not load: %1").arg(message) << Qt::endl;
        failure = message;
        done = true;
        loop.quit();
    });
    timer.start();
    start();
    if (!done)
        loop.exec();
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    QObject::disconnect(c1);
    QObject::disconnect(c2);
    if (!failure.isEmpty()) {
        into.failure = failure;
        return;
    }
    into.ms << ms;
    into.rowids.clear();
    for (int r = 0; r < std::min(model.rowCount(), kPage); ++r)
        into.rowids << model.rowAt(r)->rowid;
    into.complete = !more && model.rowCount() <= kPage;
}

// The proxy baseline's operations: sort or filter, then the first row read as a view would.
void timeProxy(QSortFilterProxyModel& proxy, int rowidColumn, const std::function<void()>& work,
               Measured& into) {
    QElapsedTimer timer;
    timer.start();
    work();
    (void)proxy.index(0, 0).data();
    into.ms << double(timer.nsecsElapsed()) / 1e6;
    into.rowids.clear();
    for (int r = 0; r < std::min(proxy.rowCount(), kPage); ++r)
        into.rowids << proxy.index(r, rowidColumn).data().toLongLong();
    into.complete = proxy.rowCount() <= kPage;
}

const QString kSearchedFields =
    u"(record_id || ' ' || target_id || ' ' || applicant_id || ' ' || reason_category || ' ' || justification)"_s;

QString likePattern(const QString& text) {
    QString escaped = text.trimmed();
    escaped.replace(u"\\"_s, u"\\\\"_s).replace(u"%"_s, u"\\%"_s).replace(u"_"_s, u"\\_"_s);
    return u'%' + escaped + u'%';
}

// The SQL baseline: what a good Qt developer writes without a custom model. QSqlQueryModel over one query
// with the filter (LIKE over the fields the queue searches), the order and LIMIT in SQL, on the workspace's
// own indexes, fetched lazily: the time runs until the first page is in the model.
void timeSqlPage(const QSqlDatabase& db, const QString& where, const QString& orderBy,
                 const QVariantList& values, Measured& into) {
    QSqlQueryModel model;
    QElapsedTimer timer;
    timer.start();
    QSqlQuery q(db);
    const bool ok = q.prepare(
        u"SELECT rowid, record_id, status, risk_rule_id, target_type || ' ' || target_id, applicant_id, "
        "apply_time, valid_end_time, current_approver_id FROM exceptions WHERE tenant_id = ?"_s +
        where + u" ORDER BY "_s + orderBy + u" LIMIT %1"_s.arg(kPage + 1));
    for (const QVariant& v : values)
        q.addBindValue(v);
    if (!ok || !q.exec()) {
        into.failure = q.lastError().text();
        return;
    }
    model.setQuery(std::move(q));
    while (model.rowCount() < kPage && model.canFetchMore())
        model.fetchMore();
    (void)model.index(0, 0).data();
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    if (model.lastError().isValid()) {
        into.failure = model.lastError().text();
        return;
    }
    into.ms << ms;
    into.rowids.clear();
    for (int r = 0; r < std::min(model.rowCount(), kPage); ++r)
        into.rowids << model.index(r, 0).data().toLongLong();
    into.complete = model.rowCount() <= kPage;
}

// Two first pages agree when their sort keys run alike and each key holds the same rows. Rows tying on the
// last key shown may differ when the page is cut there, and so may the order within a tie (the proxy's sort
// is stable over the source order, the SQL sides break ties by rowid).
QString pagesDiffer(const Measured& a, const Measured& b, const QHash<qint64, QString>& keyOf) {
    const qsizetype n = std::min(a.rowids.size(), b.rowids.size());
    if (a.rowids.size() != b.rowids.size() && ((a.rowids.size() < b.rowids.size() && a.complete) ||
                                               (b.rowids.size() < a.rowids.size() && b.complete)))
        return u"%1 rows against %2"_s.arg(a.rowids.size()).arg(b.rowids.size());
    QMap<QString, QList<qint64>> rowsA, rowsB;
    for (qsizetype i = 0; i < n; ++i) {
        const QString ka = keyOf.value(a.rowids.at(i)), kb = keyOf.value(b.rowids.at(i));
        if (ka != kb)
            return u"row %1 has sort key %2 against %3"_s.arg(i + 1).arg(ka, kb);
        rowsA[ka] << a.rowids.at(i);
        rowsB[kb] << b.rowids.at(i);
    }
    const bool whole = a.complete && b.complete;
    for (auto it = rowsA.begin(); it != rowsA.end(); ++it) {
        if (!whole && n > 0 && it.key() == keyOf.value(a.rowids.at(n - 1)))
            continue;
        QList<qint64> x = it.value(), y = rowsB.value(it.key());
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        if (x != y)
            return u"different rows for sort key %1"_s.arg(it.key());
    }
    return {};
}

} // namespace

int QueueBenchmark::run(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(u"queue"_s,
                         tr("Measures the review queue against QSqlQueryModel + QSortFilterProxyModel."));
    parser.addOption({u"workspace"_s, tr("The workspace file."), u"PATH"_s});
    parser.addOption({u"exceptions"_s,
                      tr("Size of the workspace made when it does not exist (default 1000000)."), u"N"_s,
                      u"1000000"_s});
    parser.addOption(
        {u"repeat"_s, tr("Runs of each measurement; the median is reported (default 5)."), u"N"_s, u"5"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    const QString path = parser.value(u"workspace"_s);
    if (path.isEmpty())
        return Console::fail(tr("--workspace PATH is required."), 2);
    bool countOk = false, repeatOk = false;
    const qint64 count = parser.value(u"exceptions"_s).toLongLong(&countOk);
    const int repeat = parser.value(u"repeat"_s).toInt(&repeatOk);
    if (!countOk || !repeatOk || count <= 0 || repeat <= 0)
        return Console::fail(tr("--exceptions and --repeat must be whole numbers above 0."), 2);
    return measure(settings, path, count, repeat);
}

int QueueBenchmark::measure(AppSettings& settings, const QString& path, qint64 exceptionsIfMissing,
                            int repeat) {
    repeat = std::max(repeat, 1);
    if (!QFileInfo::exists(path)) {
        Workspace workspace(settings);
        if (Status s = workspace.open(path, u"bench-demo"_s); !s)
            return Console::fail(s.problem().message, 1);
        DemoOptions options;
        options.exceptions = exceptionsIfMissing;
        options.anchor = QDateTime(QDate(2026, 11, 1), QTime(9, 0), QTimeZone::utc());
        QElapsedTimer timer;
        timer.start();
        auto built = DemoWorkspaceBuilder::build(workspace, options);
        if (!built)
            return Console::fail(built.problem().message, 1);
        Console::out() << u"Built a %1-exception workspace in %2 s"_s.arg(exceptionsIfMissing)
                              .arg(timer.elapsed() / 1000.0, 0, 'f', 1)
                       << Qt::endl;
    }

    const QString tenant = u"acme"_s;
    const QString selective = u"TXN-00012"_s;
    const QString common = u"Shenzhen"_s;
    const QString chinese = u"临时改签"_s;
    const QString absentShort = u"qz"_s; // no trigram and no match: the slowest search there is

    // --- Riskdesk: the queue model as the GUI uses it.
    DatabaseThread database(settings);
    {
        auto opened = database.open(path);
        opened.waitForFinished(); // the benchmark has no window to keep responsive
        if (!opened.result())     // errors go to standard error: the report on standard output stays a table
            return Console::fail(opened.result().problem().message, 1);
    }
    qint64 tenantRows = 0;
    {
        Workspace w(settings);
        w.open(path, u"bench-count"_s);
        QSqlQuery q(w.db());
        q.exec(u"SELECT count(*) FROM exceptions WHERE tenant_id = 'acme'"_s);
        q.next();
        tenantRows = q.value(0).toLongLong();
    }

    // The operations, in the order they run; the last two have no proxy baseline.
    enum Op { First, Resort, Selective, Common, Chinese, Absent, Pending, Approver, OpCount };
    const QStringList opNames{u"first rows shown (all, oldest first)"_s,
                              u"re-sort by apply time (newest first)"_s,
                              u"text filter, selective (\"%1\")"_s.arg(selective),
                              u"text filter, common (\"%1\")"_s.arg(common),
                              u"text filter, Chinese (\"%1\")"_s.arg(chinese),
                              u"text filter, 2 letters, no match (\"%1\")"_s.arg(absentShort),
                              u"pending only, oldest first"_s,
                              u"approver's opening view: pending, soonest to expire first"_s};
    const QStringList texts{{}, {}, selective, common, chinese, absentShort, {}, {}};
    std::array<Measured, OpCount> ours, proxied, sql;

    ExceptionQueueModel model(&database);
    QueueQuery base;
    base.filter.tenantId = tenant;
    base.sortColumn = QueueColumn::AppliedAt;
    for (int i = 0; i < repeat; ++i) {
        timeFirstPage(
            model, [&] { model.setQuery(base); }, ours[First]);
        timeFirstPage(
            model, [&] { model.sort(int(QueueColumn::AppliedAt), Qt::DescendingOrder); }, ours[Resort]);
        QueueQuery pending = base;
        pending.filter.status = ExceptionStatus::Pending;
        timeFirstPage(
            model, [&] { model.setQuery(pending); }, ours[Pending]);
        QueueQuery approver = pending; // what an approver sees on opening: pending, soonest to expire first
        approver.sortColumn = QueueColumn::ExpiresIn;
        timeFirstPage(
            model, [&] { model.setQuery(approver); }, ours[Approver]);
        for (int op : {Selective, Common, Chinese, Absent}) {
            QueueQuery filtered = base;
            filtered.filter.text = texts.at(op);
            timeFirstPage(
                model, [&] { model.setQuery(filtered); }, ours[op]);
        }
    }

    Workspace w(settings);
    if (Status s = w.open(path, u"bench-baseline"_s); !s)
        return Console::fail(s.problem().message, 1);

    // --- Baseline 1: load the tenant's rows into QSqlQueryModel (all of them, or the proxy cannot sort and
    // filter correctly) and let QSortFilterProxyModel sort and filter in memory. The proxy filters one column
    // holding the fields the queue searches, so both sides search the same text.
    const int baselineRepeat = std::min(repeat, 3);
    constexpr int kRowidColumn = 10, kSearchedColumn = 11;
    for (int i = 0; i < baselineRepeat; ++i) {
        QSqlQueryModel source;
        QSortFilterProxyModel proxy;
        proxy.setFilterKeyColumn(kSearchedColumn);
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        QString loadFailure;
        timeProxy(
            proxy, kRowidColumn,
            [&] {
                QSqlQuery q(w.db());
                q.prepare(
                    u"SELECT record_id, status, risk_rule_id, target_type || ' ' || target_id, applicant_id, "
                    "apply_time, valid_end_time, current_approver_id, reason_category, justification, rowid, "_s +
                    kSearchedFields + u" FROM exceptions WHERE tenant_id = ?"_s);
                q.addBindValue(tenant);
                if (!q.exec()) {
                    loadFailure = q.lastError().text();
                    return;
                }
                source.setQuery(std::move(q));
                while (source.canFetchMore())
                    source.fetchMore();
                if (source.lastError().isValid())
                    loadFailure = source.lastError().text();
                proxy.setSourceModel(&source);
                proxy.sort(5, Qt::AscendingOrder);
            },
            proxied[First]);
        if (!loadFailure.isEmpty()) {
            proxied[First].failure = loadFailure;
            break;
        }
        timeProxy(
            proxy, kRowidColumn, [&] { proxy.sort(5, Qt::DescendingOrder); }, proxied[Resort]);
        proxy.sort(5, Qt::AscendingOrder); // the filters show the oldest first, as the queue's do
        for (int op : {Selective, Common, Chinese, Absent})
            timeProxy(
                proxy, kRowidColumn, [&] { proxy.setFilterFixedString(texts.at(op)); }, proxied[op]);
    }

    // --- Baseline 2: QSqlQueryModel with the filter, order and LIMIT in SQL, fetched lazily.
    const QString pendingWire = toWire(ExceptionStatus::Pending);
    const QString searched = u" AND "_s + kSearchedFields + u" LIKE ? ESCAPE '\\'"_s;
    for (int i = 0; i < repeat; ++i) {
        timeSqlPage(w.db(), {}, u"apply_time, rowid"_s, {tenant}, sql[First]);
        timeSqlPage(w.db(), {}, u"apply_time DESC, rowid DESC"_s, {tenant}, sql[Resort]);
        timeSqlPage(w.db(), u" AND status = ?"_s, u"apply_time, rowid"_s, {tenant, pendingWire},
                    sql[Pending]);
        timeSqlPage(w.db(), u" AND status = ?"_s, u"valid_end_time, rowid"_s, {tenant, pendingWire},
                    sql[Approver]);
        for (int op : {Selective, Common, Chinese, Absent})
            timeSqlPage(w.db(), searched, u"apply_time, rowid"_s, {tenant, likePattern(texts.at(op))},
                        sql[op]);
    }

    // --- The cross-check: every side showed the same first page.
    QHash<qint64, QString> appliedAt, expiresAt;
    {
        QSet<qint64> seen;
        for (const auto* side : {&ours, &proxied, &sql})
            for (const Measured& m : *side)
                for (qint64 id : m.rowids)
                    seen.insert(id);
        QJsonArray ids;
        for (qint64 id : seen)
            ids.append(id);
        QSqlQuery q(w.db());
        q.prepare(u"SELECT rowid, apply_time, valid_end_time FROM exceptions WHERE rowid IN "
                  "(SELECT value FROM json_each(?))"_s);
        q.addBindValue(QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact)));
        if (!q.exec())
            return Console::fail(q.lastError().text(), 1);
        while (q.next()) {
            appliedAt.insert(q.value(0).toLongLong(), q.value(1).toString());
            expiresAt.insert(q.value(0).toLongLong(), q.value(2).toString());
        }
        if (q.lastError().isValid())
            return Console::fail(q.lastError().text(), 1);
    }
    QStringList problems;
    for (int op = 0; op < OpCount; ++op) {
        const auto& keys = op == Approver ? expiresAt : appliedAt;
        for (const auto& [name, side] : {std::pair{u"QSqlQueryModel + QSortFilterProxyModel"_s, &proxied[op]},
                                         std::pair{u"QSqlQueryModel with SQL"_s, &sql[op]}}) {
            if (!side->failure.isEmpty())
                problems << u"%1, %2: failed: %3"_s.arg(opNames.at(op), name, side->failure);
            else if (side->ms.isEmpty())
                continue; // not measured on this side
            else if (!ours[op].failure.isEmpty())
                continue; // reported below
            else if (const QString d = pagesDiffer(ours[op], *side, keys); !d.isEmpty())
                problems << u"%1: the queue model and %2 show different rows: %3"_s.arg(opNames.at(op), name,
                                                                                        d);
        }
        if (!ours[op].failure.isEmpty())
            problems << u"%1, the queue model: failed: %2"_s.arg(opNames.at(op), ours[op].failure);
    }

    auto cell = [](const Measured& m) {
        if (!m.failure.isEmpty())
            return u"failed"_s;
        if (m.ms.isEmpty())
            return u"–"_s;
        return u"%1 ms"_s.arg(BenchmarkStats::median(m.ms), 0, 'f', 1);
    };
    auto ratio = [](const Measured& ourSide, const Measured& theirSide) {
        if (!ourSide.failure.isEmpty() || !theirSide.failure.isEmpty() || ourSide.ms.isEmpty() ||
            theirSide.ms.isEmpty())
            return u"–"_s;
        return u"%1×"_s.arg(BenchmarkStats::median(theirSide.ms) /
                                std::max(BenchmarkStats::median(ourSide.ms), 0.001),
                            0, 'f', 1);
    };
    Console::out()
        << u"Queue benchmark: tenant %1 with %2 of the workspace's exceptions; median of %3 runs (proxy "
           "baseline %4). Every side's first page (%5 rows) is checked against the queue model's."_s
               .arg(tenant)
               .arg(tenantRows)
               .arg(repeat)
               .arg(baselineRepeat)
               .arg(kPage)
        << Qt::endl;
    Console::out()
        << "| operation | Riskdesk queue model | QSqlQueryModel + QSortFilterProxyModel | speed-up | "
           "QSqlQueryModel, ORDER BY / LIKE / LIMIT in SQL | speed-up |"
        << Qt::endl;
    Console::out() << "|---|---|---|---|---|---|" << Qt::endl;
    for (int op = 0; op < OpCount; ++op)
        Console::out() << u"| %1 | %2 | %3 | %4 | %5 | %6 |"_s.arg(
                              opNames.at(op), cell(ours[op]), cell(proxied[op]), ratio(ours[op], proxied[op]),
                              cell(sql[op]), ratio(ours[op], sql[op]))
                       << Qt::endl;
    for (const QString& p : problems)
        Console::err() << u"riskdesk: "_s << p << Qt::endl;
    return problems.isEmpty() ? 0 : 1;
}

} // namespace riskdesk
