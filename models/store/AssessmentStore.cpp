#include "AssessmentStore.h"

#include "AssessmentDayTotals.h"
#include "NativeStatement.h"
#include "SqlProblem.h"
#include "WriteTransaction.h"
#include "domain/Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <charconv>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Status AssessmentStore::load(AssessmentSession& session) const {
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT COALESCE(max(seq), 0) FROM risk_assessments"_s) || !q.next())
        return sqlProblem(q, tr("Reading the assessment log"));
    session.continueSequenceAfter(q.value(0).toULongLong());
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT user_id, day, day_count, day_amount_cents, hour, hour_count, last_seq FROM velocity_ledger "
        "WHERE tenant_id = ?"_s);
    q.addBindValue(m_tenant);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the velocity ledger"));
    while (q.next())
        session.ledger().restore(q.value(0).toString(),
                                 VelocityLedger::Entry{q.value(1).toLongLong(), q.value(2).toLongLong(),
                                                       q.value(3).toLongLong(), q.value(4).toLongLong(),
                                                       q.value(5).toLongLong(), q.value(6).toULongLong()});
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the velocity ledger"));
    q.prepare(u"SELECT kind, id FROM blacklist WHERE tenant_id = ?"_s);
    q.addBindValue(m_tenant);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the blacklist"));
    while (q.next()) {
        if (q.value(0).toString() == u"user")
            session.blacklist().addUser(q.value(1).toString());
        else
            session.blacklist().addMerchant(q.value(1).toString());
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the blacklist"));
    return success();
}

LoggedAssessment LoggedAssessment::of(const AssessmentRequest& request, const SessionAssessment& made) {
    const Assessment& a = made.assessment;
    return LoggedAssessment{request.userId, request.merchantId, request.amountCents,
                            a.riskScore,    a.riskLevel,        a.decision,
                            a.reasons,      made.sequence,      timestamps::toMs(made.timestamp)};
}

QByteArray LoggedAssessment::requestId() const {
    SessionAssessment s;
    s.sequence = sequence;
    s.timestamp = timestamps::fromMs(assessedAtMs);
    return s.requestIdUtf8();
}

namespace {
// req_<ms>_<sequence, at least 6 digits> into a reused buffer: no allocation per row.
void formatRequestId(QByteArray& out, qint64 ms, quint64 sequence) {
    char digits[24];
    out.resize(0);
    out.append("req_", 4);
    auto r = std::to_chars(digits, digits + sizeof digits, ms);
    out.append(digits, r.ptr - digits);
    out.append('_');
    r = std::to_chars(digits, digits + sizeof digits, sequence);
    for (qsizetype pad = 6 - (r.ptr - digits); pad > 0; --pad)
        out.append('0');
    out.append(digits, r.ptr - digits);
}
} // namespace

Status AssessmentStore::save(AssessmentSession& session, const QList<LoggedAssessment>& made) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun();
    // Native statements: these are the engine's bulk writes (hundreds of thousands of rows a second).
    NativeStatement ledger(
        m_db,
        "INSERT INTO velocity_ledger (tenant_id, user_id, day, day_count, day_amount_cents, hour, "
        "hour_count, "
        "last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, user_id) DO UPDATE SET day = "
        "excluded.day, day_count = excluded.day_count, day_amount_cents = excluded.day_amount_cents, hour = "
        "excluded.hour, hour_count = excluded.hour_count, last_seq = excluded.last_seq");
    NativeStatement log(
        m_db, "INSERT INTO risk_assessments (tenant_id, request_id, user_id, merchant_id, amount_cents, "
              "risk_score, risk_level, decision, reasons, policy, assessed_at, seq) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!ledger.prepared())
        return ledger.prepared();
    if (!log.prepared())
        return log.prepared();
    const QByteArray tenant = m_tenant.toUtf8();
    for (const auto& [user, e] : session.ledger().takeChanged()) {
        ledger.bind(1, tenant);
        ledger.bind(2, user);
        ledger.bind(3, e.day);
        ledger.bind(4, e.dayCount);
        ledger.bind(5, e.dayAmountCents);
        ledger.bind(6, e.hour);
        ledger.bind(7, e.hourCount);
        ledger.bind(8, qint64(e.lastSequence));
        if (Status s = ledger.step(); !s)
            return s;
    }
    const QByteArray policy = u"%1@%2"_s.arg(session.policy().name).arg(session.policy().version).toUtf8();
    AssessmentDayTotals totals;
    QByteArray requestId, reasons; // reused row after row
    for (const LoggedAssessment& a : made) {
        reasons.resize(0);
        reasons.append('[');
        for (qsizetype i = 0; i < a.reasons.size(); ++i) {
            reasons.append(i ? ",\"" : "\"");
            reasons.append(a.reasons.at(i).toLatin1()); // codes are plain ASCII identifiers
            reasons.append('"');
        }
        reasons.append(']');
        formatRequestId(requestId, a.assessedAtMs, a.sequence);
        log.bind(1, tenant);
        log.bind(2, requestId);
        log.bind(3, a.userId);
        log.bind(4, a.merchantId);
        log.bind(5, a.amountCents);
        log.bind(6, a.riskScore);
        log.bind(7, a.riskLevel);
        log.bind(8, a.decision);
        log.bind(9, reasons);
        log.bind(10, policy);
        log.bind(11, a.assessedAtMs);
        log.bind(12, qint64(a.sequence));
        if (Status s = log.step(); !s)
            return Problem{s.problem().code,
                           tr("Logging assessment %1 failed: %2")
                               .arg(QString::fromLatin1(requestId), s.problem().message),
                           {}};
        totals.add(a);
    }
    if (Status s = totals.write(m_db, tenant); !s)
        return s;
    return tx.commit();
}

Result<std::optional<LoggedAssessment>> AssessmentStore::latestForUser(const QString& userId) const {
    // The ledger row knows the user's latest assessment; the log is read by its key.
    QSqlQuery q(m_db);
    q.prepare(
        u"SELECT a.merchant_id, a.amount_cents, a.risk_score, a.risk_level, a.decision, a.reasons, a.seq, "
        "a.assessed_at FROM velocity_ledger l JOIN risk_assessments a ON a.seq = l.last_seq "
        "WHERE l.tenant_id = ? AND l.user_id = ?"_s);
    q.addBindValue(m_tenant);
    q.addBindValue(userId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the assessment log"));
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, tr("Reading the assessment log"));
        return std::optional<LoggedAssessment>{};
    }
    LoggedAssessment a;
    a.userId = userId;
    a.merchantId = q.value(0).toString();
    a.amountCents = q.value(1).toLongLong();
    a.riskScore = q.value(2).toDouble();
    a.riskLevel = q.value(3).toString();
    a.decision = q.value(4).toString();
    for (const QJsonValue& r : QJsonDocument::fromJson(q.value(5).toByteArray()).array())
        a.reasons << r.toString();
    a.sequence = q.value(6).toULongLong();
    a.assessedAtMs = q.value(7).toLongLong();
    return std::optional<LoggedAssessment>(a);
}

Status AssessmentStore::addToBlacklist(const Blacklist& list) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun();
    QSqlQuery q(m_db);
    q.prepare(u"INSERT OR IGNORE INTO blacklist (tenant_id, kind, id) VALUES (?, ?, ?)"_s);
    for (const auto& [kind, ids] :
         {std::pair{u"user"_s, list.users()}, std::pair{u"merchant"_s, list.merchants()}}) {
        for (const QString& id : ids) {
            q.bindValue(0, m_tenant);
            q.bindValue(1, kind);
            q.bindValue(2, id);
            if (!q.exec())
                return sqlProblem(q, tr("Saving the blacklist"));
        }
    }
    return tx.commit();
}

Result<std::optional<AssessmentPolicy>> AssessmentStore::tenantPolicy() const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT policy FROM assessment_policies WHERE tenant_id = ?"_s);
    q.addBindValue(m_tenant);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the tenant's policy"));
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, tr("Reading the tenant's policy"));
        return std::optional<AssessmentPolicy>{};
    }
    auto parsed = AssessmentPolicy::fromJson(QJsonDocument::fromJson(q.value(0).toByteArray()).object());
    if (!parsed)
        return parsed.problem();
    return std::optional<AssessmentPolicy>(parsed.value());
}

Status AssessmentStore::setTenantPolicy(const QJsonObject& policy) {
    auto parsed = AssessmentPolicy::fromJson(policy);
    if (!parsed)
        return parsed.problem();
    QSqlQuery q(m_db);
    q.prepare(u"INSERT OR REPLACE INTO assessment_policies (tenant_id, policy) VALUES (?, ?)"_s);
    q.addBindValue(m_tenant);
    q.addBindValue(QString::fromUtf8(QJsonDocument(policy).toJson(QJsonDocument::Compact)));
    return q.exec() ? success() : Status(sqlProblem(q, tr("Saving the tenant's policy")));
}

} // namespace riskdesk
