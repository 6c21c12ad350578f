#include "SectionOutcome.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

void SectionOutcome::failCore(const QString& reason) {
    if (!m_coreError)
        m_coreError = reason; // the first failure is the one to fix
}

void SectionOutcome::markNoData(const QString& reason) {
    m_noData = reason;
    m_warnings.clear(); // with no figures there is nothing to reconcile
}

void SectionOutcome::failEnrichment(EnrichmentFailure failure) {
    m_failures << std::move(failure);
}

void SectionOutcome::addWarning(ReconciliationWarning warning) {
    if (!m_noData)
        m_warnings << std::move(warning);
}

void SectionOutcome::addWarning(const std::optional<ReconciliationWarning>& warning) {
    if (warning)
        addWarning(*warning);
}

SectionOutcome::Status SectionOutcome::status() const {
    if (m_coreError)
        return Status::Error;
    if (m_noData)
        return Status::NoData;
    return m_failures.isEmpty() ? Status::Ok : Status::Partial;
}

bool SectionOutcome::isUnavailable(const QString& field) const {
    return !unavailableReason(field).isEmpty();
}

QString SectionOutcome::unavailableReason(const QString& field) const {
    for (const EnrichmentFailure& f : m_failures)
        if (f.fields.contains(field))
            return f.reason.isEmpty() ? f.name : f.reason;
    return {};
}

QStringList SectionOutcome::unavailableFields() const {
    QStringList fields;
    for (const EnrichmentFailure& f : m_failures)
        for (const QString& field : f.fields)
            if (!fields.contains(field))
                fields << field;
    return fields;
}

QString SectionOutcome::unavailableColumn() const {
    return unavailableFields().join(u';');
}

QString SectionOutcome::headerNote() const {
    switch (status()) {
    case Status::Ok:
        return {};
    case Status::Partial:
        return tr("Part of the data is unavailable (retry)");
    case Status::Error:
        return tr("This section could not be loaded: %1 (retry)").arg(*m_coreError);
    case Status::NoData:
        return tr("No data: %1").arg(*m_noData);
    }
    return {};
}

QJsonObject SectionOutcome::toJson() const {
    static const char* const statuses[] = {"ok", "partial", "error", "no_data"};
    QJsonObject o{{u"section"_s, m_section}, {u"status"_s, QString::fromLatin1(statuses[int(status())])}};
    if (m_coreError)
        o.insert(u"error"_s, *m_coreError);
    if (m_noData)
        o.insert(u"reason"_s, *m_noData);
    QJsonArray failures;
    for (const EnrichmentFailure& f : m_failures)
        failures.append(QJsonObject{{u"enrichment"_s, f.name},
                                    {u"fields"_s, QJsonArray::fromStringList(f.fields)},
                                    {u"reason"_s, f.reason},
                                    {u"timedOut"_s, f.timedOut}});
    if (!failures.isEmpty())
        o.insert(u"unavailable"_s, failures);
    QJsonArray warnings;
    for (const ReconciliationWarning& w : m_warnings)
        warnings.append(w.toJson());
    if (!warnings.isEmpty())
        o.insert(u"warnings"_s, warnings);
    return o;
}

} // namespace riskdesk
