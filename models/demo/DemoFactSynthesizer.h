#pragma once

#include <QJsonObject>
#include <QStringList>
#include <random>

namespace riskdesk {

// Makes plausible field records for the demo's target histories from the field keys a rule reads: cities
// that mostly agree, dates mostly inside their ranges, amounts around the rules' thresholds, attachments
// mostly present. Enough variety that every demo rule both hits and passes. Deterministic for a seeded
// generator.
class DemoFactSynthesizer {
public:
    explicit DemoFactSynthesizer(std::mt19937_64& rng) : m_rng(rng) {}

    // One record; keys already in `known` (what a transaction carries) keep their values.
    QJsonObject record(const QStringList& keys, const QJsonObject& known = {});
    // The amount a record is about, in cents: its claim or transaction amount, or its invoices' sum.
    static qint64 amountCents(const QJsonObject& record);

private:
    int below(int n) { return int(m_rng() % quint64(n)); }
    bool chance(int percent) { return below(100) < percent; }
    QString city();

    std::mt19937_64& m_rng;
};

} // namespace riskdesk
