#pragma once

#include "BoardReport.h"
#include "BoardRequest.h"
#include "BoardScope.h"

#include <QSqlDatabase>

namespace riskdesk {

// One skill type of a site after the tenant-wide rows and the site's overrides are merged (CONFIG-1, spec
// §3).
struct SkillType {
    QString code;
    QString name;
    int sortOrder = 0;
    bool enabled = true;
    bool siteOverride = false; // true: the site's own row replaced the tenant-wide one
};

// CONFIG-1: the skill types a site's coach board filters by. A site row overrides the tenant-wide row with
// the same code; the filter lists the enabled ones by (sort order, name) after "All". Service-log skill names
// that no skill type carries are listed as "not configured (<name>)", never dropped.
class SkillBoard {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::SkillBoard)

public:
    // Every skill type of the site (enabled or not), in filter order.
    static Result<QList<SkillType>> skillTypes(QSqlDatabase db, const QString& tenant, const QString& site);
    // Skill names in the site's service logs that no skill type (enabled or not) carries, with their log
    // count.
    static Result<QList<std::pair<QString, qint64>>> unconfiguredNames(QSqlDatabase db, const QString& tenant,
                                                                       const QString& site);
    // "Not configured (花式)"
    static QString unconfiguredLabel(const QString& name);

    static Result<BoardReport> compute(QSqlDatabase db, const BoardScope& scope, const BoardRequest& request);
};

} // namespace riskdesk
