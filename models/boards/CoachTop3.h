#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QDate>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <optional>

namespace riskdesk {

// One customer of a coach by intimacy (the relation index, spec §4.5).
struct CoachCustomer {
    qint64 memberId = 0;
    qint64 scoreHundredths = 0; // RS as hundredths: 92.50 = 9250
    QDate calcDate;
    std::optional<QString> name; // from the member dimension (DQ-6); nothing when it has no row
    QString maskedPhone;
};

// The relation-index reads of BOARD-1: the top 3 customers of every coach on a page in one query (at each
// coach's latest calculation date on or before the month's last day; score descending, member id ascending),
// all customers of one coach for the drill-down, and the member names as a separate step, so that a failing
// member dimension only costs the names.
class CoachTop3 {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CoachTop3)

public:
    // limit 0: every customer.
    static Result<QHash<qint64, QList<CoachCustomer>>> read(QSqlDatabase db, const QString& tenant,
                                                            const QString& site, const QList<qint64>& coaches,
                                                            const QDate& monthEnd, int limit = 3);
    // Fills name and maskedPhone of every customer (LEFT JOIN semantics: a member with no row keeps no name).
    static Status addNames(QSqlDatabase db, const QString& tenant,
                           QHash<qint64, QList<CoachCustomer>>& customers);
    // "member #12" for a member the dimension does not know.
    static QString fallbackName(qint64 memberId);
};

} // namespace riskdesk
