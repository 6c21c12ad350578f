#include "RenderRuleCommand.h"

#include "CommandParser.h"
#include "Console.h"
#include "JsonInputFile.h"
#include "engine/CompiledRule.h"
#include "flow/FlowExport.h"
#include "flow/FlowSpecBuilder.h"
#include "settings/AppSettings.h"
#include "store/DirectoryRepository.h"
#include "store/OverwriteGuard.h"
#include "store/Workspace.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTextStream>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

// Writes all or nothing: a failed export never leaves half a file behind.
bool writeFile(const QString& path, const QByteArray& bytes, QString* problem) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *problem = RenderRuleCommand::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool writePng(const QString& path, const QImage& image, QString* problem) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        *problem = RenderRuleCommand::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// True for a payload with no conditions of its own whose flow model has decision nodes: the reference draws
// such a rule from its model alone.
bool drawnFromFlowModel(const QJsonObject& payload) {
    if (payload.value(u"params"_s).toObject().contains(u"conditions"_s))
        return false;
    for (const QJsonValue& node : payload.value(u"flow_model"_s).toObject().value(u"nodes"_s).toArray())
        if (node.toObject().value(u"type"_s).toString() == u"decision")
            return true;
    return false;
}

} // namespace

int RenderRuleCommand::run(const QStringList& arguments, AppSettings& settings) {
    CommandParser parser(u"render-rule"_s, tr("Draws a risk rule's flow diagram."));
    parser.addPositional(u"RULE.json"_s, tr("A rule payload: name, params, metadata, and optionally fields, "
                                            "severity, domain and flow_model."));
    parser.addOption({u"svg"_s, tr("Write the diagram as SVG."), u"OUT.svg"_s});
    parser.addOption({u"png"_s, tr("Write the diagram as PNG."), u"OUT.png"_s});
    parser.addOption({u"scale"_s, tr("PNG scale, from 0.25 to 8 (default 2)."), u"S"_s, u"2"_s});
    parser.addOption({u"dark"_s, tr("Use the palette for dark backgrounds.")});
    parser.addOption({u"spec"_s, tr("Print the built spec as JSON instead of drawing.")});
    parser.addOption({u"workspace"_s, tr("With --all: the workspace whose rules to render."), u"PATH"_s});
    parser.addOption({u"all"_s, tr("Render every rule of the workspace (SVG and PNG) into --out.")});
    parser.addOption({u"out"_s, tr("With --all: the folder to write into (made if missing)."), u"DIR"_s});
    if (const auto stop = parser.stopsAfter(arguments))
        return *stop;
    bool scaleOk = false;
    const double scale = parser.value(u"scale"_s).toDouble(&scaleOk);
    if (!scaleOk || scale < 0.25 || scale > 8)
        return Console::fail(
            tr("--scale must be a number from 0.25 to 8, not \"%1\".").arg(parser.value(u"scale"_s)),
            Console::kUsage);
    const bool dark = parser.isSet(u"dark"_s);
    QString problem;

    if (parser.isSet(u"all"_s)) {
        if (!parser.isSet(u"workspace"_s) || !parser.isSet(u"out"_s))
            return Console::fail(tr("--all needs --workspace PATH and --out DIR."), Console::kUsage);
        const QString path = parser.value(u"workspace"_s);
        if (!QFileInfo::exists(path))
            return Console::fail(tr("There is no workspace at %1.").arg(path), Console::kUsage);
        Workspace workspace(settings);
        if (Status s = workspace.openExisting(path, u"riskdesk-render"_s); !s)
            return Console::fail(s.problem().message);
        if (Status whole = workspace.ensureVerified(); !whole)
            return Console::fail(whole.problem().message);
        const QDir out(parser.value(u"out"_s));
        if (!QDir().mkpath(out.path()))
            return Console::fail(tr("Cannot make the folder %1.").arg(out.path()));
        DirectoryRepository directory(workspace.db());
        auto tenants = directory.tenants();
        if (!tenants)
            return Console::fail(tenants.problem().message);
        int written = 0;
        static const QRegularExpression unsafe(u"[^A-Za-z0-9._-]"_s);
        for (const Tenant& t : tenants.value()) {
            auto rules = directory.rules(t.tenantId);
            if (!rules)
                return Console::fail(rules.problem().message);
            for (const Rule& r : rules.value()) {
                const FlowLayout layout = FlowLayout::compute(FlowSpecBuilder::build(r.payload));
                const FlowPalette palette = FlowPalette::forSeverity(layout.severity, dark);
                const QString base =
                    out.filePath(QString(t.tenantId + u'_' + r.ruleId).replace(unsafe, u"_"_s));
                if (!writeFile(base + u".svg"_s, FlowExport::svg(layout, palette), &problem) ||
                    !writePng(base + u".png"_s, FlowExport::image(layout, palette, scale), &problem))
                    return Console::fail(problem);
                ++written;
            }
        }
        Console::err() << tr("%n rule(s) rendered into %1.", nullptr, written).arg(out.path()) << Qt::endl;
        return 0;
    }

    if (parser.positionalArguments().size() != 1)
        return Console::fail(tr("Name one rule file: riskdesk render-rule RULE.json --svg OUT.svg"),
                             Console::kUsage);
    const QString rulePath = parser.positionalArguments().first();
    const auto read = JsonInputFile::readObject(rulePath, tr("one rule payload (a JSON object)"));
    if (!read)
        return Console::fail(read.problem().message);
    const QJsonObject& rule = read.value();
    // A rule that cannot be evaluated is refused as rules eval refuses it, not drawn as a plausible diagram.
    // (A rule given only as a flow model, with decision nodes and no conditions, is drawn from that model.)
    if (!drawnFromFlowModel(rule))
        if (auto compiled = CompiledRule::compile(rule); !compiled)
            return Console::fail(tr("%1: %2").arg(rulePath, compiled.problem().message));
    const FlowSpec spec = FlowSpecBuilder::build(rule);
    if (parser.isSet(u"spec"_s)) {
        QTextStream(stdout) << QString::fromUtf8(
            QJsonDocument(spec.toJson()).toJson(QJsonDocument::Indented));
        return 0;
    }
    if (!parser.isSet(u"svg"_s) && !parser.isSet(u"png"_s))
        return Console::fail(tr("Say what to write: --svg OUT.svg, --png OUT.png, or --spec."),
                             Console::kUsage);
    for (const QString& option : {u"svg"_s, u"png"_s})
        if (parser.isSet(option))
            if (Status s = OverwriteGuard::check(parser.value(option), {rulePath}); !s)
                return Console::fail(s.problem().message, Console::kUsage);
    const FlowLayout layout = FlowLayout::compute(spec);
    const FlowPalette palette = FlowPalette::forSeverity(spec.severity, dark);
    if (parser.isSet(u"svg"_s) &&
        !writeFile(parser.value(u"svg"_s), FlowExport::svg(layout, palette), &problem))
        return Console::fail(problem);
    if (parser.isSet(u"png"_s) &&
        !writePng(parser.value(u"png"_s), FlowExport::image(layout, palette, scale), &problem))
        return Console::fail(problem);
    return 0;
}

} // namespace riskdesk
