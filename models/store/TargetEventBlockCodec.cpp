#include "TargetEventBlockCodec.h"

#include "TargetEventBlock.h"

#include <QHash>
#include <QtEndian>
#include <algorithm>
#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr quint8 kTransaction = TargetEventBlock::kTransaction, kAssessed = TargetEventBlock::kAssessed;

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
    TargetEventBlock parsed;
    if (Status s = parsed.parse(block); !s)
        return s;
    // Every text, so that a stored number that is not its text's is damage here even where no event reads it.
    for (qsizetype i = 0; i < parsed.textCount(); ++i)
        if (const auto t = parsed.text(quint32(i)); !t)
            return t.problem();
    const size_t before = out.size();
    // Geometric growth: a history read block after block must not move its earlier events for every block.
    if (const size_t needed = before + parsed.events().size(); out.capacity() < needed)
        out.reserve(std::max(needed, out.capacity() * 2));
    for (qsizetype i = 0; i < qsizetype(parsed.events().size()); ++i) {
        auto e = parsed.event(i);
        if (!e) {
            out.resize(before);
            return e.problem();
        }
        out.push_back(std::move(e).value());
    }
    return success();
}

} // namespace riskdesk
