#pragma once

#include "Result.h"
#include "RiskException.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace riskdesk {

// JSON form of an exception, with the reference's field names (record_id, apply_time, …).
class RiskExceptionCodec {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RiskExceptionCodec)

public:
    static QJsonObject toJson(const RiskException& exception);
    // The reference's field names in the reference's order (toJson's keys; columns of a CSV listing).
    static const QStringList& fieldNames();
    static QJsonArray chainToJson(const QList<ApprovalStep>& steps);

    // Reads and validates. The problem names the first field that is missing, of the wrong type, or invalid.
    static Result<RiskException> fromJson(const QJsonObject& object);
    static Result<QList<ApprovalStep>> chainFromJson(const QJsonArray& array);
};

} // namespace riskdesk
