#pragma once

#include "PgConnection.h"
#include "SyncLogin.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QStringList>

namespace riskdesk {

struct CommentSyncReport {
    qint64 pushed = 0;         // comments the server took
    qint64 refused = 0;        // comments the server refused
    qint64 waiting = 0;        // comments written here by someone else than this login, left for theirs
    qint64 pulled = 0;         // comments copied from the server
    bool serverHasThem = true; // false: a server from before migration 008, nothing was done
    QStringList messages;      // one line per refusal
};

// Comments between the workspace and the backend: the outbox's waiting comments are pushed in order through
// riskdesk.add_comment (the comment id is the idempotency key, so a retried push adds nothing), then the
// server's riskdesk.comments are read from a cursor kept in the workspace, below the oldest open transaction
// (as the exceptions' change feed and AssignmentSync). The server names the author (the login): a comment
// written here by anyone else is refused here, never sent under the login's name. On the calling thread (the
// sync's worker): both connections block.
class CommentSync {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CommentSync)

public:
    CommentSync(QSqlDatabase workspace, PgConnection& server)
        : m_db(std::move(workspace)), m_server(server) {}

    Result<CommentSyncReport> syncOnce();
    // The login's view shared with the other streams of one sync, so that a change held in one (it waits for
    // its author's login) holds the later changes to the same exception in the others (helper-75).
    void shareLogin(SyncLogin* login) { m_login = login; }

private:
    Status push(CommentSyncReport& report);
    Status pull(CommentSyncReport& report);

    QSqlDatabase m_db;
    PgConnection& m_server;
    SyncLogin* m_login = nullptr;
};

} // namespace riskdesk
