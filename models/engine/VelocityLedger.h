#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

namespace riskdesk {

// A user's counters before the transaction being assessed.
struct VelocityCounters {
    qint64 dailyCount = 0;
    qint64 dailyAmountCents = 0;
    qint64 hourlyCount = 0;
};

// Per-user transaction counts and amounts for the current calendar day and hour (UTC), as the reference
// keeps them in Redis, but exact: a counter belongs to its day or hour, not to a key that expires 24 hours
// after it was last written. Constant time per transaction; only the latest day and hour are kept.
class VelocityLedger {
public:
    struct Entry {
        qint64 day = -1; // days since the epoch
        qint64 dayCount = 0;
        qint64 dayAmountCents = 0;
        qint64 hour = -1; // hours since the epoch
        qint64 hourCount = 0;
        quint64 lastSequence = 0; // the user's latest assessment
        bool changed = false;     // since the last takeChanged()
    };

    static qint64 dayOf(qint64 ms) { return floorDiv(ms, 86400000); }
    static qint64 hourOf(qint64 ms) { return floorDiv(ms, 3600000); }

    // The counters a transaction at `at` sees: what was recorded earlier in the same day and hour.
    VelocityCounters before(const QString& userId, const QDateTime& at) const;
    // Adds a transaction. One from a day or hour before the latest one recorded for the user changes nothing:
    // the counters of earlier periods are not kept.
    void record(const QString& userId, const QDateTime& at, qint64 amountCents);
    // before() then record(), with one lookup: the engine's hot path.
    // sequence: the assessment's number, remembered as the user's latest.
    VelocityCounters beforeAndRecord(const QString& userId, qint64 atMs, qint64 amountCents,
                                     quint64 sequence = 0);
    // The users whose counters changed since the last call, with their entries; clears the marks.
    QList<std::pair<QString, Entry>> takeChanged();

    const QHash<QString, Entry>& entries() const { return m_entries; }
    void restore(const QString& userId, const Entry& entry) { m_entries.insert(userId, entry); }
    qsizetype size() const { return m_entries.size(); }

private:
    static VelocityCounters countersOf(const Entry& e, qint64 day, qint64 hour);
    static void add(Entry& e, qint64 day, qint64 hour, qint64 amountCents);
    static qint64 floorDiv(qint64 a, qint64 b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

    QHash<QString, Entry> m_entries;
};

} // namespace riskdesk
