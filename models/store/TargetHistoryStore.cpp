#include "TargetHistoryStore.h"

#include "NativeStatement.h"
#include "SqlProblem.h"
#include "TargetEventBlock.h"
#include "TargetEventBlockCodec.h"
#include "engine/ImpactTally.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVarLengthArray>
#include <algorithm>
#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr auto kColumns =
    "occurred_at, event_id, kind, amount_cents, facts, risk_score, risk_level, decision, reasons";

// The event in a row of kColumns, starting at column `at`.
TargetEvent eventFrom(const QSqlQuery& q, int at = 0) {
    TargetEvent e;
    e.occurredAtMs = q.value(at).toLongLong();
    e.eventId = q.value(at + 1).toString();
    e.kind = q.value(at + 2).toString() == u"transaction" ? TargetEvent::Kind::Transaction
                                                          : TargetEvent::Kind::Case;
    e.amountCents = q.value(at + 3).toLongLong();
    e.facts = FactRecord::fromJson(QJsonDocument::fromJson(q.value(at + 4).toString().toUtf8()).object());
    if (!q.isNull(at + 5)) {
        EventAssessment a;
        a.riskScore = q.value(at + 5).toDouble();
        a.riskLevel = q.value(at + 6).toString();
        a.decision = q.value(at + 7).toString();
        for (const QJsonValue& r : QJsonDocument::fromJson(q.value(at + 8).toString().toUtf8()).array())
            a.reasons << r.toString();
        e.assessment = std::move(a);
    }
    return e;
}

} // namespace

Status TargetHistoryStore::append(TargetType type, const QString& targetId,
                                  std::span<const TargetEvent> events) {
    // The rows and the blocks together or neither: a refused duplicate must not leave either half behind.
    QSqlQuery q(m_db);
    if (!q.exec(u"SAVEPOINT target_history_append"_s))
        return sqlProblem(q, tr("Recording the target's history"));
    Status written = appendRows(type, targetId, events);
    if (written)
        written = appendBlocks(toWire(type), targetId, events);
    if (!written)
        q.exec(u"ROLLBACK TO target_history_append"_s);
    if (!q.exec(u"RELEASE target_history_append"_s) && written)
        return sqlProblem(q, tr("Recording the target's history"));
    return written;
}

Status TargetHistoryStore::appendRows(TargetType type, const QString& targetId,
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

Status TargetHistoryStore::appendBlocks(const QString& typeText, const QString& targetId,
                                        std::span<const TargetEvent> events) {
    std::vector<const TargetEvent*> sorted;
    sorted.reserve(events.size());
    for (const TargetEvent& e : events)
        sorted.push_back(&e);
    auto before = [](const TargetEvent* a, const TargetEvent* b) {
        return TargetEventBlockCodec::before(*a, *b);
    };
    if (!std::is_sorted(sorted.begin(), sorted.end(), before))
        std::sort(sorted.begin(), sorted.end(), before);
    if (sorted.empty())
        return success();

    NativeStatement last(m_db, "SELECT block_no, last_occurred_at, last_event_id FROM target_event_blocks "
                               "WHERE tenant_id = ?1 AND target_type = ?2 AND target_id = ?3 "
                               "ORDER BY block_no DESC LIMIT 1");
    if (!last.prepared())
        return last.prepared();
    last.bind(1, m_tenant);
    last.bind(2, typeText);
    last.bind(3, targetId);
    auto found = last.next();
    if (!found)
        return found.problem();
    if (!found.value()) // the target's first events
        return writeBlocks(typeText, targetId, 0, sorted);
    const qint64 lastBlock = last.int64(0);
    TargetEvent lastStored;
    lastStored.occurredAtMs = last.int64(1);
    lastStored.eventId = QString::fromUtf8(last.text(2));
    if (!last.next()) // ends the statement before the table is written
        return TargetEventBlockCodec::damaged(tr("could not be read to its end"));
    if (TargetEventBlockCodec::before(lastStored, *sorted.front()))
        return writeBlocks(typeText, targetId, lastBlock + 1, sorted); // the usual case: later events

    // Events older than some already stored (rare: a late import): merge and write the target's blocks anew.
    auto stored = readBlocks(typeText, targetId);
    if (!stored)
        return stored.problem();
    std::vector<const TargetEvent*> merged;
    merged.reserve(stored.value().size() + sorted.size());
    for (const TargetEvent& e : stored.value())
        merged.push_back(&e);
    const auto middle = merged.insert(merged.end(), sorted.begin(), sorted.end());
    std::inplace_merge(merged.begin(), middle, merged.end(), before);
    NativeStatement drop(m_db, "DELETE FROM target_event_blocks WHERE tenant_id = ?1 AND target_type = ?2 "
                               "AND target_id = ?3");
    drop.bind(1, m_tenant);
    drop.bind(2, typeText);
    drop.bind(3, targetId);
    if (Status s = drop.step(); !s)
        return s;
    return writeBlocks(typeText, targetId, 0, merged);
}

Status TargetHistoryStore::writeBlocks(const QString& typeText, const QString& targetId, qint64 firstBlock,
                                       std::span<const TargetEvent* const> events) {
    NativeStatement insert(m_db,
                           "INSERT INTO target_event_blocks (tenant_id, target_type, target_id, block_no, "
                           "event_count, last_occurred_at, last_event_id, payload) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!insert.prepared())
        return insert.prepared();
    qint64 block = firstBlock;
    for (size_t at = 0; at < events.size(); at += size_t(TargetEventBlockCodec::kEventsPerBlock), ++block) {
        const auto run =
            events.subspan(at, std::min(events.size() - at, size_t(TargetEventBlockCodec::kEventsPerBlock)));
        const QByteArray payload = TargetEventBlockCodec::encode(run);
        insert.bind(1, m_tenant);
        insert.bind(2, typeText);
        insert.bind(3, targetId);
        insert.bind(4, block);
        insert.bind(5, qint64(run.size()));
        insert.bind(6, run.back()->occurredAtMs);
        insert.bind(7, QStringView(run.back()->eventId));
        insert.bindBlob(8, payload);
        if (Status s = insert.step(); !s)
            return s;
    }
    return success();
}

Result<std::vector<TargetEvent>> TargetHistoryStore::readBlocks(const QString& typeText,
                                                                const QString& targetId) const {
    NativeStatement q(m_db,
                      "SELECT event_count, payload, block_no FROM target_event_blocks WHERE tenant_id = ?1 "
                      "AND target_type = ?2 AND target_id = ?3 ORDER BY block_no");
    if (!q.prepared())
        return q.prepared().problem();
    q.bind(1, m_tenant);
    q.bind(2, typeText);
    q.bind(3, targetId);
    std::vector<TargetEvent> out;
    for (qint64 expected = 0;; ++expected) {
        auto row = q.next();
        if (!row)
            return row.problem();
        if (!row.value())
            break;
        // A lost block would make a shorter history, not an error: the blocks are numbered without a gap.
        if (q.int64(2) != expected)
            return TargetEventBlockCodec::damaged(tr("lacks block %1 of the target's history").arg(expected));
        const size_t before = out.size();
        if (Status s = TargetEventBlockCodec::decode(q.blob(1), out); !s)
            return s.problem();
        if (qint64(out.size() - before) != q.int64(0))
            return TargetEventBlockCodec::damaged(
                tr("holds %1 events where its row says %2").arg(out.size() - before).arg(q.int64(0)));
        // Blocks follow one another in time; one out of order was not written by append.
        for (size_t i = std::max<size_t>(before, 1); i < out.size(); ++i)
            if (!TargetEventBlockCodec::before(out[i - 1], out[i]))
                return TargetEventBlockCodec::damaged(tr("is out of order at event %1").arg(out[i].eventId));
    }
    return out;
}

Status TargetHistoryStore::endsWithLastRow(const QString& typeText, const QString& targetId,
                                           const TargetEvent* last) const {
    // The last block lost, too: the history must end with the target's last stored event (one index seek).
    NativeStatement q(m_db,
                      "SELECT occurred_at, event_id FROM target_events WHERE tenant_id = ?1 AND "
                      "target_type = ?2 AND target_id = ?3 ORDER BY occurred_at DESC, event_id DESC LIMIT 1");
    if (!q.prepared())
        return q.prepared();
    q.bind(1, m_tenant);
    q.bind(2, typeText);
    q.bind(3, targetId);
    auto row = q.next();
    if (!row)
        return row.problem();
    const bool stored = row.value();
    const bool matches =
        stored ? last && last->occurredAtMs == q.int64(0) && last->eventId == QString::fromUtf8(q.text(1))
               : !last;
    if (!matches)
        return TargetEventBlockCodec::damaged(tr("does not end with the target's last stored event"));
    return success();
}

Result<std::vector<TargetEvent>> TargetHistoryStore::load(TargetType type, const QString& targetId) const {
    const QString wire = toWire(type);
    auto blocks = readBlocks(wire, targetId);
    if (!blocks)
        return blocks;
    const std::vector<TargetEvent>& out = blocks.value();
    if (Status s = endsWithLastRow(wire, targetId, out.empty() ? nullptr : &out.back()); !s)
        return s.problem();
    return blocks;
}

namespace {

// Whether (at, id) comes after (lastAt, lastId) in a history's order: time, then the id's UTF-8 bytes (which
// is TargetEventBlockCodec::before's order, read from the stored bytes).
bool after(qint64 lastAt, QByteArrayView lastId, qint64 at, QByteArrayView id) {
    if (lastAt != at)
        return lastAt < at;
    const auto n = size_t(std::min(lastId.size(), id.size()));
    const int c = n ? std::memcmp(lastId.data(), id.data(), n) : 0;
    return c != 0 ? c < 0 : lastId.size() < id.size();
}

} // namespace

Result<TargetHistoryStore::Replay> TargetHistoryStore::replay(TargetType type, const QString& targetId,
                                                              const CompiledRule& rule, qint64 windowStartMs,
                                                              qint64 windowEndMs,
                                                              qsizetype keepChanges) const {
    const QString wire = toWire(type);
    NativeStatement q(m_db,
                      "SELECT event_count, payload, block_no FROM target_event_blocks WHERE tenant_id = ?1 "
                      "AND target_type = ?2 AND target_id = ?3 ORDER BY block_no");
    if (!q.prepared())
        return q.prepared().problem();
    q.bind(1, m_tenant);
    q.bind(2, wire);
    q.bind(3, targetId);

    // The rule's fields by slot; a block's texts are matched to slots once, when first seen as a key.
    const QStringList& keys = rule.fieldKeys();
    QHash<QString, int> slotOfKey;
    for (qsizetype i = 0; i < keys.size(); ++i)
        slotOfKey.insert(keys.at(i), int(i));
    constexpr int kUnseen = -2, kNotRead = -1;
    std::vector<int> slotOfText;
    QVarLengthArray<const FactRecord::Field*, 16> fields(keys.size());
    QVarLengthArray<quint32, 16> listIds(keys.size());
    ConditionMemo memo;
    ImpactTally tally(windowStartMs, windowEndMs, keepChanges);
    TargetEventBlock block;
    Replay out;
    QByteArray lastId; // the previous block's last event, for the order across blocks
    qint64 lastAt = 0;
    for (qint64 expected = 0;; ++expected) {
        auto row = q.next();
        if (!row)
            return row.problem();
        if (!row.value())
            break;
        // A lost block would make a shorter history, not an error: the blocks are numbered without a gap.
        if (q.int64(2) != expected)
            return TargetEventBlockCodec::damaged(tr("lacks block %1 of the target's history").arg(expected));
        if (Status s = block.parse(q.blob(1)); !s)
            return s.problem();
        const std::vector<TargetEventBlock::Event>& events = block.events();
        if (qint64(events.size()) != q.int64(0))
            return TargetEventBlockCodec::damaged(
                tr("holds %1 events where its row says %2").arg(events.size()).arg(q.int64(0)));
        memo.clear(); // list indices name other lists in this block
        slotOfText.assign(size_t(block.textCount()), kUnseen);
        QByteArrayView previousId = lastId;
        for (const TargetEventBlock::Event& e : events) {
            // Blocks follow one another in time; one out of order was not written by append.
            const QByteArrayView id = block.utf8(e.id);
            if ((expected > 0 || &e != &events.front()) && !after(lastAt, previousId, e.occurredAtMs, id))
                return TargetEventBlockCodec::damaged(
                    tr("is out of order at event %1").arg(QString::fromUtf8(id)));
            lastAt = e.occurredAtMs;
            previousId = id;

            std::fill(fields.begin(), fields.end(), nullptr);
            for (const TargetEventBlock::Fact& f : block.facts(e)) {
                int& slot = slotOfText[f.key];
                if (slot == kUnseen) {
                    const auto key = block.text(f.key);
                    if (!key)
                        return key.problem();
                    slot = slotOfKey.value(*key.value(), kNotRead);
                }
                if (slot == kNotRead)
                    continue;
                const auto values = block.list(f.list);
                if (!values)
                    return values.problem();
                fields[slot] = values.value();
                listIds[slot] = f.list;
            }
            EventVerdict engine = EventVerdict::Approve;
            if (e.flags & TargetEventBlock::kAssessed) {
                const auto decision = block.text(e.decision);
                if (!decision)
                    return decision.problem();
                engine = ImpactPreview::verdictOfDecision(*decision.value());
            }
            tally.add(e.occurredAtMs, e.amountCents, engine, rule.outcome(fields, listIds, memo),
                      [&] { return QString::fromUtf8(id); });
        }
        if (!events.empty()) {
            auto latest = block.event(qsizetype(events.size()) - 1);
            if (!latest)
                return latest.problem();
            out.latest = std::move(latest).value();
            lastId = previousId.toByteArray(); // the block's bytes go with the next row
        }
    }
    if (Status s = endsWithLastRow(wire, targetId, out.latest ? &*out.latest : nullptr); !s)
        return s.problem();
    out.impact = tally.summary();
    return out;
}

Result<std::vector<TargetEvent>> TargetHistoryStore::loadFromJson(TargetType type,
                                                                  const QString& targetId) const {
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

Status TargetHistoryStore::packStoredEvents(QSqlDatabase db) {
    // In key order, so each target's events arrive oldest first and in the order the blocks keep.
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT tenant_id, target_type, target_id, %1 FROM target_events "
                "ORDER BY tenant_id, target_type, target_id, occurred_at, event_id"_s.arg(
                    QLatin1StringView(kColumns))))
        return sqlProblem(q, tr("Reading the targets' histories"));
    QString tenant, type, target;
    std::vector<TargetEvent> events;
    auto flush = [&]() -> Status {
        std::vector<const TargetEvent*> run;
        run.reserve(events.size());
        for (const TargetEvent& e : events)
            run.push_back(&e);
        Status s = TargetHistoryStore(db, tenant).writeBlocks(type, target, 0, run);
        events.clear();
        return s;
    };
    while (q.next()) {
        const QString rowTenant = q.value(0).toString(), rowType = q.value(1).toString(),
                      rowTarget = q.value(2).toString();
        if (rowTenant != tenant || rowType != type || rowTarget != target) {
            if (!events.empty())
                if (Status s = flush(); !s)
                    return s;
            tenant = rowTenant;
            type = rowType;
            target = rowTarget;
        }
        events.push_back(eventFrom(q, 3));
    }
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the targets' histories"));
    return events.empty() ? success() : flush();
}

} // namespace riskdesk
