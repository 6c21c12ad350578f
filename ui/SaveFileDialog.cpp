#include "SaveFileDialog.h"

#include "PlainFileIconProvider.h"
#include "store/OverwriteGuard.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QMessageBox>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace riskdesk {

namespace {

// A suffix that names a file format other than the export's.
bool isOtherFormat(const QString& suffix, const QString& extension) {
    static const QStringList kFormats{u"csv"_s, u"xlsx"_s, u"xls"_s, u"pdf"_s,  u"json"_s, u"svg"_s,
                                      u"png"_s, u"jpg"_s,  u"txt"_s, u"html"_s, u"xml"_s};
    return kFormats.contains(suffix.toLower()) && suffix.compare(extension, Qt::CaseInsensitive) != 0;
}

} // namespace

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
        // Qt's dialog reads quotation marks as a list of names and * or ? as a pattern: a name typed with
        // them was written as another file in another folder without a word (helper-88: "drill "q"*?" went to
        // ../q.csv).
        if (const auto* typed = dialog.findChild<QLineEdit*>(u"fileNameEdit"_s);
            typed && typed->text().contains(QRegularExpression(u"[\"*?]"_s))) {
            refuse(parent, title,
                   tr("“%1” cannot be a file name here: quotation marks, * and ? are read as a list of names "
                      "or a pattern, not as part of one name. Name the file without them.")
                       .arg(typed->text()));
            start = dialog.directory().absolutePath();
            continue;
        }
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
    if (info.suffix().compare(extension, Qt::CaseInsensitive) == 0)
        return chosen;
    if (isOtherFormat(info.suffix(), extension))
        return info.dir().filePath(info.completeBaseName() + u'.' + extension);
    return chosen + u'.' + extension;
}

void SaveFileDialog::refuse(QWidget* parent, const QString& title, const QString& why) {
    QMessageBox refused(QMessageBox::Warning, title, why, QMessageBox::Ok, parent);
    refused.setObjectName(u"refusedFileBox"_s);
    refused.exec();
}

QString SaveFileDialog::confirm(QWidget* parent, const QString& title, const QString& chosen,
                                const QString& extension) {
    // Another format's extension is a slip; any other dot is part of the name (board_2026.05), which gets the
    // extension added (helper-75).
    const QString suffix = QFileInfo(chosen).suffix();
    if (isOtherFormat(suffix, extension)) {
        // A PDF written as board.csv, or a CSV as board.pdf, opens as neither (helper-72).
        refuse(parent, title,
               tr("%1 ends in .%2, but this export writes a .%3 file: name it %4.")
                   .arg(QDir::toNativeSeparators(chosen), suffix, extension,
                        QFileInfo(withOwnExtension(chosen, extension)).fileName()));
        return {};
    }
    const QString path =
        suffix.compare(extension, Qt::CaseInsensitive) == 0 ? chosen : chosen + u'.' + extension;
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
