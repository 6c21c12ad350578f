#pragma once

#include "domain/DomainTypes.h"
#include "domain/Result.h"
#include "engine/CompiledRule.h"
#include "engine/ImpactPreview.h"
#include "engine/TargetEvent.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <optional>
#include <span>
#include <vector>

namespace riskdesk {

// The recorded history of exception targets in the workspace, per tenant. Each event is a row of
// target_events (its facts as JSON, for whatever reads one event); the replay reads the same events from
// target_event_blocks, runs of a target's events in the compact form of TargetEventBlockCodec, written in
// the same savepoint, so a target's million events are a few hundred rows and no JSON.
class TargetHistoryStore {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::TargetHistoryStore)

public:
    TargetHistoryStore(QSqlDatabase db, QString tenantId)
        : m_db(std::move(db)), m_tenant(std::move(tenantId)) {}

    // All or nothing, inside the caller's transaction when there is one; events already recorded (same
    // target, time and id) are refused with a Problem rather than duplicated.
    Status append(TargetType type, const QString& targetId, std::span<const TargetEvent> events);
    // The target's whole history, oldest first (by time, then event id), from the compact form only. A
    // block that does not decode is a Problem coded "workspace_damaged", never a shorter history.
    Result<std::vector<TargetEvent>> load(TargetType type, const QString& targetId) const;
    // The target's history replayed against a rule with and without the waiver of [windowStartMs,
    // windowEndMs] (what ImpactPreview::replay gives for load()'s events), read block after block: each
    // event's facts are the block's shared value lists in the rule's slots, only the fields the rule reads
    // are made, and no TargetEvent is built but the latest. The same checks as load(): damage is a Problem
    // coded "workspace_damaged", never a shorter history.
    struct Replay {
        ImpactSummary impact;
        std::optional<TargetEvent> latest; // the history's last event, whole
    };
    Result<Replay> replay(TargetType type, const QString& targetId, const CompiledRule& rule,
                          qint64 windowStartMs, qint64 windowEndMs, qsizetype keepChanges = 100) const;
    // The same history decoded from each event's JSON row (the form before schema 18; kept for comparison
    // and for the benchmark's baseline).
    Result<std::vector<TargetEvent>> loadFromJson(TargetType type, const QString& targetId) const;
    // The target's most recent transaction that the engine assessed, if any.
    Result<std::optional<TargetEvent>> latestAssessed(TargetType type, const QString& targetId) const;

    // The upgrade to schema 18: writes the compact form of every stored event of every tenant, inside the
    // migration's transaction.
    static Status packStoredEvents(QSqlDatabase db);

private:
    Status appendRows(TargetType type, const QString& targetId, std::span<const TargetEvent> events);
    // Writes the events (sorted, all after what the target already has in blocks) as new blocks.
    Status writeBlocks(const QString& typeText, const QString& targetId, qint64 firstBlock,
                       std::span<const TargetEvent* const> events);
    Status appendBlocks(const QString& typeText, const QString& targetId,
                        std::span<const TargetEvent> events);
    Result<std::vector<TargetEvent>> readBlocks(const QString& typeText, const QString& targetId) const;
    // Damage unless the history read ends with the target's last stored row (nullptr: no events read).
    Status endsWithLastRow(const QString& typeText, const QString& targetId, const TargetEvent* last) const;

    QSqlDatabase m_db;
    QString m_tenant;
};

} // namespace riskdesk
