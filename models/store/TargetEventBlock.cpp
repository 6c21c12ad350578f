#include "TargetEventBlock.h"

#include "TargetEventBlockCodec.h"

#include <QVarLengthArray>
#include <QtEndian>
#include <cmath>
#include <cstring>

namespace riskdesk {

namespace {

// Reads a block front to back; every read says whether the bytes were there.
class BlockReader {
public:
    explicit BlockReader(QByteArrayView bytes)
        : m_at(reinterpret_cast<const quint8*>(bytes.data())), m_end(m_at + bytes.size()) {}

    qsizetype remaining() const { return m_end - m_at; }

    bool byte(quint8& v) {
        if (m_at == m_end)
            return false;
        v = *m_at++;
        return true;
    }

    bool varint(quint64& v) {
        v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_at == m_end)
                return false;
            const quint8 b = *m_at++;
            v |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80))
                return shift < 63 || b <= 1; // the tenth byte carries one bit at most
        }
        return false;
    }

    bool signedVarint(qint64& v) {
        quint64 u = 0;
        if (!varint(u))
            return false;
        v = qint64(u >> 1) ^ -qint64(u & 1);
        return true;
    }

    // An index below `count`.
    bool index(quint64 count, quint32& v) {
        quint64 u = 0;
        if (!varint(u) || u >= count)
            return false;
        v = quint32(u);
        return true;
    }

    bool real(double& v) {
        if (remaining() < 8)
            return false;
        const quint64 bits = qFromLittleEndian<quint64>(m_at);
        std::memcpy(&v, &bits, sizeof v);
        m_at += 8;
        return true;
    }

    bool bytes(qsizetype n, const char*& v) {
        if (n < 0 || n > remaining())
            return false;
        v = reinterpret_cast<const char*>(m_at);
        m_at += n;
        return true;
    }

private:
    const quint8* m_at;
    const quint8* m_end;
};

// What a text reads as (FactRecord::number). A plain integer of up to 15 digits without a leading zero, as
// most amounts are, is read here exactly (QString::toDouble gives the same double); anything else goes
// through QString::toDouble.
FactRecord::Number numberOf(const char* utf8, qsizetype size, const QString& text) {
    qsizetype at = size > 0 && utf8[0] == '-' ? 1 : 0;
    if (size - at >= 1 && size - at <= 15 && (utf8[at] != '0' || size - at == 1)) {
        qint64 v = 0;
        for (qsizetype i = at; i < size; ++i) {
            if (utf8[i] < '0' || utf8[i] > '9')
                return FactRecord::number(text);
            v = v * 10 + (utf8[i] - '0');
        }
        if (at == 0 || v != 0) // "-0" is the double -0.0
            return FactRecord::Number{double(at ? -v : v), true};
    }
    return FactRecord::number(text);
}

} // namespace

Status TargetEventBlock::parse(QByteArrayView block) {
    using Codec = TargetEventBlockCodec;
    m_textAt.clear();
    m_listStart.clear();
    m_listTexts.clear();
    m_events.clear();
    m_facts.clear();
    BlockReader r(block);
    quint8 version = 0;
    if (!r.byte(version))
        return Codec::damaged(TargetEventBlockCodec::tr("is empty"));
    if (version != Codec::kVersion)
        return Codec::damaged(
            TargetEventBlockCodec::tr("has format version %1; this Riskdesk reads version %2")
                .arg(version)
                .arg(Codec::kVersion));
    // Every count is checked against the bytes left and the smallest size of what it counts (an event takes
    // at least 5 bytes, a text or a fact 2, a list 1), and a block never holds more than kEventsPerBlock
    // events, so a damaged count never reserves much memory.
    quint64 eventCount = 0, textCount = 0, listCount = 0;
    if (!r.varint(eventCount) || eventCount > quint64(Codec::kEventsPerBlock) ||
        eventCount * 5 > quint64(r.remaining()))
        return Codec::damaged(TargetEventBlockCodec::tr("claims more events than it holds"));
    if (!r.varint(textCount) || textCount > quint64(r.remaining()) / 2)
        return Codec::damaged(TargetEventBlockCodec::tr("claims more texts than it holds"));
    m_textAt.reserve(size_t(textCount));
    for (quint64 i = 0; i < textCount; ++i) {
        quint64 length = 0;
        TextAt t;
        quint8 isNumber = 0;
        if (!r.varint(length) || length > quint64(r.remaining()) || !r.bytes(qsizetype(length), t.utf8) ||
            !r.byte(isNumber) || isNumber > 1 || (isNumber && !r.real(t.number.value)))
            return Codec::damaged(TargetEventBlockCodec::tr("ends inside its texts"));
        t.size = qsizetype(length);
        t.number.isNumber = isNumber;
        m_textAt.push_back(t);
    }
    m_texts.assign(size_t(textCount), QString());
    m_textMade.assign(size_t(textCount), 0);
    if (!r.varint(listCount) || listCount > quint64(r.remaining()))
        return Codec::damaged(TargetEventBlockCodec::tr("claims more value lists than it holds"));
    m_listStart.reserve(size_t(listCount) + 1);
    for (quint64 i = 0; i < listCount; ++i) {
        quint64 n = 0;
        if (!r.varint(n) || n > quint64(r.remaining()))
            return Codec::damaged(TargetEventBlockCodec::tr("ends inside its value lists"));
        m_listStart.push_back(quint32(m_listTexts.size()));
        for (quint64 k = 0; k < n; ++k) {
            quint32 s = 0;
            if (!r.index(textCount, s))
                return Codec::damaged(TargetEventBlockCodec::tr("names a text it does not hold"));
            m_listTexts.push_back(s);
        }
    }
    m_listStart.push_back(quint32(m_listTexts.size()));
    m_lists.assign(size_t(listCount), FactRecord::Field());
    m_listMade.assign(size_t(listCount), 0);

    m_events.reserve(size_t(eventCount));
    for (quint64 i = 0; i < eventCount; ++i) {
        Event e;
        if (!r.signedVarint(e.occurredAtMs) || !r.index(textCount, e.id) || !r.byte(e.flags) ||
            !r.signedVarint(e.amountCents))
            return Codec::damaged(TargetEventBlockCodec::tr("ends inside event %1").arg(i + 1));
        if (e.flags & ~(kTransaction | kAssessed))
            return Codec::damaged(TargetEventBlockCodec::tr("has unknown flags on event %1").arg(i + 1));
        if ((e.flags & kAssessed) && (!r.real(e.riskScore) || !r.index(textCount, e.level) ||
                                      !r.index(textCount, e.decision) || !r.index(listCount, e.reasons)))
            return Codec::damaged(
                TargetEventBlockCodec::tr("ends inside the assessment of event %1").arg(i + 1));
        quint64 factCount = 0;
        if (!r.varint(factCount) || factCount > quint64(r.remaining()) / 2)
            return Codec::damaged(TargetEventBlockCodec::tr("ends inside the facts of event %1").arg(i + 1));
        e.firstFact = quint32(m_facts.size());
        e.factCount = quint32(factCount);
        // Keys strictly ascending. Events mostly name the same keys as the one before, whose order is known
        // already: only a key that differs from the previous event's at its place is compared as text.
        const Event* previous = m_events.empty() ? nullptr : &m_events.back();
        bool asPrevious = previous != nullptr;
        for (quint64 k = 0; k < factCount; ++k) {
            Fact f;
            if (!r.index(textCount, f.key) || !r.index(listCount, f.list))
                return Codec::damaged(
                    TargetEventBlockCodec::tr("ends inside the facts of event %1").arg(i + 1));
            asPrevious =
                asPrevious && k < previous->factCount && m_facts[previous->firstFact + k].key == f.key;
            if (k > 0 && !asPrevious) {
                const auto before = text(m_facts.back().key), key = text(f.key);
                if (!before)
                    return before.problem();
                if (!key)
                    return key.problem();
                if (!(*before.value() < *key.value()))
                    return Codec::damaged(
                        TargetEventBlockCodec::tr("has the facts of event %1 out of order").arg(i + 1));
            }
            m_facts.push_back(f);
        }
        m_events.push_back(e);
    }
    if (r.remaining() != 0)
        return Codec::damaged(
            TargetEventBlockCodec::tr("goes on after its last event (%1 more bytes)").arg(r.remaining()));
    return success();
}

QByteArrayView TargetEventBlock::utf8(quint32 text) const {
    const TextAt& t = m_textAt[text];
    return QByteArrayView(t.utf8, t.size);
}

Result<const QString*> TargetEventBlock::text(quint32 index) {
    QString& text = m_texts[index];
    if (m_textMade[index])
        return &text;
    const TextAt& at = m_textAt[index];
    text = QString::fromUtf8(at.utf8, at.size);
    // The stored number spares a parse per event, not per block: a damaged flag or value would otherwise
    // compare a fact as the wrong number (or as text) without a word.
    const FactRecord::Number parsed = numberOf(at.utf8, at.size, text);
    if (parsed.isNumber != at.number.isNumber ||
        (at.number.isNumber && std::memcmp(&parsed.value, &at.number.value, sizeof parsed.value) != 0 &&
         !(std::isnan(parsed.value) && std::isnan(at.number.value))))
        return TargetEventBlockCodec::damaged(
            TargetEventBlockCodec::tr("keeps a number that is not its text's"));
    m_textMade[index] = 1;
    return &text;
}

Result<const FactRecord::Field*> TargetEventBlock::list(quint32 index) {
    FactRecord::Field& field = m_lists[index];
    if (m_listMade[index])
        return &field;
    QStringList values;
    QVarLengthArray<FactRecord::Number, 8> numbers;
    values.reserve(qsizetype(m_listStart[index + 1] - m_listStart[index]));
    for (quint32 i = m_listStart[index]; i < m_listStart[index + 1]; ++i) {
        const auto t = text(m_listTexts[i]);
        if (!t)
            return t.problem();
        values.append(*t.value());
        numbers.append(m_textAt[m_listTexts[i]].number);
    }
    field = FactRecord::makeField({}, std::move(values), numbers.constData());
    m_listMade[index] = 1;
    return &field;
}

Result<TargetEvent> TargetEventBlock::event(qsizetype index) {
    const Event& at = m_events[size_t(index)];
    TargetEvent e;
    e.occurredAtMs = at.occurredAtMs;
    e.amountCents = at.amountCents;
    e.kind = at.flags & kTransaction ? TargetEvent::Kind::Transaction : TargetEvent::Kind::Case;
    const auto id = text(at.id);
    if (!id)
        return id.problem();
    e.eventId = *id.value();
    if (at.flags & kAssessed) {
        EventAssessment a;
        a.riskScore = at.riskScore;
        const auto level = text(at.level), decision = text(at.decision);
        const auto reasons = list(at.reasons);
        if (!level)
            return level.problem();
        if (!decision)
            return decision.problem();
        if (!reasons)
            return reasons.problem();
        a.riskLevel = *level.value();
        a.decision = *decision.value();
        a.reasons = reasons.value()->values;
        e.assessment = std::move(a);
    }
    std::vector<FactRecord::Field> fields;
    fields.reserve(at.factCount);
    for (const Fact& f : facts(at)) {
        const auto key = text(f.key);
        if (!key)
            return key.problem();
        const auto values = list(f.list);
        if (!values)
            return values.problem();
        fields.push_back(*values.value());
        fields.back().key = *key.value();
    }
    e.facts = FactRecord::fromSortedFields(std::move(fields));
    return e;
}

} // namespace riskdesk
