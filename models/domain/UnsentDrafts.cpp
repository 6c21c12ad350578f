#include "UnsentDrafts.h"

#include "TextRules.h"

namespace riskdesk {

QString UnsentDrafts::key(const QString& tenantId, const QString& recordId) {
    return tenantId + u'\x1f' + recordId; // a separator no tenant or record id holds
}

void UnsentDrafts::keep(const QString& key, const QString& text) {
    if (TextRules::isBlank(text))
        m_texts.remove(key);
    else
        m_texts.insert(key, text);
}

void UnsentDrafts::removeIfStill(const QString& key, const QString& storedText) {
    if (const auto it = m_texts.constFind(key); it != m_texts.cend() && *it == storedText)
        m_texts.remove(key);
}

} // namespace riskdesk
