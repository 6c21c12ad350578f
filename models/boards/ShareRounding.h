#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QList>

namespace riskdesk {

// Shares of a whole (income structure, tender mix) rounded with the largest-remainder method, so that the
// shares shown add up to exactly 100.0% (spec §2.6). Equal remainders go to the earlier row.
class ShareRounding {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ShareRounding)

public:
    // Each part's share in tenths of a percent (694 = 69.4%), summing to 1000. Refused when a part is
    // negative (a share of a whole needs non-negative parts) or when the parts add up to zero.
    static Result<QList<qint64>> tenthsOfPercent(const QList<qint64>& parts);
    // whole shared among parts in proportion, by the same method: the results add up to whole. For the items
    // of a group whose share is whole, so that a group's items add up to the group's share shown (a group of
    // one item showed 1.5% and its item 1.6%, rounded separately over all items; helper-72).
    static Result<QList<qint64>> apportion(const QList<qint64>& parts, qint64 whole);
    // "69.4%"
    static QString percentText(qint64 tenths);
};

} // namespace riskdesk
