#pragma once

#include "domain/ExceptionComment.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

namespace riskdesk {

// Comments in the workspace. A new comment and its outbox entry are written in one transaction; nothing else
// is touched (not the exception, not the approval log). The command line and the GUI both come through here,
// on the thread that owns the connection (the GUI's DatabaseThread).
class CommentService {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::CommentService)

public:
    explicit CommentService(QSqlDatabase db) : m_db(std::move(db)) {}

    // Who may comment: an approver of the tenant (as on the server), on an exception of the tenant.
    Result<ExceptionComment> add(const QString& tenantId, const QString& recordId, const QString& authorId,
                                 const QString& text, const QDateTime& now);
    // The thread, oldest first, each comment with its sync state.
    Result<QList<ExceptionComment>> thread(const QString& tenantId, const QString& recordId) const;
    // Users a comment can mention: the workspace's users of the tenant and the approvers the server named.
    Result<QStringList> mentionable(const QString& tenantId) const;

private:
    QSqlDatabase m_db;
};

} // namespace riskdesk
