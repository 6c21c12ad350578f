#include "RowBlock.h"

namespace riskdesk {

void RowBlock::addText(QByteArrayView utf8) {
    m_values.append(Value{Value::Text, m_bytes.size(), utf8.size()});
    m_bytes.append(utf8.isNull() ? QByteArrayView("", 0) : utf8);
}

void RowBlock::addInteger(qint64 value) {
    m_values.append(Value{Value::Integer, value, 0});
}

void RowBlock::addNull() {
    m_values.append(Value{});
}

void RowBlock::clear() {
    m_values.clear();  // keeps its capacity
    m_bytes.resize(0); // likewise, where clear() would free it
    m_rows = 0;
}

} // namespace riskdesk
