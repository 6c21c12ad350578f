#include "AssessmentRequest.h"

#include "domain/CalendarDay.h"
#include "domain/Money.h"
#include "domain/TextRules.h"
#include "domain/Timestamps.h"

#include <QJsonArray>
#include <QTimeZone>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
bool truthy(const QJsonValue& v) {
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool();
    case QJsonValue::Double:
        return v.toDouble() != 0;
    case QJsonValue::String:
        return !v.toString().isEmpty();
    case QJsonValue::Array:
        return !v.toArray().isEmpty();
    case QJsonValue::Object:
        return !v.toObject().isEmpty();
    default:
        return false;
    }
}
} // namespace

Result<AssessmentRequest> AssessmentRequest::fromJson(const QJsonObject& json) {
    AssessmentRequest r;
    auto requireText = [&](const QString& field, QString* out) -> std::optional<Problem> {
        const QJsonValue v = json.value(field);
        if (v.isUndefined())
            return Problem{u"missing"_s, tr("%1 is missing.").arg(field), field};
        if (v.isNull())
            return Problem{u"wrong_type"_s, tr("%1 must be a string, not null.").arg(field), field};
        if (!v.isString())
            return Problem{u"wrong_type"_s, tr("%1 must be a string.").arg(field), field};
        *out = v.toString();
        return std::nullopt;
    };
    // user_id and merchant_id are stored and keyed on: the house rule for identifiers (TextRules).
    auto requireId = [&](const QString& field, QString* out) -> std::optional<Problem> {
        if (auto p = requireText(field, out))
            return p;
        if (TextRules::containsNul(*out))
            return Problem{u"nul_character"_s,
                           tr("%1 contains a NUL character (U+0000), which cannot be stored.").arg(field),
                           field};
        if (TextRules::isBlank(*out))
            return Problem{u"blank"_s, tr("%1 is empty.").arg(field), field};
        if (!TextRules::isPlainId(*out))
            return Problem{u"malformed_id"_s,
                           tr("%1 must have 1 to 128 characters, none of them spaces, control characters or "
                              "invisible marks.")
                               .arg(field),
                           field};
        return std::nullopt;
    };
    auto optionalObject = [&](const QString& field, QJsonObject* out,
                              bool* present) -> std::optional<Problem> {
        const QJsonValue v = json.value(field);
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isObject())
            return Problem{u"wrong_type"_s, tr("%1 must be an object.").arg(field), field};
        *out = v.toObject();
        if (present)
            *present = !out->isEmpty();
        return std::nullopt;
    };
    // Every required field that is absent is named at once, so one line is fixed in one go (helper-84).
    QStringList absent;
    for (const QString& field :
         {u"user_id"_s, u"transaction_amount"_s, u"merchant_id"_s, u"payment_method"_s})
        if (json.value(field).isUndefined())
            absent << field;
    if (absent.size() > 1)
        return Problem{
            u"missing"_s,
            tr("%1 and %2 are missing.").arg(absent.mid(0, absent.size() - 1).join(tr(", ")), absent.last()),
            absent.first()};
    if (auto p = requireId(u"user_id"_s, &r.userId))
        return *p;
    const QJsonValue amount = json.value(u"transaction_amount"_s);
    if (amount.isUndefined())
        return Problem{u"missing"_s, tr("transaction_amount is missing."), u"transaction_amount"_s};
    if (amount.isNull())
        return Problem{u"wrong_type"_s, tr("transaction_amount must be a number, not null."),
                       u"transaction_amount"_s};
    if (!amount.isDouble())
        return Problem{u"wrong_type"_s, tr("transaction_amount must be a number."), u"transaction_amount"_s};
    if (!std::isfinite(amount.toDouble()))
        return Problem{u"out_of_range"_s, tr("transaction_amount must be a finite number."),
                       u"transaction_amount"_s};
    if (amount.toDouble() <= 0)
        return Problem{u"not_positive"_s,
                       tr("transaction_amount must be greater than 0, not %1.")
                           .arg(Money::amountText(amount.toDouble())),
                       u"transaction_amount"_s};
    // Below one cent the amount would be kept as 0 cents: a payment that adds nothing to the daily sums.
    if (amount.toDouble() < Money::kMinAmount)
        return Problem{u"below_one_cent"_s,
                       tr("transaction_amount must be at least %1 (one cent), not %2.")
                           .arg(Money::amountText(Money::kMinAmount), Money::amountText(amount.toDouble())),
                       u"transaction_amount"_s};
    const std::optional<qint64> cents = Money::centsOf(amount.toDouble());
    if (!cents)
        return Problem{u"out_of_range"_s,
                       tr("transaction_amount must be at most %1, not %2.")
                           .arg(Money::amountText(Money::kMaxAmount), Money::amountText(amount.toDouble())),
                       u"transaction_amount"_s};
    // A fraction of a cent would be rounded away without a word (0.015 kept as 0.02): refused, as the sums
    // are kept in cents. Judged on the shortest decimal that reads back as the same double (what the sender
    // wrote, as far as a double can tell): more than two decimals is a fraction of a cent.
    const QString written = Money::amountText(amount.toDouble());
    const qsizetype point = written.indexOf(u'.');
    if (point >= 0 && written.size() - point - 1 > 2)
        return Problem{
            u"fraction_of_a_cent"_s,
            tr("transaction_amount has a fraction of a cent (%1); amounts are kept in cents, at most "
               "two decimals.")
                .arg(Money::amountText(amount.toDouble())),
            u"transaction_amount"_s};
    r.amount = amount.toDouble();
    r.amountCents = *cents;
    if (auto p = requireId(u"merchant_id"_s, &r.merchantId))
        return *p;
    if (auto p = requireText(u"payment_method"_s, &r.paymentMethod))
        return *p;
    if (TextRules::isBlank(r.paymentMethod)) // scored as no method at all, where an absent one is refused
        return Problem{u"blank"_s, tr("payment_method is empty."), u"payment_method"_s};
    if (auto p = optionalObject(u"device_info"_s, &r.deviceInfo, nullptr))
        return *p;
    if (auto p = optionalObject(u"location_info"_s, &r.locationInfo, &r.hasLocation))
        return *p;
    if (auto p = optionalObject(u"additional_data"_s, &r.additionalData, nullptr))
        return *p;
    r.hasDeviceId = truthy(r.deviceInfo.value(u"device_id"_s));
    r.isEmulator = truthy(r.deviceInfo.value(u"is_emulator"_s));
    r.isRooted = truthy(r.deviceInfo.value(u"is_rooted"_s));
    if (const QJsonValue c = r.locationInfo.value(u"country"_s); c.isString())
        r.country = c.toString();
    const QJsonValue ts = json.value(u"timestamp"_s);
    if (!ts.isUndefined() && !ts.isNull()) {
        const auto parsed = ts.isString() ? timestamps::fromIso(ts.toString()) : std::nullopt;
        if (!parsed) {
            // The right form on a day the calendar lacks says so (helper-84: "2026-02-30T00:00:00Z" was told
            // to be an ISO-8601 time).
            const QString calendar = ts.isString() ? CalendarDay::whyNotADay(ts.toString()) : QString();
            return Problem{u"bad_timestamp"_s,
                           calendar.isEmpty()
                               ? tr("timestamp must be an ISO-8601 time, e.g. 2026-11-23T09:30:00Z.")
                               : tr("timestamp: %1").arg(calendar),
                           u"timestamp"_s};
        }
        // The request id and the velocity windows count milliseconds from 1970: a time outside this century
        // is a typing or clock error, not a transaction.
        const QDateTime earliest(QDate(2000, 1, 1), QTime(0, 0), QTimeZone::utc());
        const QDateTime end(QDate(2100, 1, 1), QTime(0, 0), QTimeZone::utc());
        if (*parsed < earliest || *parsed >= end)
            return Problem{u"out_of_range"_s,
                           tr("timestamp must be from %1 to %2 (UTC), not %3.")
                               .arg(earliest.date().toString(Qt::ISODate),
                                    end.addMSecs(-1).date().toString(Qt::ISODate), ts.toString()),
                           u"timestamp"_s};
        r.timestamp = *parsed;
    }
    return r;
}

} // namespace riskdesk
