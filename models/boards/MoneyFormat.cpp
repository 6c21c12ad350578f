#include "MoneyFormat.h"

#include "ExactMath.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

unsigned __int128 magnitudeOf(qint64 fen) {
    using Wide = __int128; // negating qint64's minimum overflows in 64 bits, not in 128
    using WideMagnitude = unsigned __int128;
    return fen < 0 ? static_cast<WideMagnitude>(-static_cast<Wide>(fen)) : static_cast<WideMagnitude>(fen);
}

// Digits of a non-negative integer, grouped by threes with the locale's separator.
QString grouped(unsigned __int128 value, const QString& separator) {
    QString digits;
    do {
        digits.prepend(QChar(u'0' + int(value % 10)));
        value /= 10;
    } while (value != 0);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, separator);
    return digits;
}

// hundredths → "12.35" with grouping in the integer part.
QString twoDecimals(unsigned __int128 hundredths, const QLocale& locale) {
    const int cents = int(hundredths % 100);
    return grouped(hundredths / 100, locale.groupSeparator()) + locale.decimalPoint() +
           QChar(u'0' + cents / 10) + QChar(u'0' + cents % 10);
}

unsigned __int128 roundedDiv(unsigned __int128 value, unsigned __int128 unit) {
    return (value + unit / 2) / unit; // half away from zero on a magnitude
}

struct Unit {
    unsigned __int128 fen; // fen per 0.01 of the unit
    const char16_t* suffix;
};

} // namespace

QString MoneyFormat::symbol(const QLocale& locale) {
    return locale.language() == QLocale::Chinese ? u"¥"_s : u"CN¥"_s;
}

QString MoneyFormat::full(qint64 fen, const QLocale& locale) {
    const QString sign = fen < 0 ? u"-"_s : QString();
    return sign + symbol(locale) + twoDecimals(magnitudeOf(fen), locale);
}

QString MoneyFormat::compact(qint64 fen, const QLocale& locale) {
    // 万 and 亿 are units of the Chinese number system rather than words, so they follow the language and
    // are not translated: 1万 = 10^4 yuan, 1亿 = 10^8 yuan; K / M / B are 10^3, 10^6, 10^9.
    static const Unit chinese[] = {{10'000, u"万"}, {100'000'000, u"亿"}};
    static const Unit western[] = {{1'000, u"K"}, {1'000'000, u"M"}, {1'000'000'000, u"B"}};
    const bool zh = locale.language() == QLocale::Chinese;
    const Unit* units = zh ? chinese : western;
    const int count = zh ? 2 : 3;
    const unsigned __int128 magnitude = magnitudeOf(fen);
    if (magnitude < units[0].fen * 100)
        return full(fen, locale);
    const QString sign = fen < 0 ? u"-"_s : QString();
    for (int i = 0; i < count; ++i) {
        const unsigned __int128 hundredths = roundedDiv(magnitude, units[i].fen);
        // Rounding up to a whole next unit ("10000.00万") is shown in that unit instead.
        const bool last = i == count - 1;
        if (last || hundredths < units[i + 1].fen / units[i].fen * 100)
            return sign + symbol(locale) + twoDecimals(hundredths, locale) +
                   QString::fromUtf16(units[i].suffix);
    }
    return full(fen, locale);
}

QString MoneyFormat::plain(qint64 fen) {
    const QString sign = fen < 0 ? u"-"_s : QString();
    const unsigned __int128 magnitude = magnitudeOf(fen);
    const int cents = int(magnitude % 100);
    return sign + grouped(magnitude / 100, QString()) + u'.' + QChar(u'0' + cents / 10) +
           QChar(u'0' + cents % 10);
}

Result<qint64> MoneyFormat::parseYuan(const QString& text) {
    static const QRegularExpression shape(uR"(^([+-]?)(\d{1,17})(?:\.(\d{1,2}))?$)"_s);
    const auto m = shape.match(text.trimmed());
    const Problem bad{
        u"bad_amount"_s,
        tr("\"%1\" is not an amount of yuan; write digits with at most two decimals, e.g. 1234.50.")
            .arg(text),
        u"amount"_s};
    if (!m.hasMatch())
        return bad;
    QString decimals = m.captured(3);
    decimals = decimals.leftJustified(2, u'0');
    const auto yuan = ExactMath::multiply(m.captured(2).toLongLong(), 100);
    const auto fen = yuan ? ExactMath::add(*yuan, decimals.toLongLong()) : std::nullopt;
    if (!fen)
        return bad;
    return m.captured(1) == u"-" ? -*fen : *fen;
}

} // namespace riskdesk
