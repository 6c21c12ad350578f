#include "OverwriteGuard.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace riskdesk {

namespace {

// Whether the file starts as every SQLite database does.
bool isSqlite(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.read(16) == QByteArray("SQLite format 3\0", 16);
}

} // namespace

Status OverwriteGuard::check(const QString& path, const QStringList& inputs) {
    const QFileInfo target(path);
    const QString shown = QDir::toNativeSeparators(target.absoluteFilePath());
    // Compared as the files they are (a relative path, a symbolic link or ./ name the same file).
    const QString canonical = target.canonicalFilePath();
    if (!canonical.isEmpty())
        for (const QString& input : inputs)
            if (QFileInfo(input).canonicalFilePath() == canonical)
                return Problem{
                    u"output_is_input"_s,
                    tr("%1 is the file this command reads; name another file for its output.").arg(shown),
                    u"output"_s};
    if (target.isFile() && isSqlite(canonical))
        return Problem{u"output_is_database"_s,
                       tr("%1 is a database (a Riskdesk workspace or another SQLite file); an export never "
                          "replaces one. Name another file.")
                           .arg(shown),
                       u"output"_s};
    for (const QString& suffix : {u"-wal"_s, u"-shm"_s, u"-journal"_s}) {
        const QString name = target.absoluteFilePath();
        if (name.endsWith(suffix) && isSqlite(name.chopped(suffix.size())))
            return Problem{
                u"output_is_database"_s,
                tr("%1 belongs to the database %2; an export never replaces it. Name another file.")
                    .arg(shown, QDir::toNativeSeparators(name.chopped(suffix.size()))),
                u"output"_s};
    }
    return success();
}

} // namespace riskdesk
