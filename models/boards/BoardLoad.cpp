#include "BoardLoad.h"

#include "BoardCache.h"
#include "BoardReportCodec.h"
#include "CoachBoard.h"
#include "CustomerBoard.h"
#include "FinanceBoard.h"
#include "RiskOpsBoard.h"
#include "store/SqlProblem.h"

#include <QDataStream>
#include <QIODevice>
#include <QJsonArray>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

QString BoardLoad::boardKey(BoardKind board) {
    switch (board) {
    case BoardKind::Skills:
        return u"skills"_s;
    case BoardKind::Coach:
        return u"coach"_s;
    case BoardKind::Customer:
        return u"customer"_s;
    case BoardKind::Finance:
        return u"finance"_s;
    case BoardKind::RiskOps:
        return u"riskops"_s;
    }
    return {};
}

Result<BoardAccess> BoardLoad::access(QSqlDatabase db, const QString& tenant, const QString& userId,
                                      qint64 nowMs) {
    const auto scope = BoardScope::open(db, tenant, userId);
    if (!scope)
        return scope.problem();
    BoardAccess access;
    access.userId = userId;
    for (BoardKind b : {BoardKind::Finance, BoardKind::Coach, BoardKind::Customer, BoardKind::RiskOps})
        if (scope.value().mayOpen(b))
            access.boards << b;
    access.sites = scope.value().sites();
    for (const QString& site : access.sites) {
        const auto clock = scope.value().clockOf(site);
        if (!clock)
            return clock.problem();
        access.today.insert(site, clock.value().businessDayOf(nowMs));
        access.zones.insert(site, clock.value().zone());
        const auto skills = SkillBoard::skillTypes(db, tenant, site);
        if (!skills)
            return skills.problem();
        QList<SkillType> enabled;
        for (const SkillType& s : skills.value())
            if (s.enabled)
                enabled << s;
        access.skills.insert(site, enabled);
    }
    if (access.boards.contains(BoardKind::RiskOps)) {
        const auto pairs = [&](const QString& sql, QList<std::pair<QString, QString>>& into) -> Status {
            QSqlQuery q(db);
            q.prepare(sql);
            q.addBindValue(tenant);
            if (!q.exec())
                return sqlProblem(q, tr("Reading the choices of the board's filters"));
            while (q.next())
                into.append({q.value(0).toString(), q.value(1).toString()});
            if (rowsFailed(q))
                return sqlProblem(q, tr("Reading the choices of the board's filters"));
            return success();
        };
        if (Status s = pairs(u"SELECT rule_id, name FROM rules WHERE tenant_id = ? ORDER BY rule_id"_s,
                             access.rules);
            !s)
            return s.problem();
        if (Status s = pairs(u"SELECT user_id, display_name FROM users WHERE tenant_id = ? AND role = "
                             "'approver' ORDER BY display_name, user_id"_s,
                             access.approvers);
            !s)
            return s.problem();
        // From the covering index of exception_progress, as the board reads its exceptions.
        QList<std::pair<QString, QString>> categories;
        if (Status s =
                pairs(u"SELECT DISTINCT reason_category, '' FROM exception_progress WHERE tenant_id = ? "
                      "ORDER BY 1"_s,
                      categories);
            !s)
            return s.problem();
        for (const auto& [category, unused] : categories)
            access.reasonCategories << category;
    }
    return access;
}

QJsonObject BoardLoad::cacheParameters(const BoardLoadRequest& load) {
    const BoardRequest& r = load.request;
    QJsonObject p;
    p.insert(u"today"_s, r.today.toString(Qt::ISODate));
    if (r.period)
        p.insert(u"period"_s, r.period->toJson());
    if (r.asOfDay.isValid())
        p.insert(u"asOfDay"_s, r.asOfDay.toString(Qt::ISODate));
    // BOARD-4's queue figures are as of an instant: without one, the request's own instant keys it.
    if (load.board == BoardKind::RiskOps)
        p.insert(u"asOfMs"_s, QString::number(r.asOfMs.value_or(r.nowMs)));
    p.insert(u"dimension"_s, r.dimension);
    p.insert(u"skill"_s, r.skill);
    p.insert(u"granularity"_s, r.granularity);
    p.insert(u"search"_s, r.search);
    p.insert(u"coach"_s, r.coach);
    p.insert(u"tiers"_s, QJsonArray::fromStringList(r.tiers));
    p.insert(u"includeInactive"_s, r.includeInactive);
    p.insert(u"sort"_s, r.sort);
    p.insert(u"page"_s, QString::number(r.page));
    p.insert(u"pageSize"_s, QString::number(r.pageSize));
    p.insert(u"drill"_s, r.drill);
    if (r.showVoided) // only drill-downs list voided rows; keys of the boards themselves stay as they were
        p.insert(u"showVoided"_s, true);
    p.insert(u"rules"_s, QJsonArray::fromStringList(r.rules));
    p.insert(u"severity"_s, r.severity);
    p.insert(u"targetType"_s, r.targetType);
    p.insert(u"reasonCategory"_s, r.reasonCategory);
    p.insert(u"approver"_s, r.approver);
    p.insert(u"locale"_s, r.locale.name());
    return p;
}

BoardLoadResult BoardLoad::run(QSqlDatabase db, const BoardLoadRequest& load) {
    BoardLoadResult out;
    const auto scope = BoardScope::open(db, load.tenant, load.userId);
    if (!scope) {
        out.report = scope.problem();
        return out;
    }
    if (Status s = scope.value().checkBoard(load.board); !s) {
        out.report = s.problem();
        return out;
    }
    BoardCacheKey key;
    key.userId = load.userId;
    key.tenantId = load.tenant;
    key.siteId = load.request.site;
    key.board = boardKey(load.board);
    key.section = u"*"_s;
    key.parameters = cacheParameters(load);
    // BOARD-4 has no site data watermark: its figures come from the live queue, so it is never cached.
    const bool cacheable = load.board != BoardKind::RiskOps;
    if (cacheable) {
        const auto watermark = BoardCache::watermarkOf(db, load.tenant, load.request.site);
        if (watermark)
            key.watermark = watermark.value();
        if (watermark && !load.bypassCache) {
            const auto hit = BoardCache::get(db, key);
            if (hit && hit.value()) {
                QDataStream in(*hit.value());
                in.setVersion(QDataStream::Qt_6_4);
                QDateTime at;
                QByteArray report;
                in >> at >> report;
                if (in.status() == QDataStream::Ok) {
                    auto decoded = BoardReportCodec::decode(report);
                    if (decoded) {
                        out.report = std::move(decoded);
                        out.fromCache = true;
                        out.refreshedAt = at;
                        return out;
                    }
                }
            }
        }
    }
    switch (load.board) {
    case BoardKind::Coach:
        out.report = CoachBoard::compute(db, scope.value(), load.request);
        break;
    case BoardKind::Customer:
        out.report = CustomerBoard::compute(db, scope.value(), load.request);
        break;
    case BoardKind::Finance:
        out.report = FinanceBoard::compute(db, scope.value(), load.request);
        break;
    case BoardKind::RiskOps:
        out.report = RiskOpsBoard::compute(db, scope.value(), load.request);
        break;
    case BoardKind::Skills:
        out.report = SkillBoard::compute(db, scope.value(), load.request);
        break;
    }
    out.refreshedAt = QDateTime::currentDateTimeUtc();
    // Only a whole answer is kept: a section that failed is asked again next time, not served from the cache.
    bool whole = bool(out.report);
    if (whole)
        for (const BoardTable& t : out.report.value().tables())
            // (No data hides a failed enrichment from status(): ask for the failures themselves.)
            whole = whole && !t.outcome().coreError() && t.outcome().failures().isEmpty();
    if (whole && cacheable && !key.watermark.isEmpty()) {
        QByteArray bytes;
        QDataStream stream(&bytes, QIODevice::WriteOnly);
        stream.setVersion(QDataStream::Qt_6_4);
        stream << out.refreshedAt << BoardReportCodec::encode(out.report.value());
        // A cache that cannot be written costs speed, not correctness: the fresh report is shown anyway.
        (void)BoardCache::put(db, key, bytes);
    }
    return out;
}

} // namespace riskdesk
