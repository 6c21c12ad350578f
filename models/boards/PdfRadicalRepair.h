#pragma once

#include <QByteArray>

namespace riskdesk {

// Qt's PDF writer gives each embedded glyph the lowest code point its font draws with it (the ToUnicode
// map). Noto Sans CJK draws the Kangxi and supplement radicals with the same glyphs as their ideographs, so
// the text of a Chinese PDF copies and searches as "⻔店" and "数据截⾄", not "门店" and "数据截至". This
// puts the ideographs back in the PDF's ToUnicode maps.
class PdfRadicalRepair {
public:
    // The ideograph Noto Sans CJK SC draws with the radical's glyph, or 0 when radical is not such a code
    // point.
    static char16_t ideographOf(char16_t radical);
    // Replaces, in every uncompressed ToUnicode map of pdf, each radical a glyph maps to by its ideograph,
    // and returns how many it replaced. In place and byte for byte the same length, so the cross-reference
    // table stays true; the glyph codes and a run mapping consecutive glyphs to consecutive code points
    // (which would have to become a list) are left as they are.
    static int apply(QByteArray& pdf);
};

} // namespace riskdesk
