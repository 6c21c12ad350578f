#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QLocale>
#include <QSqlDatabase>
#include <QString>

namespace riskdesk {

// One of the four intimacy levels of spec §4.5: a relation score (RS) at or above minHundredths belongs to
// it.
struct IntimacyLevel {
    int level = 1;
    qint64 minHundredths = 0; // the lowest RS of the level, in hundredths (80.00 = 8000)
    QString emoji;
    QString labelZh;
    QString labelEn;
};

// The intimacy levels of a tenant (bd_cfg_intimacy_level, or the spec's defaults on a 0–100 scale: 💗 ≥ 80,
// 😊 ≥ 60, 🙂 ≥ 30, 🌱 below). The emoji is decoration: the label names the level on screen, in the
// accessible name and in exports ("4-亲密").
class IntimacyLevels {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::IntimacyLevels)

public:
    static IntimacyLevels defaults();
    // The tenant's configured levels, or the defaults when none are configured.
    static Result<IntimacyLevels> load(QSqlDatabase db, const QString& tenant);

    // The level of a score in hundredths (the lowest level for scores below every threshold).
    const IntimacyLevel& levelOf(qint64 scoreHundredths) const;
    // The label in the locale's language ("亲密" / "Close").
    static QString label(const IntimacyLevel& level, const QLocale& locale);
    // "4-亲密": what exports write instead of the emoji.
    static QString exportText(const IntimacyLevel& level, const QLocale& locale);
    // True when a score is outside 0–100, where the default thresholds may not fit (the board warns).
    static bool outOfScale(qint64 scoreHundredths) { return scoreHundredths < 0 || scoreHundredths > 10000; }
    static QString outOfScaleWarning();

    const QList<IntimacyLevel>& levels() const { return m_levels; } // highest first

private:
    QList<IntimacyLevel> m_levels;
};

} // namespace riskdesk
