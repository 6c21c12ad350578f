#include "SyncLogin.h"

#include "PgConnection.h"

using namespace Qt::StringLiterals;

namespace riskdesk {

Result<SyncLogin> SyncLogin::read(PgConnection& server) {
    auto r =
        server.exec(u"SELECT tenant_id, user_id FROM riskdesk.memberships WHERE login_role = session_user"_s);
    if (!r)
        return r.problem();
    QHash<QString, QString> users;
    for (int row = 0; row < r.value().rows(); ++row)
        users.insert(r.value().text(row, 0), r.value().text(row, 1));
    return SyncLogin(std::move(users));
}

Result<SyncLogin*> SyncLogin::sharedOrRead(SyncLogin* shared, std::optional<SyncLogin>& own,
                                           PgConnection& server) {
    if (shared)
        return shared;
    auto read = SyncLogin::read(server);
    if (!read)
        return read.problem();
    own = std::move(read).value();
    return &*own;
}

QString SyncLogin::whyWaiting(const QString& tenant, const QString& record, const QString& author) {
    const QString key = tenant + QChar(0x1f) + record;
    QString why;
    if (const auto held = m_held.constFind(key); held != m_held.cend())
        why = *held;
    else if (m_waitingRecords.contains(key))
        why = tr("%1: waits behind an earlier change to it that this server login cannot send.").arg(record);
    else if (!m_users.contains(tenant))
        why = tr("%1: waits; this server login is not a member of tenant %2.").arg(record, tenant);
    else if (m_users.value(tenant) != author)
        why = tr("%1: made here by %2, but this server login is %3; the server takes changes only from the "
                 "person who made them, so it waits until %2 syncs with their own login.")
                  .arg(record, author, m_users.value(tenant));
    if (!why.isEmpty())
        m_waitingRecords.insert(key);
    return why;
}

void SyncLogin::hold(const QString& tenant, const QString& record, const QString& why) {
    m_held.insert(tenant + QChar(0x1f) + record, why);
}

} // namespace riskdesk
