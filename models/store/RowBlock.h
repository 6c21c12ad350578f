#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace riskdesk {

// Rows of values kept together for BatchedInsert: the text in one buffer, the values in one list. Plain data
// with no connection, so one thread can fill a block while another writes the previous one.
class RowBlock {
public:
    struct Value {
        enum Kind : quint8 { Null, Integer, Text } kind = Null;
        qint64 integer = 0; // the number, or the text's offset in bytes()
        qsizetype size = 0; // the text's length
    };

    // The next value of the current row, in column order.
    void addText(QByteArrayView utf8);
    void addInteger(qint64 value);
    void addNull();
    void endRow() { ++m_rows; }
    void clear();

    int rows() const { return m_rows; }
    const QList<Value>& values() const { return m_values; }
    QByteArrayView text(const Value& value) const {
        return {m_bytes.constData() + value.integer, value.size};
    }

private:
    QList<Value> m_values;
    QByteArray m_bytes;
    int m_rows = 0;
};

} // namespace riskdesk
