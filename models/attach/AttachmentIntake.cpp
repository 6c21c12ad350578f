#include "AttachmentIntake.h"

#include "AttachmentMime.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QMimeDatabase>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

Problem attachmentProblem(const QString& code, const QString& message) {
    return Problem{code, message, u"attachments"_s};
}

// In the units the rest of the window uses (MiB: the limit is 50 × 1024 × 1024 bytes), not "MB" for them.
QString megabytes(qint64 bytes) {
    return QLocale().formattedDataSize(bytes, 1);
}

} // namespace

const QStringList& AttachmentIntake::acceptedTypes() {
    static const QStringList types{u"image/png"_s,       u"image/jpeg"_s, u"image/gif"_s,
                                   u"image/webp"_s,      u"image/bmp"_s,  u"image/tiff"_s,
                                   u"application/pdf"_s, u"text/plain"_s, u"text/csv"_s};
    return types;
}

QString AttachmentIntake::addressOf(const QByteArray& sha256Hex) {
    return u"riskdesk-attachment:"_s + QString::fromLatin1(sha256Hex);
}

Result<AttachmentContent> AttachmentIntake::fromFile(const QString& path, qint64 maxBytes) {
    const QFileInfo info(path);
    const QString name = info.fileName();
    if (info.isDir()) // named as such, not as missing (helper-71)
        return attachmentProblem(u"attachment_folder"_s,
                                 tr("%1 is a folder; attach the files in it instead.").arg(path));
    if (!info.exists() || !info.isFile())
        return attachmentProblem(u"attachment_missing"_s, tr("%1: there is no such file.").arg(path));
    if (info.size() > maxBytes)
        return attachmentProblem(u"attachment_too_large"_s,
                                 tr("%1 is %2; attachments may be at most %3.")
                                     .arg(name, megabytes(info.size()), megabytes(maxBytes)));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return attachmentProblem(u"attachment_unreadable"_s,
                                 tr("%1 cannot be read: %2").arg(path, file.errorString()));
    // One byte more than allowed: a file that grew since it was measured is still refused.
    const QByteArray bytes = file.read(maxBytes + 1);
    if (file.error() != QFileDevice::NoError)
        return attachmentProblem(u"attachment_unreadable"_s,
                                 tr("%1 cannot be read: %2").arg(path, file.errorString()));
    return fromBytes(name, bytes, maxBytes);
}

Result<AttachmentContent> AttachmentIntake::fromBytes(const QString& fileName, const QByteArray& bytes,
                                                      qint64 maxBytes) {
    if (bytes.isEmpty())
        return attachmentProblem(u"attachment_empty"_s, tr("%1 is empty.").arg(fileName));
    if (bytes.size() > maxBytes)
        return attachmentProblem(u"attachment_too_large"_s,
                                 tr("%1 is %2; attachments may be at most %3.")
                                     .arg(fileName, megabytes(bytes.size()), megabytes(maxBytes)));
    const QString type = AttachmentMime::detect(bytes, {}, fileName);
    const QMimeDatabase db;
    const QMimeType mime = db.mimeTypeForName(type);
    const bool accepted = acceptedTypes().contains(type) ||
                          std::any_of(acceptedTypes().begin(), acceptedTypes().end(), [&](const QString& t) {
                              return t != u"text/plain" && mime.inherits(t);
                          });
    if (!accepted)
        return attachmentProblem(
            u"attachment_type"_s,
            !mime.isValid() || mime.isDefault()
                ? tr("%1 is not a kind of file Riskdesk recognises (nor text); attachments may be images, "
                     "PDF, text or CSV.")
                      .arg(fileName)
                : tr("%1 is of the kind \"%2\"; attachments may be images, PDF, text or CSV.")
                      .arg(fileName, mime.comment()));
    AttachmentContent c;
    c.fileName = fileName;
    c.mimeType = type;
    c.bytes = bytes;
    c.sha256 = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    c.url = QUrl(addressOf(c.sha256));
    return c;
}

} // namespace riskdesk
