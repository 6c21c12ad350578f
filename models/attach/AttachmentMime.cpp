#include "AttachmentMime.h"

#include "AttachmentText.h"

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
        // A more specific kind of what the bytes are. Every kind inherits the unknown binary's, so for bytes
        // nothing recognises a name or header is no refinement: random bytes named .txt were filed as text,
        // and named .png as an image (helper-82, helper-83). Such bytes are text only when they read as the
        // text the viewer shows (UTF-8 or GB18030, with a form feed or an escape Qt's quick look refuses).
        if (unknownBinary ? hint.inherits(u"text/plain"_s) && AttachmentText::readsAsText(bytes)
                          : hint.inherits(byData.name()))
            return hint.name();
    }
    return byData.name();
}

} // namespace riskdesk
