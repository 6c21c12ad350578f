#include "StaticTextCache.h"

namespace riskdesk {

StaticTextCache& StaticTextCache::shared() {
    static StaticTextCache cache;
    return cache;
}

const QStaticText& StaticTextCache::text(const QString& text, const QFont& font) {
    auto byText = m_byFont.find(font);
    if (byText == m_byFont.end()) {
        if (m_byFont.size() >= 16) { // fonts come and go with zoom and bold totals: a few at a time
            m_byFont.clear();
            m_texts = 0;
        }
        byText = m_byFont.insert(font, {});
    }
    if (auto found = byText->constFind(text); found != byText->constEnd())
        return *found;
    if (m_texts >= kMaxTexts) {
        for (auto& texts : m_byFont)
            texts.clear();
        m_texts = 0;
    }
    QStaticText prepared(text);
    prepared.setTextFormat(Qt::PlainText);
    prepared.setPerformanceHint(QStaticText::AggressiveCaching);
    prepared.prepare(QTransform(), font);
    ++m_texts;
    return *byText->insert(text, prepared);
}

void StaticTextCache::clear() {
    m_byFont.clear();
    m_texts = 0;
}

qsizetype StaticTextCache::size() const {
    return m_texts;
}

} // namespace riskdesk
