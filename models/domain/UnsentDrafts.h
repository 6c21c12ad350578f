#pragma once

#include <QHash>
#include <QString>

namespace riskdesk {

// Text a person typed for an exception and has not stored yet (a rejection reason, a comment), kept per
// tenant and exception in memory only, so that closing a dialog or moving to another row loses nothing.
// Blank text is never kept. Whoever signs in next must not read it: the owner clears it on a change of user.
class UnsentDrafts {
public:
    static QString key(const QString& tenantId, const QString& recordId);

    // Keeps `text` under `key`; blank text (TextRules::isBlank) removes what was kept.
    void keep(const QString& key, const QString& text);
    QString value(const QString& key) const { return m_texts.value(key); }
    QString take(const QString& key) { return m_texts.take(key); }
    void remove(const QString& key) { m_texts.remove(key); }
    // Removes the draft only if it is still the text that was stored: one typed since then stays.
    void removeIfStill(const QString& key, const QString& storedText);
    int count() const { return int(m_texts.size()); }
    void clear() { m_texts.clear(); }

private:
    QHash<QString, QString> m_texts;
};

} // namespace riskdesk
