#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace riskdesk {

// One comment of an exception's thread. Kept apart from the exception: a comment never changes a decision,
// the exception's row or version, or the approval log and its hash chain.
struct ExceptionComment {
    QString tenantId;
    QString commentId; // a UUID made where the comment was written; also its push's idempotency key
    QString recordId;
    QString authorId;
    QDateTime at;
    QString body;         // trimmed (CommentText::validate)
    QStringList mentions; // users of the tenant named with @login, in order of first mention
    QString syncState; // waiting | sent | refused (its outbox entry) or server (written on another desktop)
    QString syncError; // why the server refused it
};

} // namespace riskdesk
