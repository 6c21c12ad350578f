#include "TimeText.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QString TimeText::minutes(const QDateTime& at) {
    return at.isValid() ? at.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s) : QString();
}

QString TimeText::seconds(const QDateTime& at) {
    return at.isValid() ? at.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : QString();
}

} // namespace riskdesk
