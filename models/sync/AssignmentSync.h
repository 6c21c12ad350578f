#pragma once

#include "PgConnection.h"
#include "SyncLogin.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QStringList>

namespace riskdesk {

struct AssignmentSyncReport {
    qint64 pushed = 0;         // assignment changes the server applied
    qint64 refused = 0;        // refused or beaten by another desktop's change (the server's state was taken)
    qint64 waiting = 0;        // changes made here by someone else than this login, left for theirs
    qint64 pulled = 0;         // assignment changes copied from the server
    bool serverHasThem = true; // false: a server from before migration 007, nothing was done
    QStringList messages;      // one line per refusal or conflict
};

// Assignments between the workspace and the backend: waiting changes of assignment_log are pushed in order
// through riskdesk.change_assignment (the event id is the idempotency key), then the server's
// riskdesk.assignment_log is read from a cursor kept in the workspace, below the oldest open transaction
// (as the exceptions' change feed), and the leads and the SLA policy are copied. A change never touches the
// exceptions or the approval log. On the calling thread (the sync's worker): both connections block.
class AssignmentSync {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::AssignmentSync)

public:
    AssignmentSync(QSqlDatabase workspace, PgConnection& server)
        : m_db(std::move(workspace)), m_server(server) {}

    Result<AssignmentSyncReport> syncOnce();
    // The login's view shared with the other streams of one sync, so that a change held in one (it waits for
    // its author's login) holds the later changes to the same exception in the others (helper-75).
    void shareLogin(SyncLogin* login) { m_login = login; }

private:
    Status push(AssignmentSyncReport& report);
    Status pull(AssignmentSyncReport& report);
    Status pullLeads();
    // The server's SLA policy replaces the workspace's for the tenants this login belongs to, so the desktop
    // marks and offers escalation by the numbers change_assignment checks (a server before 013 has none).
    Status pullSlaPolicy();
    // The assignment as the server has it (from an answer), unless changes of this desktop still wait.
    Status takeServerState(const QString& tenant, const QString& record, const QJsonObject& assignment);
    QString serverId();

    QSqlDatabase m_db;
    PgConnection& m_server;
    SyncLogin* m_login = nullptr;
};

} // namespace riskdesk
