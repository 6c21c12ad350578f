#include "AttachmentMime.h"

#include <QMimeDatabase>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QString AttachmentMime::detect(const QByteArray& bytes, const QString& headerType, const QString& fileName) {
    const QMimeDatabase db;
    const QMimeType byData = db.mimeTypeForData(bytes);
    const bool unknownBinary = byData.isDefault();
    const QString header = headerType.section(u';', 0, 0).trimmed().toLower();
    for (const QMimeType& hint : {db.mimeTypeForFile(fileName, QMimeDatabase::MatchExtension),
                                  header.isEmpty() ? QMimeType() : db.mimeTypeForName(header)}) {
        if (!hint.isValid() || hint.isDefault() || hint == byData)
            continue;
        // A more specific kind of what the bytes are; for bytes nothing recognises, any kind but text
        // (bytes that are not text do not become text because of a name). Every kind inherits the unknown
        // binary's, so it is not "more specific" here: random bytes named .txt were taken for text
        // (helper-82).
        if (unknownBinary ? !hint.inherits(u"text/plain"_s) : hint.inherits(byData.name()))
            return hint.name();
    }
    return byData.name();
}

} // namespace riskdesk
