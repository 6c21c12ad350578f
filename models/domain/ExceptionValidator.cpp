#include "ExceptionValidator.h"

#include "TextRules.h"
#include "Timestamps.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QTimeZone>
#include <QUrl>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QDateTime ExceptionValidator::earliestTime() {
    return QDateTime(QDate(2000, 1, 1), QTime(0, 0), QTimeZone::utc());
}

QDateTime ExceptionValidator::latestTime() {
    return QDateTime(QDate(2200, 1, 1), QTime(0, 0), QTimeZone::utc());
}

bool ExceptionValidator::isValidRecordId(const QString& id) {
    static const QRegularExpression pattern(u"^exc-[0-9a-f]{12}$"_s);
    return pattern.match(id).hasMatch();
}

QList<Problem> ExceptionValidator::validate(const RiskException& e) {
    QList<Problem> out;
    auto add = [&](const QString& field, const QString& code, const QString& message) {
        out.append(Problem{code, message, field});
    };
    auto requireText = [&](const QString& field, const QString& value) {
        if (TextRules::isBlank(value))
            add(field, u"blank"_s, ExceptionValidator::tr("%1 must not be blank.").arg(field));
    };
    // The server's limits (003_hardening.sql, create_exception), checked here first.
    auto limit = [&](const QString& field, const QString& value, int maxCharacters) {
        if (value.size() > maxCharacters && value.toUcs4().size() > maxCharacters)
            add(field, u"too_long"_s,
                ExceptionValidator::tr("%1 has %2 characters; at most %3 are allowed.")
                    .arg(field)
                    .arg(value.toUcs4().size())
                    .arg(maxCharacters));
    };
    const std::pair<QString, const QString*> texts[] = {{u"record_id"_s, &e.recordId},
                                                        {u"tenant_id"_s, &e.tenantId},
                                                        {u"applicant_id"_s, &e.applicantId},
                                                        {u"target_id"_s, &e.targetId},
                                                        {u"risk_rule_id"_s, &e.riskRuleId},
                                                        {u"reason_category"_s, &e.reasonCategory},
                                                        {u"justification"_s, &e.justification},
                                                        {u"attachment_url"_s, &e.attachmentUrl},
                                                        {u"rejection_reason"_s, &e.rejectionReason},
                                                        {u"current_approver_id"_s, &e.currentApproverId}};
    for (const auto& [field, value] : texts)
        if (TextRules::containsNul(*value))
            add(field, u"nul_character"_s,
                ExceptionValidator::tr("%1 contains a NUL character (U+0000), which cannot be stored.")
                    .arg(field));

    if (!isValidRecordId(e.recordId))
        add(u"record_id"_s, u"malformed_id"_s,
            ExceptionValidator::tr(
                "record_id \"%1\" is malformed: expected exc- followed by 12 lower-case hex digits.")
                .arg(e.recordId));
    requireText(u"tenant_id"_s, e.tenantId);
    requireText(u"applicant_id"_s, e.applicantId);
    requireText(u"target_id"_s, e.targetId);
    requireText(u"risk_rule_id"_s, e.riskRuleId);
    requireText(u"reason_category"_s, e.reasonCategory);
    requireText(u"justification"_s, e.justification);
    if (!TextRules::isBlank(e.targetId) && !TextRules::isPlainId(e.targetId))
        add(u"target_id"_s, u"malformed_id"_s,
            ExceptionValidator::tr("target_id must have 1 to 128 characters, none of them spaces, control "
                                   "characters or invisible marks."));
    limit(u"reason_category"_s, e.reasonCategory, TextRules::kMaxLabelCharacters);
    if (!TextRules::isBlank(e.reasonCategory) &&
        TextRules::characterCount(e.reasonCategory) <= TextRules::kMaxLabelCharacters &&
        !TextRules::isPlainLabel(e.reasonCategory))
        add(u"reason_category"_s, u"malformed_label"_s,
            ExceptionValidator::tr("reason_category must not hold a control, tab or invisible character."));
    limit(u"justification"_s, e.justification, 10000);
    limit(u"attachment_url"_s, e.attachmentUrl, 2048);

    if (!e.applyTime.isValid())
        add(u"apply_time"_s, u"missing"_s, ExceptionValidator::tr("apply_time is missing."));
    if (!e.validStartTime.isValid())
        add(u"valid_start_time"_s, u"missing"_s, ExceptionValidator::tr("valid_start_time is missing."));
    if (!e.validEndTime.isValid())
        add(u"valid_end_time"_s, u"missing"_s, ExceptionValidator::tr("valid_end_time is missing."));
    // The server's range (riskdesk.iso_time): later years are typing mistakes, and the infinite or far times
    // PostgreSQL could store would not fit a desktop's milliseconds.
    const std::pair<QString, const QDateTime*> times[] = {{u"valid_start_time"_s, &e.validStartTime},
                                                          {u"valid_end_time"_s, &e.validEndTime}};
    for (const auto& [field, time] : times)
        if (time->isValid() && (*time < earliestTime() || *time >= latestTime()))
            add(field, u"out_of_range"_s,
                ExceptionValidator::tr("%1 (%2) must be from %3 to %4.")
                    .arg(field, timestamps::toIso(*time), timestamps::toIso(earliestTime()),
                         timestamps::toIso(latestTime())));
    if (e.validStartTime.isValid() && e.validEndTime.isValid() && e.validEndTime <= e.validStartTime)
        add(u"valid_end_time"_s, u"end_before_start"_s,
            ExceptionValidator::tr("valid_end_time (%1) must be after valid_start_time (%2).")
                .arg(timestamps::toIso(e.validEndTime), timestamps::toIso(e.validStartTime)));
    else if (e.validStartTime.isValid() && e.validEndTime.isValid() &&
             e.validStartTime.daysTo(e.validEndTime) >= kMaxWindowDays &&
             e.validStartTime.addDays(kMaxWindowDays) < e.validEndTime)
        add(u"valid_end_time"_s, u"window_too_long"_s,
            ExceptionValidator::tr("The validity window from %1 to %2 is longer than %3 days.")
                .arg(timestamps::toIso(e.validStartTime), timestamps::toIso(e.validEndTime))
                .arg(kMaxWindowDays));

    if (!e.attachmentUrl.isEmpty()) {
        const QUrl url(e.attachmentUrl, QUrl::StrictMode);
        const bool web = url.scheme() == u"https" || url.scheme() == u"http";
        if (!url.isValid() || !web || url.host().isEmpty())
            add(u"attachment_url"_s, u"bad_url"_s,
                ExceptionValidator::tr("attachment_url \"%1\" is not an http(s) address.")
                    .arg(e.attachmentUrl));
    }
    if (e.status == ExceptionStatus::Rejected && TextRules::isBlank(e.rejectionReason))
        add(u"rejection_reason"_s, u"reason_required"_s,
            ExceptionValidator::tr("A rejected exception must carry a rejection_reason."));
    if (e.autoRejected && e.status != ExceptionStatus::Rejected)
        add(u"auto_rejected"_s, u"inconsistent"_s,
            ExceptionValidator::tr("auto_rejected is set but the status is not rejected."));
    if (e.version < 1)
        add(u"version"_s, u"bad_version"_s, ExceptionValidator::tr("version must be 1 or more."));
    return out;
}

} // namespace riskdesk
