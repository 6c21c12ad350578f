// libFuzzer target: PostgreSQL COPY text rows → CopyTextRow, the first pull's row splitter.
// Input: one byte giving the number of columns (1 to 32), then the row's bytes. A row that splits is
// written back in COPY text form and split again: the fields (NULL or bytes) must come back exactly.
// The splitter is reused from input to input, as the sync engine reuses it row after row.
#include "sync/CopyTextRow.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

// COPY text form of one field, as the server writes it.
QByteArray escaped(const riskdesk::CopyTextRow& row, int column) {
    if (row.isNull(column))
        return QByteArrayLiteral("\\N");
    QByteArray out;
    for (const char c : row.bytes(column)) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    static riskdesk::CopyTextRow first, second; // buffers reused, as in a pull
    const int columns = 1 + data[0] % 32;
    // A copy of exactly the row's bytes, so that ASan sees any read past its end.
    const QByteArray row(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    if (!first.split(QByteArrayView(row.constData(), row.size()), columns))
        return 0;
    QByteArray written;
    for (int c = 0; c < columns; ++c) {
        if (c > 0)
            written += '\t';
        written += escaped(first, c);
        qint64 n = 0;
        if (first.toInt64(c, n) && first.isNull(c))
            std::abort(); // NULL is never a number
        const QVariant v = first.toVariant(c);
        if (v.isNull() != first.isNull(c))
            std::abort(); // NULL binds as NULL and '' as ''
    }
    if (!second.split(written, columns)) {
        std::fprintf(stderr, "fuzz_copy_row: the written-back row does not split\n");
        std::abort();
    }
    for (int c = 0; c < columns; ++c)
        if (first.isNull(c) != second.isNull(c) || first.bytes(c) != second.bytes(c)) {
            std::fprintf(stderr, "fuzz_copy_row: column %d changed on the way back\n", c);
            std::abort();
        }
    return 0;
}
