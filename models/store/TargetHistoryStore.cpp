#include "TargetHistoryStore.h"

#include "NativeStatement.h"
#include "SqlProblem.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr auto kColumns =
    "occurred_at, event_id, kind, amount_cents, facts, risk_score, risk_level, decision, reasons";

TargetEvent eventFrom(const QSqlQuery& q) {
    TargetEvent e;
    e.occurredAtMs = q.value(0).toLongLong();
    e.eventId = q.value(1).toString();
    e.kind =
        q.value(2).toString() == u"transaction" ? TargetEvent::Kind::Transaction : TargetEvent::Kind::Case;
    e.amountCents = q.value(3).toLongLong();
    e.facts = FactRecord::fromJson(QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object());
    if (!q.isNull(5)) {
        EventAssessment a;
        a.riskScore = q.value(5).toDouble();
        a.riskLevel = q.value(6).toString();
        a.decision = q.value(7).toString();
        for (const QJsonValue& r : QJsonDocument::fromJson(q.value(8).toString().toUtf8()).array())
            a.reasons << r.toString();
        e.assessment = std::move(a);
    }
    return e;
}

} // namespace

Status TargetHistoryStore::append(TargetType type, const QString& targetId,
                                  std::span<const TargetEvent> events) {
    NativeStatement insert(m_db,
                           "INSERT INTO target_events (tenant_id, target_type, target_id, occurred_at, "
                           "event_id, kind, amount_cents, facts, risk_score, risk_level, decision, reasons) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!insert.prepared())
        return insert.prepared();
    const QString typeText = toWire(type);
    for (const TargetEvent& e : events) {
        insert.bind(1, m_tenant);
        insert.bind(2, typeText);
        insert.bind(3, targetId);
        insert.bind(4, e.occurredAtMs);
        insert.bind(5, e.eventId);
        insert.bind(6, e.kind == TargetEvent::Kind::Transaction ? u"transaction" : u"case");
        insert.bind(7, e.amountCents);
        insert.bind(8, QString::fromUtf8(QJsonDocument(e.facts.toJson()).toJson(QJsonDocument::Compact)));
        if (e.assessment) {
            insert.bind(9, e.assessment->riskScore);
            insert.bind(10, e.assessment->riskLevel);
            insert.bind(11, e.assessment->decision);
            insert.bind(12, QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(e.assessment->reasons))
                                                  .toJson(QJsonDocument::Compact)));
        } else {
            for (int i = 9; i <= 12; ++i)
                insert.bindNull(i);
        }
        if (Status s = insert.step(); !s)
            return s;
    }
    return success();
}

Result<std::vector<TargetEvent>> TargetHistoryStore::load(TargetType type, const QString& targetId) const {
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT %1 FROM target_events WHERE tenant_id = ? AND target_type = ? AND target_id = ? "
              "ORDER BY occurred_at, event_id"_s.arg(QLatin1StringView(kColumns)));
    q.addBindValue(m_tenant);
    q.addBindValue(toWire(type));
    q.addBindValue(targetId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the target's history"));
    std::vector<TargetEvent> out;
    while (q.next())
        out.push_back(eventFrom(q));
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the target's history"));
    return out;
}

Result<std::optional<TargetEvent>> TargetHistoryStore::latestAssessed(TargetType type,
                                                                      const QString& targetId) const {
    QSqlQuery q(m_db);
    q.prepare(u"SELECT %1 FROM target_events WHERE tenant_id = ? AND target_type = ? AND target_id = ? "
              "AND risk_score IS NOT NULL ORDER BY occurred_at DESC, event_id DESC LIMIT 1"_s.arg(
                  QLatin1StringView(kColumns)));
    q.addBindValue(m_tenant);
    q.addBindValue(toWire(type));
    q.addBindValue(targetId);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the target's latest assessment"));
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, tr("Reading the target's latest assessment"));
        return std::optional<TargetEvent>{};
    }
    return std::optional<TargetEvent>(eventFrom(q));
}

} // namespace riskdesk
