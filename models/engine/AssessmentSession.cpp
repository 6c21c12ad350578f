#include "AssessmentSession.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

AssessmentSession::AssessmentSession(AssessmentPolicy policy) : m_policy(std::move(policy)) {}

QByteArray SessionAssessment::requestIdUtf8() const {
    QByteArray seq = QByteArray::number(sequence);
    if (seq.size() < 6)
        seq.prepend(QByteArray(6 - seq.size(), '0'));
    return "req_" + QByteArray::number(timestamp.toMSecsSinceEpoch()) + '_' + seq;
}

QString SessionAssessment::requestId() const {
    return QString::fromLatin1(requestIdUtf8());
}

SessionAssessment AssessmentSession::assess(const AssessmentRequest& request, const QDateTime& now) {
    const QDateTime& at = request.timestamp.isValid() ? request.timestamp : now;
    SessionAssessment out;
    out.sequence = ++m_sequence;
    out.timestamp = at;
    out.assessment = RiskAssessor::assess(
        request,
        m_ledger.beforeAndRecord(request.userId, at.toMSecsSinceEpoch(), request.amountCents, out.sequence),
        m_blacklist.contains(request.userId, request.merchantId), m_policy);
    return out;
}

} // namespace riskdesk
