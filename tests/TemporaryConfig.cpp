#include "TemporaryConfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace riskdesk::test {

namespace {

struct Folders {
    QString real;
    QTemporaryDir temporary;
    Folders() {
        const QString set = qEnvironmentVariable("XDG_CONFIG_HOME");
        real = set.isEmpty() ? QDir::homePath() + QStringLiteral("/.config") : set;
        if (!temporary.isValid())
            qFatal("no temporary folder for the test's settings: %s", qPrintable(temporary.errorString()));
        QDir(temporary.path()).mkpath(QStringLiteral("config"));
        QDir(temporary.path()).mkpath(QStringLiteral("data"));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(temporary.filePath(QStringLiteral("config"))));
        qputenv("XDG_DATA_HOME", QFile::encodeName(temporary.filePath(QStringLiteral("data"))));
    }
};

// Constructed before main(), removed with everything in it after main() returns.
const Folders folders;

} // namespace

QString TemporaryConfig::configHome() {
    return folders.temporary.filePath(QStringLiteral("config"));
}

QString TemporaryConfig::realConfigHome() {
    return folders.real;
}

} // namespace riskdesk::test
