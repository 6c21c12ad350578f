#include "VelocityLedger.h"

#include "domain/Money.h"

namespace riskdesk {

VelocityCounters VelocityLedger::countersOf(const Entry& e, qint64 day, qint64 hour) {
    VelocityCounters c;
    if (e.day == day) {
        c.dailyCount = e.dayCount;
        c.dailyAmountCents = e.dayAmountCents;
    }
    if (e.hour == hour)
        c.hourlyCount = e.hourCount;
    return c;
}

void VelocityLedger::add(Entry& e, qint64 day, qint64 hour, qint64 amountCents) {
    if (day > e.day) {
        e.day = day;
        e.dayCount = 0;
        e.dayAmountCents = 0;
    }
    if (day == e.day) {
        e.dayCount += 1;
        e.dayAmountCents = Money::addCents(e.dayAmountCents, amountCents);
    }
    if (hour > e.hour) {
        e.hour = hour;
        e.hourCount = 0;
    }
    if (hour == e.hour)
        e.hourCount += 1;
    e.changed = true;
}

VelocityCounters VelocityLedger::before(const QString& userId, const QDateTime& at) const {
    const auto it = m_entries.constFind(userId);
    const qint64 ms = at.toMSecsSinceEpoch();
    return it == m_entries.cend() ? VelocityCounters{} : countersOf(*it, dayOf(ms), hourOf(ms));
}

void VelocityLedger::record(const QString& userId, const QDateTime& at, qint64 amountCents) {
    const qint64 ms = at.toMSecsSinceEpoch();
    add(m_entries[userId], dayOf(ms), hourOf(ms), amountCents);
}

VelocityCounters VelocityLedger::beforeAndRecord(const QString& userId, qint64 atMs, qint64 amountCents,
                                                 quint64 sequence) {
    const qint64 day = dayOf(atMs), hour = hourOf(atMs);
    Entry& e = m_entries[userId];
    const VelocityCounters before = countersOf(e, day, hour);
    add(e, day, hour, amountCents);
    if (sequence)
        e.lastSequence = sequence;
    return before;
}

QList<std::pair<QString, VelocityLedger::Entry>> VelocityLedger::takeChanged() {
    QList<std::pair<QString, Entry>> out;
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->changed) {
            it->changed = false;
            out.append({it.key(), *it});
        }
    }
    return out;
}

} // namespace riskdesk
