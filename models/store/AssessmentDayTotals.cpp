#include "AssessmentDayTotals.h"

#include "AssessmentStore.h"
#include "NativeStatement.h"

namespace riskdesk {

namespace {
constexpr qint64 kDayMs = 86'400'000;
} // namespace

qint64 AssessmentDayTotals::scoreMillionths(double score) {
    return static_cast<qint64>(score * 1000000.0);
}

qint64 AssessmentDayTotals::dayStartMs(qint64 ms) {
    return ms - ((ms % kDayMs) + kDayMs) % kDayMs;
}

void AssessmentDayTotals::add(const LoggedAssessment& a) {
    Sum& s = m_sums[Key{dayStartMs(a.assessedAtMs), a.decision, a.riskLevel}];
    ++s.assessments;
    s.scoreMillionths += scoreMillionths(a.riskScore);
}

Status AssessmentDayTotals::write(QSqlDatabase db, const QByteArray& tenant) const {
    if (m_sums.isEmpty())
        return success();
    NativeStatement upsert(
        db,
        "INSERT INTO assessment_days (tenant_id, day_start, decision, risk_level, assessments, "
        "score_millionths)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, day_start, decision, risk_level) DO UPDATE SET"
        " assessments = assessments + excluded.assessments,"
        " score_millionths = score_millionths + excluded.score_millionths");
    if (!upsert.prepared())
        return upsert.prepared();
    for (auto it = m_sums.cbegin(); it != m_sums.cend(); ++it) {
        upsert.bind(1, tenant);
        upsert.bind(2, it.key().dayStart);
        upsert.bind(3, it.key().decision);
        upsert.bind(4, it.key().level);
        upsert.bind(5, it.value().assessments);
        upsert.bind(6, it.value().scoreMillionths);
        if (Status s = upsert.step(); !s)
            return s;
    }
    return success();
}

} // namespace riskdesk
