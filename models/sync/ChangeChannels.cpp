#include "ChangeChannels.h"

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

Result<QStringList> ChangeChannels::listen(PgConnection& server) {
    QStringList channels;
    auto r = server.exec(u"SELECT notify_channel FROM riskdesk.tenants ORDER BY tenant_id"_s);
    if (r) {
        for (int row = 0; row < r.value().rows(); ++row)
            channels << r.value().text(row, 0);
    } else if (server.sqlState() == u"42703") { // undefined_column: a server not yet migrated to 003
        channels << u"riskdesk_changes"_s;
    } else {
        return r.problem();
    }
    for (const QString& channel : std::as_const(channels))
        if (Status s = server.listen(channel); !s)
            return s.problem();
    return channels;
}

} // namespace riskdesk
