#include "SaveFileDialog.h"

#include "boards/BoardExportName.h"
#include "store/OverwriteGuard.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace riskdesk {

QString SaveFileDialog::ask(QWidget* parent, const QString& title, const QString& suggested,
                            const QString& filter, const QString& extension) {
    QString start = suggested;
    for (;;) {
        const QString chosen = QFileDialog::getSaveFileName(parent, title, start, filter, nullptr,
                                                            QFileDialog::DontConfirmOverwrite);
        if (chosen.isEmpty())
            return {};
        if (QString path = confirm(parent, title, chosen, extension); !path.isEmpty())
            return path;
        start = BoardExportName::withExtension(chosen, extension);
    }
}

QString SaveFileDialog::confirm(QWidget* parent, const QString& title, const QString& chosen,
                                const QString& extension) {
    const QString path = BoardExportName::withExtension(chosen, extension);
    if (const Status writable = OverwriteGuard::check(path); !writable) {
        QMessageBox refused(QMessageBox::Warning, title, writable.problem().message, QMessageBox::Ok, parent);
        refused.setObjectName(u"refusedFileBox"_s);
        refused.exec();
        return {};
    }
    if (!QFileInfo::exists(path))
        return path;
    QMessageBox replace(QMessageBox::Question, title,
                        tr("%1 already exists. Replace it?").arg(QDir::toNativeSeparators(path)),
                        QMessageBox::Yes | QMessageBox::No, parent);
    replace.setObjectName(u"replaceFileBox"_s);
    replace.setDefaultButton(QMessageBox::No);
    return replace.exec() == QMessageBox::Yes ? path : QString();
}

} // namespace riskdesk
