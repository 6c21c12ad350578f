#include "DeferredIndexBuild.h"

#include "SqlProblem.h"
#include "WriteTransaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

constexpr auto kKey = "deferred_build";

// The plan: {"indexes": [CREATE INDEX …], "searchFrom": next rowid to index, "searchTo": last rowid,
// "searchRows": rows in all}. QueueSql reads searchFrom and searchTo in SQL.
Result<QJsonObject> readPlan(const QSqlDatabase& db) {
    QSqlQuery q(db);
    q.prepare(u"SELECT value FROM workspace_meta WHERE key = ?"_s);
    q.addBindValue(QString::fromLatin1(kKey));
    if (!q.exec())
        return sqlProblem(q, DeferredIndexBuild::tr("Reading the workspace's index plan"));
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, DeferredIndexBuild::tr("Reading the workspace's index plan"));
        return QJsonObject();
    }
    return QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
}

Status writePlan(const QSqlDatabase& db, const QJsonObject& plan) {
    QSqlQuery q(db);
    if (plan.isEmpty()) {
        q.prepare(u"DELETE FROM workspace_meta WHERE key = ?"_s);
        q.addBindValue(QString::fromLatin1(kKey));
    } else {
        q.prepare(u"INSERT INTO workspace_meta (key, value) VALUES (?, ?) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s);
        q.addBindValue(QString::fromLatin1(kKey));
        q.addBindValue(QString::fromUtf8(QJsonDocument(plan).toJson(QJsonDocument::Compact)));
    }
    if (!q.exec())
        return sqlProblem(q, DeferredIndexBuild::tr("Keeping the workspace's index plan"));
    return success();
}

DeferredIndexBuild::Progress progressOf(const QJsonObject& plan) {
    DeferredIndexBuild::Progress p;
    p.indexesLeft = int(plan.value(u"indexes"_s).toArray().size());
    if (plan.contains(u"searchFrom"_s)) {
        const qint64 from = plan.value(u"searchFrom"_s).toInteger();
        const qint64 to = plan.value(u"searchTo"_s).toInteger();
        p.searchRowsLeft = std::max<qint64>(0, to - from + 1);
        p.searchRows = plan.value(u"searchRows"_s).toInteger();
    }
    return p;
}

} // namespace

Status DeferredIndexBuild::plan(QSqlDatabase db, const QStringList& createIndexes, qint64 firstRowid,
                                qint64 lastRowid) {
    auto existing = readPlan(db);
    if (!existing)
        return existing.problem();
    if (!existing.value().isEmpty())
        return Problem{u"plan_pending"_s, tr("An earlier index build has not finished yet."), {}};
    // The approver's opening view (pending, soonest to expire first) comes first.
    QStringList ordered = createIndexes;
    std::stable_partition(ordered.begin(), ordered.end(), [](const QString& sql) {
        return sql.contains(u"exceptions_by_status_valid_end"_s);
    });
    QJsonObject plan;
    plan[u"indexes"_s] = QJsonArray::fromStringList(ordered);
    if (lastRowid >= firstRowid) {
        plan[u"searchFrom"_s] = firstRowid;
        plan[u"searchTo"_s] = lastRowid;
        plan[u"searchRows"_s] = lastRowid - firstRowid + 1;
    }
    if (ordered.isEmpty() && lastRowid < firstRowid)
        return success();
    return writePlan(db, plan);
}

Result<DeferredIndexBuild::Progress> DeferredIndexBuild::progress(QSqlDatabase db) {
    auto plan = readPlan(db);
    if (!plan)
        return plan.problem();
    return progressOf(plan.value());
}

Result<DeferredIndexBuild::Progress> DeferredIndexBuild::step(QSqlDatabase db, qint64 searchSlice) {
    WriteTransaction tx(db);
    if (!tx.begun())
        return tx.begun().problem();
    auto read = readPlan(db);
    if (!read)
        return read.problem();
    QJsonObject plan = read.value();
    if (plan.isEmpty())
        return Progress{};
    QSqlQuery q(db);
    QJsonArray indexes = plan.value(u"indexes"_s).toArray();
    if (!indexes.isEmpty()) {
        // IF NOT EXISTS would hide a plan that disagrees with the schema; a plain CREATE says so.
        if (!q.exec(indexes.first().toString()))
            return sqlProblem(q, tr("Building the workspace's indexes"));
        indexes.removeFirst();
        plan[u"indexes"_s] = indexes;
        if (indexes.isEmpty()) {
            // Fresh statistics, or the planner guesses about a table that went from empty to millions.
            q.exec(u"PRAGMA analysis_limit = 1000"_s);
            if (!q.exec(u"ANALYZE"_s))
                return sqlProblem(q, tr("Building the workspace's indexes"));
        }
    } else if (plan.contains(u"searchFrom"_s)) {
        const qint64 from = plan.value(u"searchFrom"_s).toInteger();
        const qint64 to =
            std::min(plan.value(u"searchTo"_s).toInteger(), from + std::max<qint64>(1, searchSlice) - 1);
        q.prepare(u"INSERT INTO exceptions_search (rowid, body) SELECT exception_rowid, body "
                  "FROM exceptions_search_body WHERE exception_rowid BETWEEN ? AND ?"_s);
        q.addBindValue(from);
        q.addBindValue(to);
        if (!q.exec())
            return sqlProblem(q, tr("Building the search index"));
        plan[u"searchFrom"_s] = to + 1;
        if (to >= plan.value(u"searchTo"_s).toInteger()) {
            plan.remove(u"searchFrom"_s);
            plan.remove(u"searchTo"_s);
            plan.remove(u"searchRows"_s);
        }
    }
    if (!plan.contains(u"searchFrom"_s) && plan.value(u"indexes"_s).toArray().isEmpty())
        plan = QJsonObject();
    if (Status s = writePlan(db, plan); !s)
        return s.problem();
    if (Status c = tx.commit(); !c)
        return c.problem();
    return progressOf(plan);
}

QString DeferredIndexBuild::rowidsNotYetSearchable() {
    // A plan edited into something that is not JSON must not break every search: it reads as no plan.
    const QString field =
        u"(SELECT json_extract(value, '$.%1') FROM workspace_meta WHERE key = '%2' AND json_valid(value))"_s;
    return u"SELECT rowid FROM exceptions WHERE rowid BETWEEN %1 AND %2"_s.arg(
        field.arg(u"searchFrom"_s, QLatin1StringView(kKey)),
        field.arg(u"searchTo"_s, QLatin1StringView(kKey)));
}

Status DeferredIndexBuild::run(QSqlDatabase db, const std::function<void(const Progress&)>& onStep) {
    for (;;) {
        auto left = step(db);
        if (!left)
            return left.problem();
        if (onStep)
            onStep(left.value());
        if (left.value().done())
            return success();
    }
}

} // namespace riskdesk
