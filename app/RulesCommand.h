#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

// riskdesk rules eval --rule RULE.json --cases CASES.jsonl: one result per case, with its explanation.
class RulesCommand {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RulesCommand)

public:
    static int run(const QStringList& arguments);
};

} // namespace riskdesk
