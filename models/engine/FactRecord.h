#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <vector>

namespace riskdesk {

// A case or transaction record reduced to what rule conditions read: each field key ("claim.location")
// with its values as trimmed, non-empty text. Nested objects become dotted keys; a key that is present with
// no usable value keeps an empty list, because "present but empty" and "absent" differ for the rules.
// Built once per record, so evaluating many rules or replaying many records never walks JSON again.
class FactRecord {
public:
    // One field, with its numbers read once: numeric conditions replay millions of records.
    struct Field {
        QString key;
        QStringList values;
        double sum = 0;         // of the values, when they are all numbers
        bool allNumbers = true; // vacuously true for no values
        double first = 0;       // the first value as a number, when it is one
        bool firstIsNumber = false;
    };

    static FactRecord fromJson(const QJsonObject& record);
    // A value read as a number (QString::toDouble: 0 and false when it is not one).
    struct Number {
        double value = 0;
        bool isNumber = false;
    };
    static Number number(const QString& value);
    // A field as insert() keeps it, from values already trimmed and non-empty, with its numbers read.
    static Field makeField(QString key, QStringList cleanValues);
    // The same from numbers read before, one per value (a stored record keeps them, so decoding parses none).
    static Field makeField(QString key, QStringList cleanValues, const Number* numbers);
    // A record from fields already made, as fields() gave them: keys must be strictly ascending (the caller
    // checks; a stored record decodes without re-sorting or re-reading its numbers).
    static FactRecord fromSortedFields(std::vector<Field> fields);

    // Sets a field (replacing any earlier value); values are trimmed and empties dropped.
    void insert(const QString& key, const QStringList& values);
    // The field's values, or nullptr when the record lacks the field.
    const QStringList* find(QStringView key) const;
    const Field* field(QStringView key) const;
    qsizetype size() const { return qsizetype(m_fields.size()); }
    // Every field, sorted by key.
    const std::vector<Field>& fields() const { return m_fields; }
    // Flat keys; one value as a string, several (or none) as an array. fromJson(toJson()) gives the record
    // back.
    QJsonObject toJson() const;

private:
    void flatten(const QString& prefix, const QJsonObject& object);

    std::vector<Field> m_fields; // sorted by key for binary search
};

} // namespace riskdesk
