#include "FlowWording.h"

#include <QJsonArray>
#include <QStringList>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QStringList listedTexts(const QJsonValue& v) {
    QStringList out;
    for (const QJsonValue& item : v.toArray()) {
        const QString text = item.isString()   ? item.toString().trimmed()
                             : item.isDouble() ? QString::number(item.toDouble())
                                               : QString();
        if (!text.isEmpty())
            out << text;
    }
    return out;
}

QString scalarText(const QJsonValue& v) {
    if (v.isString())
        return v.toString().trimmed();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    return {};
}

QString wrapPart(const QJsonValue& part) {
    const QString text = FlowWording::hitLogic(part);
    return part.isObject() && !text.isEmpty() ? u"("_s + text + u")"_s : text;
}

} // namespace

QString FlowWording::listSeparator() {
    return tr(", ", "between the items of a list of fields or keywords");
}

QString FlowWording::fieldGroup(const QJsonValue& keys, const QHash<QString, QString>& labelByKey) {
    const QStringList list = listedTexts(keys);
    if (list.isEmpty())
        return tr("field set");
    QStringList labels;
    for (const QString& key : list.mid(0, 3))
        labels << labelByKey.value(key, key);
    return labels.join(listSeparator());
}

QString FlowWording::condition(const QJsonObject& c, const QHash<QString, QString>& labelByKey, int index) {
    const QString op = c.value(u"operator"_s).toString().trimmed();
    QString id = scalarText(c.value(u"id"_s));
    if (id.isEmpty())
        id = u"C%1"_s.arg(index);
    const QString prefix = id + u": "_s;
    auto group = [&](const char* name) { return fieldGroup(c.value(QLatin1StringView(name)), labelByKey); };

    if (op == u"not_in_scope" || op == u"not_in_set" || op == u"not_overlap")
        return prefix + u"%1 ∩ %2 = ∅"_s.arg(group("left_fields"), group("right_fields"));
    if (op == u"in_scope" || op == u"overlap")
        return prefix + u"%1 ∩ %2 ≠ ∅"_s.arg(group("left_fields"), group("right_fields"));
    if (op == u"route_city_consistency") {
        // The evaluator's own keys (left_group / right_group), or the generic ones.
        auto cities = [&](const char* groupKey, const char* fieldsKey) {
            const QJsonValue named = c.value(QLatin1StringView(groupKey));
            return fieldGroup(listedTexts(named).isEmpty() ? c.value(QLatin1StringView(fieldsKey)) : named,
                              labelByKey);
        };
        return prefix + tr("%1 ∩ %2 = ∅ with no explanation, or a route city nothing explains")
                            .arg(cities("left_group", "left_fields"), cities("right_group", "right_fields"));
    }
    if (op == u"date_outside_range")
        return prefix +
               tr("%1 not in [%2, %3]")
                   .arg(group("date_fields"), group("range_start_fields"), group("range_end_fields"));
    if (op == u"numeric_compare") {
        const QJsonValue leftKeys = listedTexts(c.value(u"left_fields"_s)).isEmpty()
                                        ? c.value(u"fields"_s)
                                        : c.value(u"left_fields"_s);
        const QString left = fieldGroup(leftKeys, labelByKey);
        QString target =
            listedTexts(c.value(u"right_fields"_s)).isEmpty() ? QString() : group("right_fields");
        if (target.isEmpty())
            target = scalarText(c.value(u"threshold"_s));
        if (target.isEmpty())
            target = scalarText(c.value(u"value"_s));
        if (target.isEmpty())
            target = tr("threshold");
        // The engine's comparisons as a reader writes them (the reference showed its token, "GTE"); a
        // comparison the engine does not know keeps its token, so a wrong rule still shows what it says.
        static const QHash<QString, QString> symbols{{u"GT"_s, u">"_s}, {u"GTE"_s, u"≥"_s},
                                                     {u"LT"_s, u"<"_s}, {u"LTE"_s, u"≤"_s},
                                                     {u"EQ"_s, u"="_s}, {u"NE"_s, u"≠"_s}};
        // Read as the engine reads it (ConditionCompiler): absent is gt; anything else as written, not
        // trimmed.
        const QString compare = c.value(u"compare"_s).toString(u"gt"_s).toUpper();
        return prefix + u"%1 %2 %3"_s.arg(left, symbols.value(compare, compare), target);
    }
    if (op == u"duplicate_value")
        return prefix + tr("%1 has a repeated value").arg(group("fields"));
    if (op == u"contains_any" || op == u"not_contains_any") {
        QString keywords = listedTexts(c.value(u"keywords"_s)).mid(0, 4).join(listSeparator());
        if (keywords.isEmpty())
            keywords = tr("keywords");
        return prefix + (op == u"not_contains_any" ? tr("%1 does not contain %2") : tr("%1 contains %2"))
                            .arg(group("fields"), keywords);
    }
    if (op == u"exists_any")
        return prefix + tr("any of %1 has a value").arg(group("fields"));
    if (op == u"exists_all" || op == u"all_present")
        return prefix + tr("all of %1 have values").arg(group("fields"));
    const QString left = scalarText(c.value(u"left"_s)), right = scalarText(c.value(u"right"_s));
    if (!left.isEmpty() || !right.isEmpty())
        return prefix + u"%1 %2 %3"_s.arg(labelByKey.value(left, left), op.isEmpty() ? u"compare"_s : op,
                                          labelByKey.value(right, right));
    return prefix + (op.isEmpty() ? tr("rule condition") : op);
}

QString FlowWording::hitLogic(const QJsonValue& logic) {
    if (logic.isString())
        return logic.toString().trimmed();
    if (logic.isArray()) {
        QStringList parts;
        for (const QJsonValue& item : logic.toArray())
            if (const QString text = hitLogic(item); !text.isEmpty())
                parts << text;
        return parts.join(u" AND "_s);
    }
    if (!logic.isObject())
        return {};
    const QJsonObject o = logic.toObject();
    for (const auto& [key, joiner] : {std::pair{u"all"_s, u" AND "_s}, std::pair{u"any"_s, u" OR "_s}})
        if (o.value(key).isArray()) {
            QStringList parts;
            for (const QJsonValue& item : o.value(key).toArray())
                parts << wrapPart(item);
            return parts.join(joiner);
        }
    if (o.contains(u"not"_s))
        return u"NOT "_s + wrapPart(o.value(u"not"_s));
    return {};
}

} // namespace riskdesk
