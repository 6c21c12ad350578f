#include "AssessmentText.h"

#include <QHash>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QString AssessmentText::reason(const QString& code) {
    static const QHash<QString, const char*> texts{
        {u"amount_very_high"_s, QT_TR_NOOP("Transaction amount too high")},
        {u"amount_high"_s, QT_TR_NOOP("Transaction amount high")},
        {u"daily_count_exceeded"_s, QT_TR_NOOP("Daily transaction count over the limit")},
        {u"daily_amount_exceeded"_s, QT_TR_NOOP("Daily transaction amount over the limit")},
        {u"hourly_rate_high"_s, QT_TR_NOOP("Hourly transaction rate too high")},
        {u"blacklisted"_s, QT_TR_NOOP("User or merchant is on the blacklist")},
        {u"device_id_missing"_s, QT_TR_NOOP("Device identifier missing")},
        {u"emulator_detected"_s, QT_TR_NOOP("Emulator detected")},
        {u"device_rooted"_s, QT_TR_NOOP("Device is rooted")},
        {u"location_missing"_s, QT_TR_NOOP("Location information missing")},
        {u"high_risk_region"_s, QT_TR_NOOP("Transaction from a high-risk region")},
    };
    const auto it = texts.constFind(code);
    return it == texts.cend() ? code : tr(*it);
}

QString AssessmentText::recommendation(const QString& code) {
    static const QHash<QString, const char*> texts{
        {u"suggest_manual_review"_s, QT_TR_NOOP("Manual review recommended")},
        {u"suggest_stronger_identity_check"_s, QT_TR_NOOP("Stronger identity verification recommended")},
        {u"manual_review"_s, QT_TR_NOOP("Review manually")},
        {u"limit_today"_s, QT_TR_NOOP("Limit transactions for today")},
        {u"freeze_account"_s, QT_TR_NOOP("Freeze the account")},
        {u"delay_processing"_s, QT_TR_NOOP("Delay processing")},
        {u"reject_transaction"_s, QT_TR_NOOP("Reject the transaction")},
        {u"require_device_authentication"_s, QT_TR_NOOP("Require device authentication")},
        {u"stronger_verification"_s, QT_TR_NOOP("Strengthen verification")},
        {u"collect_location"_s, QT_TR_NOOP("Obtain location information")},
    };
    const auto it = texts.constFind(code);
    return it == texts.cend() ? code : tr(*it);
}

QString AssessmentText::level(const QString& code) {
    if (code == u"HIGH")
        return tr("high");
    if (code == u"MEDIUM")
        return tr("medium");
    if (code == u"LOW")
        return tr("low");
    if (code == u"MINIMAL")
        return tr("minimal");
    return code;
}

QString AssessmentText::decision(const QString& code) {
    if (code == u"REJECT")
        return tr("reject");
    if (code == u"REVIEW")
        return tr("review");
    if (code == u"APPROVE_WITH_MONITORING")
        return tr("approve with monitoring");
    if (code == u"APPROVE")
        return tr("approve");
    return code;
}

} // namespace riskdesk
