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
    Record current;
    QString field;
    int line = 1;
    bool inQuotes = false, afterQuote = false, recordOpen = false;
    int quoteLine = 0;
    auto problem = [&](int at, int column, const QString& what) {
        return Problem{u"board_file_syntax"_s,
                       tr("%1, line %2, column %3: %4").arg(fileName).arg(at).arg(column).arg(what),
                       fileName};
    };
    auto endField = [&] {
        current.fields << field;
        field.clear();
        afterQuote = false;
    };
    auto endRecord = [&] {
        endField();
        records << current;
        current = Record{};
        recordOpen = false;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!recordOpen) {
            current.line = line;
            recordOpen = true;
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
            endField();
        } else if (c == u'\r' || c == u'\n') {
            if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
                ++i;
            endRecord();
            ++line;
        } else if (afterQuote) {
            return problem(line, int(current.fields.size()) + 1,
                           tr("text after a closing quote (a quote inside a quoted field is written \"\")."));
        } else if (c == u'"') {
            if (!field.isEmpty())
                return problem(line, int(current.fields.size()) + 1,
                               tr("a quote inside an unquoted field (quote the whole field)."));
            inQuotes = true;
            quoteLine = line;
        } else {
            field += c;
        }
    }
    if (inQuotes)
        return problem(quoteLine, int(current.fields.size()) + 1, tr("a quoted field is never closed."));
    if (recordOpen)
        endRecord();
    return records;
}

} // namespace riskdesk
