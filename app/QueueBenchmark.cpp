#include "QueueBenchmark.h"

#include "Console.h"
#include "item/ExceptionQueueModel.h"
#include "store/DatabaseThread.h"
#include "store/DemoWorkspaceBuilder.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QSortFilterProxyModel>
#include <QSqlQuery>
#include <QSqlQueryModel>
#include <QTextStream>
#include <QTimeZone>
#include <algorithm>
#include <functional>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QTextStream& out() {
    return Console::out();
}

double median(QList<double> values) {
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

// Time from calling start() until the model reports its first page, with the event loop running as in the
// app.
double timeFirstPage(ExceptionQueueModel& model, const std::function<void()>& start) {
    QEventLoop loop;
    QElapsedTimer timer;
    bool done = false; // the page may arrive before start() returns, when the database is quick enough
    auto c1 = QObject::connect(&model, &ExceptionQueueModel::pageLoaded, &loop, [&] {
        done = true;
        loop.quit();
    });
    auto c2 = QObject::connect(&model, &ExceptionQueueModel::loadFailed, &loop, [&](const QString& message) {
        Console::err() << QueueBenchmark::tr("riskdesk: a page did not load: %1").arg(message) << Qt::endl;
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
    return ms;
}

double timeIt(const std::function<void()>& work) {
    QElapsedTimer timer;
    timer.start();
    work();
    return double(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int QueueBenchmark::run(const QString& path, qint64 exceptionsIfMissing, int repeat) {
    repeat = std::max(repeat, 1);
    if (!QFileInfo::exists(path)) {
        Workspace workspace;
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
        out() << u"Built a %1-exception workspace in %2 s"_s.arg(exceptionsIfMissing)
                     .arg(timer.elapsed() / 1000.0, 0, 'f', 1)
              << Qt::endl;
    }

    const QString tenant = u"acme"_s;
    const QString selective = u"TXN-00012"_s;
    const QString common = u"Shenzhen"_s;
    const QString chinese = u"临时改签"_s;
    const QString absentShort = u"qz"_s; // no trigram and no match: the slowest search there is

    // --- Riskdesk: the queue model as the GUI uses it.
    DatabaseThread database;
    {
        auto opened = database.open(path);
        opened.waitForFinished(); // the benchmark has no window to keep responsive
        if (!opened.result())     // errors go to standard error: the report on standard output stays a table
            return Console::fail(opened.result().problem().message, 1);
    }
    qint64 tenantRows = 0;
    {
        Workspace w;
        w.open(path, u"bench-count"_s);
        QSqlQuery q(w.db());
        q.exec(u"SELECT count(*) FROM exceptions WHERE tenant_id = 'acme'"_s);
        q.next();
        tenantRows = q.value(0).toLongLong();
    }

    ExceptionQueueModel model(&database);
    QueueQuery base;
    base.filter.tenantId = tenant;
    base.sortColumn = QueueColumn::AppliedAt;
    QList<double> first, resort, filterSel, filterCommon, pendingFirst, filterChinese, filterAbsent,
        approverView;
    for (int i = 0; i < repeat; ++i) {
        first << timeFirstPage(model, [&] { model.setQuery(base); });
        resort << timeFirstPage(model, [&] { model.sort(int(QueueColumn::AppliedAt), Qt::DescendingOrder); });
        QueueQuery pending = base;
        pending.filter.status = ExceptionStatus::Pending;
        pendingFirst << timeFirstPage(model, [&] { model.setQuery(pending); });
        QueueQuery approver = pending; // what an approver sees on opening: pending, soonest to expire first
        approver.sortColumn = QueueColumn::ExpiresIn;
        approverView << timeFirstPage(model, [&] { model.setQuery(approver); });
        QueueQuery sel = base;
        sel.filter.text = selective;
        filterSel << timeFirstPage(model, [&] { model.setQuery(sel); });
        QueueQuery com = base;
        com.filter.text = common;
        filterCommon << timeFirstPage(model, [&] { model.setQuery(com); });
        QueueQuery zh = base;
        zh.filter.text = chinese;
        filterChinese << timeFirstPage(model, [&] { model.setQuery(zh); });
        QueueQuery absent = base;
        absent.filter.text = absentShort;
        filterAbsent << timeFirstPage(model, [&] { model.setQuery(absent); });
    }

    // --- Baseline: load the tenant's rows into QSqlQueryModel (all of them, or the proxy cannot sort and
    // filter correctly) and let QSortFilterProxyModel sort and filter in memory.
    const int baselineRepeat = std::min(repeat, 3);
    QList<double> bFirst, bResort, bSel, bCommon, bChinese, bAbsent;
    {
        Workspace w;
        w.open(path, u"bench-baseline"_s);
        for (int i = 0; i < baselineRepeat; ++i) {
            QSqlQueryModel source;
            QSortFilterProxyModel proxy;
            proxy.setFilterKeyColumn(-1);
            proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
            bFirst << timeIt([&] {
                QSqlQuery q(w.db());
                q.prepare(
                    u"SELECT record_id, status, risk_rule_id, target_type || ' ' || target_id, applicant_id, "
                    "apply_time, valid_end_time, current_approver_id, reason_category, justification "
                    "FROM exceptions WHERE tenant_id = ?"_s);
                q.addBindValue(tenant);
                q.exec();
                source.setQuery(std::move(q));
                while (source.canFetchMore())
                    source.fetchMore();
                proxy.setSourceModel(&source);
                proxy.sort(5, Qt::AscendingOrder);
                (void)proxy.index(0, 0).data();
            });
            bResort << timeIt([&] {
                proxy.sort(5, Qt::DescendingOrder);
                (void)proxy.index(0, 0).data();
            });
            bSel << timeIt([&] {
                proxy.setFilterFixedString(selective);
                (void)proxy.index(0, 0).data();
            });
            bCommon << timeIt([&] {
                proxy.setFilterFixedString(common);
                (void)proxy.index(0, 0).data();
            });
            bChinese << timeIt([&] {
                proxy.setFilterFixedString(chinese);
                (void)proxy.index(0, 0).data();
            });
            bAbsent << timeIt([&] {
                proxy.setFilterFixedString(absentShort);
                (void)proxy.index(0, 0).data();
            });
        }
    }

    auto row = [](const QString& name, double ours, double baseline) {
        out() << u"| %1 | %2 ms | %3 ms | %4x |"_s.arg(name)
                     .arg(ours, 0, 'f', 1)
                     .arg(baseline, 0, 'f', 1)
                     .arg(baseline / std::max(ours, 0.001), 0, 'f', 0)
              << Qt::endl;
    };
    out()
        << u"Queue benchmark: tenant %1 with %2 of the workspace's exceptions; median of %3 runs (baseline %4)."_s
               .arg(tenant)
               .arg(tenantRows)
               .arg(repeat)
               .arg(baselineRepeat)
        << Qt::endl;
    out() << "| operation | Riskdesk queue model | QSqlQueryModel + QSortFilterProxyModel | speed-up |"
          << Qt::endl;
    out() << "|---|---|---|---|" << Qt::endl;
    row(u"first rows shown (all, oldest first)"_s, median(first), median(bFirst));
    row(u"re-sort by apply time (newest first)"_s, median(resort), median(bResort));
    row(u"text filter, selective (\"%1\")"_s.arg(selective), median(filterSel), median(bSel));
    row(u"text filter, common (\"%1\")"_s.arg(common), median(filterCommon), median(bCommon));
    row(u"text filter, Chinese (\"%1\")"_s.arg(chinese), median(filterChinese), median(bChinese));
    row(u"text filter, 2 letters, no match (\"%1\")"_s.arg(absentShort), median(filterAbsent),
        median(bAbsent));
    out() << u"| pending only, oldest first | %1 ms | – | – |"_s.arg(median(pendingFirst), 0, 'f', 1)
          << Qt::endl;
    out() << u"| approver's opening view: pending, soonest to expire first | %1 ms | – | – |"_s.arg(
                 median(approverView), 0, 'f', 1)
          << Qt::endl;
    return 0;
}

} // namespace riskdesk
