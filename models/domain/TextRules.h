#pragma once

#include <QString>
#include <QStringView>
#include <optional>

namespace riskdesk {

// The rules every free-text field follows, the same on the desktop and on the server (whose copy is
// riskdesk.trim_space / riskdesk.is_blank in resources/sql/postgres/003_hardening.sql: change both together;
// tst_server compares them over every code point).
//   space: Unicode White_Space (ASCII blanks, tab, CR/LF, NEL, NBSP, U+2000..U+200A, U+3000, …).
//   blank: space, control characters, and characters that print nothing (zero-width, bidi and joiner
//          marks, soft hyphen, variation selectors, tags, Hangul and Braille fillers: all of Unicode's
//          Default_Ignorable_Code_Point and format characters).
// A reason that is blank says nothing, however many characters it has; a comment keeps its inner
// formatting marks (an RTL name needs them) and loses only the spaces around it.
class TextRules {
public:
    // The longest decision comment (a rejection reason included), in characters, after trimming; the
    // server (riskdesk.decide) refuses longer ones too.
    static constexpr int kMaxCommentCharacters = 2000;
    // The longest label (reason_category).
    static constexpr int kMaxLabelCharacters = 64;

    static bool isSpace(char32_t c);
    static bool isBlankCharacter(char32_t c);
    // True when every character is blank (an empty text too).
    static bool isBlank(QStringView text);
    // Without the spaces at either end.
    static QString trimmed(QStringView text);
    // An identifier someone types or a system hands over: 1 to 128 characters, none of them blank.
    static bool isPlainId(QStringView text);
    // A short label such as a reason category: not blank, at most kMaxLabelCharacters, and no blank
    // character other than the ordinary space (no tab, ESC or bidi override).
    static bool isPlainLabel(QStringView text);
    // Characters (code points), a surrogate pair counting once.
    static qsizetype characterCount(QStringView text);
    // PostgreSQL cannot store U+0000 and libpq would cut the text there: refused everywhere instead.
    static bool containsNul(QStringView text);
    // Text someone else wrote, for one cell of a table printed to a terminal: line breaks and tabs become
    // spaces (the table keeps its shape) and other control characters and bidirectional overrides U+FFFD
    // (ESC would drive the terminal).
    static QString forTerminalCell(QStringView text);
    // The first control character of a free text that is not a space (ESC, BEL, backspace, most C1 controls,
    // and the bidirectional overrides that make a text read otherwise than it is stored: nothing a person
    // types; tab and line breaks are spaces), and where it is (the 1-based character): what
    // a text typed here is refused for, unless it is blank (which has its own refusal). Text that arrives
    // from the server is taken as it is and shown safely instead.
    struct Control {
        qsizetype position;
        char16_t code;
    };
    static std::optional<Control> firstControl(QStringView text);
    // "U+001B at character 12": how a refusal names that character.
    static QString describe(const Control& control);
};

} // namespace riskdesk
