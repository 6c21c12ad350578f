#include "SkillBoard.h"

#include "store/SqlProblem.h"

#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {
using T = BoardTableColumn::Type;
} // namespace

Result<QList<SkillType>> SkillBoard::skillTypes(QSqlDatabase db, const QString& tenant, const QString& site) {
    // The site's row wins over the tenant-wide row ('') of the same code.
    QSqlQuery q(db);
    q.prepare(u"SELECT skill_code, skill_name, sort_order, is_enabled, site_id <> '' FROM bd_cfg_skill_type t"
              " WHERE tenant_id = :t AND (site_id = :s OR (site_id = '' AND NOT EXISTS ("
              "   SELECT 1 FROM bd_cfg_skill_type o WHERE o.tenant_id = t.tenant_id AND o.site_id = :s"
              "      AND o.skill_code = t.skill_code)))"
              " ORDER BY sort_order, skill_name, skill_code"_s);
    q.bindValue(u":t"_s, tenant);
    q.bindValue(u":s"_s, site);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the skill types"));
    QList<SkillType> types;
    while (q.next())
        types.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toInt(),
                      q.value(3).toInt() == 1, q.value(4).toBool()});
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the skill types"));
    return types;
}

Result<QList<std::pair<QString, qint64>>>
SkillBoard::unconfiguredNames(QSqlDatabase db, const QString& tenant, const QString& site) {
    QSqlQuery q(db);
    q.prepare(u"SELECT skill_name, COUNT(*) FROM bd_assistant_service_log l"
              " WHERE tenant_id = :t AND site_id = :s AND skill_name IS NOT NULL AND skill_name <> ''"
              "   AND NOT EXISTS (SELECT 1 FROM bd_cfg_skill_type c WHERE c.tenant_id = :t"
              "                      AND (c.site_id = :s OR c.site_id = '') AND c.skill_name = l.skill_name)"
              " GROUP BY skill_name ORDER BY skill_name"_s);
    q.bindValue(u":t"_s, tenant);
    q.bindValue(u":s"_s, site);
    if (!q.exec())
        return sqlProblem(q, tr("Reading the service logs' skill names"));
    QList<std::pair<QString, qint64>> names;
    while (q.next())
        names.append({q.value(0).toString(), q.value(1).toLongLong()});
    if (rowsFailed(q))
        return sqlProblem(q, tr("Reading the service logs' skill names"));
    return names;
}

QString SkillBoard::unconfiguredLabel(const QString& name) {
    return tr("Not configured (%1)").arg(name);
}

Result<BoardReport> SkillBoard::compute(QSqlDatabase db, const BoardScope& scope,
                                        const BoardRequest& request) {
    if (Status s = scope.checkSite(request.site); !s)
        return s.problem();
    const auto types = skillTypes(db, request.tenant, request.site);
    if (!types)
        return types.problem();
    const auto unconfigured = unconfiguredNames(db, request.tenant, request.site);
    if (!unconfigured)
        return unconfigured.problem();

    BoardReport report(u"skills"_s, tr("Skill types"));
    report.parameters().insert(u"tenant"_s, request.tenant);
    report.parameters().insert(u"site"_s, request.site);
    BoardTable filter(u"skills"_s, tr("Skill filter of the coach board"),
                      {{u"skill_code"_s, tr("Code"), T::Text},
                       {u"skill_name"_s, tr("Skill"), T::Text},
                       {u"sort_order"_s, tr("Order"), T::Value, ValueUnit::Count},
                       {u"scope"_s, tr("Defined for"), T::Text}});
    filter.addRow({QString(),
                   {BoardCell::ofText(QString()), BoardCell::ofText(tr("All")),
                    BoardCell::ofValue(BoardValue::noData()), BoardCell::ofText(QString())}});
    QStringList disabled;
    for (const SkillType& t : types.value()) {
        if (!t.enabled) {
            disabled << t.name;
            continue;
        }
        filter.addRow({t.code,
                       {BoardCell::ofText(t.code), BoardCell::ofText(t.name),
                        BoardCell::ofValue(BoardValue::ofSum(t.sortOrder)),
                        BoardCell::ofText(t.siteOverride ? tr("this site") : tr("every site"))}});
    }
    filter.setPaging(filter.rows().size(), 1, 0);
    if (!disabled.isEmpty())
        filter.addNote(tr("Disabled (not offered, still counted under All): %1").arg(disabled.join(u", "_s)));
    report.addTable(filter);

    BoardTable names(u"unconfigured"_s, tr("Skill names in the service logs with no skill type"),
                     {{u"skill_name"_s, tr("Skill"), T::Text},
                      {u"logs"_s, tr("Service logs"), T::Value, ValueUnit::Count}});
    for (const auto& [name, count] : unconfigured.value())
        names.addRow(
            {name,
             {BoardCell::ofText(unconfiguredLabel(name)), BoardCell::ofValue(BoardValue::ofSum(count))}});
    names.setPaging(names.rows().size(), 1, 0);
    report.addTable(names);
    return report;
}

} // namespace riskdesk
