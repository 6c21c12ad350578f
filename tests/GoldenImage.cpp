#include "GoldenImage.h"

#include <cstdlib>

namespace riskdesk::test {

qint64 GoldenImage::differingPixels(const QImage& a, const QImage& b) {
    const QImage x = a.convertToFormat(QImage::Format_ARGB32), y = b.convertToFormat(QImage::Format_ARGB32);
    qint64 differing = 0;
    for (int row = 0; row < x.height(); ++row) {
        const auto* p = reinterpret_cast<const QRgb*>(x.constScanLine(row));
        const auto* q = reinterpret_cast<const QRgb*>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col)
            if (std::abs(qRed(p[col]) - qRed(q[col])) > kShade ||
                std::abs(qGreen(p[col]) - qGreen(q[col])) > kShade ||
                std::abs(qBlue(p[col]) - qBlue(q[col])) > kShade)
                ++differing;
    }
    return differing;
}

bool GoldenImage::matches(const QImage& a, const QImage& b) {
    return a.size() == b.size() && differingPixels(a, b) <= kTolerance;
}

} // namespace riskdesk::test
