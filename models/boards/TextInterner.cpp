#include "TextInterner.h"

#include <QHash>
#include <cstring>

namespace riskdesk {

namespace {

// The texts are short ids and names: eight bytes at a time, multiplied and folded, seeded as Qt seeds its
// own hashes (so a crafted set of texts cannot be made to collide in every process).
size_t hashOf(QByteArrayView utf8) {
    quint64 h = quint64(qGlobalQHashSeed()) ^ (0x9E3779B97F4A7C15ull * quint64(utf8.size() + 1));
    const char* p = utf8.data();
    qsizetype n = utf8.size();
    for (; n >= 8; p += 8, n -= 8) {
        quint64 w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    if (n > 0) {
        quint64 w = 0;
        std::memcpy(&w, p, size_t(n));
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
        h ^= h >> 29;
    }
    return size_t(h);
}

} // namespace

// The slot holding the text, or the empty slot where it belongs (linear probing).
size_t TextInterner::slotOf(QByteArrayView utf8, size_t hash) const {
    const size_t mask = m_slots.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& s = m_slots[i];
        if (s.indexPlusOne == 0)
            return i;
        const QByteArray& b = m_bytes[s.indexPlusOne - 1];
        if (s.hash == hash && b.size() == utf8.size() &&
            std::memcmp(b.constData(), utf8.data(), size_t(b.size())) == 0)
            return i;
    }
}

void TextInterner::grow() {
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    const size_t mask = m_slots.size() - 1;
    for (const Slot& s : old) {
        if (s.indexPlusOne == 0)
            continue;
        size_t i = s.hash & mask;
        while (m_slots[i].indexPlusOne != 0)
            i = (i + 1) & mask;
        m_slots[i] = s;
    }
}

quint32 TextInterner::intern(QByteArrayView utf8) {
    if ((m_bytes.size() + 1) * 2 > m_slots.size())
        grow();
    const size_t hash = hashOf(utf8);
    Slot& s = m_slots[slotOf(utf8, hash)];
    if (s.indexPlusOne != 0)
        return s.indexPlusOne - 1;
    const auto index = quint32(m_bytes.size());
    m_bytes.push_back(utf8.toByteArray());
    m_texts.append(QString::fromUtf8(utf8));
    s = Slot{hash, index + 1};
    return index;
}

std::optional<quint32> TextInterner::find(QByteArrayView utf8) const {
    if (m_slots.empty())
        return std::nullopt;
    const Slot& s = m_slots[slotOf(utf8, hashOf(utf8))];
    if (s.indexPlusOne == 0)
        return std::nullopt;
    return s.indexPlusOne - 1;
}

} // namespace riskdesk
