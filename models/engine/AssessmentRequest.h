#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace riskdesk {

// One transaction to assess, with the reference's fields. The amount is kept in cents so that daily sums
// are exact at the thresholds.
struct AssessmentRequest {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::AssessmentRequest)

public:
    QString userId;
    qint64 amountCents = 0;
    double amount = 0; // as given, for the response and the log
    QString merchantId;
    QString paymentMethod;
    QJsonObject deviceInfo;
    QJsonObject locationInfo;
    bool hasLocation = false; // the reference treats a missing, null or empty location alike
    QJsonObject additionalData;
    QDateTime timestamp; // the assessment time; invalid = "now", which the caller supplies

    // The facts the checks read, taken from device_info and location_info once, with the reference's
    // truthiness (missing, null, false, 0, "" and empty containers are all "no").
    bool hasDeviceId = false;
    bool isEmulator = false;
    bool isRooted = false;
    QString country;

    // A problem names the field: missing, wrong type, an id that is empty, holds NUL or is not a plain id
    // (TextRules::isPlainId), an amount that is not finite, below one cent or above Money::kMaxAmount, or a
    // timestamp outside 2000..2099.
    static Result<AssessmentRequest> fromJson(const QJsonObject& json);
};

} // namespace riskdesk
