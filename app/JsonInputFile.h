#pragma once

#include "domain/Result.h"

#include <QByteArrayView>
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace riskdesk {

// A file named on the command line that must hold one JSON object (a request, a policy, a rule payload):
// read whole, with a message that names the file and says what is wrong with it and where. A UTF-8 byte
// order mark (as Windows editors save) is accepted.
class JsonInputFile {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::JsonInputFile)

public:
    // holds: what the file must hold, in words ("one rule payload (a JSON object)").
    static Result<QJsonObject> readObject(const QString& path, const QString& holds);
    // Where byte `offset` of text is: "line L, column C" (columns count characters, from 1).
    static QString position(QByteArrayView text, qint64 offset);
    // The column alone, for a text of one line (a line of a JSON Lines file).
    static qint64 column(QByteArrayView line, qint64 offset);
};

} // namespace riskdesk
