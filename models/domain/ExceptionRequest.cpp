#include "ExceptionRequest.h"

#include "CalendarDay.h"
#include "Timestamps.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

const QStringList& ExceptionRequest::fieldNames() {
    static const QStringList names{u"tenant_id"_s,      u"applicant_id"_s,    u"target_type"_s,
                                   u"target_id"_s,      u"risk_rule_id"_s,    u"valid_start_time"_s,
                                   u"valid_end_time"_s, u"reason_category"_s, u"justification"_s,
                                   u"attachment_url"_s};
    return names;
}

QList<Problem> ExceptionRequest::readJson(const QJsonObject& object, ExceptionRequest* out) {
    QList<Problem> problems;
    for (auto it = object.begin(); it != object.end(); ++it)
        if (!fieldNames().contains(it.key()))
            problems.append(Problem{u"unknown_field"_s,
                                    tr("%1 is not a field of a request; a request has %2.")
                                        .arg(it.key(), fieldNames().join(u", "_s)),
                                    it.key()});
    auto text = [&](const QString& field, QString* value) {
        const QJsonValue v = object.value(field);
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isString()) {
            problems.append(Problem{u"wrong_type"_s, tr("%1 must be a string.").arg(field), field});
            return;
        }
        *value = v.toString();
    };
    auto time = [&](const QString& field, QDateTime* value) {
        QString raw;
        const qsizetype before = problems.size();
        text(field, &raw);
        if (problems.size() != before || raw.isEmpty())
            return;
        const auto parsed = timestamps::fromIsoWithOffset(raw);
        if (!parsed) {
            if (const QString why = CalendarDay::whyNotADay(raw);
                !why.isEmpty()) { // 2026-02-30T… (helper-71)
                problems.append(Problem{u"bad_timestamp"_s, tr("%1: %2").arg(field, why), field});
                return;
            }
            problems.append(Problem{u"bad_timestamp"_s,
                                    tr("%1 is not an ISO-8601 time with an offset (2026-03-04T09:00:00Z): "
                                       "\"%2\".")
                                        .arg(field, raw),
                                    field});
            return;
        }
        *value = *parsed;
    };
    text(u"tenant_id"_s, &out->tenantId);
    text(u"applicant_id"_s, &out->applicantId);
    text(u"target_type"_s, &out->targetType);
    text(u"target_id"_s, &out->targetId);
    text(u"risk_rule_id"_s, &out->riskRuleId);
    time(u"valid_start_time"_s, &out->validStartTime);
    time(u"valid_end_time"_s, &out->validEndTime);
    text(u"reason_category"_s, &out->reasonCategory);
    text(u"justification"_s, &out->justification);
    text(u"attachment_url"_s, &out->attachmentUrl);
    return problems;
}

RiskException ExceptionRequest::toException(const QString& recordId, const QDateTime& now) const {
    RiskException e;
    e.recordId = recordId;
    e.tenantId = tenantId;
    e.applicantId = applicantId;
    e.applyTime = now;
    e.targetType = targetTypeFromWire(targetType).value_or(TargetType::Claim);
    e.targetId = targetId;
    e.riskRuleId = riskRuleId;
    e.status = ExceptionStatus::Pending;
    e.validStartTime = validStartTime;
    e.validEndTime = validEndTime;
    e.reasonCategory = reasonCategory;
    e.justification = justification;
    e.attachmentUrl = attachmentUrl;
    e.lastStatusAt = now;
    e.version = 1;
    return e;
}

} // namespace riskdesk
