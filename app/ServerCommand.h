#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace riskdesk {

// The commands that talk to the shared backend: riskdesk db migrate|add-user|seed, riskdesk sync, and
// riskdesk log verify --url. The URL comes from --url or RISKDESK_URL.
class ServerCommand {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ServerCommand)

public:
    static int db(const QStringList& arguments);
    static int sync(const QStringList& arguments);
    static int verifyLog(const QString& url, const QString& tenant);
};

} // namespace riskdesk
