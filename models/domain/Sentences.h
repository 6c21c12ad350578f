#pragma once

#include <QStringList>

namespace riskdesk {

// Sentences put one after another in the reader's language: English ones are set apart by a space; one that
// ends in a full-width mark (。！？；：）」) is followed directly, as Chinese is written (helper-82 found
// "高风险。 有效期…", a Latin space after a Chinese full stop).
class Sentences {
public:
    static QString join(const QStringList& sentences);
    // text followed by sentence, by the same rule; either may be empty.
    static QString append(const QString& text, const QString& sentence);
};

} // namespace riskdesk
