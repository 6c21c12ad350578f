#pragma once

#include "domain/Result.h"
#include "engine/TargetEvent.h"

#include <QByteArrayView>
#include <span>
#include <vector>

namespace riskdesk {

// One stored block of a target's events (TargetEventBlockCodec's layout) read in place. parse() checks the
// whole structure (version, counts, lengths, every index and flag, the facts' key order, nothing after the
// last event) and notes where each text, value list and event is; a text or a list is made only when asked
// for, once, and a text's stored number is checked against it then. The replay reads this way only the
// fields its rule needs, with no TargetEvent per event; TargetEventBlockCodec::decode makes them all.
// Its messages are TargetEventBlockCodec's (the same damage, worded once).
class TargetEventBlock {
public:
    static constexpr quint8 kTransaction = 1, kAssessed = 2;

    struct Event {
        qint64 occurredAtMs = 0;
        qint64 amountCents = 0;
        double riskScore = 0;
        quint32 id = 0, level = 0, decision = 0; // texts
        quint32 reasons = 0;                     // a value list
        quint32 firstFact = 0, factCount = 0;
        quint8 flags = 0;
    };
    struct Fact {
        quint32 key = 0;  // a text
        quint32 list = 0; // a value list
    };

    // Reads `block`, whose bytes must stay as they are while this object is used. A block that does not add
    // up is the Problem TargetEventBlockCodec::damaged makes.
    Status parse(QByteArrayView block);

    qsizetype textCount() const { return qsizetype(m_textAt.size()); }
    qsizetype listCount() const { return qsizetype(m_listStart.empty() ? 0 : m_listStart.size() - 1); }
    const std::vector<Event>& events() const { return m_events; }
    std::span<const Fact> facts(const Event& e) const {
        return std::span<const Fact>(m_facts).subspan(e.firstFact, e.factCount);
    }
    // A text's UTF-8 bytes as stored (the index is below textCount()).
    QByteArrayView utf8(quint32 text) const;
    // A text, made on first use; damage when the number stored with it is not what the text reads as.
    Result<const QString*> text(quint32 index);
    // A value list as the field it makes (no key; its numbers the stored ones), made on first use.
    Result<const FactRecord::Field*> list(quint32 index);
    // An event whole, as the codec decodes it.
    Result<TargetEvent> event(qsizetype index);

private:
    struct TextAt {
        const char* utf8 = nullptr;
        qsizetype size = 0;
        FactRecord::Number number;
    };

    std::vector<TextAt> m_textAt;
    std::vector<QString> m_texts;
    std::vector<quint8> m_textMade;
    std::vector<quint32> m_listStart; // list i's text indices are m_listTexts[start[i], start[i + 1])
    std::vector<quint32> m_listTexts;
    std::vector<FactRecord::Field> m_lists;
    std::vector<quint8> m_listMade;
    std::vector<Event> m_events;
    std::vector<Fact> m_facts;
};

} // namespace riskdesk
