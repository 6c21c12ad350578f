#pragma once

#include "Result.h"
#include "RiskException.h"

#include <QCoreApplication>
#include <QList>

namespace riskdesk {

// Checks an exception record's content; each problem names the reference field and what is wrong.
class ExceptionValidator {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ExceptionValidator)

public:
    static QList<Problem> validate(const RiskException& exception);
    static bool isValidRecordId(const QString& id);
};

} // namespace riskdesk
