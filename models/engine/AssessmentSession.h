#pragma once

#include "AssessmentPolicy.h"
#include "Blacklist.h"
#include "RiskAssessor.h"
#include "VelocityLedger.h"

namespace riskdesk {

struct SessionAssessment {
    quint64 sequence = 0;
    QDateTime timestamp;
    Assessment assessment;

    // The reference's id is req_<milliseconds>; the sequence number keeps ids unique within a millisecond.
    // Built when asked for: most of an assessment's cost would otherwise be formatting it.
    QString requestId() const;
    QByteArray requestIdUtf8() const; // the same, without a trip through QString::arg, for bulk logging
};

// A run of assessments in order, with the ledger carried from one to the next: each transaction sees the
// counters of those assessed before it, then is counted itself (as the reference updates Redis after
// answering). The ledger marks which users' counters changed, so a store can persist only those.
class AssessmentSession {
public:
    explicit AssessmentSession(AssessmentPolicy policy = AssessmentPolicy::reference());

    SessionAssessment assess(const AssessmentRequest& request, const QDateTime& now);

    VelocityLedger& ledger() { return m_ledger; }
    Blacklist& blacklist() { return m_blacklist; }
    const AssessmentPolicy& policy() const { return m_policy; }
    // Request ids continue after `last`, so that a run resumed from a workspace never repeats one.
    void continueSequenceAfter(quint64 last) { m_sequence = std::max(m_sequence, last); }

private:
    AssessmentPolicy m_policy;
    VelocityLedger m_ledger;
    Blacklist m_blacklist;
    quint64 m_sequence = 0;
};

} // namespace riskdesk
