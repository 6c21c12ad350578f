// Every context in the translation files is one the code asks for. A context lupdate got wrong (a function
// defined through an alias, a class it could not resolve) holds translations no tr() call ever finds: the
// strings then show in English in every language, with no warning anywhere else.
#include <QDirIterator>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace Qt::Literals::StringLiterals;

class TranslationsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyContextIsOneTheCodeAsksFor();
    void theQtTranslationsAreInstalled();
};

namespace {

QString source(const QString& relative) {
    return QStringLiteral(RISKDESK_SOURCE_DIR) + u'/' + relative;
}

// The contexts tr() and translate() ask for at run time: a Q_OBJECT class's qualified name, a
// Q_DECLARE_TR_FUNCTIONS argument, a translate() literal.
QSet<QString> contextsInCode() {
    QSet<QString> contexts;
    const QRegularExpression declared(uR"re(Q_DECLARE_TR_FUNCTIONS\(\s*([\w:]+)\s*\))re"_s);
    const QRegularExpression literal(uR"re((?:QCoreApplication::)?translate\(\s*"([^"]+)")re"_s);
    const QRegularExpression qobject(
        uR"re(class\s+(\w+)\s*(?:final\s*)?:\s*public\s+[\w:]+[^{;]*\{\s*Q_OBJECT)re"_s);
    const QRegularExpression inNamespace(uR"re(namespace\s+(\w+)\s*\{)re"_s);
    for (const QString& dir : {u"app"_s, u"ui"_s, u"models"_s}) {
        QDirIterator files(source(dir), {u"*.h"_s, u"*.cpp"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            if (!file.open(QIODevice::ReadOnly))
                qFatal("cannot read %s", qPrintable(file.fileName()));
            const QString text = QString::fromUtf8(file.readAll());
            for (const auto& m : declared.globalMatch(text))
                contexts << m.captured(1);
            for (const auto& m : literal.globalMatch(text))
                contexts << m.captured(1);
            const auto ns = inNamespace.match(text);
            for (const auto& m : qobject.globalMatch(text))
                contexts << (ns.hasMatch() && ns.capturedStart() < m.capturedStart()
                                 ? ns.captured(1) + u"::"_s + m.captured(1)
                                 : m.captured(1));
        }
    }
    return contexts;
}

} // namespace

void TranslationsTest::everyContextIsOneTheCodeAsksFor() {
    const QSet<QString> asked = contextsInCode();
    QVERIFY(asked.contains(u"riskdesk::QueuePage"_s));     // a Q_OBJECT class
    QVERIFY(asked.contains(u"riskdesk::RuleEvaluator"_s)); // Q_DECLARE_TR_FUNCTIONS
    QVERIFY(asked.contains(u"riskdesk::Domain"_s));        // translate()
    QDirIterator files(source(u"translations"_s), {u"*.ts"_s}, QDir::Files);
    int checked = 0;
    while (files.hasNext()) {
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QStringList stray;
        bool inContext = false;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == u"context")
                inContext = true;
            else if (xml.isStartElement() && xml.name() == u"name" && inContext) {
                const QString context = xml.readElementText();
                inContext = false;
                ++checked;
                if (!asked.contains(context))
                    stray << context;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY2(stray.isEmpty(), qPrintable(u"%1: no code asks for the context(s) %2"_s.arg(
                                      file.fileName(), stray.join(u", "_s))));
    }
    QVERIFY(checked > 20);
}

void TranslationsTest::theQtTranslationsAreInstalled() {
    // Qt's own dialogs and buttons (Cancel, the file dialog) are translated by Qt's catalogue, which the
    // application loads from here; scripts/install-deps installs it (qt6-translations-l10n).
    QTranslator qt;
    QVERIFY2(
        qt.load(QLocale(u"zh_CN"_s), u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)),
        qPrintable(QLibraryInfo::path(QLibraryInfo::TranslationsPath)));
    QCOMPARE(qt.translate("QPlatformTheme", "Cancel"), u"取消"_s);
}

QTEST_GUILESS_MAIN(TranslationsTest)
#include "tst_translations.moc"
