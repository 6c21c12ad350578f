#include "PhoneMask.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QString PhoneMask::mask(const QString& phone) {
    QString digits;
    for (const QChar c : phone)
        if (c.isDigit())
            digits += c;
    if (digits.isEmpty())
        return {};
    if (digits.size() < 8)
        return QString(digits.size(), u'*');
    return digits.left(3) + QString(digits.size() - 7, u'*') + digits.right(4);
}

bool PhoneMask::endsWith(const QString& phone, const QString& lastDigits) {
    QString digits;
    for (const QChar c : phone)
        if (c.isDigit())
            digits += c;
    return !lastDigits.isEmpty() && digits.endsWith(lastDigits);
}

} // namespace riskdesk
