#pragma once
// One table of reasons for the "is blank" rule, run against the desktop (tst_decision: TextRules and the
// state machine) and the server (tst_server: riskdesk.decide). A blank reason is refused by both; the others
// are kept, trimmed of Unicode spaces at either end, the same way by both.

#include <QList>
#include <QString>
#include <utility>

namespace riskdesk::test {

struct ReasonCase {
    const char* name;
    QString reason;
    bool blank;
    QString trimmed; // what is stored (when not blank)
};

inline QList<ReasonCase> reasonCases() {
    using namespace Qt::Literals::StringLiterals;
    return {
        {"empty", u""_s, true, {}},
        {"ascii spaces", u"   "_s, true, {}},
        {"tab, LF, CR", u"\t\n\r"_s, true, {}},
        {"vertical tab, form feed", u"\v\f"_s, true, {}},
        {"ideographic space U+3000", u"\u3000\u3000"_s, true, {}},
        {"no-break space U+00A0", u"\u00a0"_s, true, {}},
        {"zero-width space U+200B", u"\u200b"_s, true, {}},
        {"zero-width joiners and BOM", u"\u200c\u200d\u2060\ufeff"_s, true, {}},
        {"bidi marks and overrides", u"\u200e\u200f\u202a\u202e\u2066\u2069"_s, true, {}},
        {"en/em/thin spaces", u"\u2002\u2003\u2009\u202f\u205f"_s, true, {}},
        {"line and paragraph separators", u"\u2028\u2029\u0085"_s, true, {}},
        {"soft hyphen and Mongolian vowel separator", u"\u00ad\u180e"_s, true, {}},
        {"controls", u"\u0001\u001f\u007f\u009f"_s, true, {}},
        {"Hangul filler and Braille blank", u"\u3164\u2800"_s, true, {}},
        {"variation selector and tag characters", u"\ufe0f\U000E0020\U000E007F"_s, true, {}},
        {"mixed", u" \t\u3000\u200b\u00a0\r\n"_s, true, {}},
        {"Egyptian hieroglyph format controls", u"\U00013430\U00013438\U0001343F"_s, true, {}},
        {"shorthand format controls", u"\U0001BCA0\U0001BCA3"_s, true, {}},
        {"Arabic number sign and Kaithi number sign", u"\u0600\U000110BD"_s, true, {}},
        {"a letter", u"x"_s, false, u"x"_s},
        {"padded", u"  padded\t\n"_s, false, u"padded"_s},
        {"padded with U+3000 and U+00A0", u"\u3000\u00a0理由\u3000"_s, false, u"理由"_s},
        {"letter after zero-width space", u"\u200bx"_s, false, u"\u200bx"_s},
        {"RTL name keeps its marks", u"\u200fשלום\u200e"_s, false, u"\u200fשלום\u200e"_s},
        {"emoji", u"😀"_s, false, u"😀"_s},
        {"digit zero", u"0"_s, false, u"0"_s},
    };
}

// Unicode 15.1's Default_Ignorable_Code_Point, format characters (Cf) and White_Space, from the UCD
// (DerivedCoreProperties.txt, DerivedGeneralCategory.txt, PropList.txt): every one of them is blank.
inline QList<std::pair<char32_t, char32_t>> blankByUnicode() {
    return {// Default_Ignorable_Code_Point
            {0x00AD, 0x00AD},
            {0x034F, 0x034F},
            {0x061C, 0x061C},
            {0x115F, 0x1160},
            {0x17B4, 0x17B5},
            {0x180B, 0x180F},
            {0x200B, 0x200F},
            {0x202A, 0x202E},
            {0x2060, 0x206F},
            {0x3164, 0x3164},
            {0xFE00, 0xFE0F},
            {0xFEFF, 0xFEFF},
            {0xFFA0, 0xFFA0},
            {0xFFF0, 0xFFF8},
            {0x1BCA0, 0x1BCA3},
            {0x1D173, 0x1D17A},
            {0xE0000, 0xE0FFF},
            // Cf
            {0x0600, 0x0605},
            {0x06DD, 0x06DD},
            {0x070F, 0x070F},
            {0x0890, 0x0891},
            {0x08E2, 0x08E2},
            {0xFFF9, 0xFFFB},
            {0x110BD, 0x110BD},
            {0x110CD, 0x110CD},
            {0x13430, 0x1343F},
            {0xE0001, 0xE0001},
            {0xE0020, 0xE007F},
            // White_Space
            {0x0009, 0x000D},
            {0x0020, 0x0020},
            {0x0085, 0x0085},
            {0x00A0, 0x00A0},
            {0x1680, 0x1680},
            {0x2000, 0x200A},
            {0x2028, 0x2029},
            {0x202F, 0x202F},
            {0x205F, 0x205F},
            {0x3000, 0x3000}};
}

} // namespace riskdesk::test
