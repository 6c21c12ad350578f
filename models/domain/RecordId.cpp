#include "RecordId.h"

#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QString RecordId::newExceptionId() {
    const QString hex = QUuid::createUuid().toString(QUuid::Id128);
    return u"exc-"_s + hex.left(12);
}

QString RecordId::exceptionIdFromNumber(quint64 number) {
    return u"exc-%1"_s.arg(number & 0xffffffffffffULL, 12, 16, QLatin1Char('0'));
}

} // namespace riskdesk
