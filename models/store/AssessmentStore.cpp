#include "AssessmentStore.h"

#include "SqlProblem.h"
#include "WriteTransaction.h"
#include "domain/Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Status AssessmentStore::load(AssessmentSession& session) const {
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT COALESCE(max(rowid), 0) FROM risk_assessments"_s) || !q.next())
        return sqlProblem(q, tr("Reading the assessment log"));
    session.continueSequenceAfter(q.value(0).toULongLong());
    q.setForwardOnly(true);
    q.prepare(u"SELECT user_id, day, day_count, day_amount_cents, hour, hour_count FROM velocity_ledger "
              "WHERE tenant_id = ?"_s);
    q.addBindValue(m_tenant);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the velocity ledger"));
    while (q.next())
        session.ledger().restore(q.value(0).toString(),
                                 VelocityLedger::Entry{q.value(1).toLongLong(), q.value(2).toLongLong(),
                                                       q.value(3).toLongLong(), q.value(4).toLongLong(),
                                                       q.value(5).toLongLong()});
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
    return success();
}

Status AssessmentStore::save(AssessmentSession& session,
                             const QList<std::pair<AssessmentRequest, SessionAssessment>>& made) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun();
    QSqlQuery ledger(m_db);
    ledger.prepare(u"INSERT OR REPLACE INTO velocity_ledger (tenant_id, user_id, day, day_count, day_amount_cents, "
                   "hour, hour_count) VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    for (const auto& [user, e] : session.ledger().takeChanged()) {
        const QVariantList values{m_tenant, user, e.day, e.dayCount, e.dayAmountCents, e.hour, e.hourCount};
        for (int i = 0; i < values.size(); ++i)
            ledger.bindValue(i, values.at(i));
        if (!ledger.exec())
            return sqlProblem(ledger, tr("Saving the velocity ledger"));
    }
    QSqlQuery log(m_db);
    log.prepare(u"INSERT INTO risk_assessments (tenant_id, request_id, user_id, merchant_id, amount_cents, risk_score, "
                "risk_level, decision, reasons, policy, assessed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    const QString policy = u"%1@%2"_s.arg(session.policy().name).arg(session.policy().version);
    for (const auto& [request, made1] : made) {
        const Assessment& a = made1.assessment;
        const QVariantList values{m_tenant,
                                  made1.requestId(),
                                  request.userId,
                                  request.merchantId,
                                  request.amountCents,
                                  a.riskScore,
                                  a.riskLevel,
                                  a.decision,
                                  QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(a.reasons))
                                                        .toJson(QJsonDocument::Compact)), // "[]", never NULL
                                  policy,
                                  timestamps::toMs(made1.timestamp)};
        for (int i = 0; i < values.size(); ++i)
            log.bindValue(i, values.at(i));
        if (!log.exec())
            return sqlProblem(log, tr("Logging assessment %1").arg(made1.requestId()));
    }
    return tx.commit();
}

Status AssessmentStore::addToBlacklist(const Blacklist& list) {
    WriteTransaction tx(m_db);
    if (!tx.begun())
        return tx.begun();
    QSqlQuery q(m_db);
    q.prepare(u"INSERT OR IGNORE INTO blacklist (tenant_id, kind, id) VALUES (?, ?, ?)"_s);
    for (const auto& [kind, ids] : {std::pair{u"user"_s, list.users()}, std::pair{u"merchant"_s, list.merchants()}}) {
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
    if (!q.next())
        return std::optional<AssessmentPolicy>{};
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
