#pragma once

#include "SectionOutcome.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <functional>

namespace riskdesk {

// Runs one board section's core query and its enrichments with failure isolation (spec §2.5): a failing
// core makes the section an error and nothing else runs; a failing or late enrichment makes only its own
// fields unavailable. Each step gets a deadline: on the workspace connection given to interruptOn() a
// statement still running at the deadline is interrupted (a SQLite progress handler), and a step that
// returns after its deadline is counted as timed out, so its result must not be used.
//
// Steps write their results into storage of the caller's; the caller applies them only when the run
// function returns true. Every step is first checked against the fault hook (BoardFaults) under the name
// "<section>.<step>".
class EnrichmentRunner {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::EnrichmentRunner)

public:
    static constexpr int kSqliteTimeoutMs = 2000; // spec §2.5: 2 s on the SQLite path
    static constexpr int kServerTimeoutMs = 5000; // 5 s on the server path
    // An export of every row (page size 0) reads tens of thousands of rows on purpose: a screen's 2 s would
    // leave its enrichments unavailable, so it gets a minute.
    static constexpr int kEveryRowTimeoutMs = 60000;
    static int timeoutFor(qint64 pageSize) { return pageSize == 0 ? kEveryRowTimeoutMs : kSqliteTimeoutMs; }

    // Milliseconds from any fixed origin that never goes backwards.
    using Clock = std::function<qint64()>;

    class Deadline {
    public:
        Deadline(qint64 at, Clock clock) : m_at(at), m_clock(std::move(clock)) {}
        bool passed() const { return m_clock() > m_at; }
        qint64 remainingMs() const { return std::max<qint64>(0, m_at - m_clock()); }

    private:
        qint64 m_at;
        Clock m_clock;
    };

    using Step = std::function<Status(const Deadline&)>;

    explicit EnrichmentRunner(const QString& section, int timeoutMs = kSqliteTimeoutMs, Clock clock = {});

    // The workspace connection the steps query: a statement still running at a step's deadline is
    // interrupted there (SqliteDeadline), so a slow enrichment costs its timeout, not its whole run.
    void interruptOn(const QSqlDatabase& db) { m_db = db; }

    // True when the core succeeded in time (use its rows); false makes the section an error.
    bool runCore(const QString& name, const Step& step);
    // True when the enrichment succeeded in time (apply its fields); false marks fields unavailable. Skipped
    // (false, nothing recorded) once the core has failed: there are no rows to enrich.
    bool runEnrichment(const QString& name, const QStringList& fields, const Step& step);

    const SectionOutcome& outcome() const { return m_outcome; }
    SectionOutcome& outcome() { return m_outcome; }

private:
    // The failure's reason, or nothing when the step succeeded in time.
    std::optional<std::pair<QString, bool>> run(const QString& name, const Step& step);

    QString m_section;
    int m_timeoutMs;
    Clock m_clock;
    QSqlDatabase m_db;
    SectionOutcome m_outcome;
};

} // namespace riskdesk
