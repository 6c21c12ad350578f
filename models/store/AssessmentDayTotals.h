#pragma once

#include "domain/Result.h"

#include <QHash>
#include <QSqlDatabase>
#include <QString>

namespace riskdesk {

struct LoggedAssessment;

// One batch's assessments counted per UTC day, decision and level, then added to assessment_days (migration
// 025) in the batch's transaction: one upsert per group instead of a trigger per row.
class AssessmentDayTotals {
public:
    void add(const LoggedAssessment& a);
    Status write(QSqlDatabase db, const QByteArray& tenant) const;

    // The score in whole millionths, truncated toward zero: what SQLite's CAST(risk_score * 1000000 AS
    // INTEGER) gives, so the totals written here and those the migration summed agree.
    static qint64 scoreMillionths(double score);
    // The UTC midnight of an instant, in ms (also before 1970).
    static qint64 dayStartMs(qint64 ms);

private:
    struct Key {
        qint64 dayStart = 0;
        QString decision;
        QString level;
        bool operator==(const Key&) const = default;
    };
    struct Sum {
        qint64 assessments = 0;
        qint64 scoreMillionths = 0;
    };
    friend size_t qHash(const Key& k, size_t seed) {
        return qHashMulti(seed, k.dayStart, k.decision, k.level);
    }

    QHash<Key, Sum> m_sums;
};

} // namespace riskdesk
