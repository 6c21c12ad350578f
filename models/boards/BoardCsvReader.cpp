#include "BoardCsvReader.h"

#include <QStringDecoder>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<QList<BoardCsvReader::Record>> BoardCsvReader::parse(const QByteArray& bytes,
                                                            const QString& fileName) {
    QByteArrayView data(bytes);
    if (data.startsWith("\xEF\xBB\xBF"))
        data = data.sliced(3);
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(data);
    if (decoder.hasError())
        return Problem{u"board_file_encoding"_s, tr("%1 is not UTF-8 text.").arg(fileName), fileName};
    if (text.contains(QChar(0)))
        return Problem{u"board_file_encoding"_s, tr("%1 contains a NUL character.").arg(fileName), fileName};

    QList<Record> records;
    records.reserve(text.count(u'\n') + 1);
    Record current;
    QString field;            // a quoted field's text, unescaped
    qsizetype fieldStart = 0; // where an unquoted field starts: it is sliced out whole (one allocation)
    bool quoted = false;
    int line = 1;
    bool inQuotes = false, afterQuote = false, recordOpen = false;
    int quoteLine = 0;
    auto problem = [&](int at, int column, const QString& what) {
        return Problem{u"board_file_syntax"_s,
                       tr("%1, line %2, column %3: %4").arg(fileName).arg(at).arg(column).arg(what),
                       fileName};
    };
    auto endField = [&](qsizetype end) {
        current.fields << (quoted ? field : text.sliced(fieldStart, end - fieldStart));
        field.clear();
        quoted = false;
        afterQuote = false;
        fieldStart = end + 1;
    };
    auto endRecord = [&](qsizetype end) {
        endField(end);
        records << std::move(current);
        current = Record{};
        recordOpen = false;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!recordOpen) {
            current.line = line;
            current.fields.reserve(records.isEmpty() ? 16 : records.last().fields.size());
            recordOpen = true;
            fieldStart = i;
        }
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    inQuotes = false;
                    afterQuote = true;
                }
            } else {
                if (c == u'\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == u',') {
            endField(i);
        } else if (c == u'\r' || c == u'\n') {
            const qsizetype end = i;
            if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
                ++i;
            endRecord(end);
            ++line;
        } else if (afterQuote) {
            return problem(line, int(current.fields.size()) + 1,
                           tr("text after a closing quote (a quote inside a quoted field is written \"\")."));
        } else if (c == u'"') {
            if (i != fieldStart)
                return problem(line, int(current.fields.size()) + 1,
                               tr("a quote inside an unquoted field (quote the whole field)."));
            inQuotes = true;
            quoted = true;
            quoteLine = line;
        }
    }
    if (inQuotes)
        return problem(quoteLine, int(current.fields.size()) + 1, tr("a quoted field is never closed."));
    if (recordOpen)
        endRecord(text.size());
    return records;
}

} // namespace riskdesk
