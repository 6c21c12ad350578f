#include "RiskOpsBoard.h"

#include "BoardSort.h"
#include "ExactMath.h"
#include "NearestRankPercentile.h"
#include "RiskOpsHistory.h"
#include "WeekdayHourTable.h"
#include "domain/DomainTypes.h"
#include "domain/SystemComment.h"
#include "engine/AssessmentText.h"
#include "store/ApprovalLogRepository.h"
#include "store/ChainCheckLog.h"
#include "store/NativeStatement.h"
#include "store/SqlProblem.h"

#include <QDateTime>
#include <QJsonArray>
#include <QMap>
#include <QSqlQuery>
#include <QTimeZone>
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <string_view>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

using T = BoardTableColumn::Type;
constexpr qint64 kHourMs = 3600LL * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;
const QStringList kSeverityOrder{u"critical"_s, u"high"_s, u"medium"_s, u"low"_s};
const QStringList kBucketKeys{u"lt4h"_s, u"4to24h"_s, u"1to3d"_s, u"gt3d"_s};

// [from, to) in UTC milliseconds.
struct Window {
    qint64 from = 0;
    qint64 to = 0;
    bool contains(qint64 t) const { return t >= from && t < to; }
};

qint64 dayStartMs(const QDate& day) {
    return QDateTime(day, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
}

Window windowOf(const BoardPeriod& period) {
    return {dayStartMs(period.from()), dayStartMs(period.to().addDays(1))};
}

QString isoTime(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(u"yyyy-MM-ddTHH:mm:ssZ"_s);
}

// An instant in a title or a comparison, read by people in either language: "2026-05-17 12:00 UTC" (the board
// counts in UTC; cells and parameters keep the ISO form above for exports and scripts).
QString shownTime(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(u"yyyy-MM-dd HH:mm 'UTC'"_s);
}

qint64 secondsOf(qint64 ms) {
    return ExactMath::divideRounded(ms, 1000).value_or(0);
}

BoardValue durationValue(std::optional<qint64> ms) {
    return ms ? BoardValue::ofSum(secondsOf(*ms)) : BoardValue::noData();
}

std::optional<qint64> durationSeconds(std::optional<qint64> ms) {
    return ms ? std::optional<qint64>(secondsOf(*ms)) : std::nullopt;
}

std::optional<Ratio> ratioOf(qint64 numerator, qint64 denominator) {
    if (denominator == 0)
        return std::nullopt;
    return Ratio{numerator, denominator};
}

// A rate in tenths of a percent, rounded half away from zero after the exact division; no rate is no data.
BoardValue rateValue(std::optional<Ratio> r) {
    if (!r)
        return BoardValue::noData();
    const auto tenths = ExactMath::divideRounded(__int128(r->numerator) * 1000, r->denominator);
    return tenths ? BoardValue::ofSum(*tenths)
                  : BoardValue::unavailable(RiskOpsBoard::tr("the rate overflows"));
}

QString finalKey(RiskOpsFinal f) {
    switch (f) {
    case RiskOpsFinal::Approve:
        return u"approve"_s;
    case RiskOpsFinal::Reject:
        return u"reject"_s;
    case RiskOpsFinal::AutoReject:
        return u"auto_reject"_s;
    case RiskOpsFinal::None:
        break;
    }
    return {};
}

QString finalLabel(RiskOpsFinal f) {
    switch (f) {
    case RiskOpsFinal::Approve:
        return RiskOpsBoard::tr("Approved");
    case RiskOpsFinal::Reject:
        return RiskOpsBoard::tr("Rejected");
    case RiskOpsFinal::AutoReject:
        return RiskOpsBoard::tr("Auto-rejected");
    case RiskOpsFinal::None:
        break;
    }
    return {};
}

QString severityLabel(const QString& severity) {
    if (severity == u"critical")
        return RiskOpsBoard::tr("Critical");
    if (severity == u"high")
        return RiskOpsBoard::tr("High");
    if (severity == u"medium")
        return RiskOpsBoard::tr("Medium");
    if (severity == u"low")
        return RiskOpsBoard::tr("Low");
    return severity;
}

QString bucketLabel(int bucket) {
    switch (bucket) {
    case 0:
        return RiskOpsBoard::tr("< 4 h");
    case 1:
        return RiskOpsBoard::tr("4–24 h");
    case 2:
        return RiskOpsBoard::tr("1–3 d");
    default:
        return RiskOpsBoard::tr("> 3 d");
    }
}

int bucketOf(qint64 ageMs) {
    if (ageMs < 4 * kHourMs)
        return 0;
    if (ageMs < kDayMs)
        return 1;
    if (ageMs <= 3 * kDayMs)
        return 2;
    return 3;
}

// ---- Figures of one period (flows) and of one instant (the queue) ----

struct FlowFigures {
    QList<const RiskOpsCase*> intake;
    QList<const RiskOpsCase*> decided; // final decision in the period
    qint64 approvals = 0;
    qint64 rejections = 0;
    qint64 autoRejections = 0;
    qint64 met = 0;
    std::vector<qint64> ttd;         // every final decision
    std::vector<qint64> manualTtd;   // without the automatic rejections
    std::vector<qint64> firstAction; // two-step rules: the first person's action
    qint64 fourEyesAll = 0;
    QList<const RiskOpsCase*> fourEyesViolations;

    qint64 decisions() const { return approvals + rejections + autoRejections; }
};

bool slaMet(const RiskOpsCase& c, const RiskOpsHistory& h) {
    // An automatic rejection is a breach: the window ended with no decision.
    return c.final != RiskOpsFinal::AutoReject && c.finalAtMs - c.applyMs <= h.slaMs(c.severity);
}

FlowFigures flowsOf(const RiskOpsHistory& h, const Window& w) {
    FlowFigures f;
    for (const RiskOpsCase& c : h.cases()) {
        if (w.contains(c.applyMs))
            f.intake.append(&c);
        if (c.twoStep() && w.contains(c.firstActionMs))
            f.firstAction.push_back(c.firstActionMs - c.applyMs);
        if (c.final == RiskOpsFinal::None || !w.contains(c.finalAtMs))
            continue;
        f.decided.append(&c);
        const qint64 ttd = c.finalAtMs - c.applyMs;
        f.ttd.push_back(ttd);
        if (c.final != RiskOpsFinal::AutoReject)
            f.manualTtd.push_back(ttd);
        if (c.final == RiskOpsFinal::Approve)
            ++f.approvals;
        else if (c.final == RiskOpsFinal::Reject)
            ++f.rejections;
        else
            ++f.autoRejections;
        if (slaMet(c, h))
            ++f.met;
        if (c.final == RiskOpsFinal::Approve && c.twoStep()) {
            ++f.fourEyesAll;
            if (!c.fourEyes)
                f.fourEyesViolations.append(&c);
        }
    }
    // The board names the violations in the order it lists exceptions, however they were read.
    std::sort(f.fourEyesViolations.begin(), f.fourEyesViolations.end(),
              [&h](const RiskOpsCase* a, const RiskOpsCase* b) {
                  return a->applyMs != b->applyMs ? a->applyMs < b->applyMs : h.recordId(*a) < h.recordId(*b);
              });
    return f;
}

// The queue at one instant: its counts, and (for a drill-down, which lists them) its cases.
struct QueueFigures {
    qint64 pending = 0;
    std::array<qint64, 4> buckets{};
    qint64 pastSla = 0;
    qint64 expiring = 0;
    std::vector<qint64> ages;
    struct Lists {
        QList<const RiskOpsCase*> pending;
        std::array<QList<const RiskOpsCase*>, 4> buckets;
        QList<const RiskOpsCase*> pastSla;
        QList<const RiskOpsCase*> expiring;
    } lists;
};

enum class QueueLists { Counts, Kept };

// The board itself shows only counts: a list of every pending case's address, bucket, SLA breach and expiry
// was some 700,000 appends per request for nothing.
QueueFigures queueAt(const RiskOpsHistory& h, qint64 t, QueueLists keep) {
    QueueFigures q;
    const bool lists = keep == QueueLists::Kept;
    for (const RiskOpsCase& c : h.cases()) {
        if (!c.pendingAt(t))
            continue;
        const qint64 age = t - c.applyMs;
        const int bucket = bucketOf(age);
        const bool pastSla = age > h.slaMs(c.severity);
        const bool expiring = c.validEndMs - t < kDayMs;
        ++q.pending;
        ++q.buckets[size_t(bucket)];
        q.pastSla += pastSla;
        q.expiring += expiring;
        q.ages.push_back(age);
        if (!lists)
            continue;
        q.lists.pending.append(&c);
        q.lists.buckets[size_t(bucket)].append(&c);
        if (pastSla)
            q.lists.pastSla.append(&c);
        if (expiring)
            q.lists.expiring.append(&c);
    }
    return q;
}

// Only the counts, for the chart's every day: pending at each of the ascending instants. One pass over the
// cases: each is pending from its application until its settlement, so it adds one to a run of instants
// (counting each instant on its own read every case once a day).
std::vector<qint64> pendingCounts(const RiskOpsHistory& h, const std::vector<qint64>& instants) {
    std::vector<qint64> change(instants.size() + 1, 0);
    for (const RiskOpsCase& c : h.cases()) {
        qint64 until = std::numeric_limits<qint64>::max(); // pendingAt(t) holds for applyMs <= t < until
        if (c.final != RiskOpsFinal::None)
            until = c.finalAtMs;
        until = std::min(until, c.withdrawnAtMs);
        const auto first = std::lower_bound(instants.cbegin(), instants.cend(), c.applyMs);
        const auto last = std::lower_bound(first, instants.cend(), until);
        if (first == last)
            continue;
        ++change[size_t(first - instants.cbegin())];
        --change[size_t(last - instants.cbegin())];
    }
    std::vector<qint64> counts(instants.size());
    qint64 running = 0;
    for (size_t i = 0; i < instants.size(); ++i)
        counts[i] = running += change[i];
    return counts;
}

// ---- rule_outcomes (Q15–Q18) ----

struct OutcomeCounts {
    qint64 hits = 0;
    qint64 passes = 0;
    qint64 supplements = 0;
    qint64 unreadable = 0;
    qint64 waivedHits = 0;
    qint64 waivedCents = 0;
    qint64 counted() const { return hits + passes + supplements; } // unreadable is never a pass
};

struct OutcomeFigures {
    QMap<QString, OutcomeCounts> byRule;
    OutcomeCounts total;
};

// The rules the rule and severity filters keep; empty optional: every rule.
std::optional<QStringList> outcomeRules(const BoardRequest& request, const RiskOpsHistory& h) {
    if (request.rules.isEmpty() && request.severity.isEmpty())
        return std::nullopt;
    QStringList rules;
    for (auto it = h.ruleSeverities().cbegin(); it != h.ruleSeverities().cend(); ++it)
        if ((request.rules.isEmpty() || request.rules.contains(it.key())) &&
            (request.severity.isEmpty() || it.value() == request.severity))
            rules << it.key();
    rules.sort();
    return rules;
}

// The WHERE clause shared by the aggregate and the drill-down, with its bound values.
QString outcomeWhere(const BoardRequest& request, const RiskOpsHistory& h, const Window& w,
                     QStringView timeColumn, QVariantList& binds) {
    QString where = u" WHERE tenant_id = ? AND %1 >= ? AND %1 < ?"_s.arg(timeColumn);
    binds << request.tenant << w.from << w.to;
    if (const auto rules = outcomeRules(request, h)) {
        QStringList marks;
        for (const QString& r : *rules) {
            marks << u"?"_s;
            binds << r;
        }
        where += rules->isEmpty() ? u" AND 0"_s : u" AND rule_id IN (%1)"_s.arg(marks.join(u", "_s));
    }
    if (!request.targetType.isEmpty()) {
        where += u" AND target_type = ?"_s;
        binds << request.targetType;
    }
    return where;
}

// Binds the values a WHERE clause of plain ? marks was built with, in order.
void bindAll(NativeStatement& st, const QVariantList& binds) {
    for (qsizetype i = 0; i < binds.size(); ++i) {
        if (binds.at(i).typeId() == QMetaType::QString)
            st.bind(int(i + 1), QStringView(binds.at(i).toString())); // copied into the statement
        else
            st.bind(int(i + 1), binds.at(i).toLongLong());
    }
}

// The smallest window holding both.
Window around(const Window& a, const Window& b) {
    return {std::min(a.from, b.from), std::max(a.to, b.to)};
}

// Where Q15–Q19 read from: each day's totals (migrations 019 and 025; the periods are whole UTC days), or
// every row, as the full replay does.
enum class OutcomeSource { DayTotals, Rows };

// Both periods' outcomes in one pass over the time index, counted here: a GROUP BY would sort every row of
// both periods twice. A row of day totals counts as many outcomes as it totals.
Result<std::pair<OutcomeFigures, OutcomeFigures>> outcomesOf(QSqlDatabase db, const BoardRequest& request,
                                                             const RiskOpsHistory& h, const Window& cur,
                                                             const Window& prev, OutcomeSource source) {
    QVariantList binds;
    const bool days = source == OutcomeSource::DayTotals;
    const QByteArray sql =
        ((days
              ? u"SELECT rule_id, day_start, outcome, waived, amount_cents, outcomes FROM rule_outcome_days"_s
              : u"SELECT rule_id, occurred_at, outcome, waived, amount_cents, 1 FROM rule_outcomes"_s) +
         outcomeWhere(request, h, around(cur, prev), days ? u"day_start" : u"occurred_at", binds))
            .toUtf8();
    NativeStatement q(db, sql.constData());
    if (!q.prepared())
        return q.prepared().problem();
    bindAll(q, binds);
    std::map<std::string, std::array<OutcomeCounts, 2>, std::less<>> byRule;
    for (;;) {
        auto row = q.next();
        if (!row)
            return row.problem();
        if (!row.value())
            break;
        const qint64 at = q.int64(1);
        const int which = cur.contains(at) ? 0 : prev.contains(at) ? 1 : -1;
        if (which < 0)
            continue;
        const QByteArrayView rule = q.text(0);
        const std::string_view key(rule.data() ? rule.data() : "", size_t(rule.size()));
        auto it = byRule.find(key);
        if (it == byRule.end())
            it = byRule.emplace(std::string(key), std::array<OutcomeCounts, 2>{}).first;
        OutcomeCounts& c = it->second[size_t(which)];
        const QByteArrayView outcome = q.text(2);
        const qint64 n = q.int64(5);
        if (outcome == "hit") {
            c.hits += n;
            if (q.int64(3) == 1) {
                c.waivedHits += n;
                c.waivedCents += q.int64(4);
            }
        } else if (outcome == "pass") {
            c.passes += n;
        } else if (outcome == "needs_supplement") {
            c.supplements += n;
        } else {
            c.unreadable += n;
        }
    }
    std::pair<OutcomeFigures, OutcomeFigures> both;
    for (const auto& [rule, counts] : byRule) {
        for (size_t which : {0u, 1u}) {
            const OutcomeCounts& c = counts[which];
            if (c.counted() + c.unreadable == 0)
                continue; // a rule with rows in the other period only
            OutcomeFigures& f = which == 0 ? both.first : both.second;
            f.byRule.insert(QString::fromUtf8(rule.data(), qsizetype(rule.size())), c);
            f.total.hits += c.hits;
            f.total.passes += c.passes;
            f.total.supplements += c.supplements;
            f.total.unreadable += c.unreadable;
            f.total.waivedHits += c.waivedHits;
            f.total.waivedCents += c.waivedCents;
        }
    }
    return both;
}

Result<bool> hasOutcomes(QSqlDatabase db, const QString& tenant) {
    QSqlQuery q(db);
    q.prepare(u"SELECT EXISTS (SELECT 1 FROM rule_outcomes WHERE tenant_id = ?)"_s);
    q.addBindValue(tenant);
    if (!q.exec() || !q.next())
        return sqlProblem(q, RiskOpsBoard::tr("Reading the rule outcomes"));
    return q.value(0).toInt() == 1;
}

// Exceptions applied in the period for each rule, and in all (for Q18 over the rules with outcomes).
QHash<QString, qint64> intakeByRule(const RiskOpsHistory& h, const FlowFigures& f) {
    std::vector<qint64> byText;
    for (const RiskOpsCase* c : f.intake) {
        if (c->rule >= byText.size())
            byText.resize(size_t(c->rule) + 1, 0);
        ++byText[c->rule];
    }
    QHash<QString, qint64> n;
    for (size_t i = 0; i < byText.size(); ++i)
        if (byText[i] > 0)
            n.insert(h.text(quint32(i)), byText[i]);
    return n;
}

std::optional<Ratio> exceptionsPerHit(const RiskOpsHistory& h, const FlowFigures& f,
                                      const OutcomeFigures& o) {
    const QHash<QString, qint64> intake = intakeByRule(h, f);
    qint64 exceptions = 0;
    for (auto it = o.byRule.cbegin(); it != o.byRule.cend(); ++it)
        exceptions += intake.value(it.key());
    return ratioOf(exceptions, o.total.hits);
}

// ---- risk_assessments (Q19) ----

struct EngineRow {
    QString key;
    qint64 count = 0;
    qint64 scoreMillionths = 0; // summed exactly (migration 025)
};

struct EngineFigures {
    QList<EngineRow> byDecision;
    QList<EngineRow> byLevel;
    qint64 count = 0;
    qint64 scoreMillionths = 0;
};

QList<EngineRow> inOrder(const QHash<QString, EngineRow>& groups, const QStringList& order) {
    QList<EngineRow> rows = groups.values();
    std::sort(rows.begin(), rows.end(), [&](const EngineRow& a, const EngineRow& b) {
        const qsizetype ia = order.indexOf(a.key), ib = order.indexOf(b.key);
        const qsizetype ra = ia < 0 ? order.size() : ia, rb = ib < 0 ? order.size() : ib;
        return ra != rb ? ra < rb : a.key < b.key;
    });
    return rows;
}

// Both periods' assessments by decision and by level, in one pass: over each day's totals (migration 025), or
// over every assessment as the full replay does. Both sum the scores in the same whole millionths.
Result<std::pair<EngineFigures, EngineFigures>> engineOf(QSqlDatabase db, const QString& tenant,
                                                         const Window& cur, const Window& prev,
                                                         OutcomeSource source) {
    const Window both = around(cur, prev);
    NativeStatement q(
        db, source == OutcomeSource::DayTotals
                ? "SELECT day_start, decision, risk_level, assessments, score_millionths"
                  " FROM assessment_days WHERE tenant_id = ?1 AND day_start >= ?2 AND day_start < ?3"
                : "SELECT assessed_at, decision, risk_level, 1, CAST(risk_score * 1000000 AS INTEGER)"
                  " FROM risk_assessments WHERE tenant_id = ?1 AND assessed_at >= ?2"
                  " AND assessed_at < ?3");
    if (!q.prepared())
        return q.prepared().problem();
    q.bind(1, QStringView(tenant));
    q.bind(2, both.from);
    q.bind(3, both.to);
    std::array<QHash<QString, EngineRow>, 2> decisions, levels;
    std::array<EngineFigures, 2> figures;
    QHash<QByteArray, QString> texts; // a handful of distinct decisions and levels
    auto text = [&](QByteArrayView utf8) {
        const QByteArray key = utf8.toByteArray();
        auto it = texts.constFind(key);
        return it != texts.cend() ? *it : *texts.insert(key, QString::fromUtf8(utf8));
    };
    for (;;) {
        auto row = q.next();
        if (!row)
            return row.problem();
        if (!row.value())
            break;
        const qint64 at = q.int64(0);
        const int which = cur.contains(at) ? 0 : prev.contains(at) ? 1 : -1;
        if (which < 0)
            continue;
        const qint64 count = q.int64(3);
        const qint64 millionths = q.int64(4);
        for (auto* groups : {&decisions[size_t(which)], &levels[size_t(which)]}) {
            const QString key = text(q.text(groups == &decisions[size_t(which)] ? 1 : 2));
            EngineRow& r = (*groups)[key];
            r.key = key;
            r.count += count;
            r.scoreMillionths += millionths;
        }
        figures[size_t(which)].count += count;
        figures[size_t(which)].scoreMillionths += millionths;
    }
    for (size_t which : {0u, 1u}) {
        figures[which].byDecision =
            inOrder(decisions[which], {u"APPROVE"_s, u"APPROVE_WITH_MONITORING"_s, u"REVIEW"_s, u"REJECT"_s});
        figures[which].byLevel = inOrder(levels[which], {u"MINIMAL"_s, u"LOW"_s, u"MEDIUM"_s, u"HIGH"_s});
    }
    return std::pair{figures[0], figures[1]};
}

// An engine decision or level as the reader's language names it (the engine's code when it has no name),
// capitalised as a table cell starts.
QString engineLabel(QString text) {
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

// The mean score in hundredths, rounded half away from zero, or no data when nothing was assessed.
BoardValue meanScore(qint64 count, qint64 scoreMillionths) {
    if (count == 0)
        return BoardValue::noData();
    const qint64 per = count * 10000; // millionths per hundredth, times the count
    const qint64 half = per / 2;
    return BoardValue::ofSum((scoreMillionths >= 0 ? scoreMillionths + half : scoreMillionths - half) / per);
}

std::optional<qint64> meanScoreNumber(qint64 count, qint64 scoreMillionths) {
    return meanScore(count, scoreMillionths).number();
}

// ---- The exception list of a drill-down ----

// A drill-down's sort (spec §2.4): one of its columns, parsed against the drill's own whitelist.
Result<BoardSort> drillSort(const QString& requested, const QList<SortColumn>& columns, const QString& id,
                            const QString& defaultKey) {
    const auto catalog = SortCatalog::make(columns, id, defaultKey);
    if (!catalog)
        return catalog.problem();
    return BoardSort::parse(requested, catalog.value());
}

// The exceptions of a drill, sorted by any column over the whole set (the drill's cases are all in memory:
// the history the board is computed from), the record id breaking ties; then the page.
Result<BoardTable> exceptionTable(const QString& title, QList<const RiskOpsCase*> cases,
                                  const RiskOpsHistory& h, const BoardRequest& request,
                                  std::optional<qint64> asOf) {
    BoardTable t(u"exceptions"_s, title,
                 {{u"record_id"_s, RiskOpsBoard::tr("Exception"), T::Text},
                  {u"rule_id"_s, RiskOpsBoard::tr("Rule"), T::Text},
                  {u"severity"_s, RiskOpsBoard::tr("Severity"), T::Text},
                  {u"target"_s, RiskOpsBoard::tr("Target"), T::Text},
                  {u"reason_category"_s, RiskOpsBoard::tr("Reason category"), T::Text},
                  {u"apply_time"_s, RiskOpsBoard::tr("Applied"), T::Text},
                  {u"status"_s, RiskOpsBoard::tr("Status"), T::Text},
                  {u"decision"_s, RiskOpsBoard::tr("Final decision"), T::Text},
                  {u"hours"_s, asOf ? RiskOpsBoard::tr("Age") : RiskOpsBoard::tr("Time to decision"),
                   T::Value, ValueUnit::HoursOneDecimal},
                  {u"count"_s, RiskOpsBoard::tr("Exceptions"), T::Value, ValueUnit::Count}});
    const auto sort = drillSort(request.sort,
                                {{u"record_id"_s, u"record_id"_s, Qt::AscendingOrder},
                                 {u"rule_id"_s, u"rule_id"_s, Qt::AscendingOrder},
                                 {u"severity"_s, u"severity"_s, Qt::DescendingOrder},
                                 {u"target"_s, u"target"_s, Qt::AscendingOrder},
                                 {u"reason_category"_s, u"reason_category"_s, Qt::AscendingOrder},
                                 {u"apply_time"_s, u"apply_time"_s, Qt::AscendingOrder},
                                 {u"status"_s, u"status"_s, Qt::AscendingOrder},
                                 {u"decision"_s, u"decision"_s, Qt::DescendingOrder},
                                 {u"hours"_s, u"hours"_s, Qt::DescendingOrder}},
                                u"record_id"_s, u"apply_time"_s);
    if (!sort)
        return sort.problem();
    const QString key = sort.value().key();
    const auto keyOf = [&key, &h, asOf](const RiskOpsCase& c) -> QVariant {
        if (key == u"record_id")
            return h.recordId(c);
        if (key == u"rule_id")
            return h.ruleId(c);
        if (key == u"severity")
            return int(c.severity) + 1;
        if (key == u"target")
            return QString(h.targetType(c) + u':' + h.detail(c).targetId);
        if (key == u"reason_category")
            return h.reasonCategory(c);
        if (key == u"status")
            return h.detail(c).status;
        if (key == u"decision")
            return c.final == RiskOpsFinal::None ? QVariant() : QVariant(c.finalAtMs);
        if (key == u"hours") {
            if (asOf)
                return *asOf - c.applyMs;
            return c.final == RiskOpsFinal::None ? QVariant() : QVariant(c.finalAtMs - c.applyMs);
        }
        return c.applyMs;
    };
    {
        QList<std::pair<QVariant, const RiskOpsCase*>> keyed;
        keyed.reserve(cases.size());
        for (const RiskOpsCase* c : cases)
            keyed.append({keyOf(*c), c});
        std::sort(keyed.begin(), keyed.end(), [&sort, &h](const auto& a, const auto& b) {
            return sort.value().compare(a.first, h.recordId(*a.second), b.first, h.recordId(*b.second)) < 0;
        });
        for (qsizetype i = 0; i < keyed.size(); ++i)
            cases[i] = keyed.at(i).second;
    }
    const qint64 size = request.pageSize <= 0 ? qint64(cases.size()) : request.pageSize;
    const qint64 page = std::max<qint64>(request.page, 1);
    const qint64 first = (page - 1) * size;
    for (qint64 i = first; i < qint64(cases.size()) && i < first + size; ++i) {
        const RiskOpsCase& c = *cases.at(i);
        BoardValue hours = BoardValue::noData();
        if (asOf)
            hours = durationValue(*asOf - c.applyMs);
        else if (c.final != RiskOpsFinal::None)
            hours = durationValue(c.finalAtMs - c.applyMs);
        const RiskOpsCaseDetail& d = h.detail(c);
        t.addRow(
            {d.recordId,
             {BoardCell::ofText(d.recordId), BoardCell::ofText(h.ruleId(c)),
              BoardCell::ofText(severityLabel(RiskOpsHistory::severityName(c.severity))),
              BoardCell::ofText(h.targetType(c) + u':' + d.targetId), BoardCell::ofText(h.reasonCategory(c)),
              BoardCell::ofText(isoTime(c.applyMs)),
              BoardCell::ofText(statusFromWire(d.status) ? displayName(*statusFromWire(d.status)) : d.status),
              BoardCell::ofText(c.final == RiskOpsFinal::None
                                    ? QString()
                                    : finalLabel(c.final) + u' ' + isoTime(c.finalAtMs)),
              BoardCell::ofValue(hours), BoardCell::ofValue(BoardValue::ofSum(1))}});
    }
    QList<BoardCell> totals;
    for (int i = 0; i < t.columns().size(); ++i)
        totals << BoardCell::ofText(QString());
    totals[0] = BoardCell::ofText(RiskOpsBoard::tr("Total"));
    totals[t.columns().size() - 1] = BoardCell::ofValue(BoardValue::ofSum(cases.size()));
    t.setTotals({QVariant(), totals});
    t.setPaging(cases.size(), page, int(request.pageSize <= 0 ? 0 : request.pageSize));
    t.setSort(sort.value().canonical());
    return t;
}

Problem badDrill(const QString& cell) {
    return Problem{
        u"bad_drill"_s,
        RiskOpsBoard::tr("There is no cell \"%1\" to drill into; try Q1, Q3, Q5, Q6:approve, Q14:<approver>, "
                         "Q17:<rule>, pending:<YYYY-MM-DD> or decisions:<YYYY-MM-DD>.")
            .arg(cell),
        u"drill"_s};
}

} // namespace

QString RiskOpsBoard::backfillNote() {
    return tr("Rule outcomes must be backfilled first (riskdesk demo does it for the demo data).");
}

Result<BoardReport> RiskOpsBoard::compute(QSqlDatabase db, const BoardScope& scope,
                                          const BoardRequest& request) {
    return compute(db, scope, request, Replay::Span);
}

Result<BoardReport> RiskOpsBoard::compute(QSqlDatabase db, const BoardScope& scope,
                                          const BoardRequest& request, Replay replay) {
    if (Status s = scope.checkBoard(BoardKind::RiskOps); !s)
        return s.problem();
    if (!request.sort.isEmpty() && request.drill.isEmpty())
        return Problem{u"bad_option"_s,
                       tr("The risk-operations board has fixed orders; --sort is available for its "
                          "drill-downs only."),
                       u"sort"_s};
    if (!request.search.isEmpty())
        return Problem{u"bad_option"_s, tr("The risk-operations board has no text search; use its filters."),
                       u"search"_s};
    const BoardPeriod period =
        request.period ? *request.period : BoardPeriod::preset(PeriodPreset::Last7Days, request.today);
    const BoardPeriod previous = period.previous();
    const Window cur = windowOf(period), prev = windowOf(previous);
    const qint64 asOf = request.asOfMs.value_or(request.nowMs);
    // Queue figures compare with the same instant one period length earlier.
    const qint64 prevAsOf = asOf - period.days() * kDayMs;

    // Every instant the board looks at: both periods, both as-of instants, and each day's end in the period.
    const RiskOpsSpan span{std::min({prev.from, cur.from, asOf, prevAsOf}),
                           std::max({prev.to, cur.to, asOf, prevAsOf}), cur.from, cur.to - 1};
    // The board's figures come from exception_progress and approval_steps; a drill-down lists log entries.
    const RiskOpsDetail detail =
        replay == Replay::Span && request.drill.isEmpty() ? RiskOpsDetail::Figures : RiskOpsDetail::Logs;
    auto history = RiskOpsHistory::load(db, request,
                                        replay == Replay::Span ? std::optional(span) : std::nullopt, detail);
    if (!history)
        return history.problem();
    const RiskOpsHistory& h = history.value();
    // Not const: their times are reordered where a percentile is selected.
    FlowFigures flows = flowsOf(h, cur), prevFlows = flowsOf(h, prev);
    const QueueLists keep = request.drill.isEmpty() ? QueueLists::Counts : QueueLists::Kept;
    QueueFigures queue = queueAt(h, asOf, keep), prevQueue = queueAt(h, prevAsOf, keep);
    const auto anyOutcomes = hasOutcomes(db, request.tenant);
    if (!anyOutcomes)
        return anyOutcomes.problem();
    const OutcomeSource outcomeSource =
        replay == Replay::Span ? OutcomeSource::DayTotals : OutcomeSource::Rows;
    const auto outcomes = outcomesOf(db, request, h, cur, prev, outcomeSource);
    if (!outcomes)
        return outcomes.problem();

    // ---- Drill-downs ----
    if (!request.drill.isEmpty()) {
        const QString cell = request.drill;
        const QString head = cell.section(u':', 0, 0);
        const QString arg = cell.section(u':', 1);
        BoardReport drill(u"riskops-drill"_s, tr("Risk operations: rows of %1").arg(cell));
        drill.parameters().insert(u"tenant"_s, request.tenant);
        drill.parameters().insert(u"period"_s, period.rangeText());
        drill.parameters().insert(u"asOf"_s, isoTime(asOf));
        drill.parameters().insert(u"drill"_s, cell);
        auto listExceptions = [&](QList<const RiskOpsCase*> cases,
                                  std::optional<qint64> at) -> Result<BoardReport> {
            auto table = exceptionTable(tr("Exceptions of %1").arg(cell), std::move(cases), h, request, at);
            if (!table)
                return table.problem();
            drill.addTable(table.value());
            return drill;
        };
        if (head == u"Q1" && arg.isEmpty())
            return listExceptions(queue.lists.pending, asOf);
        if (head == u"Q3" && arg.isEmpty())
            return listExceptions(queue.lists.pastSla, asOf);
        if (head == u"Q4" && arg.isEmpty())
            return listExceptions(queue.lists.expiring, asOf);
        if (head == u"Q2" && kBucketKeys.contains(arg))
            return listExceptions(queue.lists.buckets[size_t(kBucketKeys.indexOf(arg))], asOf);
        if (head == u"Q5" && arg.isEmpty())
            return listExceptions(flows.intake, std::nullopt);
        if (head == u"Q6" || head == u"Q10" || head == u"decisions") {
            QList<const RiskOpsCase*> picked;
            QDate day;
            if (head == u"decisions") {
                day = QDate::fromString(arg, u"yyyy-MM-dd"_s);
                if (!day.isValid() || !period.contains(day))
                    return badDrill(cell);
            } else if (head == u"Q6" && !arg.isEmpty() && arg != u"approve" && arg != u"reject" &&
                       arg != u"auto_reject") {
                return badDrill(cell);
            } else if (head == u"Q10" && arg != u"met" && arg != u"breached") {
                return badDrill(cell);
            }
            for (const RiskOpsCase* c : flows.decided) {
                if (day.isValid() &&
                    !Window{dayStartMs(day), dayStartMs(day.addDays(1))}.contains(c->finalAtMs))
                    continue;
                if (head == u"Q6" && !arg.isEmpty() && finalKey(c->final) != arg)
                    continue;
                if (head == u"Q10" && slaMet(*c, h) != (arg == u"met"))
                    continue;
                picked.append(c);
            }
            return listExceptions(picked, std::nullopt);
        }
        if (head == u"Q13" && arg == u"violations")
            return listExceptions(flows.fourEyesViolations, std::nullopt);
        if (head == u"Q20" && !arg.isEmpty()) {
            QList<const RiskOpsCase*> picked;
            for (const RiskOpsCase* c : flows.intake)
                if (h.reasonCategory(*c) == arg)
                    picked.append(c);
            return listExceptions(picked, std::nullopt);
        }
        if (head == u"pending") {
            const QDate day = QDate::fromString(arg, u"yyyy-MM-dd"_s);
            if (!day.isValid() || !period.contains(day))
                return badDrill(cell);
            return listExceptions(queueAt(h, dayStartMs(day.addDays(1)) - 1, QueueLists::Kept).lists.pending,
                                  dayStartMs(day.addDays(1)) - 1);
        }
        if (head == u"Q14" && !arg.isEmpty()) {
            BoardTable t(u"log"_s, tr("Log entries of %1").arg(arg),
                         {{u"seq"_s, tr("Entry"), T::Value, ValueUnit::Count},
                          // Each entry's number is its own log's: the server's, or this desktop's while the
                          // server does not have it yet (helper-76: the two could show the same number).
                          {u"log"_s, tr("Log"), T::Text},
                          {u"record_id"_s, tr("Exception"), T::Text},
                          {u"action"_s, tr("Action"), T::Text},
                          {u"step"_s, tr("Step"), T::Value, ValueUnit::Count},
                          {u"status_after"_s, tr("Status after"), T::Text},
                          {u"at"_s, tr("At"), T::Text},
                          {u"latency"_s, tr("Step latency"), T::Value, ValueUnit::HoursOneDecimal},
                          {u"count"_s, tr("Entries"), T::Value, ValueUnit::Count}});
            QList<RiskOpsApproverEntry> entries;
            if (replay == Replay::Span) {
                // From approval_steps, like the workload's count: a step on an exception settled before the
                // span is not among the span's cases, yet the count has it.
                auto read = h.entriesOf(db, request, arg, cur.from, cur.to);
                if (!read)
                    return read.problem();
                entries = std::move(read.value());
            } else {
                for (const RiskOpsCase& c : h.cases()) {
                    const RiskOpsCaseDetail& d = h.detail(c);
                    for (qsizetype i = 0; i < d.log.size(); ++i) {
                        const RiskOpsLogEntry& e = d.log.at(i);
                        if (e.actorId == arg && cur.contains(e.atMs) &&
                            (e.action == u"approve" || e.action == u"reject"))
                            entries.append({e.seq, d.recordId, e.action, e.step, e.statusAfter, e.atMs,
                                            std::min(i == 0 ? c.applyMs : d.log.at(i - 1).atMs, e.atMs)});
                    }
                }
            }
            // Any column over every entry (all in memory), the entry's number breaking ties.
            const auto sort = drillSort(request.sort,
                                        {{u"seq"_s, u"seq"_s, Qt::AscendingOrder},
                                         {u"log"_s, u"log"_s, Qt::AscendingOrder},
                                         {u"record_id"_s, u"record_id"_s, Qt::AscendingOrder},
                                         {u"action"_s, u"action"_s, Qt::AscendingOrder},
                                         {u"step"_s, u"step"_s, Qt::DescendingOrder},
                                         {u"status_after"_s, u"status_after"_s, Qt::AscendingOrder},
                                         {u"at"_s, u"at"_s, Qt::AscendingOrder},
                                         {u"latency"_s, u"latency"_s, Qt::DescendingOrder}},
                                        u"seq"_s, u"seq"_s);
            if (!sort)
                return sort.problem();
            const QString key = sort.value().key();
            const auto keyOf = [&key](const RiskOpsApproverEntry& e) -> QVariant {
                if (key == u"log")
                    return e.seq < 0 ? 0 : 1; // the server's first, as in the history
                if (key == u"record_id")
                    return e.recordId;
                if (key == u"action")
                    return e.action;
                if (key == u"step")
                    return e.step;
                if (key == u"status_after")
                    return e.statusAfter;
                if (key == u"at")
                    return e.atMs;
                if (key == u"latency")
                    return e.atMs - e.sinceMs;
                return e.seq;
            };
            std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
                return sort.value().compare(keyOf(a), a.seq, keyOf(b), b.seq) < 0;
            });
            t.setSort(sort.value().canonical());
            const qint64 size = request.pageSize <= 0 ? qint64(entries.size()) : request.pageSize;
            const qint64 page = std::max<qint64>(request.page, 1);
            for (qint64 i = (page - 1) * size; i < qint64(entries.size()) && i < page * size; ++i) {
                const RiskOpsApproverEntry& e = entries.at(i);
                t.addRow({e.seq,
                          {BoardCell::ofValue(BoardValue::ofSum(RiskOpsHistory::entryNumber(e.seq))),
                           BoardCell::ofText(e.seq < 0 ? tr("Server") : tr("This desktop")),
                           BoardCell::ofText(e.recordId), BoardCell::ofText(e.action),
                           BoardCell::ofValue(BoardValue::ofSum(e.step)), BoardCell::ofText(e.statusAfter),
                           BoardCell::ofText(isoTime(e.atMs)),
                           BoardCell::ofValue(durationValue(e.atMs - e.sinceMs)),
                           BoardCell::ofValue(BoardValue::ofSum(1))}});
            }
            QList<BoardCell> totals(t.columns().size(), BoardCell::ofText(QString()));
            totals[1] = BoardCell::ofText(tr("Total"));
            totals[t.columns().size() - 1] = BoardCell::ofValue(BoardValue::ofSum(entries.size()));
            t.setTotals({QVariant(), totals});
            t.setPaging(entries.size(), page, int(request.pageSize <= 0 ? 0 : request.pageSize));
            drill.addTable(t);
            return drill;
        }
        static const QStringList outcomeHeads{u"Q15"_s, u"Q16"_s, u"Q17"_s, u"Q18"_s, u"unreadable"_s};
        if (outcomeHeads.contains(head)) {
            QVariantList binds;
            QString sql = u"SELECT rule_id, target_type, target_id, event_id, occurred_at, outcome, waived,"
                          " amount_cents FROM rule_outcomes"_s +
                          outcomeWhere(request, h, cur, u"occurred_at", binds);
            if (!arg.isEmpty()) {
                sql += u" AND rule_id = ?"_s;
                binds << arg;
            }
            sql += head == u"Q16"          ? u" AND outcome = 'needs_supplement'"_s
                   : head == u"unreadable" ? u" AND outcome = 'unreadable'"_s
                   : head == u"Q17"        ? u" AND outcome = 'hit' AND waived = 1"_s
                                           : u" AND outcome = 'hit'"_s;
            // Any column over the whole set in SQL, the outcome's key breaking ties.
            const auto sort = drillSort(
                request.sort,
                {{u"rule_id"_s, u"rule_id"_s, Qt::AscendingOrder},
                 {u"target"_s, u"target_id"_s, Qt::AscendingOrder}, // the catalog takes plain columns
                 {u"event_id"_s, u"event_id"_s, Qt::AscendingOrder},
                 {u"occurred_at"_s, u"occurred_at"_s, Qt::AscendingOrder},
                 {u"outcome"_s, u"outcome"_s, Qt::AscendingOrder},
                 {u"waived"_s, u"waived"_s, Qt::DescendingOrder},
                 {u"amount"_s, u"amount_cents"_s, Qt::DescendingOrder}},
                u"occurred_at"_s, u"occurred_at"_s);
            if (!sort)
                return sort.problem();
            // The column, then the outcome's key (occurred_at first): a total order.
            sql += sort.value().orderByClause() + u", rule_id, target_type, target_id, event_id"_s;
            QSqlQuery q(db);
            q.setForwardOnly(true);
            q.prepare(sql);
            for (const QVariant& b : binds)
                q.addBindValue(b);
            if (!q.exec())
                return sqlProblem(q, tr("Reading the rule outcomes"));
            BoardTable t(u"rule_outcomes"_s, tr("Rule outcomes of %1").arg(cell),
                         {{u"rule_id"_s, tr("Rule"), T::Text},
                          {u"target"_s, tr("Target"), T::Text},
                          {u"event_id"_s, tr("Event"), T::Text},
                          {u"occurred_at"_s, tr("Occurred"), T::Text},
                          {u"outcome"_s, tr("Outcome"), T::Text},
                          {u"waived"_s, tr("Waived"), T::Text},
                          {u"amount"_s, tr("Amount"), T::Value, ValueUnit::Fen},
                          {u"count"_s, tr("Events"), T::Value, ValueUnit::Count}});
            const qint64 size = std::max<qint64>(request.pageSize, 0); // 0: every row
            const qint64 page = std::max<qint64>(request.page, 1);
            qint64 n = 0, cents = 0;
            while (q.next()) {
                const qint64 amount = q.value(7).toLongLong();
                if (size == 0 || (n >= (page - 1) * size && n < page * size))
                    t.addRow({n,
                              {BoardCell::ofText(q.value(0).toString()),
                               BoardCell::ofText(q.value(1).toString() + u':' + q.value(2).toString()),
                               BoardCell::ofText(q.value(3).toString()),
                               BoardCell::ofText(isoTime(q.value(4).toLongLong())),
                               BoardCell::ofText(q.value(5).toString()),
                               BoardCell::ofText(q.value(6).toInt() == 1 ? tr("yes") : tr("no")),
                               BoardCell::ofValue(BoardValue::ofSum(amount)),
                               BoardCell::ofValue(BoardValue::ofSum(1))}});
                ++n;
                cents += amount;
            }
            if (rowsFailed(q))
                return sqlProblem(q, tr("Reading the rule outcomes"));
            QList<BoardCell> totals(t.columns().size(), BoardCell::ofText(QString()));
            totals[0] = BoardCell::ofText(tr("Total"));
            totals[6] = BoardCell::ofValue(BoardValue::ofSum(cents));
            totals[7] = BoardCell::ofValue(BoardValue::ofSum(n));
            t.setTotals({QVariant(), totals});
            t.setPaging(n, page, int(request.pageSize <= 0 ? 0 : request.pageSize));
            t.setSort(sort.value().canonical());
            if (!anyOutcomes.value())
                t.addNote(backfillNote());
            drill.addTable(t);
            return drill;
        }
        return badDrill(cell);
    }

    // ---- The board ----
    BoardReport report(u"riskops"_s, tr("Risk operations"));
    report.parameters().insert(u"tenant"_s, request.tenant);
    report.parameters().insert(u"period"_s, period.displayText());
    report.parameters().insert(u"previousPeriod"_s, previous.rangeText());
    report.parameters().insert(u"asOf"_s, isoTime(asOf));
    report.parameters().insert(u"previousAsOf"_s, isoTime(prevAsOf));
    report.parameters().insert(u"resolvedPeriod"_s, period.toJson());
    QJsonObject filters;
    if (!request.rules.isEmpty())
        filters.insert(u"rule"_s, QJsonArray::fromStringList(request.rules));
    for (const auto& [key, value] :
         {std::pair{u"severity"_s, request.severity}, std::pair{u"targetType"_s, request.targetType},
          std::pair{u"reasonCategory"_s, request.reasonCategory}, std::pair{u"approver"_s, request.approver}})
        if (!value.isEmpty())
            filters.insert(key, value);
    report.parameters().insert(u"filters"_s, filters);
    if (!h.slaConfigured())
        report.addBadge(
            tr("No SLA targets configured: defaults used (critical 4 h, high 8 h, medium 24 h, low 72 h)"));

    const QJsonObject prevJson = previous.toJson();
    const QString flowComparison = period.comparisonText();
    const QString queueComparison = tr("PoP at %1").arg(shownTime(prevAsOf));
    const QJsonObject prevQueueJson{{u"asOf"_s, isoTime(prevAsOf)}};
    auto flowCount = [&](const QString& key, const QString& label, qint64 c, qint64 p) {
        report.addKpi({key, label, BoardValue::ofSum(c), ValueUnit::Count, PeriodChange::of(c, p),
                       flowComparison, prevJson});
    };
    auto queueCount = [&](const QString& key, const QString& label, qint64 c, qint64 p) {
        report.addKpi({key, label, BoardValue::ofSum(c), ValueUnit::Count, PeriodChange::of(c, p),
                       queueComparison, prevQueueJson});
    };
    auto duration = [&](const QString& key, const QString& label, std::optional<qint64> c,
                        std::optional<qint64> p, bool atInstant) {
        report.addKpi({key, label, durationValue(c), ValueUnit::HoursOneDecimal,
                       PeriodChange::of(durationSeconds(c), durationSeconds(p)),
                       atInstant ? queueComparison : flowComparison, atInstant ? prevQueueJson : prevJson});
    };
    auto rate = [&](const QString& key, const QString& label, std::optional<Ratio> c,
                    std::optional<Ratio> p) {
        report.addKpi({key, label, rateValue(c), ValueUnit::Tenths, PeriodChange::ofRates(c, p),
                       flowComparison, prevJson});
    };
    // Selected in place, not sorted (the times are in no order).
    auto pct = [](std::vector<qint64>& times, int p) { return NearestRankPercentile::select(times, p); };
    auto maxOf = [](const std::vector<qint64>& times) {
        return times.empty() ? std::nullopt
                             : std::optional<qint64>(*std::max_element(times.begin(), times.end()));
    };

    // Queue (Q1–Q4) at the as-of instant.
    queueCount(u"Q1"_s, tr("Pending now"), queue.pending, prevQueue.pending);
    duration(u"Q2_p50"_s, tr("Queue age p50"), pct(queue.ages, 50), pct(prevQueue.ages, 50), true);
    duration(u"Q2_p90"_s, tr("Queue age p90"), pct(queue.ages, 90), pct(prevQueue.ages, 90), true);
    duration(u"Q2_max"_s, tr("Queue age max"), maxOf(queue.ages), maxOf(prevQueue.ages), true);
    queueCount(u"Q3"_s, tr("Pending past SLA"), queue.pastSla, prevQueue.pastSla);
    queueCount(u"Q4"_s, tr("Expiring within 24 h"), queue.expiring, prevQueue.expiring);
    // Intake and decisions (Q5–Q13) in the period.
    flowCount(u"Q5"_s, tr("Intake"), flows.intake.size(), prevFlows.intake.size());
    flowCount(u"Q6"_s, tr("Decisions"), flows.decisions(), prevFlows.decisions());
    flowCount(u"Q6_approve"_s, tr("Decisions: approved"), flows.approvals, prevFlows.approvals);
    flowCount(u"Q6_reject"_s, tr("Decisions: rejected"), flows.rejections, prevFlows.rejections);
    flowCount(u"Q6_auto_reject"_s, tr("Decisions: auto-rejected"), flows.autoRejections,
              prevFlows.autoRejections);
    rate(u"Q7"_s, tr("Approval rate"), ratioOf(flows.approvals, flows.decisions()),
         ratioOf(prevFlows.approvals, prevFlows.decisions()));
    rate(u"Q8"_s, tr("Manual approval rate"), ratioOf(flows.approvals, flows.approvals + flows.rejections),
         ratioOf(prevFlows.approvals, prevFlows.approvals + prevFlows.rejections));
    rate(u"Q9"_s, tr("Auto-rejection rate"), ratioOf(flows.autoRejections, flows.decisions()),
         ratioOf(prevFlows.autoRejections, prevFlows.decisions()));
    rate(u"Q10"_s, tr("SLA met rate"), ratioOf(flows.met, flows.decisions()),
         ratioOf(prevFlows.met, prevFlows.decisions()));
    duration(u"Q11_p50"_s, tr("Time to decision p50"), pct(flows.ttd, 50), pct(prevFlows.ttd, 50), false);
    duration(u"Q11_p90"_s, tr("Time to decision p90"), pct(flows.ttd, 90), pct(prevFlows.ttd, 90), false);
    duration(u"Q11_manual_p50"_s, tr("Time to decision p50 (manual)"), pct(flows.manualTtd, 50),
             pct(prevFlows.manualTtd, 50), false);
    duration(u"Q11_manual_p90"_s, tr("Time to decision p90 (manual)"), pct(flows.manualTtd, 90),
             pct(prevFlows.manualTtd, 90), false);
    duration(u"Q12_p50"_s, tr("Time to first action p50"), pct(flows.firstAction, 50),
             pct(prevFlows.firstAction, 50), false);
    rate(u"Q13"_s, tr("Four-eyes compliance"),
         ratioOf(flows.fourEyesAll - flows.fourEyesViolations.size(), flows.fourEyesAll),
         ratioOf(prevFlows.fourEyesAll - prevFlows.fourEyesViolations.size(), prevFlows.fourEyesAll));
    if (!flows.fourEyesViolations.isEmpty()) {
        QStringList ids;
        for (const RiskOpsCase* c : flows.fourEyesViolations)
            ids << h.recordId(*c);
        report.addBadge(
            tr("Integrity alarm: four-eyes compliance is below 100% (%1)").arg(ids.join(u", "_s)));
    }
    // Rule outcomes (Q15–Q18): no data until rule_outcomes has rows.
    const OutcomeFigures& o = outcomes.value().first;
    const OutcomeFigures& po = outcomes.value().second;
    if (anyOutcomes.value()) {
        rate(u"Q15"_s, tr("Rule hit rate"), ratioOf(o.total.hits, o.total.counted()),
             ratioOf(po.total.hits, po.total.counted()));
        rate(u"Q16"_s, tr("Supplement rate"), ratioOf(o.total.supplements, o.total.counted()),
             ratioOf(po.total.supplements, po.total.counted()));
        flowCount(u"Q15_unreadable"_s, tr("Unreadable events"), o.total.unreadable, po.total.unreadable);
        flowCount(u"Q17_count"_s, tr("Waived hits"), o.total.waivedHits, po.total.waivedHits);
        report.addKpi({u"Q17_amount"_s, tr("Waived amount"), BoardValue::ofSum(o.total.waivedCents),
                       ValueUnit::Fen, PeriodChange::of(o.total.waivedCents, po.total.waivedCents),
                       flowComparison, prevJson});
        rate(u"Q18"_s, tr("Exceptions per hit"), exceptionsPerHit(h, flows, o),
             exceptionsPerHit(h, prevFlows, po));
    } else {
        for (const auto& [key, label, unit] :
             {std::tuple{u"Q15"_s, tr("Rule hit rate"), ValueUnit::Tenths},
              std::tuple{u"Q16"_s, tr("Supplement rate"), ValueUnit::Tenths},
              std::tuple{u"Q15_unreadable"_s, tr("Unreadable events"), ValueUnit::Count},
              std::tuple{u"Q17_count"_s, tr("Waived hits"), ValueUnit::Count},
              std::tuple{u"Q17_amount"_s, tr("Waived amount"), ValueUnit::Fen},
              std::tuple{u"Q18"_s, tr("Exceptions per hit"), ValueUnit::Tenths}})
            report.addKpi({key,
                           label,
                           BoardValue::noData(),
                           unit,
                           PeriodChange::of(std::nullopt, std::nullopt),
                           backfillNote(),
                           {}});
        report.addBadge(backfillNote());
    }
    // Engine decisions (Q19).
    const auto engines = engineOf(db, request.tenant, cur, prev, outcomeSource);
    if (!engines)
        return engines.problem();
    const EngineFigures& engine = engines.value().first;
    const EngineFigures& prevEngine = engines.value().second;
    flowCount(u"Q19_assessments"_s, tr("Engine assessments"), engine.count, prevEngine.count);
    report.addKpi({u"Q19_mean_score"_s, tr("Mean risk score"),
                   meanScore(engine.count, engine.scoreMillionths), ValueUnit::Hundredths,
                   PeriodChange::of(meanScoreNumber(engine.count, engine.scoreMillionths),
                                    meanScoreNumber(prevEngine.count, prevEngine.scoreMillionths)),
                   flowComparison, prevJson});

    // ---- Tables ----
    auto countCell = [](qint64 n) { return BoardCell::ofValue(BoardValue::ofSum(n)); };
    auto finish = [&report](BoardTable& t) {
        t.setPaging(t.rows().size(), 1, 0);
        report.addTable(t);
    };
    {
        BoardTable t(
            u"queue_age"_s, tr("Queue age at %1").arg(shownTime(asOf)),
            {{u"bucket"_s, tr("Age"), T::Text}, {u"pending"_s, tr("Pending"), T::Value, ValueUnit::Count}});
        for (int b = 0; b < 4; ++b)
            t.addRow({kBucketKeys.at(b),
                      {BoardCell::ofText(bucketLabel(b)), countCell(queue.buckets[size_t(b)])}});
        t.setTotals({QVariant(), {BoardCell::ofText(tr("Total")), countCell(queue.pending)}});
        finish(t);
    }
    {
        BoardTable t(u"sla"_s, tr("SLA and time to decision by severity"),
                     {{u"severity"_s, tr("Severity"), T::Text},
                      {u"sla_minutes"_s, tr("SLA target (min)"), T::Value, ValueUnit::Count},
                      {u"decisions"_s, tr("Decisions"), T::Value, ValueUnit::Count},
                      {u"met"_s, tr("Met"), T::Value, ValueUnit::Count},
                      {u"met_rate"_s, tr("SLA met rate"), T::Value, ValueUnit::Tenths},
                      {u"p50"_s, tr("p50"), T::Value, ValueUnit::HoursOneDecimal},
                      {u"p90"_s, tr("p90"), T::Value, ValueUnit::HoursOneDecimal}});
        for (const QString& severity : kSeverityOrder) {
            std::vector<qint64> times;
            qint64 met = 0;
            const RiskOpsSeverity wanted = RiskOpsHistory::severityOf(severity).value();
            for (const RiskOpsCase* c : flows.decided)
                if (c->severity == wanted) {
                    times.push_back(c->finalAtMs - c->applyMs);
                    met += slaMet(*c, h);
                }
            t.addRow({severity,
                      {BoardCell::ofText(severityLabel(severity)), countCell(h.slaMinutes(severity)),
                       countCell(qint64(times.size())), countCell(met),
                       BoardCell::ofValue(rateValue(ratioOf(met, qint64(times.size())))),
                       BoardCell::ofValue(durationValue(pct(times, 50))),
                       BoardCell::ofValue(durationValue(pct(times, 90)))}});
        }
        t.setTotals(
            {QVariant(),
             {BoardCell::ofText(tr("Total")), BoardCell::ofText(QString()), countCell(flows.decisions()),
              countCell(flows.met), BoardCell::ofValue(rateValue(ratioOf(flows.met, flows.decisions()))),
              BoardCell::ofValue(durationValue(pct(flows.ttd, 50))),
              BoardCell::ofValue(durationValue(pct(flows.ttd, 90)))}});
        finish(t);
    }
    {
        BoardTable t(u"time_by_rule"_s, tr("Time to decision by rule"),
                     {{u"rule_id"_s, tr("Rule"), T::Text},
                      {u"decisions"_s, tr("Decisions"), T::Value, ValueUnit::Count},
                      {u"p50"_s, tr("p50"), T::Value, ValueUnit::HoursOneDecimal},
                      {u"p90"_s, tr("p90"), T::Value, ValueUnit::HoursOneDecimal}});
        std::vector<std::vector<qint64>> byText;
        for (const RiskOpsCase* c : flows.decided) {
            if (c->rule >= byText.size())
                byText.resize(size_t(c->rule) + 1);
            byText[c->rule].push_back(c->finalAtMs - c->applyMs);
        }
        QMap<QString, std::vector<qint64>> byRule;
        for (size_t i = 0; i < byText.size(); ++i)
            if (!byText[i].empty())
                byRule.insert(h.text(quint32(i)), std::move(byText[i]));
        for (auto it = byRule.begin(); it != byRule.end(); ++it) {
            t.addRow({it.key(),
                      {BoardCell::ofText(it.key()), countCell(qint64(it->size())),
                       BoardCell::ofValue(durationValue(pct(*it, 50))),
                       BoardCell::ofValue(durationValue(pct(*it, 90)))}});
        }
        finish(t);
    }
    {
        BoardTable t(u"four_eyes"_s, tr("Four-eyes violations"),
                     {{u"record_id"_s, tr("Exception"), T::Text},
                      {u"rule_id"_s, tr("Rule"), T::Text},
                      {u"approvers"_s, tr("Approvers"), T::Text}});
        for (const RiskOpsCase* c : flows.fourEyesViolations) {
            QStringList actors;
            const RiskOpsCaseDetail& d = h.detail(*c);
            for (const RiskOpsLogEntry& e : d.log)
                if (e.action == u"approve")
                    actors << e.actorId;
            t.addRow({d.recordId,
                      {BoardCell::ofText(d.recordId), BoardCell::ofText(h.ruleId(*c)),
                       BoardCell::ofText(actors.join(u", "_s))}});
        }
        t.addNote(tr("High and critical approvals in the period: %1; with two distinct approvers: %2.")
                      .arg(flows.fourEyesAll)
                      .arg(flows.fourEyesAll - flows.fourEyesViolations.size()));
        finish(t);
    }
    {
        BoardTable t(u"approvers"_s, tr("Approver workload"),
                     {{u"approver"_s, tr("Approver"), T::Text},
                      {u"actions"_s, tr("Actions"), T::Value, ValueUnit::Count},
                      {u"decisions"_s, tr("Final decisions"), T::Value, ValueUnit::Count},
                      {u"p50_latency"_s, tr("Step latency p50"), T::Value, ValueUnit::HoursOneDecimal}});
        struct Work {
            qint64 actions = 0;
            qint64 decisions = 0;
            std::vector<qint64> latency;
        };
        // Counted by the actor's text index, then named: a step is one of hundreds of thousands.
        const std::optional<quint32> system = h.textIndex(SystemComment::actorId());
        const std::optional<quint32> only = request.approver.isEmpty()
                                                ? std::nullopt
                                                : std::optional(h.textIndex(request.approver).value_or(~0u));
        std::vector<Work> byActor;
        for (const RiskOpsStep& e : h.steps()) {
            if (!cur.contains(e.atMs) || e.actor == system)
                continue;
            if (only && e.actor != *only)
                continue;
            if (e.actor >= byActor.size())
                byActor.resize(size_t(e.actor) + 1);
            Work& w = byActor[e.actor];
            ++w.actions;
            w.latency.push_back(e.atMs - e.sinceMs);
            if (e.final)
                ++w.decisions;
        }
        QMap<QString, Work> work;
        for (size_t i = 0; i < byActor.size(); ++i)
            if (byActor[i].actions > 0)
                work.insert(h.text(quint32(i)), std::move(byActor[i]));
        const bool highlight = scope.role() == u"approver"_s;
        qint64 actions = 0, decisions = 0;
        for (auto it = work.begin(); it != work.end(); ++it) {
            const bool own = highlight && it.key() == scope.userId();
            actions += it->actions;
            decisions += it->decisions;
            t.addRow(
                {it.key(),
                 {BoardCell::ofText(own ? tr("%1 (you)").arg(it.key()) : it.key()), countCell(it->actions),
                  countCell(it->decisions), BoardCell::ofValue(durationValue(pct(it->latency, 50)))},
                 own ? QJsonObject{{u"own"_s, true}} : QJsonObject{}});
        }
        t.setTotals({QVariant(),
                     {BoardCell::ofText(tr("Total")), countCell(actions), countCell(decisions),
                      BoardCell::ofValue(BoardValue::noData())}});
        finish(t);
    }
    {
        BoardTable t(u"rule_outcomes"_s, tr("Rule outcomes by rule"),
                     {{u"rule_id"_s, tr("Rule"), T::Text},
                      {u"hits"_s, tr("Hits"), T::Value, ValueUnit::Count},
                      {u"passes"_s, tr("Passes"), T::Value, ValueUnit::Count},
                      {u"supplements"_s, tr("Needs supplement"), T::Value, ValueUnit::Count},
                      {u"unreadable"_s, tr("Unreadable"), T::Value, ValueUnit::Count},
                      {u"hit_rate"_s, tr("Hit rate"), T::Value, ValueUnit::Tenths},
                      {u"supplement_rate"_s, tr("Supplement rate"), T::Value, ValueUnit::Tenths},
                      {u"waived_hits"_s, tr("Waived hits"), T::Value, ValueUnit::Count},
                      {u"waived_amount"_s, tr("Waived amount"), T::Value, ValueUnit::Fen},
                      {u"exceptions"_s, tr("Exceptions"), T::Value, ValueUnit::Count},
                      {u"exceptions_per_hit"_s, tr("Exceptions per hit"), T::Value, ValueUnit::Tenths}});
        const QHash<QString, qint64> intake = intakeByRule(h, flows);
        auto rowOf = [&](const OutcomeCounts& c, qint64 exceptions) {
            return QList<BoardCell>{countCell(c.hits),
                                    countCell(c.passes),
                                    countCell(c.supplements),
                                    countCell(c.unreadable),
                                    BoardCell::ofValue(rateValue(ratioOf(c.hits, c.counted()))),
                                    BoardCell::ofValue(rateValue(ratioOf(c.supplements, c.counted()))),
                                    countCell(c.waivedHits),
                                    BoardCell::ofValue(BoardValue::ofSum(c.waivedCents)),
                                    countCell(exceptions),
                                    BoardCell::ofValue(rateValue(ratioOf(exceptions, c.hits)))};
        };
        qint64 exceptions = 0;
        for (auto it = o.byRule.cbegin(); it != o.byRule.cend(); ++it) {
            QList<BoardCell> cells{BoardCell::ofText(it.key())};
            cells += rowOf(*it, intake.value(it.key()));
            exceptions += intake.value(it.key());
            t.addRow({it.key(), cells});
        }
        if (anyOutcomes.value()) {
            QList<BoardCell> totals{BoardCell::ofText(tr("Total"))};
            totals += rowOf(o.total, exceptions);
            t.setTotals({QVariant(), totals});
        } else {
            t.addNote(backfillNote());
        }
        if (!request.reasonCategory.isEmpty() || !request.approver.isEmpty())
            t.addNote(tr(
                "Rule outcomes are events, not exceptions: the reason category and approver filters do not "
                "apply to them."));
        t.addNote(
            tr("Unreadable events (a field the rule needs was missing) are counted apart, never as passes."));
        finish(t);
    }
    {
        BoardTable t(u"engine"_s, tr("Engine decisions"),
                     {{u"group"_s, tr("Group"), T::Text},
                      {u"value"_s, tr("Decision or level"), T::Text},
                      {u"assessments"_s, tr("Assessments"), T::Value, ValueUnit::Count},
                      {u"mean_score"_s, tr("Mean risk score"), T::Value, ValueUnit::Hundredths}});
        for (const EngineRow& r : engine.byDecision)
            t.addRow({u"decision:"_s + r.key,
                      {BoardCell::ofText(tr("Decision")),
                       BoardCell::ofText(engineLabel(AssessmentText::decision(r.key))), countCell(r.count),
                       BoardCell::ofValue(meanScore(r.count, r.scoreMillionths))}});
        for (const EngineRow& r : engine.byLevel)
            t.addRow({u"level:"_s + r.key,
                      {BoardCell::ofText(tr("Risk level")),
                       BoardCell::ofText(engineLabel(AssessmentText::level(r.key))), countCell(r.count),
                       BoardCell::ofValue(meanScore(r.count, r.scoreMillionths))}});
        t.setTotals({QVariant(),
                     {BoardCell::ofText(tr("Total")), BoardCell::ofText(QString()), countCell(engine.count),
                      BoardCell::ofValue(meanScore(engine.count, engine.scoreMillionths))}});
        if (!request.rules.isEmpty() || !request.severity.isEmpty() || !request.targetType.isEmpty() ||
            !request.reasonCategory.isEmpty() || !request.approver.isEmpty())
            t.addNote(
                tr("Engine assessments belong to no exception: the board's filters do not apply to them."));
        finish(t);
    }
    {
        BoardTable t(u"reasons"_s, tr("Top reason categories"),
                     {{u"reason_category"_s, tr("Reason category"), T::Text},
                      {u"exceptions"_s, tr("Exceptions"), T::Value, ValueUnit::Count}});
        std::vector<qint64> byText;
        for (const RiskOpsCase* c : flows.intake) {
            if (c->reason >= byText.size())
                byText.resize(size_t(c->reason) + 1, 0);
            ++byText[c->reason];
        }
        QMap<QString, qint64> byReason;
        for (size_t i = 0; i < byText.size(); ++i)
            if (byText[i] > 0)
                byReason.insert(h.text(quint32(i)), byText[i]);
        QList<std::pair<QString, qint64>> ranked;
        for (auto it = byReason.cbegin(); it != byReason.cend(); ++it)
            ranked.append({it.key(), it.value()});
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        for (qsizetype i = 0; i < ranked.size() && i < 10; ++i)
            t.addRow({ranked.at(i).first,
                      {BoardCell::ofText(ranked.at(i).first), countCell(ranked.at(i).second)}});
        t.setTotals({QVariant(), {BoardCell::ofText(tr("All categories")), countCell(flows.intake.size())}});
        finish(t);
    }
    {
        BoardTable t(u"log_integrity"_s, tr("Log integrity"),
                     {{u"log"_s, tr("Log"), T::Text},
                      {u"result"_s, tr("Result"), T::Text},
                      {u"entries"_s, tr("Entries checked"), T::Value, ValueUnit::Count},
                      {u"checked_at"_s, tr("Checked at"), T::Text},
                      {u"message"_s, tr("Details"), T::Text}});
        // The last walk of each chain (the log page and `riskdesk log verify` record theirs), with its time:
        // walking a chain of a million entries on every request would take seconds.
        for (const LogSource source : {LogSource::Workspace, LogSource::ServerCopy}) {
            const auto last = ChainCheckLog::last(db, request.tenant, source);
            if (!last)
                return last.problem();
            const std::optional<ChainCheck>& check = last.value();
            const QString result = !check                                 ? tr("not verified")
                                   : check->entries == 0 && check->intact ? tr("empty")
                                   : check->intact                        ? tr("intact")
                                                                          : tr("broken");
            const QString message =
                check ? check->message()
                      : tr("Not verified in this workspace yet: verify it on the approval log page or with "
                           "riskdesk log verify.");
            t.addRow({source == LogSource::Workspace ? u"workspace"_s : u"server"_s,
                      {BoardCell::ofText(source == LogSource::Workspace ? tr("This desktop's log")
                                                                        : tr("Server log (last sync)")),
                       BoardCell::ofText(result),
                       check ? countCell(check->entries) : BoardCell::ofValue(BoardValue::noData()),
                       BoardCell::ofText(check ? isoTime(check->checkedAtMs) : u"—"_s),
                       BoardCell::ofText(message)}});
            if (check && !check->intact)
                report.addBadge(
                    tr("Integrity alarm: the approval log chain is broken (%1)").arg(check->message()));
        }
        finish(t);
    }
    // Charts, as tables: pending at each day's end, decisions per day by outcome, weekly p50.
    {
        BoardTable pending(
            u"daily_pending"_s, tr("Pending at the end of each day"),
            {{u"day"_s, tr("Day"), T::Text}, {u"pending"_s, tr("Pending"), T::Value, ValueUnit::Count}});
        BoardTable decided(u"daily_decisions"_s, tr("Decisions per day"),
                           {{u"day"_s, tr("Day"), T::Text},
                            {u"approve"_s, tr("Approved"), T::Value, ValueUnit::Count},
                            {u"reject"_s, tr("Rejected"), T::Value, ValueUnit::Count},
                            {u"auto_reject"_s, tr("Auto-rejected"), T::Value, ValueUnit::Count},
                            {u"total"_s, tr("Total"), T::Value, ValueUnit::Count}});
        // Each day's figures in one pass over the cases and one over the decisions, not one of each per day.
        std::vector<qint64> dayEnds;
        for (QDate d = period.from(); d <= period.to(); d = d.addDays(1))
            dayEnds.push_back(dayStartMs(d.addDays(1)) - 1);
        const std::vector<qint64> pendingAtEnd = pendingCounts(h, dayEnds);
        std::vector<std::array<qint64, 3>> decidedOn(dayEnds.size(), {0, 0, 0});
        const qint64 periodStart =
            dayStartMs(period.from()); // a QDateTime per decision cost 3 % of a request
        for (const RiskOpsCase* c : flows.decided) {
            // The first day whose end is at or after the decision; a decision outside the period counts
            // nowhere.
            const auto day = std::lower_bound(dayEnds.cbegin(), dayEnds.cend(), c->finalAtMs);
            if (day == dayEnds.cend() || c->finalAtMs < periodStart)
                continue;
            ++decidedOn[size_t(day - dayEnds.cbegin())][c->final == RiskOpsFinal::Approve  ? 0
                                                        : c->final == RiskOpsFinal::Reject ? 1
                                                                                           : 2];
        }
        size_t index = 0;
        for (QDate d = period.from(); d <= period.to(); d = d.addDays(1), ++index) {
            const QString day = d.toString(Qt::ISODate);
            pending.addRow({day, {BoardCell::ofText(day), countCell(pendingAtEnd[index])}});
            const std::array<qint64, 3>& n = decidedOn[index];
            decided.addRow({day,
                            {BoardCell::ofText(day), countCell(n[0]), countCell(n[1]), countCell(n[2]),
                             countCell(n[0] + n[1] + n[2])}});
        }
        decided.setTotals(
            {QVariant(),
             {BoardCell::ofText(tr("Total")), countCell(flows.approvals), countCell(flows.rejections),
              countCell(flows.autoRejections), countCell(flows.decisions())}});
        finish(pending);
        finish(decided);
        // When decisions are taken: weekday × hour of each final decision, in UTC like the board's days.
        WeekdayHourTable::Grid grid{};
        for (const RiskOpsCase* c : flows.decided) {
            const QDateTime at = QDateTime::fromMSecsSinceEpoch(c->finalAtMs, QTimeZone::utc());
            ++grid[size_t(at.date().dayOfWeek() - 1)][size_t(at.time().hour())];
        }
        BoardTable heat = WeekdayHourTable::make(u"decisions_heatmap"_s, tr("Decisions by weekday and hour"),
                                                 grid, request.locale);
        heat.addNote(tr("Final decisions of the period; hours in UTC, as the board's days."));
        finish(heat);
        BoardTable weekly(u"weekly_time"_s, tr("Time to decision p50 per week"),
                          {{u"week"_s, tr("Week"), T::Text},
                           {u"decisions"_s, tr("Decisions"), T::Value, ValueUnit::Count},
                           {u"p50"_s, tr("p50"), T::Value, ValueUnit::HoursOneDecimal}});
        for (QDate start = period.from(); start <= period.to();) {
            // Weeks run Monday to Sunday, clipped to the period.
            const QDate end = std::min(start.addDays(7 - start.dayOfWeek()), period.to());
            const Window w{dayStartMs(start), dayStartMs(end.addDays(1))};
            std::vector<qint64> times;
            for (const RiskOpsCase* c : flows.decided)
                if (w.contains(c->finalAtMs))
                    times.push_back(c->finalAtMs - c->applyMs);
            const QString label = start.toString(Qt::ISODate) + u" ~ "_s + end.toString(Qt::ISODate);
            weekly.addRow({start.toString(Qt::ISODate),
                           {BoardCell::ofText(label), countCell(qint64(times.size())),
                            BoardCell::ofValue(durationValue(pct(times, 50)))}});
            start = end.addDays(1);
        }
        finish(weekly);
    }
    return report;
}

} // namespace riskdesk
