#include "BoardChart.h"

#include "MoneyFormat.h"
#include "ShareRounding.h"

#include <QDate>
#include <algorithm>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

struct Extreme {
    qint64 value = 0;
    qsizetype series = -1;
    qsizetype category = -1;
};

QString labelOf(const QString& raw, const QLocale& locale) {
    const QDate date = raw.size() == 10 ? QDate::fromString(raw, Qt::ISODate) : QDate();
    if (!date.isValid())
        return raw;
    // Spec §2.6: chart axes show "5月31日" in Chinese and "May 31" elsewhere.
    if (locale.language() == QLocale::Chinese)
        return u"%1月%2日"_s.arg(date.month()).arg(date.day());
    return locale.toString(date, u"MMM d"_s);
}

} // namespace

QString BoardChart::categoryLabel(qsizetype index, const QLocale& locale) const {
    return labelOf(categories.value(index), locale);
}

qsizetype BoardChart::positions() const {
    if (kind == Kind::Line && previous)
        return std::max(categories.size(), previous->first + previous->values.size());
    return categories.size();
}

QString BoardChart::valueText(qint64 value, const QLocale& locale) const {
    return BoardValue::ofSum(value).display(unit, locale);
}

QString BoardChart::axisText(qint64 value, const QLocale& locale) const {
    return unit == ValueUnit::Fen ? MoneyFormat::compact(value, locale) : valueText(value, locale);
}

QString BoardChart::pointText(qsizetype s, qsizetype c, const QLocale& locale) const {
    const Series* line =
        s >= 0 && s < series.size() ? &series.at(s) : (s == -1 && previous ? &*previous : nullptr);
    const std::optional<qint64> at = line ? line->at(c) : std::nullopt;
    if (!at)
        return {};
    const QString value = valueText(*at, locale);
    if (kind == Kind::Donut) {
        const auto shares = ShareRounding::tenthsOfPercent(line->values);
        const QString share = shares ? ShareRounding::percentText(shares.value().value(c)) : QString();
        return tr("%1: %2 (%3)", "donut slice: category, value, share")
            .arg(categoryLabel(c, locale), value, share);
    }
    if (kind == Kind::HeatMap)
        return tr("%1 %2:00: %3", "heat map cell: weekday, hour, value")
            .arg(line->name, categories.value(c), value);
    const QString category = s == -1 && c < previousCategories.size()
                                 ? labelOf(previousCategories.at(c), locale)
                                 : categoryLabel(c, locale);
    return tr("%1 · %2: %3", "chart point: series, category, value").arg(line->name, category, value);
}

QList<qint64> BoardChart::allValues() const {
    QList<qint64> out;
    for (const Series& s : series)
        out << s.values;
    return out;
}

bool BoardChart::isEmpty() const {
    return categories.isEmpty() || allValues().isEmpty();
}

QString BoardChart::description(const QLocale& locale) const {
    QString kindText;
    switch (kind) {
    case Kind::Line:
        kindText = previous ? tr("Line chart with the previous period dashed") : tr("Line chart");
        break;
    case Kind::Bar:
        kindText = tr("Bar chart");
        break;
    case Kind::StackedBar:
        kindText = tr("Stacked bar chart");
        break;
    case Kind::Donut:
        kindText = tr("Donut chart");
        break;
    case Kind::HeatMap:
        kindText = tr("Heat map");
        break;
    case Kind::Sparkline:
        kindText = tr("Sparkline");
        break;
    }
    QStringList parts{tr("%1: %2.").arg(kindText, title)};
    if (isEmpty()) {
        parts << tr("No data.");
        return parts.join(u' ');
    }
    QStringList names;
    for (const Series& s : series)
        names << s.name;
    if (kind == Kind::HeatMap)
        parts << tr("%1 rows by %2 columns.").arg(series.size()).arg(categories.size());
    else
        parts << tr("%n categories", nullptr, int(categories.size())) + u". "_s +
                     tr("Series: %1.").arg(names.join(u", "_s));
    Extreme hi, lo;
    __int128 total = 0;
    for (qsizetype s = 0; s < series.size(); ++s)
        for (qsizetype k = 0; k < series.at(s).values.size(); ++k) {
            const qint64 v = series.at(s).values.at(k);
            const qsizetype c = series.at(s).first + k;
            total += v;
            if (hi.series < 0 || v > hi.value)
                hi = {v, s, c};
            if (lo.series < 0 || v < lo.value)
                lo = {v, s, c};
        }
    parts << tr("Highest: %1.").arg(pointText(hi.series, hi.category, locale));
    parts << tr("Lowest: %1.").arg(pointText(lo.series, lo.category, locale));
    // A sum of durations or shares means nothing; totals are for money and counts.
    if ((unit == ValueUnit::Fen || unit == ValueUnit::Count) && total >= std::numeric_limits<qint64>::min() &&
        total <= std::numeric_limits<qint64>::max())
        parts << tr("Total: %1.").arg(valueText(qint64(total), locale));
    if (previous && !previous->values.isEmpty()) {
        __int128 before = 0;
        for (qint64 v : previous->values)
            before += v;
        if (before >= std::numeric_limits<qint64>::min() && before <= std::numeric_limits<qint64>::max())
            parts << tr("Previous period total: %1.").arg(valueText(qint64(before), locale));
    }
    return parts.join(u' ');
}

QList<QStringList> BoardChart::asTable(const QLocale& locale) const {
    QList<QStringList> rows;
    if (kind == Kind::HeatMap) {
        QStringList header{QString()};
        for (qsizetype c = 0; c < categories.size(); ++c)
            header << categoryLabel(c, locale);
        rows << header;
        for (const Series& s : series) {
            QStringList row{s.name};
            for (qint64 v : s.values)
                row << valueText(v, locale);
            rows << row;
        }
        return rows;
    }
    QStringList header{categoryName.isEmpty() ? tr("Category") : categoryName};
    for (const Series& s : series)
        header << s.name;
    if (previous)
        header << previous->name;
    const auto shares = kind == Kind::Donut && !series.isEmpty()
                            ? ShareRounding::tenthsOfPercent(series.first().values)
                            : Result<QList<qint64>>(QList<qint64>());
    if (kind == Kind::Donut)
        header << tr("Share");
    rows << header;
    for (qsizetype c = 0; c < positions(); ++c) {
        // A day only the longer previous period has is named by its own date.
        QStringList row{c < categories.size() ? categoryLabel(c, locale)
                                              : labelOf(previousCategories.value(c), locale)};
        for (const Series& s : series)
            row << (s.at(c) ? valueText(*s.at(c), locale) : QString());
        if (previous)
            row << (previous->at(c) ? valueText(*previous->at(c), locale) : QString());
        if (kind == Kind::Donut)
            row << (shares && c < shares.value().size() ? ShareRounding::percentText(shares.value().at(c))
                                                        : QString());
        rows << row;
    }
    return rows;
}

QString BoardChart::kindKey(Kind kind) {
    switch (kind) {
    case Kind::Line:
        return u"line"_s;
    case Kind::Bar:
        return u"bar"_s;
    case Kind::StackedBar:
        return u"stacked_bar"_s;
    case Kind::Donut:
        return u"donut"_s;
    case Kind::HeatMap:
        return u"heat_map"_s;
    case Kind::Sparkline:
        return u"sparkline"_s;
    }
    return {};
}

} // namespace riskdesk
