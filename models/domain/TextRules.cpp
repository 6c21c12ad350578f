#include "TextRules.h"

#include <QCoreApplication>
#include <algorithm>
#include <iterator>

namespace riskdesk {

namespace {

struct Range {
    char32_t first;
    char32_t last;
};

// Unicode White_Space.
constexpr Range kSpace[] = {{0x09, 0x0D},     {0x20, 0x20},     {0x85, 0x85},     {0xA0, 0xA0},
                            {0x1680, 0x1680}, {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F},
                            {0x205F, 0x205F}, {0x3000, 0x3000}};

// Characters that are not space but print nothing: controls, every Default_Ignorable_Code_Point, every
// format character (Cf, the prepended number marks U+0600.. included: a reason made of them says nothing),
// and the fillers Hangul and Braille use for a blank. Unicode 15.1. The server's copy is
// riskdesk.blank_characters(), in the same order.
constexpr Range kInvisible[] = {
    {0x00, 0x1F},       {0x7F, 0x9F},       {0xAD, 0xAD},       {0x034F, 0x034F},   {0x0600, 0x0605},
    {0x061C, 0x061C},   {0x06DD, 0x06DD},   {0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},
    {0x115F, 0x1160},   {0x17B4, 0x17B5},   {0x180B, 0x180F},   {0x200B, 0x200F},   {0x202A, 0x202E},
    {0x2060, 0x206F},   {0x2800, 0x2800},   {0x3164, 0x3164},   {0xFE00, 0xFE0F},   {0xFEFF, 0xFEFF},
    {0xFFA0, 0xFFA0},   {0xFFF0, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F},
    {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
};

// Calls f with each code point; a lone surrogate is passed as itself (it prints something: not blank).
template <typename F> bool allCodePoints(QStringView text, F&& f) {
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text.at(i).unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            ++i;
        }
        if (!f(c))
            return false;
    }
    return true;
}

template <std::size_t N> bool inRanges(const Range (&ranges)[N], char32_t c) {
    return std::any_of(std::begin(ranges), std::end(ranges),
                       [c](const Range& r) { return c >= r.first && c <= r.last; });
}

// The embeddings, overrides and isolates of the bidirectional algorithm (U+202A-U+202E, U+2066-U+2069): they
// reorder what is shown after them, so "abc\u202Eevil" reads as "abclive" in the log. The marks (U+200E,
// U+200F) only state a direction and are kept: right-to-left text needs them.
bool isDirectionOverride(char16_t u) {
    return (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069);
}

} // namespace

bool TextRules::isSpace(char32_t c) {
    return inRanges(kSpace, c);
}

bool TextRules::isBlankCharacter(char32_t c) {
    return inRanges(kSpace, c) || inRanges(kInvisible, c);
}

bool TextRules::isBlank(QStringView text) {
    return allCodePoints(text, [](char32_t c) { return isBlankCharacter(c); });
}

QString TextRules::trimmed(QStringView text) {
    // Every space is in the BMP and no surrogate is a space, so code units suffice here.
    qsizetype begin = 0, end = text.size();
    while (begin < end && isSpace(text.at(begin).unicode()))
        ++begin;
    while (end > begin && isSpace(text.at(end - 1).unicode()))
        --end;
    return text.sliced(begin, end - begin).toString();
}

bool TextRules::isPlainId(QStringView text) {
    if (text.isEmpty() || text.size() > 256) // 256 code units: at most 128 characters is checked below
        return false;
    qsizetype characters = 0;
    return allCodePoints(text, [&](char32_t c) { return !isBlankCharacter(c) && ++characters <= 128; });
}

bool TextRules::isPlainLabel(QStringView text) {
    if (isBlank(text) || text.size() > 2 * kMaxLabelCharacters)
        return false;
    qsizetype characters = 0;
    return allCodePoints(text, [&](char32_t c) {
        return (c == u' ' || !isBlankCharacter(c)) && ++characters <= kMaxLabelCharacters;
    });
}

qsizetype TextRules::characterCount(QStringView text) {
    qsizetype characters = 0;
    allCodePoints(text, [&](char32_t) { return ++characters > 0; });
    return characters;
}

bool TextRules::containsNul(QStringView text) {
    return text.contains(QChar(u'\0'));
}

std::optional<TextRules::Control> TextRules::firstControl(QStringView text) {
    qsizetype position = 0;
    for (const QChar c : text) {
        if (!c.isLowSurrogate())
            ++position;
        const char16_t u = c.unicode();
        // U+0000 has a refusal of its own (containsNul), checked first wherever this is; the spaces among the
        // controls (tab, line breaks, VT, FF, NEL) are spacing.
        if ((((u > 0 && u < 0x20) || (u >= 0x7F && u <= 0x9F)) && !isSpace(u)) || isDirectionOverride(u))
            return Control{position, u};
    }
    return std::nullopt;
}

QString TextRules::describe(const Control& control) {
    return QCoreApplication::translate("riskdesk::TextRules", "U+%1 at character %2")
        .arg(QString::number(uint(control.code), 16).toUpper().rightJustified(4, u'0'))
        .arg(control.position);
}

QString TextRules::forTerminalCell(QStringView text) {
    QString out = text.toString();
    for (QChar& c : out) {
        const char16_t u = c.unicode();
        if (u == u'\n' || u == u'\r' || u == u'\t')
            c = u' ';
        else if (u < 0x20 || (u >= 0x7F && u <= 0x9F) || isDirectionOverride(u))
            c = QChar(QChar::ReplacementCharacter);
    }
    return out;
}

} // namespace riskdesk
