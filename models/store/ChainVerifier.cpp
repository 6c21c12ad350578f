#include "ChainVerifier.h"

#include "domain/LogActionText.h"

namespace riskdesk {

ChainVerifier::ChainVerifier(std::optional<ChainHead> remembered)
    : m_remembered(std::move(remembered)), m_rememberedSeen(!m_remembered || m_remembered->seq == 0) {
    m_result.head = ChainHead{0, ApprovalLogEntry::genesisHash()};
}

bool ChainVerifier::broken(qint64 seq, const QString& message) {
    m_result.intact = false;
    m_result.firstBrokenSeq = seq;
    m_result.message = message;
    return false;
}

// Names the entries that are missing between two that follow each other in the file: "entry 400 to 402",
// not "entry 400"; from the start there is no entry 0 to jump from (helper-92).
QString ChainVerifier::gap(qint64 before, qint64 next) {
    const qint64 first = before + 1, last = next - 1;
    if (next <= before)
        return ApprovalLogRepository::tr("Entry %1 follows entry %2: entries are repeated or out of order.")
            .arg(next)
            .arg(before);
    if (before == 0)
        return first == last
                   ? ApprovalLogRepository::tr("Entry 1 is missing: the log starts at entry 2.")
                   : ApprovalLogRepository::tr("Entries 1 to %1 are missing: the log starts at entry %2.")
                         .arg(last)
                         .arg(next);
    if (first == last)
        return ApprovalLogRepository::tr("Entry %1 is missing: the log jumps from entry %2 to entry %3.")
            .arg(first)
            .arg(before)
            .arg(next);
    return ApprovalLogRepository::tr("Entries %1 to %2 are missing: the log jumps from entry %3 to entry %4.")
        .arg(first)
        .arg(last)
        .arg(before)
        .arg(next);
}

bool ChainVerifier::add(const ApprovalLogEntry& e) {
    if (!m_result.intact)
        return false;
    const qint64 expected = m_result.head.seq + 1;
    if (e.seq != expected)
        return broken(expected, gap(m_result.head.seq, e.seq));
    if (e.prevHash != m_result.head.hash)
        return broken(e.seq,
                      ApprovalLogRepository::tr("Entry %1 does not link to entry %2: an entry was removed, "
                                                "inserted or moved here.")
                          .arg(e.seq)
                          .arg(m_result.head.seq));
    if (e.computeHash() != e.hash)
        return broken(e.seq,
                      ApprovalLogRepository::tr("Entry %1 (%2's decision on %3: %4) was altered after it was "
                                                "written.")
                          .arg(e.seq)
                          .arg(e.actorId, e.recordId, LogActionText::label(e.action)));
    if (m_remembered && m_remembered->seq == e.seq) {
        if (m_remembered->hash != e.hash)
            return broken(
                e.seq,
                ApprovalLogRepository::tr(
                    "The log was rewritten at or before entry %1: every entry links and matches its "
                    "hash, but entry %1 is not the one this desktop verified before, so an entry up to "
                    "it was changed and the hashes after it computed again. Which one cannot be told "
                    "from the log itself: compare it with a copy verified earlier.")
                    .arg(e.seq));
        m_rememberedSeen = true;
    }
    if (e.seq == 1)
        m_result.root = e.hash;
    m_result.head = ChainHead{e.seq, e.hash};
    ++m_result.entriesChecked;
    return true;
}

ChainVerification ChainVerifier::finish() {
    if (m_result.intact && !m_rememberedSeen)
        broken(
            m_result.head.seq + 1,
            ApprovalLogRepository::tr("The log ends at entry %1, but this desktop verified it up to entry %2 "
                                      "before: entries were removed from the end, or from anywhere before "
                                      "it with the rest renumbered and their hashes computed again.")
                .arg(m_result.head.seq)
                .arg(m_remembered->seq));
    if (m_result.intact)
        m_result.message =
            ApprovalLogRepository::tr("All %n entries are intact.", nullptr, int(m_result.entriesChecked));
    return m_result;
}

} // namespace riskdesk
