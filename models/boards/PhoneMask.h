#pragma once

#include <QString>

namespace riskdesk {

// Phones on boards and in their exports are always masked (spec §2.10): the first three and the last four
// digits stay ("138****5678"). Anything too short to mask that way is hidden whole.
class PhoneMask {
public:
    static QString mask(const QString& phone);
    // True when the text's last four digits are these (BOARD-2's search by the phone's last 4 digits).
    static bool endsWith(const QString& phone, const QString& lastDigits);
};

} // namespace riskdesk
