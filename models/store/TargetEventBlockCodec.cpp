#include "TargetEventBlockCodec.h"

#include <QHash>
#include <QVarLengthArray>
#include <QtEndian>
#include <algorithm>
#include <cmath>
#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr quint8 kTransaction = 1, kAssessed = 2;

void putVarint(QByteArray& out, quint64 v) {
    while (v >= 0x80) {
        out.append(char(quint8(v) | 0x80));
        v >>= 7;
    }
    out.append(char(v));
}

void putSigned(QByteArray& out, qint64 v) {
    putVarint(out, (quint64(v) << 1) ^ quint64(v >> 63));
}

void putReal(QByteArray& out, double v) {
    quint64 bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    char le[8];
    qToLittleEndian(bits, le);
    out.append(le, 8);
}

// Gives each distinct string and each distinct list of strings one index in the block.
class BlockDictionary {
public:
    quint32 string(const QString& s) {
        auto it = m_strings.constFind(s);
        if (it != m_strings.cend())
            return it.value();
        const auto index = quint32(m_strings.size());
        m_strings.insert(s, index);
        const QByteArray utf8 = s.toUtf8();
        putVarint(m_stringBytes, quint64(utf8.size()));
        m_stringBytes.append(utf8);
        // The text read as a number, as a record reads it: decoding then parses no numbers.
        const FactRecord::Number n = FactRecord::number(s);
        m_stringBytes.append(char(n.isNumber ? 1 : 0));
        if (n.isNumber)
            putReal(m_stringBytes, n.value);
        return index;
    }

    quint32 list(const QStringList& values) {
        QByteArray key;
        putVarint(key, quint64(values.size()));
        for (const QString& v : values)
            putVarint(key, string(v));
        auto it = m_lists.constFind(key);
        if (it != m_lists.cend())
            return it.value();
        const auto index = quint32(m_lists.size());
        m_lists.insert(key, index);
        m_listBytes.append(key);
        return index;
    }

    void writeTo(QByteArray& out) const {
        putVarint(out, quint64(m_strings.size()));
        out.append(m_stringBytes);
        putVarint(out, quint64(m_lists.size()));
        out.append(m_listBytes);
    }

private:
    QHash<QString, quint32> m_strings;
    QHash<QByteArray, quint32> m_lists;
    QByteArray m_stringBytes, m_listBytes;
};

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

    bool bytes(qsizetype n, QByteArrayView& v) {
        if (n < 0 || n > remaining())
            return false;
        v = QByteArrayView(reinterpret_cast<const char*>(m_at), n);
        m_at += n;
        return true;
    }

private:
    const quint8* m_at;
    const quint8* m_end;
};

} // namespace

Problem TargetEventBlockCodec::damaged(const QString& what) {
    return Problem{u"workspace_damaged"_s,
                   tr("The workspace file is damaged (a stored block of a target's "
                      "events %1). Nothing was changed. Restore the file from a "
                      "backup, or create a new workspace and sync it from the server.")
                       .arg(what),
                   {}};
}

bool TargetEventBlockCodec::before(const TargetEvent& a, const TargetEvent& b) {
    if (a.occurredAtMs != b.occurredAtMs)
        return a.occurredAtMs < b.occurredAtMs;
    // UTF-16 orders surrogates (code points above U+FFFF) below U+E000..U+FFFF; UTF-8 and code points put
    // them above. Moving the two ranges gives code point order, which is UTF-8 byte order.
    auto rank = [](char16_t c) { return c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : int(c); };
    const qsizetype n = std::min(a.eventId.size(), b.eventId.size());
    for (qsizetype i = 0; i < n; ++i)
        if (a.eventId.at(i) != b.eventId.at(i))
            return rank(a.eventId.at(i).unicode()) < rank(b.eventId.at(i).unicode());
    return a.eventId.size() < b.eventId.size();
}

QByteArray TargetEventBlockCodec::encode(std::span<const TargetEvent* const> events) {
    BlockDictionary dictionary;
    QByteArray body;
    body.reserve(qsizetype(events.size()) * 32);
    for (const TargetEvent* e : events) {
        putSigned(body, e->occurredAtMs);
        putVarint(body, dictionary.string(e->eventId));
        const quint8 flags =
            (e->kind == TargetEvent::Kind::Transaction ? kTransaction : 0) | (e->assessment ? kAssessed : 0);
        body.append(char(flags));
        putSigned(body, e->amountCents);
        if (e->assessment) {
            putReal(body, e->assessment->riskScore);
            putVarint(body, dictionary.string(e->assessment->riskLevel));
            putVarint(body, dictionary.string(e->assessment->decision));
            putVarint(body, dictionary.list(e->assessment->reasons));
        }
        const std::vector<FactRecord::Field>& fields = e->facts.fields();
        putVarint(body, quint64(fields.size()));
        for (const FactRecord::Field& f : fields) {
            putVarint(body, dictionary.string(f.key));
            putVarint(body, dictionary.list(f.values));
        }
    }
    QByteArray out;
    out.append(char(kVersion));
    putVarint(out, quint64(events.size()));
    dictionary.writeTo(out);
    out.append(body);
    return out;
}

Status TargetEventBlockCodec::decode(QByteArrayView block, std::vector<TargetEvent>& out) {
    BlockReader r(block);
    quint8 version = 0;
    if (!r.byte(version))
        return damaged(tr("is empty"));
    if (version != kVersion)
        return damaged(
            tr("has format version %1; this Riskdesk reads version %2").arg(version).arg(kVersion));
    // Every count is checked against the bytes left and the smallest size of what it counts (an event takes
    // at least 5 bytes, a text or a fact 2, a list 1), and a block never holds more than kEventsPerBlock
    // events, so a damaged count never reserves much memory.
    quint64 eventCount = 0, stringCount = 0, listCount = 0;
    if (!r.varint(eventCount) || eventCount > quint64(kEventsPerBlock) ||
        eventCount * 5 > quint64(r.remaining()))
        return damaged(tr("claims more events than it holds"));
    if (!r.varint(stringCount) || stringCount > quint64(r.remaining()) / 2)
        return damaged(tr("claims more texts than it holds"));
    std::vector<QString> strings;
    std::vector<FactRecord::Number> numbers;
    strings.reserve(size_t(stringCount));
    numbers.reserve(size_t(stringCount));
    for (quint64 i = 0; i < stringCount; ++i) {
        quint64 length = 0;
        QByteArrayView utf8;
        quint8 isNumber = 0;
        FactRecord::Number n;
        if (!r.varint(length) || length > quint64(r.remaining()) || !r.bytes(qsizetype(length), utf8) ||
            !r.byte(isNumber) || isNumber > 1 || (isNumber && !r.real(n.value)))
            return damaged(tr("ends inside its texts"));
        n.isNumber = isNumber;
        QString text = QString::fromUtf8(utf8);
        // The stored number spares decoding a parse per event, not per block: a damaged flag or value would
        // otherwise compare a fact as the wrong number (or as text) without a word.
        const FactRecord::Number parsed = FactRecord::number(text);
        if (parsed.isNumber != n.isNumber ||
            (n.isNumber && std::memcmp(&parsed.value, &n.value, sizeof n.value) != 0 &&
             !(std::isnan(parsed.value) && std::isnan(n.value))))
            return damaged(tr("keeps a number that is not its text's"));
        strings.push_back(std::move(text));
        numbers.push_back(n);
    }
    if (!r.varint(listCount) || listCount > quint64(r.remaining()))
        return damaged(tr("claims more value lists than it holds"));
    // Each list once as the field it makes (numbers read once per block, not per event).
    std::vector<FactRecord::Field> lists;
    lists.reserve(size_t(listCount));
    for (quint64 i = 0; i < listCount; ++i) {
        quint64 n = 0;
        if (!r.varint(n) || n > quint64(r.remaining()))
            return damaged(tr("ends inside its value lists"));
        QStringList values;
        QVarLengthArray<FactRecord::Number, 8> valueNumbers;
        values.reserve(qsizetype(n));
        for (quint64 k = 0; k < n; ++k) {
            quint32 s = 0;
            if (!r.index(stringCount, s))
                return damaged(tr("names a text it does not hold"));
            values.append(strings[s]);
            valueNumbers.append(numbers[s]);
        }
        lists.push_back(FactRecord::makeField({}, std::move(values), valueNumbers.constData()));
    }

    const size_t before = out.size();
    auto fail = [&](const QString& what) {
        out.resize(before);
        return damaged(what);
    };
    // Geometric growth: a history read block after block must not move its earlier events for every block.
    if (const size_t needed = before + size_t(eventCount); out.capacity() < needed)
        out.reserve(std::max(needed, out.capacity() * 2));
    for (quint64 i = 0; i < eventCount; ++i) {
        TargetEvent e;
        quint32 id = 0;
        quint8 flags = 0;
        if (!r.signedVarint(e.occurredAtMs) || !r.index(stringCount, id) || !r.byte(flags) ||
            !r.signedVarint(e.amountCents))
            return fail(tr("ends inside event %1").arg(i + 1));
        if (flags & ~(kTransaction | kAssessed))
            return fail(tr("has unknown flags on event %1").arg(i + 1));
        e.eventId = strings[id];
        e.kind = flags & kTransaction ? TargetEvent::Kind::Transaction : TargetEvent::Kind::Case;
        if (flags & kAssessed) {
            EventAssessment a;
            quint32 level = 0, decision = 0, reasons = 0;
            if (!r.real(a.riskScore) || !r.index(stringCount, level) || !r.index(stringCount, decision) ||
                !r.index(listCount, reasons))
                return fail(tr("ends inside the assessment of event %1").arg(i + 1));
            a.riskLevel = strings[level];
            a.decision = strings[decision];
            a.reasons = lists[reasons].values;
            e.assessment = std::move(a);
        }
        quint64 fieldCount = 0;
        if (!r.varint(fieldCount) || fieldCount > quint64(r.remaining()) / 2)
            return fail(tr("ends inside the facts of event %1").arg(i + 1));
        std::vector<FactRecord::Field> fields;
        fields.reserve(size_t(fieldCount));
        for (quint64 k = 0; k < fieldCount; ++k) {
            quint32 key = 0, values = 0;
            if (!r.index(stringCount, key) || !r.index(listCount, values))
                return fail(tr("ends inside the facts of event %1").arg(i + 1));
            if (!fields.empty() && !(fields.back().key < strings[key]))
                return fail(tr("has the facts of event %1 out of order").arg(i + 1));
            fields.push_back(lists[values]);
            fields.back().key = strings[key];
        }
        e.facts = FactRecord::fromSortedFields(std::move(fields));
        out.push_back(std::move(e));
    }
    if (r.remaining() != 0)
        return fail(tr("goes on after its last event (%1 more bytes)").arg(r.remaining()));
    return success();
}

} // namespace riskdesk
