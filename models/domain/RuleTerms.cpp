#include "RuleTerms.h"

#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

RuleTerms RuleTerms::of(const QJsonObject& payload) {
    RuleTerms terms;
    const QJsonValue status = payload.value(u"status"_s);
    if (status.isString() && status.toString() != u"active")
        terms.active = false;
    const QJsonValue days = payload.value(u"max_validity_days"_s);
    // Anything but a whole number in range is ignored, as the server ignores it: the general limit applies.
    if (days.isDouble()) {
        const double d = days.toDouble();
        if (d == std::trunc(d) && d >= 1 && d <= 366)
            terms.maxValidityDays = int(d);
    }
    // A word that names no kind of target is ignored, as the server ignores it: any target may be named.
    const QJsonValue target = payload.value(u"target_type"_s);
    if (target.isString())
        terms.targetType = targetTypeFromWire(target.toString());
    return terms;
}

} // namespace riskdesk
