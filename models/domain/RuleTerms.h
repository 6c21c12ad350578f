#pragma once

#include "DomainTypes.h"

#include <QJsonObject>
#include <optional>

namespace riskdesk {

// What a rule's payload says about the exceptions filed against it: whether it still takes requests, and the
// longest validity window it allows. A payload that says nothing is active with no maximum of its own (the
// general 366 days of ExceptionValidator still hold). The server reads the same keys (PostgreSQL migration
// 009, riskdesk.create_exception):
//   "status": "active" (or absent) takes requests; any other word ("inactive", "retired") does not;
//   "max_validity_days": a whole number of days from 1 to 366;
//   "target_type": the one kind of target the rule judges (claim, claim_item, transaction, merchant, user);
//   a request names a target of that kind (a device rule waived for a claim waives nothing: helper-77).
struct RuleTerms {
    bool active = true;
    std::optional<int> maxValidityDays;
    std::optional<TargetType> targetType;

    static RuleTerms of(const QJsonObject& payload);
};

} // namespace riskdesk
