#pragma once

#include <QByteArray>
#include <QString>

namespace riskdesk {

// What kind of file some bytes are, decided by the bytes first: a server's Content-Type or a file name may
// lie or be generic. The name or the header only refine what the bytes say (text/plain named .csv is CSV).
class AttachmentMime {
public:
    static QString detect(const QByteArray& bytes, const QString& headerType, const QString& fileName);
};

} // namespace riskdesk
