// The queue and log models over a real workspace on the database thread, checked by QAbstractItemModelTester.
#include "SignalWaiter.h"
#include "TestWorkspace.h"
#include "item/ApprovalLogModel.h"
#include "item/ExceptionQueueModel.h"
#include "store/DatabaseThread.h"
#include "store/ExceptionRepository.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;
using riskdesk::test::SignalWaiter;
using riskdesk::test::TestWorkspace;

class ItemModelsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void queueModelPassesTheTester();
    void queueModelPagesOnDemand();
    void queueModelSortsAndFiltersInSql();
    void queueModelAppliesAChangeInPlace();
    void lateResultsOfAnOldQueryAreDropped();
    void supersededFetchesAreMarkedUnwanted();
    void logModelPassesTheTester();
    void logModelFilters();

private:
    std::unique_ptr<TestWorkspace> m_ws;
    std::unique_ptr<DatabaseThread> m_db;
};

void ItemModelsTest::initTestCase() {
    m_ws = std::make_unique<TestWorkspace>(1500);
    m_db = std::make_unique<DatabaseThread>();
    auto opened = m_db->open(m_ws->path());
    opened.waitForFinished();
    QVERIFY(opened.result().ok());
}

void ItemModelsTest::queueModelPassesTheTester() {
    ExceptionQueueModel model(m_db.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    SignalWaiter loaded(&model, &ExceptionQueueModel::pageLoaded);
    QueueQuery q;
    q.filter.tenantId = u"acme"_s;
    model.setQuery(q);
    QVERIFY(loaded.next());
    QCOMPARE(model.rowCount(), ExceptionQueueModel::kPageSize);
    QCOMPARE(model.columnCount(), int(QueueColumn::Count));
    for (int c = 0; c < model.columnCount(); ++c)
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
    model.sort(int(QueueColumn::Status), Qt::DescendingOrder);
    QVERIFY(loaded.next());
    model.fetchMore({});
    QVERIFY(loaded.next());
}

void ItemModelsTest::queueModelPagesOnDemand() {
    ExceptionQueueModel model(m_db.get());
    SignalWaiter loaded(&model, &ExceptionQueueModel::pageLoaded);
    QueueQuery q;
    q.filter.tenantId = u"globex"_s;
    model.setQuery(q);
    QVERIFY(loaded.next());
    int pages = 1;
    while (model.canFetchMore({})) {
        model.fetchMore({});
        QVERIFY(loaded.next());
        ++pages;
    }
    QSqlQuery count(u"SELECT count(*) FROM exceptions WHERE tenant_id = 'globex'"_s, m_ws->db());
    count.next();
    QCOMPARE(model.rowCount(), count.value(0).toInt());
    QVERIFY(pages > 1);
    QSet<QString> unique;
    for (int r = 0; r < model.rowCount(); ++r)
        unique.insert(model.data(model.index(r, 0), ExceptionQueueModel::RecordIdRole).toString());
    QCOMPARE(unique.size(), model.rowCount());
}

void ItemModelsTest::queueModelSortsAndFiltersInSql() {
    ExceptionQueueModel model(m_db.get());
    SignalWaiter loaded(&model, &ExceptionQueueModel::pageLoaded);
    QueueQuery q;
    q.filter.tenantId = u"acme"_s;
    q.filter.status = ExceptionStatus::Pending;
    q.sortColumn = QueueColumn::ExpiresIn;
    model.setQuery(q);
    QVERIFY(loaded.next());
    QVERIFY(model.rowCount() > 0);
    QDateTime previous;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QueueRow* row = model.rowAt(r);
        QCOMPARE(row->status, ExceptionStatus::Pending);
        QVERIFY(!previous.isValid() || previous <= row->validEndTime);
        previous = row->validEndTime;
    }
    q.filter.text = u"emily"_s;
    model.setQuery(q);
    QVERIFY(loaded.next());
    QVERIFY(model.rowCount() > 0);
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(model.rowAt(r)->applicantId, u"emily.park"_s);
}

void ItemModelsTest::queueModelAppliesAChangeInPlace() {
    ExceptionQueueModel model(m_db.get());
    SignalWaiter loaded(&model, &ExceptionQueueModel::pageLoaded);
    QueueQuery q;
    q.filter.tenantId = u"acme"_s;
    q.filter.status = ExceptionStatus::Pending;
    model.setQuery(q);
    QVERIFY(loaded.next());
    const QString id = model.rowAt(3)->recordId;
    RiskException e = ExceptionRepository(m_ws->db()).get(u"acme"_s, id).value();
    e.status = ExceptionStatus::Rejected;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyChange(e);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.rowAt(3)->status, ExceptionStatus::Rejected);
    QCOMPARE(model.data(model.index(3, int(QueueColumn::Status))).toString(),
             displayName(ExceptionStatus::Rejected));
}

void ItemModelsTest::lateResultsOfAnOldQueryAreDropped() {
    ExceptionQueueModel model(m_db.get());
    SignalWaiter loaded(&model, &ExceptionQueueModel::pageLoaded);
    QueueQuery a;
    a.filter.tenantId = u"acme"_s;
    QueueQuery b = a;
    b.filter.status = ExceptionStatus::Withdrawn;
    // Keep the database thread busy so that a's page cannot arrive before b is asked for.
    m_db->run([](Workspace&) {
        QThread::msleep(150);
        return 0;
    });
    model.setQuery(a);
    model.setQuery(b);
    QVERIFY(loaded.next());
    QTest::qWait(100);
    QCOMPARE(loaded.size(), 1);
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(model.rowAt(r)->status, ExceptionStatus::Withdrawn);
}

void ItemModelsTest::supersededFetchesAreMarkedUnwanted() {
    struct Page {
        QList<int> rows;
        bool hasMore = false;
    };
    QList<std::function<bool()>> asked;
    QList<std::function<void(const Result<Page>&)>> pending;
    int inserted = 0;
    KeysetPager<int, Page> pager({[&](int first, int last) { inserted += last - first + 1; }, [] {}},
                                 [&](const int*, auto stillWanted, auto done) {
                                     asked << stillWanted;
                                     pending << done;
                                 });
    int loaded = 0;
    auto onLoaded = [&](int, bool) { ++loaded; };
    auto onFailed = [](const QString&) {};
    pager.requestNext(onLoaded, onFailed);
    QVERIFY(asked.last()());
    pager.reset();             // the user typed more: a new query replaces the first
    QVERIFY(!asked.first()()); // the database thread can skip the first
    pager.requestNext(onLoaded, onFailed);
    QVERIFY(asked.last()());
    pending.first()(Page{{1, 2, 3}, false}); // the old answer arrives late: dropped
    QCOMPARE(inserted, 0);
    pending.last()(Page{{7}, true});
    QCOMPARE(inserted, 1);
    QCOMPARE(loaded, 1);
    QVERIFY(pager.canFetchMore());
}

void ItemModelsTest::logModelPassesTheTester() {
    ApprovalLogModel model(m_db.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    SignalWaiter loaded(&model, &ApprovalLogModel::pageLoaded);
    LogFilter f;
    f.tenantId = u"acme"_s;
    model.setFilter(f);
    QVERIFY(loaded.next());
    QVERIFY(model.rowCount() > 0);
    // Newest first, no gaps within a page.
    for (int r = 1; r < model.rowCount(); ++r)
        QCOMPARE(model.entryAt(r)->seq, model.entryAt(r - 1)->seq - 1);
    if (model.canFetchMore({})) {
        model.fetchMore({});
        QVERIFY(loaded.next());
    }
}

void ItemModelsTest::logModelFilters() {
    ApprovalLogModel model(m_db.get());
    SignalWaiter loaded(&model, &ApprovalLogModel::pageLoaded);
    LogFilter f;
    f.tenantId = u"acme"_s;
    f.actorId = u"li.wei"_s;
    f.action = u"reject"_s;
    model.setFilter(f);
    QVERIFY(loaded.next());
    QVERIFY(model.rowCount() > 0);
    for (int r = 0; r < model.rowCount(); ++r) {
        QCOMPARE(model.entryAt(r)->actorId, u"li.wei"_s);
        QCOMPARE(model.entryAt(r)->action, u"reject"_s);
    }
}

QTEST_GUILESS_MAIN(ItemModelsTest)
#include "tst_itemmodels.moc"
