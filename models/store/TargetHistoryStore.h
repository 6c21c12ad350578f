#pragma once

#include "domain/DomainTypes.h"
#include "domain/Result.h"
#include "engine/TargetEvent.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <optional>
#include <span>
#include <vector>

namespace riskdesk {

// The recorded history of exception targets in the workspace (target_events), per tenant.
class TargetHistoryStore {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::TargetHistoryStore)

public:
    TargetHistoryStore(QSqlDatabase db, QString tenantId)
        : m_db(std::move(db)), m_tenant(std::move(tenantId)) {}

    // Inside the caller's transaction when there is one; events already recorded (same target, time and id)
    // are refused with a Problem rather than duplicated.
    Status append(TargetType type, const QString& targetId, std::span<const TargetEvent> events);
    // The target's whole history, oldest first.
    Result<std::vector<TargetEvent>> load(TargetType type, const QString& targetId) const;
    // The target's most recent transaction that the engine assessed, if any.
    Result<std::optional<TargetEvent>> latestAssessed(TargetType type, const QString& targetId) const;

private:
    QSqlDatabase m_db;
    QString m_tenant;
};

} // namespace riskdesk
