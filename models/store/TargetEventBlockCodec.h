#pragma once

#include "domain/Result.h"
#include "engine/TargetEvent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <span>
#include <vector>

namespace riskdesk {

// The compact stored form of a run of one target's events (a row of target_event_blocks), read by the
// replay instead of each event's JSON. Version 1, all integers unsigned LEB128 varints (signed ones
// zigzagged), the risk score an IEEE double in little-endian order:
//
//   u8 version (1) | events | strings: count, then (byte length, UTF-8, u8 is-a-number, [the number as
//     8 bytes]) each, the number being what the text reads as (QString::toDouble)
//   | lists: count, then (count, string index …) each
//   | per event: occurred_at (zigzag), event id (string), flags (bit 0 transaction, bit 1 assessed),
//     amount_cents (zigzag), [assessed: score (8 bytes), level (string), decision (string), reasons (list)],
//     field count, then (key string, values list) per field, keys strictly ascending
//
// Strings and value lists are stored once per block and shared by the events naming them, so decoding
// makes each distinct text and list once and an event's record is a few shared references. Decoding checks
// every length and index against the bytes there are; a block that does not add up is damage, never fewer
// events.
class TargetEventBlockCodec {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::TargetEventBlockCodec)

public:
    static constexpr quint8 kVersion = 1;
    // Events per block the store writes: large enough that per-row costs vanish, small enough that a
    // block's dictionary stays small and appending a few events never rewrites much.
    static constexpr qsizetype kEventsPerBlock = 4096;

    // The events in the order given.
    static QByteArray encode(std::span<const TargetEvent* const> events);
    // Appends the block's events to `out`, or leaves `out` as it was and returns a Problem coded
    // "workspace_damaged" that says what does not add up.
    static Status decode(QByteArrayView block, std::vector<TargetEvent>& out);
    // The damage Problem, for the store's own checks around the blocks ("… %1" says what is wrong).
    static Problem damaged(const QString& what);
    // The order of a target's history: by time, then by event id as SQLite orders text (UTF-8 bytes).
    static bool before(const TargetEvent& a, const TargetEvent& b);
};

} // namespace riskdesk
