#include "PlainFileIconProvider.h"

#include <QFileInfo>
#include <QMimeDatabase>

namespace riskdesk {

namespace {

QMimeType byName(const QFileInfo& info) {
    return QMimeDatabase().mimeTypeForFile(info, QMimeDatabase::MatchExtension);
}

} // namespace

QIcon PlainFileIconProvider::icon(const QFileInfo& info) const {
    if (!info.isFile())
        return icon(info.isDir() ? Folder : File);
    const QMimeType mime = byName(info);
    return QIcon::fromTheme(mime.iconName(), QIcon::fromTheme(mime.genericIconName(), icon(File)));
}

QString PlainFileIconProvider::type(const QFileInfo& info) const {
    if (!info.isFile())
        return QFileIconProvider::type(info); // a folder, a link or a drive: named without reading anything
    const QMimeType mime = byName(info);
    return mime.comment().isEmpty() ? mime.name() : mime.comment();
}

} // namespace riskdesk
