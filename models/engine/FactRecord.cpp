#include "FactRecord.h"

#include <QJsonArray>
#include <QVarLengthArray>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// A scalar as the rules read it: numbers in full precision, true as "true", false and null as nothing.
QString scalarText(const QJsonValue& v) {
    if (v.isString())
        return v.toString().trimmed();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    if (v.isBool() && v.toBool())
        return u"true"_s;
    return {};
}

QStringList valuesOf(const QJsonValue& v) {
    QStringList out;
    const QJsonArray items = v.isArray() ? v.toArray() : QJsonArray{v};
    for (const QJsonValue& item : items)
        if (QString text = scalarText(item); !text.isEmpty())
            out << std::move(text);
    return out;
}

} // namespace

FactRecord FactRecord::fromJson(const QJsonObject& record) {
    FactRecord out;
    out.flatten({}, record);
    // A flat key such as "claim.location" wins over the same path through nested objects.
    for (auto it = record.begin(); it != record.end(); ++it)
        if (it.key().contains(u'.'))
            out.insert(it.key(), valuesOf(it.value()));
    return out;
}

void FactRecord::flatten(const QString& prefix, const QJsonObject& object) {
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + u'.' + it.key();
        insert(key, valuesOf(it.value()));
        if (it.value().isObject())
            flatten(key, it.value().toObject());
    }
}

FactRecord::Number FactRecord::number(const QString& value) {
    Number n;
    n.value = value.toDouble(&n.isNumber);
    return n;
}

FactRecord::Field FactRecord::makeField(QString key, QStringList cleanValues) {
    QVarLengthArray<Number, 8> numbers;
    for (const QString& v : cleanValues)
        numbers.append(number(v));
    return makeField(std::move(key), std::move(cleanValues), numbers.constData());
}

FactRecord::Field FactRecord::makeField(QString key, QStringList cleanValues, const Number* numbers) {
    Field field{std::move(key), std::move(cleanValues)};
    for (qsizetype i = 0; i < field.values.size(); ++i) {
        const Number n = numbers[i];
        field.sum += n.value;
        field.allNumbers = field.allNumbers && n.isNumber;
        if (i == 0) {
            field.first = n.value;
            field.firstIsNumber = n.isNumber;
        }
    }
    return field;
}

FactRecord FactRecord::fromSortedFields(std::vector<Field> fields) {
    FactRecord out;
    out.m_fields = std::move(fields);
    return out;
}

void FactRecord::insert(const QString& key, const QStringList& values) {
    QStringList clean;
    for (const QString& v : values)
        if (QString t = v.trimmed(); !t.isEmpty())
            clean << std::move(t);
    Field field = makeField(key, std::move(clean));
    auto at = std::lower_bound(m_fields.begin(), m_fields.end(), key,
                               [](const Field& f, const QString& k) { return f.key < k; });
    if (at != m_fields.end() && at->key == key)
        *at = std::move(field);
    else
        m_fields.insert(at, std::move(field));
}

QJsonObject FactRecord::toJson() const {
    QJsonObject out;
    for (const Field& f : m_fields)
        out.insert(f.key, f.values.size() == 1 ? QJsonValue(f.values.first())
                                               : QJsonValue(QJsonArray::fromStringList(f.values)));
    return out;
}

const FactRecord::Field* FactRecord::field(QStringView key) const {
    auto at = std::lower_bound(m_fields.begin(), m_fields.end(), key,
                               [](const Field& f, QStringView k) { return QStringView(f.key) < k; });
    return at != m_fields.end() && at->key == key ? &*at : nullptr;
}

const QStringList* FactRecord::find(QStringView key) const {
    const Field* f = field(key);
    return f ? &f->values : nullptr;
}

} // namespace riskdesk
