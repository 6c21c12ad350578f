#pragma once

#include <QCoreApplication>
#include <QString>

class QWidget;

namespace riskdesk {

// Where an export is saved. Qt's save dialog asked "replace?" about the name as typed, before the export's
// extension was added: "report" then silently replaced an existing report.csv, and a workspace chosen by
// mistake was offered for replacing before the export refused it; a PDF was written as board.csv. Here a name
// ending in another format's extension is refused, the extension is added to one that has none, then a file
// no export may replace (OverwriteGuard) is refused and an existing one is offered for replacing, both by the
// name that will be written; either way back in the dialog, as Qt's own question does.
class SaveFileDialog {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::SaveFileDialog)

public:
    // The file to write, with extension added when the chosen name has none; empty when the user cancels.
    static QString ask(QWidget* parent, const QString& title, const QString& suggested, const QString& filter,
                       const QString& extension);
    // The checks after the dialog, for a chosen name: the path to write, or empty when it is refused (a
    // warning says why) or the user keeps the existing file.
    static QString confirm(QWidget* parent, const QString& title, const QString& chosen,
                           const QString& extension);

private:
    // chosen with extension in place of its own (or added, when it has none): the name to offer again.
    static QString withOwnExtension(const QString& chosen, const QString& extension);
    static void refuse(QWidget* parent, const QString& title, const QString& why);
};

} // namespace riskdesk
