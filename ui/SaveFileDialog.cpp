#include "SaveFileDialog.h"

#include "PlainFileIconProvider.h"
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
    PlainFileIconProvider icons; // outlives the dialog
    for (;;) {
        QFileDialog dialog(parent, title, start, filter);
        dialog.setAcceptMode(QFileDialog::AcceptSave);
        dialog.setOption(QFileDialog::DontConfirmOverwrite);
        dialog.setIconProvider(&icons);
        if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
            return {};
        const QString chosen = dialog.selectedFiles().constFirst();
        if (chosen.isEmpty())
            return {};
        if (QString path = confirm(parent, title, chosen, extension); !path.isEmpty())
            return path;
        start = withOwnExtension(chosen, extension);
    }
}

QString SaveFileDialog::withOwnExtension(const QString& chosen, const QString& extension) {
    const QFileInfo info(chosen);
    if (info.suffix().isEmpty())
        return chosen + u'.' + extension;
    return info.dir().filePath(info.completeBaseName() + u'.' + extension);
}

void SaveFileDialog::refuse(QWidget* parent, const QString& title, const QString& why) {
    QMessageBox refused(QMessageBox::Warning, title, why, QMessageBox::Ok, parent);
    refused.setObjectName(u"refusedFileBox"_s);
    refused.exec();
}

QString SaveFileDialog::confirm(QWidget* parent, const QString& title, const QString& chosen,
                                const QString& extension) {
    const QString suffix = QFileInfo(chosen).suffix();
    if (!suffix.isEmpty() && suffix.compare(extension, Qt::CaseInsensitive) != 0) {
        // A PDF written as board.csv, or a CSV as board.pdf, opens as neither (helper-72).
        refuse(parent, title,
               tr("%1 ends in .%2, but this export writes a .%3 file: name it %4.")
                   .arg(QDir::toNativeSeparators(chosen), suffix, extension,
                        QFileInfo(withOwnExtension(chosen, extension)).fileName()));
        return {};
    }
    const QString path = BoardExportName::withExtension(chosen, extension);
    if (const Status writable = OverwriteGuard::check(path); !writable) {
        refuse(parent, title, writable.problem().message);
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
