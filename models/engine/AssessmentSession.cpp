#include "AssessmentSession.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

AssessmentSession::AssessmentSession(AssessmentPolicy policy) : m_policy(std::move(policy)) {}

QString SessionAssessment::requestId() const {
    return u"req_%1_%2"_s.arg(timestamp.toMSecsSinceEpoch()).arg(sequence, 6, 10, QLatin1Char('0'));
}

SessionAssessment AssessmentSession::assess(const AssessmentRequest& request, const QDateTime& now) {
    const QDateTime& at = request.timestamp.isValid() ? request.timestamp : now;
    SessionAssessment out;
    out.sequence = ++m_sequence;
    out.timestamp = at;
    out.assessment = RiskAssessor::assess(request, m_ledger.beforeAndRecord(request.userId, at, request.amountCents),
                                          m_blacklist.contains(request.userId, request.merchantId), m_policy);
    return out;
}

} // namespace riskdesk
