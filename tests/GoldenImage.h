#pragma once

#include <QImage>
#include <QtGlobal>

namespace riskdesk::test {

// The comparison of a drawing with its golden image, shared by the flow diagrams and the board charts.
// Tight on purpose: the goldens are drawn by the same code with the same fonts, so only a changed drawing (a
// word, a value, a colour) moves pixels, and it must fail.
class GoldenImage {
public:
    static constexpr int kShade = 24;       // a channel may differ by this much and still count as equal
    static constexpr qint64 kTolerance = 4; // pixels that may differ by more than kShade

    // Pixels that differ by more than kShade in any channel (images of the same size).
    static qint64 differingPixels(const QImage& a, const QImage& b);
    // Same size and at most kTolerance differing pixels.
    static bool matches(const QImage& a, const QImage& b);
};

} // namespace riskdesk::test
