#include "PeriodChange.h"

#include "ExactMath.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

Trend trendOf(__int128 delta) {
    return delta > 0 ? Trend::Up : delta < 0 ? Trend::Down : Trend::Flat;
}

// One decimal with an explicit sign; the minus is U+2212 as in the spec's display rules.
QString signedTenths(qint64 tenths) {
    const quint64 magnitude = tenths < 0 ? 0 - quint64(tenths) : quint64(tenths);
    const QString number = QString::number(magnitude / 10) + u'.' + QString::number(magnitude % 10);
    if (tenths > 0)
        return u'+' + number;
    if (tenths < 0)
        return QChar(0x2212) + number;
    return number;
}

} // namespace

PeriodChange PeriodChange::of(std::optional<qint64> current, std::optional<qint64> previous) {
    PeriodChange c;
    if (!current || !previous) {
        c.m_kind = Kind::NoData;
        c.m_currentMissing = !current;
        return c;
    }
    const __int128 delta = __int128(*current) - __int128(*previous);
    c.m_delta = ExactMath::subtract(*current, *previous);
    c.m_trend = trendOf(delta);
    if (*previous == 0) {
        if (*current == 0) {
            c.m_kind = Kind::Percent;
            c.m_tenths = 0;
        } else if (*current > 0) {
            c.m_kind = Kind::New;
        } else {
            c.m_kind = Kind::PreviousZero;
        }
        return c;
    }
    const __int128 base = *previous < 0 ? -__int128(*previous) : __int128(*previous);
    // delta / |prev| × 100 in tenths = delta × 1000 / |prev|; |delta| < 2^64, so × 1000 fits in 128 bits.
    c.m_tenths = ExactMath::divideRounded(delta * 1000, base);
    c.m_kind = c.m_tenths ? Kind::Percent : Kind::NoData; // a ratio beyond qint64 tenths is not a figure
    return c;
}

PeriodChange PeriodChange::ofRates(std::optional<Ratio> current, std::optional<Ratio> previous) {
    PeriodChange c;
    if (!current || !previous || current->denominator == 0 || previous->denominator == 0) {
        c.m_kind = Kind::NoData;
        c.m_currentMissing = !current || current->denominator == 0;
        return c;
    }
    // (a/b − c/d) × 100 points, in tenths: (a·d − c·b) × 1000 / (b·d), every step checked.
    __int128 ad = 0, cb = 0, diff = 0, scaled = 0, bd = 0;
    if (__builtin_mul_overflow(__int128(current->numerator), __int128(previous->denominator), &ad) ||
        __builtin_mul_overflow(__int128(previous->numerator), __int128(current->denominator), &cb) ||
        __builtin_sub_overflow(ad, cb, &diff) || __builtin_mul_overflow(diff, __int128(1000), &scaled) ||
        __builtin_mul_overflow(__int128(current->denominator), __int128(previous->denominator), &bd)) {
        c.m_kind = Kind::NoData;
        return c;
    }
    c.m_tenths = ExactMath::divideRounded(scaled, bd);
    if (!c.m_tenths) {
        c.m_kind = Kind::NoData;
        return c;
    }
    c.m_kind = Kind::Points;
    c.m_trend = trendOf(bd < 0 ? -diff : diff);
    return c;
}

QString PeriodChange::text() const {
    // A change that rounds to zero keeps the sign of its arrow: "▲ +0.0%", not "▲ 0.0%" (helper-72).
    const auto shown = [this] {
        const QString number = signedTenths(*m_tenths);
        if (*m_tenths != 0 || m_trend == Trend::Flat || m_trend == Trend::None)
            return number;
        return (m_trend == Trend::Up ? QString(u'+') : QString(QChar(0x2212))) + number;
    };
    switch (m_kind) {
    case Kind::Percent:
        return shown() + u'%';
    case Kind::Points:
        return tr("%1 pp", "a difference of rates in percentage points").arg(shown());
    case Kind::New:
        return tr("new", "period-over-period when the previous period was zero");
    case Kind::NoData:
    case Kind::PreviousZero:
        break;
    }
    return QString(QChar(0x2014));
}

QString PeriodChange::arrow() const {
    switch (m_trend) {
    case Trend::Up:
        return QString(QChar(0x25B2));
    case Trend::Down:
        return QString(QChar(0x25BC));
    case Trend::Flat:
        return QString(QChar(0x25AC));
    case Trend::None:
        break;
    }
    return {};
}

QString PeriodChange::explanation() const {
    if (m_kind == Kind::PreviousZero)
        return tr("previous period was 0");
    if (m_kind == Kind::NoData)
        return m_currentMissing ? tr("no data for the current period")
                                : tr("no data for the previous period");
    return {};
}

QJsonObject PeriodChange::toJson() const {
    static const char* const kinds[] = {"percent", "points", "new", "no_data", "previous_zero"};
    static const char* const trends[] = {"up", "down", "flat", "none"};
    QJsonObject o{{u"kind"_s, QString::fromLatin1(kinds[int(m_kind)])},
                  {u"trend"_s, QString::fromLatin1(trends[int(m_trend)])},
                  {u"text"_s, text()}};
    if (m_tenths)
        o.insert(u"tenths"_s, double(*m_tenths));
    if (m_delta)
        o.insert(u"delta"_s, double(*m_delta)); // in the figure's unit; fen stay exact in a double below 2^53
    return o;
}

} // namespace riskdesk
