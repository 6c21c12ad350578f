#pragma once

#include "PeriodChange.h"

#include <QColor>
#include <QLocale>

namespace riskdesk {

// The up/down colour setting "涨跌颜色" (spec §2.6): red for up (the Chinese convention, default for zh) or
// green for up (default elsewhere). Colour only repeats what the arrow and the sign already say.
class TrendColors {
public:
    enum class Scheme { RedUp, GreenUp };

    static Scheme defaultFor(const QLocale& locale);
    // The scheme in effect: the user's setting when there is one, else the language's default.
    static Scheme effective(std::optional<Scheme> setting, const QLocale& locale);
    // Flat and no-direction changes are neutral grey.
    static QColor colorFor(Trend trend, Scheme scheme);
    static QString key(Scheme scheme); // "red_up" / "green_up", for settings
    static std::optional<Scheme> fromKey(const QString& key);
};

} // namespace riskdesk
