#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QLocale>
#include <QString>

namespace riskdesk {

// Board money is integer fen (CNY cents): sums are exact and rounding happens only here, when a value is
// shown (spec §2.6). Rounding is half away from zero, in integers; nothing is ever truncated.
class MoneyFormat {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::MoneyFormat)

public:
    // Tables, drill-downs, tooltips: "¥12,345.67" (Chinese), "CN¥12,345.67" (other languages), "-¥1,234.00".
    static QString full(qint64 fen, const QLocale& locale);
    // KPI cards and chart axes: 万 / 亿 in Chinese, K / M / B elsewhere, two decimals, promoted to the next
    // unit when rounding reaches it (99,995.00 → ¥10.00万, 99,999,999.00 → ¥1.00亿). Below the first unit:
    // full().
    static QString compact(qint64 fen, const QLocale& locale);
    // Raw yuan for CSV and machine output: "12345.67", "-0.50"; no symbol, no grouping.
    static QString plain(qint64 fen);
    // The exact fen of yuan written as digits with at most two decimals ("12345.67", "-25000", "0.5").
    static Result<qint64> parseYuan(const QString& text);
    // The currency symbol the language uses for CNY.
    static QString symbol(const QLocale& locale);
};

} // namespace riskdesk
