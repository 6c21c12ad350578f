#include "WorkspaceFileHeader.h"

#include <QFile>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

quint32 bigEndian(const QByteArray& bytes, int offset, int size) {
    quint32 value = 0;
    for (int i = 0; i < size; ++i)
        value = (value << 8) | quint8(bytes.at(offset + i));
    return value;
}

} // namespace

Status WorkspaceFileHeader::check(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Problem{u"workspace_unreadable"_s, tr("Cannot read %1: %2").arg(path, file.errorString()), {}};
    const qint64 size = file.size();
    if (size == 0)
        return Problem{u"workspace_empty"_s,
                       tr("%1 is an empty file, not a Riskdesk workspace. Open the workspace file itself, or "
                          "create one with: riskdesk demo --workspace PATH")
                           .arg(path),
                       {}};
    const QByteArray header = file.read(100);
    if (header.size() < 100 || !header.startsWith(QByteArrayView("SQLite format 3\0", 16)))
        return Problem{u"workspace_not_sqlite"_s, tr("%1 is not a Riskdesk workspace.").arg(path), {}};
    // Page size: a power of two from 512 to 32768, or 1 for 65536.
    const quint32 rawPageSize = bigEndian(header, 16, 2);
    const quint32 pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        return Problem{
            u"workspace_damaged"_s,
            tr("The workspace %1 is damaged: its header names no valid page size. Restore the file "
               "from a backup, or create a new workspace and sync it from the server.")
                .arg(path),
            {}};
    // The page count is valid when the change counter matches "version valid for" (SQLite 3.7.0 and later).
    const quint32 pages = bigEndian(header, 28, 4);
    const bool pagesValid = pages > 0 && bigEndian(header, 24, 4) == bigEndian(header, 92, 4);
    if (pagesValid && size < qint64(pages) * pageSize)
        return Problem{
            u"workspace_damaged"_s,
            tr("The workspace %1 is damaged: it is cut off (%2 bytes of %3). Restore the file from a "
               "backup, or create a new workspace and sync it from the server.")
                .arg(path)
                .arg(size)
                .arg(qint64(pages) * pageSize),
            {}};
    return success();
}

} // namespace riskdesk
