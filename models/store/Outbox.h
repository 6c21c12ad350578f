#pragma once

#include "domain/ApprovalLogEntry.h"
#include "domain/ExceptionComment.h"
#include "domain/Result.h"

#include <QSqlDatabase>

namespace riskdesk {

// Local changes waiting for the backend. Each entry is written in the transaction of the change it carries
// and has an idempotency key, so a push retried after a crash cannot act twice.
class Outbox {
public:
    explicit Outbox(QSqlDatabase db) : m_db(std::move(db)) {}

    Status enqueueDecision(const ApprovalLogEntry& entry, qint64 expectedVersion);
    // A comment written here (kind 'comment'): its comment id is the idempotency key (CommentSync pushes it).
    Status enqueueComment(const ExceptionComment& comment);
    Result<qint64> waitingCount() const;

private:
    QSqlDatabase m_db;
};

} // namespace riskdesk
