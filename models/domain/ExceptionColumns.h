#pragma once

#include "RiskException.h"

#include <QByteArray>
#include <QVariantList>
#include <algorithm>
#include <array>
#include <functional>
#include <string_view>

namespace riskdesk {

// How a column of an exception is stored: the workspace keeps times as UTC milliseconds, the chain as compact
// JSON text and the flag as 0 or 1; the server keeps timestamptz, jsonb and boolean.
enum class ExceptionColumnKind : quint8 { Text, OptionalText, Time, Chain, Flag, Version };

struct ExceptionColumn {
    std::string_view name;
    ExceptionColumnKind kind;
};

// The columns of an exception, defined once: every statement that reads or writes a whole exception (the
// repository, the sync engine's pull and upsert, the server seed, the demo, the JSON codec's field list)
// takes its column list, its placeholders and its conversions from this table, in this order.
class ExceptionColumns {
public:
    using K = ExceptionColumnKind;
    static constexpr std::array<ExceptionColumn, 19> kAll{{
        {"tenant_id", K::Text},
        {"record_id", K::Text},
        {"applicant_id", K::Text},
        {"apply_time", K::Time},
        {"target_type", K::Text},
        {"target_id", K::Text},
        {"risk_rule_id", K::Text},
        {"status", K::Text},
        {"valid_start_time", K::Time},
        {"valid_end_time", K::Time},
        {"reason_category", K::Text},
        {"justification", K::Text},
        {"attachment_url", K::OptionalText},
        {"current_approver_id", K::Text},
        {"approval_chain_log", K::Chain},
        {"auto_rejected", K::Flag},
        {"rejection_reason", K::OptionalText},
        {"last_status_at", K::Time},
        {"version", K::Version},
    }};
    static constexpr int kCount = int(kAll.size());

    // The position of a column, -1 for a name not in the table (check constant names with static_assert).
    static constexpr int indexOf(std::string_view name) {
        for (int i = 0; i < kCount; ++i)
            if (kAll.at(size_t(i)).name == name)
                return i;
        return -1;
    }

    // The columns a decision changes: the repository saves a decision with them and the push takes the
    // server's answer into them.
    static constexpr std::array<std::string_view, 7> kDecided{
        "status",        "current_approver_id", "approval_chain_log",
        "auto_rejected", "rejection_reason",    "last_status_at",
        "version"};
    // The position of a column among kDecided, -1 when a decision does not change it.
    static constexpr int decidedIndexOf(std::string_view name) {
        for (int i = 0; i < int(kDecided.size()); ++i)
            if (kDecided.at(size_t(i)) == name)
                return i;
        return -1;
    }
    // "status = ?, current_approver_id = ?, …": kDecided in its order, for an UPDATE.
    static QByteArray decidedAssignments();

    // "tenant_id, record_id, …", each name after prefix (such as "e.").
    static QByteArray names(std::string_view prefix = {});
    // "?, ?, …", one per column.
    static QByteArray placeholders();
    // "applicant_id = excluded.applicant_id, …": every column but the key (tenant_id, record_id), for an
    // upsert.
    static QByteArray setFromExcluded();
    // Whether the workspace stores the column as an integer.
    static constexpr bool storedAsInteger(int column) {
        const K kind = kAll.at(size_t(column)).kind;
        return kind == K::Time || kind == K::Flag || kind == K::Version;
    }

    // An exception as the workspace stores it, one value per column in the table's order (an empty optional
    // text is NULL, a missing current approver '').
    static QVariantList values(const RiskException& exception);
    // The exception of a stored row, given its columns' values in the table's order.
    static RiskException fromValues(const std::function<QVariant(int)>& value);
};

static_assert(std::ranges::all_of(ExceptionColumns::kDecided,
                                  [](std::string_view n) { return ExceptionColumns::indexOf(n) >= 0; }),
              "every column a decision changes is an exception column");

} // namespace riskdesk
