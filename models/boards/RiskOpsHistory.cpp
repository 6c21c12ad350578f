#include "RiskOpsHistory.h"

#include "store/NativeStatement.h"
#include "store/SqlProblem.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QStringList>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

const QStringList kSeverities{u"low"_s, u"medium"_s, u"high"_s, u"critical"_s};
const QStringList kTargetTypes{u"claim"_s, u"claim_item"_s, u"transaction"_s, u"merchant"_s, u"user"_s};

// The rule, target-type, reason and (when its expression is given) severity filters as SQL over the given
// columns, with ?N marks numbered from firstMark, and the texts to bind to them in order.
struct FilterColumns {
    QByteArray rule, targetType, reason, severity;
};

std::pair<QByteArray, QStringList> exceptionFilter(const BoardRequest& request, int firstMark,
                                                   const FilterColumns& columns) {
    QByteArray sql;
    QStringList texts;
    auto mark = [&](const QString& value) {
        texts << value;
        return "?" + QByteArray::number(firstMark + texts.size() - 1);
    };
    if (!request.rules.isEmpty()) {
        QByteArrayList marks;
        for (const QString& rule : request.rules)
            marks << mark(rule);
        sql += " AND " + columns.rule + " IN (" + marks.join(", ") + ")";
    }
    if (!request.severity.isEmpty() && !columns.severity.isEmpty())
        sql += " AND " + columns.severity + " = " + mark(request.severity);
    if (!request.targetType.isEmpty())
        sql += " AND " + columns.targetType + " = " + mark(request.targetType);
    if (!request.reasonCategory.isEmpty())
        sql += " AND " + columns.reason + " = " + mark(request.reasonCategory);
    return {sql, texts};
}

// The approver filter on a step `s`, after the marks exceptionFilter numbered from `firstMark`: the
// exceptions this person has any entry on in their history (as the full replay keeps them). An entry made
// here and copied back from the server names the same person in both logs.
void approverFilter(const BoardRequest& request, int firstMark, QByteArray& filters, QStringList& texts) {
    if (request.approver.isEmpty())
        return;
    texts << request.approver;
    const QByteArray mark = "?" + QByteArray::number(firstMark + texts.size() - 1);
    filters += " AND (EXISTS (SELECT 1 FROM server_log a WHERE a.tenant_id = s.tenant_id"
               " AND a.record_id = s.record_id AND a.actor_id = " +
               mark +
               ") OR EXISTS (SELECT 1 FROM approval_log_unsynced a WHERE a.tenant_id = s.tenant_id"
               " AND a.record_id = s.record_id AND a.actor_id = " +
               mark + "))";
}

// An exception's history (migration 033): the server's copy first, each entry numbered by its seq minus
// RiskOpsHistory::kServerEntry, then the entries made here that the server does not have yet.
// Each reads `l`, with the conditions that follow it: SQLite carries no condition into a compound view.
const QByteArray kServerHistory =
    "SELECT l.record_id, l.seq - 4611686018427387904 AS seq, l.actor_id, l.action,"
    " l.step, l.status_after, l.at FROM ";
const QByteArray kServerLog = "server_log l";
const QByteArray kLocalHistory =
    "SELECT l.record_id, l.seq, l.actor_id, l.action, l.step, l.status_after, l.at"
    " FROM ";
const QByteArray kLocalLog = "approval_log_unsynced l";

// Rows gathered in blocks of a fixed size, then moved into one list of the exact size. Growing one list row
// by row to hundreds of thousands of cases reallocated it again and again, faulting fresh pages in each time:
// the 30-day board spent about 40 % of its time there (measured: 880 against 490 ms with the list reserved).
template <typename T> class RowBlocks {
public:
    T& add() {
        if (m_blocks.empty() || m_blocks.back().size() == kBlockSize) {
            m_blocks.emplace_back();
            m_blocks.back().reserve(kBlockSize);
        }
        ++m_size;
        return m_blocks.back().emplace_back();
    }
    void moveTo(QList<T>& list) {
        list.reserve(list.size() + m_size);
        for (std::vector<T>& block : m_blocks)
            for (T& row : block)
                list.append(std::move(row));
        m_blocks.clear();
        m_size = 0;
    }

private:
    static constexpr size_t kBlockSize = 8192;
    std::vector<std::vector<T>> m_blocks;
    qsizetype m_size = 0;
};

} // namespace

static_assert(sizeof(RiskOpsCase) <= 64, "a request holds hundreds of thousands of cases");
static_assert(RiskOpsHistory::kServerEntry == 4611686018427387904LL,
              "the SQL here and migration 033 place server entries so");

bool RiskOpsCase::pendingAt(qint64 t) const {
    if (applyMs > t)
        return false;
    if (final != RiskOpsFinal::None && finalAtMs <= t)
        return false;
    return withdrawnAtMs > t;
}

qint64 RiskOpsHistory::defaultSlaMinutes(const QString& severity) {
    if (severity == u"critical")
        return 240;
    if (severity == u"high")
        return 480;
    if (severity == u"low")
        return 4320;
    return 1440;
}

qint64 RiskOpsHistory::slaMinutes(const QString& severity) const {
    return m_slaMinutes.value(severity, defaultSlaMinutes(severity));
}

void RiskOpsHistory::setSlaTargets() {
    for (const RiskOpsSeverity s :
         {RiskOpsSeverity::Low, RiskOpsSeverity::Medium, RiskOpsSeverity::High, RiskOpsSeverity::Critical})
        m_slaMs[size_t(s)] = slaMinutes(severityName(s)) * 60 * 1000;
}

QString RiskOpsHistory::severityName(RiskOpsSeverity severity) {
    return kSeverities.at(qsizetype(severity));
}

std::optional<RiskOpsSeverity> RiskOpsHistory::severityOf(QStringView name) {
    for (qsizetype i = 0; i < kSeverities.size(); ++i)
        if (kSeverities.at(i) == name)
            return RiskOpsSeverity(i);
    return std::nullopt;
}

const RiskOpsCaseDetail& RiskOpsHistory::detail(const RiskOpsCase& c) const {
    static const RiskOpsCaseDetail none;
    return c.detail < 0 ? none : m_details.at(c.detail);
}

std::optional<quint32> RiskOpsHistory::textIndex(const QString& text) const {
    return m_texts.find(text.toUtf8());
}

quint32 RiskOpsHistory::intern(QByteArrayView utf8) {
    return m_texts.intern(utf8);
}

// The severity of the rule at a text index (medium for a rule the tenant does not have), looked up once.
RiskOpsSeverity RiskOpsHistory::ruleSeverity(quint32 rule) {
    if (rule >= m_ruleSeverityCache.size())
        m_ruleSeverityCache.resize(size_t(rule) + 1, -1);
    qint8& cached = m_ruleSeverityCache[rule];
    if (cached < 0)
        cached = qint8(
            severityOf(m_ruleSeverity.value(text(rule), u"medium"_s)).value_or(RiskOpsSeverity::Medium));
    return RiskOpsSeverity(cached);
}

Result<RiskOpsHistory> RiskOpsHistory::load(QSqlDatabase db, const BoardRequest& request,
                                            std::optional<RiskOpsSpan> span, RiskOpsDetail detail) {
    const QString doing = tr("Reading the exception queue's history");
    RiskOpsHistory h;
    if (!request.severity.isEmpty() && !kSeverities.contains(request.severity))
        return Problem{
            u"bad_filter"_s,
            tr("--severity must be low, medium, high or critical, not \"%1\".").arg(request.severity),
            u"severity"_s};
    if (!request.targetType.isEmpty() && !kTargetTypes.contains(request.targetType))
        return Problem{u"bad_filter"_s,
                       tr("--target-type must be one of %1, not \"%2\".")
                           .arg(kTargetTypes.join(u", "_s), request.targetType),
                       u"target-type"_s};
    {
        QSqlQuery q(db);
        q.prepare(u"SELECT rule_id, severity FROM rules WHERE tenant_id = ?"_s);
        q.addBindValue(request.tenant);
        if (!q.exec())
            return sqlProblem(q, doing);
        while (q.next())
            h.m_ruleSeverity.insert(q.value(0).toString(), q.value(1).toString());
        if (rowsFailed(q))
            return sqlProblem(q, doing);
    }
    for (const QString& rule : request.rules)
        if (!h.m_ruleSeverity.contains(rule))
            return Problem{u"bad_filter"_s, tr("Tenant %1 has no rule \"%2\".").arg(request.tenant, rule),
                           u"rule"_s};
    if (!request.approver.isEmpty()) {
        QSqlQuery q(db);
        q.prepare(u"SELECT 1 FROM users WHERE tenant_id = ? AND user_id = ?"_s);
        q.addBindValue(request.tenant);
        q.addBindValue(request.approver);
        if (!q.exec())
            return sqlProblem(q, doing);
        if (!q.next()) {
            if (rowsFailed(q))
                return sqlProblem(q, doing);
            return Problem{u"bad_filter"_s,
                           tr("Tenant %1 has no user \"%2\".").arg(request.tenant, request.approver),
                           u"approver"_s};
        }
    }
    // A reason category is matched whole: one no exception has (a typo, a part of a name) is named, with the
    // tenant's categories, instead of a board of zeros (helper-82). Both read exception_progress_by_reason
    // (034).
    if (!request.reasonCategory.isEmpty()) {
        QSqlQuery q(db);
        q.prepare(u"SELECT 1 FROM exception_progress WHERE tenant_id = ? AND reason_category = ? LIMIT 1"_s);
        q.addBindValue(request.tenant);
        q.addBindValue(request.reasonCategory);
        if (!q.exec())
            return sqlProblem(q, doing);
        if (!q.next()) {
            if (rowsFailed(q))
                return sqlProblem(q, doing);
            QSqlQuery known(db);
            known.prepare(u"SELECT DISTINCT reason_category FROM exception_progress WHERE tenant_id = ? "
                          "ORDER BY 1 LIMIT 31"_s);
            known.addBindValue(request.tenant);
            if (!known.exec())
                return sqlProblem(known, doing);
            QStringList categories;
            while (known.next())
                categories << known.value(0).toString();
            if (rowsFailed(known))
                return sqlProblem(known, doing);
            if (categories.size() > 30)
                categories.last() = u"…"_s;
            return Problem{
                u"bad_filter"_s,
                categories.isEmpty()
                    ? tr("Tenant %1 has no exception of the reason category \"%2\"; it has no "
                         "exceptions yet.")
                          .arg(request.tenant, request.reasonCategory)
                    : tr("Tenant %1 has no exception of the reason category \"%2\"; its categories "
                         "are: %3.")
                          .arg(request.tenant, request.reasonCategory, categories.join(tr(", "))),
                u"reason"_s};
        }
    }
    {
        QSqlQuery q(db);
        q.prepare(u"SELECT severity, sla_minutes FROM sla_policy WHERE tenant_id = ?"_s);
        q.addBindValue(request.tenant);
        if (!q.exec())
            return sqlProblem(q, doing);
        while (q.next())
            h.m_slaMinutes.insert(q.value(0).toString(), q.value(1).toLongLong());
        if (rowsFailed(q))
            return sqlProblem(q, doing);
        h.m_slaConfigured = !h.m_slaMinutes.isEmpty();
        h.setSlaTargets();
    }

    // The approver filter asks who acted on each exception at any time: only the logs say.
    if (detail == RiskOpsDetail::Figures && span && request.approver.isEmpty()) {
        if (Status s = h.loadFigures(db, request, *span); !s)
            return s.problem();
        return h;
    }
    if (Status s = h.loadWithLogs(db, request, span); !s)
        return s.problem();
    return h;
}

// The span's exceptions from exception_progress's covering index alone, and the span's steps from
// approval_steps: no exception row and no log is read (migration 017).
Status RiskOpsHistory::loadFigures(QSqlDatabase db, const BoardRequest& request, const RiskOpsSpan& span) {
    // Severity is the rule's, looked up here: the progress rows carry no severity.
    const auto [filters, texts] =
        exceptionFilter(request, 4, {"p.rule_id", "p.target_type", "p.reason_category", {}});
    // Two ranges of one index (open, and settled within or after the span), each read in index order: an OR
    // would look every row up in the table.
    const QByteArray columns = "SELECT p.record_id, p.apply_time, p.valid_end, p.rule_id, p.target_type,"
                               " p.reason_category, p.final_at, p.final_kind, p.four_eyes, p.withdrawn_at,"
                               " p.first_action_at FROM exception_progress p WHERE p.tenant_id = ?1"
                               " AND p.apply_time <= ?3";
    const QByteArray sql = columns + " AND p.relevant_until IS NULL" + filters + " UNION ALL " + columns +
                           " AND p.relevant_until >= ?2" + filters;
    const std::optional<RiskOpsSeverity> wanted = severityOf(request.severity);
    RowBlocks<RiskOpsCase> cases;
    {
        NativeStatement q(db, sql.constData());
        if (!q.prepared())
            return q.prepared();
        q.bind(1, QStringView(request.tenant));
        q.bind(2, span.from);
        q.bind(3, span.to);
        for (qsizetype i = 0; i < texts.size(); ++i)
            q.bind(int(i + 4), QStringView(texts.at(i)));
        for (;;) {
            auto row = q.next();
            if (!row)
                return row.problem();
            if (!row.value())
                break;
            const quint32 rule = intern(q.text(3));
            const RiskOpsSeverity severity = ruleSeverity(rule);
            if (wanted && severity != *wanted)
                continue;
            // Built in place: moving a case into the list cost as much as reading it.
            RiskOpsCase& c = cases.add();
            c.rule = rule;
            c.severity = severity;
            c.applyMs = q.int64(1);
            c.validEndMs = q.int64(2);
            c.targetType = intern(q.text(4));
            c.reason = intern(q.text(5));
            if (!q.isNull(6)) {
                c.finalAtMs = q.int64(6);
                const QByteArrayView kind = q.text(7);
                c.final = kind == "approve"       ? RiskOpsFinal::Approve
                          : kind == "auto_reject" ? RiskOpsFinal::AutoReject
                                                  : RiskOpsFinal::Reject;
            }
            c.fourEyes = q.int64(8) == 1;
            if (!q.isNull(9))
                c.withdrawnAtMs = q.int64(9);
            if (!q.isNull(10))
                c.firstActionMs = q.int64(10);
            // The board names only the exceptions that broke the four-eyes rule: a string for those alone.
            if (c.final == RiskOpsFinal::Approve && c.twoStep() && !c.fourEyes) {
                c.detail = qint32(m_details.size());
                m_details.append(RiskOpsCaseDetail{QString::fromUtf8(q.text(0)), {}, {}, {}});
            }
        }
    }
    cases.moveTo(m_cases);
    if (Status s = loadSteps(db, request, span); !s)
        return s;
    return loadViolationLogs(db, request.tenant);
}

// The steps within the span's steps' instants from approval_steps, of the exceptions the filters keep: every
// one, also a step on an exception settled before the span (a stray entry after its settlement), which the
// span's cases do not include.
Status RiskOpsHistory::loadSteps(QSqlDatabase db, const BoardRequest& request, const RiskOpsSpan& span) {
    auto [filters, texts] =
        exceptionFilter(request, 4, {"p.rule_id", "p.target_type", "p.reason_category", {}});
    // Looked up only when a filter needs the step's exception.
    const bool filtered = !filters.isEmpty() || !request.severity.isEmpty();
    approverFilter(request, 4, filters, texts);
    const QByteArray stepSql =
        QByteArray(filtered
                       ? "SELECT s.actor_id, s.at, s.waited_since, s.final, p.rule_id FROM approval_steps s"
                         " CROSS JOIN exception_progress p ON p.tenant_id = s.tenant_id"
                         " AND p.record_id = s.record_id"
                       : "SELECT s.actor_id, s.at, s.waited_since, s.final, NULL FROM approval_steps s") +
        " WHERE s.tenant_id = ?1 AND s.at >= ?2 AND s.at <= ?3" + filters;
    NativeStatement q(db, stepSql.constData());
    if (!q.prepared())
        return q.prepared();
    q.bind(1, QStringView(request.tenant));
    q.bind(2, span.stepsFrom);
    q.bind(3, span.stepsTo);
    for (qsizetype i = 0; i < texts.size(); ++i)
        q.bind(int(i + 4), QStringView(texts.at(i)));
    const std::optional<RiskOpsSeverity> wanted = severityOf(request.severity);
    m_steps.clear();
    RowBlocks<RiskOpsStep> steps;
    for (;;) {
        auto row = q.next();
        if (!row)
            return row.problem();
        if (!row.value())
            break;
        if (wanted && ruleSeverity(intern(q.text(4))) != *wanted)
            continue;
        if (q.isNull(2))
            return Problem{u"workspace_damaged"_s,
                           tr("The approval log has a step on an exception this workspace does not have."),
                           QString()};
        steps.add() = RiskOpsStep{intern(q.text(0)), q.int64(1), q.int64(2), q.int64(3) == 1};
    }
    steps.moveTo(m_steps);
    return success();
}

// The board names who approved an exception that broke the four-eyes rule: those few read their logs.
Result<QList<RiskOpsApproverEntry>> RiskOpsHistory::entriesOf(QSqlDatabase db, const BoardRequest& request,
                                                              const QString& actor, qint64 fromMs,
                                                              qint64 toMs) const {
    auto [filters, texts] =
        exceptionFilter(request, 5, {"p.rule_id", "p.target_type", "p.reason_category", {}});
    approverFilter(request, 5, filters, texts);
    const QByteArray sql =
        "SELECT s.seq, s.record_id, coalesce(v.action, l.action), coalesce(v.step, l.step),"
        " coalesce(v.status_after, l.status_after), s.at, s.waited_since, p.rule_id FROM approval_steps s"
        " LEFT JOIN server_log v ON s.seq < 0 AND v.tenant_id = s.tenant_id"
        " AND v.seq = s.seq + 4611686018427387904"
        " LEFT JOIN approval_log l ON s.seq >= 0 AND l.tenant_id = s.tenant_id AND l.seq = s.seq"
        " CROSS JOIN exception_progress p ON p.tenant_id = s.tenant_id"
        " AND p.record_id = s.record_id"
        " WHERE s.tenant_id = ?1 AND s.at >= ?2 AND s.at < ?3 AND s.actor_id = ?4" +
        filters + " ORDER BY s.seq";
    NativeStatement q(db, sql.constData());
    if (!q.prepared())
        return q.prepared().problem();
    q.bind(1, QStringView(request.tenant));
    q.bind(2, fromMs);
    q.bind(3, toMs);
    q.bind(4, QStringView(actor));
    for (qsizetype i = 0; i < texts.size(); ++i)
        q.bind(int(i + 5), QStringView(texts.at(i)));
    QList<RiskOpsApproverEntry> entries;
    for (;;) {
        auto row = q.next();
        if (!row)
            return row.problem();
        if (!row.value())
            break;
        if (!request.severity.isEmpty() &&
            m_ruleSeverity.value(QString::fromUtf8(q.text(7)), u"medium"_s) != request.severity)
            continue;
        if (q.isNull(6))
            return Problem{u"workspace_damaged"_s,
                           tr("The approval log has a step on an exception this workspace does not have."),
                           QString()};
        entries.append(RiskOpsApproverEntry{q.int64(0), QString::fromUtf8(q.text(1)),
                                            QString::fromUtf8(q.text(2)), int(q.int64(3)),
                                            QString::fromUtf8(q.text(4)), q.int64(5), q.int64(6)});
    }
    return entries;
}

Status RiskOpsHistory::loadViolationLogs(QSqlDatabase db, const QString& tenant) {
    if (Status s = clearByChains(db, tenant); !s)
        return s;
    const QByteArray where = " WHERE l.tenant_id = ?1 AND l.record_id = ?2";
    const QByteArray sql = "SELECT seq, actor_id, action, step, status_after, at FROM (" + kServerHistory +
                           kServerLog + where + " UNION ALL " + kLocalHistory + kLocalLog + where +
                           ") ORDER BY seq";
    NativeStatement q(db, sql.constData());
    if (!q.prepared())
        return q.prepared();
    for (RiskOpsCase& c : m_cases) {
        if (c.final != RiskOpsFinal::Approve || !c.twoStep() || c.fourEyes)
            continue;
        q.bind(1, QStringView(tenant));
        RiskOpsCaseDetail& d = m_details[c.detail];
        q.bind(2, QStringView(d.recordId));
        for (;;) {
            auto row = q.next();
            if (!row)
                return row.problem();
            if (!row.value())
                break;
            d.log.append(RiskOpsLogEntry{q.int64(0), QString::fromUtf8(q.text(1)),
                                         QString::fromUtf8(q.text(2)), int(q.int64(3)),
                                         QString::fromUtf8(q.text(4)), q.int64(5)});
        }
    }
    return success();
}

// Every exception the filters keep with its whole log (within a span: only those that can count in it).
Status RiskOpsHistory::loadWithLogs(QSqlDatabase db, const BoardRequest& request,
                                    std::optional<RiskOpsSpan> span) {
    // The exceptions the filters keep (the approver filter needs the log, below). Read through the
    // connection's own handle: a QVariant per value would cost more than the rest of the board.
    QByteArray from = "FROM exceptions e";
    QByteArray where = "WHERE e.tenant_id = ?1";
    QByteArray logSql = kServerHistory + kServerLog + " WHERE l.tenant_id = ?1 UNION ALL " + kLocalHistory +
                        kLocalLog + " WHERE l.tenant_id = ?1";
    if (span) {
        // CROSS JOIN keeps exception_progress the outer loop: the planner has no statistics that say the span
        // is narrow, and would otherwise walk every exception of the tenant.
        const QByteArray within = " p.tenant_id = ?1 AND (p.relevant_until IS NULL OR p.relevant_until >= "
                                  "?2) AND p.apply_time <= ?3";
        from = "FROM exception_progress p CROSS JOIN exceptions e ON e.tenant_id = p.tenant_id"
               " AND e.record_id = p.record_id";
        where = "WHERE" + within;
        const QByteArray joined =
            " ON l.tenant_id = p.tenant_id AND l.record_id = p.record_id WHERE" + within;
        logSql = kServerHistory + "exception_progress p CROSS JOIN " + kServerLog + joined + " UNION ALL " +
                 kLocalHistory + "exception_progress p CROSS JOIN " + kLocalLog + joined;
    }
    const auto [filters, texts] = exceptionFilter(
        request, span ? 4 : 2,
        {"e.risk_rule_id", "e.target_type", "e.reason_category", "COALESCE(r.severity, 'medium')"});
    where += filters;
    const QByteArray caseSql =
        "SELECT e.record_id, e.risk_rule_id, COALESCE(r.severity, 'medium'), e.target_type, e.target_id,"
        " e.reason_category, e.status, e.apply_time, e.valid_end_time " +
        from + " LEFT JOIN rules r ON r.tenant_id = e.tenant_id AND r.rule_id = e.risk_rule_id " + where;
    auto bindCommon = [&](NativeStatement& st) {
        st.bind(1, QStringView(request.tenant));
        if (span) {
            st.bind(2, span->from);
            st.bind(3, span->to);
        }
    };
    QHash<QByteArray, qsizetype> byRecord;
    {
        NativeStatement q(db, caseSql.constData());
        if (!q.prepared())
            return q.prepared();
        bindCommon(q);
        for (qsizetype i = 0; i < texts.size(); ++i)
            q.bind(int(i + (span ? 4 : 2)), QStringView(texts.at(i)));
        for (;;) {
            auto row = q.next();
            if (!row)
                return row.problem();
            if (!row.value())
                break;
            RiskOpsCase c;
            c.rule = intern(q.text(1));
            c.severity = severityOf(QString::fromUtf8(q.text(2))).value_or(RiskOpsSeverity::Medium);
            c.targetType = intern(q.text(3));
            c.reason = intern(q.text(5));
            c.applyMs = q.int64(7);
            c.validEndMs = q.int64(8);
            c.detail = qint32(m_details.size());
            m_details.append(RiskOpsCaseDetail{
                QString::fromUtf8(q.text(0)), QString::fromUtf8(q.text(4)), text(intern(q.text(6))), {}});
            byRecord.insert(q.text(0).toByteArray(), m_cases.size());
            m_cases.append(c);
        }
    }
    {
        NativeStatement q(db, logSql.constData());
        if (!q.prepared())
            return q.prepared();
        bindCommon(q);
        for (;;) {
            auto row = q.next();
            if (!row)
                return row.problem();
            if (!row.value())
                break;
            const QByteArrayView record = q.text(0);
            const auto it = byRecord.constFind(QByteArray::fromRawData(record.data(), record.size()));
            if (it == byRecord.cend())
                continue; // an exception the filters leave out
            m_details[m_cases.at(*it).detail].log.append(
                RiskOpsLogEntry{q.int64(1), text(intern(q.text(2))), text(intern(q.text(3))), int(q.int64(4)),
                                text(intern(q.text(5))), q.int64(6)});
        }
    }
    // The order the board lists exceptions in, and each log in chain order; then what the log decides.
    std::sort(m_cases.begin(), m_cases.end(), [this](const RiskOpsCase& a, const RiskOpsCase& b) {
        return a.applyMs != b.applyMs ? a.applyMs < b.applyMs : recordId(a) < recordId(b);
    });
    if (!request.approver.isEmpty()) {
        // The approver filter keeps the exceptions this person acted on.
        QList<RiskOpsCase> kept;
        for (RiskOpsCase& c : m_cases) {
            const QList<RiskOpsLogEntry>& log = detail(c).log;
            const bool acted = std::any_of(log.cbegin(), log.cend(), [&](const RiskOpsLogEntry& e) {
                return e.actorId == request.approver;
            });
            if (acted)
                kept.append(c);
        }
        m_cases = std::move(kept);
    }
    deriveFromLogs();
    if (Status s = clearByChains(db, request.tenant); !s)
        return s;
    if (span)
        return loadSteps(db, request, *span); // the logs of the span's cases miss a stray step (loadSteps)
    return success();
}

Status RiskOpsHistory::clearByChains(QSqlDatabase db, const QString& tenant) {
    QSqlQuery q(db);
    q.prepare(u"SELECT approval_chain_log FROM exceptions WHERE tenant_id = ? AND record_id = ?"_s);
    const QString what = tr("Reading the approval chains of the four-eyes violations");
    for (RiskOpsCase& c : m_cases) {
        if (c.final != RiskOpsFinal::Approve || !c.twoStep() || c.fourEyes)
            continue;
        q.addBindValue(tenant);
        q.addBindValue(recordId(c));
        if (!q.exec())
            return sqlProblem(q, what);
        QStringList approvers;
        if (q.next())
            for (const QJsonValue& step : QJsonDocument::fromJson(q.value(0).toString().toUtf8()).array()) {
                const QJsonObject s = step.toObject();
                if (s.value(u"action"_s).toString() == u"approve" &&
                    !approvers.contains(s.value(u"approver_id"_s).toString()))
                    approvers << s.value(u"approver_id"_s).toString();
            }
        if (rowsFailed(q))
            return sqlProblem(q, what);
        c.fourEyes = approvers.size() >= 2;
    }
    return success();
}

// What the board's definitions take from each log (spec §9.3), as migration 017's views take it.
void RiskOpsHistory::deriveFromLogs() {
    for (RiskOpsCase& c : m_cases) {
        QList<RiskOpsLogEntry>& log = m_details[c.detail].log;
        std::sort(log.begin(), log.end(),
                  [](const RiskOpsLogEntry& a, const RiskOpsLogEntry& b) { return a.seq < b.seq; });
        QStringList approvers; // distinct, up to the final decision
        for (qsizetype k = 0; k < log.size(); ++k) {
            const RiskOpsLogEntry& e = log.at(k);
            const bool step = e.action == u"approve" || e.action == u"reject";
            const bool closes = c.final == RiskOpsFinal::None &&
                                (e.statusAfter == u"approved" || e.statusAfter == u"rejected");
            if (e.action == u"approve" && c.final == RiskOpsFinal::None && !approvers.contains(e.actorId))
                approvers << e.actorId;
            if (closes) {
                c.final = e.statusAfter == u"approved" ? RiskOpsFinal::Approve
                          : e.action == u"auto_reject" ? RiskOpsFinal::AutoReject
                                                       : RiskOpsFinal::Reject;
                c.finalAtMs = e.atMs;
                c.fourEyes = c.final == RiskOpsFinal::Approve && approvers.size() >= 2;
            }
            if (e.action == u"withdraw" && c.withdrawnAtMs == RiskOpsCase::kNever)
                c.withdrawnAtMs = e.atMs;
            if (step && c.firstActionMs == RiskOpsCase::kNever)
                c.firstActionMs = e.atMs;
            if (step) // what it waited since, never after it (as migration 033's views)
                m_steps.append(RiskOpsStep{intern(e.actorId.toUtf8()), e.atMs,
                                           std::min(k == 0 ? c.applyMs : log.at(k - 1).atMs, e.atMs),
                                           closes});
        }
    }
}

} // namespace riskdesk
