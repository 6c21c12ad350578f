// The board engine (models/boards, spec §2): periods and presets, business days, period-over-period, money
// and shares, the four states, sorting and keyset paging on a real SQLite file, failure isolation, and
// reconciliation warnings. Test names carry the acceptance check (AC-…) of spec §10 they cover.
#include "boards/BoardFaults.h"
#include "boards/BoardPage.h"
#include "boards/BoardPeriod.h"
#include "boards/BoardSort.h"
#include "boards/BoardValue.h"
#include "boards/EnrichmentRunner.h"
#include "boards/ExactMath.h"
#include "boards/ExactSum.h"
#include "boards/FinanceCells.h"
#include "boards/FinancePrepaidMatrix.h"
#include "boards/MoneyFormat.h"
#include "boards/PeriodChange.h"
#include "boards/ReconciliationWarning.h"
#include "boards/SectionOutcome.h"
#include "boards/ShareRounding.h"
#include "boards/SiteClock.h"
#include "boards/SortCatalog.h"
#include "boards/TrendColors.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <limits>
#include <numeric>

using namespace Qt::Literals::StringLiterals;
using namespace riskdesk;

namespace {

const QString kDash = QString(QChar(0x2014));
const QString kUp = QString(QChar(0x25B2));
const QString kDown = QString(QChar(0x25BC));
const QString kFlat = QString(QChar(0x25AC));
const QLocale kZh(QLocale::Chinese, QLocale::China);
const QLocale kEn(QLocale::English, QLocale::UnitedStates);

// A shipped translation, for as long as the object lives (English has one too: its plural forms).
class Translation {
public:
    explicit Translation(const QString& language) {
        const QString qm = u"/riskdesk_%1.qm"_s.arg(language);
        QVERIFY2(m_translator.load(QStringLiteral(RISKDESK_QM_DIR) + qm), qPrintable(qm));
        QCoreApplication::installTranslator(&m_translator);
    }
    Translation(const Translation&) = delete;
    Translation& operator=(const Translation&) = delete;
    ~Translation() { QCoreApplication::removeTranslator(&m_translator); }

private:
    QTranslator m_translator;
};

class Chinese : public Translation {
public:
    Chinese() : Translation(u"zh_CN"_s) {}
};

QDate day(const char* iso) {
    return QDate::fromString(QString::fromLatin1(iso), Qt::ISODate);
}

QString range(const BoardPeriod& p) {
    return p.rangeText();
}

std::optional<qint64> none() {
    return std::nullopt;
}

// A real SQLite file with one table (id, k) for the paging and sorting checks.
class PagingTable {
public:
    PagingTable() {
        QVERIFY(m_dir.isValid());
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"boards_paging"_s);
        m_db.setDatabaseName(m_dir.filePath(u"paging.sqlite"_s));
        QVERIFY(m_db.open());
        QSqlQuery q(m_db);
        QVERIFY2(q.exec(u"CREATE TABLE rows_t (id INTEGER PRIMARY KEY, k INTEGER)"_s),
                 qPrintable(q.lastError().text()));
    }
    ~PagingTable() {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"boards_paging"_s);
    }
    void insert(qint64 id, const QVariant& k) {
        QSqlQuery q(m_db);
        q.prepare(u"INSERT INTO rows_t (id, k) VALUES (?, ?)"_s);
        q.addBindValue(id);
        q.addBindValue(k.isNull() ? QVariant(QMetaType::fromType<qint64>()) : k);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    }
    qint64 total() {
        QSqlQuery q(m_db);
        if (!q.exec(u"SELECT count(*) FROM rows_t"_s) || !q.next())
            qFatal("count failed");
        return q.value(0).toLongLong();
    }
    // One page after the cursor (or the first), as (key, id) pairs.
    QList<KeysetCursor> page(const BoardSort& sort, const std::optional<KeysetCursor>& after,
                             const BoardPage& p) {
        QString sql = u"SELECT k, id FROM rows_t"_s;
        if (after)
            sql += u" WHERE "_s + sort.afterClause(*after);
        sql += sort.orderByClause() + u" LIMIT ?"_s;
        QSqlQuery q(m_db);
        q.prepare(sql);
        if (after)
            for (const QVariant& v : sort.afterBindings(*after))
                q.addBindValue(v);
        q.addBindValue(p.limit());
        if (!q.exec())
            qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        QList<KeysetCursor> rows;
        while (q.next())
            rows << KeysetCursor{q.value(0), q.value(1)};
        if (q.lastError().isValid())
            qFatal("%s", qPrintable(q.lastError().text()));
        return rows;
    }
    // The row at a 0-based position of the sorted set (where a jump to page N continues from).
    KeysetCursor at(const BoardSort& sort, qint64 position) {
        QSqlQuery q(m_db);
        q.prepare(u"SELECT k, id FROM rows_t"_s + sort.orderByClause() + u" LIMIT 1 OFFSET ?"_s);
        q.addBindValue(position);
        if (!q.exec() || !q.next())
            qFatal("no row at %lld", position);
        return {q.value(0), q.value(1)};
    }
    // Every row by paging through with the given page size.
    QList<KeysetCursor> all(const BoardSort& sort, int pageSize, QList<int>* sizes = nullptr) {
        const BoardPage p = BoardPage::make(1, pageSize).value();
        QList<KeysetCursor> rows;
        std::optional<KeysetCursor> after;
        for (int guard = 0; guard < 1000; ++guard) {
            const QList<KeysetCursor> chunk = page(sort, after, p);
            if (chunk.isEmpty())
                break;
            if (sizes)
                *sizes << int(chunk.size());
            rows << chunk;
            after = chunk.last();
        }
        return rows;
    }

private:
    QTemporaryDir m_dir;
    QSqlDatabase m_db;
};

SortCatalog pagingCatalog() {
    return SortCatalog::make({{u"k"_s, u"k"_s, Qt::DescendingOrder}}, u"id"_s, u"k"_s).value();
}

} // namespace

class BoardsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void acS01_periodOverPeriod_data();
    void acS01_periodOverPeriod();
    void acS01_periodOverPeriodInChinese();
    void acS02_ratesCompareInPercentagePoints();
    void acS03_previousPeriod();
    void unloadedDaysAreCountedFromTheWatermark();
    void acS04_presets();
    void everyPresetResolvesAndNamesItsDates();
    void weekStartIsASetting();
    void customPeriodsAreBounded();
    void acS05_businessDayInTheSiteZone();
    void businessDayFollowsTheWallClockAcrossDaylightSaving();
    void siteClockRefusesBadSettings();
    void salaryMonthsAndWindows();
    void acS06_compactMoney();
    void fullAndPlainMoneyAreExact();
    void parseYuanIsExact();
    void acS07_largestRemainderShares();
    void itemSharesAddUpToTheirGroupsShare();
    void sharesRefuseWhatHasNoShares();
    void acS08_keysetPagingWithEqualKeys();
    void acS09_nullsLastInBothDirections();
    void jumpingToAPageContinuesFromTheKeyBeforeIt();
    void sortRequestsComeFromTheWhitelistOnly();
    void pageRequestsAreValidated();
    void fourStatesStayDistinct();
    void totalsRowCoversTheWholeSetExactly();
    void acS10_failingEnrichmentOnlyLosesItsFields();
    void enrichmentStillRunningAtItsDeadlineIsInterrupted();
    void acS11_failingCoreIsAnErrorNotAnEmptyTable();
    void enrichmentsTimeOutAndThrowIndependently();
    void acB3_15_derivedFigureUnavailableWhenAnInputIs();
    void reconciliationWarningsAreNeverDropped();
    void acB3_09_11_rollForward();
    void acB1_10_salaryIdentityIsAWarning();
    void acS16_upDownColours();
    void acB2_04_weeklyVisitsAreExact();
    void exactArithmeticReportsOverflow();
    void boardFiguresFromTheFixtures();
};

void BoardsTest::acS01_periodOverPeriod_data() {
    QTest::addColumn<std::optional<qint64>>("cur");
    QTest::addColumn<std::optional<qint64>>("prev");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("arrow");
    QTest::addColumn<int>("kind");
    const QString minus = QString(QChar(0x2212));
    using K = PeriodChange::Kind;
    QTest::newRow("440/300") << std::optional<qint64>(440) << std::optional<qint64>(300) << u"+46.7%"_s << kUp
                             << int(K::Percent);
    QTest::newRow("180/150") << std::optional<qint64>(180) << std::optional<qint64>(150) << u"+20.0%"_s << kUp
                             << int(K::Percent);
    QTest::newRow("770/450") << std::optional<qint64>(770) << std::optional<qint64>(450) << u"+71.1%"_s << kUp
                             << int(K::Percent);
    QTest::newRow("-100/-200") << std::optional<qint64>(-100) << std::optional<qint64>(-200) << u"+50.0%"_s
                               << kUp << int(K::Percent);
    QTest::newRow("0/0") << std::optional<qint64>(0) << std::optional<qint64>(0) << u"0.0%"_s << kFlat
                         << int(K::Percent);
    QTest::newRow("150/0") << std::optional<qint64>(150) << std::optional<qint64>(0) << u"new"_s << kUp
                           << int(K::New);
    QTest::newRow("null/5") << none() << std::optional<qint64>(5) << kDash << QString() << int(K::NoData);
    QTest::newRow("5/null") << std::optional<qint64>(5) << none() << kDash << QString() << int(K::NoData);
    QTest::newRow("-50/100") << std::optional<qint64>(-50) << std::optional<qint64>(100)
                             << minus + u"150.0%"_s << kDown << int(K::Percent);
    QTest::newRow("-30/0") << std::optional<qint64>(-30) << std::optional<qint64>(0) << kDash << kDown
                           << int(K::PreviousZero);
    // A change that rounds to zero keeps its arrow's sign (helper-72 read "▲ 0.0%").
    QTest::newRow("tiny rise") << std::optional<qint64>(10004) << std::optional<qint64>(10000) << u"+0.0%"_s
                               << kUp << int(K::Percent);
    QTest::newRow("tiny fall") << std::optional<qint64>(9996) << std::optional<qint64>(10000)
                               << minus + u"0.0%"_s << kDown << int(K::Percent);
    QTest::newRow("rounding half away") << std::optional<qint64>(1) << std::optional<qint64>(-16)
                                        << u"+106.3%"_s << kUp << int(K::Percent); // 106.25 → 106.3
    QTest::newRow("extremes") << std::optional<qint64>(std::numeric_limits<qint64>::max())
                              << std::optional<qint64>(std::numeric_limits<qint64>::min()) << u"+200.0%"_s
                              << kUp << int(K::Percent);
}

void BoardsTest::acS01_periodOverPeriod() {
    QFETCH(std::optional<qint64>, cur);
    QFETCH(std::optional<qint64>, prev);
    QFETCH(QString, text);
    QFETCH(QString, arrow);
    QFETCH(int, kind);
    const PeriodChange c = PeriodChange::of(cur, prev);
    QCOMPARE(int(c.kind()), kind);
    QCOMPARE(c.text(), text);
    QCOMPARE(c.arrow(), arrow);
    QVERIFY(!c.text().contains(u"Infinity"_s) && !c.text().contains(QChar(0x221E)));
    if (c.kind() == PeriodChange::Kind::NoData || c.kind() == PeriodChange::Kind::PreviousZero)
        QVERIFY(!c.explanation().isEmpty());
    else
        QVERIFY(c.explanation().isEmpty());
}

void BoardsTest::acS01_periodOverPeriodInChinese() {
    Chinese zh;
    QCOMPARE(PeriodChange::of(150, 0).text(), u"新增"_s);
    QCOMPARE(PeriodChange::of(5, none()).explanation(), u"上期无数据"_s);
    QCOMPARE(PeriodChange::of(none(), 5).explanation(), u"本期无数据"_s);
    QCOMPARE(PeriodChange::of(-30, 0).explanation(), u"上期为 0"_s);
    QCOMPARE(PeriodChange::of(440, 300).text(), u"+46.7%"_s);
    // The tooltip's absolute delta is exact in the figure's unit (fen here: +¥140.00).
    QCOMPARE(PeriodChange::of(44000, 30000).delta(), std::optional<qint64>(14000));
    QCOMPARE(MoneyFormat::full(*PeriodChange::of(44000, 30000).delta(), kZh), u"¥140.00"_s);
}

void BoardsTest::acS02_ratesCompareInPercentagePoints() {
    const PeriodChange c =
        PeriodChange::ofRates(Ratio::fromPercentTenths(452), Ratio::fromPercentTenths(420));
    QCOMPARE(c.kind(), PeriodChange::Kind::Points);
    QCOMPARE(c.tenths(), std::optional<qint64>(32));
    QCOMPARE(c.text(), u"+3.2 pp"_s);
    QCOMPARE(c.arrow(), kUp);
    {
        Chinese zh;
        QCOMPARE(c.text(), u"+3.2 个百分点"_s);
        QVERIFY(!c.text().contains(u"7.6"_s));
    }
    // Exact fractions: 3/5 = 60.0% against 3/4 = 75.0% is −15.0 points; 1/3 against 1/6 is +16.7 points.
    QCOMPARE(PeriodChange::ofRates(Ratio{3, 5}, Ratio{3, 4}).tenths(), std::optional<qint64>(-150));
    QCOMPARE(PeriodChange::ofRates(Ratio{3, 5}, Ratio{3, 4}).arrow(), kDown);
    QCOMPARE(PeriodChange::ofRates(Ratio{1, 3}, Ratio{1, 6}).tenths(), std::optional<qint64>(167));
    QCOMPARE(PeriodChange::ofRates(Ratio{1, 2}, Ratio{2, 4}).arrow(), kFlat);
    // A rate over nothing (no decisions) is no data, not 0%.
    QCOMPARE(PeriodChange::ofRates(Ratio{0, 0}, Ratio{1, 2}).kind(), PeriodChange::Kind::NoData);
    QCOMPARE(PeriodChange::ofRates(Ratio{1, 2}, std::nullopt).text(), kDash);
}

void BoardsTest::acS03_previousPeriod() {
    QCOMPARE(range(BoardPeriod::custom(day("2026-05-10"), day("2026-05-19")).value().previous()),
             u"2026-04-30 ~ 2026-05-09"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisMonth, day("2026-03-31")).previous()),
             u"2026-02-01 ~ 2026-02-28"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisMonth, day("2026-05-18")).previous()),
             u"2026-04-01 ~ 2026-04-18"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::LastMonth, day("2026-05-18")).previous()),
             u"2026-03-01 ~ 2026-03-31"_s);
    // The other rules of §2.3: to-date presets clamp; whole months compare with whole months (F2: May
    // against April, not against the 31 days before); last-N-days and single days shift by their length.
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisMonth, day("2026-03-30")).previous()),
             u"2026-02-01 ~ 2026-02-28"_s);
    QCOMPARE(range(BoardPeriod::custom(day("2026-05-01"), day("2026-05-31")).value().previous()),
             u"2026-04-01 ~ 2026-04-30"_s);
    QCOMPARE(range(BoardPeriod::custom(day("2026-04-01"), day("2026-05-31")).value().previous()),
             u"2026-02-01 ~ 2026-03-31"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisWeek, day("2026-05-20")).previous()),
             u"2026-05-11 ~ 2026-05-13"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisQuarter, day("2026-05-31")).previous()),
             u"2026-01-01 ~ 2026-03-02"_s); // 61 days into Q2: Q1's first 61 days, not February and March
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisQuarter, day("2026-05-20")).previous()),
             u"2026-01-01 ~ 2026-02-19"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisYear, day("2028-12-31")).previous()),
             u"2027-01-01 ~ 2027-12-31"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisYear, day("2026-03-01")).previous()),
             u"2025-01-01 ~ 2025-03-01"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::Last7Days, day("2026-05-20")).previous()),
             u"2026-05-07 ~ 2026-05-13"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::Today, day("2026-03-01")).previous()),
             u"2026-02-28 ~ 2026-02-28"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::Yesterday, day("2026-03-01")).previous()),
             u"2026-02-27 ~ 2026-02-27"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::LastWeek, day("2026-05-20")).previous()),
             u"2026-05-04 ~ 2026-05-10"_s);
    // The comparison always names the previous range.
    Chinese zh;
    QCOMPARE(BoardPeriod::preset(PeriodPreset::LastMonth, day("2026-05-18")).comparisonText(),
             u"环比 2026-03-01 ~ 2026-03-31"_s);
}

void BoardsTest::unloadedDaysAreCountedFromTheWatermark() {
    const Translation english(u"en"_s);
    const BoardPeriod month = BoardPeriod::preset(PeriodPreset::ThisMonth, day("2026-12-04"));
    QCOMPARE(month.unloadedDaysWarning(day("2026-12-04")), QString());
    QCOMPARE(month.unloadedDaysWarning(day("2026-12-09")), QString());
    QCOMPARE(month.unloadedDaysWarning(QDate()), QString()); // no watermark: nothing to say
    QCOMPARE(
        month.unloadedDaysWarning(day("2026-12-03")),
        u"Data are loaded through 2026-12-03: the last day of this period has no data yet, so its changes "
        "compare the days loaded with as many days of the previous period (2026-11-01 ~ 2026-11-03)."_s);
    // Like with like: the previous range is cut to as many days as are loaded of this one.
    QCOMPARE(range(month.comparedWith(day("2026-12-03"))), u"2026-11-01 ~ 2026-11-03"_s);
    QCOMPARE(month.comparisonText(day("2026-12-03")), u"PoP 2026-11-01 ~ 2026-11-03"_s);
    QCOMPARE(month.comparedWith(day("2026-12-04")), month.previous()); // loaded to its end
    QCOMPARE(month.comparedWith(day("2026-12-20")), month.previous());
    QCOMPARE(month.comparedWith(day("2026-11-30")), month.previous()); // none loaded: no figure to compare
    // None loaded and the previous range runs past the data: only its loaded days, not three empty ones.
    const BoardPeriod ahead = BoardPeriod::custom(day("2026-06-05"), day("2026-06-10")).value();
    QCOMPARE(range(ahead.comparedWith(day("2026-06-01"))), u"2026-05-30 ~ 2026-06-01"_s);
    QCOMPARE(range(ahead.comparedWith(day("2026-05-20"))), u"2026-05-30 ~ 2026-06-04"_s); // none of it loaded
    QCOMPARE(month.comparedWith(QDate()), month.previous()); // unknown: spec §2.3 as it is
    const BoardPeriod custom = BoardPeriod::custom(day("2026-12-03"), day("2026-12-20")).value();
    QCOMPARE(range(custom.previous()), u"2026-11-15 ~ 2026-12-02"_s);
    QCOMPARE(range(custom.comparedWith(day("2026-12-03"))), u"2026-11-15 ~ 2026-11-15"_s);
    const BoardPeriod december = BoardPeriod::custom(day("2026-12-01"), day("2026-12-31")).value();
    QCOMPARE(range(december.comparedWith(day("2026-12-03"))), u"2026-11-01 ~ 2026-11-03"_s);
    // A month longer than the one before: never past the previous range's end.
    const BoardPeriod march = BoardPeriod::custom(day("2026-03-01"), day("2026-03-31")).value();
    QCOMPARE(range(march.comparedWith(day("2026-03-30"))), u"2026-02-01 ~ 2026-02-28"_s);
    // Loaded through a day before the period: none of it is loaded, and its figures are no data.
    QVERIFY(month.isUnloaded(day("2026-11-30")));
    QVERIFY(!month.isUnloaded(day("2026-12-01")));
    QVERIFY(!month.isUnloaded(QDate()));
    QCOMPARE(
        month.unloadedDaysWarning(day("2026-11-02")),
        u"Data are loaded through 2026-11-02: no day of this period is loaded yet, so its figures show no "
        "data (—), not zero."_s);
    const Chinese zh;
    QCOMPARE(
        month.unloadedDaysWarning(day("2026-12-02")),
        u"数据截至 2026-12-02：本期最后 2 天尚无数据，环比以已加载的天数对比上期相同天数（2026-11-01 ~ 2026-11-02）。"_s);
}

void BoardsTest::acS04_presets() {
    const QDate today = day("2026-05-20");
    QCOMPARE(today.dayOfWeek(), int(Qt::Wednesday));
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisWeek, today)), u"2026-05-18 ~ 2026-05-20"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::LastWeek, today)), u"2026-05-11 ~ 2026-05-17"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::Last7Days, today)), u"2026-05-14 ~ 2026-05-20"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::LastMonth, today)), u"2026-04-01 ~ 2026-04-30"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisQuarter, today)), u"2026-04-01 ~ 2026-05-20"_s);
}

void BoardsTest::everyPresetResolvesAndNamesItsDates() {
    const QDate today = day("2026-01-01"); // a Thursday, first day of month, quarter and year
    struct Case {
        PeriodPreset preset;
        const char* range;
        const char* zh;
    };
    const Case cases[] = {
        {PeriodPreset::Today, "2026-01-01 ~ 2026-01-01", "今日"},
        {PeriodPreset::Yesterday, "2025-12-31 ~ 2025-12-31", "昨日"},
        {PeriodPreset::ThisWeek, "2025-12-29 ~ 2026-01-01", "本周"},
        {PeriodPreset::LastWeek, "2025-12-22 ~ 2025-12-28", "上周"},
        {PeriodPreset::ThisMonth, "2026-01-01 ~ 2026-01-01", "本月"},
        {PeriodPreset::LastMonth, "2025-12-01 ~ 2025-12-31", "上月"},
        {PeriodPreset::Last7Days, "2025-12-26 ~ 2026-01-01", "近 7 天"},
        {PeriodPreset::Last30Days, "2025-12-03 ~ 2026-01-01", "近 30 天"},
        {PeriodPreset::Last60Days, "2025-11-03 ~ 2026-01-01", "近 60 天"},
        {PeriodPreset::ThisQuarter, "2026-01-01 ~ 2026-01-01", "本季度"},
        {PeriodPreset::ThisYear, "2026-01-01 ~ 2026-01-01", "本年"},
    };
    Chinese zh;
    for (const Case& c : cases) {
        const BoardPeriod p = BoardPeriod::preset(c.preset, today);
        QCOMPARE(p.rangeText(), QString::fromLatin1(c.range));
        QCOMPARE(p.kind(), c.preset);
        QCOMPARE(BoardPeriod::presetName(c.preset), QString::fromUtf8(c.zh));
        // The resolved dates are always shown next to the name.
        QCOMPARE(p.displayText(), QString::fromUtf8(c.zh) + u"（"_s + p.rangeText() + u"）"_s);
        QVERIFY(!BoardPeriod::presetDescription(c.preset).isEmpty());
        QCOMPARE(BoardPeriod::presetFromKey(BoardPeriod::presetKey(c.preset)), std::optional(c.preset));
        QCOMPARE(p.toJson().value(u"from"_s).toString(), p.from().toString(Qt::ISODate));
    }
    QVERIFY(BoardPeriod::presetDescription(PeriodPreset::LastMonth).contains(u"自然月"_s));
    QVERIFY(BoardPeriod::presetDescription(PeriodPreset::Last30Days).contains(u"含今日"_s));
    QCOMPARE(BoardPeriod::presetFromKey(u"every_day"_s), std::nullopt);
}

void BoardsTest::weekStartIsASetting() {
    const QDate today = day("2026-05-20"); // Wednesday
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisWeek, today, Qt::Sunday)),
             u"2026-05-17 ~ 2026-05-20"_s);
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::LastWeek, today, Qt::Sunday)),
             u"2026-05-10 ~ 2026-05-16"_s);
    // On the first day of the week "this week" is one day.
    QCOMPARE(range(BoardPeriod::preset(PeriodPreset::ThisWeek, day("2026-05-18"))),
             u"2026-05-18 ~ 2026-05-18"_s);
}

void BoardsTest::customPeriodsAreBounded() {
    QVERIFY(BoardPeriod::custom(day("2025-05-20"), day("2026-05-20")).ok()); // 366 days
    const auto tooLong = BoardPeriod::custom(day("2025-05-19"), day("2026-05-20"));
    QVERIFY(!tooLong.ok());
    QVERIFY(tooLong.problem().message.contains(u"367"_s));
    const auto backwards = BoardPeriod::custom(day("2026-05-20"), day("2026-05-19"));
    QVERIFY(!backwards.ok());
    QVERIFY(backwards.problem().message.contains(u"2026-05-20"_s));
    QVERIFY(!BoardPeriod::custom(QDate(), day("2026-05-19")).ok());
}

void BoardsTest::acS05_businessDayInTheSiteZone() {
    const SiteClock six = SiteClock::make(u"Asia/Shanghai"_s, 6 * 60).value();
    const SiteClock midnight = SiteClock::make(u"Asia/Shanghai"_s, 0).value();
    const auto shanghai = [](const char* local) {
        return QDateTime(QDate::fromString(QString::fromLatin1(local).left(10), Qt::ISODate),
                         QTime::fromString(QString::fromLatin1(local).mid(11), u"HH:mm"_s),
                         QTimeZone("Asia/Shanghai"))
            .toMSecsSinceEpoch();
    };
    const qint64 oneAm = shanghai("2026-06-01 01:00");
    QCOMPARE(six.businessDayOf(oneAm), day("2026-05-31"));
    QCOMPARE(midnight.businessDayOf(oneAm), day("2026-06-01"));
    // 05:00 in Shanghai is 21:00 UTC the day before: the site's zone decides, not UTC.
    const qint64 fiveAm = QDateTime(day("2026-05-31"), QTime(21, 0), Qt::UTC).toMSecsSinceEpoch();
    QCOMPARE(fiveAm, shanghai("2026-06-01 05:00"));
    QCOMPARE(midnight.businessDayOf(fiveAm), day("2026-06-01"));
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(fiveAm, Qt::UTC).date(), day("2026-05-31"));
    // F1's service logs: L7 (05-20 02:30) belongs to 05-19, L11 (06-01 01:00) to 05-31, L12 (06-01 07:00) to
    // 06-01; with the cut-off at midnight L11 moves to June (AC-B1-02) and L7 to 05-20.
    QCOMPARE(six.businessDayOf(shanghai("2026-05-20 02:30")), day("2026-05-19"));
    QCOMPARE(six.businessDayOf(shanghai("2026-06-01 07:00")), day("2026-06-01"));
    QCOMPARE(six.businessDayOf(shanghai("2026-05-31 23:30")), day("2026-05-31"));
    QCOMPARE(midnight.businessDayOf(shanghai("2026-05-20 02:30")), day("2026-05-20"));
    // Each business day is [startOf(D), startOf(D + 1)): the cut-off instant opens the new day.
    QCOMPARE(six.startOf(day("2026-06-01")), shanghai("2026-06-01 06:00"));
    QCOMPARE(six.businessDayOf(six.startOf(day("2026-06-01"))), day("2026-06-01"));
    QCOMPARE(six.businessDayOf(six.startOf(day("2026-06-01")) - 1), day("2026-05-31"));
    // No cut-off configured: calendar days, and the board says so.
    const SiteClock unset = SiteClock::make(QString(), std::nullopt).value();
    QCOMPARE(unset.zone().id(), QByteArray("Asia/Shanghai"));
    QCOMPARE(unset.businessDayOf(oneAm), day("2026-06-01"));
    QVERIFY(six.badge().isEmpty());
    Chinese zh;
    QCOMPARE(unset.badge(), u"营业日未配置，按自然日"_s);
}

void BoardsTest::businessDayFollowsTheWallClockAcrossDaylightSaving() {
    // New York springs forward on 2026-03-08 at 02:00. With a 06:00 cut-off, 05:30 local on 03-09 still
    // belongs to 03-08, and 06:30 to 03-09, whatever the offset did in between.
    const SiteClock ny = SiteClock::make(u"America/New_York"_s, 6 * 60).value();
    const QTimeZone zone("America/New_York");
    QCOMPARE(ny.businessDayOf(QDateTime(day("2026-03-09"), QTime(5, 30), zone).toMSecsSinceEpoch()),
             day("2026-03-08"));
    QCOMPARE(ny.businessDayOf(QDateTime(day("2026-03-09"), QTime(6, 30), zone).toMSecsSinceEpoch()),
             day("2026-03-09"));
    // The business day that contains the change (03-07 06:00 EST to 03-08 06:00 EDT) is 23 hours long.
    QCOMPARE(ny.startOf(day("2026-03-07")) + 23LL * 3600 * 1000, ny.startOf(day("2026-03-08")));
    QCOMPARE(ny.startOf(day("2026-03-08")) + 24LL * 3600 * 1000, ny.startOf(day("2026-03-09")));
}

void BoardsTest::siteClockRefusesBadSettings() {
    const auto zone = SiteClock::make(u"Mars/Olympus_Mons"_s, 0);
    QVERIFY(!zone.ok());
    QCOMPARE(zone.problem().field, u"time_zone"_s);
    QVERIFY(zone.problem().message.contains(u"Mars/Olympus_Mons"_s));
    const auto cutoff = SiteClock::make(u"Asia/Shanghai"_s, 24 * 60);
    QVERIFY(!cutoff.ok());
    QCOMPARE(cutoff.problem().field, u"business_day_cutoff"_s);
    QVERIFY(!SiteClock::make(u"Asia/Shanghai"_s, -1).ok());
    QVERIFY(SiteClock::make(u"UTC"_s, 23 * 60 + 59).ok());
}

void BoardsTest::salaryMonthsAndWindows() {
    // BOARD-1 (F1): May 2026 seen on 2026-06-02 is the whole month, against the whole of April (AC-B1-05).
    const BoardPeriod may = BoardPeriod::parseMonth(u"2026-05"_s, day("2026-06-02")).value();
    QCOMPARE(may.rangeText(), u"2026-05-01 ~ 2026-05-31"_s);
    QCOMPARE(may.kind(), PeriodPreset::Month);
    QCOMPARE(may.salaryMonth(), day("2026-05-01"));
    QCOMPARE(may.previous().rangeText(), u"2026-04-01 ~ 2026-04-30"_s);
    QCOMPARE(may.previous().salaryMonth(), day("2026-04-01"));
    QCOMPARE(may.displayText(), u"2026-05 (2026-05-01 ~ 2026-05-31)"_s);
    // The current month runs up to today and compares with the same days of the previous month.
    const BoardPeriod june = BoardPeriod::month(2026, 6, day("2026-06-02")).value();
    QCOMPARE(june.kind(), PeriodPreset::ThisMonth);
    QCOMPARE(june.rangeText(), u"2026-06-01 ~ 2026-06-02"_s);
    QCOMPARE(june.previous().rangeText(), u"2026-05-01 ~ 2026-05-02"_s);
    QCOMPARE(june.salaryMonth(), day("2026-06-01"));
    const auto future = BoardPeriod::month(2026, 7, day("2026-06-02"));
    QVERIFY(!future.ok());
    QVERIFY(future.problem().message.contains(u"2026-07"_s));
    QVERIFY(!BoardPeriod::parseMonth(u"2026-13"_s, day("2026-06-02")).ok());
    const auto words = BoardPeriod::parseMonth(u"May"_s, day("2026-06-02"));
    QVERIFY(!words.ok());
    QVERIFY(words.problem().message.contains(u"YYYY-MM"_s));
    // BOARD-2 D6: the 60 business days ending on as-of, against the 60 before (AC-B2-01, AC-B2-11).
    const BoardPeriod window = BoardPeriod::trailingDays(60, day("2026-05-31"));
    QCOMPARE(window.rangeText(), u"2026-04-02 ~ 2026-05-31"_s);
    QCOMPARE(window.previous().rangeText(), u"2026-02-01 ~ 2026-04-01"_s);
    QCOMPARE(BoardPeriod::trailingDays(60, day("2026-06-02")).rangeText(), u"2026-04-04 ~ 2026-06-02"_s);
    // BOARD-3 §6.7 (AC-B3-14): 05-10 ~ 06-09 touches May and June and is not whole months.
    const BoardPeriod split = BoardPeriod::custom(day("2026-05-10"), day("2026-06-09")).value();
    QCOMPARE(split.monthsTouched(), (QList<QDate>{day("2026-05-01"), day("2026-06-01")}));
    QVERIFY(!split.isWholeMonths());
    QVERIFY(may.isWholeMonths());
    QCOMPARE(may.monthsTouched(), QList<QDate>{day("2026-05-01")});
}

void BoardsTest::acS06_compactMoney() {
    QCOMPARE(MoneyFormat::compact(999999, kZh), u"¥9,999.99"_s);
    QCOMPARE(MoneyFormat::compact(1234567, kZh), u"¥1.23万"_s);
    QCOMPARE(MoneyFormat::compact(9999500, kZh), u"¥10.00万"_s);
    QCOMPARE(MoneyFormat::compact(9999999900, kZh), u"¥1.00亿"_s);
    QCOMPARE(MoneyFormat::compact(15000000000, kZh), u"¥1.50亿"_s);
    QCOMPARE(MoneyFormat::compact(-2500000, kZh), u"-¥2.50万"_s);
    QCOMPARE(MoneyFormat::compact(1234567, kEn), u"CN¥12.35K"_s);
    // More of the same rules: the unit boundaries, rounding half away from zero (never truncating), the
    // promotion in English, and the extremes of qint64.
    QCOMPARE(MoneyFormat::compact(1000000, kZh), u"¥1.00万"_s);
    QCOMPARE(MoneyFormat::compact(1235000, kZh), u"¥1.24万"_s); // 1.235万 → 1.24 (half away from zero)
    QCOMPARE(MoneyFormat::compact(-1235000, kZh), u"-¥1.24万"_s);
    QCOMPARE(MoneyFormat::compact(1234999, kZh), u"¥1.23万"_s);
    QCOMPARE(MoneyFormat::compact(1239999, kZh), u"¥1.24万"_s); // not truncated to 1.23
    QCOMPARE(MoneyFormat::compact(12345678900000, kZh), u"¥1,234.57亿"_s);
    QCOMPARE(MoneyFormat::compact(150000000, kEn), u"CN¥1.50M"_s);
    QCOMPARE(MoneyFormat::compact(99999, kEn), u"CN¥999.99"_s);
    QCOMPARE(MoneyFormat::compact(99999500, kEn), u"CN¥1.00M"_s); // 999.995K promotes
    QCOMPARE(MoneyFormat::compact(250000000000, kEn), u"CN¥2.50B"_s);
    QCOMPARE(MoneyFormat::compact(0, kZh), u"¥0.00"_s);
    QCOMPARE(MoneyFormat::compact(std::numeric_limits<qint64>::min(), kZh), u"-¥922,337,203.69亿"_s);
    QCOMPARE(MoneyFormat::compact(std::numeric_limits<qint64>::max(), kEn), u"CN¥92,233,720.37B"_s);
}

void BoardsTest::fullAndPlainMoneyAreExact() {
    QCOMPARE(MoneyFormat::full(1234567, kZh), u"¥12,345.67"_s);
    QCOMPARE(MoneyFormat::full(1234567, kEn), u"CN¥12,345.67"_s);
    QCOMPARE(MoneyFormat::full(-123400, kZh), u"-¥1,234.00"_s);
    QCOMPARE(MoneyFormat::full(5, kZh), u"¥0.05"_s);
    QCOMPARE(MoneyFormat::full(std::numeric_limits<qint64>::min(), kZh), u"-¥92,233,720,368,547,758.08"_s);
    QCOMPARE(MoneyFormat::plain(1234567), u"12345.67"_s);
    QCOMPARE(MoneyFormat::plain(-50), u"-0.50"_s);
    QCOMPARE(MoneyFormat::plain(0), u"0.00"_s);
    QCOMPARE(MoneyFormat::plain(std::numeric_limits<qint64>::max()), u"92233720368547758.07"_s);
}

void BoardsTest::parseYuanIsExact() {
    QCOMPARE(MoneyFormat::parseYuan(u"12345.67"_s).value(), 1234567);
    QCOMPARE(MoneyFormat::parseYuan(u"-25000"_s).value(), -2500000);
    QCOMPARE(MoneyFormat::parseYuan(u"0.5"_s).value(), 50);
    QCOMPARE(MoneyFormat::parseYuan(u" 0.07 "_s).value(), 7); // 0.07 is not exact in binary; fen are
    for (const QString& bad :
         {u"1,234.00"_s, u"12.345"_s, u"¥5"_s, u"1e5"_s, u""_s, u"NaN"_s, u"99999999999999999.99"_s}) {
        const auto r = MoneyFormat::parseYuan(bad);
        QVERIFY2(!r.ok(), qPrintable(bad));
        QVERIFY(r.problem().message.contains(bad.trimmed()));
    }
}

void BoardsTest::acS07_largestRemainderShares() {
    QCOMPARE(ShareRounding::tenthsOfPercent({1, 1, 1}).value(), (QList<qint64>{334, 333, 333}));
    // F2's accrued revenue by category (AC-B3-01), in fen.
    const QList<qint64> shares = ShareRounding::tenthsOfPercent({470000, 77000, 120000, 10000}).value();
    QCOMPARE(shares, (QList<qint64>{694, 114, 177, 15}));
    QStringList text;
    for (qint64 s : shares)
        text << ShareRounding::percentText(s);
    QCOMPARE(text, (QStringList{u"69.4%"_s, u"11.4%"_s, u"17.7%"_s, u"1.5%"_s}));
    // Always exactly 100.0%, ties to the earlier row, zero parts stay zero.
    QCOMPARE(ShareRounding::tenthsOfPercent({1, 0, 1, 1}).value(), (QList<qint64>{334, 0, 333, 333}));
    QCOMPARE(ShareRounding::tenthsOfPercent({5}).value(), QList<qint64>{1000});
    const QList<qint64> seven = ShareRounding::tenthsOfPercent({1, 1, 1, 1, 1, 1, 1}).value();
    QCOMPARE(std::accumulate(seven.begin(), seven.end(), qint64(0)), qint64(1000));
    QCOMPARE(seven, (QList<qint64>{143, 143, 143, 143, 143, 143, 142}));
    const qint64 big = std::numeric_limits<qint64>::max() / 4;
    const QList<qint64> huge = ShareRounding::tenthsOfPercent({big, big, big}).value();
    QCOMPARE(huge, (QList<qint64>{334, 333, 333}));
}

// Outflow groups and their items: rounded over all items, the one item of group B got 1.6% while B got 1.5%
// (helper-72). Each group's share is now divided among its items.
void BoardsTest::itemSharesAddUpToTheirGroupsShare() {
    QCOMPARE(ShareRounding::apportion({4922, 4923}, 985).value(), (QList<qint64>{492, 493}));
    QCOMPARE(ShareRounding::apportion({1, 1, 1}, 15).value(), (QList<qint64>{5, 5, 5}));
    QCOMPARE(ShareRounding::apportion({7}, 0).value(), QList<qint64>{0});
    const QList<qint64> groups{9845, 155}, items{4922, 4923, 155};
    // The old way, for the record: the group is 1.5%, its only item 1.6%.
    QCOMPARE(ShareRounding::tenthsOfPercent(groups).value(), (QList<qint64>{985, 15}));
    QCOMPARE(ShareRounding::tenthsOfPercent(items).value().at(2), 16);
    const QList<BoardValue> shares =
        FinanceCells::sharesWithinGroups(groups, items, [](qsizetype i) { return i < 2 ? 0 : 1; });
    QCOMPARE(shares.size(), 3);
    QCOMPARE(shares.at(0).number(), std::optional<qint64>(492));
    QCOMPARE(shares.at(1).number(), std::optional<qint64>(493));
    QCOMPARE(shares.at(2).number(), std::optional<qint64>(15));
    // A group of nothing gives its items 0.0%; shares of nothing are no data.
    const QList<BoardValue> empty =
        FinanceCells::sharesWithinGroups({10, 0}, {10, 0}, [](qsizetype i) { return i; });
    QCOMPARE(empty.at(1).number(), std::optional<qint64>(0));
    const QList<BoardValue> none = FinanceCells::sharesWithinGroups({0}, {0}, [](qsizetype) { return 0; });
    QVERIFY(!none.at(0).number());
}

void BoardsTest::sharesRefuseWhatHasNoShares() {
    QCOMPARE(ShareRounding::tenthsOfPercent({0, 0}).problem().code, u"zero_total"_s);
    QCOMPARE(ShareRounding::tenthsOfPercent({}).problem().code, u"zero_total"_s);
    const auto negative = ShareRounding::tenthsOfPercent({10, -3});
    QCOMPARE(negative.problem().code, u"negative_part"_s);
    QVERIFY(negative.problem().message.contains(u"2"_s));
    const qint64 max = std::numeric_limits<qint64>::max();
    QCOMPARE(ShareRounding::tenthsOfPercent({max, max}).problem().code, u"overflow"_s);
}

void BoardsTest::acS08_keysetPagingWithEqualKeys() {
    PagingTable table;
    for (qint64 id = 45; id >= 1; --id) // inserted backwards: the order must come from the sort
        table.insert(id, 7);
    const BoardSort sort = BoardSort::parse(QString(), pagingCatalog()).value();
    QList<int> sizes;
    const QList<KeysetCursor> rows = table.all(sort, 20, &sizes);
    QCOMPARE(sizes, (QList<int>{20, 20, 5}));
    const BoardPage page = BoardPage::make(1, 20).value();
    QCOMPARE(table.total(), 45);
    QCOMPARE(page.pageCount(table.total()), 3);
    QCOMPARE(page.toJson(table.total()).value(u"total"_s).toInt(), 45); // the same on every page
    QList<qint64> ids;
    for (const KeysetCursor& r : rows)
        ids << r.id.toLongLong();
    QList<qint64> expected;
    for (qint64 id = 1; id <= 45; ++id)
        expected << id;
    QCOMPARE(ids, expected); // 45 distinct ids, ascending, no duplicate
}

void BoardsTest::acS09_nullsLastInBothDirections() {
    PagingTable table;
    const QList<std::pair<qint64, QVariant>> data = {{1, QVariant()}, {2, 30}, {3, 10},
                                                     {4, QVariant()}, {5, 30}, {6, 20},
                                                     {7, QVariant()}, {8, 10}, {9, -5}};
    for (const auto& [id, k] : data)
        table.insert(id, k);
    const SortCatalog catalog = pagingCatalog();
    const auto idsOf = [](const QList<KeysetCursor>& rows) {
        QList<qint64> ids;
        for (const KeysetCursor& r : rows)
            ids << r.id.toLongLong();
        return ids;
    };
    const BoardSort desc = BoardSort::parse(u"k:desc"_s, catalog).value();
    const BoardSort asc = BoardSort::parse(u"k:asc"_s, catalog).value();
    const QList<qint64> descending{2, 5, 6, 3, 8, 9, 1, 4, 7};
    const QList<qint64> ascending{9, 3, 8, 6, 2, 5, 1, 4, 7};
    for (int size : {1, 2, 4, 20}) {
        QCOMPARE(idsOf(table.all(desc, size)), descending);
        QCOMPARE(idsOf(table.all(asc, size)), ascending);
    }
    // The C++ order is the SQL order.
    for (const BoardSort* sort : {&desc, &asc}) {
        QList<std::pair<qint64, QVariant>> sorted = data;
        std::sort(sorted.begin(), sorted.end(), [sort](const auto& a, const auto& b) {
            return sort->compare(a.second, a.first, b.second, b.first) < 0;
        });
        QList<qint64> ids;
        for (const auto& r : sorted)
            ids << r.first;
        QCOMPARE(ids, sort == &desc ? descending : ascending);
    }
}

void BoardsTest::jumpingToAPageContinuesFromTheKeyBeforeIt() {
    PagingTable table;
    for (qint64 id = 1; id <= 45; ++id)
        table.insert(id, id % 4 == 0 ? QVariant() : QVariant(id % 5));
    const BoardSort sort = BoardSort::parse(u"k"_s, pagingCatalog()).value();
    const QList<KeysetCursor> every = table.all(sort, 0);
    QCOMPARE(every.size(), 45);
    for (int pageNo = 1; pageNo <= 5; ++pageNo) {
        const BoardPage page = BoardPage::make(pageNo, 10).value();
        std::optional<KeysetCursor> after;
        if (const auto position = page.cursorPosition())
            after = table.at(sort, *position);
        const QList<KeysetCursor> rows = table.page(sort, after, page);
        QCOMPARE(rows.size(), pageNo < 5 ? 10 : 5);
        for (int i = 0; i < rows.size(); ++i)
            QCOMPARE(rows[i].id, every[(pageNo - 1) * 10 + i].id);
    }
}

void BoardsTest::sortRequestsComeFromTheWhitelistOnly() {
    const SortCatalog catalog = SortCatalog::make({{u"items_sum"_s, u"items_sum_fen"_s, Qt::DescendingOrder},
                                                   {u"name"_s, u"c.coach_name"_s, Qt::AscendingOrder}},
                                                  u"site_assistant_id"_s, u"items_sum"_s)
                                    .value();
    const BoardSort byDefault = BoardSort::parse(QString(), catalog).value();
    QCOMPARE(byDefault.canonical(), u"items_sum:desc"_s);
    QCOMPARE(byDefault.orderByClause(), u" ORDER BY items_sum_fen DESC NULLS LAST, site_assistant_id ASC"_s);
    QCOMPARE(BoardSort::parse(u"name"_s, catalog).value().canonical(), u"name:asc"_s);
    QCOMPARE(BoardSort::parse(u"name:DESC"_s, catalog).value().orderByClause(),
             u" ORDER BY c.coach_name DESC NULLS LAST, site_assistant_id ASC"_s);
    const auto unknown = BoardSort::parse(u"items_sum_fen; DROP TABLE bd_service_log"_s, catalog);
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.problem().field, u"sort"_s);
    QVERIFY(unknown.problem().message.contains(u"items_sum, name"_s));
    QVERIFY(!BoardSort::parse(u"items_sum:sideways"_s, catalog).ok());
    QVERIFY(!BoardSort::parse(u"items_sum_fen"_s, catalog).ok()); // SQL names are not keys
    // The catalog itself accepts only plain column names.
    QVERIFY(!SortCatalog::make({{u"x"_s, u"x) OR (1=1"_s, Qt::AscendingOrder}}, u"id"_s, u"x"_s).ok());
    QVERIFY(!SortCatalog::make({{u"x"_s, u"x"_s, Qt::AscendingOrder}}, u"id; --"_s, u"x"_s).ok());
    QVERIFY(!SortCatalog::make({{u"x"_s, u"x"_s, Qt::AscendingOrder}, {u"x"_s, u"y"_s, Qt::AscendingOrder}},
                               u"id"_s, u"x"_s)
                 .ok());
    QVERIFY(!SortCatalog::make({{u"x"_s, u"x"_s, Qt::AscendingOrder}}, u"id"_s, u"y"_s).ok());
    // The keyset condition binds values and only names catalog columns.
    const KeysetCursor cursor{QVariant(u"'; DROP TABLE x; --"_s), QVariant(3)};
    QVERIFY(!byDefault.afterClause(cursor).contains(u"DROP"_s));
    QCOMPARE(byDefault.afterBindings(cursor).size(), 3);
}

void BoardsTest::pageRequestsAreValidated() {
    QCOMPARE(BoardPage::make(1, BoardPage::kDefaultSize).value().limit(), 20);
    QCOMPARE(BoardPage::make(1, 0).value().limit(), -1);
    QVERIFY(BoardPage::make(1, 0).value().everyRow());
    QCOMPARE(BoardPage::make(1, 20).value().pageCount(0), 1);
    QCOMPARE(BoardPage::make(3, 20).value().cursorPosition(), std::optional<qint64>(39));
    QCOMPARE(BoardPage::make(0, 20).problem().field, u"page"_s);
    QCOMPARE(BoardPage::make(1, -1).problem().field, u"page_size"_s);
    QCOMPARE(BoardPage::make(1, BoardPage::kMaxSize + 1).problem().field, u"page_size"_s);
    QVERIFY(!BoardPage::make(2, 0).ok());
}

void BoardsTest::fourStatesStayDistinct() {
    const BoardValue value = BoardValue::ofSum(123400);
    const BoardValue zero = BoardValue::ofSum(0);
    const BoardValue noData = BoardValue::ofSnapshot(std::nullopt);
    const BoardValue unavailable = BoardValue::unavailable(u"the query timed out"_s);
    QCOMPARE(value.state(), CellState::Value);
    QCOMPARE(zero.state(), CellState::Zero);
    QCOMPARE(BoardValue::ofSnapshot(0).state(), CellState::Zero);
    QCOMPARE(noData.state(), CellState::NoData);
    QCOMPARE(unavailable.state(), CellState::Unavailable);
    QCOMPARE(value.display(ValueUnit::Fen, kZh), u"¥1,234.00"_s);
    QCOMPARE(zero.display(ValueUnit::Fen, kZh), u"¥0.00"_s);
    QCOMPARE(noData.display(ValueUnit::Fen, kZh), kDash);
    QCOMPARE(unavailable.display(ValueUnit::Fen, kZh), QString(QChar(0x26A0)) + u' ' + kDash);
    QCOMPARE(value.csv(ValueUnit::Fen), u"1234.00"_s);
    QCOMPARE(zero.csv(ValueUnit::Fen), u"0.00"_s);
    QCOMPARE(noData.csv(ValueUnit::Fen), QString());
    QCOMPARE(unavailable.csv(ValueUnit::Fen), QString());
    QCOMPARE(QStringList({value.stateKey(), zero.stateKey(), noData.stateKey(), unavailable.stateKey()}),
             (QStringList{u"value"_s, u"zero"_s, u"no_data"_s, u"unavailable"_s}));
    QCOMPARE(value.toJson(ValueUnit::Fen).value(u"value"_s).toDouble(), 1234.0);
    QVERIFY(!noData.toJson(ValueUnit::Fen).contains(u"value"_s));
    QCOMPARE(unavailable.toJson(ValueUnit::Fen).value(u"reason"_s).toString(), u"the query timed out"_s);
    QVERIFY(value.tooltip().isEmpty());
    // The other units.
    QCOMPARE(BoardValue::ofSum(14400).display(ValueUnit::Seconds, kEn), u"4.00 h"_s);
    QCOMPARE(BoardValue::ofSum(5400).csv(ValueUnit::Seconds), u"1.50"_s);
    QCOMPARE(BoardValue::ofSum(12345).display(ValueUnit::Count, kEn), u"12,345"_s);
    QCOMPARE(BoardValue::ofSum(467).display(ValueUnit::Tenths, kEn), u"46.7%"_s);
    QCOMPARE(BoardValue::ofSum(467).csv(ValueUnit::Tenths), u"46.7"_s);
    QCOMPARE(BoardValue::ofSum(9250).display(ValueUnit::Hundredths, kEn), u"92.50"_s);
    // A board's WBI total is grouped on screen like every other figure, and plain in a CSV.
    QCOMPARE(BoardValue::ofSum(109237078).display(ValueUnit::Hundredths, kEn), u"1,092,370.78"_s);
    QCOMPARE(BoardValue::ofSum(-109237078).display(ValueUnit::Hundredths, kEn), u"-1,092,370.78"_s);
    QCOMPARE(BoardValue::ofSum(109237078).csv(ValueUnit::Hundredths), u"1092370.78"_s);
    // Visits per week: a count in tenths, grouped on screen (a site's total reaches tens of thousands).
    QCOMPARE(BoardValue::ofSum(309370).display(ValueUnit::CountTenths, kEn), u"30,937.0"_s);
    QCOMPARE(BoardValue::ofSum(4).display(ValueUnit::CountTenths, kEn), u"0.4"_s);
    QCOMPARE(BoardValue::ofSum(309370).csv(ValueUnit::CountTenths), u"30937.0"_s);
    QCOMPARE(BoardValue::ofSum(69).toJson(ValueUnit::CountTenths).value(u"value"_s).toDouble(), 6.9);
    // A PoP of a missing figure is no data, not "new" (AC-B1-06: A3 has no April salary row).
    QCOMPARE(PeriodChange::of(BoardValue::ofSum(8000).comparable(), noData.comparable()).text(), kDash);
    Chinese zh;
    QCOMPARE(unavailable.tooltip(), u"暂不可用：the query timed out"_s);
    QCOMPARE(BoardValue::ofSum(14400).display(ValueUnit::Seconds, kZh), u"4.00 小时"_s);
}

void BoardsTest::totalsRowCoversTheWholeSetExactly() {
    // AC-B1-07: course cost and gross pay over all three coaches, not a page of two.
    QCOMPARE(BoardValue::total({BoardValue::ofSum(30000), BoardValue::ofSum(10000), BoardValue::ofSum(8000)}),
             BoardValue::ofSum(48000));
    // Rows without a snapshot are skipped; all without is no data; zero stays a computed zero.
    QCOMPARE(BoardValue::total({BoardValue::ofSum(32000), BoardValue::noData()}), BoardValue::ofSum(32000));
    QCOMPARE(BoardValue::total({BoardValue::noData(), BoardValue::noData()}).state(), CellState::NoData);
    QCOMPARE(BoardValue::total({}).state(), CellState::NoData);
    QCOMPARE(BoardValue::total({BoardValue::ofSum(0), BoardValue::noData()}).state(), CellState::Zero);
    // One unavailable row makes the total unavailable: a partial sum would look complete.
    const BoardValue partial = BoardValue::total(
        {BoardValue::ofSum(1), BoardValue::unavailable(u"timeout"_s), BoardValue::ofSum(2)});
    QCOMPARE(partial.state(), CellState::Unavailable);
    QCOMPARE(partial.reason(), u"timeout"_s);
    // Overflow is never a wrapped or saturated number.
    const qint64 max = std::numeric_limits<qint64>::max();
    QCOMPARE(BoardValue::total({BoardValue::ofSum(max), BoardValue::ofSum(1)}).state(),
             CellState::Unavailable);
    QCOMPARE(BoardValue::total({BoardValue::ofSum(max), BoardValue::ofSum(1), BoardValue::ofSum(-1)}).state(),
             CellState::Unavailable);
    QCOMPARE(BoardValue::total({BoardValue::ofSum(max), BoardValue::ofSum(-1), BoardValue::ofSum(1)}),
             BoardValue::ofSum(max));
}

// A step whose query would run for minutes stops at its deadline (the SQLite progress handler), is reported
// as timed out, and leaves the connection as it was: later statements run to the end.
void BoardsTest::enrichmentStillRunningAtItsDeadlineIsInterrupted() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString name = u"boards_deadline"_s;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dir.filePath(u"deadline.sqlite"_s));
        QVERIFY(db.open());
        const QString endless = u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < "
                                "4000000000) SELECT count(*) FROM c"_s;
        EnrichmentRunner runner(u"coach"_s, 150);
        runner.interruptOn(db);
        QElapsedTimer timer;
        timer.start();
        QString error;
        QVERIFY(
            !runner.runEnrichment(u"top3"_s, {u"top3"_s}, [&](const EnrichmentRunner::Deadline&) -> Status {
                QSqlQuery q(db);
                if (!q.exec(endless) || !q.next()) {
                    error = q.lastError().text();
                    return Problem{u"query_failed"_s, error, {}};
                }
                return success();
            }));
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(error.contains(u"interrupt"_s, Qt::CaseInsensitive), qPrintable(error));
        QVERIFY(runner.outcome().isUnavailable(u"top3"_s));
        QVERIFY(runner.outcome().unavailableReason(u"top3"_s).contains(u"0.1"_s) ||
                runner.outcome().unavailableReason(u"top3"_s).contains(u"0.2"_s));
        // The handler is gone once the step returned: a statement longer than the old deadline completes.
        QSqlQuery after(db);
        QVERIFY2(
            after.exec(u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) "
                       "SELECT count(*) FROM c"_s) &&
                after.next(),
            qPrintable(after.lastError().text()));
        QCOMPARE(after.value(0).toLongLong(), 3000000);
        // Without a connection to interrupt, the step runs to its end and is still counted as late.
        EnrichmentRunner late(u"coach"_s, 1);
        QVERIFY(!late.runEnrichment(u"slow"_s, {u"slow"_s}, [&](const EnrichmentRunner::Deadline&) -> Status {
            QSqlQuery q(db);
            return q.exec(u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) "
                          "SELECT count(*) FROM c"_s) &&
                           q.next()
                       ? success()
                       : Status(Problem{u"query_failed"_s, q.lastError().text(), {}});
        }));
        QVERIFY(late.outcome().isUnavailable(u"slow"_s));
    }
    QSqlDatabase::removeDatabase(name);
}

void BoardsTest::acS10_failingEnrichmentOnlyLosesItsFields() {
    if (!BoardFaults::compiledIn())
        QSKIP("the fault hook is compiled only into test builds");
#ifdef RISKDESK_BOARD_FAULTS
    BoardFaults::set({u"coach.top3"_s});
    EnrichmentRunner coach(u"coach"_s);
    QList<BoardValue> income;
    QVERIFY(coach.runCore(u"rows"_s, [&](const EnrichmentRunner::Deadline&) {
        income = {BoardValue::ofSum(44000), BoardValue::ofSum(18000)};
        return success();
    }));
    bool top3Ran = false;
    QVERIFY(!coach.runEnrichment(u"top3"_s, {u"top3"_s}, [&](const EnrichmentRunner::Deadline&) {
        top3Ran = true;
        return success();
    }));
    QVERIFY(!top3Ran); // the injected fault stands for the query failing
    QVERIFY(coach.runEnrichment(u"sourced_value"_s, {u"recharge_amount"_s, u"recharge_count"_s},
                                [](const EnrichmentRunner::Deadline&) { return success(); }));
    const SectionOutcome& outcome = coach.outcome();
    QCOMPARE(outcome.status(), SectionOutcome::Status::Partial);
    QVERIFY(outcome.isUnavailable(u"top3"_s));
    QVERIFY(!outcome.isUnavailable(u"recharge_amount"_s));
    QVERIFY(!outcome.isUnavailable(u"items_sum"_s));
    QVERIFY(outcome.unavailableReason(u"top3"_s).contains(u"coach.top3"_s));
    QCOMPARE(outcome.unavailableColumn(), u"top3"_s); // the CSV's _unavailable column
    QCOMPARE(income, (QList<BoardValue>{BoardValue::ofSum(44000), BoardValue::ofSum(18000)}));
    // Another section runs as if nothing happened.
    EnrichmentRunner customer(u"customer"_s);
    QVERIFY(customer.runCore(u"rows"_s, [](const EnrichmentRunner::Deadline&) { return success(); }));
    QVERIFY(customer.runEnrichment(u"top3"_s, {u"top3"_s},
                                   [](const EnrichmentRunner::Deadline&) { return success(); }));
    QCOMPARE(customer.outcome().status(), SectionOutcome::Status::Ok);
    QVERIFY(customer.outcome().headerNote().isEmpty());
    // The cell of the failed field, and the header.
    const BoardValue cell = BoardValue::unavailable(outcome.unavailableReason(u"top3"_s));
    QCOMPARE(cell.display(ValueUnit::Count, kZh), QString(QChar(0x26A0)) + u' ' + kDash);
    QCOMPARE(outcome.toJson().value(u"status"_s).toString(), u"partial"_s);
    {
        Chinese zh;
        QVERIFY(outcome.headerNote().startsWith(u"部分数据暂不可用"_s));
        QVERIFY(outcome.headerNote().contains(u"重试"_s));
    }
    // Section wildcards, and clearing.
    BoardFaults::set({u"finance.*"_s});
    QVERIFY(BoardFaults::shouldFail(u"finance.outflow"_s));
    QVERIFY(!BoardFaults::shouldFail(u"financex.outflow"_s));
    QVERIFY(!BoardFaults::shouldFail(u"coach.top3"_s));
    BoardFaults::clear();
    QVERIFY(!BoardFaults::shouldFail(u"finance.outflow"_s));
#endif
}

void BoardsTest::acS11_failingCoreIsAnErrorNotAnEmptyTable() {
    EnrichmentRunner outflow(u"finance.outflow"_s);
    QVERIFY(!outflow.runCore(u"rows"_s, [](const EnrichmentRunner::Deadline&) -> Status {
        return Problem{u"sql"_s, u"database disk image is malformed"_s, {}};
    }));
    bool enriched = false;
    QVERIFY(!outflow.runEnrichment(u"items"_s, {u"items"_s}, [&](const EnrichmentRunner::Deadline&) {
        enriched = true;
        return success();
    }));
    QVERIFY(!enriched); // no rows to enrich
    QCOMPARE(outflow.outcome().status(), SectionOutcome::Status::Error);
    QCOMPARE(outflow.outcome().coreError(), std::optional<QString>(u"database disk image is malformed"_s));
    QVERIFY(outflow.outcome().failures().isEmpty());
    QCOMPARE(outflow.outcome().toJson().value(u"error"_s).toString(), u"database disk image is malformed"_s);
    EnrichmentRunner inflow(u"finance.inflow"_s);
    QVERIFY(inflow.runCore(u"rows"_s, [](const EnrichmentRunner::Deadline&) { return success(); }));
    QCOMPARE(inflow.outcome().status(), SectionOutcome::Status::Ok);
    Chinese zh;
    const QString note = outflow.outcome().headerNote();
    QVERIFY(note.contains(u"database disk image is malformed"_s));
    QVERIFY(note.contains(u"重试"_s));
#ifdef RISKDESK_BOARD_FAULTS
    BoardFaults::set({u"finance.outflow.rows"_s});
    EnrichmentRunner injected(u"finance.outflow"_s);
    QVERIFY(!injected.runCore(u"rows"_s, [](const EnrichmentRunner::Deadline&) { return success(); }));
    QCOMPARE(injected.outcome().status(), SectionOutcome::Status::Error);
    BoardFaults::clear();
#endif
}

void BoardsTest::enrichmentsTimeOutAndThrowIndependently() {
    qint64 now = 1000;
    EnrichmentRunner runner(u"customer"_s, EnrichmentRunner::kSqliteTimeoutMs, [&now] { return now; });
    QVERIFY(runner.runCore(u"rows"_s, [&](const EnrichmentRunner::Deadline& d) {
        now += 1999; // just in time
        return d.passed() ? Status(Problem{u"late"_s, u"late"_s, {}}) : success();
    }));
    qint64 seenRemaining = -1;
    QVERIFY(!runner.runEnrichment(u"last_visit"_s, {u"lastVisitDays"_s},
                                  [&](const EnrichmentRunner::Deadline& d) {
                                      seenRemaining = d.remainingMs();
                                      now += 2001; // answers, but too late: the answer is not used
                                      return success();
                                  }));
    QCOMPARE(seenRemaining, 2000);
    QVERIFY(
        !runner.runEnrichment(u"balance"_s, {u"balance"_s}, [](const EnrichmentRunner::Deadline&) -> Status {
            throw std::runtime_error("out of memory");
        }));
    QVERIFY(runner.runEnrichment(u"coaches"_s, {u"coaches"_s},
                                 [](const EnrichmentRunner::Deadline&) { return success(); }));
    const SectionOutcome& o = runner.outcome();
    QCOMPARE(o.status(), SectionOutcome::Status::Partial);
    QCOMPARE(o.failures().size(), 2);
    QVERIFY(o.failures()[0].timedOut);
    QVERIFY(o.failures()[0].reason.contains(u"2.0"_s));
    QVERIFY(!o.failures()[1].timedOut);
    QCOMPARE(o.failures()[1].reason, u"out of memory"_s);
    QCOMPARE(o.unavailableFields(), (QStringList{u"lastVisitDays"_s, u"balance"_s}));
    QCOMPARE(o.unavailableColumn(), u"lastVisitDays;balance"_s);
    QVERIFY(!o.isUnavailable(u"coaches"_s));
}

void BoardsTest::acB3_15_derivedFigureUnavailableWhenAnInputIs() {
    const BoardValue k4 = BoardValue::ofSum(694000);
    const BoardValue k5 = BoardValue::unavailable(u"injected fault in finance.outflow"_s);
    QCOMPARE(BoardValue::difference(k4, k5).state(), CellState::Unavailable);
    QCOMPARE(BoardValue::difference(k4, BoardValue::ofSum(616000)), BoardValue::ofSum(78000)); // AC-B3-07
    QCOMPARE(BoardValue::difference(k4, BoardValue::noData()).state(), CellState::NoData);
    QCOMPARE(BoardValue::difference(BoardValue::ofSum(5), BoardValue::ofSum(5)).state(), CellState::Zero);
    QCOMPARE(
        BoardValue::difference(BoardValue::ofSum(std::numeric_limits<qint64>::min()), BoardValue::ofSum(1))
            .state(),
        CellState::Unavailable);
}

void BoardsTest::reconciliationWarningsAreNeverDropped() {
    SectionOutcome outcome(u"finance.prepaid"_s);
    outcome.addWarning(ReconciliationWarning::compare(ReconciliationWarning::Kind::RuleDifference, u"coach"_s,
                                                      77000, 77000)); // equal: nothing
    QVERIFY(outcome.warnings().isEmpty());
    outcome.addWarning(ReconciliationWarning::compare(ReconciliationWarning::Kind::RuleDifference, u"coach"_s,
                                                      77000, 76000));
    outcome.addWarning(ReconciliationWarning::compare(ReconciliationWarning::Kind::DoesNotReconcile,
                                                      u"tenders"_s, std::nullopt, 677000));
    outcome.failEnrichment({u"items"_s, {u"items"_s}, u"timeout"_s, true});
    outcome.failCore(u"broken"_s);
    outcome.failCore(u"second failure"_s);
    // Degradation changes the status, not the warnings.
    QCOMPARE(outcome.status(), SectionOutcome::Status::Error);
    QCOMPARE(outcome.coreError(), std::optional<QString>(u"broken"_s));
    QCOMPARE(outcome.warnings().size(), 2);
    QCOMPARE(outcome.warnings()[0].kind(), ReconciliationWarning::Kind::RuleDifference);
    QCOMPARE(outcome.warnings()[0].difference(), std::optional<qint64>(-1000));
    QCOMPARE(outcome.warnings()[1].kind(), ReconciliationWarning::Kind::CannotReconcile);
    QCOMPARE(outcome.toJson().value(u"warnings"_s).toArray().size(), 2);
    Chinese zh;
    QCOMPARE(outcome.warnings()[0].label(), u"口径差异"_s);
    QCOMPARE(outcome.warnings()[1].label(), u"无法对账"_s);
    QCOMPARE(ReconciliationWarning::labelFor(ReconciliationWarning::Kind::DoesNotReconcile), u"对账不平"_s);
    QVERIFY(outcome.warnings()[0].message(kZh).contains(u"-¥10.00"_s));
    QVERIFY(outcome.warnings()[1].message(kZh).contains(u"tenders"_s));
}

void BoardsTest::acB3_09_11_rollForward() {
    // F2's Section 2: both rows reconcile.
    const RollForward stored{1000000, 300000, 245000, 20000, 0, 1035000};
    const RollForward gift{150000, 60000, 38000, 0, -2000, 170000};
    QCOMPARE(ReconciliationWarning::rollForward(u"stored-value"_s, stored), std::nullopt);
    QCOMPARE(ReconciliationWarning::rollForward(u"gift"_s, gift), std::nullopt);
    QCOMPARE(BoardValue::total({BoardValue::ofSum(1035000), BoardValue::ofSum(170000)}),
             BoardValue::ofSum(1205000));
    // AC-B3-11: the closing altered to 10,351.00 shows the mark and a difference of 1.00; the value stays.
    RollForward altered = stored;
    altered.closing = 1035100;
    const auto w = ReconciliationWarning::rollForward(u"stored-value"_s, altered);
    QVERIFY(w);
    QCOMPARE(w->kind(), ReconciliationWarning::Kind::DoesNotReconcile);
    QCOMPARE(w->difference(), std::optional<qint64>(100));
    QCOMPARE(w->actual(), std::optional<qint64>(1035100));
    QCOMPARE(w->expected(), std::optional<qint64>(1035000));
    QCOMPARE(w->toJson().value(u"difference"_s).toDouble(), 1.0);
    // A missing part (its query failed) cannot reconcile, and says so; so does an overflow on the way.
    RollForward missing = stored;
    missing.refunds.reset();
    QCOMPARE(ReconciliationWarning::rollForward(u"stored-value"_s, missing)->kind(),
             ReconciliationWarning::Kind::CannotReconcile);
    missing.closing.reset();
    QCOMPARE(
        ReconciliationWarning::rollForward(u"stored-value"_s, missing)->message(QLocale(QLocale::English)),
        u"stored-value: Cannot reconcile. Missing: refunds, closing balance."_s);
    RollForward huge = stored;
    huge.opening = std::numeric_limits<qint64>::max();
    QCOMPARE(ReconciliationWarning::rollForward(u"stored-value"_s, huge)->kind(),
             ReconciliationWarning::Kind::CannotReconcile);
    // Only the gift card lacks its opening balance: the total names it, not every card type.
    FinancePrepaidMatrix::Figures partial;
    partial.openingDay = QDate(2026, 4, 30);
    RollForward giftWithoutOpening = gift;
    giftWithoutOpening.opening.reset();
    partial.rows = {{u"stored_value"_s, stored, 12}, {u"gift"_s, giftWithoutOpening, 3}};
    const QLocale english(QLocale::English);
    const BoardTable prepaid = FinancePrepaidMatrix::table(partial, english);
    QCOMPARE(prepaid.rows()[0].cells.last().text, u"Reconciles"_s);
    QCOMPARE(prepaid.totals()->cells.last().note,
             u"Prepaid total: Cannot reconcile. Missing: opening balance of Gift card (no closing balance is "
             "recorded for 2026-04-30)."_s);
    QCOMPARE(prepaid.rows()[1].cells.last().note,
             u"Gift card: Cannot reconcile. Missing: opening balance (no closing balance is recorded for "
             "2026-04-30)."_s);
    Chinese zh;
    const QString message = w->message(kZh);
    QVERIFY(message.contains(u"对账不平"_s));
    QVERIFY(message.contains(u"¥1.00"_s));
    QVERIFY(message.contains(u"¥10,351.00"_s));
}

void BoardsTest::acB1_10_salaryIdentityIsAWarning() {
    const auto check = [](qint64 base, qint64 bonus, qint64 sprint, qint64 gross) {
        const auto sum = ExactMath::add(*ExactMath::add(base, bonus), sprint);
        return ReconciliationWarning::compare(ReconciliationWarning::Kind::RuleDifference, u"A2"_s, sum,
                                              gross);
    };
    // F1, May: A1 240 + 60 + 20 = 320, A2 100, A3 80: no warning.
    QCOMPARE(check(24000, 6000, 2000, 32000), std::nullopt);
    QCOMPARE(check(10000, 0, 0, 10000), std::nullopt);
    QCOMPARE(check(8000, 0, 0, 8000), std::nullopt);
    // A2's gross changed to 110.00: one warning, no error; the section is still whole.
    SectionOutcome coach(u"coach"_s);
    coach.addWarning(check(10000, 0, 0, 11000));
    QCOMPARE(coach.warnings().size(), 1);
    QCOMPARE(coach.warnings()[0].difference(), std::optional<qint64>(1000));
    QCOMPARE(coach.status(), SectionOutcome::Status::Ok);
}

void BoardsTest::acS16_upDownColours() {
    using S = TrendColors::Scheme;
    const QColor red = TrendColors::colorFor(Trend::Up, S::RedUp);
    const QColor green = TrendColors::colorFor(Trend::Down, S::RedUp);
    QVERIFY(red.red() > red.green());
    QVERIFY(green.green() > green.red());
    QCOMPARE(TrendColors::defaultFor(kZh), S::RedUp);
    QCOMPARE(TrendColors::defaultFor(kEn), S::GreenUp);
    QCOMPARE(TrendColors::colorFor(Trend::Up, TrendColors::effective(std::nullopt, kZh)), red);
    QCOMPARE(TrendColors::colorFor(Trend::Down, TrendColors::effective(std::nullopt, kZh)), green);
    QCOMPARE(TrendColors::colorFor(Trend::Up, TrendColors::effective(std::nullopt, kEn)), green);
    QCOMPARE(TrendColors::colorFor(Trend::Down, TrendColors::effective(std::nullopt, kEn)), red);
    // The setting overrides the language in both directions.
    QCOMPARE(TrendColors::colorFor(Trend::Up, TrendColors::effective(S::GreenUp, kZh)), green);
    QCOMPARE(TrendColors::colorFor(Trend::Up, TrendColors::effective(S::RedUp, kEn)), red);
    QCOMPARE(TrendColors::colorFor(Trend::Flat, S::RedUp), TrendColors::colorFor(Trend::Flat, S::GreenUp));
    QCOMPARE(TrendColors::fromKey(TrendColors::key(S::GreenUp)), std::optional(S::GreenUp));
    QCOMPARE(TrendColors::fromKey(u"purple"_s), std::nullopt);
    // Arrows are there whatever the colours.
    QCOMPARE(PeriodChange::of(2, 1).arrow(), kUp);
    QCOMPARE(PeriodChange::of(1, 2).arrow(), kDown);
    QCOMPARE(PeriodChange::of(2, 2).arrow(), kFlat);
}

void BoardsTest::acB2_04_weeklyVisitsAreExact() {
    QCOMPARE(ExactMath::weeklyVisitsTenths(4), std::optional<qint64>(5)); // 0.466… → 0.5
    QCOMPARE(ExactMath::weeklyVisitsTenths(3), std::optional<qint64>(4)); // exactly 0.35 → 0.4, not 0.3
    QCOMPARE(ExactMath::weeklyVisitsTenths(1), std::optional<qint64>(1));
    QCOMPARE(ExactMath::weeklyVisitsTenths(0), std::optional<qint64>(0));
    QCOMPARE(ExactMath::weeklyVisitsTenths(60), std::optional<qint64>(70));
}

void BoardsTest::exactArithmeticReportsOverflow() {
    const qint64 max = std::numeric_limits<qint64>::max();
    const qint64 min = std::numeric_limits<qint64>::min();
    QCOMPARE(ExactMath::add(max, 1), std::nullopt);
    QCOMPARE(ExactMath::subtract(min, 1), std::nullopt);
    QCOMPARE(ExactMath::multiply(max / 2 + 1, 2), std::nullopt);
    QCOMPARE(ExactMath::add(max, -1), std::optional<qint64>(max - 1));
    QCOMPARE(ExactMath::divideRounded(5, 2), std::optional<qint64>(3));
    QCOMPARE(ExactMath::divideRounded(-5, 2), std::optional<qint64>(-3));
    QCOMPARE(ExactMath::divideRounded(5, -2), std::optional<qint64>(-3));
    QCOMPARE(ExactMath::divideRounded(-7, 3), std::optional<qint64>(-2));
    QCOMPARE(ExactMath::divideRounded(1, 0), std::nullopt);
    QCOMPARE(ExactMath::divideRounded(__int128(max) * 4, 2), std::nullopt);
    ExactSum sum;
    sum.add(max);
    QCOMPARE(sum.value(), std::optional<qint64>(max));
    sum.add(1);
    sum.add(-5); // once lost, the total stays lost
    QVERIFY(sum.overflowed());
    QCOMPARE(sum.value(), std::nullopt);
    QCOMPARE(sum.count(), 3);
}

void BoardsTest::boardFiguresFromTheFixtures() {
    // AC-B1-05: service income against April, per coach and for the totals row.
    QCOMPARE(PeriodChange::of(44000, 30000).text(), u"+46.7%"_s);
    QCOMPARE(PeriodChange::of(18000, 15000).text(), u"+20.0%"_s);
    QCOMPARE(PeriodChange::of(15000, 0).kind(), PeriodChange::Kind::New);
    QCOMPARE(PeriodChange::of(77000, 45000).text(), u"+71.1%"_s);
    // AC-B1-06: gross pay against April's salary rows; A3 has none.
    QCOMPARE(PeriodChange::of(32000, 28000).text(), u"+14.3%"_s);
    QCOMPARE(PeriodChange::of(10000, 9000).text(), u"+11.1%"_s);
    QCOMPARE(PeriodChange::of(8000, std::nullopt).text(), kDash);
    // AC-B3-07 and AC-B3-12: K6 against a negative April; K1, K2, K4.
    QCOMPARE(PeriodChange::of(78000, -20000).text(), u"+490.0%"_s);
    QCOMPARE(PeriodChange::of(78000, -20000).arrow(), kUp);
    QCOMPARE(PeriodChange::of(677000, 600000).text(), u"+12.8%"_s);
    QCOMPARE(PeriodChange::of(33000, 0).kind(), PeriodChange::Kind::New);
    QCOMPARE(PeriodChange::of(694000, 694000).text(), u"0.0%"_s);
    QCOMPARE(PeriodChange::of(694000, 694000).arrow(), kFlat);
    // AC-B3-13: incentive share 60 / 480, gross per coach 500 / 3, course-cost ratio 480 / 770.
    QCOMPARE(ExactMath::divideRounded(__int128(6000) * 1000, 48000), std::optional<qint64>(125));
    QCOMPARE(ExactMath::divideRounded(50000, 3), std::optional<qint64>(16667));
    QCOMPARE(ExactMath::divideRounded(__int128(48000) * 1000, 77000), std::optional<qint64>(623));
    // AC-B2-01: the D6 tab total is the April window plus May.
    QCOMPARE(BoardValue::total({BoardValue::ofSum(45000), BoardValue::ofSum(77000)}),
             BoardValue::ofSum(122000));
}

QTEST_GUILESS_MAIN(BoardsTest)
#include "tst_boards.moc"
