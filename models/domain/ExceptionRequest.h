#pragma once

#include "Result.h"
#include "RiskException.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>

namespace riskdesk {

// What an applicant files (the reference's create body): the fields a person chooses. The rest of the
// exception (its id, status, times of record, approval chain) is the system's. target_type stays text until
// it is validated, so a wrong word is reported against its field like any other problem.
struct ExceptionRequest {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ExceptionRequest)

public:
    QString tenantId;
    QString applicantId;
    QString targetType; // wire name: claim, claim_item, transaction, merchant, user
    QString targetId;
    QString riskRuleId;
    QDateTime validStartTime;
    QDateTime validEndTime;
    QString reasonCategory;
    QString justification;
    QString attachmentUrl; // an http(s) address given instead of attached files (the reference's field)

    // The request's JSON fields, read into `out`; every problem names its field: a value of the wrong type, a
    // time that does not parse, a field a request does not have (a typo would otherwise be dropped unseen).
    // tenant_id and applicant_id may be given; the caller compares them with who files it and where.
    static QList<Problem> readJson(const QJsonObject& object, ExceptionRequest* out);
    // The field names readJson takes.
    static const QStringList& fieldNames();

    // The pending exception this request becomes, filed now under recordId (version 1, nobody acted yet).
    RiskException toException(const QString& recordId, const QDateTime& now) const;
};

} // namespace riskdesk
