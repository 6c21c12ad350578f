#include "ExceptionValidator.h"

#include "RuleTerms.h"
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

bool ExceptionValidator::isFiledAttachmentUrl(const QString& url) {
    static const QRegularExpression pattern(u"^riskdesk-attachment:[0-9a-f]{64}$"_s);
    return pattern.match(url).hasMatch();
}

QList<Problem> ExceptionValidator::validateRequest(const ExceptionRequest& r, const std::optional<Rule>& rule,
                                                   const QDateTime& now) {
    QList<Problem> out;
    if (TextRules::isBlank(r.targetType))
        out.append(Problem{u"blank"_s, tr("%1 must not be blank.").arg(u"target_type"_s), u"target_type"_s});
    else if (!targetTypeFromWire(r.targetType))
        out.append(Problem{
            u"unknown_target_type"_s,
            tr("target_type \"%1\" is not one of %2.").arg(r.targetType, allTargetTypeWires().join(u", "_s)),
            u"target_type"_s});
    // The exception the request becomes, under a well-formed id: what validate() finds wrong with it is the
    // request's (the id, the times of record and the version are the system's and always right).
    const RiskException e = r.toException(u"exc-000000000000"_s, now.isValid() ? now : earliestTime());
    for (const Problem& p : validate(e))
        out.append(p);
    // Typed here, a justification holds no control character but tab and line breaks (one pulled from the
    // server is taken as it is: validate() does not refuse it).
    if (const auto control =
            TextRules::isBlank(r.justification) ? std::nullopt : TextRules::firstControl(r.justification))
        out.append(Problem{u"control_character"_s,
                           tr("justification contains a control character (%1); remove it.")
                               .arg(TextRules::describe(*control)),
                           u"justification"_s});
    if (!TextRules::isBlank(r.riskRuleId)) {
        if (!rule) {
            out.append(
                Problem{u"unknown_rule"_s,
                        tr("risk_rule_id \"%1\" is not a rule of tenant %2.").arg(r.riskRuleId, r.tenantId),
                        u"risk_rule_id"_s});
        } else {
            const RuleTerms terms = RuleTerms::of(rule->payload);
            if (!terms.active)
                out.append(Problem{
                    u"inactive_rule"_s,
                    tr("Rule %1 (%2) is not active: it takes no new requests.").arg(rule->ruleId, rule->name),
                    u"risk_rule_id"_s});
            if (terms.targetType && *terms.targetType != e.targetType)
                out.append(Problem{u"rule_target_mismatch"_s,
                                   tr("target_type \"%1\" does not match rule %2 (%3), which is for %4 "
                                      "targets. Choose a rule "
                                      "for this kind of target, or the kind of target the rule is for.")
                                       .arg(toWire(e.targetType), rule->ruleId, rule->name,
                                            displayName(*terms.targetType).toLower()),
                                   u"target_type"_s});
            const bool ordered =
                e.validStartTime.isValid() && e.validEndTime.isValid() && e.validStartTime < e.validEndTime;
            if (terms.maxValidityDays && ordered &&
                e.validStartTime.addDays(*terms.maxValidityDays) < e.validEndTime)
                out.append(
                    Problem{u"beyond_rule_maximum"_s,
                            tr("Rule %1 allows a validity window of at most %n day(s); this one ends %2.",
                               nullptr, *terms.maxValidityDays)
                                .arg(rule->ruleId, timestamps::toIso(e.validEndTime)),
                            u"valid_end_time"_s});
        }
    }
    if (now.isValid() && e.validEndTime.isValid() && e.validEndTime <= now)
        out.append(
            Problem{u"window_over"_s,
                    tr("valid_end_time (%1) has passed: a request's window must still be open when it is "
                       "filed.")
                        .arg(timestamps::toIso(e.validEndTime)),
                    u"valid_end_time"_s});
    return out;
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
    limit(u"justification"_s, e.justification, kMaxJustificationCharacters);
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
            ExceptionValidator::tr(
                "valid_end_time: the validity window from %1 to %2 is longer than %3 days.")
                .arg(timestamps::toIso(e.validStartTime), timestamps::toIso(e.validEndTime))
                .arg(kMaxWindowDays));

    if (!e.attachmentUrl.isEmpty() && !isFiledAttachmentUrl(e.attachmentUrl)) {
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
