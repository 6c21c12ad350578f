#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk rules eval --rule RULE.json --cases CASES.jsonl: one result per case, with its explanation.
// riskdesk rules recognize "TEXT": the draft and params of a city-consistency rule, or why it is not one.
class RulesCommand {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RulesCommand)

public:
    static int eval(const QStringList& arguments, AppSettings& settings);
    static int recognize(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
