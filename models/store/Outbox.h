#pragma once

#include "domain/ApprovalLogEntry.h"
#include "domain/ExceptionComment.h"
#include "domain/Result.h"
#include "domain/RiskException.h"
#include "store/PreparedStatements.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>

namespace riskdesk {

// Local changes waiting for the backend. Each entry is written in the transaction of the change it carries
// and has an idempotency key, so a push retried after a crash cannot act twice.
class Outbox {
public:
    // kept: where enqueueDecision() keeps its statement prepared (a bulk decision's); none prepares it on
    // each call.
    explicit Outbox(QSqlDatabase db, PreparedStatements* kept = nullptr)
        : m_db(std::move(db)), m_kept(kept) {}

    Status enqueueDecision(const ApprovalLogEntry& entry, qint64 expectedVersion);
    // A comment written here (kind 'comment'): its comment id is the idempotency key (CommentSync pushes it).
    Status enqueueComment(const ExceptionComment& comment);
    // A request filed here, for the server's riskdesk.create_exception: the request's fields exactly as they
    // will be sent (the server fingerprints them with the key, so a retried push is the same request).
    // attachments: the files filed with it, in order, each {"sha256", "file_name"} (server migration 012
    // keeps the list; the first is the exception's attachment_url).
    Status enqueueCreation(const RiskException& exception, const QJsonArray& attachments = {});
    // The JSON create_exception takes for an exception (record_id and the fields an applicant chooses).
    static QJsonObject creationPayload(const RiskException& exception);
    Result<qint64> waitingCount() const;
    // Every change made here that waits to be pushed: the outbox's (decisions, requests, comments) and the
    // assignment changes, which wait in assignment_log (SQLite migration 024). What the status bar shows.
    Result<qint64> changesToPush() const;

private:
    QSqlDatabase m_db;
    PreparedStatements* m_kept = nullptr;
};

} // namespace riskdesk
