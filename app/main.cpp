// Riskdesk entry point: only the window makes a QApplication (and needs a display); everything else runs
// on QCoreApplication, or QGuiApplication offscreen for the commands that draw diagrams.
#include "CommandLine.h"
#include "CommandTable.h"
#include "Console.h"
#include "GuiLauncher.h"
#include "Invocation.h"
#include "ProcessMemory.h"
#include "QuitOnSignal.h"
#include "RiskdeskVersion.h"
#include "settings/AppSettings.h"
#include "store/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QGuiApplication>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTextStream>
#include <QTranslator>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace {

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
    QCoreApplication::setApplicationVersion(QStringLiteral(RISKDESK_VERSION));
}

// The window's options, for its --help and its parser.
void addWindowOptions(QCommandLineParser& parser) {
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
}

// Everything but the window: subcommands, help, version and usage problems. No display is needed; diagram
// commands get a QGuiApplication on the offscreen platform for their fonts.
int runWithoutWindow(int argc, char** argv, const riskdesk::Invocation& invocation,
                     riskdesk::AppSettings& settings) {
    // The commands say what is wrong in the user's terms; Qt's own diagnostics (a platform plugin's remarks,
    // "XDG_RUNTIME_DIR not set") are for developers: shown with RISKDESK_DEBUG=1, or when critical.
    if (qEnvironmentVariableIsEmpty("RISKDESK_DEBUG"))
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
            if (type == QtCriticalMsg || type == QtFatalMsg)
                QTextStream(stderr) << message << Qt::endl;
        });
    if (invocation.drawsDiagrams() && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> application = invocation.drawsDiagrams()
                                                        ? std::make_unique<QGuiApplication>(argc, argv)
                                                        : std::make_unique<QCoreApplication>(argc, argv);
    setIdentity();
    const bool knownLanguage = invocation.language().isEmpty() || invocation.language() == u"en" ||
                               invocation.language() == u"zh_CN";
    installTranslations(*application, knownLanguage ? invocation.language() : QString());
    switch (invocation.mode()) {
    case riskdesk::Invocation::Mode::Problem:
        return riskdesk::Console::fail(invocation.problem(), 2);
    case riskdesk::Invocation::Mode::Version:
        riskdesk::Console::out() << QCoreApplication::applicationName().toLower() << ' '
                                 << QCoreApplication::applicationVersion() << Qt::endl;
        return 0;
    case riskdesk::Invocation::Mode::Help: {
        QCommandLineParser parser;
        parser.setApplicationDescription(
            QCoreApplication::translate("main", "Riskdesk: risk exceptions, boards and audit."));
        parser.addHelpOption();
        parser.addVersionOption();
        addWindowOptions(parser);
        riskdesk::Console::out() << parser.helpText() << Qt::endl;
        return riskdesk::CommandLine::table().run({invocation.commandArguments().value(0), u"help"_s},
                                                  settings);
    }
    case riskdesk::Invocation::Mode::Command:
    case riskdesk::Invocation::Mode::Window:
        break;
    }
    return riskdesk::CommandLine::table().run(invocation.commandArguments(), settings);
}

} // namespace

int main(int argc, char** argv) {
    riskdesk::ProcessMemory::keepFreedMemory();
    riskdesk::Workspace::configureSqlite();
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const riskdesk::Invocation invocation = riskdesk::Invocation::fromArguments(arguments);
    // The user's settings, made once here and handed to everything that reads or writes them (read once
    // the application has its organisation and name: each access opens them afresh).
    riskdesk::AppSettings settings;
    if (invocation.mode() != riskdesk::Invocation::Mode::Window)
        return runWithoutWindow(argc, argv, invocation, settings);

    // Without a display Qt's platform plugin aborts inside QApplication (SIGABRT, and xcb's text for
    // developers): say so in the user's terms first. A screenshot needs no screen: it is drawn offscreen.
    const bool hasDisplay = !qEnvironmentVariableIsEmpty("DISPLAY") ||
                            !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
                            !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
    if (!hasDisplay) {
        QCommandLineParser early;
        addWindowOptions(early);
        early.parse(invocation.windowArguments()); // already checked: this only reads the values
        if (early.isSet(u"screenshot"_s)) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        } else {
            QCoreApplication core(argc, argv);
            setIdentity();
            installTranslations(core, invocation.language());
            return riskdesk::Console::fail(
                QCoreApplication::translate("main",
                                            "There is no display (DISPLAY and WAYLAND_DISPLAY are not "
                                            "set), and the window needs one. Run a command instead "
                                            "(see riskdesk --help), or draw the window offscreen "
                                            "with --screenshot FILE.png."),
                1);
        }
    }

    QApplication app(argc, argv);
    riskdesk::QuitOnSignal quitOnSignal; // a logout's SIGTERM closes the window as the user would
    setIdentity();
    // The desktop matches the window to its menu entry (and its icon) by this name.
    QGuiApplication::setDesktopFileName(u"org.riskdesk.Riskdesk"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/org.riskdesk.Riskdesk.svg"_s));
    installTranslations(app, invocation.language());
    QCommandLineParser parser;
    addWindowOptions(parser);
    parser.process(invocation.windowArguments()); // already checked: this only reads the values

    riskdesk::GuiOptions options;
    options.workspacePath = parser.value(u"workspace"_s);
    options.userId = parser.value(u"user"_s);
    options.tenantId = parser.value(u"tenant"_s);
    options.screenshotPath = parser.value(u"screenshot"_s);
    options.backendUrl = parser.value(u"backend"_s);
    if (options.backendUrl.isEmpty())
        options.backendUrl = qEnvironmentVariable("RISKDESK_URL");
    if (options.backendUrl.isEmpty()) // saved without a password: libpq may find it in ~/.pgpass
        options.backendUrl = settings.backendUrl();
    riskdesk::GuiLauncher launcher(options, settings);
    launcher.start();
    return app.exec();
}
