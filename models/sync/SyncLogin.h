#pragma once

#include "domain/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>
#include <QString>
#include <optional>

namespace riskdesk {

class PgConnection;

// Who this server login is in each of its tenants, and whether a change made on this desktop may go out under
// it. The server names the login as the actor of every decision, assignment change and comment, so one made
// here by another person (a shared desktop, or a workspace synced with someone else's login) is never sent
// under it: it waits in the outbox until its author's own login syncs, and so does every later change to the
// same exception, which builds on it. Helper-74 found such a decision refused and dropped while the desktop
// went on showing it, and another person's claim sent as the login's own.
class SyncLogin {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::SyncLogin)

public:
    static Result<SyncLogin> read(PgConnection& server);
    // shared when a sync shares one view among its streams; else one read for this stream alone, kept in own.
    static Result<SyncLogin*> sharedOrRead(SyncLogin* shared, std::optional<SyncLogin>& own,
                                           PgConnection& server);
    explicit SyncLogin(QHash<QString, QString> users = {}) : m_users(std::move(users)) {}

    // The login's user id in tenant; empty when it is no member there.
    QString userIn(const QString& tenant) const { return m_users.value(tenant); }

    // Empty when author's change to record may go out now; else why it waits, a sentence for the user that
    // names the exception. Remembers the exceptions whose changes wait, so that later ones wait too.
    QString whyWaiting(const QString& tenant, const QString& record, const QString& author);
    // Holds every change to record in this sync, for the reason given (a sentence naming the exception).
    void hold(const QString& tenant, const QString& record, const QString& why);

private:
    QHash<QString, QString> m_users;
    QSet<QString> m_waitingRecords; // tenant, unit separator, record
    QHash<QString, QString> m_held; // the same keys → why they are held
};

} // namespace riskdesk
