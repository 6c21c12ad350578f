#pragma once

#include <QFont>
#include <QHash>
#include <QStaticText>

namespace riskdesk {

// Cell texts laid out once and kept, by font, for the GUI thread: shaping a text (HarfBuzz, font fallback for
// CJK and emoji) is most of what painting a table costs, and a board shows the same names and figures again
// on every switch back to it. Bounded: when it holds too many texts it starts again empty.
class StaticTextCache {
public:
    // The one cache of the GUI thread.
    static StaticTextCache& shared();

    // The text prepared in this font (plain text, one line); the reference holds until the next call.
    const QStaticText& text(const QString& text, const QFont& font);
    // Its width in this font, as text() draws it.
    qreal width(const QString& text, const QFont& font) { return this->text(text, font).size().width(); }

    qsizetype size() const;
    void clear();

private:
    static constexpr qsizetype kMaxTexts = 50000;

    QHash<QFont, QHash<QString, QStaticText>> m_byFont;
    qsizetype m_texts = 0;
};

} // namespace riskdesk
