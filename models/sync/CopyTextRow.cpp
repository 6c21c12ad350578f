#include "CopyTextRow.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// A non-null view of no bytes: an empty string, as opposed to NULL (a null view).
constexpr char kEmpty[] = "";

char unescaped(char c) {
    switch (c) {
    case 't':
        return '\t';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'v':
        return '\v';
    default:
        return c; // "\\" and any other escaped character stand for themselves
    }
}

} // namespace

bool CopyTextRow::split(QByteArrayView row, int columns) {
    m_fields.resize(columns);
    if (m_unescaped.size() < columns)
        m_unescaped.resize(columns);
    const char* p = row.data();
    const char* const end = p + row.size();
    for (int column = 0; column < columns; ++column) {
        if (column > 0) {
            if (p == end || *p != '\t')
                return false;
            ++p;
        }
        const char* start = p;
        while (p != end && *p != '\t' && *p != '\\')
            ++p;
        if (p == end || *p == '\t') {
            m_fields[column] = p == start ? QByteArrayView(kEmpty, 0) : QByteArrayView(start, p - start);
            continue;
        }
        if (p + 2 <= end && p[1] == 'N' && p == start && (p + 2 == end || p[2] == '\t')) {
            m_fields[column] = QByteArrayView();
            p += 2;
            continue;
        }
        // Escapes: copy the field out, unescaping as it goes.
        QByteArray& out = m_unescaped[column];
        out.resize(0);
        out.append(start, p - start);
        while (p != end && *p != '\t') {
            if (*p == '\\' && p + 1 != end) {
                out.append(unescaped(p[1]));
                p += 2;
            } else {
                out.append(*p++);
            }
        }
        m_fields[column] = QByteArrayView(out.constData(), out.size());
    }
    return p == end;
}

bool CopyTextRow::toInt64(int column, qint64& value) const {
    const QByteArrayView field = m_fields.at(column);
    if (field.isNull() || field.isEmpty())
        return false;
    bool ok = false;
    value = field.toLongLong(&ok);
    return ok;
}

QVariant CopyTextRow::toVariant(int column) const {
    const QByteArrayView field = m_fields.at(column);
    if (field.isNull())
        return {};
    return field.isEmpty() ? QString(u""_s) : QString::fromUtf8(field);
}

} // namespace riskdesk
