#include "BoardReport.h"

#include "CustomerDimensions.h"
#include "FinanceTrend.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

const BoardKpi* BoardReport::kpi(const QString& key) const {
    for (const BoardKpi& k : m_kpis)
        if (k.key == key)
            return &k;
    return nullptr;
}

const BoardTable* BoardReport::table(const QString& key) const {
    for (const BoardTable& t : m_tables)
        if (t.key() == key)
            return &t;
    return nullptr;
}

QString BoardReport::cellName(const QString& tableKey, const QString& columnKey,
                              const QVariant& rowId) const {
    if (tableKey.isEmpty()) {
        const BoardKpi* card = kpi(columnKey);
        return card ? card->label : columnKey;
    }
    const BoardTable* t = table(tableKey);
    if (!t)
        return tableKey + u':' + columnKey;
    QStringList parts{t->title()};
    const BoardTableRow* row = rowId.isNull() ? (t->totals() ? &*t->totals() : nullptr) : t->rowById(rowId);
    if (row && !row->cells.isEmpty() && !row->cells.first().text.isEmpty())
        parts << row->cells.first().text;
    else if (!rowId.isNull())
        parts << rowId.toString();
    const int column = t->columnIndex(columnKey);
    parts << (column >= 0 ? t->columns().at(column).label : columnKey);
    return parts.join(u" · "_s);
}

QJsonObject BoardReport::toJson() const {
    QJsonArray kpis;
    for (const BoardKpi& k : m_kpis) {
        QJsonObject o = k.value.toJson(k.unit);
        o.insert(u"key"_s, k.key);
        o.insert(u"label"_s, k.label);
        if (k.change)
            o.insert(u"change"_s, k.change->toJson());
        if (!k.previous.isEmpty())
            o.insert(u"previous"_s, k.previous);
        kpis.append(o);
    }
    QJsonArray tables;
    for (const BoardTable& t : m_tables)
        tables.append(t.toJson());
    QJsonObject o{{u"board"_s, m_board},
                  {u"title"_s, m_title},
                  {u"parameters"_s, m_parameters},
                  {u"kpis"_s, kpis},
                  {u"sections"_s, tables}};
    o.insert(u"dataThrough"_s, m_watermark.isValid() ? QJsonValue(m_watermark.toString(Qt::ISODate))
                                                     : QJsonValue(QJsonValue::Null));
    if (!m_badges.isEmpty())
        o.insert(u"badges"_s, QJsonArray::fromStringList(m_badges));
    return o;
}

QString BoardReport::toText(const QLocale& locale) const {
    QString out = u"# "_s + m_title + u'\n';
    // The resolved parameters a reader needs, labelled in their language; the rest is for JSON.
    const QList<std::pair<QString, QString>> labelled{{u"tenant"_s, tr("Tenant")},
                                                      {u"site"_s, tr("Site")},
                                                      {u"dimension"_s, tr("Dimension")},
                                                      {u"asOf"_s, tr("As of")},
                                                      {u"snapshot"_s, tr("Snapshot")},
                                                      {u"today"_s, tr("Today")},
                                                      {u"granularity"_s, tr("Trend by")},
                                                      {u"previousPeriod"_s, tr("Previous period")},
                                                      {u"previousAsOf"_s, tr("Compared with the queue at")}};
    const QStringList selfDescribing{u"period"_s, u"range"_s, u"comparison"_s, u"salaryComparison"_s};
    // Keys that name a choice are shown by its name in the reader's language (JSON keeps the key).
    const auto shown = [](const QString& key, const QString& value) {
        if (key == u"granularity"_s)
            return FinanceTrend::labelOfKey(value);
        if (key == u"dimension"_s)
            if (const auto d = CustomerDimensions::fromKey(value))
                return CustomerDimensions::title(*d);
        return value;
    };
    for (const auto& [key, label] : labelled)
        if (m_parameters.value(key).isString())
            out += label + u": "_s + shown(key, m_parameters.value(key).toString()) + u'\n';
    for (const QString& key : selfDescribing)
        if (m_parameters.value(key).isString())
            out += m_parameters.value(key).toString() + u'\n';
    if (!m_watermark.isValid() && m_board == u"riskops"_s) // the queue itself, not a daily load
        out += tr("Live figures of the workspace when this was made") + u'\n';
    else
        out += tr("Data loaded through: %1")
                   .arg(m_watermark.isValid() ? m_watermark.toString(Qt::ISODate) : QString(QChar(0x2014))) +
               u'\n';
    for (const QString& badge : m_badges)
        out += u"["_s + badge + u"]\n"_s;
    for (const BoardKpi& k : m_kpis) {
        out += k.label + u": "_s + k.value.display(k.unit, locale);
        if (k.change)
            out += u"  "_s + (k.change->arrow().isEmpty() ? QString() : k.change->arrow() + u' ') +
                   k.change->text();
        if (!k.comparison.isEmpty())
            out += u"  ("_s + k.comparison + u')';
        out += u'\n';
    }
    for (const BoardTable& t : m_tables)
        out += u'\n' + t.toText(locale);
    return out;
}

} // namespace riskdesk
