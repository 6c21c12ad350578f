#include "SqlScript.h"

#include <QCoreApplication>
#include <QFile>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QStringList SqlScript::split(const QString& script) {
    QStringList statements;
    QString current;
    bool inBody = false;
    const QStringList lines = script.split(u'\n');
    for (const QString& raw : lines) {
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(u"--"))
            continue;
        current += raw + u'\n';
        if (line.compare(u"BEGIN"_s, Qt::CaseInsensitive) == 0 ||
            line.endsWith(u" BEGIN"_s, Qt::CaseInsensitive))
            inBody = true;
        const bool ends = inBody ? line.compare(u"END;"_s, Qt::CaseInsensitive) == 0 : line.endsWith(u';');
        if (ends) {
            statements << current.trimmed();
            current.clear();
            inBody = false;
        }
    }
    if (!current.trimmed().isEmpty())
        statements << current.trimmed();
    return statements;
}

Result<QStringList> SqlScript::load(const QString& resourcePath) {
    QFile file(resourcePath);
    if (!file.open(QIODevice::ReadOnly))
        return Problem{u"migration_missing"_s,
                       QCoreApplication::translate("riskdesk::Workspace",
                                                   "The schema script %1 is missing from this build.")
                           .arg(resourcePath),
                       {}};
    return split(QString::fromUtf8(file.readAll()));
}

} // namespace riskdesk
