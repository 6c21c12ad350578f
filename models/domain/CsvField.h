#pragma once

#include <QString>

namespace riskdesk {

// One field of a CSV file that a spreadsheet will open (RFC 4180: quoted when it holds a comma, a quote or a
// line break, quotes doubled).
class CsvField {
public:
    // A field as it is: numbers, dates, column names.
    static QString plain(const QString& text);
    // A field of text that someone else wrote (a justification, a member's name): a spreadsheet would run one
    // that starts with = + - @ (or a tab or carriage return before them) as a formula, so it is kept as text
    // with a leading apostrophe, as spreadsheets read it; control characters other than tab and line breaks
    // (ESC would drive a terminal that shows the file) become U+FFFD.
    static QString text(const QString& text);
};

} // namespace riskdesk
