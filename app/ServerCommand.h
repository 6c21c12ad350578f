#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

class AppSettings;

class Workspace;

// The commands that talk to the shared backend: riskdesk db migrate|add-user|seed, riskdesk sync, and
// riskdesk log verify --url. The URL comes from --url or RISKDESK_URL.
class ServerCommand {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ServerCommand)

public:
    static int db(const QStringList& arguments, AppSettings& settings);
    static int sync(const QStringList& arguments, AppSettings& settings);
    static int verifyLog(AppSettings& settings, const QString& url, const QString& tenant);

private:
    // Builds what a first pull left for later (DeferredIndexBuild), reporting its progress.
    static Status finishIndexes(Workspace& workspace);
};

} // namespace riskdesk
