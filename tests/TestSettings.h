#pragma once

#include "TemporaryConfig.h"
#include "settings/AppSettings.h"

namespace riskdesk::test {

// The settings a test hands to what it builds (workspaces, database threads, pages): a file of this test
// process in its temporary folder, never the user's. A test that must start from empty settings makes an
// AppSettings of its own on a file in a QTemporaryDir.
inline AppSettings& settings() {
    static AppSettings instance(TemporaryConfig::configHome() + QStringLiteral("/riskdesk-test.ini"));
    return instance;
}

} // namespace riskdesk::test
