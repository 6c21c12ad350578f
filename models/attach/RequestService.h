#pragma once

#include "AttachmentTypes.h"
#include "domain/DirectoryTypes.h"
#include "domain/ExceptionRequest.h"
#include "domain/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <optional>

namespace riskdesk {

// A request filed, or why not: every problem, each naming its field, so a form shows each beside its field.
struct RequestOutcome {
    std::optional<RiskException> exception; // as stored: pending, version 1, queued for the server
    QList<Problem> problems;
    bool ok() const { return exception.has_value(); }
};

// Files an applicant's request in the workspace: the request validated (ExceptionValidator::validateRequest,
// with the tenant's rule and the applicant's role), then, in one write transaction, the pending exception,
// its attachments (kept once by SHA-256 in the attachment cache, listed in exception_attachments) and the
// outbox entry that takes it to the server's create_exception. Nothing is stored when anything is wrong.
// Lives in the attachment library because it keeps attachments through AttachmentCache. Database thread.
class RequestService {
    Q_DECLARE_TR_FUNCTIONS(riskdesk::RequestService)

public:
    explicit RequestService(QSqlDatabase db) : m_db(std::move(db)) {}

    // attachments: checked again here (AttachmentIntake::fromBytes), whoever read them; maxBytes: the limit.
    RequestOutcome file(const ExceptionRequest& request, const QList<AttachmentContent>& attachments,
                        const QDateTime& now, qint64 maxBytes);

    // The files of a request, in order (without their bytes): filed here, or listed by the server.
    Result<QList<AttachmentContent>> attachmentsOf(const QString& tenantId, const QString& recordId) const;

    // Who may file: applicants and approvers (the server's create_exception allows the same roles).
    static bool mayFile(UserRole role);

private:
    QSqlDatabase m_db;
};

} // namespace riskdesk
