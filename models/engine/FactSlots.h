#pragma once

#include "FactRecord.h"

#include <span>

namespace riskdesk {

// The fields of one record that a compiled rule reads, one per key of CompiledRule::fieldKeys() and in that
// order, nullptr where the record lacks the field. A FactRecord gives them by looking each key up once; a
// stored block gives them straight from its shared value lists, with no look-up at all.
using FactSlots = std::span<const FactRecord::Field* const>;

} // namespace riskdesk
