#pragma once

#include "domain/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QStringList>

namespace riskdesk {

// RFC 4180 CSV as the board loader reads it: UTF-8 (a leading BOM is skipped), comma-separated, fields in
// double quotes may hold commas, quotes ("") and line breaks. Each record remembers the line it starts on,
// so that a problem can be named by file, line and column.
class BoardCsvReader {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::BoardCsvReader)

public:
    struct Record {
        int line = 0; // 1-based line of the record's first character
        QStringList fields;
    };

    // Splits the whole file; fileName only names it in messages. A problem names the line and column.
    static Result<QList<Record>> parse(const QByteArray& bytes, const QString& fileName);
};

} // namespace riskdesk
