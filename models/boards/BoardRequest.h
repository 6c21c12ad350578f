#pragma once

#include "BoardPeriod.h"

#include <QDate>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <optional>

namespace riskdesk {

// What one board request asks for, after the command line or the filter bar has parsed it (each board
// checks the fields it uses and refuses what it cannot honour). Times are parameters: the boards never read
// the clock.
struct BoardRequest {
    QString tenant;
    QString site;                      // empty for BOARD-4 (per tenant)
    QDate today;                       // the site's business day "today"
    qint64 nowMs = 0;                  // the instant of the request (UTC ms): BOARD-4's default as-of
    std::optional<BoardPeriod> period; // BOARD-1: the salary month; BOARD-2: D4/D5's period; BOARD-3/4
    QDate asOfDay;                     // BOARD-2: the as-of business day (default today)
    std::optional<qint64> asOfMs;      // BOARD-4: the queue's instant (default nowMs)
    QString dimension;            // BOARD-2: recall|potential|balance|recharge|recent|spend60|freq60|loyalty
    QString skill;                // BOARD-1: a skill code, empty for all
    QString granularity;          // BOARD-3: the trend's day|week|month, empty for the period's default
    QString search;               // name or number substring
    QString coach;                // BOARD-2: only members related to this coach id, empty for all
    QStringList tiers;            // BOARD-1: tier names (assistant_level_name), empty for all
    bool includeInactive = false; // BOARD-1: also inactive coaches with no activity in the month
    QString sort;                 // "column[:asc|desc]", empty for the section's default
    qint64 page = 1;
    qint64 pageSize = 20; // 0: every row
    QString drill;        // a cell to list the rows of (see each board), empty for the board
    // A drill-down of service-log rows also lists the voided ones (is_delete ≠ 0, spec §2.7 "显示废单"),
    // marked; they are never counted in its sums.
    bool showVoided = false;
    // BOARD-4's filters, empty for all: rule ids (several), severity, target type, reason category, and an
    // approver (the actor of log entries).
    QStringList rules;
    QString severity;
    QString targetType;
    QString reasonCategory;
    QString approver;
    QLocale locale; // labels and level names follow it
    // Also compute the sections only charts read where they cost a scan of their own (BOARD-2's visits heat
    // map: ~0.5 s over 300,000 logs of a 60-day window without a covering index); the window asks for them.
    bool chartSections = false;
};

} // namespace riskdesk
