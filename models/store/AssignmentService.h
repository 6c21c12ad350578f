#pragma once

#include "domain/AssignmentRules.h"
#include "domain/Result.h"
#include "store/PreparedStatements.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSqlDatabase>

namespace riskdesk {

struct AppliedAssignment {
    Assignment assignment;
    AssignmentEvent event;
};

// Assignments in the workspace: the pure rules decide, and the new assignment and its log entry (which also
// waits there to be pushed) are written in one transaction. Never touches exceptions or the approval log.
// The command line and the GUI both come through here.
class AssignmentService {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::AssignmentService)

public:
    // kept: statements to keep prepared across calls (a bulk decision reads one assignment per exception).
    explicit AssignmentService(QSqlDatabase db, PreparedStatements* kept = nullptr)
        : m_db(std::move(db)), m_kept(kept) {}

    Result<AppliedAssignment> change(const QString& tenantId, const QString& recordId, const QString& actorId,
                                     AssignmentAction action, const QString& assigneeId,
                                     const QDateTime& now);
    // change() inside the caller's write transaction (a decision that ends its assignee's hold).
    Result<AppliedAssignment> changeInTransaction(const QString& tenantId, const QString& recordId,
                                                  const QString& actorId, AssignmentAction action,
                                                  const QString& assigneeId, const QDateTime& now);

    Result<Assignment> current(const QString& tenantId, const QString& recordId) const;
    // The assignments of these exceptions that someone holds (an exception nobody holds is not in it).
    Result<QHash<QString, Assignment>> heldAmong(const QString& tenantId, const QStringList& recordIds) const;
    // Oldest first.
    Result<QList<AssignmentEvent>> history(const QString& tenantId, const QString& recordId) const;
    Result<QStringList> leads(const QString& tenantId) const;
    // Who may be assigned: the workspace's approvers and those the server named (server_approvers).
    Result<QStringList> approvers(const QString& tenantId) const;
    // The SLA target in minutes for a severity: the tenant's sla_policy, else the default.
    Result<qint64> slaMinutes(const QString& tenantId, Severity severity) const;

private:
    QSqlDatabase m_db;
    PreparedStatements* m_kept;
};

} // namespace riskdesk
