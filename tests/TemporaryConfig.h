#pragma once

#include <QString>

namespace riskdesk::test {

// Every test executable links this in: before main() it points XDG_CONFIG_HOME and XDG_DATA_HOME at a
// temporary folder, so neither the test nor a riskdesk it starts (children inherit the environment) reads or
// writes the real user's settings (remembered chain heads, workspace identities, window geometry). It must
// happen before main(): QSettings reads the location once, at its first use.
class TemporaryConfig {
public:
    // The temporary XDG_CONFIG_HOME of this run.
    static QString configHome();
    // XDG_CONFIG_HOME as it was before the test replaced it (the real user's, ~/.config when unset).
    static QString realConfigHome();
};

} // namespace riskdesk::test
