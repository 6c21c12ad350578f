#include "PullHorizon.h"

using namespace Qt::StringLiterals;

namespace riskdesk {

Result<QString> PullHorizon::expression(PgConnection& server) {
    auto present = server.exec(u"SELECT pg_catalog.to_regprocedure('riskdesk.pull_horizon()') IS NOT NULL"_s);
    if (!present)
        return present.problem();
    if (present.value().rows() == 1 && present.value().text(0, 0) == u"t"_s)
        return u"(SELECT riskdesk.pull_horizon())"_s;
    return u"pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot())"_s;
}

} // namespace riskdesk
