#include "ShareRounding.h"

#include "ExactSum.h"

#include <algorithm>
#include <numeric>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<QList<qint64>> ShareRounding::tenthsOfPercent(const QList<qint64>& parts) {
    return apportion(parts, 1000);
}

Result<QList<qint64>> ShareRounding::apportion(const QList<qint64>& parts, qint64 whole) {
    if (whole < 0 || whole > 1000000)
        return Problem{u"bad_whole"_s, tr("A share of %1 cannot be divided.").arg(whole), u"share"_s};
    ExactSum total;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (parts[i] < 0)
            return Problem{
                u"negative_part"_s,
                tr("Row %1 is negative (%2); shares need parts of zero or more.").arg(i + 1).arg(parts[i]),
                u"share"_s};
        total.add(parts[i]);
    }
    if (!total.value())
        return Problem{u"overflow"_s, tr("The parts are too large to add up exactly."), u"share"_s};
    const __int128 sum = *total.value();
    if (sum == 0)
        return Problem{u"zero_total"_s, tr("The parts add up to zero, so they have no shares."), u"share"_s};

    QList<qint64> shares(parts.size());
    QList<__int128> remainders(parts.size());
    qint64 given = 0;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const __int128 scaled = __int128(parts[i]) * whole; // exact: compares remainders in integers
        shares[i] = qint64(scaled / sum);
        remainders[i] = scaled % sum;
        given += shares[i];
    }
    QList<qsizetype> order(parts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](qsizetype a, qsizetype b) { return remainders[a] > remainders[b]; });
    for (qsizetype k = 0; given < whole; ++k, ++given)
        ++shares[order[k]];
    return shares;
}

QString ShareRounding::percentText(qint64 tenths) {
    const QString sign = tenths < 0 ? u"-"_s : QString();
    const qint64 m = tenths < 0 ? -tenths : tenths;
    return sign + QString::number(m / 10) + u'.' + QString::number(m % 10) + u'%';
}

} // namespace riskdesk
