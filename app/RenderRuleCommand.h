#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk render-rule RULE.json [--svg OUT.svg] [--png OUT.png] [--scale S] [--dark]: draws a rule's flow
// diagram to files; --spec prints the built spec as JSON; --workspace PATH --all --out DIR renders every rule
// of a workspace. Needs a QGuiApplication (fonts); main() makes one, offscreen, for this command.
class RenderRuleCommand {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RenderRuleCommand)

public:
    static int run(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
