// Riskdesk entry point: subcommands run headless on QCoreApplication; otherwise the GUI starts.
#include "CommandLine.h"
#include "GuiLauncher.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QGuiApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTextStream>
#include <QTranslator>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

// --lang from the arguments (before any parser runs, so that help texts are translated too).
QString requestedLanguage(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        if (arg == u"--lang" && i + 1 < argc)
            return QString::fromLocal8Bit(argv[i + 1]);
        if (arg.startsWith(u"--lang="))
            return arg.mid(7);
    }
    return {};
}

void installTranslations(QCoreApplication& app, const QString& language) {
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    auto* own = new QTranslator(&app);
    // Any other language (a "C" locale included) gets English, whose file carries the plural forms.
    if (own->load(locale, u"riskdesk"_s, u"_"_s, u":/i18n"_s) || own->load(u"riskdesk_en"_s, u":/i18n"_s))
        QCoreApplication::installTranslator(own);
    auto* qt = new QTranslator(&app);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
}

void setIdentity() {
    QCoreApplication::setOrganizationName(u"Riskdesk"_s);
    QCoreApplication::setApplicationName(u"Riskdesk"_s);
    QCoreApplication::setApplicationVersion(u"0.1.0"_s);
}

} // namespace

int main(int argc, char** argv) {
    riskdesk::Workspace::configureSqlite();
    const QString language = requestedLanguage(argc, argv);
    if (language != u"" && language != u"en" && language != u"zh_CN") {
        QTextStream(stderr) << "riskdesk: --lang must be en or zh_CN, not \"" << language << "\"\n";
        return 2;
    }
    if (argc > 1 && riskdesk::CommandLine::isSubcommand(QString::fromLocal8Bit(argv[1]))) {
        // Drawing diagrams needs fonts, so a GUI application, but never a display.
        const bool draws = qstrcmp(argv[1], "render-rule") == 0 ||
                           (qstrcmp(argv[1], "bench") == 0 && argc > 2 && qstrcmp(argv[2], "render") == 0);
        if (draws && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        std::unique_ptr<QCoreApplication> application = draws
                                                            ? std::make_unique<QGuiApplication>(argc, argv)
                                                            : std::make_unique<QCoreApplication>(argc, argv);
        QCoreApplication& app = *application;
        setIdentity();
        installTranslations(app, language);
        QStringList arguments = app.arguments();
        // --lang is global; the subcommand parsers do not know it.
        for (qsizetype i = arguments.size() - 1; i >= 1; --i) {
            if (arguments.at(i) == u"--lang" && i + 1 < arguments.size()) {
                arguments.remove(i, 2);
            } else if (arguments.at(i).startsWith(u"--lang=")) {
                arguments.removeAt(i);
            }
        }
        return riskdesk::CommandLine::run(arguments);
    }

    QApplication app(argc, argv);
    setIdentity();
    installTranslations(app, language);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Riskdesk: risk exceptions, boards and audit."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({u"workspace"_s, QCoreApplication::translate("main", "The workspace file."), u"PATH"_s,
                      riskdesk::Workspace::defaultPath()});
    parser.addOption({u"lang"_s,
                      QCoreApplication::translate("main", "Language: en or zh_CN (default: the system's)."),
                      u"LANG"_s});
    parser.addOption({u"user"_s, QCoreApplication::translate("main", "Sign in as this user."), u"USER_ID"_s});
    parser.addOption({u"tenant"_s, QCoreApplication::translate("main", "Work in this tenant."), u"TENANT"_s});
    parser.addOption(
        {u"backend"_s,
         QCoreApplication::translate("main", "Sync with this server (default: $RISKDESK_URL, or the "
                                             "one set in File → Backend…)."),
         u"URL"_s});
    parser.addOption(
        {u"screenshot"_s,
         QCoreApplication::translate("main", "Render the main window to this PNG file and exit."),
         u"FILE.png"_s});
    parser.process(app);

    riskdesk::GuiOptions options;
    options.workspacePath = parser.value(u"workspace"_s);
    options.userId = parser.value(u"user"_s);
    options.tenantId = parser.value(u"tenant"_s);
    options.screenshotPath = parser.value(u"screenshot"_s);
    options.backendUrl = parser.value(u"backend"_s);
    if (options.backendUrl.isEmpty())
        options.backendUrl = qEnvironmentVariable("RISKDESK_URL");
    if (options.backendUrl.isEmpty()) // saved without a password: libpq may find it in ~/.pgpass
        options.backendUrl = QSettings().value(u"backend/url"_s).toString();
    riskdesk::GuiLauncher launcher(options);
    launcher.start();
    return app.exec();
}
