#include "RiskExceptionCodec.h"

#include "ExceptionColumns.h"
#include "ExceptionValidator.h"
#include "Timestamps.h"

#include <QCoreApplication>
#include <cmath>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// JSON numbers are doubles: whole numbers are exact up to 2^53, so no larger version can be told apart.
constexpr qint64 kMaxExactInteger = qint64(1) << 53;

QJsonValue nullable(const QString& text) {
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

Problem fieldProblem(const QString& field, const QString& code, const QString& message) {
    return Problem{code, message, field};
}

// Reads fields one by one, remembering the first problem so the caller reports exactly one clear message.
class Reader {
public:
    explicit Reader(const QJsonObject& object) : m_object(object) {}

    QString text(const QString& field, bool required) {
        const QJsonValue value = m_object.value(field);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                fail(field, u"missing"_s, RiskExceptionCodec::tr("%1 is missing.").arg(field));
            return {};
        }
        if (!value.isString()) {
            fail(field, u"wrong_type"_s, RiskExceptionCodec::tr("%1 must be a string.").arg(field));
            return {};
        }
        return value.toString();
    }

    QDateTime time(const QString& field, bool required) {
        const QString raw = text(field, required);
        if (raw.isEmpty())
            return {};
        const auto parsed = timestamps::fromIso(raw);
        if (!parsed) {
            fail(field, u"bad_timestamp"_s,
                 RiskExceptionCodec::tr("%1 is not an ISO-8601 timestamp: \"%2\".").arg(field, raw));
            return {};
        }
        return *parsed;
    }

    bool flag(const QString& field) {
        const QJsonValue value = m_object.value(field);
        if (value.isUndefined() || value.isNull())
            return false;
        if (!value.isBool())
            fail(field, u"wrong_type"_s, RiskExceptionCodec::tr("%1 must be true or false.").arg(field));
        return value.toBool();
    }

    // A whole number from minimum to maximum. The range is checked before converting: a double beyond
    // qint64 (1e30) has no integer value, and converting it is undefined behaviour, not an error.
    qint64 integer(const QString& field, qint64 fallback, qint64 minimum, qint64 maximum) {
        const QJsonValue value = m_object.value(field);
        if (value.isUndefined() || value.isNull())
            return fallback;
        const double d = value.toDouble();
        if (!value.isDouble() || d != std::trunc(d)) {
            fail(field, u"wrong_type"_s, RiskExceptionCodec::tr("%1 must be a whole number.").arg(field));
            return fallback;
        }
        if (!(d >= double(minimum) && d <= double(maximum))) {
            fail(field, u"out_of_range"_s,
                 RiskExceptionCodec::tr("%1 must be a whole number from %2 to %3.")
                     .arg(field)
                     .arg(minimum)
                     .arg(maximum));
            return fallback;
        }
        return qint64(d);
    }

    void fail(const QString& field, const QString& code, const QString& message) {
        if (!m_problem)
            m_problem = fieldProblem(field, code, message);
    }
    const std::optional<Problem>& problem() const { return m_problem; }

private:
    const QJsonObject& m_object;
    std::optional<Problem> m_problem;
};

} // namespace

QJsonArray RiskExceptionCodec::chainToJson(const QList<ApprovalStep>& steps) {
    QJsonArray out;
    for (const ApprovalStep& s : steps) {
        QJsonObject o{{u"approver_id"_s, s.approverId},
                      {u"action"_s, s.action},
                      {u"comment"_s, nullable(s.comment)},
                      {u"timestamp"_s, timestamps::toIso(s.timestamp)}};
        if (s.step > 0)
            o.insert(u"step"_s, s.step);
        out.append(o);
    }
    return out;
}

const QStringList& RiskExceptionCodec::fieldNames() {
    // The stored columns, with the record id first as the reference lists them.
    static const QStringList names = [] {
        QStringList out{u"record_id"_s};
        for (const ExceptionColumn& c : ExceptionColumns::kAll)
            if (c.name != "record_id")
                out << QString::fromLatin1(c.name.data(), qsizetype(c.name.size()));
        return out;
    }();
    return names;
}

QJsonObject RiskExceptionCodec::toJson(const RiskException& e) {
    return QJsonObject{
        {u"record_id"_s, e.recordId},
        {u"tenant_id"_s, e.tenantId},
        {u"applicant_id"_s, e.applicantId},
        {u"apply_time"_s, timestamps::toIso(e.applyTime)},
        {u"target_type"_s, toWire(e.targetType)},
        {u"target_id"_s, e.targetId},
        {u"risk_rule_id"_s, e.riskRuleId},
        {u"status"_s, toWire(e.status)},
        {u"valid_start_time"_s, timestamps::toIso(e.validStartTime)},
        {u"valid_end_time"_s, timestamps::toIso(e.validEndTime)},
        {u"reason_category"_s, e.reasonCategory},
        {u"justification"_s, e.justification},
        {u"attachment_url"_s, nullable(e.attachmentUrl)},
        {u"current_approver_id"_s, nullable(e.currentApproverId)},
        {u"approval_chain_log"_s, chainToJson(e.approvalChainLog)},
        {u"auto_rejected"_s, e.autoRejected},
        {u"rejection_reason"_s, nullable(e.rejectionReason)},
        {u"last_status_at"_s, timestamps::toIso(e.lastStatusAt)},
        {u"version"_s, e.version},
    };
}

Result<QList<ApprovalStep>> RiskExceptionCodec::chainFromJson(const QJsonArray& array) {
    QList<ApprovalStep> steps;
    steps.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString field = u"approval_chain_log[%1]"_s.arg(i);
        if (!array.at(i).isObject())
            return fieldProblem(field, u"wrong_type"_s,
                                RiskExceptionCodec::tr("%1 must be an object.").arg(field));
        const QJsonObject o = array.at(i).toObject();
        Reader r(o);
        ApprovalStep s;
        s.approverId = r.text(u"approver_id"_s, true);
        s.action = r.text(u"action"_s, true);
        s.comment = r.text(u"comment"_s, false);
        s.timestamp = r.time(u"timestamp"_s, true);
        s.step = int(r.integer(u"step"_s, 0, 0, std::numeric_limits<int>::max()));
        if (r.problem()) {
            Problem p = *r.problem();
            p.field = field + u'.' + p.field;
            p.message = RiskExceptionCodec::tr("%1: %2").arg(field, p.message);
            return p;
        }
        steps.append(s);
    }
    return steps;
}

Result<RiskException> RiskExceptionCodec::fromJson(const QJsonObject& object) {
    Reader r(object);
    RiskException e;
    e.recordId = r.text(u"record_id"_s, true);
    e.tenantId = r.text(u"tenant_id"_s, true);
    e.applicantId = r.text(u"applicant_id"_s, true);
    e.applyTime = r.time(u"apply_time"_s, true);
    const QString targetType = r.text(u"target_type"_s, true);
    e.targetId = r.text(u"target_id"_s, true);
    e.riskRuleId = r.text(u"risk_rule_id"_s, true);
    const QString status = r.text(u"status"_s, true);
    e.validStartTime = r.time(u"valid_start_time"_s, true);
    e.validEndTime = r.time(u"valid_end_time"_s, true);
    e.reasonCategory = r.text(u"reason_category"_s, true);
    e.justification = r.text(u"justification"_s, true);
    e.attachmentUrl = r.text(u"attachment_url"_s, false);
    e.currentApproverId = r.text(u"current_approver_id"_s, false);
    e.autoRejected = r.flag(u"auto_rejected"_s);
    e.rejectionReason = r.text(u"rejection_reason"_s, false);
    e.lastStatusAt = r.time(u"last_status_at"_s, false);
    e.version = r.integer(u"version"_s, 1, -kMaxExactInteger, kMaxExactInteger);
    if (r.problem())
        return *r.problem();

    if (const auto t = targetTypeFromWire(targetType))
        e.targetType = *t;
    else
        return fieldProblem(u"target_type"_s, u"unknown_target_type"_s,
                            RiskExceptionCodec::tr("target_type \"%1\" is not one of: %2.")
                                .arg(targetType, allTargetTypeWires().join(u", "_s)));
    if (const auto s = statusFromWire(status))
        e.status = *s;
    else
        return fieldProblem(u"status"_s, u"unknown_status"_s,
                            RiskExceptionCodec::tr("status \"%1\" is not one of: %2.")
                                .arg(status, allStatusWires().join(u", "_s)));

    const QJsonValue chain = object.value(u"approval_chain_log"_s);
    if (!chain.isUndefined() && !chain.isNull()) {
        if (!chain.isArray())
            return fieldProblem(u"approval_chain_log"_s, u"wrong_type"_s,
                                RiskExceptionCodec::tr("approval_chain_log must be a list."));
        auto steps = chainFromJson(chain.toArray());
        if (!steps)
            return steps.problem();
        e.approvalChainLog = std::move(steps).value();
    }
    if (!e.lastStatusAt.isValid())
        e.lastStatusAt = e.applyTime;

    const QList<Problem> problems = ExceptionValidator::validate(e);
    if (!problems.isEmpty())
        return problems.first();
    return e;
}

} // namespace riskdesk
