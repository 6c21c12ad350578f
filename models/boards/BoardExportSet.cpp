#include "BoardExportSet.h"

#include "CoachBoard.h"
#include "CustomerBoard.h"
#include "CustomerDimensions.h"
#include "FinanceBoard.h"
#include "FinanceTrend.h"
#include "RiskOpsBoard.h"
#include "SkillBoard.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>
#include <tuple>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// A resolved range as the boards put it in their parameters: {"from", "to"} or already a sentence.
QString rangeText(const QJsonValue& v) {
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (o.contains(u"from"_s))
            return o.value(u"from"_s).toString() + u" ~ "_s + o.value(u"to"_s).toString();
    }
    return v.toString();
}

// The first of these parameters that holds a {"from", "to"} object.
std::pair<QDate, QDate> rangeOf(const QJsonObject& p, std::initializer_list<QString> keys) {
    for (const QString& key : keys) {
        const QJsonObject o = p.value(key).toObject();
        const QDate from = QDate::fromString(o.value(u"from"_s).toString(), Qt::ISODate);
        const QDate to = QDate::fromString(o.value(u"to"_s).toString(), Qt::ISODate);
        if (from.isValid() && to.isValid())
            return {from, to};
    }
    return {};
}

QString firstText(const QJsonObject& p, std::initializer_list<QString> keys) {
    for (const QString& key : keys)
        if (const QString t = rangeText(p.value(key)); !t.isEmpty())
            return t;
    return {};
}

} // namespace

std::pair<QDate, QDate> BoardExportSet::resolvedRange(const QList<BoardReport>& reports, const QDate& today) {
    // BOARD-2's first tabs have no period (D4 and D5 do): the first report that resolved one names it.
    for (const BoardReport& r : reports)
        if (const auto range = rangeOf(r.parameters(), {u"period"_s, u"range"_s, u"resolvedPeriod"_s});
            range.first.isValid())
            return range;
    const QDate asOf =
        reports.isEmpty()
            ? QDate()
            : QDate::fromString(reports.first().parameters().value(u"asOf"_s).toString().left(10),
                                Qt::ISODate);
    const QDate day = asOf.isValid() ? asOf : today;
    return {day, day};
}

namespace {

// Passes rows on and counts them.
class CountingSink : public BoardRowSink {
public:
    explicit CountingSink(BoardRowSink& next) : m_next(next) {}
    Status beginTable(const BoardTable& table) override { return m_next.beginTable(table); }
    Status row(const BoardTableRow& row) override {
        ++rows;
        return m_next.row(row);
    }
    qint64 rows = 0;

private:
    BoardRowSink& m_next;
};

} // namespace

BoardExportSet::Compute BoardExportSet::computeOf(BoardKind board) {
    switch (board) {
    case BoardKind::Skills:
        return &SkillBoard::compute;
    case BoardKind::Coach:
        return &CoachBoard::compute;
    case BoardKind::Customer:
        return &CustomerBoard::compute;
    case BoardKind::Finance:
        return &FinanceBoard::compute;
    case BoardKind::RiskOps:
        return &RiskOpsBoard::compute;
    }
    return nullptr;
}

Result<BoardExportSet> BoardExportSet::compute(QSqlDatabase db, BoardKind board, const BoardScope& scope,
                                               BoardRequest request, const QDateTime& exportedAt,
                                               BoardRowSink* sink, int rowsPerSection) {
    // Exports hold every row of the sorted set, never the page on screen (§2.8); a printed board its first
    // rows.
    request.page = 1;
    request.pageSize = sink ? 0 : std::max(rowsPerSection, 0);
    BoardExportSet set;
    set.m_board = board;
    set.m_userId = scope.userId();
    set.m_exportedAt = exportedAt;
    set.m_locale = request.locale;
    set.m_site = request.site;
    set.m_request = request;
    const Compute compute = computeOf(board);
    // BOARD-2 shows one dimension per tab; its export holds all eight, in tab order.
    QStringList dimensions{request.dimension};
    if (board == BoardKind::Customer && request.drill.isEmpty()) {
        // and its visits heat map once, whether the window drew it or not: the window's workbook and the
        // command line's were not the same board (helper-91).
        request.chartSections = true;
        dimensions.clear();
        for (const CustomerDimension d : CustomerDimensions::all())
            dimensions << CustomerDimensions::key(d);
    }
    if (sink && board == BoardKind::Customer && request.drill.isEmpty()) {
        // Every member of every tab: the rows go to the sink as they are read (they are far too many to
        // hold).
        CountingSink counting(*sink);
        auto reports = CustomerBoard::computeEveryRow(db, scope, request, dimensions, counting);
        if (!reports)
            return reports.problem();
        set.m_reports = std::move(reports).value();
        set.m_streamedRows = counting.rows;
    } else {
        for (qsizetype i = 0; i < dimensions.size(); ++i) {
            BoardRequest one = request;
            one.dimension = dimensions.at(i);
            one.chartSections = request.chartSections && i == dimensions.size() - 1; // as computeEveryRow
            auto report = compute(db, scope, one);
            if (!report)
                return report.problem();
            set.m_reports.append(std::move(report).value());
        }
        if (sink) {
            CountingSink counting(*sink);
            for (const BoardReport& report : std::as_const(set.m_reports)) {
                for (const BoardTable& table : report.tables()) {
                    if (Status s = counting.beginTable(table); !s)
                        return s.problem();
                    if (!table.outcome().showsRows())
                        continue;
                    for (const BoardTableRow& row : table.rows())
                        if (Status s = counting.row(row); !s)
                            return s.problem();
                }
            }
            set.m_streamedRows = counting.rows;
        }
    }
    set.m_streamed = sink != nullptr;
    const BoardReport& first = set.m_reports.first();
    set.m_title = first.title();
    set.m_watermark = first.watermark();
    std::tie(set.m_from, set.m_to) = resolvedRange(set.m_reports, request.today);
    if (!request.site.isEmpty()) {
        if (const auto clock = scope.clockOf(request.site))
            set.m_zone = QString::fromUtf8(clock.value().zone().id());
    } else {
        set.m_zone = QString::fromUtf8(QTimeZone::systemTimeZoneId()); // no site: the reader's own clock
    }
    return set;
}

QList<BoardExportFilter> BoardExportSet::filters() const {
    // Every report's parameters, the first report's winning: BOARD-2's period comes from its D4 tab.
    QJsonObject p;
    for (const BoardReport& r : m_reports)
        for (auto it = r.parameters().begin(); it != r.parameters().end(); ++it)
            if (!p.contains(it.key()))
                p.insert(it.key(), it.value());
    QList<BoardExportFilter> out;
    out.append({tr("Board"), m_title});
    out.append({tr("Site"), m_site.isEmpty() ? tr("All sites of the tenant") : m_site});
    out.append({tr("Period"), firstText(p, {u"period"_s, u"range"_s})});
    out.append(
        {tr("Previous period"), firstText(p, {u"previousPeriod"_s, u"previousRange"_s, u"previous"_s})});
    out.append({tr("As of"), p.value(u"asOf"_s).toString()});
    out.append({tr("Data loaded through"), m_watermark.isValid() ? m_watermark.toString(Qt::ISODate)
                                           : m_board == BoardKind::RiskOps
                                               ? tr("live: the workspace at the export time")
                                               : tr("unknown")});
    out.append({tr("User"), m_userId.isEmpty() ? tr("workspace owner") : m_userId});
    const QDateTime at =
        m_zone.isEmpty() ? m_exportedAt : m_exportedAt.toTimeZone(QTimeZone(m_zone.toUtf8()));
    out.append({tr("Export time"), at.toString(u"yyyy-MM-dd HH:mm:ss"_s) +
                                       (m_zone.isEmpty() ? u" UTC"_s : u" ("_s + m_zone + u')')});
    const auto optional = [&out](const QString& label, const QString& value) {
        if (!value.isEmpty())
            out.append({label, value});
    };
    optional(tr("Skill"), m_request.skill);
    optional(tr("Tiers"), m_request.tiers.join(u", "_s));
    optional(tr("Coach"), m_request.coach);
    optional(tr("Search"), m_request.search);
    optional(tr("Trend granularity"), FinanceTrend::labelOfKey(m_request.granularity));
    optional(tr("Sort"), m_request.sort);
    optional(tr("Rules"), m_request.rules.join(u", "_s));
    optional(tr("Severity"), m_request.severity);
    optional(tr("Target type"), m_request.targetType);
    optional(tr("Reason category"), m_request.reasonCategory);
    optional(tr("Approver"), m_request.approver);
    optional(tr("Drill-down"), m_request.drill);
    return out;
}

QString BoardExportSet::headerLine() const {
    QStringList parts;
    for (const BoardExportFilter& f : filters())
        if (!f.value.isEmpty() && f.label != tr("Board"))
            parts << f.label + u": "_s + f.value;
    return parts.join(u"  ·  "_s);
}

qint64 BoardExportSet::rowCount() const {
    if (m_streamed)
        return m_streamedRows;
    qint64 n = 0;
    for (const BoardReport& r : m_reports)
        for (const BoardTable& t : r.tables())
            n += t.rows().size();
    return n;
}

QString BoardExportSet::parametersHash() const {
    QJsonArray params;
    for (const BoardReport& r : m_reports)
        params.append(r.parameters());
    const QJsonObject o{{u"board"_s, int(m_board)}, {u"user"_s, m_userId}, {u"parameters"_s, params}};
    return QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(o).toJson(QJsonDocument::Compact), QCryptographicHash::Sha256)
            .toHex());
}

} // namespace riskdesk
