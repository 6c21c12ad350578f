#include "ChainCheckLog.h"

#include "SqlProblem.h"

#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace riskdesk {

namespace {

QString sourceKey(LogSource source) {
    return source == LogSource::Workspace ? u"workspace"_s : u"server"_s;
}

} // namespace

QString ChainCheck::message() const {
    if (!intact)
        return ChainCheckLog::tr(
                   "The chain breaks at entry %1: an entry was altered, removed or inserted. Verify "
                   "the log on the approval log page for the details.")
            .arg(firstBrokenSeq);
    if (entries == 0)
        return ChainCheckLog::tr("The log has no entries.");
    return ChainCheckLog::tr("All %1 entries are intact.").arg(entries);
}

Status ChainCheckLog::record(QSqlDatabase db, const QString& tenant, LogSource source,
                             const ChainVerification& v, qint64 checkedAtMs) {
    QSqlQuery q(db);
    q.prepare(u"INSERT OR REPLACE INTO chain_checks (tenant_id, source, checked_at, intact, entries,"
              " first_broken_seq) VALUES (?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(tenant);
    q.addBindValue(sourceKey(source));
    q.addBindValue(checkedAtMs);
    q.addBindValue(v.intact ? 1 : 0);
    q.addBindValue(v.entriesChecked);
    q.addBindValue(v.intact ? 0 : v.firstBrokenSeq);
    if (!q.exec())
        return sqlProblem(q, tr("Recording the chain's verification"));
    return success();
}

Result<std::optional<ChainCheck>> ChainCheckLog::last(QSqlDatabase db, const QString& tenant,
                                                      LogSource source) {
    const QString doing = tr("Reading the chain's last verification");
    QSqlQuery q(db);
    q.prepare(
        u"SELECT intact, entries, checked_at, first_broken_seq FROM chain_checks WHERE tenant_id = ? AND source = ?"_s);
    q.addBindValue(tenant);
    q.addBindValue(sourceKey(source));
    if (!q.exec())
        return sqlProblem(q, doing);
    if (!q.next()) {
        if (rowsFailed(q))
            return sqlProblem(q, doing);
        return std::optional<ChainCheck>();
    }
    return std::optional<ChainCheck>(ChainCheck{q.value(0).toInt() == 1, q.value(1).toLongLong(),
                                                q.value(2).toLongLong(), q.value(3).toLongLong()});
}

} // namespace riskdesk
