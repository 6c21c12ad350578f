#pragma once

#include "QueueQuery.h"
#include "domain/Result.h"
#include "domain/RiskException.h"
#include "store/PreparedStatements.h"

#include <QCoreApplication>
#include <QHash>
#include <QSqlDatabase>
#include <functional>

namespace riskdesk {

// Exceptions of one workspace. Every call is scoped to a tenant and binds its values.
class ExceptionRepository {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::ExceptionRepository)

public:
    // kept: where get() and updateDecision() keep their statements prepared (a bulk decision's); none
    // prepares them on each call.
    explicit ExceptionRepository(QSqlDatabase db, PreparedStatements* kept = nullptr)
        : m_db(std::move(db)), m_kept(kept) {}

    Result<RiskException> get(const QString& tenantId, const QString& recordId) const;
    Status insert(const RiskException& exception);
    // Writes the new state if the stored version is still expectedVersion; otherwise a version_conflict.
    Status update(const RiskException& exception, qint64 expectedVersion);
    // The same for a decision: writes only what a decision changes (status, assignment, chain log, rejection,
    // last status time, version). The columns it never changes stay out of the statement, so SQLite does not
    // run the triggers on them (migration 017's board facts, rebuilt from the log) for nothing.
    Status updateDecision(const RiskException& exception, qint64 expectedVersion);

    Result<QueueRowsPage> page(const QueueQuery& query, const std::optional<QueueKey>& after,
                               int limit) const;
    Result<qint64> countByStatus(const QString& tenantId, ExceptionStatus status) const;
    // Pending or approved exceptions whose window ended before now, up to limit of them.
    Result<QStringList> dueForExpiry(const QString& tenantId, const QDateTime& now, int limit) const;
    // When the next open window (pending or approved) ends after now: the moment the next sweep has work.
    // Nothing when no open window is left.
    Result<std::optional<QDateTime>> nextWindowEnd(const QString& tenantId, const QDateTime& now) const;
    // The reason categories of the tenant's latest requests (at most `recent` of them), most used first, then
    // by name: what a new request's form offers, so that applicants keep to one spelling of each.
    Result<QStringList> recentReasonCategories(const QString& tenantId, int recent = 20000,
                                               int limit = 50) const;

    // Of the exceptions given with the version a reader holds, those stored at another version now (decided,
    // assigned or withdrawn by another desktop, the command line, a sync), as stored.
    Result<QList<RiskException>> changedFrom(const QString& tenantId,
                                             const QHash<QString, qint64>& heldVersions) const;

    // Streams matching exceptions in apply-time order; the callback returns false to stop.
    Status forEach(const QString& tenantId, std::optional<ExceptionStatus> status,
                   const std::function<bool(const RiskException&)>& callback) const;

private:
    Result<QueueRowsPage> pageWith(const QueueQuery& query, const std::optional<QueueKey>& after, int limit,
                                   QueueSql::TextPlan plan, qint64* candidates) const;

    QSqlDatabase m_db;
    PreparedStatements* m_kept = nullptr;
};

} // namespace riskdesk
