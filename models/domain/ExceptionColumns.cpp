#include "ExceptionColumns.h"

#include "RiskExceptionCodec.h"
#include "Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace riskdesk {

namespace {

QByteArray joined(const std::function<QByteArray(const ExceptionColumn&)>& part, bool withKey = true) {
    QByteArray out;
    for (const ExceptionColumn& c : ExceptionColumns::kAll) {
        if (!withKey && (c.name == "tenant_id" || c.name == "record_id"))
            continue;
        if (!out.isEmpty())
            out += ", ";
        out += part(c);
    }
    return out;
}

QByteArray bytes(std::string_view s) {
    return QByteArray(s.data(), qsizetype(s.size()));
}

QVariant orNull(const QString& text) {
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

} // namespace

QByteArray ExceptionColumns::names(std::string_view prefix) {
    return joined([&](const ExceptionColumn& c) { return bytes(prefix) + bytes(c.name); });
}

QByteArray ExceptionColumns::placeholders() {
    return joined([](const ExceptionColumn&) { return QByteArray("?"); });
}

QByteArray ExceptionColumns::setFromExcluded() {
    return joined([](const ExceptionColumn& c) { return bytes(c.name) + " = excluded." + bytes(c.name); },
                  false);
}

QByteArray ExceptionColumns::decidedAssignments() {
    QByteArray set;
    for (std::string_view name : kDecided)
        set += (set.isEmpty() ? "" : ", ") + bytes(name) + " = ?";
    return set;
}

QVariantList ExceptionColumns::values(const RiskException& e) {
    using namespace timestamps;
    QVariantList v{e.tenantId,
                   e.recordId,
                   e.applicantId,
                   toMs(e.applyTime),
                   toWire(e.targetType),
                   e.targetId,
                   e.riskRuleId,
                   toWire(e.status),
                   toMs(e.validStartTime),
                   toMs(e.validEndTime),
                   e.reasonCategory,
                   e.justification,
                   orNull(e.attachmentUrl),
                   e.currentApproverId.isNull() ? QStringLiteral("") : e.currentApproverId,
                   QString::fromUtf8(QJsonDocument(RiskExceptionCodec::chainToJson(e.approvalChainLog))
                                         .toJson(QJsonDocument::Compact)),
                   e.autoRejected ? 1 : 0,
                   orNull(e.rejectionReason),
                   toMs(e.lastStatusAt),
                   e.version};
    Q_ASSERT(v.size() == kCount);
    return v;
}

RiskException ExceptionColumns::fromValues(const std::function<QVariant(int)>& value) {
    using namespace timestamps;
    RiskException e;
    e.tenantId = value(0).toString();
    e.recordId = value(1).toString();
    e.applicantId = value(2).toString();
    e.applyTime = fromMs(value(3).toLongLong());
    e.targetType = targetTypeFromWire(value(4).toString()).value_or(TargetType::Claim);
    e.targetId = value(5).toString();
    e.riskRuleId = value(6).toString();
    e.status = statusFromWire(value(7).toString()).value_or(ExceptionStatus::Pending);
    e.validStartTime = fromMs(value(8).toLongLong());
    e.validEndTime = fromMs(value(9).toLongLong());
    e.reasonCategory = value(10).toString();
    e.justification = value(11).toString();
    e.attachmentUrl = value(12).toString();
    e.currentApproverId = value(13).toString();
    if (const auto chain =
            RiskExceptionCodec::chainFromJson(QJsonDocument::fromJson(value(14).toByteArray()).array()))
        e.approvalChainLog = chain.value();
    e.autoRejected = value(15).toInt() != 0;
    e.rejectionReason = value(16).toString();
    e.lastStatusAt = fromMs(value(17).toLongLong());
    e.version = value(18).toLongLong();
    return e;
}

} // namespace riskdesk
