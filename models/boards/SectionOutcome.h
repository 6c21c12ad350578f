#pragma once

#include "ReconciliationWarning.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <optional>

namespace riskdesk {

// An enrichment that failed: which one, which fields it would have filled, and why.
struct EnrichmentFailure {
    QString name;       // e.g. "top3"
    QStringList fields; // the fields that are unavailable in every row because of it
    QString reason;     // a sentence a person can act on
    bool timedOut = false;
    bool operator==(const EnrichmentFailure& other) const = default;
};

// What happened to one board section apart from its rows (spec §2.5, Appendix A): ok, partial (some
// enrichments failed: their fields are unavailable, the rest is whole), error (the core query failed: an
// error panel with a retry, never an empty table) or no data (nothing to compute from, e.g. a period of which
// no day is loaded yet: "—" with the reason, never a table of zeros). Reconciliation warnings ride along and
// are never removed by degradation; only a section with no data, which has no figures, keeps none.
class SectionOutcome {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::SectionOutcome)

public:
    enum class Status { Ok, Partial, Error, NoData };

    explicit SectionOutcome(QString section = {}) : m_section(std::move(section)) {}

    void failCore(const QString& reason);
    // The section has nothing to compute from; reason says why. A core failure still wins: it is the one to
    // fix.
    void markNoData(const QString& reason);
    void failEnrichment(EnrichmentFailure failure);
    // Warnings accumulate in the order they were found. A section with no data has no figures to reconcile:
    // it keeps none (markNoData drops those already added).
    void addWarning(ReconciliationWarning warning);
    void addWarning(const std::optional<ReconciliationWarning>& warning);

    const QString& section() const { return m_section; }
    Status status() const;
    const std::optional<QString>& coreError() const { return m_coreError; }
    const std::optional<QString>& noDataReason() const { return m_noData; }
    // Whether the section's rows are to be shown (not for an error or no data).
    bool showsRows() const { return !m_coreError && !m_noData; }
    const QList<EnrichmentFailure>& failures() const { return m_failures; }
    const QList<ReconciliationWarning>& warnings() const { return m_warnings; }

    bool isUnavailable(const QString& field) const;
    // Why a field is unavailable (empty when it is not).
    QString unavailableReason(const QString& field) const;
    // Every unavailable field, in the order the enrichments ran.
    QStringList unavailableFields() const;
    // The CSV "_unavailable" column: the unavailable fields separated by ";".
    QString unavailableColumn() const;
    // The section header's note: "Part of the data is unavailable (retry)" when partial, the error with
    // "retry" when the core failed, "No data: <reason>" for no data, empty when all is well.
    QString headerNote() const;
    QJsonObject toJson() const;

private:
    QString m_section;
    std::optional<QString> m_coreError;
    std::optional<QString> m_noData;
    QList<EnrichmentFailure> m_failures;
    QList<ReconciliationWarning> m_warnings;
};

} // namespace riskdesk
