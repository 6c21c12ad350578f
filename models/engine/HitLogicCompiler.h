#pragma once

#include "HitLogicNode.h"
#include "domain/Result.h"

#include <QHash>
#include <QJsonValue>

namespace riskdesk {

// Compiles a rule's hit_logic in any of its forms (a condition id, infix text, a list meaning all of it, or
// {"all"|"any"|"not": …}) into a tree over the conditions' indexes (byId), and writes its text form to *text.
// Anything else, or a name that is no condition of the rule, is a Problem naming the rule.
Result<HitLogicNode> compileHitLogic(const QString& ruleName, const QJsonValue& expr,
                                     const QHash<QString, int>& byId, QString* text);

} // namespace riskdesk
