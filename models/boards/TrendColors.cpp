#include "TrendColors.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
const QColor kRed(0xd0, 0x30, 0x2a);
const QColor kGreen(0x1e, 0x8e, 0x3e);
const QColor kNeutral(0x80, 0x80, 0x80);
} // namespace

TrendColors::Scheme TrendColors::defaultFor(const QLocale& locale) {
    return locale.language() == QLocale::Chinese ? Scheme::RedUp : Scheme::GreenUp;
}

TrendColors::Scheme TrendColors::effective(std::optional<Scheme> setting, const QLocale& locale) {
    return setting.value_or(defaultFor(locale));
}

QColor TrendColors::colorFor(Trend trend, Scheme scheme) {
    const bool redUp = scheme == Scheme::RedUp;
    switch (trend) {
    case Trend::Up:
        return redUp ? kRed : kGreen;
    case Trend::Down:
        return redUp ? kGreen : kRed;
    case Trend::Flat:
    case Trend::None:
        break;
    }
    return kNeutral;
}

QString TrendColors::key(Scheme scheme) {
    return scheme == Scheme::RedUp ? u"red_up"_s : u"green_up"_s;
}

std::optional<TrendColors::Scheme> TrendColors::fromKey(const QString& key) {
    if (key == u"red_up")
        return Scheme::RedUp;
    if (key == u"green_up")
        return Scheme::GreenUp;
    return std::nullopt;
}

} // namespace riskdesk
