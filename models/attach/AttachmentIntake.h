#pragma once

#include "AttachmentTypes.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

// A file an applicant attaches to a request, checked before it is accepted: not empty, not over the size
// limit (the setting attachments/maxMegabytes, AttachmentService::limitsFromSettings), and of a kind the
// detail panel shows in place (images, PDF, text, CSV), the kind read from the bytes (AttachmentMime), not
// taken from the name. Problems name the field "attachments".
class AttachmentIntake {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::AttachmentIntake)

public:
    static constexpr int kMaxFiles = 10;

    static const QStringList& acceptedTypes();
    // Reads a file: its size is checked before a byte is read, so a huge file is refused at once.
    static Result<AttachmentContent> fromFile(const QString& path, qint64 maxBytes);
    // Checks bytes under a file name and completes the content (type, SHA-256, address).
    static Result<AttachmentContent> fromBytes(const QString& fileName, const QByteArray& bytes,
                                               qint64 maxBytes);
    // Where a filed attachment is kept: riskdesk-attachment: and the SHA-256 of its bytes (hex).
    static QString addressOf(const QByteArray& sha256Hex);
};

} // namespace riskdesk
