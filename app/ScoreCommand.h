#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

class AppSettings;

// riskdesk score: one JSON response per JSON Lines request, in order, with the velocity ledger carried from
// line to line; a bad line gets an error line naming its number and field, and the rest go on.
class ScoreCommand {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ScoreCommand)

public:
    static int run(const QStringList& arguments, AppSettings& settings);
};

} // namespace riskdesk
