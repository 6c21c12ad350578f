#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QVariant>

namespace riskdesk {

// One row of PostgreSQL's COPY text format (tab-separated, \N for NULL, backslash escapes), split in place:
// a field without escapes is a view into the row, one with escapes is unescaped into a buffer kept per
// column. Reused row after row, so splitting allocates nothing once the buffers have grown. The views are
// valid until the next split() or until the row's bytes go away.
class CopyTextRow {
public:
    // Returns false when the row does not have exactly `columns` fields.
    bool split(QByteArrayView row, int columns);

    bool isNull(int column) const { return m_fields.at(column).isNull(); }
    // The field's UTF-8 bytes; empty (not null) for an empty string.
    QByteArrayView bytes(int column) const { return m_fields.at(column); }
    // The field as an integer; false when it is NULL or not a plain decimal integer.
    bool toInt64(int column, qint64& value) const;
    // NULL, or the field as text ('' for an empty string, so that it binds as '' and not as NULL).
    QVariant toVariant(int column) const;

private:
    QList<QByteArrayView> m_fields;
    QList<QByteArray> m_unescaped; // per column, used only for fields with escapes
};

} // namespace riskdesk
