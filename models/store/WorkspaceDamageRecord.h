#pragma once

#include "domain/Result.h"

#include <QString>
#include <optional>

namespace riskdesk {

// Damage found in a workspace file, remembered by this desktop outside the file (a damaged file cannot be
// trusted to keep the note itself). Reading the whole file on every opening would cost seconds on a large
// workspace; instead, any check or read that meets damage records it here, and every later opening refuses to
// write until the file is replaced (its size or modification time changes) or a full check passes.
class WorkspaceDamageRecord {
public:
    static std::optional<Problem> recall(const QString& path);
    static void record(const QString& path, const Problem& damage);
    static void clear(const QString& path);
};

} // namespace riskdesk
