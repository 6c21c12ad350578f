#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace riskdesk {

// Gives each distinct short text read from rows as UTF-8 (rule ids, target types, reasons, actors) a dense
// index and one QString. An open-addressing table over a hash of the bytes made for short texts: BOARD-4
// looks three texts up on each of hundreds of thousands of rows, and std::unordered_map (its string hash, a
// modulo by a prime, a node per entry) took 9 % of a request.
class TextInterner {
public:
    // The text's index, given it now when it is new.
    quint32 intern(QByteArrayView utf8);
    // The index of a text already interned.
    std::optional<quint32> find(QByteArrayView utf8) const;
    const QString& text(quint32 index) const { return m_texts.at(index); }
    qsizetype size() const { return m_texts.size(); }

private:
    struct Slot {
        size_t hash = 0;
        quint32 indexPlusOne = 0; // 0: empty
    };
    size_t slotOf(QByteArrayView utf8, size_t hash) const;
    void grow();

    std::vector<Slot> m_slots; // a power of two in size, at most half full
    std::vector<QByteArray> m_bytes;
    QStringList m_texts;
};

} // namespace riskdesk
