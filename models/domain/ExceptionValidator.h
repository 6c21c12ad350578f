#pragma once

#include "Result.h"
#include "RiskException.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>

namespace riskdesk {

// Checks an exception record's content; each problem names the reference field and what is wrong.
class ExceptionValidator {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ExceptionValidator)

public:
    static QList<Problem> validate(const RiskException& exception);
    static bool isValidRecordId(const QString& id);
    // The longest validity window, and the range of its times: the server (riskdesk.create_exception) holds
    // an exception to the same.
    static constexpr int kMaxWindowDays = 366;
    static QDateTime earliestTime(); // 2000-01-01T00:00:00Z
    static QDateTime latestTime();   // 2200-01-01T00:00:00Z, excluded
};

} // namespace riskdesk
