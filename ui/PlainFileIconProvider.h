#pragma once

#include <QFileIconProvider>

namespace riskdesk {

// Icons and type names for the file dialogs, told by a file's name alone. Qt's own provider asks
// QMimeDatabase, which reads a file whose name does not tell its type: in /proc that read (of /proc/kmsg)
// never returns, and the whole window froze when a user typed /proc/ in the export dialog (helper-72).
class PlainFileIconProvider : public QFileIconProvider {
public:
    using QFileIconProvider::icon;
    QIcon icon(const QFileInfo& info) const override;
    QString type(const QFileInfo& info) const override;
};

} // namespace riskdesk
