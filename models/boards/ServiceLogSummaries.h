#pragma once

#include "BoardPeriod.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QDate>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>

namespace riskdesk {

// The summary tables of the valid service logs (migrations 015, 022): bd_sl_coach_day (sums per coach and
// business day), bd_sl_coach_member_month (each coach's members per calendar month, with the first business
// day), bd_sl_site_day (sums per site and business day) and bd_sl_coach_month (sums and distinct members per
// coach and calendar month).
// Triggers on bd_assistant_service_log keep them in step with every write, inside the writer's transaction,
// so the boards reading them and the logs cannot disagree; verify() derives them again from the logs.
class ServiceLogSummaries {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ServiceLogSummaries)

public:
    // Derives every summary row of a tenant again from its logs: for a bulk writer that dropped the triggers
    // while it wrote (the demo), in its transaction.
    static Status rebuildTenant(QSqlDatabase db, const QString& tenant);

    // Summary rows that differ from the logs, each described as "<table> <tenant> <site> <day or month>";
    // empty when they agree.
    static Result<QStringList> verify(QSqlDatabase db);

    // Whether bd_sl_coach_member_month answers the distinct customers of this range: it must start on the
    // first day of a month and end within that month.
    static bool coversMonthPrefix(const BoardPeriod& period);
    // Whether the range is exactly one calendar month, first day to last: bd_sl_coach_month answers it.
    static bool isWholeMonth(const BoardPeriod& period);
    // The month key ('YYYY-MM') of a day.
    static QString monthKey(const QDate& day);
};

} // namespace riskdesk
